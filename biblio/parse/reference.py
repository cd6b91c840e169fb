"""A reference string (a footnote, a ``<ref>`` body) becomes a :class:`Reference`.

This first parser knows the note styles found on the web most often and fails
honestly (``None``) on the rest, so the caller can keep the raw text and raise
an ``unparsed-reference`` finding:

* author-date book: ``Last, First. (Year). Title. Place: Publisher.``
* newspaper: ``Title. Paper. Month D, YYYY.`` with an optional ``Last, First.`` first
* prose: ``derived from “Title,” by First Last, Publisher, Place, Year``
* scripture with a locator: ``Quran, Sura 2, Verse 256``

Locators (``p. 98``, ``pp. 3–5``, ``Sura 2, Verse 256``) are split off first:
they belong to the citation, not to the work. Every regex here is anchored or
bounded so that hostile strings parse in linear time.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from biblio.model import DateValue, Name, Reference
from biblio.parse import dates, features, names, tagger

MAX_LENGTH = 2000
_DIGIT = re.compile(r"\d")
_BARE_PAGE = re.compile(r"^\d{1,4}$")
# "… Retrieved 4 March 2019." / "(accessed 12 May 2015)": when the page was read, not a part of the work
_ACCESSED = re.compile(
    r"[.,;]?\s*\(?\b(?:retrieved|accessed|consulted)(?:\s+on)?\s*:?\s*[\w ,.]{0,30}?\d{4}\)?\.?$", re.I
)
_PINPOINT = re.compile(r"^(?:p|pg|page)\.?\s*\d+[a-z]?$", re.I)
_YEAR_RANGE = re.compile(r"^(?:1[5-9]\d\d|20\d\d)\s*[-–—]+\s*(?:1[5-9]\d\d|20\d\d)$")
# a month or season name: the newspaper and magazine notes read by segments carry one in their date.
# Searched in the lower-cased text behind a one-letter look-ahead: five times faster than re.I alone
_MONTH = re.compile(r"(?=[adfjmnosw])\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
                    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|autumn|"
                    r"fall|winter)\b")
_THREE_LETTERS = re.compile(r"[^\W\d_][\W\d_]*[^\W\d_][\W\d_]*[^\W\d_]")  # stops at the third
_PAGES = re.compile(r"^(?:pp?\.?|pages?)?\s*(\d+(?:\s*[-–—]+\s*\d+)?)$", re.I)
PAGED_TYPES = {"article-journal", "article-magazine", "chapter", "paper-conference"}
_YEARISH = re.compile(r"(?<!\d)(?:1[5-9]\d\d|20\d\d)(?!\d)")

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"”]+", re.I)
_DOI = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_ISBN = re.compile(r"\bISBN(?:-1[03])?:?\s*([\d\- ]{9,17}[\dXx])\b")
# A locator ends the string and starts at the string's start or after a space or punctuation. Only the
# places where one of its words can start are tried (_LOCATOR_START, a fast character-set scan): trying
# the whole pattern at each of the last 90 characters cost more than the rest of the rules together.
_LOCATOR_START = re.compile(r"[\s,.;:][pcsavfn§]", re.I)
_LOCATOR = re.compile(
    r"""(?P<loc>
        (?:p|pp|pg|page|pages|para|paras|paragraph|ch|chap|chapter|sec|§|at|vol|fol|n)\.?\s*
        [\dixvlcIXVLC]+[a-z]?(?:\s*[-–—]\s*[\dixvlcIXVLC]+)?(?:\s*(?:,|and)\s*\d+(?:\s*[-–]\s*\d+)?)*
        (?:,?\s*(?:n|nn|note|notes)\.?\s*\d+(?:\s*[-–]\s*\d+)?)?  # "p. 377 n. 21": a page and a note on it
      | (?:sura|surah|sūrah|chapter)\s+\d+(?:,?\s*(?:verse|verses|ayah|ayat|v\.)\s*\d+(?:\s*[-–]\s*\d+)?)?
    )\s*\.?\s*$""",
    re.I | re.X,
)
_SCRIPTURE = re.compile(r"^(?:the\s+)?(qur['’]?an|koran|bible|torah|talmud|hadith)\b", re.I)
_BY_PROSE = re.compile(
    r"[“\"‘](?P<title>[^”\"’]{2,300}?)[,.]?[”\"’],?\s+by\s+(?P<author>[^,]{3,120}),\s*(?P<rest>.+)$"
)
_AUTHOR_DATE = re.compile(r"^(?P<authors>[^()]{2,300}?)\.?\s*\((?P<date>[^()]{0,40}?(?:\d{4}[a-z]?|n\.d\.)[^()]{0,10})\)\.?\s*(?P<rest>.*)$")  # noqa: E501
_PLACE_PUBLISHER = re.compile(r"^(?P<place>[^:]{2,80}):\s*(?P<publisher>.+?)\.?$")
_JOURNAL_TAIL = re.compile(
    r"^(?P<journal>[^,\d]{2,200}?),?\s*(?:vol\.?\s*)?(?P<volume>\d+)\s*(?:\((?P<issue>[^)]{1,20})\)|,?\s*no\.?\s*(?P<issue2>\d+))?(?:[,:]\s*(?:pp?\.?\s*)?(?P<page>\d+(?:\s*[-–]\s*\d+)?))?\.?$",
    re.I,
)
_PUBLISHER_WORDS = re.compile(
    r"\b(?:press|books|publishers?|publishing|verlag|éditions|editions|university|house|media|corporation|institute|watch)\b",
    re.I,
)
_NEWSPAPER = re.compile(
    r"\b(?:times|post|mail|guardian|monde|herald|tribune|telegraph|gazette|independent|observer|daily|"
    r"news|reuters|associated press|afp|agence|journal|chronicle|globe|star|express|figaro|zeitung|"
    r"spiegel|standard|newspaper|wire|bbc|cnn|al jazeera)\b",
    re.I,
)
_MAGAZINE = re.compile(r"\b(?:reports?|magazine|weekly|monthly|economist|newsweek|time|atlantic|new yorker)\b", re.I)
_EVENT = re.compile(r"\b(?:conference|symposium|workshop|forum|congress|meeting|colloquium|annual|convention)\b", re.I)
_JOURNAL = re.compile(r"\b(?:journal of|review|quarterly|studies|bulletin|annals|proceedings)\b", re.I)
_REPORT = re.compile(r"\b(?:report|white paper|working paper|policy brief|briefing)\b", re.I)
_WIRE = re.compile(r"^(?:reuters|associated press|ap|afp|agence france-presse|upi|united press international)$", re.I)
_SEGMENT_END = re.compile(r"(?<=[.?!”\"’])\s+(?=\S)")
_ABBREV_END = re.compile(
    r"(?:\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|No|Vol|Ed|Eds|eds|ed|trans|Inc|Co|Ltd|vs|pp?|Gen|Col|Prof)|(?:[A-Z]\.)+[A-Z])\.$"
)
_LEAD_IN = re.compile(
    r"^(?:much of the information.*?(?:derived|taken|drawn) from|(?:see|cf\.|quoted in|cited in|as quoted in|"
    r"adapted from|derived from|from)\b)\s*",
    re.I,
)


def clear_caches() -> None:
    """Forget every parse, token, name and date seen so far; the model stays loaded.

    Parsing caches at each level because corpora repeat notes, tokens and names endlessly;
    benchmarks clear them to time a cold run.
    """
    for cached in (_parse_text, _parse_core, _tagged_core, dates.parse, names.parse_name, names.is_corporate,
                   features.token_features, features._views, features._collapse):
        cached.cache_clear()
    tagger.forget()


def parse(raw: str) -> Reference | None:
    """Parse one reference string; ``None`` when no record can be made of it."""
    return _parse_text(" ".join(raw.split())[:MAX_LENGTH])


@functools.lru_cache(maxsize=65536)
def _parse_text(text: str) -> Reference | None:
    """Whole notes repeat verbatim (same work, same page): parse each distinct one once."""
    if not text or _THREE_LETTERS.search(text, 0, 200) is None:
        return None
    extras: dict[str, str] = {}
    if "etrieved" in text or "ccessed" in text or "onsulted" in text:
        text = _ACCESSED.sub("", text).strip()
    if "/" in text or "ISBN" in text or "www." in text:
        text = _take_identifiers(text, extras)
    body, locator = split_locator(text)
    ref = _parse_core(_trim(body))
    if ref is None and tagger.available():
        # a single pinpoint page ("…, p. 71") is a note's locator: the CRF reads the body alone, so the
        # many notes citing one work at different pages share one cached parse
        ref = _tagged(_trim(body if _PINPOINT.match(locator) else text), locator, extras)
    elif locator:
        extras["locator"] = locator
        if ref is not None and not ref.page and ref.type in PAGED_TYPES and _PAGES.match(locator):
            # "…Journal 12(3), pp. 45–67": a journal article's trailing pages are its extent, not a locator
            extras.pop("locator")
            extras["page"] = _PAGES.match(locator).group(1)
    if ref is None:
        ref = _author_date(_trim(body)) or _segments(_trim(body))
        if ref is not None and locator:
            extras.setdefault("locator", locator)
    if ref is None:
        if not extras.get("URL"):
            return None
        ref = Reference(type="webpage", title=body.strip(" .,") if body else "")
    return replace(ref, **extras) if extras else ref


def _trim(text: str) -> str:
    return text.strip().rstrip(",;:").strip()


@functools.lru_cache(maxsize=65536)
def _tagged_core(text: str) -> Reference | None:
    return tagger.parse(text)


def _tagged(text: str, locator: str, extras: dict[str, str]) -> Reference | None:
    """The CRF's record, finished by the rules of notes the CRF cannot know.

    The CRF reads the whole string, trailing pages included (``Dev Biol, 1985. 109(2): p. 509-14``
    needs them to see where the volume ends); a book's or report's pinpoint page then moves from the
    work to the citation's locator.
    """
    ref = _tagged_core(text)
    if ref is None:
        return None
    ref = _report_by_issuer(_year_range_in_title(ref, text), text)
    if not locator:
        return _bare_pinpoint(ref, extras)
    if ref.type in PAGED_TYPES and ref.page:
        return ref
    if ref.page and _PAGES.match(locator) and ref.page.replace(" ", "") in locator.replace(" ", ""):
        ref = replace(ref, page="")
    extras["locator"] = locator
    return ref


def _year_range_in_title(ref: Reference, text: str) -> Reference:
    """``The Rise and Fall of X, 1987–1997. Brighton: …``: a book's year range ends its title."""
    if ref.type in PAGED_TYPES or not ref.title or not _YEAR_RANGE.match(ref.page):
        return ref
    at = text.find(ref.title)
    tail = text[at + len(ref.title):] if at >= 0 else ""
    if tail.lstrip(" ,.:").startswith(ref.page[:4]):
        return replace(ref, title=f"{ref.title}, {ref.page}", page="")
    return ref


