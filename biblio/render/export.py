"""Which works an export or a reference list covers, and the BibTeX, CSL-JSON and RIS of them.

The works are the store's bibliography (cited or curated, plus everything an
imported .bib holds), or those of a .bib given with ``--bib`` (imported into a
store in memory, so both paths behave the same), narrowed with ``--cited-in``
(the keys a LaTeX or Markdown draft cites) or ``--document`` (the works a stored
document cites).

BibTeX keeps imported text: the segments of every imported .bib are written in
their order, an entry verbatim while its work is unchanged since the import and
written anew from the store otherwise; works that came from documents follow,
generated through bibtexparser. So ``import`` then ``export`` gives a .bib back
byte for byte, and a corrected work is still written correctly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser import model as bibmodel

from biblio import imports, pipeline
from biblio.errors import BiblioError
from biblio.model import Finding, Severity, Work
from biblio.render import bibtex as bib_writer
from biblio.render import csljson
from biblio.render import ris as ris_writer
from biblio.store import Store

FORMATS = ("bibtex", "biblatex", "csl-json", "ris")
# the entry types of BibTeX's standard styles (identity), and what biblatex-only types become for them
BIBTEX_TYPES = {t: t for t in ("article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings",
                               "manual", "mastersthesis", "misc", "phdthesis", "proceedings", "techreport",
                               "unpublished")}
BIBLATEX_TO_BIBTEX = {
    "report": "techreport", "thesis": "phdthesis", "collection": "book", "mvbook": "book", "reference": "book",
    "mvcollection": "book", "mvreference": "book", "bookinbook": "inbook", "suppbook": "inbook",
    "inreference": "incollection", "suppcollection": "incollection", "mvproceedings": "proceedings",
    "periodical": "misc", "suppperiodical": "article", "review": "article",
}
BIBTEX_FIELDS = {"journaltitle": "journal", "location": "address"}


@dataclass(frozen=True)
class StoredSegment:
    """A segment of an imported .bib as the store keeps it (see :mod:`biblio.imports`)."""

    source: str
    seq: int
    kind: str
    key: str | None
    work_key: str | None
    gap: str
    text: str
    state: str | None


@dataclass(frozen=True)
class Selection:
    """The works to write, in store order, with the imported .bib text that may describe them."""

    works: tuple[Work, ...]
    segments: tuple[StoredSegment, ...] = ()
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    filtered: bool = False

    def unchanged(self) -> dict[str, StoredSegment]:
        """Works whose record is still the one their imported entry gave, with that entry's first segment."""
        if not self.segments:
            return {}
        states = {w.key: imports.state_of(w.reference) for w in self.works}
        out: dict[str, StoredSegment] = {}
        stale: set[str] = set()
        for seg in self.segments:
            if seg.kind != "entry" or seg.work_key not in states or seg.key != seg.work_key:
                continue
            if seg.state == states[seg.work_key]:
                out.setdefault(seg.work_key, seg)
            else:
                stale.add(seg.work_key)
        return {k: v for k, v in out.items() if k not in stale}


def load_bib(path: str) -> tuple[Store, list[Finding]]:
    """A store in memory holding the works of the .bib at ``path``."""
    if not Path(path).exists():
        raise BiblioError("no such file", path)
    store = Store(":memory:")
    report = imports.merge(store, imports.read(path, "bibtex"))
    return store, [f for f in report.findings if f.severity is not Severity.INFO]


def cited_keys(paths: Iterable[str | Path]) -> tuple[set[str], list[Finding]]:
    """The keys cited (``\\cite{key}``, ``[@key]``) in the drafts at ``paths``; ``*`` for ``\\nocite{*}``."""
    found: set[str] = set()
    findings: list[Finding] = []
    try:
        for result in pipeline.analyse_paths(list(paths)):
            if isinstance(result, Finding):
                findings.append(result)
                continue
            found.update(c.key for c, _ in result.citations if c.kind == "key" and c.key)
    except (ImportError, KeyError) as exc:
        raise BiblioError(f"cannot read citation keys from {', '.join(map(str, paths))}: no reader ({exc})") from None
    return found, findings


def select(store: Store, cited: set[str] | None = None, document: str | None = None,
           findings: Iterable[Finding] = ()) -> Selection:
    """The works to export: the bibliography, or those cited by key / by a stored document."""
    segments = tuple(StoredSegment(*row) for row in store.bib_segments())
    imported = {seg.work_key for seg in segments if seg.work_key}
    works = [w for w in store.works(include_uncited=True) if w.citation_count or w.curated or w.key in imported]
    notes = list(findings)
    filtered = False
    if cited is not None and "*" not in cited:
        have = {w.key for w in works}
        for key in sorted(cited - have):
            notes.append(Finding("-", 1, 1, "unknown-citation-key", Severity.WARNING,
                                 f"cited key {key!r} is not in the bibliography"))
        works = [w for w in works if w.key in cited]
        filtered = True
    if document is not None:
        cites = store.citations(document=document)
        if not cites and not any(document in (d.name, d.display) for d in store.documents()):
            raise BiblioError(f"no document {document!r} in the store (see `biblio citations`)")
        keys = {c.work for c in cites if c.work}
        works = [w for w in works if w.key in keys]
        filtered = True
    return Selection(tuple(works), segments, tuple(notes), filtered)


# --- formats --------------------------------------------------------------------------------


