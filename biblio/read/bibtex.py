"""Read a curated ``.bib`` file (through bibtexparser v2) into works.

The file is the user's: biblio keeps its text exactly as it is and only ever
appends to it, so this module returns the original text alongside the parsed
entries. A block bibtexparser cannot parse stops the build with the file and
line, because rewriting a file we did not understand could lose a user's edit.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model as bibmodel

from biblio.errors import BibError
from biblio.model import DateValue, Finding, Name, Reference, Severity
from biblio.parse import dates, names

ENTRY_TYPES = {
    "book": "book", "inbook": "chapter", "incollection": "chapter", "article": "article-journal",
    "techreport": "report", "report": "report", "phdthesis": "thesis", "mastersthesis": "thesis",
    "thesis": "thesis", "online": "webpage", "misc": "document", "inproceedings": "paper-conference",
    "jurisdiction": "legal_case", "unpublished": "manuscript", "booklet": "pamphlet", "manual": "book",
}
FIELD_MAP = {
    "title": "title", "publisher": "publisher", "address": "publisher_place", "location": "publisher_place",
    "volume": "volume", "number": "issue", "pages": "page", "edition": "edition", "series": "collection_title",
    "note": "note", "url": "URL", "doi": "DOI", "isbn": "ISBN", "type": "genre",
}
CONTAINER_FIELDS = ("journal", "journaltitle", "booktitle", "maintitle")
_MONTHS = {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
_AND = re.compile(r"\s+and\s+")
_ESCAPED = re.compile(r"\\([&%#_$])")

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class BibFile:
    """A .bib file: its exact text, its entries as references, and warnings."""

    path: str
    text: str
    entries: tuple[tuple[str, Reference], ...]
    findings: tuple[Finding, ...] = ()
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def keys(self) -> set[str]:
        return {key for key, _ in self.entries}


def load(path: str | Path) -> BibFile:
    """Parse ``path``; a missing file is an empty bibliography."""
    p = Path(path)
    if not p.exists():
        return BibFile(str(path), "", ())
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = p.read_bytes().count(b"\n", 0, exc.start) + 1
        raise BibError("not valid UTF-8", str(path), line) from None
    except OSError as exc:
        raise BibError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    return parse(text, str(path))


def parse(text: str, path: str = "<bib>") -> BibFile:
    library = bibtexparser.parse_string(text)
    findings: list[Finding] = []
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bibmodel.DuplicateBlockKeyBlock):
            findings.append(Finding(path, line, 1, "duplicate-bib-key", Severity.WARNING,
                                    f"key {block.key!r} is used by an earlier entry; this entry is kept but ignored"))
            continue
        error = getattr(block, "error", None)
        reason = (getattr(error, "abort_reason", "") or str(error or "")).strip().rstrip(".") or "syntax error"
        raise BibError(f"cannot parse this BibTeX block ({reason}); fix it before biblio rewrites the file",
                       path, line)
    entries = tuple((e.key, entry_to_reference(e)) for e in library.entries)
    lines = {e.key: (e.start_line or 0) + 1 for e in library.entries}
    return BibFile(path, text, entries, tuple(findings), lines)


def plain(value: str) -> str:
    """A BibTeX value as plain text: protective braces and escapes removed."""
    value = _ESCAPED.sub(r"\1", value)
    value = value.replace("\\textendash", "–").replace("--", "–").replace("~", " ")
    return " ".join(value.replace("{", "").replace("}", "").split())


def split_authors(value: str) -> tuple[Name, ...]:
    """``Last, First and {Human Rights Watch}`` -> names (braced = organisation)."""
    parts: list[str] = []
    depth = 0
    start = 0
    for m in re.finditer(r"[{}]|\s+and\s+", value):
        tok = m.group(0)
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth -= 1
        elif depth == 0:
            parts.append(value[start : m.start()])
            start = m.end()
    parts.append(value[start:])
    out: list[Name] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if part.startswith("{") and part.endswith("}") and part.count("{") == 1:
            out.append(Name(literal=plain(part)))
        else:
            out.append(names.parse_name(plain(part)) if "," in part else _direct(plain(part)))
    return tuple(out)


def _direct(name: str) -> Name:
    parsed = names.parse_name(name)
    if parsed.literal and len(name.split()) <= 3 and not names.is_corporate(name.split()[-1]):
        return names.parse_name(", ".join(reversed(name.rsplit(" ", 1))))
    return parsed


def entry_to_reference(entry: bibmodel.Entry) -> Reference:
    f = {k.lower(): str(v.value) for k, v in entry.fields_dict.items()}
    kwargs: dict = {"type": ENTRY_TYPES.get(entry.entry_type.lower(), "document")}
    for bib_name, attr in FIELD_MAP.items():
        if f.get(bib_name):
            value = f[bib_name] if attr in ("URL", "DOI") else plain(f[bib_name])
            kwargs.setdefault(attr, value)
    for container in CONTAINER_FIELDS:
        if f.get(container):
            kwargs["container_title"] = plain(f[container])
            break
    if not kwargs.get("publisher"):
        for alt in ("institution", "organization", "school", "howpublished"):
            if f.get(alt) and not f[alt].lstrip("{").startswith("\\url"):
                kwargs["publisher"] = plain(f[alt])
                break
    if f.get("author"):
        kwargs["author"] = split_authors(f["author"])
    if f.get("editor"):
        kwargs["editor"] = split_authors(f["editor"])
    if f.get("translator"):
        kwargs["translator"] = split_authors(f["translator"])
    issued = _issued(f)
    if issued:
        kwargs["issued"] = issued
    if kwargs["type"] == "article-journal" and f.get("entrysubtype") == "newspaper":
        kwargs["type"] = "article-newspaper"
    if kwargs["type"] == "article-journal" and f.get("entrysubtype") == "magazine":
        kwargs["type"] = "article-magazine"
    return Reference(**kwargs)


def _issued(f: dict[str, str]) -> DateValue | None:
    if f.get("date"):
        parts = []
        for piece in f["date"].split("/"):
            nums = [int(x) for x in re.findall(r"\d+", piece)[:3]]
            if nums:
                parts.append(tuple(nums))
        if parts:
            return DateValue(tuple(parts), f["date"])
    if f.get("year"):
        year_match = re.search(r"\d{4}", f["year"])
        if not year_match:
            return None
        year = int(year_match.group(0))
        month = f.get("month", "").strip().lower()[:3]
        m = _MONTHS.get(month) or (int(month) if month.isdigit() and 1 <= int(month) <= 12 else None)
        parts = (year, m) if m else (year,)
        if m and f.get("day", "").isdigit():
            parts = (year, m, int(f["day"]))
        return DateValue((parts,), f["year"])
    return dates.parse(f.get("date", "")) if f.get("date") else None
