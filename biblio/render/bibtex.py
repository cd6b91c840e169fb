"""Works as BibTeX entries, written by bibtexparser v2.

bibtexparser writes the syntax; this module decides the fields. Values are
kept raw (its LaTeX encoder would treat ``%`` in a URL as a comment), and the
characters LaTeX needs escaped are escaped here, outside ``url``/``doi``.
Acronyms in titles are braced so that styles which change case keep ``RAND``.

``append`` is how ``references.bib`` grows: the user's text is kept byte for
byte and only new entries are added at its end. ``render_as`` also writes
biblatex (``date``, ``journaltitle``, ``@online``) and, for 8-bit ``bibtex``,
pure ASCII with accent macros (:func:`to_ascii`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse
from collections.abc import Callable

import bibtexparser
from bibtexparser import model as bibmodel
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.writer import BibtexFormat
from pylatexenc import latexencode

from biblio.model import Name, Reference, Work

ENTRY_TYPES = {
    "book": "book", "chapter": "incollection", "article-journal": "article", "article-magazine": "article",
    "article-newspaper": "article", "article": "article", "report": "techreport", "thesis": "phdthesis",
    "paper-conference": "inproceedings", "webpage": "misc", "legal_case": "misc", "manuscript": "unpublished",
    "pamphlet": "booklet",
}
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_SPECIAL = re.compile(r"([&%#_$])")
_NEEDS_ESCAPE = re.compile(r"[&%#_$\\{}~^]")
_ACRONYM = re.compile(r"(?<![{\w])([A-Z][A-Za-z]*[A-Z][A-Za-z]*)(?![\w}])")


def escape(value: str) -> str:
    """Escape LaTeX specials in a plain-text value."""
    if not _NEEDS_ESCAPE.search(value):
        return value
    value = value.replace("\\", r"\textbackslash{}")
    value = value.replace("{", r"\{").replace("}", r"\}").replace(r"\textbackslash\{\}", r"\textbackslash{}")
    value = _SPECIAL.sub(r"\\\1", value)
    return value.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def protect_title(value: str) -> str:
    """Brace words with inner capitals (``MEK``, ``NCRI``, ``McCain``)."""
    return _ACRONYM.sub(r"{\1}", escape(value))


def format_names(names: tuple[Name, ...]) -> str:
    out = []
    for n in names:
        if n.literal:
            out.append("{" + escape(n.literal) + "}")
            continue
        family = escape(n.family)
        if n.particle:
            family = f"{escape(n.particle)} {family}"
        parts = [family]
        if n.suffix:
            parts.append(escape(n.suffix))
        if n.given:
            parts.append(escape(n.given))
        out.append(", ".join(parts))
    return " and ".join(out)


def reference_to_entry(key: str, ref: Reference) -> bibmodel.Entry:
    entry_type = ENTRY_TYPES.get(ref.type, "misc")
    fields: list[bibmodel.Field] = []

    def add(name: str, value: str, enclosing: str | None = None) -> None:
        if value:
            fields.append(bibmodel.Field(name, value, enclosing=enclosing))

    _add_people_and_title(add, ref)
    container = protect_title(ref.container_title)
    if entry_type == "article":
        add("journal", container)
        add("entrysubtype", {"article-newspaper": "newspaper", "article-magazine": "magazine"}.get(ref.type, ""))
    elif entry_type in ("incollection", "inproceedings"):
        add("booktitle", container)
    elif container:
        add("howpublished", container)
    if entry_type == "techreport":
        add("institution", escape(ref.publisher))
    else:
        add("publisher", escape(ref.publisher))
    add("address", escape(ref.publisher_place))
    add("edition", escape(ref.edition))
    add("series", escape(ref.collection_title))
    add("volume", escape(ref.volume))
    add("number", escape(ref.issue))
    add("pages", escape(ref.page).replace("–", "--"))
    if ref.issued and ref.issued.parts:
        first = ref.issued.parts[0]
        add("year", str(first[0]))
        if len(first) > 1 and 1 <= first[1] <= 12:
            add("month", MONTHS[first[1] - 1], enclosing="no-enclosing")
    add("type", escape(ref.genre))
    add("note", escape(ref.note))
    add("url", ref.URL)
    add("doi", ref.DOI)
    add("isbn", ref.ISBN)
    return bibmodel.Entry(entry_type, key, fields)


def render(works: list[Work]) -> str:
    """BibTeX text for ``works`` (one blank line between entries)."""
    if not works:
        return ""
    library = bibtexparser.Library()
    for w in works:
        library.add(reference_to_entry(w.key, w.reference))
    return _write(library, reuse_enclosing=False)


def append(text: str, works: list[Work]) -> str:
    """``text`` unchanged, followed by entries for ``works``."""
    if not works:
        return text
    addition = render(works)
    if not text.strip():
        return addition
    if not text.endswith("\n"):
        text += "\n"
    return f"{text}\n{addition}"


# --- biblatex, ASCII ---------------------------------------------------------------------

BIBLATEX_TYPES = {
    "book": "book", "chapter": "incollection", "article-journal": "article", "article-magazine": "article",
    "article-newspaper": "article", "article": "article", "report": "report", "thesis": "thesis",
    "paper-conference": "inproceedings", "webpage": "online", "legal_case": "jurisdiction",
    "manuscript": "unpublished", "pamphlet": "booklet",
}
URL_FIELDS = ("url", "doi", "eprint", "file")
# combining mark -> LaTeX accent command, for letters no precomposed macro covers (ḥ, ṭ, ẓ, ḵ)
ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u", "\u0307": ".",
    "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0323": "d", "\u0327": "c", "\u0328": "k",
    "\u0331": "b",
}
# romanised Arabic and Persian: ayn and hamza as the quotes typesetters use for them
SPECIALS = {"ʿ": "{\\textquoteleft}", "ʾ": "{\\textquoteright}", "ʼ": "'", "ʻ": "{\\textquoteleft}"}


def _add_people_and_title(add: Callable[[str, str], None], ref: Reference) -> None:
    """The fields BibTeX and biblatex write alike."""
    add("author", format_names(ref.author))
    add("editor", format_names(ref.editor))
    add("translator", format_names(ref.translator))
    add("title", protect_title(ref.title))


def reference_to_biblatex(key: str, ref: Reference) -> bibmodel.Entry:
    """A biblatex entry: ``date``, ``journaltitle``, ``location``, ``@online``, ``@report``…"""
    entry_type = BIBLATEX_TYPES.get(ref.type, "misc")
    fields: list[bibmodel.Field] = []

    def add(name: str, value: str) -> None:
        if value:
            fields.append(bibmodel.Field(name, value))

    _add_people_and_title(add, ref)
    container = protect_title(ref.container_title)
    if entry_type == "article":
        add("journaltitle", container)
        add("entrysubtype", {"article-newspaper": "newspaper", "article-magazine": "magazine"}.get(ref.type, ""))
    elif entry_type in ("incollection", "inproceedings"):
        add("booktitle", container)
    elif entry_type == "online":
        add("organization", escape(ref.container_title))
    elif container:
        add("howpublished", container)
    add("institution" if entry_type == "report" else "publisher", escape(ref.publisher))
    add("location", escape(ref.publisher_place))
    add("edition", escape(ref.edition))
    add("series", escape(ref.collection_title))
    add("volume", escape(ref.volume))
    add("number", escape(ref.issue))
    add("pages", escape(ref.page).replace("–", "--"))
    if ref.issued and ref.issued.parts:
        add("date", "/".join("-".join(f"{x:02d}" if i else f"{x:04d}" for i, x in enumerate(p) if x)
                             for p in ref.issued.parts))
    elif ref.issued and ref.issued.raw:
        add("date", escape(ref.issued.raw))
    add("type", escape(ref.genre))
    add("note", escape(ref.note))
    add("url", ref.URL)
    add("doi", ref.DOI)
    add("isbn", ref.ISBN)
    return bibmodel.Entry(entry_type, key, fields)


def render_as(works: list[Work], dialect: str = "bibtex", ascii_only: bool = False) -> tuple[str, set[str]]:
    """Entries for ``works`` in ``bibtex`` or ``biblatex``; with ``ascii_only`` every non-ASCII letter
    becomes an accent macro (for 8-bit ``bibtex``). Returns the text and the characters no macro covers."""
    if not works:
        return "", set()
    make = reference_to_biblatex if dialect == "biblatex" else reference_to_entry
    library = bibtexparser.Library()
    missing: set[str] = set()
    for w in works:
        entry = make(w.key, w.reference)
        if ascii_only:
            missing |= _ascii_fields(entry)
        library.add(entry)
    return _write(library, reuse_enclosing=False), missing


def write_entries(entries: list[bibmodel.Entry], ascii_only: bool = False) -> tuple[str, set[str]]:
    """Parsed entries written back with their raw values (``month = nov`` stays a macro), without
    the final newline; with ``ascii_only`` values are transliterated as in :func:`render_as`."""
    library = bibtexparser.Library()
    missing: set[str] = set()
    for entry in entries:
        if ascii_only:
            missing |= _ascii_fields(entry)
        library.add(entry)
    return _write(library, reuse_enclosing=True).rstrip("\n"), missing


def _ascii_fields(entry: bibmodel.Entry) -> set[str]:
    """Transliterate ``entry``'s values in place; the characters no macro covers."""
    missing: set[str] = set()
    for f in entry.fields:
        value = str(f.value)
        if value.isascii():
            continue  # setting a value would drop a demanded enclosing (month = nov stays a macro)
        new, lost = (ascii_url(value), set()) if f.key.lower() in URL_FIELDS else to_ascii(value)
        f.value = new
        missing |= lost
    return missing