def _report_by_issuer(ref: Reference, text: str) -> Reference:
    """RAND or Human Rights Watch publish reports: as publisher (``New York: Human Rights Watch``) or
    where a journal would stand (``“No Exit,” Human Rights Watch, May 2005``)."""
    if ref.type == "book" and (_REPORT.search(ref.title) or _issuer_not_publisher(ref.publisher)):
        return replace(ref, type="report")
    if ref.type == "article-journal" and _issuer_as_container(ref, text):
        return replace(ref, type="report", author=ref.author or (Name(literal=ref.container_title),),
                       publisher=ref.publisher or ref.container_title, container_title="")
    return ref


def _bare_pinpoint(ref: Reference, extras: dict[str, str]) -> Reference:
    """``(New Haven: Yale University Press, 1989), 145.``: a published book's bare page is the locator."""
    if ref.type in PAGED_TYPES or not _BARE_PAGE.match(ref.page) or not (ref.publisher or ref.publisher_place):
        return ref
    extras["locator"] = f"p. {ref.page}"
    return replace(ref, page="")


def _issuer_as_container(ref: Reference, text: str) -> bool:
    """An organisation named where a journal would stand, with nothing of a journal around it."""
    container = ref.container_title
    if not container or ref.volume or ref.issue or ref.page or len(container.split()) < 2:
        return False
    if not names.is_corporate(container) or any(p.search(container) for p in (_JOURNAL, _NEWSPAPER, _MAGAZINE, _EVENT)):
        return False
    return f"In {container}" not in text and f"In: {container}" not in text


