"""Wikipedia wikitext: ``<ref>`` bodies, named refs, ``{{cite …}}``, ``{{sfn}}``.

mwparserfromhell does the tokenising (never a hand-written tokenizer); this
module walks its tree keeping source offsets, so every citation keeps its line,
and builds the visible prose for passages. It mirrors Wikipedia's own cite
errors as lint findings (``undefined-named-ref``, ``duplicate-named-ref``,
``unbalanced-ref-tag``, ``empty-ref``, ``sfn-no-target``, ``unused-named-ref``).

Pages copied from a rendered article often lose template parameters, leaving
``Template:Cite news`` as plain text. Such a template is still a citation of
that type at that place; the document gets one summary warning for all of them.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

import mwparserfromhell as mw
from mwparserfromhell.nodes import Comment, ExternalLink, Heading, HTMLEntity, Tag, Template, Text, Wikilink
from mwparserfromhell.parser import tokens as tk
from mwparserfromhell.wikicode import Wikicode

from biblio.model import DateValue, Document, Finding, Name, Passage, RawCitation, Reference, Severity
from biblio.parse import dates, names
from biblio.read import sentences
from biblio.read.source import LineMap, line_map
from biblio.resolve.works import norm

try:  # the C tokenizer; the pure-Python one where the extension is not built
    from mwparserfromhell.parser._tokenizer import CTokenizer as _TOKENIZER
except ImportError:  # pragma: no cover
    from mwparserfromhell.parser.tokenizer import Tokenizer as _TOKENIZER

FORMAT = "wikitext"

CITE_TYPES = {
    "cite book": "book", "cite news": "article-newspaper", "cite web": "webpage", "cite journal": "article-journal",
    "cite magazine": "article-magazine", "cite encyclopedia": "entry-encyclopedia", "cite thesis": "thesis",
    "cite court": "legal_case", "cite report": "report", "cite press release": "document",
    "cite av media": "motion_picture", "cite episode": "broadcast", "cite interview": "interview",
    "cite conference": "paper-conference", "cite speech": "speech", "cite document": "document",
    "cite tweet": "post", "cite arxiv": "article", "citation": "book", "cite": "document", "vcite book": "book",
    "cite dictionary": "entry-dictionary", "cite map": "map", "cite letter": "personal_communication",
}
CS1_CLASSES = {
    "web": "webpage", "news": "article-newspaper", "book": "book", "journal": "article-journal",
    "magazine": "article-magazine", "encyclopaedia": "entry-encyclopedia", "thesis": "thesis",
    "report": "report", "conference": "paper-conference", "av-media": "motion_picture",
}
SHORT_CITES = {"sfn", "sfnp", "sfnm", "sfnmp", "harvnb", "harv", "harvp", "harvtxt", "harvcoltxt", "harvcol", "rp"}
NOTE_TEMPLATES = {"efn", "efn-ua", "efn-lr", "efn-la", "efn-lg", "notetag", "refn"}
LIST_TEMPLATES = {"bulleted list", "unbulleted list", "plainlist", "ubl", "flatlist", "hlist"}
REFLISTS = {"reflist", "references", "notelist", "notelist-ua", "refbegin"}
CONTAINER_PARAMS = ("work", "newspaper", "journal", "magazine", "website", "periodical", "encyclopedia",
                    "encyclopaedia", "dictionary", "series")
SKIP_TAGS = {"nowiki", "pre", "math", "syntaxhighlight", "source", "code", "gallery", "timeline", "score"}

_REF_TAG = re.compile(r"<ref(?=[\s/>])((?:\"[^\"]*\"|'[^']*'|[^>\"'])*?)(/?)>|</ref\s*>", re.I)
_STYLE = re.compile(r"'{2,}")
_PLACEHOLDER = re.compile("\x01(\\d+)\x02*|\x03(\\d+)\x04*")  # a masked ref | a masked citation template
_FLAT = re.compile(r"Template:([A-Z#](?:(?!Template:)[\w#\-/])*(?: [a-z](?:(?!Template:)[\w\-])*)*)")
_KNOWN_NAMES = sorted({*CITE_TYPES, *SHORT_CITES, *NOTE_TEMPLATES, *LIST_TEMPLATES}, key=len, reverse=True)
# a flattened citation template: its known name, then anything but a letter
_FLAT_KNOWN = re.compile(
    r"Template:(" + "|".join(re.escape(n[0].upper() + n[1:]) for n in _KNOWN_NAMES) + r")(?![a-z])"
)
_BULLET = re.compile(r"(?:^|\n)\s*[•*#]\s*")
_YEAR = re.compile(r"^(?:c\.\s*)?\d{4}[a-z]?$|^n\.d\.$")


@dataclass
class _Ref:
    """A ``<ref>`` tag: a definition (with body) or a use of a named one."""

    offset: int
    name: str | None
    group: str
    body: str
    reference: Reference | None
    raw: str | None
    in_reflist: bool
    vis: int
    flattened: str | None = None
    items: list[tuple[str, Reference | None]] = field(default_factory=list)


@dataclass
class _Short:
    offset: int
    authors: tuple[str, ...]
    year: str
    locator: str
    vis: int
    template: str


class _RawRef(NamedTuple):
    """A ``<ref …>…</ref>`` or ``<ref …/>`` found with MediaWiki's own rule:
    the body ends at the first ``</ref>``, whatever braces it holds."""

    start: int
    attrs: str
    body: str | None
    body_start: int


def extract_refs(text: str) -> tuple[str, list[_RawRef], list[tuple[int, str]]]:
    """Replace every ref with a same-length placeholder; return refs and stray tags.

    MediaWiki strips extension tags before it parses templates, so an unclosed
    ``{{`` inside a ref cannot swallow the rest of the page. Placeholders keep
    every offset, so lines stay exact.
    """
    refs: list[_RawRef] = []
    stray: list[tuple[int, str]] = []
    pieces: list[str] = []
    last = 0
    open_at: re.Match[str] | None = None
    for m in _REF_TAG.finditer(text):
        closing = m.group(0).startswith("</")
        if not closing and m.group(2) == "/":
            if open_at is None:
                _place(text, pieces, refs, last, m.start(), m.end(), _RawRef(m.start(), m.group(1), None, m.end()))
                last = m.end()
            continue
        if not closing:
            if open_at is not None:
                stray.append((open_at.start(), "an opening <ref> tag is never closed"))
            open_at = m
            continue
        if open_at is None:
            stray.append((m.start(), "a closing </ref> tag has no opening <ref>"))
            continue
        ref = _RawRef(open_at.start(), open_at.group(1), text[open_at.end() : m.start()], open_at.end())
        _place(text, pieces, refs, last, open_at.start(), m.end(), ref)
        last = m.end()
        open_at = None
    if open_at is not None:
        stray.append((open_at.start(), "an opening <ref> tag is never closed"))
    pieces.append(text[last:])
    return "".join(pieces), refs, stray


def _place(text: str, pieces: list[str], refs: list[_RawRef], last: int, start: int, end: int, ref: _RawRef) -> None:
    pieces.append(text[last:start])
    tag = str(len(refs))
    pieces.append("\x01" + tag + "\x02" * (end - start - 1 - len(tag)))
    refs.append(ref)


_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'/>]+(?:/(?!$)[^\s"'/>]*)*))""")


def _attributes(raw: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None).strip() for m in _ATTR.finditer(raw)}


