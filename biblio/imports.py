"""``biblio import``: merge a .bib, CSL-JSON or RIS file into the store's works.

Identity is the build's (:class:`biblio.resolve.works.WorkIndex`, ``same_work``),
so an imported entry and a note citing the same book become one work. Nothing is
dropped silently: a duplicate is merged and reported; a field both sides fill
differently keeps the store's value and lists the other one in the work's
``note``, reported as an ``import-conflict`` finding; a key already held by a
different work gives the newcomer a fresh key (``import-key-taken``).

A .bib keeps its text. The file is cut into segments (an entry, a ``@string``,
a comment…, each with the whitespace before it) that are stored as they are, with
the record each entry's work had right after the import. Export re-emits a
segment verbatim while its work is still in that state, which is what makes
``import`` then ``export --format bibtex`` give the file back byte for byte; an
entry whose work changed since is written anew from the store.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import bibtexparser
from bibtexparser import model as bibmodel

from biblio.errors import BiblioError
from biblio.model import TEXT_FIELDS, Finding, Name, Reference, Severity, Work, reference_to_json
from biblio.read import bibtex as bib_reader
from biblio.resolve import keys as key_rules
from biblio.resolve import works as identity
from biblio.store import Store

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

FORMATS = {".bib": "bibtex", ".bibtex": "bibtex", ".json": "csl-json", ".ris": "ris"}


@dataclass(frozen=True)
class Segment:
    """A piece of a .bib file: ``gap`` (the text before it) + ``text``.

    ``kind`` is ``entry``, ``string``, ``preamble``, ``comment``, ``failed`` (a
    block bibtexparser could not parse, kept as the user wrote it) or ``tail``
    (whatever follows the last block). Joining every ``gap + text`` gives the file.
    """

    kind: str
    gap: str
    text: str
    key: str | None = None
    line: int = 1


@dataclass(frozen=True)
class Item:
    """One record of an import file; ``segment`` indexes the .bib segment it came from."""

    key: str | None
    reference: Reference
    line: int
    segment: int | None = None


@dataclass(frozen=True)
class Parsed:
    """What a reader made of an import file."""

    path: str
    format: str
    items: tuple[Item, ...]
    segments: tuple[Segment, ...] = ()
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts for the summary line, findings for the details."""

    path: str
    items: int = 0
    new: int = 0
    merged: int = 0
    conflicts: int = 0
    findings: tuple[Finding, ...] = field(default_factory=tuple)


# --- reading ---------------------------------------------------------------------------


def read(path: str | Path, fmt: str | None = None) -> Parsed:
    """Read ``path`` in ``fmt`` (by default from its suffix)."""
    p = Path(path)
    fmt = fmt or FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise BiblioError(f"cannot tell the format of {p.name}; use --format bibtex|csl-json|ris", str(path))
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise BiblioError("no such file", str(path)) from None
    except OSError as exc:
        raise BiblioError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    return parse_text(decode(data, str(path)), fmt, str(path))


