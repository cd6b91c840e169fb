"""Markdown drafts (CommonMark + pandoc): footnotes, links and citation keys.

A careful line scanner rather than ``markdown-it-py``: a Markdown renderer
throws away what this reader needs (where each ``[^1]`` and ``@key`` was
written, line and column) and knows nothing of pandoc citations, which would
need a plugin of their own. The scanner does it in two passes:

* blocks, line by line: YAML front matter, fenced and indented code, HTML
  comments, headings, quotes, list items, link definitions and footnote
  definitions with their indented continuation paragraphs;
* inlines, paragraph by paragraph: code spans, escapes, links, autolinks,
  footnote references and pandoc citations (``[see @key, p. 33; -@other]``
  and ``@key [p. 33]``), with brackets matched once per paragraph so that
  thousands of nested ``[`` cost linear time.

Footnote labels become numbers for the footnote lint (``[^3]`` is 3, other
labels take free numbers in order of definition); the label stays in
``RawCitation.marker``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from biblio.model import Document, Finding, Marker, Note, RawCitation, Severity
from biblio.read.source import LineMap, line_map
from biblio.read.visible import Found, PlainText, VisibleText

FORMAT = "markdown"
MAX_LINK_DEPTH = 32
MAX_LABEL = 999

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})([^`]*)$")
_FOOTNOTE_DEF = re.compile(r"^( {0,3})\[\^([^\]\s]+)\]:[ \t]?")
_LINK_DEF = re.compile(
    r"^ {0,3}\[(?!\^)((?:[^\]\\\n]|\\.){1,999})\]:[ \t]*(<[^>\n]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$"
)
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$|^#+[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:=+|-+|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})[ \t]*$")
_LIST = re.compile(r"^( {0,3})(?:[-+*]|(\d{1,9})[.)])(?:[ \t]+|$)")
_QUOTE = re.compile(r"^ {0,3}> ?")
_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")

_SPECIAL = re.compile(r"[\\`<\[\]!@*_]")
_BACKTICKS = re.compile(r"`+")
_FOOTREF = re.compile(r"\[\^([^\]\s]+)\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]*)>", re.I)
_EMAIL_AUTOLINK = re.compile(r"<([^\s<>@]+@[^\s<>@]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_KEY = r"(?:\{[^{}\s]{1,200}\}|[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w])){0,200})"
_CITE_ITEM = re.compile(r"(?<![\w.@])(-?)@(" + _KEY + r")")
_INTEXT = re.compile(r"@(" + _KEY + r")")
_NOT_BEFORE_KEY = re.compile(r"[\w.@/:+\-]")
_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_SPACE = re.compile(r"\s+")


class _Sink(Protocol):
    def add(self, text: str, at: int, end: int | None = None, *, reveal: bool = True) -> None: ...
    def space(self, text: str = " ") -> None: ...
    def __len__(self) -> int: ...


@dataclass
class _Para:
    """A paragraph's lines (container prefixes removed) and where each starts."""

    owner: int | None  # index of the footnote definition holding it, None in the body
    contents: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)

    def add(self, content: str, offset: int) -> None:
        self.contents.append(content)
        self.offsets.append(offset)


@dataclass
class _Definition:
    label: str
    line: int
    column: int
    last_line: int
    text: PlainText = field(default_factory=PlainText)


@dataclass
class _Blocks:
    paras: list[_Para] = field(default_factory=list)
    definitions: list[_Definition] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class _Callout:
    label: str
    offset: int
    prose: int | None  # offset in the body prose, None inside a note
    note: int | None  # the definition it sits in, when inside a note



def read(path: str, name: str, text: str, sha256: str, size: int) -> Document:
    """Read one Markdown document into a :class:`~biblio.model.Document`."""
    lines = line_map(text)
    blocks = _blocks(path, text, lines)
    prose = VisibleText(text)
    scan = _Inline(text, blocks, prose)
    for para in blocks.paras:
        sink: _Sink = prose if para.owner is None else blocks.definitions[para.owner].text
        if para.owner is None:
            prose.paragraph()
        else:
            sink.space()
        scan.paragraph(para, sink)
    prose.paragraph()
    passages, passage_at = prose.passages(lines)

    markers, notes, citations = _citations(blocks, scan, lines, passage_at)
    skip = {n for d in blocks.definitions for n in range(d.line, d.last_line + 1)}
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
        findings=tuple(blocks.findings),
        text=prose.masked(),
        skip_lines=frozenset(skip),
    )


