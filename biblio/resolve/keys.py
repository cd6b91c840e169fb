"""Readable, stable citation keys: ``abrahamian1989``, ``humanrightswatch2005``.

A key is the first author's family name (or an organisation's name, or the
first significant title word when there is no author) plus the year, folded
to ASCII. Collisions take ``a``, ``b``, … in order of first appearance, and a
key once given (in ``references.bib`` or the store) is never renamed.
"""

from __future__ import annotations

import re
import string
import unicodedata

from biblio.model import Reference

_STOPWORDS = {
    "the", "a", "an", "of", "on", "in", "and", "for", "to", "at", "by", "with", "from", "le", "la",
    "les", "el", "al", "der", "die", "das", "de", "du", "des",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if ord(c) < 128)


def base_key(ref: Reference) -> str:
    """The key before collision suffixes."""
    names = ref.author or ref.editor
    stem = ""
    if names:
        n = names[0]
        if n.literal:
            words = [w for w in _WORD.findall(ascii_fold(n.literal)) if w.lower() not in _STOPWORDS]
            stem = "".join(words[:3])
        else:
            stem = "".join(_WORD.findall(ascii_fold(n.family)))
    if not stem:
        for source in (ref.title, ref.container_title):
            words = [w for w in _WORD.findall(ascii_fold(source).replace(".", ""))
                     if w.lower() not in _STOPWORDS and len(w) >= 3]
            if words:
                stem = words[0]
                break
    stem = (stem or "anon").lower()[:24]
    return f"{stem}{ref.year}" if ref.year else stem


def assign(base: str, taken: set[str]) -> str:
    """``base`` itself when free, else the first free ``base``+a, b, … z, aa…"""
    if base not in taken:
        return base
    for suffix in _suffixes():
        candidate = base + suffix
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def _suffixes():
    letters = string.ascii_lowercase
    yield from letters
    for a in letters:
        for b in letters:
            yield a + b
    n = 0
    while True:
        n += 1
        yield f"x{n}"