def bibtex(sel: Selection, dialect: str = "bibtex", ascii_only: bool = False) -> tuple[str, list[Finding]]:
    """The .bib text of ``sel``: imported segments in place (verbatim when unchanged), then new works.

    Verbatim entries keep their BibTeX field names in ``biblatex`` too (biber reads
    ``journal``, ``address`` and ``year``/``month``); a narrowed selection leaves
    out imported comments and unparseable blocks.
    """
    by_key = {w.key: w for w in sel.works}
    keep = sel.unchanged()
    missing: set[str] = set()
    parts: list[str] = []
    emitted: set[str] = set()
    for seg in sel.segments:
        if seg.kind == "entry":
            w = by_key.get(seg.work_key or "")
            if w is None:
                continue
            if keep.get(w.key) is not None and seg.key == w.key:
                text, lost = _ascii_entry(seg.text) if ascii_only else (seg.text, set())
            elif w.key not in emitted:
                text, lost = bib_writer.render_as([w], dialect, ascii_only)
                text = text.rstrip("\n")
            else:
                continue
            missing |= lost
            emitted.add(w.key)
            parts.append(seg.gap + text)
        elif sel.filtered and seg.kind in ("comment", "failed"):
            continue
        else:
            text, lost = _ascii_segment(seg.text) if ascii_only else (seg.text, set())
            missing |= lost
            parts.append(seg.gap + text)
    text = "".join(parts)
    if sel.filtered:
        text = text.lstrip("\n")
    rest = [w for w in sel.works if w.key not in emitted]
    if rest:
        addition, lost = bib_writer.render_as(rest, dialect, ascii_only)
        missing |= lost
        if text.strip():
            text = (text if text.endswith("\n") else text + "\n") + "\n" + addition
        else:
            text = addition
    findings = list(sel.findings)
    if missing:
        findings.append(Finding("-", 1, 1, "no-ascii-macro", Severity.WARNING,
                                "no LaTeX macro for " + " ".join(sorted(missing)) + "; kept as UTF-8"))
    return text, findings


def _ascii_entry(text: str) -> tuple[str, set[str]]:
    """A verbatim entry for 8-bit ``bibtex``: ASCII, and in a type BibTeX's styles know.

    An entry of a biblatex-only type (``@jurisdiction``, ``@online``…) or dated only
    by ``date`` is written again by bibtexparser with its own raw values (braces
    kept): the BibTeX type, ``year``/``month``/``day`` from ``date``, ``journal``
    and ``address`` for ``journaltitle`` and ``location``. Others stay as written.
    """
    library = bibtexparser.parse_string(text)
    if len(library.entries) != 1 or library.failed_blocks:
        return _ascii_segment(text)
    entry = library.entries[0]
    names = {f.key.lower() for f in entry.fields}
    kind = entry.entry_type.lower()
    if kind in BIBTEX_TYPES and ("date" not in names or "year" in names) and not names & set(BIBTEX_FIELDS):
        return _ascii_segment(text)
    entry.entry_type = BIBTEX_TYPES.get(kind) or BIBLATEX_TO_BIBTEX.get(kind, "misc")
    fields = []
    for f in entry.fields:
        key = f.key.lower()
        if key == "date" and "year" not in names:
            fields.extend(_date_fields(str(f.value)))
        elif key in BIBTEX_FIELDS and BIBTEX_FIELDS[key] not in names:
            fields.append(bibmodel.Field(BIBTEX_FIELDS[key], f.value))
        else:
            fields.append(f)
    entry.fields = fields
    return bib_writer.write_entries([entry], ascii_only=True)


def _date_fields(value: str) -> list[bibmodel.Field]:
    m = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value)
    if not m:
        return [bibmodel.Field("year", value)]
    out = [bibmodel.Field("year", m.group(1))]
    if m.group(2) and 1 <= int(m.group(2)) <= 12:
        out.append(bibmodel.Field("month", bib_writer.MONTHS[int(m.group(2)) - 1], enclosing="no-enclosing"))
        if m.group(3):
            out.append(bibmodel.Field("day", str(int(m.group(3)))))
    return out


def _ascii_segment(text: str) -> tuple[str, set[str]]:
    """A verbatim segment in ASCII: URLs percent-encoded, other non-ASCII letters as macros."""
    if text.isascii():
        return text, set()
    library = bibtexparser.parse_string(text)
    for entry in library.entries:
        for f in entry.fields:
            value = str(f.value)
            if f.key.lower() in bib_writer.URL_FIELDS and not value.isascii():
                text = text.replace(value, bib_writer.ascii_url(value))
    return bib_writer.to_ascii(text)


def csl_items(sel: Selection) -> tuple[list[dict[str, Any]], list[Finding]]:
    """CSL-JSON items; unchanged imported entries are converted from their own text by pandoc."""
    keep = sel.unchanged()
    raw = {key: seg.text for key, seg in keep.items()}
    strings = "".join(seg.text + "\n" for seg in sel.segments if seg.kind == "string")
    items, findings = csljson.items(list(sel.works), raw, strings)
    return items, list(sel.findings) + findings


def csl_json(sel: Selection) -> tuple[str, list[Finding]]:
    items, findings = csl_items(sel)
    return csljson.dumps(items), findings


def ris(sel: Selection) -> tuple[str, list[Finding]]:
    items, findings = csl_items(sel)
    return ris_writer.render(items), findings


def export(sel: Selection, fmt: str, ascii_only: bool = False) -> tuple[str, list[Finding]]:
    """``sel`` in one of :data:`FORMATS`."""
    if fmt in ("bibtex", "biblatex"):
        return bibtex(sel, fmt, ascii_only)
    if fmt == "csl-json":
        return csl_json(sel)
    if fmt == "ris":
        return ris(sel)
    raise BiblioError(f"unknown export format {fmt!r}: use {', '.join(FORMATS)}")