def decode(data: bytes, path: str) -> str:
    """UTF-8 text (a BOM is kept: for a .bib it is part of the bytes we promise to give back)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BiblioError("not valid UTF-8", path, data.count(b"\n", 0, exc.start) + 1) from None


def parse_text(text: str, fmt: str, path: str = "-") -> Parsed:
    """Parse ``text`` as ``bibtex``, ``csl-json`` or ``ris``."""
    if fmt == "bibtex":
        return parse_bib(text, path)
    if fmt == "csl-json":
        from biblio.read import csljson

        return csljson.parse(text.removeprefix("\ufeff"), path)
    if fmt == "ris":
        from biblio.read import ris

        return ris.parse(text.removeprefix("\ufeff"), path)
    raise BiblioError(f"unknown import format {fmt!r}: use bibtex, csl-json or ris", path)


def parse_bib(text: str, path: str = "<bib>") -> Parsed:
    """Cut a .bib into segments and read its entries (bibtexparser v2, no LaTeX decoding).

    Unparseable blocks become ``failed`` segments and a ``bib-parse-error``
    finding, so the rest of the file is still imported and nothing is lost.
    """
    library = bibtexparser.parse_string(text)
    segments: list[Segment] = []
    items: list[Item] = []
    findings: list[Finding] = []
    strings = "".join(b.raw + "\n" for b in library.blocks if isinstance(b, bibmodel.String))
    cursor = 0
    for block in library.blocks:
        raw = block.raw or ""
        at = text.find(raw, cursor) if raw else -1
        if at < 0:  # bibtexparser normalised something: keep the file whole rather than guess
            return _unsplittable(text, path, library)
        gap, cursor = text[cursor:at], at + len(raw)
        line = (block.start_line or 0) + 1
        kind, key = _kind(block), getattr(block, "key", None)
        if isinstance(block, bibmodel.DuplicateBlockKeyBlock):
            kind = "entry"
            entry = _reparse(strings, raw)
            if entry is None:
                kind = "failed"
            else:
                findings.append(Finding(path, line, 1, "duplicate-bib-key", Severity.WARNING,
                                        f"key {key!r} is used by an earlier entry; imported as the same key"))
        elif isinstance(block, bibmodel.Entry):
            entry = block
        else:
            entry = None
        if kind == "failed":
            error = getattr(block, "error", None)
            reason = (getattr(error, "abort_reason", "") or str(error or "")).strip().rstrip(".") or "syntax error"
            findings.append(Finding(path, line, 1, "bib-parse-error", Severity.WARNING,
                                    f"cannot parse this block ({reason}); kept verbatim, not imported"))
        if entry is not None and kind == "entry":
            items.append(Item(entry.key, bib_reader.entry_to_reference(entry), line, len(segments)))
            key = entry.key
        segments.append(Segment(kind, gap, raw, key, line))
    if cursor < len(text):
        segments.append(Segment("tail", "", text[cursor:], None, text.count("\n", 0, cursor) + 1))
    return Parsed(path, "bibtex", tuple(items), tuple(segments), tuple(findings))


def _kind(block: bibmodel.Block) -> str:
    if isinstance(block, bibmodel.Entry):
        return "entry"
    if isinstance(block, bibmodel.String):
        return "string"
    if isinstance(block, bibmodel.Preamble):
        return "preamble"
    if isinstance(block, bibmodel.ExplicitComment | bibmodel.ImplicitComment):
        return "comment"
    return "failed"


def _reparse(strings: str, raw: str) -> bibmodel.Entry | None:
    """A duplicate-key block on its own, with the file's ``@string``s, so middlewares apply to it too."""
    library = bibtexparser.parse_string(strings + raw)
    return library.entries[0] if library.entries and not library.failed_blocks else None


def _unsplittable(text: str, path: str, library: bibtexparser.Library) -> Parsed:
    items = tuple(Item(e.key, bib_reader.entry_to_reference(e), (e.start_line or 0) + 1) for e in library.entries)
    finding = Finding(path, 1, 1, "bib-not-verbatim", Severity.WARNING,
                      "could not locate every block in the text; entries imported, text not kept")
    return Parsed(path, "bibtex", items, (), (finding,))


# --- merging ---------------------------------------------------------------------------


def merge(store: Store, parsed: Parsed) -> ImportReport:
    """Merge ``parsed`` into ``store`` in one transaction and report what happened."""
    existing = store.works(include_uncited=True)
    index = identity.WorkIndex()
    by_key: dict[str, int] = {}
    counts: dict[int, int] = {}
    for w in existing:
        by_key[w.key] = index.add(identity.WorkDraft(w.reference, key=w.key, curated=w.curated))
        counts[by_key[w.key]] = w.citation_count
    known = len(index.works)
    findings: list[Finding] = list(parsed.findings)
    touched: set[int] = set()
    work_of_item: list[int] = []
    new = merged = conflicts = 0
    for item in parsed.items:
        ref = item.reference.without_locator()
        idx = by_key.get(item.key) if item.key else None
        if idx is not None and not identity.same_work(ref, index.works[idx].reference) and not _untitled_same(
                ref, index.works[idx].reference):
            idx = None  # the key is taken by another work
        if idx is None and (ref.title or ref.container_title):
            idx = index.find(ref)
        if idx is None:
            key = item.key or key_rules.assign(key_rules.base_key(ref), set(by_key))
            if key in by_key:
                fresh = key_rules.assign(key, set(by_key))
                findings.append(Finding(parsed.path, item.line, 1, "import-key-taken", Severity.WARNING,
                                        f"key {key!r} already names another work; imported as {fresh!r}"))
                key = fresh
            idx = index.add(identity.WorkDraft(ref, key=key, curated=True))
            by_key[key] = idx
            new += 1
        else:
            draft = index.works[idx]
            if item.key and item.key != draft.key:
                findings.append(Finding(parsed.path, item.line, 1, "import-merged", Severity.INFO,
                                        f"{item.key!r} is the same work as {draft.key!r}; merged into it"))
            elif idx < known or idx in touched:
                findings.append(Finding(parsed.path, item.line, 1, "import-merged", Severity.INFO,
                                        f"{draft.key!r} is already in the store; merged"))
            combined, differences = merge_reference(draft.reference, ref, f"{parsed.path}:{item.line}")
            for name, kept, other in differences:
                findings.append(Finding(parsed.path, item.line, 1, "import-conflict", Severity.WARNING,
                                        f"{draft.key}: {name} {kept!r} kept; {other!r} noted"))
            conflicts += bool(differences)
            if combined != draft.reference:
                draft.reference = combined
                index.add_alias(idx, ref)
            draft.curated = True
            merged += 1
        touched.add(idx)
        work_of_item.append(idx)
    works = [Work(index.works[i].key or "", index.works[i].reference, True, counts.get(i, 0)) for i in sorted(touched)]
    rows = _segment_rows(parsed, [index.works[i] for i in work_of_item])
    store.import_works(works, str(Path(parsed.path).resolve()) if parsed.path != "-" else "-", rows)
    return ImportReport(parsed.path, len(parsed.items), new, merged, conflicts, tuple(findings))