def _citations(blocks: _Blocks, scan: _Inline, lines: LineMap, passage_at: Callable[[int], int | None]
               ) -> tuple[list[Marker], list[Note], list[RawCitation]]:
    """Markers, notes and citations in document order, then the notes no callout cites.

    A citation inside a note sits in the passage of the note's first callout;
    a note cited again gets a citation but no second marker (it is not out of
    order); the first of two definitions with one label is the note.
    """
    numbers = scan.numbers
    texts = [d.text.text() for d in blocks.definitions]
    notes = [Note(numbers.of(d.label), d.line, d.column, t, "markdown", 0, label=_written(d.label))
             for d, t in zip(blocks.definitions, texts, strict=True)]
    first_def: dict[str, int] = {}
    for index, d in enumerate(blocks.definitions):
        first_def.setdefault(d.label, index)
    markers: list[Marker] = []
    citations: list[RawCitation] = []
    note_passage: dict[int, int | None] = {}  # definition -> passage of its first callout

    def passage_of(prose_offset: int | None, note: int | None) -> int | None:
        if prose_offset is not None:
            return passage_at(prose_offset)
        return note_passage.get(note) if note is not None else None

    for c in scan.callouts:
        line, column = lines.locate(c.offset)
        passage = passage_of(c.prose, c.note)
        index = first_def.get(c.label)
        if index is None:
            markers.append(Marker(numbers.of(c.label), line, column, c.offset, 0, passage, label=_written(c.label)))
            citations.append(RawCitation("footnote", line, column, c.label, None, None, passage, 0))
            continue
        if index not in note_passage:
            markers.append(Marker(numbers.of(c.label), line, column, c.offset, 0, passage, label=_written(c.label)))
            note_passage[index] = passage
        d = blocks.definitions[index]
        citations.append(RawCitation("footnote", line, column, c.label, texts[index], d.line, passage, 0,
                                     note_column=d.column))
    for f in scan.found:
        line, column = lines.locate(f.offset)
        citations.append(RawCitation(f.kind, line, column, f.marker, f.raw, None, passage_of(f.prose, f.note),
                                     None, locator=f.locator, key=f.key))
    citations.sort(key=lambda c: (c.line, c.column))
    for index, d in enumerate(blocks.definitions):  # a note no callout cites still names a work
        if first_def[d.label] == index and index not in note_passage:
            citations.append(RawCitation("footnote", d.line, d.column, None, texts[index], d.line, None, 0,
                                         note_column=d.column))
    return markers, notes, citations


# -- blocks ----------------------------------------------------------------------------------------


def _indented(line: str) -> int:
    """Characters of one level of indentation (4 spaces or a tab), 0 if none."""
    if line.startswith("\t"):
        return 1
    if line.startswith("    "):
        return 4
    stripped = len(line) - len(line.lstrip(" "))
    return stripped + 1 if stripped < 4 and line[stripped : stripped + 1] == "\t" else 0


def _starts_block(line: str) -> bool:
    return bool(_FOOTNOTE_DEF.match(line) or _FENCE.match(line) or _ATX.match(line) or _RULE.match(line)
                or _LIST.match(line) or _QUOTE.match(line))


