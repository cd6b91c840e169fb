"""Plain text with numbered footnotes, as copied from web pages.

Notes are lines that start with a number (``1 ``, ``1)``, ``1.``, ``[1]``);
markers are numbers glued to the text (``Bazargan.1``, ``him.”2``, ``him.” 3``).
Numbering restarts in each section, and each block of notes belongs to the
markers written since the previous block.

A lone regex cannot tell ``’79 Revolution``, ``$10.7 million`` or ``from 47
countries`` from a marker, nor a note ``1 300 Hurt in Iran…`` from a paragraph
that starts with a number. So candidates are found loosely and then kept only
where they fit a block's numbering: notes must count up from 1 (or go on from
the previous block), and markers are accepted in the order the notes expect.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from biblio.model import Document, Marker, Note, Passage, RawCitation
from biblio.read import sentences
from biblio.read.source import LineMap, line_map

FORMAT = "text"

_NOTE_LINE = re.compile(
    r"^[ \t]*(?:\[(\d{1,3})\][ \t]*|(\d{1,3})(\)|\.(?=[ \t])|(?=[ \t]))[ \t]*)(\S[^\n]*)$",
    re.MULTILINE,
)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# digit runs are found by one fast regex; whether a run is a marker depends on
# the characters around it, which is checked in Python (cheaper than lookbehinds
# tried at every position of the text)
_DIGIT_RUN = re.compile(r"\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_NOT_GLUED = set("$£€-–/:#+")
_CLOSING_QUOTES = set("”\"’»")
_STRONG_BEFORE = set(".,;:!?)]”\"’»'")
_OPENING_QUOTES = set("’'\"")


@dataclass
class _Candidate:
    number: int
    offset: int
    line: int
    column: int
    strong: bool


@dataclass
class _NoteLine:
    number: int
    line: int
    column: int
    style: str
    text: str
    extra_lines: list[int] = field(default_factory=list)


@dataclass
class _Block:
    notes: list[_NoteLine]
    first_line: int
    last_line: int


def read(path: str, name: str, text: str, sha256: str, size: int) -> Document:
    """Read one plain-text document into a :class:`~biblio.model.Document`."""
    lines = line_map(text)
    blocks = _note_blocks(text, lines)
    note_lines = _lines_of(blocks)
    candidates = _marker_candidates(text, lines, note_lines)
    confirmed = _confirmed(blocks, candidates)
    if len(confirmed) < len(blocks):
        blocks = confirmed
        note_lines = _lines_of(blocks)
        candidates = _marker_candidates(text, lines, note_lines)
    markers, notes = _link(blocks, candidates)
    passages, passage_at = _passages(text, lines, note_lines)
    markers = [
        Marker(m.number, m.line, m.column, m.offset, m.block, passage_at(m.offset)) for m in markers
    ]
    citations = _citations(markers, notes)
    return Document(
        path=path,
        name=name,
        format=FORMAT,
        sha256=sha256,
        size=size,
        passages=tuple(passages),
        citations=tuple(citations),
        markers=tuple(markers),
        notes=tuple(notes),
        text=text,
        skip_lines=frozenset(note_lines),
    )


def _lines_of(blocks: list[_Block]) -> set[int]:
    return {n.line for b in blocks for n in b.notes} | {x for b in blocks for n in b.notes for x in n.extra_lines}


def _confirmed(blocks: list[_Block], candidates: list[_Candidate]) -> list[_Block]:
    """Drop one-line "blocks" (``1 in 5 residents…``) that no marker before them cites."""
    kept: list[_Block] = []
    previous_end = 0
    for block in blocks:
        if len(block.notes) == 1:
            number = block.notes[0].number
            cited = any(
                c.number == number and previous_end < c.line < block.first_line for c in candidates
            )
            if not cited:
                continue
        kept.append(block)
        previous_end = block.last_line
    return kept


def _note_blocks(text: str, lines: LineMap) -> list[_Block]:
    """Group note-like lines into blocks whose numbers count up by one."""
    raw: list[_NoteLine] = []
    for m in _NOTE_LINE.finditer(text):
        number = int(m.group(1) or m.group(2))
        style = "bracket" if m.group(1) else {")": "paren", ".": "dot"}.get(m.group(3), "bare")
        line, column = lines.locate(m.start(1) - 1 if m.group(1) else m.start(2))
        raw.append(_NoteLine(number, line, column, style, m.group(4).strip()))
    blocks: list[_Block] = []
    current: list[_NoteLine] = []
    prev_last = 0

    def close() -> None:
        nonlocal current, prev_last
        if current:
            blocks.append(_Block(current, current[0].line, current[-1].line))
            prev_last = current[-1].number
        current = []

    for note in raw:
        if current:
            last = current[-1]
            between = text[lines.starts[last.line] if last.line < len(lines.starts) else len(text):
                           lines.starts[note.line - 1]]
            adjacent = not _has_prose(between)
            if adjacent and last.number <= note.number <= last.number + 2:
                current.append(note)
                continue
            close()
        if note.number == 1 or (blocks and note.number == prev_last + 1 and _near(blocks[-1], note)):
            current = [note]
    close()
    blocks = [b for b in blocks if len(b.notes) > 1 or b.notes[0].number == 1]
    _attach_continuations(text, lines, blocks)
    return blocks


def _near(block: _Block, note: _NoteLine) -> bool:
    return note.line - block.last_line < 400


def _has_prose(between: str) -> bool:
    """A paragraph between two note lines ends a block; lines right under a
    note (no blank line between) are its continuation, not prose."""
    parts = between.split("\n")
    i = 0
    while i < len(parts) and parts[i].strip():
        i += 1
    return any(p.strip() for p in parts[i:])


def _attach_continuations(text: str, lines: LineMap, blocks: list[_Block]) -> None:
    """A non-blank line right under a note (no blank line between) continues it."""
    taken = {n.line for b in blocks for n in b.notes}
    total = len(lines.starts)
    for block in blocks:
        for note in block.notes:
            nxt = note.line + 1
            while nxt <= total and nxt not in taken:
                s = lines.starts[nxt - 1]
                e = lines.starts[nxt] - 1 if nxt < total else len(text)
                chunk = text[s:e].strip()
                if not chunk:
                    break
                note.text = f"{note.text} {chunk}"
                note.extra_lines.append(nxt)
                nxt += 1
            if note.extra_lines and note.extra_lines[-1] > block.last_line:
                block.last_line = note.extra_lines[-1]


def _marker_candidates(text: str, lines: LineMap, note_lines: set[int]) -> list[_Candidate]:
    """Numbers that could be footnote markers: ``word.1``, ``him.”2``, ``him.” 3``, ``[4]``, ``⁵``."""
    out: list[_Candidate] = []
    size = len(text)
    for m in _DIGIT_RUN.finditer(text):
        start, end = m.span()
        run = m.group(0)
        if end - start > 3:
            continue
        before = text[start - 1] if start else " "
        after = text[end] if end < size else ""
        if not run.isascii():
            strong, number = True, int(run.translate(_SUPERSCRIPT))
        elif before == "[" and after == "]":
            strong, number = True, int(run)
        elif before.isspace():
            # him.” 3 — one space after a closing quote that ends a word
            if not (before == " " and start >= 3 and text[start - 2] in _CLOSING_QUOTES
                    and not text[start - 3].isspace() and (not after or after.isspace())):
                continue
            strong, number = True, int(run)
        else:
            if before in _NOT_GLUED or after.isalnum() or after == "_":
                continue
            if after in ".," and end + 1 < size and text[end + 1].isdigit():
                continue  # 1.5, 3,000
            if before in _OPENING_QUOTES and (start < 2 or text[start - 2].isspace()):
                continue  # ’79 is an elided year, not a marker
            if before == "." and start >= 2 and text[start - 2].isdigit() and not _year_then_marker(text, start, end):
                continue  # 10.7 is a decimal; "in 1965.1 Its" is a year and a marker
            strong, number = before in _STRONG_BEFORE, int(run)
        if number == 0:
            continue
        line, column = lines.locate(start)
        if line in note_lines:
            continue
        out.append(_Candidate(number, start, line, column, strong))
    return out


def _year_then_marker(text: str, start: int, end: int) -> bool:
    """``1965.1 Its…``: four digits, a period, the marker, then a new sentence."""
    year = text[max(0, start - 6) : start - 1]
    if not (len(year) >= 4 and year[-4:].isdigit() and (len(year) == 4 or not year[-5].isdigit())):
        return False
    after = text[end : end + 3].lstrip(" ")
    return not after or after[0] in "\n“\"‘(" or after[0].isupper()


def _link(blocks: list[_Block], candidates: list[_Candidate]) -> tuple[list[Marker], list[Note]]:
    """Accept the candidates that fit each block's numbering.

    Whether a marker has a note, or a note a marker, is for the lint rules in
    :mod:`biblio.check.footnotes` to say; here only markers are told from
    other numbers.
    """
    markers: list[Marker] = []
    notes: list[Note] = []
    ci = 0
    for bi, block in enumerate(blocks):
        scope: list[_Candidate] = []
        while ci < len(candidates) and candidates[ci].line < block.first_line:
            scope.append(candidates[ci])
            ci += 1
        numbers = [n.number for n in block.notes]
        accepted = _accept(scope, numbers[0], max(numbers), set(numbers))
        markers.extend(Marker(c.number, c.line, c.column, c.offset, bi) for c in accepted)
        notes.extend(Note(n.number, n.line, n.column, n.text, n.style, bi) for n in block.notes)
        # candidates on the lines of notes (continuations) belong to no block
        while ci < len(candidates) and candidates[ci].line <= block.last_line:
            ci += 1
    run = _accept(candidates[ci:], 1, 0, set())
    if len(run) >= 2 and all(c.strong for c in run):
        # a numbered run after the last block: markers whose notes are missing
        markers.extend(Marker(c.number, c.line, c.column, c.offset, -1) for c in run)
    return markers, notes


def _accept(scope: list[_Candidate], first: int, last: int, numbers: set[int]) -> list[_Candidate]:
    """Walk the candidates expecting ``first, first+1, …``.

    A strong candidate may skip up to two numbers (a marker the author forgot);
    past the last note only the next number is taken (an orphan marker). A
    strong candidate for a note not yet cited is kept too: it is a marker out
    of order, which the lint reports.
    """
    expected = first
    accepted: list[_Candidate] = []
    rejected: list[_Candidate] = []
    for c in scope:
        n = c.number
        if n == expected:
            accepted.append(c)
            expected = n + 1
        elif c.strong and expected < n <= expected + 2 and n <= max(last, expected):
            accepted.append(c)
            expected = n + 1
        else:
            rejected.append(c)
    taken = {c.number for c in accepted}
    late = []
    for c in rejected:
        if c.strong and c.number in numbers and c.number not in taken:
            taken.add(c.number)
            late.append(c)
    if late:
        accepted = sorted(accepted + late, key=lambda c: c.offset)
    return accepted


def _passages(text: str, lines: LineMap, note_lines: set[int]):
    passages: list[Passage] = []
    offsets: list[int] = []
    for start, end in sentences.paragraphs(text, note_lines, lines):
        for offset, sentence in sentences.split(text, start, end):
            passages.append(Passage(len(passages), lines.line_of(offset), sentence, offset))
            offsets.append(offset)

    def passage_at(offset: int) -> int | None:
        i = bisect.bisect_right(offsets, offset) - 1
        return i if i >= 0 else None

    return passages, passage_at


def _citations(markers: list[Marker], notes: list[Note]) -> list[RawCitation]:
    """One citation per marker (with its note) and per note no marker cites."""
    by_key = {(n.block, n.number): n for n in reversed(notes)}
    cited: set[tuple[int, int]] = set()
    out: list[RawCitation] = []
    for m in markers:
        note = by_key.get((m.block, m.number))
        if note:
            cited.add((note.block, note.number))
        out.append(
            RawCitation(
                kind="footnote",
                line=m.line,
                column=m.column,
                marker=str(m.number),
                raw=note.text if note else None,
                note_line=note.line if note else None,
                passage=m.passage,
                block=m.block,
                note_column=note.column if note else None,
            )
        )
    for n in notes:
        if (n.block, n.number) not in cited:
            out.append(RawCitation("footnote", n.line, n.column, None, n.text, n.line, None, n.block,
                                   note_column=n.column))
    return out
