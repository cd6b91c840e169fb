"""Personal and corporate names as they appear in notes.

``Abrahamian, Ervand`` and ``Ervand Abrahamian`` are the same person; ``Human
Rights Watch`` and ``RAND Corporation`` are organisations and stay whole (a CSL
``literal``), never split into a family name "Watch".
"""

from __future__ import annotations

import functools
import re

from biblio.model import Name

PARTICLES = {
    "van", "von", "de", "del", "della", "der", "den", "di", "da", "du", "la", "le", "dos", "das",
    "al", "el", "bin", "ibn", "ben", "bint", "abu", "ter", "ten", "zu",
}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
CORPORATE_WORDS = {
    "watch", "corporation", "corp", "institute", "international", "commission", "council", "agency",
    "ministry", "department", "organization", "organisation", "office", "press", "university",
    "committee", "association", "foundation", "center", "centre", "society", "union", "group",
    "party", "government", "parliament", "court", "bureau", "news", "service", "reuters",
    "associated", "amnesty", "nations", "rand", "state", "states", "network", "tribunal", "board",
    "house", "senate", "congress", "library", "museum", "project", "program", "programme",
    "company", "inc", "ltd", "llc", "media", "times", "post", "tv", "radio", "resistance", "staff",
    "editors", "forum", "alliance", "federation", "coalition", "unit", "authority", "embassy", "division",
}
KNOWN_CORPORATE = {"rand", "ncri", "pmoi", "mek", "hrw", "un", "cia", "fbi", "bbc", "afp", "ap", "irna"}

_SPLIT_PEOPLE = re.compile(r"\s*(?:;|\band\b|&|\bwith\b)\s*", re.I)
_INITIALS = re.compile(r"^(?:[A-Z]\.\s?)+$|^[A-Z]{1,3}$")
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ'’ʿʾ][\w'’ʿʾ.\-]*$")


@functools.lru_cache(maxsize=65536)
def is_corporate(text: str) -> bool:
    """Whether ``text`` names an organisation rather than a person (asked several times per name)."""
    words = [w.strip(".,()") for w in text.lower().split()]
    if not words:
        return False
    if len(words) == 1:
        return words[0] in KNOWN_CORPORATE or words[0] in CORPORATE_WORDS or (text.isupper() and len(text) > 1)
    return not CORPORATE_WORDS.isdisjoint(words) or (text.strip().isupper() and "," not in text)


def looks_like_person(text: str) -> bool:
    """``Rouleau, Eric`` / ``Eric Rouleau`` / ``Abrahamian, E.``: 2-5 capitalised words."""
    text = text.strip()
    if not text or is_corporate(text) or any(ch.isdigit() for ch in text):
        return False
    if "," in text:
        family, _, given = text.partition(",")
        family_words, given_words = family.split(), given.split()
        if not family_words or not given_words or len(family_words) > 3 or len(given_words) > 4:
            return False
        words = family_words + given_words
    else:
        words = text.split()
        if not 2 <= len(words) <= 5:
            return False
    return all(_NAME_WORD.match(w) or w.lower() in PARTICLES or w.lower() in SUFFIXES for w in words)


@functools.lru_cache(maxsize=65536)
def parse_name(text: str) -> Name:
    """One name; ``Last, First``, ``First Last`` or an organisation."""
    text = " ".join(text.strip().strip(",;").split())
    if not text:
        return Name()
    if is_corporate(text):
        return Name(literal=text)
    suffix = ""
    if "," in text:
        family, _, given = text.partition(",")
        given = given.strip()
        # "Smith, Jr., John" or "Smith, John, Jr."
        bits = [b.strip() for b in given.split(",")]
        if len(bits) > 1 and bits[-1].lower() in SUFFIXES:
            suffix, given = bits[-1], ", ".join(bits[:-1])
        elif bits and bits[0].lower() in SUFFIXES:
            suffix, given = bits[0], ", ".join(bits[1:])
        return _with_particle(family.strip(), given, suffix)
    words = text.split()
    if words[-1].lower().rstrip(",") in SUFFIXES and len(words) > 2:
        suffix = words.pop().rstrip(",")
    if len(words) == 1:
        return Name(family=words[0], suffix=suffix)
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in PARTICLES:
        i -= 1
    given = " ".join(words[:i])
    family = " ".join(words[i:])
    return _with_particle(family, given, suffix)