_BODY_CITE = re.compile(r"\{\{([^{}|<>\[\]&]*)(?:\|[^{}<>\[\]&]*)?\}\}")
_PROTECTED = re.compile(
    r"<!--.*?(?:-->|\Z)|<(nowiki|pre|math|syntaxhighlight|source|code|gallery|timeline|score)\b.*?(?:</\1\s*>|\Z)",
    re.S | re.I,
)
_BRACES = re.compile(r"([{}])\1")  # {{ or }}: a first-character class lets the regex skip ahead


def mask_citation_templates(text: str) -> tuple[str, list[_Call]]:
    """Replace the page's plain citation templates (``{{sfn|Cohen|2009|p=12}}``, a ``{{cite …}}`` with
    plain parameters) with same-length placeholders, read from tokens as ref bodies are.

    Building mwparserfromhell's nodes for the page's short citations costs more than tokenising them;
    the tree is still built for everything else. Only a template the tree would read the same way is
    masked: at the top level (not inside another template), outside comments and verbatim tags, not on
    a heading line, not inside a link or a tag, with no link, tag or entity among its parameters.
    """
    if "{{{" in text or "{{" not in text:
        return text, []
    protected = [m.span() for m in _PROTECTED.finditer(text)] if "<" in text else []
    braces = [(m.start(), m.group(0) == "{{") for m in _BRACES.finditer(text)]
    calls: list[_Call] = []
    pieces: list[str] = []
    last = at = depth = 0
    for m in _BODY_CITE.finditer(text):
        start, end = m.span()
        while at < len(braces) and braces[at][0] < start:
            depth = depth + 1 if braces[at][1] else max(depth - 1, 0)
            at += 1
        if depth or not _is_citation(_key(m.group(1).strip())) or _guarded(text, start, protected):
            continue
        call = _lone_template(m.group(0))
        tag = str(len(calls))
        if call is None or len(tag) + 1 > end - start:
            continue
        pieces.append(text[last:start])
        pieces.append("\x03" + tag + "\x04" * (end - start - 1 - len(tag)))
        calls.append(call)
        last = end
    if not calls:
        return text, []
    pieces.append(text[last:])
    return "".join(pieces), calls


