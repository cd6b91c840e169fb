"""The text a reader sees in a marked-up source, each character traceable to the source.

HTML, Markdown and LaTeX readers all turn markup into prose (``<i>x</i>``,
``*x*`` and ``\\emph{x}`` are all "x") and still have to report every
sentence at its line in the ORIGINAL file. They append the prose piece by
piece, each piece saying where in the source it was read; sentences are then
split on the prose and mapped back.

The same record gives ``Document.text``: the source with everything that is
not running prose (tags, link targets, notes, code, comments) blanked out with
spaces. Offsets and lines stay those of the source, so
:mod:`biblio.find.identifiers` finds a bare URL written in the prose but never
an ``href`` the reader already turned into a citation.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from biblio.model import Passage
from biblio.read import sentences
from biblio.read.source import LineMap

_NOT_NEWLINE = re.compile(r"[^\n]")
_SPACE = re.compile(r"\s+")


class VisibleText:
    """Prose appended piece by piece from ``source``, with paragraph breaks."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._parts: list[str] = []
        self._starts: list[int] = []  # offset of each piece in the prose
        self._at: list[int] = []  # source offset each piece was read at
        self._verbatim: list[bool] = []  # piece == source[at:at+len] char for char
        self._revealed: list[tuple[int, int]] = []
        self._breaks: list[int] = [0]
        self._length = 0
        self._joined: str | None = None

    def __len__(self) -> int:
        return self._length

    def add(self, text: str, at: int, end: int | None = None, *, reveal: bool = True) -> None:
        """Append ``text`` read from ``source[at:end]``.

        Without ``end`` the text is a verbatim copy of the source from ``at``;
        with it (an entity, ``\\'e``, a rendered marker) every character maps
        to ``at``. ``reveal=False`` keeps it out of :meth:`masked`.
        """
        if not text:
            return
        self._push(text, at, end is None)
        if reveal:
            self._revealed.append((at, at + len(text) if end is None else end))

    def reveal(self, start: int, end: int) -> None:
        """Keep ``source[start:end]`` in :meth:`masked` without adding it to the prose
        (a Markdown ``_`` dropped as emphasis may be part of a bare URL)."""
        self._revealed.append((start, end))

    def space(self, text: str = " ") -> None:
        """Append text that is in no source position (a space between lines)."""
        if text:
            self._push(text, self._at[-1] if self._at else 0, False)

    def paragraph(self) -> None:
        """End the current paragraph: no sentence runs across this point."""
        if self._length > self._breaks[-1]:
            self._push("\n", self._at[-1] if self._at else 0, False)
            self._breaks.append(self._length)

    def _push(self, text: str, at: int, verbatim: bool) -> None:
        self._parts.append(text)
        self._starts.append(self._length)
        self._at.append(at)
        self._verbatim.append(verbatim)
        self._length += len(text)
        self._joined = None

    @property
    def text(self) -> str:
        if self._joined is None:
            self._joined = "".join(self._parts)
        return self._joined

    def source_offset(self, index: int) -> int:
        """The source offset of character ``index`` of the prose."""
        k = bisect.bisect_right(self._starts, index) - 1
        if k < 0:
            return self._at[0] if self._at else 0
        if not self._verbatim[k]:
            return self._at[k]
        return self._at[k] + min(index - self._starts[k], len(self._parts[k]) - 1)

    def masked(self) -> str:
        """The source with every character not revealed as prose turned into a space."""
        blank = _NOT_NEWLINE.sub(" ", self.source)  # once: same offsets as the source
        out: list[str] = []
        pos = 0
        for start, end in sorted(self._revealed):
            if end <= pos:
                continue
            start = max(start, pos)
            out.append(blank[pos:start])
            out.append(self.source[start:end])
            pos = end
        out.append(blank[pos:])
        return "".join(out)

    def lines(self, lines: LineMap) -> set[int]:
        """The source lines that hold some of the prose."""
        held: set[int] = set()
        starts = lines.starts
        line_start, line_end = 0, -1  # offsets of the last line looked up
        for part, at, verbatim in zip(self._parts, self._at, self._verbatim, strict=True):
            end = at + len(part) - 1 if verbatim else at
            if line_start <= at and end < line_end:
                continue  # on the line just added: most pieces are
            if not part.strip():
                continue
            first, last = lines.line_of(at), lines.line_of(end)
            held.update(range(first, last + 1))
            line_start = starts[last - 1]
            line_end = starts[last] if last < len(starts) else len(self.source) + 1
        return held

    def passages(self, lines: LineMap) -> tuple[list[Passage], Callable[[int], int | None]]:
        """Sentences of each paragraph, at their source line and offset, and a
        function from a prose offset to the index of the sentence holding it."""
        text = self.text
        bounds = [*self._breaks, self._length]
        passages: list[Passage] = []
        starts: list[int] = []
        for start, end in itertools.pairwise(bounds):
            for offset, sentence in sentences.split(text, start, end):
                while offset < end and text[offset].isspace():
                    offset += 1
                at = self.source_offset(offset)
                passages.append(Passage(len(passages), lines.line_of(at), sentence, at))
                starts.append(offset)

        def passage_at(index: int) -> int | None:
            i = bisect.bisect_right(starts, index) - 1
            return i if i >= 0 else None

        return passages, passage_at


class PlainText:
    """A sink with :class:`VisibleText`'s interface that keeps only the text
    (the body of a footnote: its citation needs the words, not positions)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str, at: int, end: int | None = None, *, reveal: bool = True) -> None:
        self.parts.append(text)
        self.length += len(text)

    def space(self, text: str = " ") -> None:
        self.add(text, 0)

    def paragraph(self) -> None:
        self.add(" ", 0)

    def __len__(self) -> int:
        return self.length

    def text(self) -> str:
        """The text with runs of white space folded to one space."""
        return _SPACE.sub(" ", "".join(self.parts)).strip()


def lines_between(lines: LineMap, start: int, end: int) -> range:
    """The 1-based source lines from offset ``start`` to ``end`` (inclusive)."""
    return range(lines.line_of(start), lines.line_of(max(start, end)) + 1)


@dataclass
class Found:
    """A citation a markup reader found inline, before its passage is known."""

    kind: str
    offset: int
    marker: str | None
    raw: str | None
    prose: int | None  # offset in the body prose, None inside a note
    note: int | None = None  # the note it sits in, when inside one
    key: str | None = None
    locator: str = ""
