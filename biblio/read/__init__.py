"""Readers, one module per input format; :func:`read_document` picks one.

A reader is a module with ``read(path, name, text, sha256, size) -> Document``:
its passages (sentences with lines and offsets), raw citations, footnote
markers and notes (for the footnote lint) and its own format's findings.
Picking is by suffix; ``.txt`` and unknown suffixes are sniffed, because web
pages saved as text are often wikitext or HTML.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
from collections.abc import Callable
from pathlib import Path

from biblio.model import Document
from biblio.read import source

Reader = Callable[[str, str, str, str, int], Document]
# format name -> module under biblio.read (imported on first use)
MODULES: dict[str, str] = {
    "text": "text",
    "wikitext": "wikitext",
    "html": "html",
    "markdown": "markdown",
    "latex": "latex",
}
SUFFIXES: dict[str, str] = {
    ".wiki": "wikitext", ".wikitext": "wikitext", ".mediawiki": "wikitext",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown",
    ".tex": "latex", ".ltx": "latex",
}
SNIFFED = {".txt", ".text", ""}

_WIKITEXT = re.compile(r"<ref[\s>/]|\{\{\s*(?:cite|citation|sfn|harv|reflist|efn)|^==[^=\n]+==\s*$|\[\[[^\]\n]+\]\]",
                       re.I | re.M)
_HTML = re.compile(r"^\s*(?:<!doctype html|<html[\s>])|<(?:p|div|body|a\s+href)[\s>]", re.I)
_LATEX = re.compile(r"\\(?:documentclass|begin\{document\}|(?:paren|text|foot|auto)?cite[pt]?\*?(?:\[[^\]]*\])*\{)")
_MARKDOWN = re.compile(r"^\[\^[^\]]+\]:|\[@[\w:.#$%&\-+?<>~/]+|^#{1,6} \S|^\[[^\]]+\]:\s*\S", re.M)


class _Readers(dict):
    """``READERS[name]`` imports the reader module the first time it is asked for."""

    def __missing__(self, name: str) -> Reader:
        if name not in MODULES:
            raise KeyError(name)
        module = importlib.import_module(f"biblio.read.{MODULES[name]}")
        self[name] = module.read
        return module.read

    def __iter__(self):
        return iter(MODULES)

    def __contains__(self, name: object) -> bool:
        return name in MODULES

    def __len__(self) -> int:
        return len(MODULES)


READERS: dict[str, Reader] = _Readers()


@functools.cache
def available() -> tuple[str, ...]:
    """Formats whose reader module exists (asked once per process)."""
    return tuple(name for name, module in MODULES.items() if importlib.util.find_spec(f"biblio.read.{module}"))


def format_for(path: Path, content: str, forced: str | None = None) -> str:
    """The reader name for a file: ``forced``, else by suffix, else sniffed."""
    if forced:
        return forced
    suffix = path.suffix.lower()
    if suffix in SUFFIXES and SUFFIXES[suffix] in available():
        return SUFFIXES[suffix]
    return sniff(content)


def sniff(content: str) -> str:
    """Guess the format of text whose suffix says nothing (``.txt``, none)."""
    head = content[:50_000]
    if not any(mark in head for mark in ("<", "{{", "[[", "\\", "[^", "[@", "](", "# ")):
        return "text"
    formats = available()
    candidates = [
        ("html", _HTML.search(head[:4096]) is not None and head.count("<") > 10),
        ("wikitext", len(_WIKITEXT.findall(head)) >= 3),
        ("latex", _LATEX.search(head) is not None),
        ("markdown", len(_MARKDOWN.findall(head)) >= 2),
    ]
    for name, hit in candidates:
        if hit and name in formats:
            return name
    return "text"


def read_document(path: Path, display: str, max_bytes: int = source.DEFAULT_MAX_BYTES,
                  forced: str | None = None) -> tuple[Document, source.SourceText]:
    """Load, decode and read one file; raises ``InputError`` when it cannot."""
    src = source.load(path, display, max_bytes)
    return read_source(path, src, forced), src


def read_source(path: Path, src: source.SourceText, forced: str | None = None) -> Document:
    """Read already loaded text with the reader its path or content calls for."""
    reader = READERS[format_for(path, src.text, forced)]
    return reader(src.path, path.name, src.text, src.sha256, src.size)


def is_document(path: Path) -> bool:
    """Whether a file found while walking a folder should be read."""
    suffix = path.suffix.lower()
    return not path.name.startswith(".") and bool(suffix) and (suffix in SUFFIXES or suffix in SNIFFED)