def _guarded(text: str, start: int, protected: list[tuple[int, int]]) -> bool:
    """Inside a comment or verbatim tag, on a heading line, or after an unclosed ``[`` or ``<`` on its line."""
    i = bisect.bisect_right(protected, (start, len(text))) - 1
    if i >= 0 and protected[i][0] <= start < protected[i][1]:
        return True
    line = text[text.rfind("\n", 0, start) + 1 : start]
    return line.startswith("=") or line.count("[") > line.count("]") or line.rfind("<") > line.rfind(">")


class _Walker:
    """Walks the tree with source offsets; collects refs, templates and visible text."""

    def __init__(self, source: str, raw_refs: list[_RawRef], raw_calls: list[_Call] | None = None) -> None:
        self.source = source
        self.raw_refs = raw_refs
        self.raw_calls = raw_calls or []
        self.visible: list[str] = []
        self.vis_len = 0
        self.chunks: list[tuple[int, int]] = []  # (visible offset, source offset) of verbatim chunks
        self.refs: list[_Ref] = []
        self.shorts: list[_Short] = []
        self.full: list[tuple[int, Reference, bool, int]] = []  # cite templates: offset, ref, inside a ref, vis
        self.links: list[tuple[int, str, str, int]] = []
        self.flattened: Counter[str] = Counter()
        self.flat_total = 0  # the sum of ``flattened``, kept as it grows
        self.flat_sites: list[tuple[int, str, int]] = []
        self.stray: list[tuple[int, str]] = []
        self.unclosed: list[int] = []

    # visible text ---------------------------------------------------------
    def emit(self, text: str, source_offset: int) -> None:
        if text:
            self.chunks.append((self.vis_len, source_offset))
            self.visible.append(text)
            self.vis_len += len(text)

    # walking --------------------------------------------------------------
    def walk(self, code: Wikicode, base: int, ctx: str) -> None:
        pos = 0
        for node in code.nodes:
            ns = str(node)
            off = base + pos
            pos += len(ns)
            if isinstance(node, Text):
                self.text(ns, off, ctx)
            elif isinstance(node, Tag):
                self.tag(node, ns, off, ctx)
            elif isinstance(node, Template):
                self.template(node, ns, off, ctx)
            elif isinstance(node, Wikilink):
                if ctx == "body":
                    label = str(node.text if node.text is not None else node.title)
                    if not str(node.title).lower().startswith(("file:", "image:", "category:")):
                        self.emit(_plain_text(label), off)
            elif isinstance(node, ExternalLink):
                url = str(node.url).strip()
                title = str(node.title).strip() if node.title is not None else ""
                if ctx == "body":
                    self.links.append((off, url, title, self.vis_len))
                    self.emit(title, off)
            elif isinstance(node, Heading):
                if ctx == "body":
                    self.emit("\n\n", off)
                    self.emit(_plain_text(str(node.title)).strip(), off)
                    self.emit("\n\n", off)
            elif isinstance(node, HTMLEntity):
                if ctx == "body":
                    self.emit(node.normalize(), off)
            elif isinstance(node, Comment):
                continue

    def _child_offset(self, ns: str, off: int, child: Wikicode, start: int = 0) -> int:
        local = ns.find(str(child), start)
        return off + (local if local >= 0 else 0)

    def text(self, ns: str, off: int, ctx: str) -> None:
        if "\x01" in ns or "\x03" in ns:
            last = 0
            for m in _PLACEHOLDER.finditer(ns):
                self.plain(ns[last : m.start()], off + last, ctx)
                if m.group(1) is not None:
                    self.ref(self.raw_refs[int(m.group(1))], ctx)
                else:
                    self.call(self.raw_calls[int(m.group(2))], off + m.start(), ctx)
                last = m.end()
            self.plain(ns[last:], off + last, ctx)
        else:
            self.plain(ns, off, ctx)

    def plain(self, ns: str, off: int, ctx: str) -> None:
        if "Template:" not in ns:  # no flattened template: all of it is prose
            if ctx == "body":
                self.prose(ns, off)
            return
        last = 0
        for m in _FLAT.finditer(ns):
            known = _FLAT_KNOWN.match(ns, m.start())
            if known:
                name = known.group(1)
                key = name.lower()
                if key not in LIST_TEMPLATES:
                    self.flattened[name] += 1
                    self.flat_total += 1
                if ctx == "body" and key in SHORT_CITES:
                    self.flat_sites.append((off + m.start(), key, self.vis_len + (m.start() - last)))
                m = known
            if ctx == "body":
                self.prose(ns[last : m.start()], off + last)
            last = m.end()
        if ctx == "body":
            self.prose(ns[last:], off + last)

    def prose(self, chunk: str, off: int) -> None:
        """Visible text without bold/italic quote runs; an unclosed ``{{`` is reported."""
        if "{{" in chunk:
            self.unclosed.append(off + chunk.index("{{"))
        if "''" not in chunk:
            self.emit(chunk, off)
            return
        last = 0
        for m in _STYLE.finditer(chunk):
            self.emit(chunk[last : m.start()], off + last)
            last = m.end()
        self.emit(chunk[last:], off + last)

    def tag(self, node: Tag, ns: str, off: int, ctx: str) -> None:
        name = str(node.tag).strip().lower()
        if name == "references":
            if node.contents is not None:
                self.walk(node.contents, self._child_offset(ns, off, node.contents, len(str(node.tag)) + 1), "reflist")
        elif name in SKIP_TAGS:
            return
        elif name == "br":
            if ctx == "body":
                self.emit(" ", off)
        elif node.contents is not None:
            start = ns.find(">") + 1 if not node.wiki_markup else 0
            self.walk(node.contents, self._child_offset(ns, off, node.contents, start), ctx)

    def ref(self, raw: _RawRef, ctx: str) -> None:
        attrs = _attributes(raw.attrs) if raw.attrs else {}
        body = raw.body or ""
        start_vis = self.vis_len
        first_full = len(self.full)
        first_flat = self.flat_total
        lead = body.lstrip()
        call = _lone_template(body) if lead.startswith("{{") else None
        if call is not None and _is_citation(_key(call.name)):
            self.call(call, raw.body_start + len(body) - len(lead), "ref")
        elif lead:
            if not _TREE_CHARS.isdisjoint(body):
                self.walk(mw.parse(body, skip_style_tags=True), raw.body_start, "ref")
            elif "Template:" in body:  # plain text: no tree to build, only flattened templates to count
                self.text(body, raw.body_start, "ref")
        reference, text, items = _ref_content(body, self.full[first_full:])
        flattened = None
        if (self.flat_total > first_flat and reference is None and not items
                and ("{{" in body or _FLAT.search(body) is not None)):
            found = _FLAT_KNOWN.search(body)
            flattened = found.group(1) if found else "template"
            reference = Reference(type=CITE_TYPES.get(flattened.lower(), "document"))
        self.refs.append(
            _Ref(raw.start, attrs.get("name") or None, attrs.get("group", ""), body.strip(), reference, text,
                 ctx == "reflist", start_vis, flattened, items)
        )

    def template(self, node: Template, ns: str, off: int, ctx: str) -> None:
        name = str(node.name).strip()
        key = _key(name)
        if _is_citation(key):
            self.call(_call_from_node(name, node), off, ctx)
            return
        if key in REFLISTS:
            refs = node.get("refs") if node.has("refs") else None
            if refs is not None:
                self.walk(refs.value, self._child_offset(ns, off, refs.value), "reflist")
            return
        # efn and any other template: walk parameter values for nested refs and short cites
        for param in node.params:
            self.walk(param.value, self._child_offset(ns, off, param.value), "ref" if key in NOTE_TEMPLATES else
                      ("template" if ctx == "body" else ctx))

    def call(self, call: _Call, off: int, ctx: str) -> None:
        """A full citation (``{{cite …}}``, ``{{citation}}``) or a short one (``{{sfn}}``) at ``off``."""
        key = _key(call.name)
        if key in SHORT_CITES:
            if key == "rp":
                return
            params = call.named
            locator = _param(params, "p") or _param(params, "pp") or _param(params, "loc") or _param(params, "page")
            authors, year = _short_authors(call.positional)
            self.shorts.append(_Short(off, authors, year, _locator_text(params, locator), self.vis_len, key))
            return
        if key.startswith("#invoke:citation"):
            kind = CS1_CLASSES.get(_param(call.named, "CitationClass").lower(), "document")
        else:
            kind = CITE_TYPES.get(key, "document")
        ref = _record(tuple(call.named.items()), kind)
        if not _has_fields(ref):
            self.flattened[call.name.split("|")[0]] += 1
            self.flat_total += 1
        self.full.append((off, ref, ctx == "ref", self.vis_len))


