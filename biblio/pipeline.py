"""The one place where the stages are chained: read → parse → resolve → store → bib.

``analyse`` runs the per-document stages and needs no store (``check`` uses
it); ``build`` adds the store, cross-document work identity, stable keys and
the curated ``references.bib``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from biblio import fileio
from biblio.check import footnotes
from biblio.errors import InputError
from biblio.find import identifiers, narrative
from biblio.model import BuildReport, Document, Finding, RawCitation, Reference, Severity, Work
from biblio.parse import reference as reference_parser
from biblio.read import bibtex as bib_reader
from biblio.read import is_document, read_document, read_source, source
from biblio.render import bibtex as bib_writer
from biblio.resolve import ibid, keys, works
from biblio.store import Store

Progress = Callable[[str], None]
# a bare URL, DOI or ISBN in prose is kept raw: alone it names no work (no title)
IDENTIFIER_KINDS = frozenset({"url", "doi", "isbn"})


@dataclass(frozen=True)
class Analysis:
    """One document after reading, parsing, Ibid. resolution and lint."""

    document: Document
    citations: tuple[tuple[RawCitation, Reference | None], ...]
    findings: tuple[Finding, ...]


def collect(paths: Iterable[str | Path]) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """Files to read, with display names; folders are walked (hidden ones skipped)."""
    files: list[tuple[Path, str]] = []
    findings: list[Finding] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for root, dirs, names in os.walk(p, onerror=lambda e: findings.append(_unreadable(e.filename, e))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    f = Path(root) / name
                    if is_document(f):
                        files.append((f, str(f)))
        elif p.exists():
            files.append((p, str(p)))
        else:
            findings.append(Finding(str(p), 1, 1, "unreadable-file", Severity.ERROR, "no such file or folder"))
    return files, findings


def _unreadable(path: str, exc: OSError) -> Finding:
    return Finding(str(path), 1, 1, "unreadable-file", Severity.ERROR, f"cannot read: {exc.strerror or exc}")


def analyse_document(doc: Document, extra: Iterable[Finding] = (), bib_keys: set[str] | None = None) -> Analysis:
    """Parse every citation's text, resolve Ibid. chains, run the lint rules.

    With ``bib_keys`` (the keys of the .bib in use), citation keys that are not
    among them are reported as ``unknown-citation-key``.
    """
    findings = list(extra)
    notes_in_order = sorted(doc.notes, key=lambda n: n.line)
    parsed: list[tuple[int, int, Reference | ibid.BackReference | None]] = []
    for note in notes_in_order:
        back = ibid.classify(note.text)
        if back is not None:
            parsed.append((note.line, note.column, back))
            continue
        ref = reference_parser.parse(note.text)
        if ref is None:
            findings.append(Finding(doc.path, note.line, note.column, "unparsed-reference", Severity.WARNING,
                                    f"could not parse note {note.number}: {_short(note.text)}"))
        parsed.append((note.line, note.column, ref))
    by_note, ibid_findings = ibid.resolve(parsed, doc.path)
    first_on_line: dict[int, Reference] = {}
    for (line, _column), ref in sorted(by_note.items(), reverse=True):
        first_on_line[line] = ref
    findings.extend(ibid_findings)
    cited: list[tuple[RawCitation, Reference | None]] = []
    found = tuple(identifiers.find(doc))
    # attributions in the prose carry their partial record (or none: a vague attribution); never re-parsed
    stated = tuple(narrative.find(doc, found))
    findings.extend(narrative.lint(doc.path, stated))
    for c in (*doc.citations, *found):
        ref = None
        if c.reference is not None:
            ref = c.reference.with_locator(c.locator) if c.locator else c.reference
        elif c.note_line is not None and c.kind == "footnote":
            if c.note_column is not None:
                ref = by_note.get((c.note_line, c.note_column))
            else:
                ref = first_on_line.get(c.note_line)
        elif c.raw and c.kind not in IDENTIFIER_KINDS and c.key is None:
            ref = reference_parser.parse(c.raw)
            if ref is None:
                findings.append(Finding(doc.path, c.line, c.column, "unparsed-reference", Severity.WARNING,
                                        f"could not parse this {c.kind}: {_short(c.raw)}"))
        cited.append((c, ref))
        if c.key is not None and bib_keys is not None and c.key not in bib_keys:
            findings.append(Finding(doc.path, c.line, c.column, "unknown-citation-key", Severity.ERROR,
                                    f"citation key {c.key!r} is not in the bibliography"))
    cited.extend((c, c.reference) for c in stated)
    findings.extend(doc.findings)
    findings.extend(footnotes.lint(doc))
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return Analysis(doc, tuple(cited), tuple(findings))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def analyse_paths(
    paths: Iterable[str | Path],
    max_bytes: int = source.DEFAULT_MAX_BYTES,
    forced: str | None = None,
    bib_keys: set[str] | None = None,
) -> Iterator[Analysis | Finding]:
    """Analyse every document under ``paths``; unreadable ones yield a finding."""
    files, problems = collect(paths)
    yield from problems
    for path, display in files:
        try:
            doc, src = read_document(path, display, max_bytes, forced)
        except InputError as exc:
            yield Finding(display, exc.line or 1, 1, "unreadable-file", Severity.ERROR, exc.message)
            continue
        yield analyse_document(doc, src.findings, bib_keys)


def build(
    paths: Iterable[str | Path],
    store: Store,
    bib_path: str | Path | None = None,
    max_bytes: int = source.DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    forced: str | None = None,
) -> BuildReport:
    """Read what changed, relink all citations to works, and extend the .bib."""
    bib = bib_reader.load(bib_path) if bib_path else None  # fail before any work on a bad .bib
    files, findings = collect(paths)
    read = skipped = 0
    for path, display in files:
        if progress:
            progress(display)
        identity = str(path.resolve())
        try:
            src = source.load(path, display, max_bytes)
            if store.document_hash(identity) == src.sha256:
                skipped += 1
                continue
            doc = read_source(path, src, forced)
        except InputError as exc:
            findings.append(Finding(display, exc.line or 1, 1, "unreadable-file", Severity.ERROR, exc.message))
            continue
        analysis = analyse_document(doc, src.findings, bib.keys if bib is not None else None)
        store.save_document(identity, display, doc, analysis.citations, analysis.findings)
        read += 1
    if bib is not None:
        findings.extend(bib.findings)
    all_works, links = relink(store, bib)
    written = new_entries = 0
    if bib is not None and bib_path is not None:
        new = [w for w in all_works if not w.curated and w.key not in bib.keys and w.citation_count > 0]
        text = bib_writer.append(bib.text, new)
        if text != bib.text:
            fileio.write_atomic(bib_path, text)
            written, new_entries = 1, len(new)
    all_findings = tuple(findings) + tuple(store.findings())
    return BuildReport(
        documents_read=read,
        documents_skipped=skipped,
        citations=len(links),
        works=sum(1 for w in all_works if w.citation_count or w.curated),
        new_bib_entries=new_entries,
        bib_written=bool(written),
        findings=all_findings,
    )


def unused_bib_entries(bib: bib_reader.BibFile, cited_keys: set[str]) -> list[Finding]:
    """``unused-bib-entry``: entries of the .bib that no document cites by key."""
    return [
        Finding(bib.path, bib.lines.get(key, 1), 1, "unused-bib-entry", Severity.INFO,
                f"entry {key!r} is never cited")
        for key, _ in bib.entries
        if key not in cited_keys
    ]


def relink(store: Store, bib: bib_reader.BibFile | None) -> tuple[list[Work], dict[int, str | None]]:
    """Cluster every stored citation into works; curated and earlier keys are kept."""
    known: list[works.WorkDraft] = []
    taken: set[str] = set()
    curated_keys: set[str] = set()
    if bib is not None:
        for key, ref in bib.entries:
            known.append(works.WorkDraft(ref, key=key, curated=True))
            taken.add(key)
            curated_keys.add(key)
    aliases: dict[str, Reference] = {}
    for w in store.works(include_uncited=True):
        if w.key in taken:
            aliases[w.key] = w.reference
            continue
        known.append(works.WorkDraft(w.reference, key=w.key, curated=w.curated and bib is None))
        taken.add(w.key)
    rows = store.citation_references()
    # a citation by key (pandoc, LaTeX) links to that entry; others keep an earlier link
    sticky = [row[3] or row[2] for row in rows]
    refs = [row[1] if row[3] is None else None for row in rows]
    # mentions in prose give partial records: they are matched by issuer, year and type, after full records
    kinds = sorted(narrative.KINDS)
    marks = ",".join("?" * len(kinds))
    mentioned = {cid for (cid,) in store.db.execute(f"SELECT id FROM citations WHERE kind IN ({marks})", kinds)}
    partial = [row[0] in mentioned for row in rows]
    drafts, assignment = works.cluster(refs, known, aliases, sticky, partial)
    out: list[Work] = []
    key_of: dict[int, str] = {}
    for idx, draft in enumerate(drafts):
        if draft.key is None:
            draft.key = keys.assign(keys.base_key(draft.reference), taken)
            taken.add(draft.key)
        key_of[idx] = draft.key
        out.append(Work(draft.key, draft.reference, draft.curated, len(draft.members)))
    links = {row[0]: (key_of[a] if a is not None else None) for row, a in zip(rows, assignment, strict=False)}
    store.save_works(out, {cid: key for (cid, _, was, _), key in zip(rows, links.values(), strict=True) if key != was})
    return out, links
