"""Complete partial works from Crossref, OpenAlex and Open Library (online and opt-in).

A mention in prose gives a work's issuer and year but rarely its title; a note may lack a DOI or a
publisher. This module looks the work up (by DOI, by ISBN, else by title, author and year), keeps
only a record that agrees with what is already known (precision before recall: a search hit with
another author or year is not this work), and proposes to fill the fields the work lacks. Nothing is
ever overwritten, and nothing is written unless the caller applies the proposals.

Politeness: one ``requests.Session`` with a User-Agent that names biblio (and a contact address when
one is given), a minimum interval between two requests to the same host, and a JSON cache of every
answer (a miss is cached too, so a rerun asks nothing twice). Base URLs are parameters, so tests run
against a local server; no test touches the network.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import requests
from rapidfuzz import fuzz

from biblio import __version__, fileio
from biblio.model import DateValue, Name, Reference, Work
from biblio.render import bibtex as bib_writer
from biblio.resolve.works import FUZZY_TITLE, main_title, norm, norm_title, types_compatible

FILLABLE = ("title", "author", "issued", "container_title", "publisher", "publisher_place", "volume", "issue",
            "page", "DOI", "ISBN", "URL")
CROSSREF_TYPES = {
    "journal-article": "article-journal", "book": "book", "monograph": "book", "edited-book": "book",
    "book-chapter": "chapter", "report": "report", "proceedings-article": "paper-conference",
    "dissertation": "thesis", "posted-content": "manuscript",
}
OPENALEX_TYPES = {"article": "article-journal", "book": "book", "book-chapter": "chapter", "report": "report",
                  "dissertation": "thesis"}


@dataclass(frozen=True)
class Sources:
    """Where each service lives (tests point these at 127.0.0.1)."""

    crossref: str = "https://api.crossref.org"
    openalex: str = "https://api.openalex.org"
    openlibrary: str = "https://openlibrary.org"


@dataclass(frozen=True)
class Change:
    """One field a proposal fills: its old (empty) and new value as text."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Proposal:
    """What one source would add to one work."""

    key: str
    source: str
    before: Reference
    after: Reference
    changes: tuple[Change, ...]


@dataclass
class Client:
    """HTTP with a User-Agent, a per-host interval and a JSON cache; ``sleep``/``clock`` are swappable."""

    session: requests.Session = field(default_factory=requests.Session)
    cache_path: Path | None = None
    interval: float = 1.0
    timeout: float = 20.0
    mailto: str = ""
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    requests_made: int = 0
    _cache: dict[str, Any] | None = None
    _last: dict[str, float] = field(default_factory=dict)

    @property
    def user_agent(self) -> str:
        contact = f"; mailto:{self.mailto}" if self.mailto else ""
        return f"biblio/{__version__} (bibliography completion{contact})"

    def cache(self) -> dict[str, Any]:
        if self._cache is None:
            self._cache = {}
            if self.cache_path is not None and self.cache_path.exists():
                try:
                    self._cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    self._cache = {}
        return self._cache

    def save(self) -> None:
        if self.cache_path is not None and self._cache is not None:
            fileio.write_atomic(self.cache_path, json.dumps(self._cache, ensure_ascii=False, indent=1))

    def get_json(self, url: str, params: dict[str, str] | None = None) -> Any:
        """The JSON at ``url`` (``None`` for a miss or an error; misses are cached, errors are not)."""
        full = f"{url}?{urlencode(params)}" if params else url
        cache = self.cache()
        if full in cache:
            return cache[full]
        host = urlsplit(full).netloc
        wait = self._last.get(host, -1e9) + self.interval - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._last[host] = self.clock()
        self.requests_made += 1
        try:
            resp = self.session.get(full, headers={"User-Agent": self.user_agent, "Accept": "application/json"},
                                    timeout=self.timeout)
        except requests.RequestException:
            return None
        if resp.status_code == 404:
            cache[full] = None
            return None
        if resp.status_code != 200:
            return None  # transient or refused: never cached
        try:
            data = resp.json()
        except ValueError:
            return None
        cache[full] = data
        return data


# records from each service ---------------------------------------------------------------------------

def _names(items: Iterable[dict[str, Any]], family: str = "family", given: str = "given") -> tuple[Name, ...]:
    out = []
    for a in items:
        if a.get(family):
            out.append(Name(family=str(a[family]), given=str(a.get(given, ""))))
        elif a.get("name"):
            out.append(Name(literal=str(a["name"])))
    return tuple(out)