# a ref body with none of these is plain text: no tree to build
_TREE_CHARS = frozenset("{[<&'")
_MARKUP = frozenset("{}[]<>&'_~:#*;=-|\n\t")


def _plain_text(wikitext: str) -> str:
    """What ``strip_code`` makes of a heading or a link label; most have no markup, and need no tree."""
    if _MARKUP.isdisjoint(wikitext):
        return wikitext
    return mw.parse(wikitext).strip_code()


def _key(name: str) -> str:
    return name.lower().replace("_", " ")


def _is_citation(key: str) -> bool:
    return key.startswith(("#invoke:citation", "cite ")) or key in CITE_TYPES or key in SHORT_CITES


@dataclass(frozen=True)
class _Call:
    """A citation template's name and parameters as plain text, whichever way it was read."""

    name: str
    named: dict[str, str]
    positional: tuple[str, ...]


def _call_from_node(name: str, node: Template) -> _Call:
    return _Call(name, _params(node), tuple(str(p.value).strip() for p in node.params if not p.showkey))


@functools.lru_cache(maxsize=8192)
def _lone_template(body: str) -> _Call | None:
    """A ref body that is one citation template with plain parameters, read from the tokens.

    Most refs on Wikipedia are ``<ref>{{cite web |…}}</ref>``. Building mwparserfromhell's node tree
    for them costs most of the reading time, while its C tokenizer alone is ten times faster; a
    body whose tokens hold only text, wikilinks and bare URLs inside one template is read here, and
    anything else (nested templates, tags, entities, comments) returns None for the tree walk.
    Cached: pages and corpora repeat the same citation verbatim (the result is never changed).
    """
    stripped = body.strip()
    if not (stripped.startswith("{{") and stripped.endswith("}}")):
        return None
    toks = _TOKENIZER().tokenize(stripped, 0, True)
    n = len(toks)
    if n < 3 or type(toks[0]) is not tk.TemplateOpen or type(toks[-1]) is not tk.TemplateClose:
        return None
    name: list[str] = []
    named: dict[str, str] = {}
    positional: list[str] = []
    key: str | None = None
    value: list[str] = []
    in_name = True
    i = 1
    while i < n - 1:
        t = toks[i]
        kind = type(t)
        if kind is tk.Text:
            value.append(t["text"])  # tokens are dicts; attribute access goes through __getattr__
        elif kind is tk.TemplateParamSeparator:
            _close_param(name, named, positional, key, value, in_name)
            in_name, key, value = False, None, []
        elif kind is tk.TemplateParamEquals and key is None and not in_name:
            key, value = "".join(value), []
        elif kind is tk.WikilinkOpen:
            # [[Title]] or [[Title|label]]: the visible label, as strip_code gives it
            parts = _run(toks, i + 1, tk.WikilinkClose, tk.WikilinkSeparator)
            if parts is None or ":" in parts[0][0]:
                return None
            (title, *rest), i = parts
            value.append(rest[-1] if rest else title)
        elif kind is tk.ExternalLinkOpen and not t.get("brackets"):
            parts = _run(toks, i + 1, tk.ExternalLinkClose, None)
            if parts is None:
                return None
            (url, *_), i = parts
            value.append(url)
        else:
            return None
        i += 1
    _close_param(name, named, positional, key, value, in_name)
    called = "".join(name).strip()
    return _Call(called, named, tuple(positional)) if called else None


