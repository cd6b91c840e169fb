"""Works as BibTeX entries, written by bibtexparser v2.

bibtexparser writes the syntax; this module decides the fields. Values are
kept raw (its LaTeX encoder would treat ``%`` in a URL as a comment), and the
characters LaTeX needs escaped are escaped here, outside ``url``/``doi``.
Acronyms in titles are braced so that styles which change case keep ``RAND``.

``append`` is how ``references.bib`` grows: the user's text is kept byte for
byte and only new entries are added at its end.
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser import model as bibmodel
from bibtexparser.writer import BibtexFormat

from biblio.model import Name, Reference, Work

ENTRY_TYPES = {
    "book": "book", "chapter": "incollection", "article-journal": "article", "article-magazine": "article",
    "article-newspaper": "article", "article": "article", "report": "techreport", "thesis": "phdthesis",
    "paper-conference": "inproceedings", "webpage": "misc", "legal_case": "misc", "manuscript": "unpublished",
    "pamphlet": "booklet",
}
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_SPECIAL = re.compile(r"([&%#_$])")
_ACRONYM = re.compile(r"(?<![{\w])([A-Z][A-Za-z]*[A-Z][A-Za-z]*)(?![\w}])")


def escape(value: str) -> str:
    """Escape LaTeX specials in a plain-text value."""
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

    add("author", format_names(ref.author))
    add("editor", format_names(ref.editor))
    add("translator", format_names(ref.translator))
    add("title", protect_title(ref.title))
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
    fmt = BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    return bibtexparser.write_string(library, bibtex_format=fmt)


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
