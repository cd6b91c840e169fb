"""Dates as people write them in notes: ``June 14, 1980``, ``09 november 2018``,
``March-April 1982``, ``(2004)``, ``2005,``, ``1980-06-14``.

The result is a CSL date (``date-parts``); a range of months gives two parts.
All patterns are anchored on a four-digit year, so the search is linear.
"""

from __future__ import annotations

import functools
import re

from biblio.model import DateValue

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"

# Each pattern starts with a look-ahead for the characters it can start with (a fast scan for the
# regex engine: three times faster on long notes) and every one holds a year, which find() asks first.
_PATTERNS = [
    ("iso", re.compile(rf"(?=\d)\b({_YEAR})-(\d\d)-(\d\d)\b")),
    ("mdy", re.compile(rf"(?=[adfjmnos])\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+({_YEAR})\b", re.I)),
    ("dmy", re.compile(rf"(?=\d)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH}),?\s+({_YEAR})\b", re.I)),
    ("mmy", re.compile(rf"(?=[adfjmnos])\b({_MONTH})\s*[-–/]\s*({_MONTH}),?\s+({_YEAR})\b", re.I)),
    ("my", re.compile(rf"(?=[adfjmnos])\b({_MONTH}),?\s+({_YEAR})\b", re.I)),
    ("season", re.compile(rf"(?=[afsw])\b(spring|summer|autumn|fall|winter),?\s+({_YEAR})\b", re.I)),
    ("year", re.compile(rf"(?=[12])(?<![\d/.-])({_YEAR})([a-z])?(?![\d/-]|\.\d)")),
]
_ANY_YEAR = re.compile(_YEAR)


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _parts(kind: str, m: re.Match[str]) -> tuple[tuple[int, ...], ...] | None:
    g = m.groups()
    if kind == "iso":
        month, day = int(g[1]), int(g[2])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return ((int(g[0]), month, day),)
    if kind == "mdy":
        day = int(g[1])
        return ((int(g[2]), _month(g[0]), day),) if 1 <= day <= 31 else None
    if kind == "dmy":
        day = int(g[0])
        return ((int(g[2]), _month(g[1]), day),) if 1 <= day <= 31 else None
    if kind == "mmy":
        year = int(g[2])
        return ((year, _month(g[0])), (year, _month(g[1])))
    if kind == "my":
        return ((int(g[1]), _month(g[0])),)
    if kind == "season":
        return ((int(g[1]),),)
    return ((int(g[0]),),)


def find(text: str, last: bool = True) -> tuple[DateValue, int, int] | None:
    """The most specific date in ``text`` (the last one when several), with its span."""
    if _ANY_YEAR.search(text) is None:
        return None  # every pattern holds a year
    for kind, pattern in _PATTERNS:
        matches = list(pattern.finditer(text))
        if kind == "my":
            # "May" is also a verb: only take it as a month next to a year
            matches = [m for m in matches if not (m.group(1).lower() == "may" and "," in m.group(0))]
        for m in reversed(matches) if last else matches:
            parts = _parts(kind, m)
            if parts:
                return DateValue(parts, m.group(0).strip()), m.start(), m.end()
    return None


@functools.lru_cache(maxsize=65536)
def parse(text: str) -> DateValue | None:
    """A date when ``text`` is essentially nothing but a date (cached: ``(2005).`` recurs endlessly)."""
    cleaned = text.strip().strip("()[].,;: ")
    found = find(cleaned)
    if not found:
        return None
    value, start, end = found
    rest = (cleaned[:start] + cleaned[end:]).strip(" ,.;:()-–")
    if rest and not re.fullmatch(r"(?:c\.|ca\.|circa|n\.d\.)?", rest, re.I):
        return None
    return value


def is_date(text: str) -> bool:
    return parse(text) is not None