def _run(toks: list, i: int, close: type, separator: type | None) -> tuple[list[str], int] | None:
    """The texts of a link's tokens up to ``close``, split at ``separator``; None if anything else."""
    parts = [""]
    while i < len(toks):
        kind = type(toks[i])
        if kind is tk.Text:
            parts[-1] += toks[i]["text"]
        elif separator is not None and kind is separator:
            parts.append("")
        elif kind is close:
            return parts, i
        else:
            return None
        i += 1
    return None


def _close_param(name: list[str], named: dict[str, str], positional: list[str], key: str | None,
                 value: list[str], in_name: bool) -> None:
    text = "".join(value)
    if in_name:
        name.append(text)
    elif key is not None:
        named.setdefault(key.strip(), _unstyled(text).strip())
    else:
        positional.append(text.strip())


def _params(node: Template) -> dict[str, str]:
    """A template's named parameters as plain text, read once (``Template.has`` is a linear scan)."""
    out: dict[str, str] = {}
    for p in node.params:
        if p.showkey:
            name = str(p.name).strip()
            if name not in out:
                value = p.value
                text = str(value)
                plain = value.strip_code() if ("[" in text or "{" in text or "<" in text or "'" in text) else text
                if not plain.strip() and "{{" in text:
                    plain = _date_template(value)
                out[name] = _unstyled(plain).strip()
    return out


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
DATE_TEMPLATES = {"date", "start date", "end date", "dts", "date and age", "start date and age", "publication date"}