@functools.lru_cache(maxsize=65536)
def _parse_core(text: str) -> Reference | None:
    """Cached by text without locator or identifiers: a corpus repeats the same
    notes with different pages, and a parse is a pure function of its string.

    Narrow rules that are nearly always right go first (scripture, prose
    ``“Title,” by …``, short notes, the web's labelled and quoted note styles);
    ``None`` sends the string to the CRF tagger, trained on real labelled
    bibliographies and generated notes, which knows the common citation styles.
    """
    ref = (_scripture(text) or _by_prose(text) or _short_form(text) or _labelled(text) or _quoted_report(text)
           or _quoted_in(text) or _wire_story(text) or _comma_note(text))
    if ref is not None:
        return ref
    # "Headline Words In Capitals. The Paper. June 14, 1980.": the CRF takes capitalised headlines
    # for names, so a newspaper or magazine note with its full date is read by segments
    ref = _segments(text) if _MONTH.search(text.lower()) else None
    if ref is not None and ref.issued and ref.issued.parts and ref.container_title and (
        (ref.type == "article-magazine" and len(ref.issued.parts[0]) >= 2)
        or (ref.type == "article-newspaper" and len(ref.issued.parts[0]) == 3)
    ):
        return ref
    if "," in text and len(text.split()) <= 6 and not _DIGIT.search(text):
        # "Stevenson, Self-Sacrifice": a short note, resolved against earlier notes later
        return _segments(text)
    return None