def _untitled_same(a: Reference, b: Reference) -> bool:
    """Entries without a title (a newspaper issue) under one key: same container and date."""
    return (not a.title and not b.title and identity.norm(a.container_title) == identity.norm(b.container_title)
            and a.year == b.year)


def _segment_rows(parsed: Parsed, drafts: list[identity.WorkDraft]) -> list[tuple]:
    """Store rows (seq, kind, key, work key, gap, text, state) of a .bib's segments."""
    by_segment = {item.segment: draft for item, draft in zip(parsed.items, drafts, strict=True)}
    rows = []
    for seq, seg in enumerate(parsed.segments):
        draft = by_segment.get(seq)
        state = state_of(draft.reference) if draft is not None else None
        rows.append((seq, seg.kind, seg.key, draft.key if draft is not None else None, seg.gap, seg.text, state))
    return rows


def state_of(ref: Reference) -> str:
    """A work's record as stored text: equal strings mean the record did not change."""
    return json.dumps(reference_to_json(ref.without_locator()), ensure_ascii=False, sort_keys=True)


def merge_reference(base: Reference, other: Reference, where: str) -> tuple[Reference, list[tuple[str, str, str]]]:
    """``base`` completed from ``other``; differing values stay in ``base`` and are listed in its note.

    Returns the merged record and the conflicts as (field, kept value, other value).
    """
    changes: dict[str, object] = {}
    conflicts: list[tuple[str, str, str]] = []
    for f in fields(Reference):
        name = f.name
        if name in ("locator", "note"):
            continue
        mine, theirs = getattr(base, name), getattr(other, name)
        if not theirs or mine == theirs:
            continue
        if not mine or (name == "type" and mine == "document"):
            changes[name] = theirs
        elif name == "issued":
            if identity.dates_compatible(mine.parts, theirs.parts):
                if len(theirs.parts[0] if theirs.parts else ()) > len(mine.parts[0] if mine.parts else ()):
                    changes[name] = theirs
            else:
                conflicts.append((name, mine.raw or _date(mine.parts), theirs.raw or _date(theirs.parts)))
        elif name in ("author", "editor", "translator"):
            if _names(mine) != _names(theirs):
                conflicts.append((name, _names(mine), _names(theirs)))
        elif name in TEXT_FIELDS or name == "type":
            if " ".join(str(mine).split()) != " ".join(str(theirs).split()):
                conflicts.append((name, str(mine), str(theirs)))
    if other.note and other.note not in base.note:
        if base.note:
            conflicts.append(("note", base.note, other.note))
        else:
            changes["note"] = other.note
    note = str(changes.get("note", base.note))
    fresh = [f"{name} also given as “{value}”" for name, _, value in conflicts]
    fresh = [phrase for phrase in fresh if phrase not in note]  # importing the same file twice adds nothing
    if fresh:
        changes["note"] = f"{note}; " * bool(note) + "; ".join(fresh) + f" ({where})"
    return (replace(base, **changes) if changes else base), conflicts


def _names(names: tuple[Name, ...]) -> str:
    return "; ".join(n.literal or ", ".join(x for x in (f"{n.particle} {n.family}".strip(), n.given) if x)
                     for n in names)


def _date(parts: tuple[tuple[int, ...], ...]) -> str:
    return "/".join("-".join(f"{x:02d}" if i else str(x) for i, x in enumerate(p) if x) for p in parts)