def _date_template(value: Wikicode) -> str:
    """``{{date|9 November 2018}}`` or ``{{start date|2018|11|9}}``: the date a template writes out
    (``strip_code`` drops templates, and the citation would lose its date)."""
    for template in value.filter_templates(recursive=False):
        if _key(str(template.name).strip()) not in DATE_TEMPLATES:
            continue
        parts = [str(p.value).strip() for p in template.params if not p.showkey]
        numbers = parts[:3] if len(parts) >= 2 and all(part.isdigit() for part in parts[:3]) else []
        if len(numbers) == 3:
            return f"{numbers[0]}-{int(numbers[1]):02d}-{int(numbers[2]):02d}"
        if len(numbers) == 2 and 1 <= int(numbers[1]) <= 12:
            return f"{_MONTHS[int(numbers[1]) - 1]} {numbers[0]}"
        if parts:
            return parts[0]
    return ""


def _unstyled(text: str) -> str:
    """``The ''Mojahedin'' in exile`` -> ``The Mojahedin in exile``: bold and italic quotes are markup."""
    return _STYLE.sub("", text) if "''" in text else text


def _param(params: dict[str, str], *keys: str) -> str:
    for k in keys:
        if k in params:
            return params[k]
    return ""


def _locator_text(params: dict[str, str], value: str) -> str:
    if not value:
        return ""
    if "pp" in params:
        return f"pp. {value}"
    if "loc" in params:
        return value
    return f"p. {value}"