def split_locator(text: str) -> tuple[str, str]:
    """``Title, p. 98.`` -> (``Title``, ``p. 98``)."""
    start = max(0, len(text) - 90)  # a locator is short and at the end
    m = _LOCATOR.match(text) if start == 0 else None
    if m is None:
        for candidate in _LOCATOR_START.finditer(text, start):
            m = _LOCATOR.match(text, candidate.start() + 1)
            if m is not None:
                break
        else:
            return text, ""
    return text[: m.start()].rstrip(" \t\n\r\f\v,.;:"), m.group("loc").strip().rstrip(".")


def _take_identifiers(text: str, extras: dict[str, str]) -> str:
    m = _DOI.search(text)
    if m:
        extras["DOI"] = m.group(1).rstrip(".,;")
        text = (text[: m.start()] + text[m.end():]).strip()
    m = _URL.search(text)
    if m:
        url = m.group(0).rstrip(".,;)")
        extras["URL"] = url if "://" in url else f"http://{url}"
        text = (text[: m.start()] + text[m.start() + len(url):]).strip()
        text = re.sub(r"\b(?:retrieved|accessed|available)(?: from| at| on)?\s*[:.,]?\s*$", "", text, flags=re.I)
    m = _ISBN.search(text)
    if m:
        extras["ISBN"] = m.group(1).replace(" ", "")
        text = (text[: m.start()] + text[m.end():]).strip()
    return text


def _scripture(text: str) -> Reference | None:
    m = _SCRIPTURE.match(text)
    if not m or len(text) > len(m.group(0)) + 3:
        return None
    return Reference(type="book", title=_clean(m.group(0)))


_SHORT_FORM = re.compile(r"^(?P<family>[A-ZÀ-Þ][\w'’\-]{1,40}),\s+(?P<title>[^,.]{3,150}?)\.?$")


_LABELLED = re.compile(
    r"^(?P<title>.+?)\.\s+Authors?:\s*(?P<author>.+?)\.\s+Publisher:\s*(?P<publisher>[^,]+?),\s*"
    r"(?:(?P<place>[^,\d]+?),\s*)?(?P<year>\d{4})\b"
)
_QUOTED_IN = re.compile(
    r"^(?P<author>[^,'‘\"“]{3,80}),\s*['‘\"“](?P<title>.{3,300}?)[.,]?['’\"”],\s*(?P<container>[^(]{2,120}?)"
    r"(?:,\s*No\.\s*(?P<issue>\w+))?\s*\((?P<date>[^)]{4,40})\)"
)
_WIRE_STORY = re.compile(
    r"^(?P<agency>[A-Za-z][A-Za-z .\-]{1,40}),\s*[\"“‘](?P<title>[^\"”’]{3,300}?)[,.]?[\"”’],?\s*"
    r"(?P<date>[^\"“”]{4,40}?)\.?$"
)
_QUOTED_REPORT = re.compile(
    r"^[\"“](?P<title>.{3,300}?)[.,]?[\"”][.,]?\s+(?:A\s+)?(?:Report|Study|Paper|Briefing)\s+"
    r"(?:Prepared\s+|Published\s+|Written\s+)?by\s+(?:the\s+)?(?P<rest>.+)$",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"[a-zà-ÿ]{2}\. [A-ZÀ-Þ]")
