"""Readers, one module per input format; :func:`read_document` picks one.

A reader turns decoded text into a :class:`~biblio.model.Document`: its
passages (sentences with lines) and raw citations. Picking is by suffix, and
for unknown suffixes by sniffing the content.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from biblio.model import Document
from biblio.read import source, text

Reader = Callable[[str, str, str, str, int], Document]
READERS: dict[str, Reader] = {"text": text.read}
SUFFIXES: dict[str, str] = {".txt": "text", ".text": "text", "": "text"}


def format_for(path: Path, content: str, forced: str | None = None) -> str:
    """The reader name for a file: ``forced``, else by suffix, else sniffed."""
    if forced:
        return forced
    known = SUFFIXES.get(path.suffix.lower())
    if known:
        return known
    return sniff(content)


def sniff(content: str) -> str:
    """Guess the format of text with an unknown suffix (only plain text for now)."""
    return "text"


def read_document(path: Path, display: str, max_bytes: int = source.DEFAULT_MAX_BYTES,
                  forced: str | None = None) -> tuple[Document, source.SourceText]:
    """Load, decode and read one file; raises ``InputError`` when it cannot."""
    src = source.load(path, display, max_bytes)
    reader = READERS[format_for(path, src.text, forced)]
    return reader(display, path.name, src.text, src.sha256, src.size), src


def is_document(path: Path) -> bool:
    """Whether a file found while walking a folder should be read."""
    return not path.name.startswith(".") and path.suffix.lower() in SUFFIXES