def _with_particle(family: str, given: str, suffix: str) -> Name:
    """``van der Berg`` keeps its particle apart so sorting uses ``Berg``."""
    words = family.split()
    particle_words = []
    while len(words) > 1 and words[0].lower() in PARTICLES and words[0][0].islower():
        particle_words.append(words.pop(0))
    return Name(family=" ".join(words), given=given, particle=" ".join(particle_words), suffix=suffix)


_INITIALS_ONLY = re.compile(r"^(?:[A-ZÀ-Þ](?:\.|\b)\s?-?\s?){1,4}$|^[A-ZÀ-Þ]{1,3}$|^(?:[A-ZÀ-Þ]\.){1,4}[A-ZÀ-Þ]?$")
_VANCOUVER = re.compile(r"^([A-ZÀ-Þ][^\s,]*(?: [a-zà-þ]+)?(?: [A-ZÀ-Þ][^\s,]+)?) ([A-Z]{1,3})$")
_ETAL = re.compile(r",?\s*(?:et\.?\s*al\.?|\.\.\.|…|and others)\s*$", re.I)
_ITEM_SEPARATOR = re.compile(r",|;|\s+(?:and|&|with)\s+|\s&\s?")
_CITATION_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d+\.?)\s+")


def parse_names(text: str) -> tuple[Name, ...]:
    """Several names in any common list style.

    ``Goulka, Jeremiah, Lydia Hansell, and Judith Larson`` (first inverted),
    ``Bergk, V., Haefeli, W. E. & Gasse, C.`` (all inverted with initials),
    ``O. Ambacher, B. Foutz and J. Smart`` (direct), ``Lin TC, Yen JM, et al.``
    (Vancouver). A family name is paired with the next item only when that item
    is initials, or when the family is a single word followed by given names.
    """
    text = text.strip().rstrip(",;: ")
    lowered = text.lower()
    if "al" in lowered or "others" in lowered or "…" in text or "..." in text:  # what _ETAL needs
        text = _ETAL.sub("", text)
    text = _CITATION_NUMBER.sub("", text).strip().rstrip(".,;:")
    if not text:
        return ()
    if is_corporate(text) and not _SPLIT_PEOPLE.search(text):
        return (Name(literal=text),)
    items = [p.strip() for p in _ITEM_SEPARATOR.split(text) if p and p.strip(" .")]
    initials = [_INITIALS_ONLY.match(item) is not None for item in items]  # asked up to four times per item
    names: list[Name] = []
    inverted = False
    i = 0
    while i < len(items):
        item = items[i]
        nxt = items[i + 1] if i + 1 < len(items) else None
        vancouver = _VANCOUVER.match(item)
        words = item.split()
        if vancouver and not initials[i]:
            names.append(Name(family=vancouver.group(1), given=vancouver.group(2)))
            i += 1
        elif nxt is not None and not initials[i] and (
            initials[i + 1] or (len(words) == 1 and _given_like(nxt) and (inverted or not names))
        ):
            names.append(parse_name(f"{item}, {nxt}"))
            inverted = inverted or not names[:-1]
            i += 2
        elif initials[i] and names and not names[-1].given:
            names[-1] = Name(family=names[-1].family, given=item, particle=names[-1].particle)
            i += 1
        else:
            names.append(parse_name(item))
            i += 1
    return tuple(n for n in names if n.family or n.literal)


def _given_like(text: str) -> bool:
    """``Ervand``, ``Mary Ann``, ``Pierre-Marc de``: one to three capitalised words."""
    words = text.split()
    return 1 <= len(words) <= 3 and all(w[:1].isupper() or w.lower() in PARTICLES for w in words) \
        and not is_corporate(text)