_COMMA_NOTE = re.compile(
    r"^(?P<author>[A-ZÀ-Þ][\w'’\-]+,\s+[A-ZÀ-Þ][\w'’.\- ]{0,40}?|[A-ZÀ-Þ][\w'’.\-]+(?: [A-ZÀ-Þ][\w'’.\-]+){1,2}),\s+"
    r"(?P<title>[^,()]{3,200}?)"
    r"(?:,\s+(?P<publisher>[^,()]{3,80}?))?"
    r"(?:\s*\((?P<year>[^)]{0,20}\d{4})\)|,\s*(?P<year2>\d{4}))?\.?$"
)


def _labelled(text: str) -> Reference | None:
    """``Title. Author: First Last. Publisher: Name, Place, 2015`` (reading lists on the web)."""
    m = _LABELLED.match(text) if "uthor" in text else None
    if not m:
        return None
    return Reference(type="book", title=_clean(m.group("title")), author=names.parse_names(m.group("author")),
                     publisher=m.group("publisher").strip(), publisher_place=(m.group("place") or "").strip(),
                     issued=dates.parse(m.group("year")))


def _quoted_in(text: str) -> Reference | None:
    """``Author, 'Title', Periodical, No. 463 (19 November 1993)`` — an article in a periodical."""
    m = _QUOTED_IN.match(text)
    if not m:
        return None
    issued = dates.parse(m.group("date")) or (dates.find(m.group("date")) or (None,))[0]
    if issued is None:
        return None
    author = m.group("author").strip()
    if re.search(r"\bwires?\b", author, re.I):
        author_names = (Name(literal=author),)
    else:
        author_names = names.parse_names(author)
    daily = issued.parts and len(issued.parts[0]) == 3
    kind = "article-newspaper" if daily and _NEWSPAPER.search(m.group("container") + " " + author) else (
        "article-magazine" if daily else "article-journal")
    return Reference(type=kind, title=_clean(m.group("title")), author=author_names,
                     container_title=_clean(m.group("container")), issue=m.group("issue") or "", issued=issued)


def _wire_story(text: str) -> Reference | None:
    """``Reuters, "Title", 3 March 2019`` — a news agency's story cited without the paper that ran it."""
    m = _WIRE_STORY.match(text)
    if not m or not _WIRE.match(m.group("agency").strip()):
        return None
    issued = dates.parse(m.group("date"))
    if issued is None:
        return None
    agency = m.group("agency").strip()
    return Reference(type="article-newspaper", title=_clean(m.group("title")), author=(Name(literal=agency),),
                     container_title=agency, issued=issued)


def _quoted_report(text: str) -> Reference | None:
    """``"Title." A Report Prepared by the Division, Library, Place, Month Year``."""
    m = _QUOTED_REPORT.match(text)
    if not m:
        return None
    rest = m.group("rest")
    found = dates.find(rest)
    issued = found[0] if found else None
    parts = [p.strip(" .") for p in (rest[: found[1]] if found else rest).split(",") if p.strip(" .")]
    parts = [re.split(r"\s+(?:under|for|with|on behalf of)\s+", p)[0] for p in parts]
    issuers = [p for p in parts if names.is_corporate(p)] or parts[:1]
    publisher = ", ".join(issuers[:2])
    return Reference(type="report", title=_clean(m.group("title")), author=(Name(literal=publisher),),
                     publisher=publisher, issued=issued)