def _date_parts(parts: list[Any] | None) -> DateValue | None:
    if not parts or not parts[0] or not parts[0][0]:
        return None
    first = tuple(int(x) for x in parts[0] if x)
    return DateValue((first,), "-".join(str(x) for x in first))


def from_crossref(item: dict[str, Any]) -> Reference:
    issued = item.get("issued", {}).get("date-parts") or item.get("published", {}).get("date-parts")
    return Reference(
        type=CROSSREF_TYPES.get(item.get("type", ""), "document"),
        title=" ".join((item.get("title") or [""])[0].split()),
        author=_names(item.get("author", [])),
        issued=_date_parts(issued),
        container_title=(item.get("container-title") or [""])[0],
        publisher=item.get("publisher", ""),
        publisher_place=item.get("publisher-location", ""),
        volume=str(item.get("volume", "")),
        issue=str(item.get("issue", "")),
        page=str(item.get("page", "")).replace("-", "–"),
        DOI=item.get("DOI", ""),
        ISBN=re.sub(r"\D", "", (item.get("ISBN") or [""])[0]),
    )


def from_openalex(item: dict[str, Any]) -> Reference:
    authors = []
    for a in item.get("authorships", []):
        name = (a.get("author") or {}).get("display_name", "")
        if name:
            given, _, family = name.rpartition(" ")
            authors.append(Name(family=family, given=given))
    year = item.get("publication_year")
    source = ((item.get("primary_location") or {}).get("source") or {})
    doi = (item.get("doi") or "").removeprefix("https://doi.org/")
    return Reference(
        type=OPENALEX_TYPES.get(item.get("type", ""), "document"),
        title=item.get("title") or item.get("display_name") or "",
        author=tuple(authors),
        issued=DateValue(((int(year),),), str(year)) if year else None,
        container_title=source.get("display_name", "") if source.get("type") == "journal" else "",
        DOI=doi,
    )


def from_openlibrary(item: dict[str, Any]) -> Reference:
    year = None
    for key in ("first_publish_year", "publish_date"):
        m = re.search(r"\d{4}", str(item.get(key, "")))
        if m:
            year = int(m.group(0))
            break
    authors = []
    for name in item.get("author_name", []) or [a.get("name", "") for a in item.get("authors", [])]:
        if name:
            given, _, family = name.rpartition(" ")
            authors.append(Name(family=family, given=given))
    publisher = item.get("publisher") or item.get("publishers") or [""]
    publisher = publisher[0] if isinstance(publisher, list) else publisher
    if isinstance(publisher, dict):
        publisher = publisher.get("name", "")
    isbn = (item.get("isbn") or item.get("isbn_13") or item.get("isbn_10") or [""])[0]
    title = str(item.get("title", ""))
    if item.get("subtitle"):
        title = f"{title}: {item['subtitle']}"
    return Reference(
        type="book",
        title=title,
        author=tuple(authors),
        issued=DateValue(((year,),), str(year)) if year else None,
        publisher=str(publisher),
        ISBN=str(isbn),
    )


# agreement and proposals -----------------------------------------------------------------------------

def agrees(known: Reference, found: Reference) -> bool:
    """Whether ``found`` is the same work as ``known`` (never a guess: title, author and year must fit)."""
    if not found.title:
        return False
    if known.year and found.year and known.year != found.year:
        return False
    if not types_compatible(known.type, found.type) and known.type != "report":
        return False
    mine = [n for n in known.author if not n.literal]
    theirs = [n for n in found.author if not n.literal]
    if mine and theirs and norm(mine[0].family) != norm(theirs[0].family):
        return False
    if known.title:
        a, b = norm_title(known.title), norm_title(found.title)
        return a == b or main_title(known.title) == main_title(found.title) or fuzz.ratio(a, b) >= FUZZY_TITLE
    # no title known: a search by author and year must agree on both, and on a person author
    return bool(known.year and found.year and mine and theirs)


def complete(base: Reference, found: Reference) -> Reference:
    """``base`` with only its empty fields filled from ``found``."""
    changes: dict[str, Any] = {}
    for name in FILLABLE:
        if not getattr(base, name) and getattr(found, name):
            changes[name] = getattr(found, name)
    if base.issued and found.issued and len(found.issued.parts[0]) > len(base.issued.parts[0]) \
            and found.issued.parts[0][: len(base.issued.parts[0])] == base.issued.parts[0]:
        changes["issued"] = found.issued
    return replace(base, **changes) if changes else base


def diff(before: Reference, after: Reference) -> tuple[Change, ...]:
    out = []
    for f in fields(Reference):
        old, new = getattr(before, f.name), getattr(after, f.name)
        if old != new:
            out.append(Change(f.name, _text(old), _text(new)))
    return tuple(out)


