"""URLs, DOIs and ISBNs written in running text become citations of their own.

A bare ``www.example.org`` in prose cites a page as surely as a footnote does,
and the URL checker needs every one of them with its place. Identifiers on
note lines are left to the note's parsed reference, so nothing is counted
twice.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from biblio.model import Document, RawCitation
from biblio.read.source import line_map

# each pattern starts with a literal so the regex engine can skip ahead; word
# boundaries are checked in Python
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”‘’\]\[{}|\\^`]{2,2000}", re.I)
_DOI = re.compile(r"(10\.\d{4,9}/[^\s\"<>]{1,300})")
_ISBN = re.compile(r"ISBN(?:-1[03])?:?\s*((?:97[89][\s-]?)?(?:\d[\s-]?){9}[\dXx])\b")
_TRAILING = ".,;:!?)'’”»"


def clean_url(url: str) -> str:
    """Drop sentence punctuation glued to the end (keeping balanced parentheses)."""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def find(doc: Document) -> Iterator[RawCitation]:
    """Every URL, DOI and ISBN in the running text of ``doc`` (not on note lines)."""
    text = doc.text
    if not doc.find_identifiers or not text:
        return
    if "://" not in text and "www." not in text and "WWW." not in text and "ISBN" not in text \
            and not _DOI.search(text):
        return
    lines = line_map(text)
    starts = [p.offset for p in doc.passages]
    taken: list[tuple[int, int]] = []

    def passage_at(offset: int) -> int | None:
        i = bisect.bisect_right(starts, offset) - 1
        return doc.passages[i].index if i >= 0 else None

    for m in _URL.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "/.@"):
            continue
        url = clean_url(m.group(0))
        line, column = lines.locate(m.start())
        if line in doc.skip_lines or "." not in url.split("//")[-1]:
            continue
        taken.append((m.start(), m.start() + len(url)))
        if "doi.org/" in url.lower():
            doi = url.split("doi.org/", 1)[1]
            yield RawCitation("doi", line, column, None, doi, None, passage_at(m.start()))
            continue
        yield RawCitation("url", line, column, None, url, None, passage_at(m.start()))
    for pattern, kind in ((_DOI, "doi"), (_ISBN, "isbn")):
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if m.start() and text[m.start() - 1].isalnum():
                continue
            line, column = lines.locate(m.start())
            if line in doc.skip_lines:
                continue
            value = clean_url(m.group(1)) if kind == "doi" else re.sub(r"[\s-]", "", m.group(1))
            yield RawCitation(kind, line, column, None, value, None, passage_at(m.start()))
