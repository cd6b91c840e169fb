"""Token features for the reference-string tagger (a linear-chain CRF).

A reference is tokenised on white space, as AnyStyle and most labelled sets do,
so punctuation stays glued to its token (``2005,`` ``61(3):``) — punctuation is
the strongest cue to where a field ends. Features describe a token's shape,
punctuation, a few small lexicons and its place in the string, plus the same for
its neighbours, and the word itself (lower-cased): with real labelled
bibliographies in the training data, words such as ``Proc.``, ``Press`` or
``Lett.`` are the best cue there is.
Per-token features are cached by token text because references
repeat the same tokens (``pp.``, ``Press,``, years) endlessly.
"""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[^\W_]+", re.U)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)[a-z]?(?!\d)")
_RANGE = re.compile(r"\d+\s*[-–—]+\s*\d+")
_INITIAL = re.compile(r"(?:[A-Z]\.-?){1,3},?")
_SHORT_CAPS = re.compile(r"[A-Z]{1,2}[.,]?")

MONTHS = {"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
          "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
          "spring", "summer", "autumn", "fall", "winter"}
JOURNAL_WORDS = {"journal", "review", "proceedings", "transactions", "letters", "annals", "bulletin", "quarterly",
                 "studies", "research", "science", "sciences", "magazine", "reports", "acta", "archives", "j",
                 "rev", "proc", "trans", "lett", "ann", "bull", "int", "am", "phys", "chem", "med", "soc",
                 "conference", "symposium", "workshop", "zeitschrift", "revue", "rivista"}
PUBLISHER_WORDS = {"press", "publishers", "publisher", "publishing", "books", "verlag", "editions", "éditions",
                   "university", "univ", "wiley", "springer", "elsevier", "routledge", "sage", "penguin",
                   "macmillan", "blackwell", "mit", "oxford", "cambridge", "harvard", "yale", "princeton",
                   "norton", "harper", "random", "house", "academic", "taylor", "francis", "inc", "ltd", "co",
                   "corporation", "institute", "foundation", "council", "organization", "organisation", "bank"}
PLACE_WORDS = {"new", "york", "london", "oxford", "cambridge", "berlin", "paris", "chicago", "boston", "princeton",
               "washington", "dc", "ny", "ma", "ca", "uk", "usa", "amsterdam", "tokyo", "toronto", "sydney",
               "heidelberg", "leiden", "haven", "ct", "nj", "san", "francisco", "los", "angeles", "philadelphia",
               "baltimore", "edinburgh", "manchester", "berkeley", "stanford", "santa", "monica", "geneva",
               "vienna", "munich", "madrid", "rome", "milan", "moscow", "beijing", "delhi", "tehran", "london:",
               "brighton", "basingstoke", "abingdon", "thousand", "oaks", "hoboken", "dordrecht", "cham"}
CONNECTORS = {"and", "&", "et", "al", "al.", "with", "und", "y", "e"}
EDITOR_WORDS = {"ed", "eds", "ed.", "eds.", "edited", "editor", "editors", "hrsg", "hg", "(ed.)", "(eds.)"}
MARKERS = {"in", "in:", "pp", "pp.", "p.", "p", "vol", "vol.", "no", "no.", "doi", "doi:", "isbn", "issn",
           "retrieved", "available", "accessed", "url", "http", "https", "trans", "trans.", "translated", "edn",
           "edn.", "ed.", "thesis", "dissertation", "phd", "report", "tech", "technical", "vols", "vols.",
           "chapter", "ch.", "ms", "unpublished", "forthcoming", "press.", "in.", "de", "der", "van", "von"}


def tokenize(text: str) -> list[str]:
    return text.split()


class _ShapeTable(dict):
    """``str.translate`` table: upper -> X, lower -> x, digit -> d, anything else itself (filled lazily)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        self[code] = c
        return c


_SHAPE_TABLE = _ShapeTable()
_REPEAT = re.compile(r"(.)(?=\1)", re.S)  # a character the same one follows (removed: a literal "" is fast)


def _shape(token: str) -> str:
    """``Smith,`` -> ``Xx,``; ``1997a`` -> ``dx`` (runs of one class collapse)."""
    return _collapse(token[:12].translate(_SHAPE_TABLE))


@functools.lru_cache(maxsize=65536)
def _collapse(classes: str) -> str:
    """Cached: a few thousand class strings (``Xxxxx,``) stand for all the tokens."""
    return _REPEAT.sub("", classes)


class _Prefixed(dict):
    """``"last=" + ch`` made once per character."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def __missing__(self, ch: str) -> str:
        self[ch] = value = self.prefix + ch
        return value


_LAST = _Prefixed("last=")
_FIRST = _Prefixed("first=")


def _lexicon() -> dict[str, tuple[str, ...]]:
    """Each lexicon word with the features it gives (one lookup instead of five)."""
    out: dict[str, list[str]] = {}
    for words, feature in ((MONTHS, "month"), (JOURNAL_WORDS, "journal-word"), (PUBLISHER_WORDS, "publisher-word"),
                           (PLACE_WORDS, "place-word")):
        for w in words:
            out.setdefault(w, []).append(feature)
    return {w: tuple(f) for w, f in out.items()}


_LEXICON = _lexicon()
_EDITOR_WORDS = frozenset({"ed", "eds", "edited", "editor", "editors", "hrsg", "hg"})
_CLOSE_PAREN = (")", "),", ").", "):", ")]", "];", "].")