def _comma_note(text: str) -> Reference | None:
    """Humanities notes: ``Last, First, Title, Publisher (1999)`` / ``First Last, Title``."""
    if text.count(",") > 4 or text.count("(") > 1:
        return None  # more than the pattern allows: it would backtrack long before failing
    if _SENTENCE_BREAK.search(text):
        return None  # sentence breaks: an author-title-publisher style, not a comma note
    m = _COMMA_NOTE.match(text)
    if not m:
        return None
    author = m.group("author")
    given = author.partition(",")[2].strip() or author.split()[0]
    corporate = names.is_corporate(author) and "," not in author
    if corporate:
        author_names = (Name(literal=author),)
    elif names.looks_like_person(author) and len(given.strip(".")) >= 3:
        author_names = names.parse_names(author)
    else:
        return None
    if names.is_corporate(m.group("title")):
        return None
    publisher = (m.group("publisher") or "").strip()
    year = m.group("year") or m.group("year2")
    if not year and not publisher and len(m.group("title").split()) < 2:
        return None
    issued = (dates.parse(year) or (dates.find(year) or (None,))[0]) if year else None
    return Reference(type="book", title=_clean(m.group("title")), author=author_names,
                     publisher=publisher, issued=issued)


def _short_form(text: str) -> Reference | None:
    """Chicago short notes: ``Mohaddessin, Enemies of the Ayatollahs``."""
    m = _SHORT_FORM.match(text)
    if not m or dates.find(text) or names.is_corporate(m.group("family")):
        return None
    title = _clean(m.group("title"))
    if not title[:1].isupper() or names.looks_like_person(f"{m.group('family')}, {title}"):
        return None
    return Reference(type="document", title=title, author=names.parse_names(m.group("family")))


def _by_prose(text: str) -> Reference | None:
    """``… “Title,” by First Last, Publisher, Place, Year``."""
    m = _BY_PROSE.search(text) if "by" in text else None
    if not m:
        return None
    author = m.group("author").strip()
    if not names.looks_like_person(author) and not names.is_corporate(author):
        return None
    ref = Reference(type="book", title=_clean(m.group("title")), author=names.parse_names(author))
    publisher, place, issued = _publisher_place_date([p.strip() for p in m.group("rest").split(",")])
    return replace(ref, publisher=publisher, publisher_place=place, issued=issued)


def _publisher_place_date(items: list[str]) -> tuple[str, str, DateValue | None]:
    publisher = place = ""
    issued = None
    rest = []
    for item in items:
        item = item.strip(" .")
        if not item:
            continue
        date = dates.parse(item)
        if date and issued is None:
            issued = date
        elif _PUBLISHER_WORDS.search(item) and not publisher:
            publisher = item
        else:
            rest.append(item)
    if rest and not publisher:
        publisher = rest.pop(0)
    if rest:
        place = ", ".join(rest)
    return publisher, place, issued


def _author_date(text: str) -> Reference | None:
    """``Last, First. (Year). Title. Place: Publisher.``"""
    m = _AUTHOR_DATE.match(text)
    if not m:
        return None
    authors = m.group("authors").strip()
    issued = dates.parse(m.group("date")) if "n.d." not in m.group("date") else None
    if not authors or not (names.looks_like_person(authors.split(";")[0].split(" and ")[0].split(" & ")[0])
                           or names.is_corporate(authors) or "," in authors):
        return None
    segs = segments(m.group("rest"))
    if not segs:
        return None
    title = _clean(segs[0])
    ref = Reference(type="book", title=title, author=names.parse_names(authors), issued=issued)
    tail = segs[1:]
    if not tail:
        return ref
    first = tail[0]
    journal = _JOURNAL_TAIL.match(first)
    pp = _PLACE_PUBLISHER.match(first)
    if pp and not journal:
        ref = replace(ref, publisher_place=pp.group("place").strip(), publisher=pp.group("publisher").strip())
    elif journal and not _PUBLISHER_WORDS.search(journal.group("journal")):
        ref = replace(
            ref,
            type="article-journal",
            container_title=journal.group("journal").strip(),
            volume=journal.group("volume") or "",
            issue=journal.group("issue") or journal.group("issue2") or "",
            page=(journal.group("page") or "").replace(" ", ""),
        )
    elif first.lower().startswith("in "):
        ref = replace(ref, type="chapter", container_title=_clean(first[3:]))
    else:
        publisher, place, later = _publisher_place_date([p for p in first.split(",")])
        ref = replace(ref, publisher=publisher, publisher_place=place)
        if later and not issued:
            ref = replace(ref, issued=later)
    if ref.type == "book" and (_REPORT.search(title) or _issuer_not_publisher(ref.publisher)):
        ref = replace(ref, type="report")
    return ref


