"""Personal and corporate names as they appear in notes.

``Abrahamian, Ervand`` and ``Ervand Abrahamian`` are the same person; ``Human
Rights Watch`` and ``RAND Corporation`` are organisations and stay whole (a CSL
``literal``), never split into a family name "Watch".
"""

from __future__ import annotations

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
    "editors", "forum", "alliance", "federation", "coalition", "unit", "authority", "embassy",
}
KNOWN_CORPORATE = {"rand", "ncri", "pmoi", "mek", "hrw", "un", "cia", "fbi", "bbc", "afp", "ap", "irna"}

_SPLIT_PEOPLE = re.compile(r"\s*(?:;|\band\b|&|\bwith\b)\s*", re.I)
_INITIALS = re.compile(r"^(?:[A-Z]\.\s?)+$|^[A-Z]{1,3}$")
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ'’ʿʾ][\w'’ʿʾ.\-]*$")


def is_corporate(text: str) -> bool:
    """Whether ``text`` names an organisation rather than a person."""
    words = [w.strip(".,()").lower() for w in text.split()]
    if not words:
        return False
    if len(words) == 1:
        return words[0] in KNOWN_CORPORATE or words[0] in CORPORATE_WORDS or (text.isupper() and len(text) > 1)
    return any(w in CORPORATE_WORDS for w in words) or text.strip().isupper()


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


def parse_names(text: str) -> tuple[Name, ...]:
    """Several names: ``Goulka, Jeremiah, Lydia Hansell, and Judith Larson``."""
    text = text.strip().rstrip(".")
    if not text:
        return ()
    if is_corporate(text) and not _SPLIT_PEOPLE.search(text):
        return (Name(literal=text),)
    chunks = [c for c in _SPLIT_PEOPLE.split(text) if c and c.strip(" ,")]
    names: list[Name] = []
    for i, chunk in enumerate(chunks):
        chunk = chunk.strip(" ,")
        parts = [p.strip() for p in chunk.split(",") if p.strip()]
        if i == 0 and len(parts) >= 2 and len(parts[0].split()) <= 3 and not is_corporate(parts[0]):
            # "Goulka, Jeremiah, Lydia Hansell": first is inverted, the rest direct
            names.append(parse_name(f"{parts[0]}, {parts[1]}"))
            names.extend(parse_name(p) for p in parts[2:])
        elif len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
            names.extend(parse_name(p) for p in parts)
        else:
            names.append(parse_name(chunk))
    return tuple(n for n in names if n.family or n.literal)
