"""The one exception tree of biblio; the CLI turns it into a one-line error.

::

    BiblioError              anything biblio refuses to do, with path and line
    ├── InputError           a file cannot be read (missing, binary, too large)
    ├── BibError             a .bib file cannot be parsed or written safely
    └── StoreError           the SQLite store is unusable (corrupt, newer schema)

Problems *inside* a document (a footnote without a note, an unparseable
reference) are not exceptions but ``Finding`` values.
"""

from __future__ import annotations


class BiblioError(Exception):
    """Base error: a message, optionally located in a file."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class InputError(BiblioError):
    """A document cannot be read at all."""


class BibError(BiblioError):
    """A BibTeX file is malformed, or could not be written."""


class StoreError(BiblioError):
    """The store file is not a biblio store or is damaged."""
