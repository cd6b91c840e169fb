"""Works cited in the prose itself: "a 2009 RAND report", "Human Rights Watch reported", bylines.

Many documents of a contested topic have no footnotes at all: they name their sources in the
sentence ("as a 2009 RAND report states", "A Judgment of the … Appeal Commission, on November 30,
2007"), in a byline above a quoted piece ("Jane Doe, The Guardian, London, 09 November 2018"), in
a parenthesis ("(John Smith, State TV, June 1, 2019)"), or by anaphora ("the report", "this same
RAND report"). Each such mention becomes a ``narrative`` or ``parenthetical`` citation whose
``reference`` is the partial record the prose gives (issuer or person as author, type, date, title
when stated); :mod:`biblio.resolve.works` links it to a known work or opens a partial one.

A claim attributed to nobody in particular ("according to various sources", "some experts say",
"Albanian media reported") is kept as a citation with no reference and reported as
``vague-attribution``: fact-checkers want to see what rests on nothing.

Precision comes before recall: a person's bare speech ("…, she said") is not a cited work, years
count only where the grammar binds them to the work ("a 2009 report", "reported on 5 May 2018",
"In 2012, Reuters reported"), and issuers are recognised from a table of well-known names
(:mod:`biblio.find.issuers`) or by an unmistakable shape.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import NamedTuple

from biblio.find import issuers
from biblio.model import DateValue, Document, Finding, Name, RawCitation, Reference, Severity
from biblio.parse import dates, names
from biblio.read.source import LineMap, line_map

KINDS = frozenset({"narrative", "parenthetical"})
RULE = "vague-attribution"

# noun -> (CSL type, genre); report-like nouns take a news issuer's article type instead
NOUNS: dict[str, tuple[str, str]] = {
    "report": ("report", ""), "study": ("report", ""), "survey": ("report", ""), "investigation": ("report", ""),
    "paper": ("report", ""), "white paper": ("report", "white paper"), "dossier": ("report", ""),
    "memo": ("report", "memorandum"), "memorandum": ("report", "memorandum"), "cable": ("report", "diplomatic cable"),
    "press release": ("report", "press release"), "article": ("article-newspaper", ""),
    "op-ed": ("article-newspaper", "op-ed"), "editorial": ("article-newspaper", "editorial"),
    "column": ("article-newspaper", ""), "long read": ("article-newspaper", ""), "book": ("book", ""),
    "judgment": ("legal_case", ""), "judgement": ("legal_case", ""), "ruling": ("legal_case", ""),
    "verdict": ("legal_case", ""), "documentary": ("broadcast", "documentary"), "film": ("motion_picture", ""),
    "assessment": ("report", ""), "source": ("document", ""),
}
REPORT_NOUNS = frozenset({"report", "study", "survey", "investigation", "paper", "dossier", "assessment"})
_NOUNS = (
    r"[Ww]hite [Pp]aper|[Pp]ress [Rr]elease|[Ll]ong [Rr]ead|[Rr]eport|[Ss]tudy|[Ss]urvey|[Ii]nvestigation|"
    r"[Pp]aper|[Dd]ossier|[Mm]emo(?:randum)?|[Cc]able|[Aa]rticle|[Oo]p-[Ee]d|[Ee]ditorial|[Cc]olumn|[Bb]ook|"
    r"[Jj]udge?ment|[Rr]uling|[Vv]erdict|[Dd]ocumentary|[Ff]ilm|[Aa]ssessment|[Ss]ource"
)
# a look-ahead for the letters a noun can start with lets the regex engine skip ahead (a third faster)
_NOUN = re.compile(rf"(?=[WwPpLlRrSsIiDdMmCcAaOoEeBbJjVvFf])\b(?:{_NOUNS})(?![\w-])")
# reporting verbs; the first group implies a written publication, the rest may be mere speech
WRITTEN_VERBS = (
    "reported|reports|wrote|writes|published|publishes|found|finds|concluded|concludes|documented|revealed|"
    "reveals|showed|shows|estimated|estimates|estimate|detailed|details|released|issued|broadcast|aired"
)
SPOKEN_VERBS = (
    "said|says|stated|states|noted|notes|described|describes|claimed|claims|alleged|alleges|confirmed|confirms|"
    "warned|warns|indicated|indicates|denounced|denounces|observed|observes|argued|argues|added|adds|"
    "accused|accuses|criticised|criticized|criticises|criticizes|recalled|recalls|explained|explains|"
    "announced|announces|asserted|asserts|charged|charges|mentioned|mentions|suggested|suggests|recounted|"
    "recounts|highlighted|highlights|recorded|records|acknowledged|acknowledges"
)
_VERB = rf"(?:{WRITTEN_VERBS}|{SPOKEN_VERBS})"
_WRITTEN = re.compile(rf"^(?:{WRITTEN_VERBS})$")
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_MONTH = (r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = (rf"(?:(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH}),?\s+"
         rf"{_YEAR}|(?:{_MONTH}),?\s+{_YEAR}|{_YEAR}-\d\d-\d\d|{_YEAR})")
_DATE_RE = re.compile(_DATE, re.I)
_DATE_AT = re.compile(rf"(?P<date>{_DATE})(?![\d\w])", re.I)
# a person's name as written in prose: two or three capitalised words, maybe with a particle or initial
_NAME = (r"[A-Z][a-zà-ÿ'’-]+(?:[ \t]+(?:[A-Z]\.[ \t]*)?(?:(?:van|von|de|del|der|al|el|bin|ibn|da|di|du|la|le)"
         r"[ \t]+)?[A-Z][a-zà-ÿ'’-]+){1,2}")
_NAME_RE = re.compile(_NAME)
_FUNCTION = frozenset(
    "the a an this that these those in on at as but and or also according when after before while since then yet "
    "so however meanwhile moreover both even only for from by with unlike like to of it he she they we his her its "
    "their our one another some many most several other such today yesterday later earlier last next despite "
    "although though similarly whereas because if until thus hence indeed still now recently previously finally "
    "first second instead notably citing quoting via per against among between during within without toward "
    "towards upon into over under about above across behind beyond near where why how what".split()
)
_WORK_WORDS = frozenset(
    "report study survey investigation paper dossier memo memorandum cable article editorial column book judgment "
    "judgement ruling verdict documentary film decision opinion statement assessment".split()
)
_CONNECTORS = frozenset({"of", "for", "on", "the", "to", "de", "du", "des", "der", "la", "le", "al", "el", "&"})
_RUN = re.compile(r"(?=[A-ZÀ-ÖØ-Þ&oftdlae])"  # the characters a run's token can start with: a fast scan
                  r"(?:[A-ZÀ-ÖØ-Þ][\w'’./&-]*|&|\b(?:of|for|on|the|to|de|du|des|der|la|le|al|el)\b)")
_DETS = {"a": "a", "an": "a", "the": "the", "this": "this", "that": "this", "its": "the", "their": "the",
         "his": "the", "her": "the", "one": "a", "another": "a", "same": "this"}
_NP_STOP = frozenset(
    "of by in on at to for from with as and or but that which who whom is was were are be been has have had "
    "said says wrote writes reported reports according than into about over under after before during while "
    "i you he she it we they him them us me not no".split()
)
_TRAILING_PUNCT = " ,;:.–—-"
_QUOTED = r"[“\"]([^”\"]{3,200})[”\"]"
_TITLE_WORD = r"(?:[A-Z0-9][\w'’:-]*|of|the|and|in|on|a|an|for|to|with|from|at|by|or|de|la|le|et|du)"
_TITLE_RUN = re.compile(rf"[A-Z][\w'’-]*(?:[ \t]+{_TITLE_WORD})+")
_AUTHOR_OF = re.compile(r"\bauthor\s+of\b", re.I)
_LISTING = re.compile(
    rf"(?m)^[ \t]*(?P<title>\S[^\n]{{6,300}}?)\s+(?:Paperback|Hardcover|Hardback|Kindle Edition|Mass Market "
    rf"Paperback|Audiobook)\s+[–—-]\s+(?P<date>{_DATE})[ \t]*$"
)
_BYLINE = re.compile(
    rf"(?m)^[ \t]*(?:By[ \t]+)?(?P<person>{_NAME})[ \t]*,[ \t]+(?P<outlet>(?:The[ \t]+)?[A-Z][\w'’.&-]*"
    rf"(?:[ \t]+[A-Z][\w'’.&-]*){{0,4}})[ \t]*,[ \t]+(?:(?P<place>[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){{0,2}})"
    rf"[ \t]*,[ \t]+)?(?P<date>{_DATE})",
)
_PAREN = re.compile(r"\(([^()\n]{4,200})\)")
_LOCATOR = re.compile(r"^(?:pp?\.?\s*\d+(?:[–-]\d+)?|\d{1,3}(?:[–-]\d{1,3})?)$")
_AUTHOR_YEAR = re.compile(
    rf"^(?:see\s+(?:also\s+)?|cf\.\s+)?(?P<who>[A-Z][\w'’-]+(?:\s+(?:et\s+al\.?|(?:and|&)\s+[A-Z][\w'’-]+))?)"
    rf",?\s+(?P<year>{_YEAR})[a-z]?(?:\s*[:,]\s*(?:pp?\.\s*)?\d+(?:[–-]\d+)?)?$"
)
# modifiers that leave a source unnamed: "some experts", "Albanian media", "unnamed US officials"
_VAGUE_MODS = (r"some|many|several|various|other|most|unnamed|anonymous|local|independent|foreign|western|"
               r"international|state|senior|multiple|numerous|certain|two|three|a\s+few|informed|diplomatic|"
               r"intelligence|security|media|press|news|government|official|opposition|unconfirmed|credible|"
               r"reliable|human\s+rights|rights")
_VAGUE_PLACE = r"U\.S\.|US|UK|EU|Arab|Gulf|Western|[A-Z][a-z]+(?:an|ese|ish|ch)"
_VAGUE_NOUN = (r"(?:sources|experts|analysts|observers|officials|diplomats|critics|commentators|scholars|"
               r"researchers|activists|witnesses|insiders|media|press|reports|studies|accounts|newspapers|outlets)")
_VAGUE_VERB = (r"(?:say|said|says|claim|claimed|claims|believe|believed|believes|agree|agreed|suggest|suggested|"
               r"suggests|report|reported|note|noted|allege|alleged|argue|argued|estimate|estimated|indicate|"
               r"indicated|show|showed|shown|confirm|confirmed|told|wrote|describe|described|contend|maintain)")
_VAGUE = [
    # "some experts say", "Albanian media reported", "unnamed US officials said"
    re.compile(rf"(?<![\w'’])(?:(?i:{_VAGUE_MODS})|{_VAGUE_PLACE})\s+(?:(?:(?i:{_VAGUE_MODS})|{_VAGUE_PLACE})\s+){{0,2}}"
               rf"{_VAGUE_NOUN}\s+(?:have\s+|has\s+|had\s+)?(?:also\s+|long\s+|widely\s+)?{_VAGUE_VERB}\b"),
    # "Analysts agree that …" opening a clause
    re.compile(rf"(?:^|(?<=[.;:!?]\s)|(?<=,\s)|(?<=\bthat\s)|(?<=\bbut\s)|(?<=“))(?:[Aa]nalysts|[Ee]xperts|"
               rf"[Cc]ritics|[Oo]bservers|[Ss]ources|[Rr]eports|[Ss]tudies|[Oo]fficials|[Dd]iplomats)\s+"
               rf"(?:have\s+|has\s+)?(?:also\s+|long\s+|widely\s+)?{_VAGUE_VERB}\b"),
    # "according to various sources", "according to one source", "according to media reports"
    re.compile(rf"\b[Aa]ccording\s+to\s+(?:(?:(?i:{_VAGUE_MODS})|one|a|{_VAGUE_PLACE})\s+){{1,3}}"
               rf"(?:sources?|experts?|analysts?|observers?|officials?|diplomats?|critics|reports?|estimates|"
               rf"accounts?|witnesses|media(?:\s+reports)?|insiders?|rumou?rs?|researchers|scholars|"
               rf"commentators)\b"),
    re.compile(r"\b[Aa]ccording\s+to\s+(?:sources|experts|analysts|observers|officials|diplomats|critics|reports|"
               r"estimates|witnesses|insiders|rumou?rs|media\s+reports|press\s+reports|lawyers|residents|"
               r"people\s+familiar)\b"),
    re.compile(r"\b[Ss]ources\s+(?:close|familiar)\s+(?:to|with)\s+[^,.;:!?]{1,50}?\s+(?:say|said|says|claim|"
               r"claimed)\b"),
    # "it has been reported that"
    re.compile(r"\b[Ii]t\s+(?:is|was|has\s+been|had\s+been)\s+(?:widely\s+)?(?:reported|said|claimed|alleged|"
               r"rumou?red|believed|estimated)\s+that\b"),
]
# the words each pattern above cannot match without (lower-cased), so the costly regexes run rarely
_NOUN_SET = frozenset(_VAGUE_NOUN.strip("(?:)").split("|"))
_VERB_SET = frozenset(_VAGUE_VERB.strip("(?:)").split("|"))
_VAGUE_NEEDS: list[tuple[frozenset[str], ...]] = [
    (_NOUN_SET, _VERB_SET), (_NOUN_SET, _VERB_SET), (frozenset({"according"}),), (frozenset({"according"}),),
    (frozenset({"sources"}), frozenset({"close", "familiar"})), (frozenset({"it"}),),
]
_ANTECEDENT_WINDOW = 8  # passages a definite "the report" may reach back to its work
_NOUN_FAMILY = {
    "report": {"report"}, "study": {"report", "article-journal", "book"},
    "survey": {"report"}, "investigation": {"report", "article-newspaper", "broadcast"},
    "paper": {"report", "article-journal"}, "book": {"book"}, "judgment": {"legal_case"},
    "judgement": {"legal_case"}, "ruling": {"legal_case"}, "verdict": {"legal_case"},
    "article": {"article-newspaper", "article-magazine", "article-journal", "article"},
    "documentary": {"broadcast", "motion_picture"}, "film": {"motion_picture", "broadcast"},
    "cable": {"report"}, "dossier": {"report"}, "assessment": {"report"}, "memo": {"report"}, "memorandum": {"report"},
}


@dataclass(frozen=True)
class Span:
    """An issuer or person named in a segment, with the record it contributes."""

    start: int
    end: int
    author: tuple[Name, ...] = ()
    container: str = ""
    category: str = "org"
    known: bool = True

    @property
    def key(self) -> str:
        if self.container:
            return issuers.canonical(self.container)
        return issuers.canonical(self.author[0].literal or self.author[0].family) if self.author else ""


@dataclass(frozen=True)
class Mention:
    """One attribution found in a passage (offsets are in the passage's segment)."""

    passage: int
    start: int
    end: int
    kind: str
    reference: Reference | None
    noun: str = ""
    anaphor: bool = False
    issuer_key: str = ""
    rank: int = 1


class Segment(NamedTuple):
    """A passage's text, taken from the source when it aligns (so lines and columns are exact).

    A named tuple, not a dataclass: one is made for every sentence of every document."""

    index: int
    line: int
    text: str
    source: int | None


def find(doc: Document, found: Iterable[RawCitation] = ()) -> Iterator[RawCitation]:
    """Every narrative or parenthetical attribution in ``doc``'s passages, in document order.

    ``found`` are the identifier citations (URL, DOI, ISBN) already found: one in the passage of a
    mention, or in the passage right after it, completes that mention's record.
    """
    if not doc.passages:
        return
    segments = list(_segments(doc))
    mentions: list[Mention] = []
    for seg in segments:
        mentions.extend(_scan(seg))
    found = tuple(found)
    position = {p.index: i for i, p in enumerate(doc.passages)}
    # a sentence that carries a footnote, a <ref> or a link rests on that source, not on "some experts"
    sourced = {position.get(c.passage) for c in (*doc.citations, *found) if c.passage is not None}
    mentions = _resolve(_merge_listings(mentions))
    sourced.update(m.passage for m in mentions if m.reference is not None)
    mentions = [m for m in mentions if m.reference is not None or m.passage not in sourced]
    mentions = _attach_identifiers(mentions, position, found)
    lines = line_map(doc.text) if doc.text else None
    for m in mentions:
        seg = segments[m.passage]
        raw = seg.text[m.start : m.end].strip()
        line, column = _locate(doc, lines, seg, m.start)
        yield RawCitation(m.kind, line, column, None, " ".join(raw.split()), None, doc.passages[m.passage].index,
                          reference=m.reference)


def lint(path: str, citations: Iterable[RawCitation]) -> Iterator[Finding]:
    """``vague-attribution``: a claim attributed to sources nobody could look up."""
    for c in citations:
        if c.kind in KINDS and c.reference is None:
            yield Finding(path, c.line, c.column, RULE, Severity.INFO,
                          f"attributed to no identifiable source: {c.raw!r}")


# segments and positions -------------------------------------------------------------------------------

def _segments(doc: Document) -> Iterator[Segment]:
    """One segment per passage; a passage cut inside a parenthesis (``(Smith et al. 2009)``) keeps
    the rest of it, so the citation is read whole (the next passage is then read from the cut on)."""
    text = doc.text
    held: Segment | None = None
    for i, p in enumerate(doc.passages):
        raw = _align(text, p.offset, p.text) if text else None
        seg = Segment(i, p.line, raw if raw is not None else p.text, p.offset if raw is not None else None)
        if held is not None:
            if seg.source is not None and held.source is not None:
                close = seg.text.find(")")
                if 0 <= close < 80:
                    yield held._replace(text=text[held.source : seg.source + close + 1])
                    held = None
                else:
                    yield held
                    held = None
            else:
                yield held
                held = None
        if seg.text.count("(") > seg.text.count(")") and seg.source is not None and i + 1 < len(doc.passages):
            held = seg
            continue
        yield seg
    if held is not None:
        yield held


def _align(text: str, start: int, sentence: str) -> str | None:
    """The source text of ``sentence`` (which had its white space squashed) starting at ``start``."""
    end = start + len(sentence)
    if text.startswith(sentence, start):
        return text[start:end]
    # word by word (a reader that rewrote the text fails within a few words; a squashed one matches)
    j, n = start, len(text)
    for i, word in enumerate(sentence.split(" ")):
        if i:  # a space of the sentence: one or more white-space characters of the text
            if j >= n or not text[j].isspace():
                return None
            j += 1
            while j < n and text[j].isspace():
                j += 1
        if not text.startswith(word, j):
            return None
        j += len(word)
    return text[start:j]


def _locate(doc: Document, lines: LineMap | None, seg: Segment, offset: int) -> tuple[int, int]:
    if lines is not None and seg.source is not None:
        return lines.locate(seg.source + offset)
    if lines is not None:
        # a reader that rewrote the text (wikitext): find the words near the passage's start
        probe = seg.text[offset : offset + 24]
        start = doc.passages[seg.index].offset
        hit = doc.text.find(probe, start, start + 20000) if probe else -1
        if hit >= 0:
            return lines.locate(hit)
    return seg.line, 1


# spans: issuers and persons ------------------------------------------------------------------------

def issuer_spans(text: str) -> list[Span]:
    """Issuers named in ``text``: table names (any spelling), outlet-shaped and organisation-shaped names."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _RUN.finditer(text)]
    runs: list[list[tuple[int, int, str]]] = []
    for tok in tokens:
        if runs and text[runs[-1][-1][1] : tok[0]] in (" ", "\t"):
            runs[-1].append(tok)
        else:
            runs.append([tok])
    out: list[Span] = []
    for run in runs:
        while run and not run[-1][2][:1].isupper():
            run.pop()  # connectors join capitalised words only
        out.extend(_run_spans(text, run))
    return out


def _run_spans(text: str, run: list[tuple[int, int, str]]) -> Iterator[Span]:
    """Table names first (longest at each word); only a run without one may be an unknown name."""
    hits: list[bool] = []
    found = list(_run_pass(text, run, True, hits))
    yield from found if hits else _run_pass(text, run, False, hits)


def _run_pass(text: str, run: list[tuple[int, int, str]], known: bool, hits: list[bool]) -> Iterator[Span]:
    n = len(run)
    i = 0
    while i < n:
        if not run[i][2][:1].isupper() or (not known and run[i][2].lower() in _FUNCTION):
            i += 1
            continue
        hit = None
        for j in range(min(n, i + 8), i, -1):
            if not run[j - 1][2][:1].isupper():
                continue
            span = _issuer(text, run[i][0], text[run[i][0] : run[j - 1][1]], known)
            if span is not None:
                hit = (j, span)
                break
        if hit is None:
            i += 1
            continue
        j, span = hit
        hits.append(True)
        if (j == n or run[j][2].lower() in _CONNECTORS) and _free_before(run, i):
            yield span
        i = j


def _free_before(run: list[tuple[int, int, str]], i: int) -> bool:
    """``Ayn Rand`` and ``Minister of Foreign Affairs`` are not issuers; ``Judgment of the X Commission`` is."""
    if i == 0:
        return True
    prev = run[i - 1][2]
    if prev.lower() in _FUNCTION:
        return True
    if prev.lower() not in _CONNECTORS:
        return False
    k = i - 1
    while k >= 0 and run[k][2].lower() in _CONNECTORS:
        k -= 1
    return k < 0 or run[k][2].lower() in _FUNCTION or run[k][2].lower() in _WORK_WORDS


def _issuer(text: str, start: int, phrase: str, known: bool) -> Span | None:
    after_article = text[max(0, start - 4) : start].lower() == "the "
    found = _classify(phrase, after_article, known)
    if found is None:
        return None
    shift, length, name, category, is_known = found
    return _span(start + shift, start + length, name, category, is_known)


@functools.lru_cache(maxsize=100_000)
def _classify(phrase: str, after_article: bool, known: bool) -> tuple[int, int, str, str, bool] | None:
    """Whether a capitalised phrase names an issuer: (start shift, length, name, category, known).

    A pure function of the phrase, cached: prose repeats the same names, and every sentence's
    capitalised runs are tried at several lengths.
    """
    if phrase.endswith(".") and not re.search(r"(?:\b[A-Z]\.)+$", phrase):
        phrase = phrase[:-1]  # a full stop, not an abbreviation's (U.S.)
    bare = re.sub(r"['’]s$", "", phrase)
    length = len(bare)
    start = 0
    after_article = after_article or bare.startswith("The ")
    if issuers.is_country(bare) or issuers.key(bare) in issuers.MONTH_WORDS:
        return None
    issuer = issuers.lookup(bare, after_article)
    if issuer is None and bare.startswith("The "):
        issuer = issuers.lookup(bare[4:], True)
        if issuer is not None:
            start += 4
    if issuer is not None:
        return start, length, issuer.name, issuer.category, True
    if known or any(w.lower() in _WORK_WORDS for w in bare.split()):
        return None
    if bare.startswith("The "):
        bare, start = bare[4:], start + 4
    category = issuers.outlet_category(bare)
    if category is not None:
        return start, length, bare, category, False
    compact = bare.replace(".", "")
    if compact.isupper() and 2 <= len(compact) <= 6 and compact.isalpha() and not _roman(compact):
        return start, length, bare, "org", False
    if len(bare.split()) >= 2 and names.is_corporate(bare) and not any(ch.isdigit() for ch in bare):
        return start, length, bare, "org", False
    return None


def _roman(word: str) -> bool:
    return bool(re.fullmatch(r"[IVXLC]+", word))


def _span(start: int, end: int, name: str, category: str, known: bool) -> Span:
    if category in issuers.CONTAINER_CATEGORIES:
        return Span(start, end, container=name, category=category, known=known)
    return Span(start, end, author=(Name(literal=name),), category=category, known=known)


def _person(text: str) -> Name | None:
    words = text.split()
    if not 2 <= len(words) <= 4 or any(w.lower() in _FUNCTION for w in words):
        return None
    if names.is_corporate(text) or issuers.is_country(words[0]) or issuers.lookup(text) is not None:
        return None
    return names.parse_name(text)


def _person_span(start: int, text: str) -> Span | None:
    name = _person(text)
    return Span(start, start + len(text), author=(name,), category="person", known=True) if name else None


# the scan of one segment ---------------------------------------------------------------------------

def _scan(seg: Segment) -> list[Mention]:
    """Every frame that may apply; each is gated by a cheap test, since most sentences cite nothing."""
    text = seg.text
    out: list[Mention] = []
    if _SHOP.search(text):
        out.extend(_listings(seg))
    if "," in text:
        out.extend(_bylines(seg))
    if "(" in text:
        out.extend(_parentheticals(seg))
        out.extend(_author_year(seg))
    if "uthor of" in text:
        out.extend(_author_of(seg))
    if "riting in" in text or "rote in" in text or "rites in" in text:
        out.extend(_writing_in(seg))
    words = lower_words(text)
    noun = not _NOUN_WORDS.isdisjoint(words)
    if noun or not _FRAME_WORDS.isdisjoint(words):
        spans = issuer_spans(text)
        if noun:
            out.extend(_noun_phrases(seg, spans, not _VERB_WORDS.isdisjoint(words)))
        if spans:
            out.extend(_issuer_verbs(seg, spans, out))
    if not _VAGUE_WORDS.isdisjoint(words) or ("it" in words and not _IT_WORDS.isdisjoint(words)):
        out.extend(_vague(seg, words))
    return out


_SHOP = re.compile(r"Paperback|Hardcover|Hardback|Kindle Edition|Audiobook")
_FRAME_WORDS = frozenset(f"{WRITTEN_VERBS}|{SPOKEN_VERBS}|according".split("|"))
_VERB_WORDS = frozenset(f"{WRITTEN_VERBS}|{SPOKEN_VERBS}".split("|"))
# ``str.translate`` table for ASCII text: a-z kept, every other character a space
_LETTERS_ONLY = str.maketrans({chr(code): chr(code) if 97 <= code <= 122 else " " for code in range(128)})
_LOWER_RUN = re.compile(r"[a-z]+")


def lower_words(text: str) -> set[str]:
    """The runs of a-z in the lower-cased text (what the frame word lists are matched against).

    ``translate`` is fastest on ASCII text; on any other text it looks every character up in Python,
    and the regex is faster there. Both give the same runs."""
    lowered = text.lower()
    if lowered.isascii():
        return set(lowered.translate(_LETTERS_ONLY).split())
    return set(_LOWER_RUN.findall(lowered))


_NOUN_WORDS = frozenset(
    "report study survey investigation paper dossier memo memorandum cable article op ed editorial column read book "
    "judgment judgement ruling verdict documentary film assessment source release".split()
)
_VAGUE_WORDS = frozenset(
    "sources experts analysts observers officials diplomats critics commentators scholars researchers activists "
    "witnesses insiders media press reports studies accounts newspapers outlets according".split()
)
_IT_WORDS = frozenset("reported said claimed alleged rumoured rumored believed estimated".split())


def _date(text: str) -> DateValue | None:
    return dates.parse(text)


def _reference(who: Span | None, type_: str, issued: DateValue | None = None, title: str = "",
               genre: str = "", extra: Span | None = None) -> Reference:
    author: tuple[Name, ...] = ()
    container = ""
    for s in (who, extra):
        if s is None:
            continue
        if s.container and not container:
            container = s.container
        elif s.author and not author:
            author = s.author
    return Reference(type=type_, title=title, author=author, issued=issued, container_title=container, genre=genre)


def _type_for(noun: str, span: Span | None) -> tuple[str, str]:
    type_, genre = NOUNS.get(noun, ("document", ""))
    if span is not None and span.category in issuers.CONTAINER_CATEGORIES | {"wire"} and noun in REPORT_NOUNS:
        return issuers.CATEGORY_TYPES[span.category], genre
    if span is not None and span.category == "magazine" and type_ == "article-newspaper":
        return "article-magazine", genre
    if span is not None and span.category == "court" and noun in REPORT_NOUNS | {"source"}:
        return "legal_case", genre
    return type_, genre


def _listings(seg: Segment) -> Iterator[Mention]:
    """``Title Paperback – February 2019``: a bookseller's listing names a book and its date."""
    for m in _LISTING.finditer(seg.text):
        title = m.group("title").strip(" ,;:")
        issued = _date(m.group("date"))
        if issued is None or len(title.split()) < 2:
            continue
        ref = Reference(type="book", title=_tidy_title(title), issued=issued)
        yield Mention(seg.index, m.start("title"), m.end(), "narrative", ref, noun="book", rank=3)


def _tidy_title(title: str) -> str:
    """Shouting capitals (``ASHRAF III, RISING From``) are a listing's style, not the title's."""
    words = title.split()
    if sum(1 for w in words if w.isupper() and len(w) > 3) >= 2:
        fixed = []
        for w in words:
            fixed.append(w if not w.isupper() or _roman(w.strip(",:;")) or len(w) <= 2 else w.capitalize())
        return " ".join(fixed)
    return title


def _bylines(seg: Segment) -> Iterator[Mention]:
    """``Jane Doe, The Guardian, London, 09 november 2018``: a piece's author, outlet, place and date."""
    for m in _BYLINE.finditer(seg.text):
        person = _person_span(m.start("person"), m.group("person"))
        outlet_text = m.group("outlet")
        issuer = issuers.lookup(outlet_text) or (issuers.lookup(outlet_text[4:]) if outlet_text.startswith("The ")
                                                 else None)
        category = issuer.category if issuer else issuers.outlet_category(outlet_text.removeprefix("The "))
        issued = _date(m.group("date"))
        if person is None or category is None or category not in issuers.CONTAINER_CATEGORIES | {"wire"} \
                or issued is None:
            continue
        name = issuer.name if issuer else outlet_text.removeprefix("The ")
        type_ = issuers.CATEGORY_TYPES[category]
        ref = Reference(type=type_, author=person.author, container_title=name, issued=issued,
                        publisher_place=m.group("place") or "")
        yield Mention(seg.index, m.start("person"), m.end("date"), "narrative", ref, rank=3,
                      issuer_key=issuers.canonical(name))


def _parentheticals(seg: Segment) -> Iterator[Mention]:
    """``(John Smith, State TV, June 1, 2019)``, ``(Reuters, 3 May 2018)``, ``(Smith 2004: 12)``."""
    for m in _PAREN.finditer(seg.text):
        body = m.group(1)
        if not _DATE_RE.search(body):
            continue
        offset = m.start(1)
        for part_start, part in _parts(body):
            ref = _paren_reference(part.strip())
            if ref is not None:
                lead = len(part) - len(part.lstrip())
                s = offset + part_start + lead
                yield Mention(seg.index, s, s + len(part.strip()), "parenthetical", ref, rank=3,
                              issuer_key=_ref_key(ref))


def _parts(body: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for piece in body.split(";"):
        yield pos, piece
        pos += len(piece) + 1


def _paren_reference(part: str) -> Reference | None:
    m = _AUTHOR_YEAR.match(part)
    if m:
        who = m.group("who")
        first = who.split()[0]
        if issuers.is_country(first) or issuers.key(first) in issuers.MONTH_WORDS or first.lower() in _FUNCTION:
            return None
        issuer = issuers.lookup(who)
        issued = DateValue(((int(m.group("year")),),), m.group("year"))
        if issuer is not None:
            span = _span(0, 0, issuer.name, issuer.category, True)
            return _reference(span, issuer.work_type, issued)
        if len(who.split()) == 1 and not names.looks_like_person(f"{who}, A"):
            return None
        family = re.split(r"\s+(?:et\s+al|and|&)\b", who)[0]
        return Reference(type="document", author=(Name(family=family),), issued=issued)
    items = [p.strip() for p in part.split(",")]
    if items and _LOCATOR.match(items[-1]):
        items.pop()
    if len(items) < 2:
        return None
    for cut in range(1, len(items)):
        issued = _date(", ".join(items[cut:]))
        if issued is not None:
            break
    else:
        return None
    head = items[:cut]
    if len(head) > 2:
        return None
    who_text = head[0].removeprefix("see ").removeprefix("See ")
    issuer = issuers.lookup(who_text) or issuers.lookup(who_text.removeprefix("The "), True)
    outlet_text = head[1] if len(head) == 2 else ""
    if issuer is not None and not outlet_text:
        span = _span(0, 0, issuer.name, issuer.category, True)
        return _reference(span, issuer.work_type, issued)
    if not outlet_text:
        return None
    person = _person(who_text)
    if person is None:
        return None
    outlet = issuers.lookup(outlet_text) or issuers.lookup(outlet_text.removeprefix("The "), True)
    category = outlet.category if outlet else issuers.outlet_category(outlet_text.removeprefix("The "))
    if category is None or category not in issuers.CONTAINER_CATEGORIES | {"wire"}:
        return None
    name = outlet.name if outlet else outlet_text.removeprefix("The ")
    return Reference(type=issuers.CATEGORY_TYPES[category], author=(person,), container_title=name, issued=issued)


def _ref_key(ref: Reference) -> str:
    if ref.container_title:
        return issuers.canonical(ref.container_title)
    if ref.author:
        return issuers.canonical(ref.author[0].literal or ref.author[0].family)
    return ""


_WRITING_IN = re.compile(
    rf"(?:\b(?P<p1>{_NAME}),?\s+(?:writing|wrote|writes|argued|argues)\s+in\s+(?:the\s+)?(?P<o1>[A-Z][^,.;:]{{1,40}}?)"
    rf"(?:\s+(?:in|on)\s+(?P<d1>{_DATE}))?(?=[,.;:]|\s+(?:that|in|on)\b)"
    rf"|\b[Ww]riting\s+in\s+(?:the\s+)?(?P<o2>[A-Z][^,.;:]{{1,40}}?)(?:\s+(?:in|on)\s+(?P<d2>{_DATE}))?,\s+"
    rf"(?P<p2>{_NAME}))"
)
_AUTHOR_PAREN_YEAR = re.compile(
    rf"\b(?P<who>[A-Z][\w'’-]+(?:\s+(?:et\s+al\.?|(?:and|&)\s+[A-Z][\w'’-]+))?)\s+\((?P<year>{_YEAR})[a-z]?"
    rf"(?:[:,]\s*(?:pp?\.\s*)?\d+(?:[–-]\d+)?)?\)"
)


def _writing_in(seg: Segment) -> Iterator[Mention]:
    """``Writing in Foreign Policy in 2019, Jane Doe argued``: a piece by a person in an outlet."""
    for m in _WRITING_IN.finditer(seg.text):
        person_text, outlet_text = m.group("p1") or m.group("p2"), (m.group("o1") or m.group("o2")).strip()
        person = _person(person_text)
        outlet = issuers.lookup(outlet_text) or issuers.lookup(outlet_text.removeprefix("The "), True)
        category = outlet.category if outlet else issuers.outlet_category(outlet_text.removeprefix("The "))
        if person is None or category is None:
            continue
        date_text = m.group("d1") or m.group("d2")
        issued = _date(date_text) if date_text else None
        name = outlet.name if outlet else outlet_text.removeprefix("The ")
        type_ = issuers.CATEGORY_TYPES[category]
        ref = Reference(type=type_ if type_ != "report" else "document", author=(person,), container_title=name,
                        issued=issued)
        yield Mention(seg.index, m.start(), m.end(), "narrative", ref, rank=3,
                      issuer_key=issuers.canonical(person.family))


def _author_year(seg: Segment) -> Iterator[Mention]:
    """``Okonjo (2004) argues``: an author named in the sentence with the year of the work."""
    for m in _AUTHOR_PAREN_YEAR.finditer(seg.text):
        ref = _paren_reference(f"{m.group('who')} {m.group('year')}")
        if ref is not None:
            yield Mention(seg.index, m.start(), m.end(), "narrative", ref, rank=2, issuer_key=_ref_key(ref))


def _author_of(seg: Segment) -> Iterator[Mention]:
    """``Jane Doe, a professor …, author of … The Title``: a book named with its author."""
    text = seg.text
    for m in _AUTHOR_OF.finditer(text):
        title, t_end = _title_after(text, m.end())
        if not title:
            continue
        person = None
        for n in _NAME_RE.finditer(text, max(0, m.start() - 240), m.start()):
            follow = text[n.end() : n.end() + 5]
            if follow.startswith(",") or follow.startswith(" is") or follow.startswith(" was"):
                candidate = _person(n.group(0))
                if candidate is not None:
                    person = (n.start(), candidate)
        if person is None:
            continue
        year = re.match(rf"\s*\((?P<y>{_YEAR})\)", text[t_end:])
        issued = DateValue(((int(year.group("y")),),), year.group("y")) if year else None
        ref = Reference(type="book", title=title, author=(person[1],), issued=issued)
        yield Mention(seg.index, person[0], t_end + (year.end() if year else 0), "narrative", ref, noun="book",
                      rank=3, issuer_key=issuers.canonical(person[1].family))


def _title_after(text: str, pos: int) -> tuple[str, int]:
    """A title after ``pos``: quoted, or a Title-Case run right there or after the clause's last comma."""
    rest = text[pos : pos + 260]
    q = re.match(rf"\s+(?:the\s+(?:book|study|report)\s+)?{_QUOTED}", rest)
    if q:
        return q.group(1).strip(" ,"), pos + q.end()
    clause = re.split(r"[.;!?”\"](?:\s|$)", rest, maxsplit=1)[0]
    direct = re.match(r"\s+(?:the\s+book\s+)?", clause)
    start = direct.end() if direct else 0
    run = _TITLE_RUN.match(clause, start)
    if run is None:
        comma = clause.rfind(", ")
        if comma < 0:
            return "", pos
        run = _TITLE_RUN.match(clause, comma + 2)
        if run is None or run.end() < len(clause.rstrip(" ,")):
            return "", pos
    title = run.group(0).rstrip(" ,:")
    if len(title.split()) < 2:
        return "", pos
    return title, pos + run.start() + len(title)


def _noun_phrases(seg: Segment, spans: list[Span], verbs: bool = True) -> Iterator[Mention]:
    """``a 2009 RAND report``, ``A Judgment of the X Commission, on 30 November 2007``, ``the report``.

    ``verbs``: whether the sentence has a reporting verb at all (when not, none is looked for after a noun)."""
    text = seg.text
    by_end = {s.end: s for s in spans}
    by_start = {s.start: s for s in spans}
    for m in _NOUN.finditer(text):
        noun = m.group(0).lower()
        np = _left(text, m.start(), by_end)
        if np is None:
            continue
        start, det, year, issuer = np
        end = m.end()
        right = _right(text, end, by_start, noun, verbs)
        if issuer is None and right.issuer is not None:
            issuer = right.issuer
        end = max(end, right.end)
        issued = right.issued
        if issued is None and year is not None:
            issued = DateValue(((year,),), str(year))
        title = right.title
        if noun == "source":
            if det == "this" and issuer is None and issued is None:
                yield Mention(seg.index, start, m.end(), "narrative", None, noun=noun, anaphor=True, rank=0)
            continue
        if issuer is None and not title:
            if det in ("the", "this") and issued is None:
                yield Mention(seg.index, start, m.end(), "narrative", None, noun=noun, anaphor=True, rank=0)
            elif (right.verb and _subject_position(text, start)) or _according_before(text, start):
                stop = _CLAUSE_STOP.search(text, m.end(), m.end() + 80)
                close = stop.start() if stop else end
                yield Mention(seg.index, start, close, "narrative", None, noun=noun, rank=1)
            continue
        type_, genre = _type_for(noun, issuer)
        ref = _reference(issuer, type_, issued, title, genre)
        anaphor = det in ("the", "this") and issued is None and not title and issuer is not None
        yield Mention(seg.index, start, end, "narrative", ref, noun=noun, anaphor=anaphor, rank=2,
                      issuer_key=issuer.key if issuer else "")


_SUBJECT_LEAD = frozenset("as and but that while when where whereas although though because since yet so".split())


def _subject_position(text: str, start: int) -> bool:
    """Whether the phrase at ``start`` opens a clause (so it is the verb's subject, not an object)."""
    head = text[:start].rstrip()
    if not head or head[-1] in ",;:“\"(—–‘'-•*":
        return True
    word = _LAST_WORD.search(head)
    return bool(word) and word.group(1).lower() in _SUBJECT_LEAD


def _according_before(text: str, start: int) -> bool:
    return _ACCORDING_TO.search(text[max(0, start - 20) : start]) is not None


_CLAUSE_STOP = re.compile(r"[,.;:!?]")
_LAST_WORD = re.compile(r"(\w+)$")
_ACCORDING_TO = re.compile(r"\b[Aa]ccording\s+to\s+$")
_YEAR_WORD = re.compile(_YEAR)


def _left(text: str, noun_start: int, by_end: dict[int, Span]) -> tuple[int, str, int | None, Span | None] | None:
    """Walk back from the noun over its modifiers: determiner, year, issuer (maybe possessive), adjectives."""
    pos = noun_start
    det = ""
    year: int | None = None
    issuer: Span | None = None
    start = noun_start
    modifiers = 0
    for _ in range(8):
        k = pos
        while k > 0 and text[k - 1] in " \t\n":
            k -= 1
        if k == pos or k == 0:
            break
        possessive = text[k - 2 : k] in ("’s", "'s")
        span = by_end.get(k) or (by_end.get(k - 2) if possessive else None)
        if span is not None and issuer is None and span.category != "person":
            issuer = span
            pos = start = span.start
            continue
        wm = _word_before(text, k)
        if wm is None:
            break
        word = wm.group(1)
        low = word.lower()
        if low in _DETS:
            det = _DETS[low]
            pos = start = wm.start()
            if low == "same":
                continue
            break
        if year is None and _YEAR_WORD.fullmatch(word):
            year = int(word)
            pos = start = wm.start()
            continue
        if low in _NP_STOP or any(ch.isdigit() for ch in word) or low.endswith("ly") or modifiers >= 3:
            break
        modifiers += 1
        pos = start = wm.start()
    if not det and year is None and issuer is None:
        return noun_start, "", None, None
    return start, det, year, issuer


_WORD_BEFORE = re.compile(r"([\w'’.-]+)$")


def _word_before(text: str, k: int) -> re.Match[str] | None:
    """The word ending at ``k``. Searched in the 40 characters before it (a search from the sentence's
    start tries every position); from the start only when the word is longer than that."""
    window = max(0, k - 40)
    m = _WORD_BEFORE.search(text, window, k)
    if m is not None and m.start() == window and window > 0:
        return _WORD_BEFORE.search(text, 0, k)
    return m


@dataclass(frozen=True)
class _Right:
    end: int = 0
    issuer: Span | None = None
    issued: DateValue | None = None
    title: str = ""
    verb: bool = False
    commissioned: bool = False


_BY = re.compile(r"\s+(?P<prep>by|from|of|issued\s+by|published\s+by|prepared\s+by|released\s+by|written\s+by|"
                 r"authored\s+by|commissioned\s+by|produced\s+by|compiled\s+by)\s+(?:the\s+)?")
_TOPIC = re.compile(r"\s+(?:on|about|into|regarding|concerning)\s+[^.;:!?“”\"()]{1,120}?(?=\s+by\s)")
_DATE_TAIL = re.compile(
    rf",?\s+(?:(?:to|for|before)\s+the\s+[A-Z][\w'’.-]*(?:\s+(?:of|the|for|and|on|[A-Z][\w'’.-]*)){{0,8}}\s+)?"
    rf"(?:in\s+[A-Z][\w'’-]*(?:\s+[a-zA-Z'’-]+){{0,3}}\s+(?=on\s))?"
    rf"(?:(?:published|released|issued|dated|delivered|handed\s+down|aired|broadcast)\s+)?,?\s*"
    rf"(?:in|on|of|from|dated)\s+(?P<date>{_DATE})(?=\s*[,.;:)]|\s+(?:{_VERB}|that|which|[a-z]+ed)\b|\s*$)",
    re.I,
)
_PAREN_YEAR = re.compile(rf"\s*\((?P<year>{_YEAR})\)")
_TITLE_TAIL = re.compile(rf",?\s+(?:(?:titled|entitled|called)\s+)?{_QUOTED}|,?\s+(?:titled|entitled|called)\s+"
                         rf"(?P<plain>[A-Z][\w'’-]*(?:[ \t]+{_TITLE_WORD}){{0,12}})")
_VERB_AFTER = re.compile(
    rf"(?:\s*,?\s*(?:(?!\b(?:he|she|they|we|I|it|who|which|that|and)\b)[^.;:!?“”\"]){{0,120}}?\s)?(?:has\s+|had\s+|"
    rf"have\s+)?(?:also\s+|later\s+)?{_VERB}\b"
)


def _right(text: str, pos: int, by_start: dict[int, Span], noun: str, verbs: bool = True) -> _Right:
    """What follows the noun: ``by``/``of`` an issuer or author, a bound date, a title, a verb (looked for
    only when the sentence has one: the verb pattern is the costliest here)."""
    end = pos
    issuer: Span | None = None
    commissioned = False
    issued: DateValue | None = None
    title = ""
    y = _PAREN_YEAR.match(text, end)
    if y:
        issued = DateValue(((int(y.group("year")),),), y.group("year"))
        end = y.end()
    for probe in (end, None):
        at = end
        if probe is None:
            t = _TOPIC.match(text, end)
            if t is None:
                break
            at = t.end()
        b = _BY.match(text, at)
        if b is None:
            continue
        prep = b.group("prep")
        if prep == "of" and probe is None:
            continue
        span = by_start.get(b.end())
        if span is None and prep != "of" and noun in ("book", "article", "study", "paper", "op-ed", "column",
                                                      "documentary", "film", "long read", "report"):
            pm = _NAME_RE.match(text, b.end())
            if pm:
                span = _person_span(pm.start(), pm.group(0))
        if span is None:
            continue
        if prep.startswith("commissioned"):
            commissioned = True
            end = span.end
            break
        issuer = span
        end = span.end
        break
    if issued is None:
        d = _DATE_TAIL.match(text, end)
        if d:
            issued = _date(d.group("date"))
            if issued is not None:
                end = d.end("date")
    t = _TITLE_TAIL.match(text, end)
    if t:
        title = (t.group(1) or t.group("plain") or "").strip(" ,")
        end = t.end()
    verb = verbs and _VERB_AFTER.match(text, end) is not None
    return _Right(end, issuer, issued, title, verb, commissioned)


_AFTER_ISSUER = re.compile(
    rf"(?:\s+in\s+[A-Z][\w'’-]+)?(?:\s*,\s*(?:which|who)\s+|\s*,\s+(?:which|who|affiliated|linked|close|owned|run|based|citing|quoting)\b"
    rf"[^,.;:!?]{{0,60}}?,?\s+|\s*,[^,.;:!?“”\"]{{1,80}},\s*|\s+)(?:has\s+|have\s+|had\s+)?(?:also\s+|previously\s+|"
    rf"recently\s+|later\s+|then\s+|itself\s+)?(?P<verb>{_VERB})\b"
)
_VERB_WORK = re.compile(
    rf"\s+(?:(?:in|with)\s+)?(?:a|an|its|their)\s+(?:(?P<y1>{_YEAR})\s+)?(?:[a-z-]+\s+){{0,2}}"
    rf"(?:(?P<noun>{_NOUNS})s?|[a-z-]+)(?:\s+(?:of|on|about|into)\s+[^.;:,!?]{{1,60}}?)?"
    rf"(?:\s+(?:in|on)\s+(?P<date>{_DATE}))?(?=\s*[,.;:]|\s+that\b|\s*$)"
)
_LEAD_WORK = re.compile(
    rf"(?:^|(?<=[\s(]))[Ii]n\s+(?:a|an|its|their)\s+(?P<date>{_YEAR})\s+(?:(?P<noun>{_NOUNS})|[a-z-]+),\s+"
    rf"(?:the\s+)?$"
)
_OWN_WORK = re.compile(
    rf",\s+in\s+(?:its|their|a)\s+(?:[a-z-]+\s+){{0,2}}(?P<noun>{_NOUNS})(?:\s+(?:of|on|dated|from)\s+"
    rf"(?P<date>{_DATE}))?,"
)
_OUTLET_WORD = re.compile(r"\s+(?:news|magazine|newspaper|daily|weekly|channel|television|agency|website)\b")
_VERB_DATE = re.compile(rf"\s+(?:on|in)\s+(?P<date>{_DATE})(?![\w\d])", re.I)
_LEAD_DATE = re.compile(rf"(?:^|(?<=[\s(]))(?:[Ii]n|[Oo]n)\s+(?P<date>{_DATE}),?\s+(?:the\s+)?$", re.I)
_INVERTED = re.compile(rf"\b(?P<verb>{_VERB})\s+(?:the\s+)?$")
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+(?:the\s+)?$")


def _issuer_verbs(seg: Segment, spans: list[Span], taken: list[Mention]) -> Iterator[Mention]:
    """``Human Rights Watch, which reported``, ``writes the Observer,``, ``according to Reuters``."""
    text = seg.text
    for s in spans:
        if s.category == "person" or any(m.start <= s.start < m.end for m in taken if m.reference is not None):
            continue
        head = text[max(0, s.start - 60) : s.start]
        tail = _OUTLET_WORD.match(text, s.end) if s.category in issuers.CONTAINER_CATEGORIES | {"wire"} else None
        after = _AFTER_ISSUER.match(text, tail.end() if tail else s.end)
        start, end = s.start, s.end
        verb = ""
        noun = ""
        issued: DateValue | None = None
        own = _OWN_WORK.match(text, s.end)
        if own:
            issued = _date(own.group("date")) if own.group("date") else None
            noun = own.group("noun").lower()
            type_, genre = _type_for(noun, s)
            yield Mention(seg.index, s.start, own.end("noun") if issued is None else own.end("date"), "narrative",
                          _reference(s, type_, issued, genre=genre), rank=2, issuer_key=s.key)
            continue
        lead = _LEAD_DATE.search(head) or _LEAD_WORK.search(head)
        if after and not lead and not _subject_position(text, _without_article(text, s.start)):
            after = None
        if after:
            verb = after.group("verb")
            end = after.end()
            d = _VERB_DATE.match(text, end) or _VERB_WORK.match(text, end)
            if d and not (d.group("date") or d.groupdict().get("y1") or d.groupdict().get("noun")):
                d = None  # "reported a plan": the object says nothing about the work
            if d:
                found_date = d.group("date") or d.groupdict().get("y1")
                issued = _date(found_date) if found_date else None
                end = d.end()
                noun = (d.groupdict().get("noun") or "").lower()
            lead = lead or _LEAD_WORK.search(head)
            if lead and issued is None:
                issued = _date(lead.group("date"))
                start = s.start - (len(head) - lead.start())
                noun = noun or (lead.groupdict().get("noun") or "").lower()
        else:
            inv = _INVERTED.search(head)
            acc = _ACCORDING.search(head)
            closes = re.match(r"\s*(?:[,.;:)]|$)", text[s.end :])
            if inv and closes:
                verb = inv.group("verb")
                start = s.start - (len(head) - inv.start())
            elif acc:
                verb = "according"
                start = s.start - (len(head) - acc.start())
            else:
                continue
        genre = ""
        if noun:
            type_, genre = _type_for(noun, s)
        elif s.category in issuers.CONTAINER_CATEGORIES | {"wire", "court"}:
            type_ = issuers.CATEGORY_TYPES[s.category]
        elif _WRITTEN.match(verb):
            type_ = "report"
        else:
            type_ = "document"
        ref = _reference(s, type_, issued, genre=genre)
        yield Mention(seg.index, start, end, "narrative", ref, rank=1, issuer_key=s.key)


def _without_article(text: str, start: int) -> int:
    """Where ``the X`` starts, given where ``X`` starts."""
    head = text[max(0, start - 4) : start]
    return start - 4 if head.lower() == "the " else start


def _vague(seg: Segment, words: set[str]) -> Iterator[Mention]:
    text = seg.text
    for pattern, needs in zip(_VAGUE, _VAGUE_NEEDS, strict=True):
        if not all(not words.isdisjoint(group) for group in needs):
            continue  # the cheap test: most sentences lack the words a pattern needs
        for m in pattern.finditer(text):
            yield Mention(seg.index, m.start(), m.end(), "narrative", None, rank=0)


# document-level passes -----------------------------------------------------------------------------

def _merge_listings(mentions: list[Mention]) -> list[Mention]:
    """A listing (title, date) and the ``book by X`` right after it are one book: share the record."""
    ordered = sorted(mentions, key=lambda m: (m.passage, m.start, -m.end))
    out = list(ordered)
    for i, m in enumerate(ordered):
        if m.reference is None or m.noun != "book" or m.reference.author or not m.reference.title:
            continue
        for j in range(i + 1, min(len(ordered), i + 4)):
            other = ordered[j]
            if other.passage - m.passage > 1 or other.reference is None:
                continue
            if other.noun == "book" and other.reference.author and not other.reference.title:
                merged = replace(m.reference, author=other.reference.author)
                out[i] = replace(m, reference=merged, issuer_key=other.issuer_key)
                out[j] = replace(other, reference=merged)
                break
    return out


def _resolve(mentions: list[Mention]) -> list[Mention]:
    """Drop overlaps (the richer reading wins), then give anaphora their antecedent's record."""
    ordered = sorted(mentions, key=lambda m: (m.passage, m.start, -m.rank, -(m.end - m.start)))
    kept: list[Mention] = []
    for m in ordered:
        clash = [k for k in kept if k.passage == m.passage and k.start < m.end and m.start < k.end]
        if clash:
            if all(_better(m, k) for k in clash):
                for k in clash:
                    kept.remove(k)
            else:
                continue
        kept.append(m)
    kept.sort(key=lambda m: (m.passage, m.start))
    out: list[Mention] = []
    last: Mention | None = None
    last_passage = -1
    for m in kept:
        if m.anaphor:
            target = _antecedent(m, out, last, last_passage)
            if target is None:
                if m.reference is None:
                    continue
                out.append(replace(m, anaphor=False))
                last, last_passage = out[-1], m.passage
                continue
            out.append(replace(m, reference=target.reference, issuer_key=target.issuer_key, anaphor=False))
            last, last_passage = out[-1], m.passage
            continue
        out.append(m)
        last, last_passage = m, m.passage
    return out


def _better(m: Mention, k: Mention) -> bool:
    if m.rank != k.rank:
        return m.rank > k.rank
    return (m.end - m.start) > (k.end - k.start)


def _antecedent(m: Mention, before: list[Mention], last: Mention | None, last_passage: int) -> Mention | None:
    if m.issuer_key:
        for prev in reversed(before):
            if prev.reference is not None and prev.issuer_key == m.issuer_key:
                return prev
        return None
    if last is None or last.reference is None or m.passage - last_passage > _ANTECEDENT_WINDOW:
        return None
    if m.noun == "source":
        return last
    family = _NOUN_FAMILY.get(m.noun, set())
    ref = last.reference
    if ref.type in family or (m.noun in ref.title.lower()) or last.noun == m.noun:
        return last
    return None


def _attach_identifiers(mentions: list[Mention], position: dict[int, int],
                        found: Iterable[RawCitation]) -> list[Mention]:
    """A URL, DOI or ISBN in a mention's passage, or in the passage right after it, belongs to its work."""
    by_passage: dict[int, list[int]] = {}
    for i, m in enumerate(mentions):
        if m.reference is not None:
            by_passage.setdefault(m.passage, []).append(i)
    if not by_passage:
        return mentions
    field_of = {"url": "URL", "doi": "DOI", "isbn": "ISBN"}
    out = list(mentions)
    passages = sorted(by_passage)
    for c in found:
        name = field_of.get(c.kind)
        if name is None or c.passage is None or c.raw is None:
            continue
        q = position.get(c.passage)
        if q is None:
            continue
        k = bisect.bisect_right(passages, q) - 1
        if k < 0 or q - passages[k] > 1:
            continue
        i = by_passage[passages[k]][-1]
        ref = out[i].reference
        if ref is not None and not getattr(ref, name):
            out[i] = replace(out[i], reference=replace(ref, **{name: c.raw}))
    return out
