"""RIS files (EndNote, Zotero, reference managers) as import items.

RIS is one ``TAG  - value`` per line, ``TY`` opening a record and ``ER`` closing
it; readers in the wild are lenient about the spacing, so this one is too. A
name with a comma is ``Family, Given[, Suffix]``; without one it is an
organisation. Tags biblio does not keep (``KW``, ``AB``…) are reported once per
file as ``ris-tags-dropped``.
"""

from __future__ import annotations

import re

from biblio.imports import Item, Parsed
from biblio.model import DateValue, Finding, Name, Reference, Severity

# RIS type -> CSL type; the first RIS type listed for a CSL type is the one written
TYPES = {
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "CHAP": "chapter", "ECHAP": "chapter",
    "JOUR": "article-journal", "EJOUR": "article-journal", "JFULL": "article-journal", "MGZN": "article-magazine",
    "NEWS": "article-newspaper", "RPRT": "report", "THES": "thesis", "ELEC": "webpage", "WEB": "webpage",
    "CPAPER": "paper-conference", "CONF": "paper-conference", "CASE": "legal_case", "UNPB": "manuscript",
    "PAMP": "pamphlet", "GEN": "document",
}
CSL_TO_RIS = {"article": "JOUR"}
for _ris, _csl in TYPES.items():
    CSL_TO_RIS.setdefault(_csl, _ris)
TEXT_TAGS = {
    "TI": "title", "T1": "title", "T2": "container_title", "JO": "container_title", "JF": "container_title",
    "JA": "container_title", "T3": "collection_title", "PB": "publisher", "CY": "publisher_place",
    "VL": "volume", "IS": "issue", "ET": "edition", "M3": "genre", "N1": "note", "UR": "URL", "DO": "DOI",
    "SN": "ISBN",
}
NAME_TAGS = {"AU": "author", "A1": "author", "A2": "editor", "ED": "editor", "A4": "translator"}
STRUCTURE = {"TY", "ID", "ER", "PY", "Y1", "DA", "SP", "EP", "BT"}
_LINE = re.compile(r"^([A-Z][A-Z0-9])  ?-(?: (.*)|)$")


def parse(text: str, path: str = "<ris>") -> Parsed:
    """Every ``TY``…``ER`` record of ``text``."""
    items: list[Item] = []
    findings: list[Finding] = []
    dropped: set[str] = set()
    record: list[tuple[str, str, int]] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        m = _LINE.match(line.rstrip())
        if not m:
            if line.strip() and record:  # a continuation line of the previous value
                tag, value, at = record[-1]
                record[-1] = (tag, f"{value} {line.strip()}", at)
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag == "TY":
            if record:
                findings.append(Finding(path, start, 1, "ris-unclosed", Severity.WARNING,
                                        "record has no ER line; read up to the next TY"))
                items.append(_item(record, start, dropped))
            record, start = [], number
        if tag == "ER":
            if record:
                items.append(_item(record, start, dropped))
            record = []
            continue
        if not record and tag != "TY":
            findings.append(Finding(path, number, 1, "ris-outside-record", Severity.WARNING,
                                    f"{tag} line outside a TY…ER record; ignored"))
            continue
        record.append((tag, value, number))
    if record:
        findings.append(Finding(path, start, 1, "ris-unclosed", Severity.WARNING, "last record has no ER line"))
        items.append(_item(record, start, dropped))
    if dropped:
        findings.append(Finding(path, 1, 1, "ris-tags-dropped", Severity.INFO,
                                "tags not kept by biblio: " + ", ".join(sorted(dropped))))
    return Parsed(path, "ris", tuple(items), (), tuple(findings))


def _item(record: list[tuple[str, str, int]], line: int, dropped: set[str]) -> Item:
    kwargs: dict = {"type": "document"}
    names: dict[str, list[Name]] = {}
    key = None
    first = last = ""
    year = date = ""
    for tag, value, _ in record:
        if not value:
            continue
        if tag == "TY":
            kwargs["type"] = TYPES.get(value.upper(), "document")
        elif tag == "ID":
            key = value
        elif tag in NAME_TAGS:
            names.setdefault(NAME_TAGS[tag], []).append(parse_name(value))
        elif tag in TEXT_TAGS:
            kwargs.setdefault(TEXT_TAGS[tag], value)
        elif tag == "BT":
            kwargs.setdefault("title" if kwargs["type"] == "book" else "container_title", value)
        elif tag == "SP":
            first = value
        elif tag == "EP":
            last = value
        elif tag in ("PY", "Y1"):
            year = year or value
        elif tag == "DA":
            date = date or value
        else:
            dropped.add(tag)
    for role, found in names.items():
        kwargs[role] = tuple(found)
    if first:
        kwargs["page"] = f"{first}–{last}" if last and last != first else first
    issued = parse_date(date) or parse_date(year)
    if issued:
        kwargs["issued"] = issued
    return Item(key, Reference(**kwargs), line)


def parse_name(value: str) -> Name:
    """``Family, Given[, Suffix]``; no comma: an organisation."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 1 or not parts[0]:
        return Name(literal=value.strip().rstrip(","))
    return Name(family=parts[0], given=parts[1] if len(parts) > 1 else "", suffix=", ".join(parts[2:]))


def parse_date(value: str) -> DateValue | None:
    """``1989``, ``1980/06/15/``, ``1980/06//spring`` or ``1980-06-15``."""
    m = re.match(r"^\s*(\d{1,4})(?:[/-](\d{0,2})(?:[/-](\d{0,2}))?)?", value or "")
    if not m:
        return None
    parts = [int(m.group(1))]
    for g in (m.group(2), m.group(3)):
        if not g or not int(g):
            break
        parts.append(int(g))
    return DateValue((tuple(parts),), value.strip())
