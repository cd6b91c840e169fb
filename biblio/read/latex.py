"""LaTeX drafts: ``\\cite`` keys with their locators, footnotes, URLs, prose.

TeX cannot be parsed without running it, so this reader does what a careful
person skimming the source does: it matches braces once (a linear scan that
skips comments, ``\\verb`` and verbatim environments, and reports every
unbalanced brace as a finding instead of failing), then walks the body with a
flat token loop. Arguments it cares about (footnote bodies, ``\\href`` text,
section titles) open a context on an explicit stack, never a recursive call,
so 10,000 nested braces cost no more than 10,000 letters.

* ``\\cite``-family commands (natbib and biblatex, starred, capitalised,
  ``\\cites`` multi-cites) give one ``key`` citation per key; the postnote is
  the locator of the last key of its group (``\\cite[see][p.~33]{a,b}``:
  ``b`` at p. 33), as natbib and biblatex print it;
* ``\\footnote{…}`` gives a marker and a note (numbered like LaTeX does) so
  Ibid. resolution and the footnote lint work as for any other format;
* ``\\url``, ``\\href`` and ``\\doi`` give ``url`` and ``doi`` citations.

Other commands are dropped and their brace groups read as text, which is
right for ``\\emph{…}`` and harmless for the rest; commands whose arguments
are not prose (``\\label``, ``\\ref``, ``\\includegraphics``…) lose them.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from biblio.model import Document, Finding, Marker, Note, RawCitation, Severity
from biblio.read.source import LineMap, line_map
from biblio.read.visible import Found, PlainText, VisibleText, lines_between

FORMAT = "latex"
MAX_DEPTH = 64

CITE_COMMANDS = {
    "cite", "citep", "citet", "citealp", "citealt", "citeauthor", "citeyear", "citeyearpar", "citetitle",
    "parencite", "textcite", "footcite", "footcitetext", "autocite", "smartcite", "supercite", "fullcite",
    "Cite", "Citep", "Citet", "Citealp", "Citealt", "Citeauthor", "Parencite", "Textcite", "Footcite",
    "Autocite", "Smartcite", "Supercite",
}
MULTI_CITE_COMMANDS = {"cites", "parencites", "textcites", "footcites", "autocites", "smartcites", "supercites",
                       "Cites", "Parencites", "Textcites", "Footcites", "Autocites", "Smartcites"}
SECTIONS = {"part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph", "caption"}
# commands whose first N brace arguments are not prose
DROP_ARGS = {
    "label": 1, "ref": 1, "eqref": 1, "pageref": 1, "autoref": 1, "cref": 1, "Cref": 1, "nameref": 1, "vref": 1,
    "includegraphics": 1, "input": 1, "include": 1, "bibliography": 1, "bibliographystyle": 1,
    "addbibresource": 1, "usepackage": 1, "documentclass": 1, "vspace": 1, "hspace": 1, "setlength": 2,
    "addtolength": 2, "newcommand": 2, "renewcommand": 2, "providecommand": 2, "newenvironment": 3,
    "renewenvironment": 3, "setcounter": 2, "addtocounter": 2, "addcontentsline": 3, "thispagestyle": 1,
    "pagestyle": 1, "hypersetup": 1, "index": 1, "graphicspath": 1, "color": 1, "textcolor": 1,
    "colorbox": 1, "definecolor": 3, "nocite": 1, "bibitem": 1, "rule": 2, "footnotemark": 0, "linespread": 1,
    "DeclareMathOperator": 2, "newtheorem": 2, "selectlanguage": 1, "foreignlanguage": 1, "geometry": 1,
}
ENV_ARGS = {"tabular": 1, "tabular*": 2, "tabularx": 2, "longtable": 1, "array": 1, "minipage": 1,
            "thebibliography": 1, "multicols": 1, "wrapfigure": 2, "otherlanguage": 1}
SKIP_ENVS = {"equation", "equation*", "align", "align*", "eqnarray", "eqnarray*", "gather", "gather*",
             "multline", "multline*", "math", "displaymath", "tikzpicture", "filecontents", "filecontents*"}
VERBATIM_ENVS = ("verbatim", "verbatim*", "Verbatim", "Verbatim*", "lstlisting", "minted", "comment", "alltt")
ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
           ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328",
           "r": "\u030a", "d": "\u0323", "b": "\u0331"}
SYMBOLS = {
    "ldots": "…", "dots": "…", "textellipsis": "…", "textendash": "–", "textemdash": "—", "S": "§", "P": "¶",
    "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "l": "ł",
    "L": "Ł", "i": "ı", "LaTeX": "LaTeX", "TeX": "TeX", "textquoteleft": "‘", "textquoteright": "’",
    "textquotedblleft": "“", "textquotedblright": "”", "guillemotleft": "«", "guillemotright": "»",
    "textasciitilde": "~", "textbackslash": "\\", "textbar": "|", "copyright": "©", "pounds": "£",
    "euro": "€", "textdegree": "°", "quad": " ", "qquad": " ", "enspace": " ", "thinspace": " ",
    "newline": " ", "linebreak": " ", "par": "\n\n", "noindent": "", "centering": "", "maketitle": "",
}
ESCAPES = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", ",": " ", ";": " ", ":": " ",
           " ": " ", "\n": " ", "\\": " ", "-": "", "/": "", "@": "", "!": "", "|": "|"}

_PRESCAN = re.compile(
    r"\\begin\s*\{(" + "|".join(re.escape(e) for e in VERBATIM_ENVS) + r")\}"
    r"|\\verb\*?([^A-Za-z\s*])"
    r"|\\(?:url|href|nolinkurl|doi)\s*\{[^{}\n]*\}"
    r"|\\[^A-Za-z]|\\[A-Za-z@]+|\\$|%[^\n]*|[{}]"
)
_TOKEN = re.compile(r"\\(?:[A-Za-z@]+\*?|[^A-Za-z]|$)|%|[{}~$]|\n[ \t]*\n\s*|---?|``|''")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BEGIN_DOCUMENT = re.compile(r"^[^%\n]*?\\begin\s*\{document\}", re.M)
_ENV_NAME = re.compile(r"\s*\{([^{}\n]{1,40})\}")
_KEYS = re.compile(r"[^,\s]+")
_FI = re.compile(r"\\fi(?![A-Za-z])")
_UNESCAPE = re.compile(r"\\([%#_&~$])")
_SMALL_COMMAND = re.compile(r"\\[A-Za-z@]+\*?\s*|\\(.)|[{}]")
_OPTIONAL_STOP = re.compile(r"(?:[^\]{\\]++|\\.)*+[\]{]", re.S)
_SPACE = re.compile(r"\s+")


@dataclass
class _Braces:
    """Brace pairs of the whole file and the spans that are not TeX (comments, verbatim)."""

    close: dict[int, int] = field(default_factory=dict)
    skips: dict[int, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class _Context:
    """An argument being read: a footnote body, ``\\href`` text, a section title."""

    kind: str
    end: int  # source offset where the argument stops (its closing brace)
    after: int  # where reading resumes
    start: int  # source offset of the command
    prose: int | None  # offset in the body prose where the command sits
    sink: PlainText | None = None  # a footnote's own text
    url: str = ""
    parts: list[str] = field(default_factory=list)  # an ``\\href``'s link text
    number: int = 0
    body: int = 0  # source offset where a footnote's text starts


@dataclass
class _Footnote:
    number: int
    command: int
    body: int
    end: int
    prose: int | None
    text: str



def read(path: str, name: str, text: str, sha256: str, size: int) -> Document:
    """Read one LaTeX document into a :class:`~biblio.model.Document`."""
    lines = line_map(text)
    braces = _prescan(path, text, lines)
    begin = _BEGIN_DOCUMENT.search(text)
    scan = _Scanner(text, braces)
    scan.run(begin.end() if begin else 0)
    prose = scan.prose
    prose.paragraph()
    passages, passage_at = prose.passages(lines)

    def passage(offset: int | None) -> int | None:
        return passage_at(offset) if offset is not None else None

    markers, notes, citations = [], [], []
    for f in scan.footnotes:
        line, column = lines.locate(f.command)
        note_line, note_column = lines.locate(f.body)
        markers.append(Marker(f.number, line, column, f.command, 0, passage(f.prose)))
        notes.append(Note(f.number, note_line, note_column, f.text, "latex", 0))
        citations.append(RawCitation("footnote", line, column, str(f.number), f.text, note_line, passage(f.prose), 0,
                                     note_column=note_column))
    for found in scan.found:
        line, column = lines.locate(found.offset)
        citations.append(RawCitation(found.kind, line, column, found.marker, found.raw, None, passage(found.prose),
                                     locator=found.locator, key=found.key))
    citations.sort(key=lambda c: (c.line, c.column))
    note_lines = {n for f in scan.footnotes for n in lines_between(lines, f.body, f.end)}
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
        findings=tuple(sorted(braces.findings, key=lambda f: (f.line, f.column))),
        text=prose.masked(),
        skip_lines=frozenset(note_lines - prose.lines(lines)),
    )


def _prescan(path: str, text: str, lines: LineMap) -> _Braces:
    """Match every brace in one pass; unbalanced ones become findings."""
    out = _Braces()
    stack: list[int] = []
    stray_line = 0
    pos, n = 0, len(text)
    while pos < n:
        m = _PRESCAN.search(text, pos)
        if m is None:
            break
        token, start = m.group(0), m.start()
        pos = m.end()
        if m.group(1):
            end = text.find("\\end{" + m.group(1) + "}", pos)
            if end == -1:
                line, column = lines.locate(start)
                out.findings.append(Finding(path, line, column, "unclosed-verbatim", Severity.WARNING,
                                            f"\\begin{{{m.group(1)}}} is never ended; the rest of the file is skipped"))
                end = n
            pos = out.skips[start] = end
        elif m.group(2):
            line_end = text.find("\n", pos)
            end = text.find(m.group(2), pos, n if line_end == -1 else line_end)
            if end != -1:
                pos = out.skips[start] = end + 1
        elif token.startswith("%"):
            out.skips[start] = pos
        elif token[0] == "\\" and token.endswith("}") and "{" in token:
            open_at = text.index("{", start)
            out.close[open_at] = pos - 1
        elif token == "{":
            stack.append(start)
        elif token == "}":
            if stack:
                out.close[stack.pop()] = start
            else:
                line, column = lines.locate(start)
                if line != stray_line:  # one finding per line, not one per brace
                    out.findings.append(Finding(path, line, column, "unbalanced-brace", Severity.ERROR,
                                                "this } closes no {"))
                stray_line = line
    if stack:
        line, column = lines.locate(stack[0])
        more = f" ({len(stack)} braces are left open)" if len(stack) > 1 else ""
        out.findings.append(Finding(path, line, column, "unbalanced-brace", Severity.ERROR,
                                    f"this {{ is never closed{more}; its argument is read to the end of the paragraph"))
    return out


class _Scanner:
    """The body, token by token, into prose, footnotes and citations."""

    def __init__(self, text: str, braces: _Braces) -> None:
        self.text, self.braces = text, braces
        self.prose = VisibleText(text)
        self.stack: list[_Context] = []
        self.footnotes: list[_Footnote] = []
        self.found: list[Found] = []
        self.paragraph_ends = [m.start() for m in _BLANK_LINE.finditer(text)]
        self.next_footnote = 1

    # where things go ----------------------------------------------------
    def sink(self) -> VisibleText | PlainText:
        for ctx in reversed(self.stack):
            if ctx.sink is not None:
                return ctx.sink
        return self.prose

    def prose_offset(self) -> int | None:
        """Where a citation sits in the body prose (a footnote's citations sit at its marker)."""
        for ctx in self.stack:
            if ctx.kind == "footnote":
                return ctx.prose
        return len(self.prose)

    def out(self, text: str, at: int, end: int | None = None, reveal: bool = True) -> None:
        sink = self.sink()
        top = self.stack[-1] if self.stack else None
        sink.add(text, at, end, reveal=reveal and sink is self.prose and (top is None or top.kind == "section"))
        if top is not None and top.kind == "href":
            top.parts.append(text)

    def paragraph(self) -> None:
        self.sink().paragraph()

    # arguments ----------------------------------------------------------
    def paragraph_end(self, pos: int) -> int:
        i = bisect.bisect_left(self.paragraph_ends, pos)
        return self.paragraph_ends[i] if i < len(self.paragraph_ends) else len(self.text)

    def skip_space(self, pos: int) -> int:
        text, n = self.text, len(self.text)
        newline = False
        while pos < n and text[pos] in " \t\n":
            if text[pos] == "\n":
                if newline:
                    break
                newline = True
            pos += 1
        return pos

    def optional(self, pos: int) -> tuple[str, int] | None:
        """``[…]`` at ``pos`` (braces inside skipped whole): its content and the offset after it."""
        text = self.text
        if not text.startswith("[", pos):
            return None
        limit, i = min(self.paragraph_end(pos), pos + 1000), pos + 1
        while (m := _OPTIONAL_STOP.match(text, i, limit)) is not None:
            i = m.end() - 1
            if text[i] == "]":
                return text[pos + 1 : i], i + 1
            close = self.braces.close.get(i)  # a brace group: "]" inside it does not count
            if close is None:
                return None
            i = close + 1
        return None

    def group(self, pos: int) -> tuple[int, int, int] | None:
        """``{…}`` at ``pos``: content start, content end, offset after it. An unclosed
        brace (already a finding) runs to the end of its paragraph."""
        if not self.text.startswith("{", pos):
            return None
        close = self.braces.close.get(pos)
        if close is None:
            end = self.paragraph_end(pos)
            return pos + 1, end, end
        return pos + 1, close, close + 1

    def drop_args(self, pos: int, count: int) -> int:
        """Skip optional arguments and ``count`` brace groups after a command."""
        while True:
            after = self.skip_space(pos)
            opt = self.optional(after)
            if opt is not None:
                pos = opt[1]
                continue
            if count and (grp := self.group(after)) is not None:
                pos, count = grp[2], count - 1
                continue
            return pos

    # the walk -----------------------------------------------------------
    def run(self, pos: int) -> None:
        text = self.text
        end_of_text = len(text)
        while True:
            limit = self.stack[-1].end if self.stack else end_of_text
            m = _TOKEN.search(text, pos, limit) if pos < limit else None
            j = m.start() if m else limit
            if j > pos:
                self.out(text[pos:j], pos)
            if m is None:
                if not self.stack:
                    return
                pos = self.close(self.stack.pop())
                continue
            pos = self.token(m)
            if pos < 0:  # \end{document}: what is still open ends here
                while self.stack:
                    self.close(self.stack.pop())
                return

    def close(self, ctx: _Context) -> int:
        if ctx.kind == "footnote":
            assert ctx.sink is not None
            self.footnotes.append(_Footnote(ctx.number, ctx.start, ctx.body, ctx.end, ctx.prose, ctx.sink.text()))
        elif ctx.kind == "href":
            marker = _SPACE.sub(" ", "".join(ctx.parts)).strip() or None
            if self.stack and self.stack[-1].kind == "href":
                self.stack[-1].parts.extend(ctx.parts)
            self.found.append(Found("url", ctx.start, marker, ctx.url, ctx.prose))
        elif ctx.kind == "section":
            self.paragraph()
        return ctx.after

    def token(self, m: re.Match[str]) -> int:
        """Handle one token; returns where to go on (-1: ``\\end{document}``)."""
        tok, start = m.group(0), m.start()
        if start in self.braces.skips:  # a comment, \verb or a verbatim environment
            return self.braces.skips[start]
        if tok == "%":
            return m.end()
        if tok in ("{", "}"):
            return m.end()
        if tok == "~":
            self.out(" ", start, m.end())
            return m.end()
        if tok == "$":
            return self.math(start)
        if tok[0] == "\n":
            self.paragraph()
            return m.end()
        if tok[0] != "\\":
            self.out({"---": "—", "--": "–", "``": "“", "''": "”"}[tok], start, m.end())
            return m.end()
        name = tok[1:]
        if not name[:1].isalpha() and name[:1] != "@":
            return self.symbol(name, start, m.end())
        return self.command(name.rstrip("*"), start, m.end())

    def symbol(self, char: str, start: int, end: int) -> int:
        if char in ACCENTS:
            return self.accent(char, start, end)
        if char == "(":
            close = self.text.find("\\)", end)
            return close + 2 if close != -1 else end
        if char == "[":
            close = self.text.find("\\]", end)
            return close + 2 if close != -1 else end
        if char == "\\":
            self.out(" ", start, end)
            return self.drop_args(end, 0)
        self.out(ESCAPES.get(char, char), start, end)
        return end

    def accent(self, mark: str, start: int, end: int) -> int:
        text, pos = self.text, end
        if mark.isalpha():
            pos = self.skip_space(pos)
        grp = self.group(pos)
        if grp is not None and grp[1] - grp[0] <= 3:
            base, after = text[grp[0] : grp[1]].replace("\\i", "i").replace("\\j", "j"), grp[2]
        elif pos < len(text) and not text[pos].isspace() and text[pos] not in "{}\\":
            base, after = text[pos], pos + 1
        else:
            return end
        self.out(unicodedata.normalize("NFC", base + ACCENTS[mark]), start, after)
        return after

    def math(self, start: int) -> int:
        """Skip ``$…$`` / ``$$…$$`` within the paragraph."""
        text = self.text
        double = text.startswith("$$", start)
        limit = self.paragraph_end(start)
        pos = start + (2 if double else 1)
        while True:
            close = text.find("$$" if double else "$", pos, limit)
            if close == -1:
                return start + 1
            if text[close - 1] != "\\":
                return close + (2 if double else 1)
            pos = close + 1

    def command(self, name: str, start: int, end: int) -> int:
        text = self.text
        if name in CITE_COMMANDS:
            return self.cite(start, end, multi=False)
        if name in MULTI_CITE_COMMANDS:
            return self.cite(start, end, multi=True)
        if name in ("footnote", "endnote"):
            return self.footnote(start, end)
        if name in ("url", "nolinkurl", "doi"):
            grp = self.group(self.skip_space(end))
            if grp is None:
                return end
            value = _UNESCAPE.sub(r"\1", text[grp[0] : grp[1]]).strip()
            kind = "doi" if name == "doi" else "url"
            self.found.append(Found(kind, start, None, value, self.prose_offset()))
            self.out(value, grp[0], grp[1], reveal=False)
            return grp[2]
        if name == "href":
            return self.href(start, end)
        if name == "begin":
            return self.begin(start, end)
        if name == "end":
            env = _ENV_NAME.match(text, end)
            if env and env.group(1) == "document":
                return -1
            self.paragraph()
            return env.end() if env else end
        if name in SECTIONS:
            self.paragraph()
            after = self.drop_args(end, 0)
            grp = self.group(self.skip_space(after))
            if grp is None or len(self.stack) >= MAX_DEPTH:
                return after
            self.stack.append(_Context("section", grp[1], grp[2], start, self.prose_offset()))
            return grp[0]
        if name in ("item", "bibitem"):
            self.paragraph()
            return self.drop_args(end, DROP_ARGS.get(name, 0))
        if name == "iffalse":
            fi = _FI.search(text, end)
            return fi.end() if fi else end
        if name in ACCENTS:
            return self.accent(name, start, end)
        if name in SYMBOLS:
            value = SYMBOLS[name]
            if value == "\n\n":
                self.paragraph()
            elif value:
                self.out(value, start, end)
            return end
        if name in DROP_ARGS:
            return self.drop_args(end, DROP_ARGS[name])
        return end

    def begin(self, start: int, end: int) -> int:
        env = _ENV_NAME.match(self.text, end)
        if env is None:
            return end
        name = env.group(1).strip()
        if name == "document":
            return env.end()
        if name in SKIP_ENVS:
            close = self.text.find("\\end{" + name + "}", env.end())
            return close + len(name) + 6 if close != -1 else env.end()
        self.paragraph()
        return self.drop_args(env.end(), ENV_ARGS.get(name, 0))

    def footnote(self, start: int, end: int) -> int:
        after = self.skip_space(end)
        number = self.next_footnote
        opt = self.optional(after)
        if opt is not None:
            after = self.skip_space(opt[1])
            if opt[0].strip().isdigit():
                number = int(opt[0])
        grp = self.group(after)
        if grp is None:
            return end
        if len(self.stack) >= MAX_DEPTH:
            return grp[0]
        if number == self.next_footnote:
            self.next_footnote += 1
        body = self.skip_space(grp[0])
        self.out(f"[{number}]", start, grp[0], reveal=False)
        self.stack.append(_Context("footnote", grp[1], grp[2], start, self.prose_offset(), PlainText(), number=number,
                           body=min(body, grp[1])))
        return grp[0]

    def href(self, start: int, end: int) -> int:
        target = self.group(self.skip_space(end))
        if target is None:
            return end
        url = _UNESCAPE.sub(r"\1", self.text[target[0] : target[1]]).strip()
        label = self.group(self.skip_space(target[2]))
        if label is None or len(self.stack) >= MAX_DEPTH:
            self.found.append(Found("url", start, None, url, self.prose_offset()))
            return target[2]
        self.stack.append(_Context("href", label[1], label[2], start, self.prose_offset(), url=url))
        return label[0]

    def cite(self, start: int, end: int, multi: bool) -> int:
        """``\\cite[pre][post]{a,b}`` (and ``\\cites[pre][post]{a}[post]{b}``)."""
        text, pos = self.text, end
        shown: list[str] = []
        prose = self.prose_offset()
        while True:
            if multi:
                while text.startswith("(", self.skip_space(pos)):  # \cites(pre)(post) for the whole list
                    close = text.find(")", pos, self.paragraph_end(pos))
                    if close == -1:
                        break
                    pos = close + 1
            notes: list[str] = []
            at = self.skip_space(pos)
            while len(notes) < 2 and (opt := self.optional(at)) is not None:
                notes.append(opt[0])
                at = self.skip_space(opt[1])
            grp = self.group(at)
            if grp is None or self.braces.close.get(at) is None:
                break
            locator = _plain(notes[-1]) if notes else ""
            keys = [(k.start(), k.group(0)) for k in _KEYS.finditer(text, grp[0], grp[1])]
            for i, (offset, key) in enumerate(keys):
                self.found.append(Found("key", offset, None, None, prose, key=key,
                                        locator=locator if i == len(keys) - 1 else ""))
            shown.append(", ".join(k for _, k in keys) + (f", {locator}" if locator else ""))
            pos = grp[2]
            if not multi:
                break
            nxt = self.skip_space(pos)
            if not text.startswith(("[", "{"), nxt):
                break
        if shown:
            self.out("[" + "; ".join(shown) + "]", start, pos, reveal=False)
        return max(pos, end)


def _plain(text: str) -> str:
    """A short argument (a postnote) as plain text: ``p.~33`` -> ``p. 33``."""
    text = text.replace("~", " ").replace("---", "—").replace("--", "–")
    text = _SMALL_COMMAND.sub(lambda m: m.group(1) if m.group(1) and m.group(1) in "&%$#_" else "", text)
    return _SPACE.sub(" ", text).strip()
