"""Web pages (HTML): visible prose, links, footnote lists and Wikipedia references.

lxml repairs whatever the page is (unclosed tags, stray end tags, garbage)
into a tree, which says what is visible, what is a footnote list and which
callout points at which note. A tree does not say where its text was in the
file, though (``sourceline`` is only the line of a tag, and stops at 65,535),
so a small tokenizer walks the same source once: every text run with its
offset and decoded entities, every tag with its offset. While the tree is
walked in document order, each element is matched to its tag and each piece
of text is found in the token stream after the last match, which gives exact
lines and columns at linear cost.

What is read: the visible prose (no scripts, styles, ``<nav>``, page
headers and footers, hidden elements or Wikipedia chrome); every ``<a href>``
as a ``url`` citation with its anchor text; footnote callouts
(``<sup><a href="#fn1">1</a></sup>``, Wikipedia's ``<sup class="reference">``)
linked to their ``<li id>`` in a note list, as markers and notes for the
footnote lint; ``<cite>`` outside notes as ``ref`` citations and
``<blockquote cite>`` as a ``url`` citation.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin

import lxml.html
from lxml import etree

from biblio.model import Document, Finding, Marker, Note, RawCitation, Severity
from biblio.read.source import LineMap, line_map
from biblio.read.visible import PlainText, VisibleText, lines_between

FORMAT = "html"
MAX_DEPTH = 1000  # deeper start tags are hidden from lxml, whose own limit would end the parse
MATCH_AHEAD = 16  # tags the tokenizer may hold that lxml dropped or implied
WINDOW = 4096  # how far past the last match a text may be (hidden text between)

SKIP_TAGS = {"script", "style", "noscript", "template", "head", "nav", "svg", "math", "iframe", "object",
             "embed", "canvas", "audio", "video", "button", "select", "textarea", "map", "title"}
RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr", "keygen"}
SELF_CLOSING = {"p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot", "rt", "rp"}
BLOCKS = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog", "div", "dl",
          "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
          "footer", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tr", "td", "th", "ul",
          "center", "body", "html"}
SKIP_ROLES = {"navigation", "banner", "contentinfo", "search"}
CHROME_CLASSES = {"noprint", "mw-editsection", "mw-jump-link", "navbox", "catlinks", "printfooter",
                  "mw-indicators", "sr-only", "visually-hidden", "hidden", "toc", "vector-toc"}
CHROME_IDS = {"mw-navigation", "mw-head", "mw-panel", "footer", "siteSub", "contentSub", "jump-to-nav", "toc",
              "vector-toc", "p-lang"}
BACKLINK_CLASSES = {"mw-cite-backlink", "footnote-back", "footnote-backref", "cite-backlink"}
NOTE_LIST_CLASSES = {"references", "footnotes", "footnotes-list", "reflist", "mw-references-wrap", "endnotes"}
NOT_LINKS = ("javascript:", "mailto:", "tel:", "data:", "#")

_ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_NAME = re.compile(r"[A-Za-z][^\s/>]*")
_ATTRIBUTE_STEP = re.compile(r">|=[ \t\n]*([\"'])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


@dataclass
class _Tokens:
    """The source as the tokenizer saw it: decoded text runs and tags, with offsets."""

    text: str = ""  # all text runs, decoded, in source order
    s_starts: list[int] = field(default_factory=list)  # offset of each run in ``text``
    src_starts: list[int] = field(default_factory=list)  # its offset in the source
    src_ends: list[int | None] = field(default_factory=list)  # None: a verbatim run
    tags: list[tuple[int, int, str]] = field(default_factory=list)  # start tags: offset, end, name
    closes: dict[int, int] = field(default_factory=dict)  # start tag index -> end of its end tag
    hidden: list[tuple[int, int]] = field(default_factory=list)  # start tags too deep for lxml
    findings: list[Finding] = field(default_factory=list)

    def source_at(self, index: int) -> int:
        """Source offset of character ``index`` of :attr:`text`."""
        k = bisect.bisect_right(self.s_starts, index) - 1
        if k < 0:
            return 0
        end = self.src_ends[k]
        return self.src_starts[k] + (index - self.s_starts[k]) if end is None else self.src_starts[k]

    def index_at(self, offset: int) -> int:
        """Index in :attr:`text` of the first character at or after source ``offset``."""
        k = bisect.bisect_right(self.src_starts, offset) - 1
        if k < 0:
            return 0
        start, end = self.src_starts[k], self.src_ends[k]
        length = (self.s_starts[k + 1] if k + 1 < len(self.s_starts) else len(self.text)) - self.s_starts[k]
        if offset == start or (end is None and offset < start + length):
            return self.s_starts[k] + offset - start
        return self.s_starts[k] + length


@dataclass
class _NoteItem:
    number: int
    block: int
    element: etree._Element
    offset: int = 0
    last: int = 0  # last source offset of its text
    text: str = ""
    seen: bool = False  # False when the list is hidden, or nested in another note


@dataclass
class _Found:
    kind: str  # footnote, url, ref
    offset: int
    marker: str | None
    raw: str | None
    prose: int | None
    note: _NoteItem | None = None  # the note the citation sits in
    target: _NoteItem | None = None  # a callout's note
    target_id: str = ""


@dataclass
class _Open:
    """An element whose text is being collected (a link, callout, ``<cite>``, note)."""

    element: etree._Element
    found: _Found | None
    parts: list[str] = field(default_factory=list)
    note: _NoteItem | None = None
    sink: PlainText | None = None


def read(path: str, name: str, text: str, sha256: str, size: int) -> Document:
    """Read one HTML page into a :class:`~biblio.model.Document`."""
    lines = line_map(text)
    tokens = _tokenize(path, text, lines)
    findings = list(tokens.findings)
    root = _parse(path, text, tokens, findings)
    walk = _Walk(text, tokens, root, lines) if root is not None else None
    if walk is not None:
        walk.run()
    prose = walk.prose if walk else VisibleText(text)
    prose.paragraph()
    passages, passage_at = prose.passages(lines)
    items = [item for item in walk.items if item.seen] if walk else []
    markers, notes, citations = _citations(items, walk.found if walk else [], lines, passage_at)
    note_lines = {n for item in items for n in lines_between(lines, item.offset, item.last)}
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
        findings=tuple(findings),
        text=prose.masked(),
        skip_lines=frozenset(note_lines - prose.lines(lines)),
    )


def _citations(items: list[_NoteItem], found: list[_Found], lines: LineMap,
               passage_at: Callable[[int], int | None]) -> tuple[list[Marker], list[Note], list[RawCitation]]:
    """Markers, notes and citations in document order, then the notes no callout cites.

    A note cited again (a reused Wikipedia reference) gets a citation but no
    second marker: it is not out of order. A callout to a missing note is a
    marker of block -1, which the lint reports as an orphan.
    """
    markers: list[Marker] = []
    citations: list[RawCitation] = []
    notes = [Note(item.number, *lines.locate(item.offset), item.text, "html", item.block) for item in items]
    note_passage: dict[int, int | None] = {}
    orphans = 0
    for f in found:
        line, column = lines.locate(f.offset)
        passage = passage_at(f.prose) if f.prose is not None else None
        target = f.target if f.target is not None and f.target.seen else None
        if f.kind == "footnote" and target is not None:
            if id(target) not in note_passage:
                markers.append(Marker(target.number, line, column, f.offset, target.block, passage))
            note_passage.setdefault(id(target), passage)
            note_line, note_column = lines.locate(target.offset)
            citations.append(RawCitation("footnote", line, column, f.marker, target.text, note_line, passage,
                                         target.block, note_column=note_column))
        elif f.kind == "footnote":
            orphans += 1
            digits = _DIGITS.search(f.marker or "")
            markers.append(Marker(int(digits.group(0)) if digits else orphans, line, column, f.offset, -1, passage))
            citations.append(RawCitation("footnote", line, column, f.marker, None, None, passage, -1))
        elif f.note is not None:  # a link inside a note: the passage is that of the note's callout
            citations.append(RawCitation(f.kind, line, column, f.marker, f.raw, lines.line_of(f.note.offset),
                                         note_passage.get(id(f.note))))
        else:
            citations.append(RawCitation(f.kind, line, column, f.marker, f.raw, None, passage))
    for item, note in zip(items, notes, strict=True):
        if id(item) not in note_passage:
            citations.append(RawCitation("footnote", note.line, note.column, None, item.text, note.line, None,
                                         item.block, note_column=note.column))
    return markers, notes, citations


# -- the source, token by token ----------------------------------------------------------------------


def _tokenize(path: str, text: str, lines: LineMap) -> _Tokens:
    """Text runs and tags with offsets, in one pass (never backtracking on a quote)."""
    out = _Tokens()
    runs: list[str] = []
    length = 0
    no_more: set[str] = set()  # quote characters with no occurrence left in the file
    stack: list[tuple[str, int]] = []  # open elements: name, index in out.tags
    raw_end: dict[str, re.Pattern[str]] = {}
    n, pos, text_start = len(text), 0, 0

    def add_text(start: int, end: int) -> None:
        nonlocal length
        for piece_start, piece_end, decoded in _decode(text, start, end):
            out.s_starts.append(length)
            out.src_starts.append(piece_start)
            out.src_ends.append(piece_end)
            runs.append(decoded)
            length += len(decoded)

    while pos < n:
        lt = text.find("<", pos)
        if lt == -1:
            break
        nxt = text[lt + 1 : lt + 2]
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
            end = n if end == -1 else end + 3
        elif nxt in ("!", "?"):
            end = text.find(">", lt)
            end = n if end == -1 else end + 1
        elif nxt == "/" and _NAME.match(text, lt + 2):
            name = _NAME.match(text, lt + 2).group(0).lower()
            end = text.find(">", lt)
            end = n if end == -1 else end + 1
            for depth in range(len(stack) - 1, max(-1, len(stack) - 65), -1):
                if stack[depth][0] == name:
                    out.closes[stack[depth][1]] = end
                    del stack[depth:]
                    break
        elif nxt.isalpha():
            name = _NAME.match(text, lt + 1).group(0).lower()
            end = _tag_end(text, lt + 1 + len(name), no_more)
            if name in SELF_CLOSING:
                for depth in range(len(stack) - 1, max(-1, len(stack) - 4), -1):
                    if stack[depth][0] == name:
                        del stack[depth:]
                        break
            if len(stack) >= MAX_DEPTH:
                if not out.hidden:
                    line, column = lines.locate(lt)
                    out.findings.append(Finding(path, line, column, "html-too-deep", Severity.WARNING,
                                                f"elements nest more than {MAX_DEPTH} deep; deeper tags are ignored"))
                out.hidden.append((lt, end))
            else:
                out.tags.append((lt, end, name))
                if name not in VOID and not text.startswith("/>", end - 2):
                    stack.append((name, len(out.tags) - 1))
            if name in RAW_TEXT:
                pattern = raw_end.setdefault(name, re.compile(r"</" + name + r"[\s>/]", re.I))
                m = pattern.search(text, end)
                add_text(text_start, lt)
                pos = text_start = m.start() if m else n
                continue
        else:
            pos = lt + 1
            continue
        add_text(text_start, lt)
        pos = text_start = end
    add_text(text_start, n)
    out.text = "".join(runs)
    return out


def _tag_end(text: str, pos: int, no_more: set[str]) -> int:
    """Offset after the ``>`` closing a start tag, stepping over quoted values.

    As in browsers, a quote opens a value only after ``=`` and the value runs
    to the same quote, however far. A quote never closed ends nothing (the tag
    ends at the next ``>``); remembering that no such quote is left keeps
    garbage linear.
    """
    n = len(text)
    while True:
        m = _ATTRIBUTE_STEP.search(text, pos)
        if m is None:
            return n
        if m.group(0) == ">":
            return m.end()
        quote = m.group(1)
        close = -1 if quote in no_more else text.find(quote, m.end())
        if close == -1:
            no_more.add(quote)
            gt = text.find(">", m.end())
            return n if gt == -1 else gt + 1
        pos = close + 1


def _decode(text: str, start: int, end: int) -> list[tuple[int, int | None, str]]:
    """``(source start, source end or None if verbatim, decoded)`` runs of a text span."""
    if start >= end:
        return []
    if "&" not in text[start:end]:
        return [(start, None, text[start:end])]
    out: list[tuple[int, int | None, str]] = []
    pos = start
    for m in _ENTITY.finditer(text, start, end):
        decoded = html.unescape(m.group(0))
        if decoded == m.group(0):
            continue
        if m.start() > pos:
            out.append((pos, None, text[pos : m.start()]))
        out.append((m.start(), m.end(), decoded))
        pos = m.end()
    if pos < end:
        out.append((pos, None, text[pos:end]))
    return out


def _parse(path: str, text: str, tokens: _Tokens, findings: list[Finding]) -> etree._Element | None:
    """The lxml tree, or ``None`` with a finding when nothing could be parsed."""
    if tokens.hidden:
        parts, pos = [], 0
        for start, end in tokens.hidden:
            parts.extend((text[pos:start], " " * (end - start)))
            pos = end
        parts.append(text[pos:])
        text = "".join(parts)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.LxmlError, ValueError) as exc:
        if text.strip():
            findings.append(Finding(path, 1, 1, "unparsable-html", Severity.WARNING,
                                    f"no HTML content could be read: {exc}"))
        return None
    for error in parser.error_log:
        if error.level_name == "FATAL":
            findings.append(Finding(path, max(error.line, 1), max(error.column, 1), "unparsable-html",
                                    Severity.WARNING, f"the HTML parser stopped here: {error.message.strip()}"))
            break
    return root


# -- the tree, in document order ------------------------------------------------------------------


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


class _Walk:
    """Walks the tree once, matching it to the tokens, into prose and citations."""

    def __init__(self, source: str, tokens: _Tokens, root: etree._Element, lines: LineMap) -> None:
        self.tokens = tokens
        self.lines = lines
        self.root = root
        self.prose = VisibleText(source)
        self.found: list[_Found] = []
        self.items: list[_NoteItem] = []
        self.by_element: dict[etree._Element, _NoteItem] = {}
        self.by_id: dict[str, _NoteItem] = {}
        self.where: dict[etree._Element, int] = {}
        self.tag_index: dict[etree._Element, int] = {}
        self.open: list[_Open] = []
        self.cursor = 0  # index in tokens.text after the last text found
        self.next_tag = 0
        base = root.find(".//base[@href]")
        self.base = base.get("href") if base is not None else ""
        self._note_lists()

    # structure ----------------------------------------------------------
    def _note_lists(self) -> None:
        """Note lists: ``ol.references``, lists in a footnotes section, or lists whose
        items are the targets of in-page links."""
        targets = set()
        for a in self.root.iter("a"):
            href = a.get("href") or ""
            if href.startswith("#") and len(href) > 1:
                targets.add(unquote(href[1:]))
        for ol in self.root.iter("ol"):
            explicit = ol.get("role") == "doc-endnotes" or bool(_classes(ol) & NOTE_LIST_CLASSES) or any(
                _classes(up) & NOTE_LIST_CLASSES or up.get("role") == "doc-endnotes" for up in ol.iterancestors()
            )
            items = [li for li in ol if li.tag == "li"]
            if not explicit and not any(li.get("id") in targets for li in items):
                continue
            block = len({i.block for i in self.items})
            first = int(ol.get("start")) if (ol.get("start") or "").isdigit() else 1
            for position, li in enumerate(items):
                if explicit or li.get("id") in targets:
                    item = _NoteItem(first + position, block, li)
                    self.items.append(item)
                    self.by_element[li] = item
                    if li.get("id"):
                        self.by_id.setdefault(li.get("id"), item)

    def hidden(self, el: etree._Element) -> bool:
        tag = el.tag
        if tag in SKIP_TAGS or el.get("hidden") is not None or el.get("aria-hidden") == "true":
            return True
        if el.get("role") in SKIP_ROLES or el.get("id") in CHROME_IDS or _classes(el) & CHROME_CLASSES:
            return True
        style = el.get("style")
        if style and _HIDDEN_STYLE.search(style):
            return True
        if tag in ("header", "footer"):  # a page's header/footer, not an article's
            return not any(up.tag in ("article", "main", "section", "aside") for up in el.iterancestors())
        if self.note() is not None:  # the "^ a b" links back from a note to its callouts
            href = el.get("href") or ""
            return bool(_classes(el) & BACKLINK_CLASSES) or el.get("role") == "doc-backlink" or (
                tag == "a" and href.startswith("#") and (el.text or "").strip() in ("↩", "^", "↑", "↩︎"))
        return False

    def note(self) -> _NoteItem | None:
        for o in reversed(self.open):
            if o.note is not None:
                return o.note
        return None

    # positions ----------------------------------------------------------
    def match(self, el: etree._Element) -> None:
        """Pair ``el`` with its start tag (implied elements have none)."""
        tags, name = self.tokens.tags, el.tag
        # lxml's line is that of the tag's ">", and stops counting at 65,535
        line = el.sourceline if isinstance(el.sourceline, int) and el.sourceline < 65535 else None
        for k in range(self.next_tag, min(len(tags), self.next_tag + MATCH_AHEAD)):
            start, end, tag = tags[k]
            if tag != name:
                continue
            if line is not None and not self.lines.line_of(start) <= line <= self.lines.line_of(end - 1):
                return  # an element lxml implied (tbody, p…); the tag found belongs to a later one
            self.where[el] = start
            self.tag_index[el] = k
            self.next_tag = k + 1
            self.cursor = max(self.cursor, self.tokens.index_at(end))
            return

    def position(self, el: etree._Element) -> int:
        if el in self.where:
            return self.where[el]
        return self.tokens.source_at(self.cursor)

    def sync_end(self, el: etree._Element) -> None:
        k = self.tag_index.get(el)
        if k is not None and k in self.tokens.closes:
            self.cursor = max(self.cursor, self.tokens.index_at(self.tokens.closes[k]))

    # output -------------------------------------------------------------
    def sink(self) -> VisibleText | PlainText:
        for o in reversed(self.open):
            if o.sink is not None:
                return o.sink
        return self.prose

    def prose_offset(self) -> int | None:
        return None if self.note() is not None else len(self.prose)

    def paragraph(self) -> None:
        self.sink().paragraph()

    def emit(self, chunk: str | None) -> None:
        """Put a text node of the tree into the current sink, located in the source."""
        if not chunk:
            return
        core = chunk.strip()
        sink = self.sink()
        if not core:
            sink.space(" ")
            return
        if chunk[0].isspace():
            sink.space(" ")
        for o in self.open:
            if o.found is not None or o.note is not None:
                o.parts.append(chunk)
        reveal = sink is self.prose and not any(o.found is not None for o in self.open)
        tokens = self.tokens
        found = tokens.text.find(core, self.cursor, self.cursor + len(core) + WINDOW)
        if found == -1:
            sink.add(core, tokens.source_at(self.cursor), tokens.source_at(self.cursor), reveal=False)
        else:
            self._add_runs(sink, found, found + len(core), reveal)
            self.cursor = found + len(core)
            note = self.note()
            if note is not None:
                note.last = max(note.last, tokens.source_at(self.cursor - 1))
        if chunk[-1].isspace():
            sink.space(" ")

    def _add_runs(self, sink: VisibleText | PlainText, a: int, b: int, reveal: bool) -> None:
        """Copy ``tokens.text[a:b]`` to the sink run by run (each run keeps its source offset)."""
        tokens = self.tokens
        k = bisect.bisect_right(tokens.s_starts, a) - 1
        while a < b:
            run_end = tokens.s_starts[k + 1] if k + 1 < len(tokens.s_starts) else len(tokens.text)
            stop = min(b, run_end)
            piece = tokens.text[a:stop]
            src_end = tokens.src_ends[k]
            if src_end is None:
                sink.add(piece, tokens.src_starts[k] + a - tokens.s_starts[k], reveal=reveal)
            else:
                sink.add(piece, tokens.src_starts[k], src_end, reveal=reveal)
            a, k = stop, k + 1

    # the walk -----------------------------------------------------------
    def run(self) -> None:
        skipping: etree._Element | None = None
        for event, el in etree.iterwalk(self.root, events=("start", "end")):
            if not isinstance(el.tag, str):
                continue
            if event == "start":
                self.match(el)
                if skipping is not None:
                    continue
                if self.hidden(el):
                    skipping = el
                    continue
                self.start(el)
                self.emit(el.text)
                continue
            if skipping is not None:
                if el is not skipping:
                    continue
                skipping = None
                self.sync_end(el)
            else:
                self.sync_end(el)
                self.end(el)
            self.emit(el.tail)

    def start(self, el: etree._Element) -> None:
        tag = el.tag
        if tag in BLOCKS:
            self.paragraph()
        item = self.by_element.get(el)
        if item is not None and self.note() is None:
            item.offset = item.last = self.position(el)
            item.seen = True
            self.open.append(_Open(el, None, note=item, sink=PlainText()))
            return
        if tag == "a":
            self.link(el)
        elif tag == "cite" and self.note() is None:
            self.open.append(_Open(el, _Found("ref", self.position(el), None, None, self.prose_offset())))
        elif tag == "blockquote" and el.get("cite"):
            url = self.absolute(el.get("cite"))
            self.found.append(_Found("url", self.position(el), None, url, self.prose_offset(), self.note()))

    def link(self, el: etree._Element) -> None:
        href = (el.get("href") or "").strip()
        if not href:
            return
        if href.startswith("#"):
            target = unquote(href[1:])
            item = self.by_id.get(target)
            parent = el.getparent()
            in_sup = parent is not None and parent.tag == "sup"
            looks_like = in_sup or bool(_classes(el) & {"footnote-ref", "reference"}) or (
                el.get("role") == "doc-noteref") or (parent is not None and "reference" in _classes(parent))
            if self.note() is None and (item is not None or looks_like):
                where = self.position(parent) if in_sup and parent is not None else self.position(el)
                found = _Found("footnote", where, None, None, self.prose_offset(), target=item, target_id=target)
                self.open.append(_Open(el, found))
            return
        if href.lower().startswith(NOT_LINKS):
            return
        found = _Found("url", self.position(el), None, self.absolute(href), self.prose_offset(), self.note())
        self.open.append(_Open(el, found))

    def absolute(self, href: str) -> str:
        return urljoin(self.base, href) if self.base else href

    def end(self, el: etree._Element) -> None:
        if self.open and self.open[-1].element is el:
            o = self.open.pop()
            text = _SPACE.sub(" ", "".join(o.parts)).strip()
            if o.note is not None and o.sink is not None:
                o.note.text = o.sink.text()
            elif o.found is not None:
                f = o.found
                if f.kind == "footnote":
                    f.marker = text.strip("[]() ") or f.target_id
                elif f.kind == "url":
                    f.marker = text or None
                else:
                    f.raw = text
                if f.kind != "ref" or text:
                    self.found.append(f)
        if el.tag in BLOCKS:
            self.paragraph()