def _blocks(path: str, text: str, lines: LineMap) -> _Blocks:
    """Split the document into paragraphs, each owned by the body or by a note."""
    out = _Blocks()
    raw_lines = text.split("\n")
    starts = lines.starts
    para: _Para | None = None
    note: int | None = None  # the footnote definition whose container is open
    fence: tuple[str, int, int] | None = None  # char, length, line opened
    in_comment = False
    blank_before = True
    in_list = False
    first = _front_matter(raw_lines)
    for i in range(first, len(raw_lines)):
        raw, offset, number = raw_lines[i], starts[i], i + 1
        if fence is not None:
            stripped = raw.strip()
            if stripped.startswith(fence[0] * fence[1]) and not stripped.strip(fence[0]):
                fence = None
            if note is not None:
                out.definitions[note].last_line = number
            continue
        if in_comment:
            in_comment = "-->" not in raw
            continue
        if not raw.strip():
            para, blank_before = None, True
            continue
        content, at = raw, offset
        if note is not None:
            width = _indented(raw)
            continued = bool(width) or (not blank_before and para is not None and para.owner == note
                                        and not _starts_block(raw))
            if continued:
                content, at = raw[width:], offset + width
                out.definitions[note].last_line = number
            else:
                note = None
        if note is None:
            m = _FOOTNOTE_DEF.match(raw)
            if m:
                out.definitions.append(_Definition(m.group(2), number, len(m.group(1)) + 1, number))
                note = len(out.definitions) - 1
                para, blank_before, in_list = None, False, False
                content, at = raw[m.end() :], offset + m.end()
                if not content.strip():
                    continue
        opened = _FENCE.match(content)
        if opened:
            fence, para = (opened.group(2)[0], len(opened.group(2)), number), None
        elif content.lstrip().startswith("<!--") and "-->" not in content:
            in_comment, para = True, None
        elif note is None and para is None and (link := _LINK_DEF.match(content)):
            out.links.setdefault(_label(link.group(1)), link.group(2).strip("<>"))
        elif _ATX.match(content):
            body = _ATX_CLOSE.sub("", content[_ATX.match(content).end() :])
            lead = len(content) - len(content.lstrip(" #\t"))
            heading = _Para(note)
            heading.add(body, at + lead)
            out.paras.append(heading)
            para = None
        elif _RULE.match(content):
            para = None
        elif note is None and blank_before and not in_list and _indented(content) and para is None:
            pass  # indented code block
        else:
            while (quote := _QUOTE.match(content)) is not None:
                content, at = content[quote.end() :], at + quote.end()
            item = _LIST.match(content)
            if item and (para is None or item.group(2) in (None, "1")):
                content, at = content[item.end() :], at + item.end()
                para, in_list = None, True
            elif para is None and blank_before and not _indented(content):
                in_list = False
            lead = len(content) - len(content.lstrip())
            if content.strip():
                if para is None:
                    para = _Para(note)
                    out.paras.append(para)
                para.add(content[lead:], at + lead)
        blank_before = False
    if fence is not None:
        out.findings.append(Finding(path, fence[2], 1, "unclosed-code-fence", Severity.WARNING,
                                    "code fence is never closed; the rest of the file is read as code"))
    return out


def _front_matter(raw_lines: list[str]) -> int:
    """Index of the first line after a YAML metadata block at the top (pandoc)."""
    if not raw_lines or raw_lines[0].rstrip() != "---":
        return 0
    for i in range(1, min(len(raw_lines), 2000)):
        if _FRONT_END.match(raw_lines[i]):
            return i + 1
    return 0


def _label(text: str) -> str:
    """Link labels match case-insensitively with runs of space folded."""
    return _SPACE.sub(" ", text.strip()).casefold()


# -- inlines ---------------------------------------------------------------------------------------


def _written(label: str) -> str:
    """The label to show in messages: ``[^exile]`` is not "footnote 3" to its writer; ``[^3]`` is."""
    return "" if label.isdigit() and len(label) < 7 else label


class _Numbers:
    """Footnote label -> number: ``[^3]`` is 3, other labels take free numbers in
    order of definition, then (labels never defined) in order of first use."""

    def __init__(self, labels: list[str]) -> None:
        self._taken = {int(label) for label in labels if label.isdigit() and len(label) < 7}
        self._map: dict[str, int] = {}
        self._next = 1
        for label in labels:
            self.of(label)

    def of(self, label: str) -> int:
        if label.isdigit() and len(label) < 7:
            return int(label)
        if label not in self._map:
            while self._next in self._taken:
                self._next += 1
            self._map[label] = self._next
            self._taken.add(self._next)
        return self._map[label]


