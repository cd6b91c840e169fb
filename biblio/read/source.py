"""Turn a file's bytes into text, or refuse it with a located, one-line reason.

Web sources arrive in every encoding; a reader must never crash on them. UTF-8
(with or without BOM) and UTF-16 with a BOM are read as such; anything else is
read as Windows-1252 (a superset of Latin-1 for printable text) with a warning,
because that is what pages saved from old sites are. Binary files and files
over the size limit are refused with an ``InputError``.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from biblio.errors import InputError
from biblio.model import Finding, Severity

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_SNIFF = 8192


@dataclass(frozen=True)
class SourceText:
    """Decoded text (``\\n`` line ends) with its hash and decoding warnings."""

    path: str
    text: str
    sha256: str
    size: int
    findings: tuple[Finding, ...] = ()


def load(path: Path, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read and decode ``path``; ``display`` is the name used in messages."""
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", name) from None
    if size > max_bytes:
        raise InputError(
            f"file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.0f} MB limit (raise it with --max-size)",
            name,
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", name) from None
    return decode(data, name)


def decode(data: bytes, name: str) -> SourceText:
    """Decode bytes already in memory (stdin, tests)."""
    findings: list[Finding] = []
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:_SNIFF] or _looks_binary(data[:_SNIFF]):
            raise InputError("binary file, not a text document", name)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            text = data.decode("cp1252", errors="replace")
            findings.append(
                Finding(name, line, 1, "encoding-fallback", Severity.WARNING,
                        "file is not valid UTF-8; read as Windows-1252")
            )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        findings.append(Finding(name, 1, 1, "empty-file", Severity.WARNING, "file has no text"))
    return SourceText(name, text, digest, len(data), tuple(findings))


def _looks_binary(head: bytes) -> bool:
    """True when many bytes are control characters no text file contains."""
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return controls / len(head) > 0.05


# the control characters no text file contains (tab, line feed, form feed and carriage return are text)
_CONTROLS = bytes(b for b in range(32) if b < 9 or b > 13)


@functools.lru_cache(maxsize=2)
def line_map(text: str) -> LineMap:
    """The LineMap of ``text``, shared: the reader and the finders after it all need the same one
    (two kept: the document being analysed and the one before, so no large text is held for long)."""
    return LineMap(text)


class LineMap:
    """Offsets in a text to 1-based (line, column) in the original file."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            self.starts.append(pos + 1)
            pos = find("\n", pos + 1)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def locate(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1