def _text(value: Any) -> str:
    if isinstance(value, DateValue):
        return "-".join(str(x) for x in value.parts[0]) if value.parts else value.raw
    if isinstance(value, tuple):
        return "; ".join(n.literal or ", ".join(x for x in (n.family, n.given) if x) for n in value)
    return str(value or "")


def lookups(ref: Reference, sources: Sources) -> list[tuple[str, str, dict[str, str] | None]]:
    """(source name, URL, query) to try for ``ref``, the most exact first."""
    out: list[tuple[str, str, dict[str, str] | None]] = []
    if ref.DOI:
        out.append(("crossref", f"{sources.crossref}/works/{quote(ref.DOI, safe='/')}", None))
    if ref.ISBN:
        out.append(("openlibrary", f"{sources.openlibrary}/search.json", {"isbn": ref.ISBN}))
    person = next((n.family for n in ref.author if not n.literal), "")
    words = " ".join(x for x in (ref.title, person) if x)
    if ref.title or (person and ref.year):
        query = {"query.bibliographic": words, "rows": "5"}
        if ref.year:
            query["filter"] = f"from-pub-date:{ref.year},until-pub-date:{ref.year}"
        out.append(("crossref", f"{sources.crossref}/works", query))
        out.append(("openalex", f"{sources.openalex}/works", {"search": words, "per-page": "5"}))
        if ref.type == "book" or not ref.type.startswith("article"):
            book = {"title": ref.title} if ref.title else {"author": person}
            if ref.title and person:
                book["author"] = person
            out.append(("openlibrary", f"{sources.openlibrary}/search.json", {**book, "limit": "5"}))
    return out


def _records(source: str, data: Any) -> list[Reference]:
    if not isinstance(data, dict):
        return []
    if source == "crossref":
        message = data.get("message", {})
        items = message.get("items") if isinstance(message.get("items"), list) else [message]
        return [from_crossref(i) for i in items if isinstance(i, dict)]
    if source == "openalex":
        return [from_openalex(i) for i in data.get("results", []) if isinstance(i, dict)]
    return [from_openlibrary(i) for i in data.get("docs", []) if isinstance(i, dict)]


def propose(work: Work, client: Client, sources: Sources) -> Proposal | None:
    """The first source whose single agreeing record adds something to ``work``."""
    for source, url, params in lookups(work.reference, sources):
        found = [r for r in _records(source, client.get_json(url, params)) if agrees(work.reference, r)]
        if len(found) != 1 and not (found and all(r == found[0] for r in found)):
            continue  # none, or several different works fit: no guess
        after = complete(work.reference, found[0])
        changes = diff(work.reference, after)
        if changes:
            return Proposal(work.key, source, work.reference, after, changes)
    return None


# writing -------------------------------------------------------------------------------------------------

def update_bib(text: str, key: str, ref: Reference) -> str:
    """Add the fields ``ref`` has and the entry ``key`` lacks (nothing else in ``text`` changes);
    append a whole entry when ``key`` is not there yet."""
    m = re.search(r"@\w+\s*\{\s*" + re.escape(key) + r"\s*,", text)
    if m is None:
        return bib_writer.append(text, [Work(key, ref)])
    depth = 0
    start_brace = text.index("{", m.start())
    i = start_brace
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    body = text[start_brace:i]
    present = {f.lower() for f in re.findall(r"(?m)^\s*([A-Za-z-]+)\s*=", body)}
    entry = bib_writer.reference_to_entry(key, ref)
    new_lines = []
    for f in entry.fields:
        if f.key.lower() in present or f.key == "entrysubtype":
            continue
        value = f.value if getattr(f, "enclosing", None) == "no-enclosing" else "{" + str(f.value) + "}"
        new_lines.append(f"  {f.key} = {value}")
    if not new_lines:
        return text
    head = text[:i].rstrip()
    sep = "" if head.endswith(",") else ","
    return f"{head}{sep}\n" + ",\n".join(new_lines) + "\n" + text[i:]


def apply_to_store(store: Any, proposals: Iterable[Proposal]) -> int:
    """Replace the stored record of each proposed work (keys, links and order stay as they are)."""
    by_key = {p.key: p.after for p in proposals}
    if not by_key:
        return 0
    current = store.works(include_uncited=True)
    updated = [replace(w, reference=by_key.get(w.key, w.reference)) for w in current]
    store.save_works(updated, {})
    return sum(1 for w in current if w.key in by_key)