def _write(library: bibtexparser.Library, reuse_enclosing: bool) -> str:
    fmt = BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    # bibtexparser's default stack deep-copies every entry first (half the time for 10,000 works); these
    # entries are ours and thrown away, so the same middleware may change them in place
    stack = [AddEnclosingMiddleware(allow_inplace_modification=True, default_enclosing="{",
                                    reuse_previous_enclosing=reuse_enclosing, enclose_integers=True)]
    return bibtexparser.write_string(library, unparse_stack=stack, bibtex_format=fmt)


def to_ascii(text: str) -> tuple[str, set[str]]:
    """``text`` with non-ASCII letters as LaTeX macros (``é`` → ``{\\'e}``, ``ḥ`` → ``{\\d{h}}``).

    pylatexenc's table covers precomposed letters and symbols; letters it does not
    know are decomposed and their combining marks mapped to accent commands. Not a
    transliteration to look-alike ASCII (``anyascii`` would make ``ḥ`` an ``h``):
    LaTeX prints the same letter. Returns the text and the characters left as they
    were because no macro exists (Arabic script, for one).
    """
    if text.isascii():
        return text, set()
    out: list[str] = []
    missing: set[str] = set()
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        macro = _macro(ch)
        if macro is None:
            missing.add(ch)
            out.append(ch)
        else:
            out.append(macro)
    return "".join(out), missing


def ascii_url(url: str) -> str:
    """A URL with non-ASCII characters percent-encoded (what a browser sends), ASCII kept as it is."""
    return "".join(c if c.isascii() else urllib.parse.quote(c) for c in url)


@functools.lru_cache(maxsize=4096)
def _macro(ch: str) -> str | None:
    if ch in SPECIALS:
        return SPECIALS[ch]
    encoded = _encoder().unicode_to_latex(ch)
    if encoded != ch:
        return encoded
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not all(m in ACCENTS for m in marks):
        return None
    inner = _macro(base) if not base.isascii() else base
    if inner is None:
        return None
    for mark in marks:
        inner = f"\\{ACCENTS[mark]}{{{inner}}}"
    return "{" + inner + "}"


@functools.lru_cache(maxsize=1)
def _encoder() -> latexencode.UnicodeToLatexEncoder:
    return latexencode.UnicodeToLatexEncoder(
        non_ascii_only=True, replacement_latex_protection="braces-all", unknown_char_policy="keep",
        unknown_char_warning=False,
    )