def _short_authors(positional: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    year_at = next((i for i in range(len(positional) - 1, -1, -1) if _YEAR.match(positional[i])), None)
    if year_at is None:
        return tuple(positional), ""
    return tuple(positional[:year_at]), positional[year_at]


def _name_keys(role: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]:
    """For each of the 14 name slots of ``role``: the parameters of its family name, given name and
    whole name, in the order CS1 reads them (``last``/``last1``/``surname``, ``first``…, ``author``…)."""
    prefix = "" if role == "author" else f"{role}-"
    slots = []
    for i in range(1, 15):
        suffix = "" if i == 1 else str(i)
        one = i == 1
        last = (f"{prefix}last{suffix}", f"{prefix}surname{suffix}",
                *([f"{prefix}last1", f"{prefix}surname1"] if one else []))
        first = (f"{prefix}first{suffix}", f"{prefix}given{suffix}",
                 *([f"{prefix}first1", f"{prefix}given1"] if one else []))
        whole = (f"{role}{suffix}", *([f"{role}1"] if one else []))
        slots.append((last, first, whole))
    return tuple(slots)


_NAME_KEYS = {role: _name_keys(role) for role in ("author", "editor")}
# a parameter that may name a person of that role: a template without any has no names to read
_NAME_HINTS = {"author": ("last", "surname", "author", "vauthors"), "editor": ("editor",)}


def _names(node: dict[str, str], role: str) -> tuple[Name, ...]:
    """``last``/``first``, ``last1``…, ``author``, ``authorN`` (or ``editor-…``)."""
    hints = _NAME_HINTS[role]
    if not any(k.startswith(hints) for k in node):
        return ()
    out: list[Name] = []
    for i, (lasts, firsts, wholes) in enumerate(_NAME_KEYS[role]):
        last = _param(node, *lasts)
        whole = "" if last else _param(node, *wholes)
        if i == 0 and role == "author" and not last and not whole:
            whole = _param(node, "authors", "vauthors")
        if last:
            out.append(Name(family=last, given=_param(node, *firsts)))
        elif whole:
            if i == 0 and role == "author" and (("," in whole and ";" in whole) or " and " in whole):
                out.extend(names.parse_names(whole))
            else:
                out.append(names.parse_name(whole) if not names.is_corporate(whole) else Name(literal=whole))
        elif i > 0:
            break
    return tuple(out)


@functools.lru_cache(maxsize=8192)
def _record(named: tuple[tuple[str, str], ...], kind: str) -> Reference:
    """A cite template's record, cached by its parameters: the same citation recurs across a corpus."""
    return _template_reference(dict(named), kind)


def _template_reference(node: dict[str, str], kind: str) -> Reference:
    container = _param(node, *CONTAINER_PARAMS)
    if kind == "book" and container and "journal" in node:
        kind = "article-journal"
    elif kind == "book" and ("newspaper" in node or "work" in node) and "isbn" not in node:
        kind = "article-newspaper"
    date_text = _param(node, "date") or _param(node, "year")
    issued = dates.parse(date_text) or (dates.find(date_text)[0] if date_text and dates.find(date_text) else None)
    page = _param(node, "pages", "page")
    locator = ""
    if kind == "book" and page:
        locator, page = (f"pp. {page}" if "pages" in node else f"p. {page}"), ""
    title = _param(node, "title", "script-title", "trans-title")
    chapter = _param(node, "chapter", "contribution", "entry", "article")
    if chapter and kind == "book":
        kind, container, title = "chapter", title, chapter
    return Reference(
        type=kind,
        title=title,
        author=_names(node, "author"),
        editor=_names(node, "editor"),
        issued=issued if issued else (DateValue(raw=date_text) if date_text else None),
        container_title=container,
        publisher=_param(node, "publisher", "institution", "agency", "court"),
        publisher_place=_param(node, "location", "place", "publication-place"),
        volume=_param(node, "volume"),
        issue=_param(node, "issue", "number"),
        page=page,
        edition=_param(node, "edition"),
        URL=_param(node, "url", "chapter-url"),
        DOI=_param(node, "doi"),
        ISBN=_param(node, "isbn"),
        locator=locator,
    )


def _ref_content(
    body: str, templates: list[tuple[int, Reference, bool, int]]
) -> tuple[Reference | None, str | None, list[tuple[str, Reference | None]]]:
    """A ref body's record: its cite template's fields, or its plain text (bulleted lists split).

    A body that is only a flattened template (with perhaps a quotation after
    it, ``Template:Harvnb: "…"``) names no work.
    """
    if templates:
        ref = templates[0][1]
        return (ref if _has_fields(ref) else None), body.strip() or None, []
    if not body.strip():
        return None, None, []
    if not _TREE_CHARS.isdisjoint(body):
        plain = mw.parse(body).strip_code(normalize=True, collapse=True).strip()
    else:
        plain = body.strip()
    if "Template:" not in plain and "•" not in plain and "*" not in plain:
        return None, plain or None, []  # no flattened template, no list: the text is the record
    flat = _FLAT_KNOWN.search(plain) or _FLAT.search(plain)
    if flat and plain[flat.end():].lstrip().startswith((":", '"', "“", "'")) and not plain[: flat.start()].strip():
        return None, None, []
    stripped = _FLAT.sub("", plain).strip()
    if flat and stripped.endswith(":"):
        return None, None, []  # "For more, see: Template:Bulleted list" lost its list
    plain = stripped
    if plain.count("•") >= 2 or len(re.findall(r"(?:^|\n)\s*\*\s", plain)) >= 2:
        parts = [p.strip(" \n;") for p in re.split(r"•|(?:^|\n)\s*\*\s", plain)]
        items = [p for p in parts[1:] if len(p) > 3]
        if items:
            return None, plain, [(item, None) for item in items]
    return None, plain or None, []


def _has_fields(ref: Reference) -> bool:
    """A cite template whose parameters survived (``{{#invoke:…|CitationClass=web}}`` alone has none)."""
    return bool(ref.title or ref.author or ref.URL or ref.container_title or ref.DOI or ref.ISBN)


def read(path: str, name: str, text: str, sha256: str, size: int) -> Document:
    """Read one wikitext document (full or flattened) into a Document."""
    lines = line_map(text)
    masked, raw_refs, stray = extract_refs(text)
    masked, raw_calls = mask_citation_templates(masked)
    walker = _Walker(text, raw_refs, raw_calls)
    walker.stray.extend(stray)
    walker.walk(mw.parse(masked, skip_style_tags=True), 0, "body")
    visible = "".join(walker.visible)
    passages, passage_at = _passages(visible, walker.chunks, lines)
    findings: list[Finding] = []
    citations: list[RawCitation] = []

    where = lines.locate
    definitions: dict[tuple[str, str], _Ref] = {}
    for r in walker.refs:
        if r.name and (r.body or r.reference):
            key = (r.group, r.name)
            first = definitions.get(key)
            if first is None:
                definitions[key] = r
            elif " ".join(first.body.split()) != " ".join(r.body.split()):
                line, col = where(r.offset)
                findings.append(Finding(path, line, col, "duplicate-named-ref", Severity.ERROR,
                                        f"named ref {r.name!r} is defined again with different content "
                                        f"(first on line {where(first.offset)[0]})"))
    used: set[tuple[str, str]] = set()
    for r in walker.refs:
        line, col = where(r.offset)
        key = (r.group, r.name) if r.name else None
        if r.in_reflist:
            continue
        target = r
        if key and not (r.body or r.reference):
            used.add(key)
            target = definitions.get(key)
            if target is None:
                findings.append(Finding(path, line, col, "undefined-named-ref", Severity.ERROR,
                                        f"named ref {r.name!r} is used but never defined"))
                citations.append(RawCitation("ref", line, col, r.name, None, None, passage_at(r.vis)))
                continue
        elif key:
            used.add(key)
        if not target.body and target.reference is None:
            findings.append(Finding(path, line, col, "empty-ref", Severity.ERROR, "<ref> has no content"))
            continue
        note_line = where(target.offset)[0] if target is not r else None
        if target.items:
            for item, _ in target.items:
                citations.append(RawCitation("ref", line, col, r.name, item, note_line, passage_at(r.vis)))
            continue
        citations.append(RawCitation("ref", line, col, r.name, target.raw, note_line, passage_at(r.vis),
                                     reference=_without_locator(target.reference), locator=_locator(target.reference)))
    for key, r in definitions.items():
        if r.in_reflist and key not in used:
            line, col = where(r.offset)
            findings.append(Finding(path, line, col, "unused-named-ref", Severity.WARNING,
                                    f"named ref {r.name!r} is defined in the reference list but never used"))
    for off, ref, in_ref, _vis in walker.full:
        if not in_ref and _has_fields(ref):
            line, col = where(off)
            citations.append(RawCitation("bibliography", line, col, None, None, None, None,
                                         reference=_without_locator(ref), locator=_locator(ref)))
    full_index = _full_index([ref for _, ref, _, _ in walker.full])
    for s in walker.shorts:
        line, col = where(s.offset)
        target = _short_target(s, full_index)
        if target is None and s.authors:
            findings.append(Finding(path, line, col, "sfn-no-target", Severity.WARNING,
                                    f"{{{{{s.template}}}}} names {' & '.join(s.authors)} {s.year} but no full "
                                    "citation matches"))
        citations.append(RawCitation("sfn", line, col, " ".join((*s.authors, s.year)).strip() or None, None, None,
                                     passage_at(s.vis), reference=target, locator=s.locator))
    for off, kind, vis in walker.flat_sites:
        line, col = where(off)
        if kind in SHORT_CITES:
            citations.append(RawCitation("sfn", line, col, None, None, None, passage_at(vis)))
    for off, url, title, vis in walker.links:
        line, col = where(off)
        citations.append(RawCitation("url", line, col, title or None, url, None, passage_at(vis)))
    for off in walker.unclosed:
        line, col = where(off)
        findings.append(Finding(path, line, col, "unclosed-template", Severity.WARNING,
                                "a {{template is never closed; it is read as text"))
    for off, message in walker.stray:
        line, col = where(off)
        findings.append(Finding(path, line, col, "unbalanced-ref-tag", Severity.ERROR, message))
    if walker.flattened:
        total = sum(walker.flattened.values())
        top = ", ".join(f"{n} ×{c}" for n, c in walker.flattened.most_common(5))
        findings.append(Finding(path, 1, 1, "flattened-templates", Severity.WARNING,
                                f"{total} citation templates lost their parameters ({top}); they count as "
                                "citations of their type but name no work"))
    citations.sort(key=_BY_POSITION)
    return Document(path=path, name=name, format=FORMAT, sha256=sha256, size=size, passages=tuple(passages),
                    citations=tuple(citations), findings=tuple(findings), text=text, find_identifiers=False)


_BY_POSITION = operator.attrgetter("line", "column")


def _without_locator(ref: Reference | None) -> Reference | None:
    return ref.without_locator() if ref else None


def _locator(ref: Reference | None) -> str:
    return ref.locator if ref else ""


def _full_index(full: list[Reference]) -> dict[str, list[Reference]]:
    """Full citations by their first author's normalised family name (sfn links by author and year)."""
    index: dict[str, list[Reference]] = {}
    for ref in full:
        names = ref.author or ref.editor
        if names and ref.issued:
            index.setdefault(norm(names[0].family or names[0].literal), []).append(ref)
    return index


def _short_target(short: _Short, index: dict[str, list[Reference]]) -> Reference | None:
    """The full citation with the same author family names and year (how Wikipedia links sfn)."""
    if not short.authors:
        return None
    wanted = [norm(a) for a in short.authors]
    year = short.year[:4]
    for ref in index.get(wanted[0], ()):
        families = [norm(n.family or n.literal) for n in (ref.author or ref.editor)]
        if families[: len(wanted)] != wanted or ref.issued is None:
            continue
        if str(ref.issued.year or "") == year or ref.issued.raw.startswith(short.year):
            return ref.without_locator()
    return None


_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")


def _passages(visible: str, chunks: list[tuple[int, int]], lines: LineMap):
    """Sentences of the visible prose, with the source line where each starts."""
    vis_starts = [c[0] for c in chunks]
    line_starts = lines.starts
    right = bisect.bisect_right
    passages: list[Passage] = []
    starts: list[int] = []
    for para in _PARAGRAPH.finditer(visible):
        for offset, sentence in sentences.split(visible, para.start(), para.end()):
            i = right(vis_starts, offset) - 1  # the verbatim chunk the sentence starts in
            src = chunks[i][1] + (offset - chunks[i][0]) if i >= 0 else 0
            passages.append(Passage(len(passages), right(line_starts, src), sentence, src))
            starts.append(offset)

    def passage_at(vis: int) -> int | None:
        i = bisect.bisect_right(starts, max(vis - 1, 0)) - 1
        return i if i >= 0 else None

    return passages, passage_at