@dataclass
class _Link:
    end: int  # buffer offset of the closing ``]``
    after: int  # where scanning resumes
    url: str
    offset: int  # source offset of the opening ``[``
    prose: int | None
    start: int  # length of the sink when the link text began
    parts: list[str] = field(default_factory=list)


class _Inline:
    """Scans the inlines of each paragraph into its sink, collecting citations."""

    def __init__(self, source: str, blocks: _Blocks, prose: VisibleText) -> None:
        self.source = source
        self.links = blocks.links
        self.prose = prose
        self.numbers = _Numbers([d.label for d in blocks.definitions])
        self.callouts: list[_Callout] = []
        self.found: list[Found] = []

    def paragraph(self, para: _Para, sink: _Sink) -> None:
        buf = "\n".join(para.contents)
        starts: list[int] = []
        pos = 0
        for content in para.contents:
            starts.append(pos)
            pos += len(content) + 1
        _Paragraph(self, para, buf, starts, sink).run()


class _Paragraph:
    """One paragraph's inline scan (state kept here, not in module globals)."""

    def __init__(self, scan: _Inline, para: _Para, buf: str, starts: list[int], sink: _Sink) -> None:
        self.scan, self.para, self.buf, self.starts, self.sink = scan, para, buf, starts, sink
        self.in_note = para.owner
        self.code = _code_spans(buf)
        self.close, self.next_bracket = _brackets(buf, self.code)
        self.stack: list[_Link] = []

    # positions ----------------------------------------------------------
    def src(self, i: int) -> int:
        k = bisect.bisect_right(self.starts, i) - 1
        return self.para.offsets[k] + (i - self.starts[k])

    def prose_at(self) -> int | None:
        return len(self.sink) if self.in_note is None else None

    # output -------------------------------------------------------------
    def emit(self, a: int, b: int, reveal: bool = True) -> None:
        """Copy ``buf[a:b]`` to the sink, line by line (line breaks become spaces)."""
        reveal = reveal and not self.stack
        while a < b:
            k = bisect.bisect_right(self.starts, a) - 1
            line_end = self.starts[k] + len(self.para.contents[k])
            if a >= line_end:
                self.out_space("\n")
                a += 1
                continue
            end = min(b, line_end)
            self.out(self.buf[a:end], self.src(a), None, reveal)
            a = end

    def out(self, text: str, at: int, end: int | None, reveal: bool = False) -> None:
        self.sink.add(text, at, end, reveal=reveal)
        if self.stack:
            self.stack[-1].parts.append(text)

    def out_space(self, text: str) -> None:
        self.sink.space(text)
        if self.stack:
            self.stack[-1].parts.append(text)

    def cite(self, kind: str, i: int, marker: str | None, raw: str | None, key: str | None = None,
             locator: str = "") -> None:
        prose = self.stack[0].prose if self.stack else self.prose_at()
        self.scan.found.append(Found(kind, self.src(i), marker, raw, prose, self.in_note, key, locator))

    # scanning -----------------------------------------------------------
    def run(self) -> None:
        buf, i = self.buf, 0
        while True:
            limit = self.stack[-1].end if self.stack else len(buf)
            m = _SPECIAL.search(buf, i, limit)
            j = m.start() if m else limit
            self.emit(i, j)
            if m is None:
                if not self.stack:
                    return
                link = self.stack.pop()
                marker = _SPACE.sub(" ", "".join(link.parts)).strip() or None
                prose = self.stack[0].prose if self.stack else link.prose
                self.scan.found.append(Found("url", link.offset, marker, link.url, prose, self.in_note))
                if self.stack:
                    self.stack[-1].parts.extend(link.parts)
                i = link.after
                continue
            i = self.token(j)

    def token(self, i: int) -> int:
        """Handle the special character at ``i``; returns where to go on."""
        buf, char = self.buf, self.buf[i]
        nxt = buf[i + 1] if i + 1 < len(buf) else ""
        if char == "\\" and nxt in _PUNCT:
            self.out(nxt, self.src(i + 1), None, not self.stack and self.in_note is None)
            return i + 2
        if char == "`":
            run = _BACKTICKS.match(buf, i)
            end = self.code.get(i)
            if end is None:
                self.emit(i, run.end())
                return run.end()
            inner = buf[run.end() : end - (run.end() - i)]
            self.out(inner.strip(" "), self.src(i), self.src(end - 1) + 1)
            return end
        if char == "<":
            return self.angle(i)
        if char == "[":
            return self.bracket(i)
        if char == "!" and nxt == "[":
            after = self.link_target(i + 1)
            if after is not None:
                return after[1]  # an image: its alt text and source are no citation
        if char == "@":
            return self.intext(i)
        if char in "*_" and self.is_emphasis(i):
            if self.in_note is None and not self.stack:
                self.scan.prose.reveal(self.src(i), self.src(i) + 1)  # keeps a_b in a bare URL whole
            return i + 1
        self.emit(i, i + 1)
        return i + 1

    def angle(self, i: int) -> int:
        buf = self.buf
        if buf.startswith("<!--", i):
            end = buf.find("-->", i + 4)
            if end != -1:
                return end + 3
        m = _AUTOLINK.match(buf, i)
        if m:
            self.cite("url", i, m.group(1), m.group(1))
            self.emit(m.start(1), m.end(1), reveal=False)
            return m.end()
        m = _EMAIL_AUTOLINK.match(buf, i)
        if m:
            self.emit(m.start(1), m.end(1))
            return m.end()
        m = _TAG.match(buf, i)
        if m:
            return m.end()
        self.emit(i, i + 1)
        return i + 1

    def bracket(self, i: int) -> int:
        buf = self.buf
        m = _FOOTREF.match(buf, i)
        if m:
            label = m.group(1)
            number = self.scan.numbers.of(label)
            prose = self.stack[0].prose if self.stack else self.prose_at()
            self.scan.callouts.append(_Callout(label, self.src(i), prose, self.in_note))
            self.out(f"[{number}]", self.src(i), self.src(m.end() - 1))
            return m.end()
        close = self.close.get(i)
        if close is None:
            self.emit(i, i + 1)
            return i + 1
        after = buf[close + 1 : close + 2]
        if self.next_bracket.get(i) == close and after not in ("(", "[") and close - i < 2000:
            if self.citation(i, close):
                return close + 1
        target = self.link_target(i)
        if target is not None and len(self.stack) < MAX_LINK_DEPTH:
            url, resume = target
            self.stack.append(_Link(close, resume, url, self.src(i), self.prose_at(), len(self.sink)))
            return i + 1
        self.emit(i, i + 1)
        return i + 1

    def link_target(self, i: int) -> tuple[str, int] | None:
        """``(url, end)`` when the bracket at ``i`` opens an inline or reference link."""
        buf, close = self.buf, self.close.get(i)
        if close is None:
            return None
        if buf.startswith("(", close + 1):
            return _destination(buf, close + 2)
        if buf.startswith("[", close + 1):
            close2 = self.close.get(close + 1)
            if close2 is None or close2 - close > MAX_LABEL:
                return None
            label = buf[close + 2 : close2] or (buf[i + 1 : close] if close - i <= MAX_LABEL else "")
            url = self.scan.links.get(_label(label)) if label else None
            return (url, close2 + 1) if url else None
        if close - i <= MAX_LABEL and self.next_bracket.get(i) == close:
            url = self.scan.links.get(_label(buf[i + 1 : close]))
            return (url, close + 1) if url else None
        return None

    def citation(self, i: int, close: int) -> bool:
        """A pandoc bracketed citation ``[see @a, p. 3; -@b]``: one key citation per key."""
        content = self.buf[i + 1 : close]
        items = []
        base = i + 1
        for part in content.split(";"):
            m = _CITE_ITEM.search(part)
            if m:
                key = m.group(2).strip("{}")
                locator = _SPACE.sub(" ", part[m.end() :]).strip().lstrip(",").strip()
                items.append((base + m.start(2) - 1, key, locator))
            base += len(part) + 1
        if not items:
            return False
        for at, key, locator in items:
            self.cite("key", at, None, None, key, locator)
        self.emit(i, close + 1, reveal=False)
        return True

    def intext(self, i: int) -> int:
        """``@key`` in the running text (not ``a@b.com``), with ``@key [p. 33]``."""
        buf = self.buf
        m = _INTEXT.match(buf, i)
        if m is None or (i > 0 and _NOT_BEFORE_KEY.match(buf, i - 1)):
            self.emit(i, i + 1)
            return i + 1
        end, locator = m.end(), ""
        if buf.startswith(" [", end):
            close = self.close.get(end + 1)
            if (close is not None and self.next_bracket.get(end + 1) == close and close - end < 200
                    and buf[close + 1 : close + 2] not in ("(", "[")):
                inner = buf[end + 2 : close]
                if "@" not in inner and not inner.startswith("^"):
                    locator, end = _SPACE.sub(" ", inner).strip(), close + 1
        self.cite("key", i, None, None, m.group(1).strip("{}"), locator)
        self.emit(i, end, reveal=False)
        return end

    def is_emphasis(self, i: int) -> bool:
        """A ``*`` or ``_`` run next to a word; ``_`` inside a word (``snake_case``) stays."""
        before = self.buf[i - 1] if i else " "
        after = self.buf[i + 1] if i + 1 < len(self.buf) else " "
        if before.isspace() and after.isspace():
            return False
        return self.buf[i] == "*" or not (before.isalnum() and after.isalnum())


