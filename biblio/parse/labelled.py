"""Hand-labelled reference strings in the Wapiti/AnyStyle XML format, as tagger training data.

Each ``<sequence>`` holds one reference string as a run of labelled segments
(``<author>…</author><title>…</title>…``). Tokens are split on white space, as
:func:`biblio.parse.features.tokenize` does, and each token takes its segment's
label, mapped to the labels the tagger and :func:`biblio.parse.tagger.to_reference` use.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from biblio.errors import BiblioError

# AnyStyle's tag -> the tagger's label; tags with no field of ours become "other"
LABELS = {
    "author": "author", "title": "title", "journal": "container-title", "container-title": "container-title",
    "editor": "editor", "translator": "translator", "date": "date", "volume": "volume", "pages": "pages",
    "publisher": "publisher", "location": "location", "note": "note", "genre": "genre", "url": "url",
    "doi": "doi", "isbn": "isbn", "edition": "edition", "collection-title": "collection-title",
    "citation-number": "citation-number", "source": "note", "medium": "note", "booktitle": "container-title",
    "accessed": "note",
}


def read(path: Path) -> list[tuple[list[str], list[str]]]:
    """(tokens, labels) for every sequence in ``path``; a malformed file is a BiblioError."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise BiblioError(f"{path}: not a readable labelled-reference file ({exc})") from exc
    out: list[tuple[list[str], list[str]]] = []
    for sequence in root.iter("sequence"):
        tokens: list[str] = []
        labels: list[str] = []
        for segment in sequence:
            words = (segment.text or "").split()
            tokens.extend(words)
            labels.extend([LABELS.get(segment.tag, "other")] * len(words))
        if tokens:
            out.append((tokens, labels))
    return out
