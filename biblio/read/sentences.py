"""Split running text into sentences (passages) that keep their line numbers.

A citing passage is what a fact-checker reads next to a citation, so the split
must keep a footnote marker with the sentence it closes (``…Bazargan.1`` and
``…him.” 3``) and must not break after common abbreviations or initials.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from biblio.read.source import LineMap

_BOUNDARY = re.compile(
    r"""[.!?…]+["”’'»)\]]*            # end punctuation and closing quotes
        (?:\s?(?:\[\d{1,3}\]|\d{1,3}))?  # a footnote marker glued or after one space
        (?=\s+["“‘'«(\[]?[A-Z0-9À-Ý])    # then space and a capital start
    """,
    re.VERBOSE,
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|Gen|Col|Lt|Capt|Sgt|Rev|Hon|No|Nos|Vol|vol|pp?|ch|"
    r"ed|eds|trans|cf|e\.g|i\.e|vs|etc|Inc|Ltd|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
    r"|\b[A-Z]|(?:\b[A-Z]\.)+[A-Z])\.$"
)


def split(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, sentence)`` for ``text[start:end]`` (one paragraph)."""
    pos = start
    for match in _BOUNDARY.finditer(text, start, end):
        dot = match.start()
        # an abbreviation's full stop follows an ASCII letter, in a short word (Mr, Dr, U.S, initials)
        if dot > pos and text[dot] == "." and text[dot - 1] in _ASCII_LETTERS:
            lo = max(pos, dot - 12)
            word_start = text.rfind(" ", lo, dot) + 1
            if (dot - word_start <= 5 or "." in text[word_start:dot]) and _ABBREVIATION.search(text[lo : dot + 1]):
                continue
        stop = match.end()
        sentence = _squash(text[pos:stop])
        if sentence:
            yield pos, sentence
        pos = stop
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        sentence = _squash(text[pos:end])
        if sentence:
            yield pos, sentence


_ASCII_LETTERS = frozenset(string.ascii_letters)


def _squash(text: str) -> str:
    """Collapse runs of white space (only when there are any: most sentences have none)."""
    if "\n" in text or "  " in text or "\t" in text or "\u00a0" in text:
        return " ".join(text.split())  # str.split's white space is the regex's \s
    return text.strip()


def paragraphs(text: str, skip_lines: set[int], lines: LineMap) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` offsets of blank-line separated paragraphs,
    leaving out the 1-based lines in ``skip_lines`` (footnote definitions)."""
    starts = lines.starts
    n = len(starts)
    para_start: int | None = None
    for i in range(n):
        line_no = i + 1
        s = starts[i]
        e = starts[i + 1] - 1 if i + 1 < n else len(text)
        blank = line_no in skip_lines or not text[s:e].strip()
        if blank:
            if para_start is not None:
                yield para_start, starts[i] - 1
                para_start = None
        elif para_start is None:
            para_start = s
    if para_start is not None:
        yield para_start, len(text)