@functools.lru_cache(maxsize=200_000)
def token_features(token: str) -> tuple[str, ...]:
    """Features of one token alone (its neighbours' are added by :func:`sequence_features`).

    This is the definition the model is trained on. ``biblio/parse/_crf.c`` has a twin used for
    tagging (a cold reference spends most of its time here): change both together;
    ``tests/test_crf.py`` checks they agree on every training token and on random Unicode.

    Cheap tests gate the regular expressions: this runs for every new token, and most are words.
    """
    words = _WORD.findall(token)
    core = "".join(words)
    low = core.lower()
    lower = token.lower()
    feats = ["s=" + _shape(token), _LAST[token[-1]], _FIRST[token[0]]]
    digits = not core.isalpha()
    if digits and core.isdigit():
        feats.append(f"num{min(len(core), 5)}")
    if digits and _YEAR.search(token):
        feats.append("year")
    if digits and _RANGE.search(token):
        feats.append("range")
    if token[0] in "([":
        feats.append("open-paren")
    if token.endswith(_CLOSE_PAREN):
        feats.append("close-paren")
    if token[0] in "“\"‘'«":
        feats.append("open-quote")
    bare = token.rstrip(".,;:")
    if bare[-1:] in "”\"’'»":
        feats.append("close-quote")
    if len(token) <= 9 and token[0].isupper() and (_INITIAL.fullmatch(token) or _SHORT_CAPS.fullmatch(token)):
        feats.append("initial")
    if core[:1].isupper():
        feats.append("cap")
    if core.isupper() and len(core) > 1:
        feats.append("caps")
    if core.islower():
        feats.append("lower")
    feats.extend(_LEXICON.get(low, ()))
    if lower in CONNECTORS or low in CONNECTORS:
        feats.append("connector")
    if lower.strip("(),.;:") in _EDITOR_WORDS:
        feats.append("editor-word")
    if lower in MARKERS or low in MARKERS:
        feats.append(f"mark={low}")
    if "http" in token or "www." in token:
        feats.append("url")
    if digits and "10." in token and "/" in token:
        feats.append("doi")
    if token[-1] == ":":
        feats.append("colon")
    if "-" in token and not digits:
        feats.append("hyphen-word")
    if not core:
        feats.append("punct-only")
    if bare.endswith(("'s", "’s")):
        feats.append("possessive")  # "Khomeini's Ghost": a title word, never part of a name
    if low:
        feats.append(f"w={low}")
    return tuple(feats)


_NEIGHBOUR_KEEP = ("s=", "last=", "w=", "year", "initial", "cap", "open-", "close-", "mark=", "editor-word", "month",
                   "possessive")


@functools.lru_cache(maxsize=200_000)
def _views(token: str) -> tuple[tuple[str, ...], ...]:
    """A token's features as itself and as each neighbour, prefixed with where it stands.

    A neighbour keeps only its shape, punctuation, word and marker words: fewer neighbour
    features both tag faster and generalise better (measured on held-out labelled strings).
    One cache lookup per token instead of five.
    """
    own = token_features(token)
    kept = [f for f in own if f.startswith(_NEIGHBOUR_KEEP)]
    return (own, tuple(["-2:" + f for f in kept]), tuple(["-1:" + f for f in kept]),
            tuple(["1:" + f for f in kept]), tuple(["2:" + f for f in kept]))


_POS = tuple(f"pos={i}" for i in range(7))
_REL = tuple(f"rel={i}" for i in range(10))
_PERIODS = tuple(f"periods={i}" for i in range(5))


@functools.cache
def _context(pos: int, rel: int, last: bool, seen_year: bool, seen_quote: bool, in_quote: bool,
             periods: int) -> tuple[str, ...]:
    """A token's place in the string and what came before it (a few hundred combinations, built once)."""
    flags = [f for f, on in (("is-last", last), ("after-year", seen_year), ("after-quote", seen_quote),
                             ("in-quote", in_quote)) if on]
    return (_POS[pos], _REL[rel], *flags, _PERIODS[periods])


def sequence_features(tokens: list[str]) -> list[tuple[str, ...]]:
    """Features of each token with its neighbours' and its place in the string.

    Concatenated from cached tuples: this runs once per reference and its cost is a large share
    of parsing time.
    """
    n = len(tokens)
    if not n:
        return []
    views = [_views(t) for t in tokens]
    m2 = [("-2:edge",)] * min(2, n) + [v[1] for v in views[:-2]]
    m1 = [("-1:edge",)] + [v[2] for v in views[:-1]]
    p1 = [v[3] for v in views[1:]] + [("1:edge",)]
    p2 = [v[4] for v in views[2:]] + [("2:edge",)] * min(2, n)
    out: list[tuple[str, ...]] = []
    seen_year = seen_quote = in_quote = False
    periods = 0
    last = n - 1
    for i, view in enumerate(views):
        feats = view[0]
        context = _context(i if i < 6 else 6, (10 * i) // n, i == last, seen_year, seen_quote, in_quote,
                           periods if periods < 4 else 4)
        out.append(feats + context + m2[i] + m1[i] + p1[i] + p2[i])
        if "year" in feats:
            seen_year = True
        if "open-quote" in feats:
            in_quote = seen_quote = True
        if "close-quote" in feats:
            in_quote = False
        if tokens[i][-1] == "." and "initial" not in feats:
            periods += 1
    return out