def _code_spans(buf: str) -> dict[int, int]:
    """Opening backtick offset -> end of its code span (CommonMark pairing, linear)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(buf)
            if not (m.start() and buf[m.start() - 1] == "\\")]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for k in range(len(runs) - 1, -1, -1):
        width = runs[k][1] - runs[k][0]
        following[k] = last.get(width)
        last[width] = k
    spans: dict[int, int] = {}
    k = 0
    while k < len(runs):
        match = following[k]
        if match is None:
            k += 1
            continue
        spans[runs[k][0]] = runs[match][1]
        k = match + 1
    return spans


def _brackets(buf: str, code: dict[int, int]) -> tuple[dict[int, int], dict[int, int]]:
    """Matching ``]`` of every ``[`` (outside code spans and escapes), and for each
    ``[`` the offset of the next bracket after it, so nesting is an O(1) test."""
    close: dict[int, int] = {}
    following: dict[int, int] = {}
    stack: list[int] = []
    previous: int | None = None
    i, n = 0, len(buf)
    while i < n:
        char = buf[i]
        if char == "\\":
            i += 2
            continue
        if char == "`" and i in code:
            i = code[i]
            continue
        if char in "[]":
            if previous is not None and previous not in following:
                following[previous] = i
            if char == "[":
                stack.append(i)
                previous = i
            else:
                if stack:
                    close[stack.pop()] = i
                previous = None
        i += 1
    return close, following


def _destination(buf: str, i: int) -> tuple[str, int] | None:
    """Parse ``url "title")`` from ``i``; returns ``(url, offset after ')')``."""
    n = len(buf)
    while i < n and buf[i] in " \t\n":
        i += 1
    if i < n and buf[i] == "<":
        end = buf.find(">", i)
        if end == -1 or "\n" in buf[i:end]:
            return None
        url, i = buf[i + 1 : end], end + 1
    else:
        start, depth = i, 0
        while i < n and not buf[i].isspace():
            if buf[i] == "\\":
                i += 2
                continue
            if buf[i] == "(":
                depth += 1
            elif buf[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        url = buf[start:i]
    while i < n and buf[i] in " \t\n":
        i += 1
    if i < n and buf[i] in "\"'(":
        closer = {"(": ")"}.get(buf[i], buf[i])
        end = buf.find(closer, i + 1)
        if end == -1:
            return None
        i = end + 1
        while i < n and buf[i] in " \t\n":
            i += 1
    if i < n and buf[i] == ")":
        return url, i + 1
    return None