def _issuer_not_publisher(publisher: str) -> bool:
    """RAND Corporation or Human Rights Watch publish reports, not books."""
    low = publisher.lower()
    return bool(publisher) and names.is_corporate(publisher) and not any(
        w in low for w in ("press", "books", "university", "publish", "verlag")
    )


def _segments(text: str) -> Reference | None:
    """``[Last, First.] Title. Container. Date.`` as in newspaper notes."""
    segs = segments(text)
    if not segs:
        return None
    issued = None
    found = dates.parse(segs[-1]) if len(segs) > 1 else None
    if found:
        issued = found
        segs = segs[:-1]
    else:
        tail = dates.find(segs[-1])
        if tail and tail[2] >= len(segs[-1].rstrip(" .")) - 1:
            issued = tail[0]
            segs[-1] = segs[-1][: tail[1]].rstrip(" ,.;")
            if not segs[-1]:
                segs = segs[:-1]
    if not segs:
        return None
    author: tuple = ()
    if len(segs) >= 2 and names.looks_like_person(segs[0]) and "," in segs[0]:
        author = names.parse_names(segs[0])
        segs = segs[1:]
    if len(segs) == 1:
        only = segs[0]
        base = re.sub(r"\s*\(([^)]*)\)\s*$", "", only).strip()
        paren = only[len(base):].strip(" ()")
        if issued and (_NEWSPAPER.search(only) and len(only.split()) <= 6):
            return Reference(type="article-newspaper", container_title=_clean(base), note=paren,
                             issued=issued, author=author)
        if issued is None and not author:
            return Reference(type="document", title=_clean(only)) if len(only.split()) >= 2 else None
        return Reference(type="document", title=_clean(only), author=author, issued=issued)
    container = segs[-1]
    title = _clean(" ".join(segs[:-1]))
    wire = ""
    if "," in container:
        head, _, tail_part = container.partition(",")
        if _WIRE.match(head.strip()):
            wire, container = head.strip(), tail_part.strip()
    if wire and not author:
        author = names.parse_names(wire)
    elif _WIRE.match(container.strip()) and not author:
        author = names.parse_names(container.strip())
    container = _clean(container)
    if len(container.split()) > 12:
        return Reference(type="document", title=_clean(" ".join(segs)), author=author, issued=issued)
    kind = _container_type(container, issued)
    if kind == "report":
        return Reference(type="report", title=title, author=author or names.parse_names(container),
                         publisher=container, issued=issued)
    return Reference(type=kind, title=title, container_title=container, author=author, issued=issued)


def _container_type(container: str, issued: DateValue | None) -> str:
    if _JOURNAL.search(container):
        return "article-journal"
    if _MAGAZINE.search(container):
        return "article-magazine"
    if _NEWSPAPER.search(container):
        return "article-newspaper"
    if names.is_corporate(container) and not _NEWSPAPER.search(container):
        return "report"
    if issued and issued.parts and len(issued.parts[0]) == 3:
        return "article-newspaper"
    return "article"


def segments(text: str) -> list[str]:
    """Split on sentence ends outside quotes, not after initials/abbreviations."""
    out: list[str] = []
    start = 0
    depth = 0
    for m in _SEGMENT_END.finditer(text):
        piece = text[start : m.start()]
        depth = _quote_depth(piece)
        if depth:
            continue
        stripped = piece.rstrip()
        if not stripped.endswith((".", "?", "!", "”.", "\".", "’.")) and not re.search(r"[.?!][”\"’]$", stripped):
            continue
        if _ABBREV_END.search(stripped):
            continue
        out.append(piece.strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s.rstrip(".").strip() for s in out if s.strip(" .")]


def _quote_depth(piece: str) -> int:
    """Open double quotes left unclosed in ``piece`` (curly or straight)."""
    opened = piece.count("“") - piece.count("”")
    straight = piece.count('"') % 2
    return max(opened, 0) + straight


def _clean(text: str) -> str:
    """Strip wrapping quotes and edge punctuation from a title or container."""
    text = text.strip().strip(",;:. ")
    while len(text) > 1 and text[0] in "“\"‘'" and text[-1] in "”\"’'":
        text = text[1:-1].strip().rstrip(",.")
    if text[:1] in "“\"‘" and not any(q in text[1:] for q in "”\"’"):
        text = text[1:]
    return text.strip()
