"""Decide which references are the same work, and what that work's record is.

Two notes cite the same work however they are punctuated: straight or curly
quotes, a repeated place or year, a locator, a short title (``Enemies of the
Ayatollahs`` for ``Enemies of the Ayatollahs: Iran's Fundamentalist…``). Known
works (curated ``.bib`` entries first, then works of earlier builds) are
matched first so that their keys and their curated fields win.

Matching is blocked by normalised title and by first author, so its cost
grows with the number of distinct works, not with their square.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, fields, replace

from rapidfuzz import fuzz

from biblio.find import issuers
from biblio.model import TEXT_FIELDS, Name, Reference

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = re.compile(r"['’‘ʼʻ`´]")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an|le|la|les|el|al|der|die|das)\s+")
FUZZY_TITLE = 92


@functools.lru_cache(maxsize=131072)
def norm(text: str) -> str:
    """Case-, accent-, quote- and punctuation-insensitive form of a string."""
    if text.isascii():
        return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", text.lower())).strip()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _APOSTROPHES.sub("", text)
    return _NON_ALNUM.sub(" ", text).strip()


@functools.lru_cache(maxsize=131072)
def norm_title(title: str) -> str:
    return _LEADING_ARTICLE.sub("", norm(title))


@functools.lru_cache(maxsize=131072)
def main_title(title: str) -> str:
    """The title before its subtitle (``Self-Sacrifice: Life with…`` -> ``Self-Sacrifice``)."""
    head = re.split(r"[:?!]\s|\s[–—-]\s", title, maxsplit=1)[0]
    return norm_title(head)


def first_author(ref: Reference) -> str:
    names = ref.author or ref.editor
    if not names:
        return ""
    n: Name = names[0]
    return norm(n.literal or n.family)


@dataclass
class WorkDraft:
    """A work being assembled: its merged record and the refs that cite it."""

    reference: Reference
    key: str | None = None
    curated: bool = False
    members: list[int] = field(default_factory=list)


class WorkIndex:
    """Known and new works, looked up by title, main title and first author."""

    def __init__(self) -> None:
        self.works: list[WorkDraft] = []
        self._by_title: dict[str, list[int]] = {}
        self._by_author: dict[str, list[int]] = {}
        self._by_container_date: dict[tuple[str, int | None], list[int]] = {}
        self._by_issuer: dict[str, list[int]] = {}
        self._aliases: dict[int, list[Reference]] = {}

    def add(self, draft: WorkDraft) -> int:
        idx = len(self.works)
        self.works.append(draft)
        self._index(idx, draft.reference)
        return idx

    def add_alias(self, idx: int, ref: Reference) -> None:
        """Let ``ref`` (an earlier record of the same work) find work ``idx`` too."""
        self._aliases.setdefault(idx, []).append(ref)
        self._index(idx, ref)

    def _index(self, idx: int, ref: Reference) -> None:
        for t in {norm_title(ref.title), main_title(ref.title)} - {""}:
            self._by_title.setdefault(t, []).append(idx)
        author = first_author(ref)
        if author:
            self._by_author.setdefault(author, []).append(idx)
        if not ref.title and ref.container_title and ref.issued:
            self._by_container_date.setdefault((norm(ref.container_title), ref.year), []).append(idx)
        for k in work_keys(ref):
            bucket = self._by_issuer.setdefault(k, [])
            if not bucket or bucket[-1] != idx:
                bucket.append(idx)

    def find(self, ref: Reference) -> int | None:
        """The index of the work ``ref`` cites, or ``None`` when it is new."""
        if not ref.title:
            if ref.container_title and ref.issued:
                for idx in self._by_container_date.get((norm(ref.container_title), ref.year), ()):
                    for other in (self.works[idx].reference, *self._aliases.get(idx, ())):
                        if other.issued and dates_compatible(ref.issued.parts, other.issued.parts):
                            return idx
            return None
        title = norm_title(ref.title)
        candidates: list[int] = []
        for key in (title, main_title(ref.title)):
            candidates.extend(self._by_title.get(key, ()))
        author = first_author(ref)
        if author:
            candidates.extend(self._by_author.get(author, ()))
        seen: set[int] = set()
        for idx in candidates:
            if idx in seen:
                continue
            seen.add(idx)
            if same_work(ref, self.works[idx].reference) or any(
                same_work(ref, alias) for alias in self._aliases.get(idx, ())
            ):
                return idx
        return None

    def find_mention(self, ref: Reference) -> tuple[int | None, bool]:
        """The work a mention in prose names, and whether it was ambiguous (then no work is made).

        A titled mention is matched like any reference first. Otherwise every work sharing its
        issuer or author is a candidate, and it links only when exactly one is compatible in
        type and date: "a RAND report" must not pick one of two RAND reports. A mention without
        year or title links only to a unique known work of a kind issuers publish rarely (a
        report, a book, a judgment), never to one of a newspaper's many articles.
        """
        if ref.title:
            idx = self.find(ref)
            if idx is not None:
                return idx, False
        candidates: set[int] = set()
        for k in mention_keys(ref):
            candidates.update(self._by_issuer.get(k, ()))
        hits = [
            idx for idx in sorted(candidates)
            if any(mention_matches(ref, other) for other in (self.works[idx].reference, *self._aliases.get(idx, ())))
        ]
        if len(hits) != 1:
            return None, bool(hits)
        if not ref.year and not ref.title and ref.type not in LINK_WITHOUT_YEAR:
            return None, True
        return hits[0], False

    def merge_mention(self, idx: int, ref: Reference) -> None:
        """Complete a work from a mention: only fields the work lacks and the prose states outright."""
        draft = self.works[idx]
        if draft.curated:
            return
        changes = {name: getattr(ref, name) for name in MENTION_FIELDS
                   if getattr(ref, name) and not getattr(draft.reference, name)}
        if changes:
            draft.reference = replace(draft.reference, **changes)
            self._index(idx, draft.reference)

    def merge(self, idx: int, ref: Reference) -> None:
        draft = self.works[idx]
        if not draft.curated:
            merged = fill(draft.reference, ref)
            if merged != draft.reference:
                draft.reference = merged
                self._index(idx, merged)


def dates_compatible(a: tuple[tuple[int, ...], ...], b: tuple[tuple[int, ...], ...]) -> bool:
    """Equal where both are known: 1980-06 is compatible with 1980-06-15."""
    if not a or not b:
        return True
    x, y = a[0], b[0]
    n = min(len(x), len(y))
    return x[:n] == y[:n]


def same_work(a: Reference, b: Reference) -> bool:
    """Whether two references name the same work (locators are ignored)."""
    if a.year and b.year and a.year != b.year:
        return False
    author_a, author_b = first_author(a), first_author(b)
    if author_a and author_b and author_a != author_b and not _same_family(a, b):
        return False
    ta, tb = norm_title(a.title), norm_title(b.title)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    if (author_a and author_a == author_b) or (not author_a and not author_b and a.year and a.year == b.year):
        ma, mb = main_title(a.title), main_title(b.title)
        if ma and (ma == mb or ma == tb or mb == ta):
            return True
    if len(ta) >= 12 and fuzz.ratio(ta, tb) >= FUZZY_TITLE:
        return True
    return False


def _same_family(a: Reference, b: Reference) -> bool:
    """``Human Rights Watch`` vs ``HRW`` is not handled here; initials are."""
    na, nb = (a.author or a.editor)[0], (b.author or b.editor)[0]
    return bool(na.family and nb.family and norm(na.family) == norm(nb.family))


# kinds of work a yearless, untitled mention may still pin down when its issuer has only one known
LINK_WITHOUT_YEAR = frozenset({"report", "book", "legal_case", "thesis"})
MENTION_FIELDS = ("title", "issued", "container_title", "URL", "DOI", "ISBN")
_TYPE_GROUPS = (
    frozenset({"report"}),
    frozenset({"book", "chapter"}),
    frozenset({"legal_case", "legislation"}),
    frozenset({"article-newspaper", "article-magazine", "article", "webpage", "post", "post-weblog"}),
    frozenset({"broadcast", "motion_picture"}),
    frozenset({"article-journal", "paper-conference"}),
    frozenset({"thesis"}),
)


def types_compatible(a: str, b: str) -> bool:
    """``document`` (unknown) fits anything; otherwise both types must be of one family."""
    if a == b or "document" in (a, b):
        return True
    return any(a in group and b in group for group in _TYPE_GROUPS)


def _orgs(ref: Reference) -> set[str]:
    names = {issuers.canonical(n.literal) for n in (*ref.author, *ref.editor) if n.literal}
    return (names | {issuers.canonical(ref.publisher), issuers.canonical(ref.container_title)}) - {""}


def _person(ref: Reference) -> Name | None:
    names = ref.author or ref.editor
    return names[0] if names and not names[0].literal else None


def work_keys(ref: Reference) -> set[str]:
    """Issuer keys a work is found by: its organisations (author, publisher, outlet) and first author."""
    keys = {f"o:{k}" for k in _orgs(ref)}
    person = _person(ref)
    if person is not None and person.family:
        keys.add(f"p:{norm(person.family)}")
    return keys


def mention_keys(ref: Reference) -> set[str]:
    return work_keys(ref)


def mention_matches(m: Reference, w: Reference) -> bool:
    """Whether the partial record of a mention in prose fits work ``w`` (issuer, type, date, title)."""
    if not types_compatible(m.type, w.type):
        return False
    if m.year is not None:
        if w.year != m.year:
            return False
        if m.issued and w.issued and not dates_compatible(m.issued.parts, w.issued.parts):
            return False
    if m.title and w.title:
        ta, tb = norm_title(m.title), norm_title(w.title)
        if not (ta == tb or main_title(m.title) == main_title(w.title) or fuzz.ratio(ta, tb) >= FUZZY_TITLE):
            return False
    person = _person(m)
    matched = False
    if person is not None:
        other = _person(w)
        if other is None or norm(other.family) != norm(person.family):
            return False
        if person.given and other.given and norm(person.given)[:1] != norm(other.given)[:1]:
            return False
        matched = True
    literal = {issuers.canonical(n.literal) for n in m.author if n.literal}
    theirs = _orgs(w)
    if literal:
        if not literal & theirs:
            return False
        matched = True
    outlet = issuers.canonical(m.container_title)
    if outlet and (issuers.canonical(w.container_title) or not matched):
        if outlet not in theirs:
            return False
        matched = True
    return matched


def identifiable(ref: Reference) -> bool:
    """A mention names a work when it has an issuer or author and a year or a title."""
    return bool((ref.author or ref.container_title) and (ref.year or ref.title))


def fill(base: Reference, other: Reference) -> Reference:
    """``base`` with its empty fields filled from ``other`` (first seen wins)."""
    changes = {}
    for f in fields(Reference):
        if f.name == "locator":
            continue
        mine, theirs = getattr(base, f.name), getattr(other, f.name)
        if not mine and theirs:
            changes[f.name] = theirs
        elif f.name == "author" and mine and theirs and len(theirs) > len(mine) and not any(n.given for n in mine):
            changes[f.name] = theirs
        elif f.name == "title" and mine and theirs and len(theirs) > len(mine):
            if main_title(theirs) == norm_title(mine):
                changes[f.name] = theirs
    if base.type in ("document", "article") and other.type not in ("document", "article"):
        changes["type"] = other.type
    return replace(base, **changes) if changes else base


def cluster(
    refs: list[Reference | None],
    known: list[WorkDraft],
    aliases: dict[str, Reference] | None = None,
    sticky: list[str | None] | None = None,
    partial: list[bool] | None = None,
) -> tuple[list[WorkDraft], list[int | None]]:
    """Assign every reference to a work; known works keep their keys.

    ``aliases`` maps a known key to the record an earlier build had for it, and
    ``sticky`` gives, per reference, the key an earlier build linked it to: a
    link to a key that still exists is kept, and its reference becomes an
    alias. So a user who corrects a title in the .bib does not unlink anything.
    ``partial`` marks mentions in prose: they are matched after every full
    record (so a footnote elsewhere can be what they name), by issuer, year,
    type and title words, and make a new work only when nothing known fits and
    they name a work at all (issuer or author, and year or title).
    Returns the works (known first, then new ones in order of first citation)
    and, for each input reference, the index of its work (``None`` for none).
    """
    index = WorkIndex()
    aliases = aliases or {}
    by_key: dict[str, int] = {}
    for draft in known:
        idx = index.add(draft)
        if draft.key:
            by_key[draft.key] = idx
        if draft.key in aliases:
            index.add_alias(idx, aliases[draft.key])
    assignment: list[int | None] = [None] * len(refs)
    pending: list[int] = []
    for i, ref in enumerate(refs):
        key = sticky[i] if sticky else None
        if key in by_key:
            idx = by_key[key]
            if ref is not None:
                index.add_alias(idx, ref.without_locator())
            index.works[idx].members.append(i)
            assignment[i] = idx
        else:
            pending.append(i)
    seen: dict[Reference, int] = {}
    later = [i for i in pending if partial and partial[i]]
    if later:
        pending = [i for i in pending if not partial[i]]  # type: ignore[index]
    for i in pending:
        ref = refs[i]
        if ref is None or not (ref.title or ref.container_title):
            continue
        ref = ref.without_locator()
        idx = seen.get(ref)
        if idx is None:
            idx = index.find(ref)
            if idx is None:
                idx = index.add(WorkDraft(ref))
            else:
                index.merge(idx, ref)
            seen[ref] = idx
        index.works[idx].members.append(i)
        assignment[i] = idx
    mentioned: dict[Reference, int | None] = {}
    for i in later:
        ref = refs[i]
        if ref is None:
            continue
        ref = ref.without_locator()
        if ref in mentioned:
            found = mentioned[ref]
        else:
            found, ambiguous = index.find_mention(ref)
            if found is not None:
                index.merge_mention(found, ref)
            elif not ambiguous and identifiable(ref):
                found = index.add(WorkDraft(ref))
            mentioned[ref] = found
        if found is not None:
            index.works[found].members.append(i)
            assignment[i] = found
    return index.works, assignment


__all__ = ["TEXT_FIELDS", "WorkDraft", "cluster", "fill", "norm", "same_work"]
