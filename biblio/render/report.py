"""A browsable static report of the store: works, documents, link health, findings.

``biblio report -o DIR`` writes plain HTML files that open from disk (file://)
or from any static host, so a reader can follow a work to every passage citing
it and a passage back to its works without running anything. Choices, and why:

- **Templates with autoescaping** (Jinja2, ``templates/*.html``): every string
  that came from a document or a .bib (a title, a passage, a host) is text,
  never markup. Python code only prepares values; it builds no HTML, except the
  charts, which also go through an autoescaped template (``svg.py``).
- **No JavaScript needed.** Every page is complete as HTML: the index is a
  table split into pages, and long documents and citation lists are split
  too, so no page holds more than ``page_size`` rows (a browser stays quick on
  a 10,000-work corpus). ``static/report.js`` only adds search, filters and
  sorting on top; it reads the whole index from ``search-data.js``, a script
  file rather than JSON because browsers refuse ``fetch`` from file://.
  Strings in it are JSON with ``<`` written as ``\\u003c`` and are inserted
  with ``textContent``.
- **Charts are drawn at build time** as inline SVG: no chart library, no
  network, nothing to load.
- **Links are only http(s).** A URL field such as ``javascript:…`` is shown as
  text: a .bib is input, and input does not get to run code in the reader.
- **Atomic output.** Pages are written into a temporary folder beside DIR,
  which then replaces DIR in two renames, so a reader or a static host never
  sees half a report. A DIR that exists but was not written by this module is
  refused rather than replaced (``-o ~`` must not delete a home folder).
- **Reads go through SQL for what the Store has no accessor for** (passages,
  citations with their passage index, findings with their document): the
  report needs them by document and passage, and decoding 100,000 citations'
  references through ``Store.citations`` would cost more than writing every
  page.
- **Big corpora are written by forked processes** (one per CPU, at most 4)
  once there are more than ``PARALLEL_FROM`` passages and citations: pages are
  independent, rendering is CPU-bound, and forking shares the loaded corpus.
- **Formatted references** come from ``biblio.render.styles.format_reference(
  reference, style) -> str`` (plain text, citeproc-py) when that module exists;
  until then, or when it fails on a record, a plain string built from the
  fields is shown and the page says so.
"""

from __future__ import annotations

import bisect
import gc
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from biblio import __version__
from biblio.errors import BiblioError
from biblio.model import Finding, Name, Reference, Severity, UrlCheck, Verdict, Work
from biblio.render import bibtex, svg
from biblio.store import Store, StoredDocument

PAGE_SIZE = 200
# passages + citations from which pages are written by several processes (below, forking costs more than it saves)
PARALLEL_FROM = 20_000
MARKER_FILE = ".biblio-report"
STATIC_FILES = ("report.css", "report.js")
# verdicts that want an archived copy; the others are either fine or only unverified
ARCHIVE_WANTED = {Verdict.BROKEN, Verdict.DRIFTED, Verdict.SOFT_404}
NO_URL = "no-url"
UNCHECKED = "unchecked"
# citation kinds whose raw text is visible in the passage and can be highlighted there
VISIBLE_RAW = {"narrative", "parenthetical", "url", "doi", "isbn"}
_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_PAGE_SUFFIX = re.compile(r"-\d+$")
T = TypeVar("T")


@dataclass(frozen=True)
class ReportResult:
    """What a report build wrote, for the CLI summary and tests."""

    path: Path
    index: Path
    pages: int
    works: int
    documents: int
    style: str
    seconds: float


@dataclass(frozen=True, slots=True)
class CitationRow:
    """A citation as the report needs it: its document and passage by id, not joined text."""

    id: int
    document: int
    seq: int
    kind: str
    marker: str | None
    line: int
    column: int
    note_line: int | None
    raw: str | None
    passage: int | None
    locator: str
    work: str | None
    cite_key: str | None


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of passage text; a citation's marker, linked to its work, when ``href`` is set."""

    text: str
    href: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class Badge:
    """A citation whose marker is not in the passage text (a ``<ref>``, an ``{{sfn}}``): shown after it."""

    label: str
    href: str = ""
    title: str = ""


@dataclass
class DocumentInfo:
    """One document with everything its pages and the works' pages need."""

    doc: StoredDocument
    slug: str
    passages: list[tuple[int, int, str]] = field(default_factory=list)
    citations: list[CitationRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    page_of: dict[int, int] = field(default_factory=dict)
    works: set[str] = field(default_factory=set)
    starts: list[int] = field(default_factory=list)
    by_passage: dict[int | None, list[CitationRow]] = field(default_factory=dict)


@dataclass
class Corpus:
    """The store's content, loaded once and indexed the ways the pages look it up."""

    works: list[Work]
    documents: list[DocumentInfo]
    by_doc_id: dict[int, DocumentInfo]
    passages: dict[tuple[int, int], str]
    citations_of: dict[str, list[CitationRow]]
    findings: list[tuple[DocumentInfo | None, Finding]]
    url_checks: dict[str, tuple[UrlCheck, str | None, int]]
    work_slug: dict[str, str]
    work_by_key: dict[str, Work]


# --- small helpers -------------------------------------------------------------------


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` in pages of ``size`` (at least one page, possibly empty, so every listing has a first page)."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [items[:0]]


def page_name(stem: str, number: int) -> str:
    """``index.html``, ``index-2.html``…: page 1 keeps the plain name that other pages link to."""
    return f"{stem}.html" if number <= 1 else f"{stem}-{number}.html"


def slugify(text: str, taken: set[str]) -> str:
    """A file-name-safe, unique (case-insensitively, for macOS and Windows disks) name for ``text``.

    Slugs never end in ``-<digits>`` so they cannot collide with the ``-2``, ``-3`` pages of another slug.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = _SLUG_UNSAFE.sub("-", ascii_text).strip(".-")[:60] or "item"
    if _PAGE_SUFFIX.search(base):
        base += "_"
    slug, n = base, 1
    while slug.casefold() in taken:
        n += 1
        slug = f"{base}_{n}"
    taken.add(slug.casefold())
    return slug


def safe_href(url: str) -> str:
    """``url`` when it is http(s) and may be a link target; "" otherwise (``javascript:`` stays text)."""
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    if scheme in ("http", "https"):
        return url
    if not scheme and url.lower().startswith("www."):
        return "https://" + url
    return ""


def host_of(url: str) -> str:
    """The host a URL points at (bare ``www.…`` included), or a placeholder for what has none."""
    href = safe_href(url)
    try:
        host = urlsplit(href).hostname if href else None
    except ValueError:
        host = None
    return host or "(not a web address)"


def wayback_search(url: str) -> str:
    """Where a reader can look for archived copies when the checker found none (or was not asked)."""
    return "https://web.archive.org/web/*/" + quote(url, safe=":/?&=%#+@,;~")


def name_text(n: Name) -> str:
    return n.literal or ", ".join(x for x in (f"{n.particle} {n.family}".strip(), n.given) if x)


def authors_text(ref: Reference, limit: int = 3) -> str:
    names = [name_text(n) for n in ref.author] or [name_text(n) for n in ref.editor]
    if len(names) > limit:
        return "; ".join(names[:limit]) + " et al."
    return "; ".join(names)


def work_title(w: Work) -> str:
    return w.reference.title or w.reference.container_title or "(untitled)"


def sort_key(w: Work) -> tuple[str, int, str, str]:
    """Bibliography order: first author (or title when there is none), year, title, key."""
    ref = w.reference
    first = (ref.author or ref.editor or (None,))[0]
    lead = (first.sort_name if first else "") or work_title(w)
    return (_fold(lead), ref.year or 0, _fold(work_title(w)), w.key)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def decade(year: int | None) -> str:
    return f"{year // 10 * 10}s" if year else "n.d."


def plain_reference(ref: Reference) -> str:
    """A reference string built from the fields alone (APA-like), used when no CSL formatter is available."""

    def initials(n: Name) -> str:
        if n.literal:
            return n.literal
        given = " ".join(f"{p[0]}." for p in re.split(r"[\s.]+", n.given) if p)
        family = f"{n.particle} {n.family}".strip()
        return f"{family}, {given}" if given else family

    names = [initials(n) for n in ref.author]
    who = ", ".join(names[:-1]) + (", & " if len(names) > 2 else " & ") + names[-1] if len(names) > 1 else (
        names[0] if names else "")
    parts = []
    if who:
        parts.append(who.rstrip(".") + ".")
    parts.append(f"({ref.year or 'n.d.'}).")
    if ref.title:
        parts.append(ref.title.rstrip(".") + ".")
    if ref.container_title:
        detail = ", ".join(x for x in (ref.volume and f"{ref.volume}" + (f"({ref.issue})" if ref.issue else ""),
                                       ref.page) if x)
        parts.append(f"{ref.container_title}{', ' + detail if detail else ''}.")
    publisher = ": ".join(x for x in (ref.publisher_place, ref.publisher) if x)
    if publisher:
        parts.append(publisher.rstrip(".") + ".")
    if ref.DOI:
        parts.append(f"https://doi.org/{ref.DOI}")
    elif ref.URL:
        parts.append(ref.URL)
    return " ".join(parts)


def csl_text(item: dict[str, Any]) -> str:
    """CSL-JSON with one line per variable: readable like ``indent=2`` without a line per name part."""
    lines = (f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in item.items())
    return "{\n" + ",\n".join(lines) + "\n}"


def reference_formatter(style: str) -> tuple[Callable[[Reference], str], str]:
    """A function formatting one reference as plain text in ``style``, and the name of what it really uses.

    The CSL styles module (citeproc-py) is optional here: when it is not installed, or not finished,
    the report still builds with :func:`plain_reference` and says so on the page ("plain").
    """
    try:
        from biblio.render import styles  # type: ignore[attr-defined]
    except ImportError:
        return plain_reference, "plain"
    fmt = getattr(styles, "format_reference", None)
    if not callable(fmt):
        return plain_reference, "plain"

    def formatted(ref: Reference) -> str:
        return str(fmt(ref, style))

    return formatted, style


def default_jobs() -> int:
    """The CPUs this process may use, at most 4 (beyond that, writing files is the limit)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus))


# --- loading -----------------------------------------------------------------------------


def load(store: Store) -> Corpus:
    """Everything the pages show, read once; ``works`` in bibliography order."""
    works = sorted(store.works(), key=sort_key)
    work_by_key = {w.key: w for w in works}
    taken: set[str] = set()
    work_slug = {w.key: slugify(w.key, taken) for w in works}
    taken = set()
    documents = [DocumentInfo(d, slugify(d.name, taken)) for d in store.documents()]
    by_id = {d.doc.id: d for d in documents}
    db = store.db
    passages: dict[tuple[int, int], str] = {}
    for doc_id, idx, line, text in db.execute("SELECT document_id, idx, line, text FROM passages "
                                              "ORDER BY document_id, idx"):
        info = by_id.get(doc_id)
        if info is not None:
            info.passages.append((idx, line, text))
            passages[(doc_id, idx)] = text
    citations_of: dict[str, list[CitationRow]] = defaultdict(list)
    rows = db.execute(
        "SELECT id, document_id, seq, kind, marker, line, col, note_line, raw, passage_idx, locator, work_key,"
        " cite_key FROM citations ORDER BY document_id, line, col, seq"
    )
    for row in rows:
        c = CitationRow(*row[:10], row[10] or "", row[11], row[12])
        info = by_id.get(c.document)
        if info is None:
            continue
        info.citations.append(c)
        if c.work in work_by_key:
            citations_of[c.work].append(c)
            info.works.add(c.work)
    findings: list[tuple[DocumentInfo | None, Finding]] = []
    for doc_id, path, line, col, rule, severity, message in db.execute(
        "SELECT document_id, path, line, col, rule, severity, message FROM findings ORDER BY document_id, line, col"
    ):
        f = Finding(path, line, col, rule, Severity(severity), message)
        info = by_id.get(doc_id)
        if info is not None:
            info.findings.append(f)
        findings.append((info, f))
    return Corpus(works, documents, by_id, passages, citations_of, findings, store.url_checks(), work_slug,
                  work_by_key)


# --- passages with their markers --------------------------------------------------------------------


def _needle(c: CitationRow) -> str | None:
    """The text of ``c`` that is visible in its passage, if any: a footnote number, ``@key``, a quoted URL…"""
    if c.kind == "footnote" and c.marker:
        return c.marker
    if c.kind == "key" and c.cite_key:
        return "@" + c.cite_key
    if c.kind in VISIBLE_RAW and c.raw and len(c.raw) < 300:
        return c.raw
    return None


def locate(text: str, cites: Sequence[CitationRow]) -> tuple[list[tuple[int, int, CitationRow]], list[CitationRow]]:
    """Where each citation's marker sits in ``text`` (non-overlapping spans), and the ones not found.

    A footnote number is the last free occurrence not inside a longer number: markers close sentences, and
    ``1965.1`` must highlight the ``1`` after the full stop, not the one in the year.
    """
    spans: list[tuple[int, int, CitationRow]] = []
    missing: list[CitationRow] = []
    for c in cites:
        needle = _needle(c)
        if not needle:
            missing.append(c)
            continue
        if needle.isdigit():
            pattern = re.compile(rf"(?<!\d){re.escape(needle)}(?!\d)")
        else:
            pattern = re.compile(re.escape(needle))
        found = None
        for m in reversed(list(pattern.finditer(text))):
            if all(m.end() <= s or m.start() >= e for s, e, _ in spans):
                found = (m.start(), m.end(), c)
                break
        if found:
            spans.append(found)
        else:
            missing.append(c)
    spans.sort(key=lambda s: s[0])
    return spans, missing


def finding_passage(doc: DocumentInfo, f: Finding) -> int | None:
    """The passage a finding is shown under: the last one starting at or before its line (None: before all)."""
    if not doc.starts:
        doc.starts = [line for _, line, _ in doc.passages]
    i = bisect.bisect_right(doc.starts, f.line) - 1
    return doc.passages[i][0] if i >= 0 else None


@dataclass(frozen=True, slots=True)
class PassageView:
    """A passage ready for a template: text runs with linked markers, badges, and findings in place."""

    idx: int
    line: int
    segments: tuple[Segment, ...]
    badges: tuple[Badge, ...]
    cites: tuple[CiteView, ...] = ()
    findings: tuple[Finding, ...] = ()
    unlinked: str = ""


@dataclass(frozen=True, slots=True)
class CiteView:
    """A citation listed under its passage: which work it links to, with what locator."""

    href: str
    title: str
    locator: str
    marker: str
    kind: str
    key: str
    line: int


@dataclass(frozen=True, slots=True)
class CitingView:
    """One entry of a work's page: where the citation is, and its passage as before / marker / after."""

    href: str
    line: int
    kind: str
    marker: str
    locator: str
    has_text: bool
    before: str
    mark: str
    after: str
    badge: str
    note: str


# --- the builder -------------------------------------------------------------------------------


class ReportWriter:
    """Renders every page of a report into one folder; one instance per build (no shared state)."""

    def __init__(self, corpus: Corpus, out: Path, style: str, page_size: int = PAGE_SIZE, jobs: int | None = None,
                 parallel_from: int = PARALLEL_FROM) -> None:
        self.c = corpus
        self.jobs = jobs if jobs is not None else default_jobs()
        self.parallel_from = parallel_from
        self.out = out
        self.page_size = max(1, page_size)
        self.format_reference, self.style = reference_formatter(style)
        self.requested_style = style
        self.pages = 0
        self.env = Environment(loader=PackageLoader("biblio.render", "templates"), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
        self.env.globals.update(version=__version__, generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
        self.verdicts = self._work_verdicts()
        self.hrefs = {key: "works/" + page_name(slug, 1) for key, slug in corpus.work_slug.items()}
        self.titles = {w.key: work_title(w) for w in corpus.works}
        self.spans: dict[tuple[int, int], tuple[list[tuple[int, int, CitationRow]], list[CitationRow]]] = {}

    # links (relative to the report root; pages in a subfolder prefix "../")
    def work_href(self, key: str | None) -> str:
        """The first page of a work's pages ("" for a citation linked to no work)."""
        return self.hrefs.get(key, "") if key is not None else ""

    def passage_href(self, doc: DocumentInfo, idx: int | None) -> str:
        if idx is None or idx not in doc.page_of:
            return "documents/" + page_name(doc.slug, 1)
        return f"documents/{page_name(doc.slug, doc.page_of[idx] + 1)}#p{idx}"

    def doc_href(self, doc: DocumentInfo) -> str:
        return "documents/" + page_name(doc.slug, 1)

    def write(self, relpath: str, template: str, **context: Any) -> None:
        depth = relpath.count("/")
        context.setdefault("root", "../" * depth)
        html = self.env.get_template(template).render(**context)
        (self.out / relpath).write_text(html, encoding="utf-8")
        self.pages += 1

    # link verdicts ------------------------------------------------------------------------------
    def _work_verdicts(self) -> dict[str, str]:
        out = {}
        for w in self.c.works:
            url = w.reference.URL
            if not url:
                out[w.key] = NO_URL
            elif url in self.c.url_checks:
                out[w.key] = self.c.url_checks[url][0].verdict.value
            else:
                out[w.key] = UNCHECKED
        return out

    # pages --------------------------------------------------------------------------------------
    def build(self) -> None:
        for doc in self.c.documents:
            for i, (idx, _, _) in enumerate(doc.passages):
                doc.page_of[idx] = i // self.page_size
            by_passage: dict[int | None, list[CitationRow]] = defaultdict(list)
            for c in doc.citations:
                by_passage[c.passage if c.passage in doc.page_of else None].append(c)
            doc.by_passage = dict(by_passage)
        for folder in ("works", "documents"):
            (self.out / folder).mkdir(exist_ok=True)
        self.copy_static()
        self.write_index()
        self.write_documents()
        self.write_links()
        self.write_findings()
        heavy = len(self.c.passages) + sum(len(c) for c in self.c.citations_of.values())
        jobs = self.jobs if heavy >= self.parallel_from else 1
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            self.pages += self.write_parts_in_parallel(jobs)
        else:
            self.write_part(0, 1)
        (self.out / MARKER_FILE).write_text(f"biblio {__version__}\n", encoding="utf-8")

    def write_part(self, part: int, parts: int) -> None:
        """Every ``parts``-th document and work page starting at ``part`` (all of them when ``parts`` is 1)."""
        for doc in self.c.documents[part::parts]:
            self.write_document(doc)
        for w in self.c.works[part::parts]:
            self.write_work(w)

    def write_parts_in_parallel(self, jobs: int) -> int:
        """Write the document and work pages in ``jobs`` forked processes; returns how many pages they wrote.

        Rendering is CPU-bound Python (templates, escaping), so threads would queue on the GIL. Forked
        children share the loaded corpus without pickling it and only write files, so nothing needs merging.
        """
        ctx = multiprocessing.get_context("fork")
        children = []
        gc.freeze()  # the children's collector would otherwise touch, and so copy, every inherited object
        try:
            for part in range(jobs):
                reader, writer = ctx.Pipe(duplex=False)
                process = ctx.Process(target=self._child, args=(part, jobs, writer), daemon=True)
                process.start()
                writer.close()
                children.append((process, reader))
        finally:
            gc.unfreeze()
        pages, errors = 0, []
        for process, reader in children:
            try:
                status, value = reader.recv()
            except EOFError:
                status, value = "error", "worker process died"
            process.join()
            if status == "ok":
                pages += int(value)
            else:
                errors.append(str(value))
        if errors:
            raise BiblioError(f"could not write the report: {errors[0]}")
        return pages

    def _child(self, part: int, parts: int, conn: Any) -> None:
        try:
            self.pages = 0
            self.write_part(part, parts)
            conn.send(("ok", self.pages))
        except BaseException as exc:  # reported to the parent, which raises it as a BiblioError
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        finally:
            conn.close()

    def copy_static(self) -> None:
        static = self.out / "static"
        static.mkdir(parents=True, exist_ok=True)
        package = resources.files("biblio.render") / "static"
        for name in STATIC_FILES:
            (static / name).write_bytes((package / name).read_bytes())

    def pager(self, stem: str, number: int, total: int) -> dict[str, Any]:
        """Links to the neighbouring pages of a split listing, for the ``pager`` macro."""
        return {
            "number": number, "total": total,
            "prev": page_name(stem, number - 1) if number > 1 else "",
            "next": page_name(stem, number + 1) if number < total else "",
            "pages": [(n, page_name(stem, n)) for n in range(1, total + 1)] if total <= 30 else
                     [(n, page_name(stem, n)) for n in sorted({1, 2, number - 1, number, number + 1, total - 1, total})
                      if 1 <= n <= total],
        }

    def work_row(self, w: Work) -> dict[str, Any]:
        ref = w.reference
        docs = {c.document for c in self.c.citations_of.get(w.key, ())}
        return {
            "key": w.key, "href": self.work_href(w.key), "title": work_title(w), "authors": authors_text(ref),
            "type": ref.type, "year": ref.year or "", "cited": w.citation_count, "documents": len(docs),
            "verdict": self.verdicts[w.key], "curated": w.curated, "incomplete": w.incomplete,
            "container": ref.container_title, "doc_ids": sorted(docs),
        }

    def overview_charts(self) -> list[Markup]:
        works = self.c.works
        by_type = Counter(w.reference.type for w in works).most_common()
        by_decade = sorted(Counter(decade(w.reference.year) for w in works).items(),
                           key=lambda kv: (kv[0] == "n.d.", kv[0]))
        top = sorted(works, key=lambda w: (-w.citation_count, sort_key(w)))[:10]
        per_doc = sorted(((d.doc.name, len(d.citations), self.doc_href(d)) for d in self.c.documents),
                         key=lambda t: -t[1])
        return [
            svg.bar_chart("chart-types", "Works by type", by_type),
            svg.bar_chart("chart-decades", "Works by decade", by_decade, limit=20),
            svg.bar_chart("chart-cited", "Most-cited works",
                          [(work_title(w), w.citation_count, self.work_href(w.key)) for w in top]),
            svg.bar_chart("chart-docs", "Citations per document", per_doc),
            svg.bar_chart("chart-verdicts", "Works' link verdicts", Counter(self.verdicts.values()).most_common()),
        ]

    def write_index(self) -> None:
        rows = [self.work_row(w) for w in self.c.works]
        self.write_search_data(rows)
        pages = chunks(rows, self.page_size)
        years = sorted({r["year"] for r in rows if r["year"]}, reverse=True)
        filters = {
            "types": sorted({r["type"] for r in rows}),
            "years": years, "undated": any(not r["year"] for r in rows),
            "documents": [(i, d.doc.name) for i, d in enumerate(self.c.documents)],
            "verdicts": sorted({r["verdict"] for r in rows}),
        }
        charts = self.overview_charts()
        totals = {"works": len(rows), "citations": sum(len(d.citations) for d in self.c.documents),
                  "documents": len(self.c.documents), "findings": len(self.c.findings)}
        for n, page in enumerate(pages, start=1):
            self.write(page_name("index", n), "index.html", title="Works", nav="works", rows=page,
                       first=(n - 1) * self.page_size + 1, paging=self.pager("index", n, len(pages)),
                       filters=filters, charts=charts if n == 1 else [], totals=totals)

    def write_search_data(self, rows: list[dict[str, Any]]) -> None:
        """``search-data.js``: the whole index for the filter script, escaped so no string can end a script."""
        doc_index = {d.doc.id: i for i, d in enumerate(self.c.documents)}
        data = {
            "fields": ["key", "href", "title", "authors", "type", "year", "cited", "documents", "verdict",
                       "container", "docs"],
            "rows": [[r["key"], r["href"], r["title"], r["authors"], r["type"], r["year"], r["cited"],
                      r["documents"], r["verdict"], r["container"], [doc_index[i] for i in r["doc_ids"]]]
                     for r in rows],
            "pageSize": self.page_size,
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        (self.out / "search-data.js").write_text(f"window.BIBLIO_INDEX = {text};\n", encoding="utf-8")

    def cite_view(self, c: CitationRow) -> CiteView:
        return CiteView(self.work_href(c.work), self.titles.get(c.work or "", ""), c.locator, c.marker or "", c.kind,
                        c.work or c.cite_key or "", c.line)

    def located(self, doc: DocumentInfo, idx: int, text: str) -> tuple[list[tuple[int, int, CitationRow]],
                                                                      list[CitationRow]]:
        """:func:`locate` for one passage, computed once for its document page and its works' pages."""
        key = (doc.doc.id, idx)
        found = self.spans.get(key)
        if found is None:
            found = self.spans[key] = locate(text, doc.by_passage.get(idx, ()))
        return found

    def passage_view(self, doc: DocumentInfo, idx: int, line: int, text: str,
                     findings: Sequence[Finding] = ()) -> PassageView:
        """A passage of a document page: text runs with every marker linked to its work."""
        spans, missing = self.located(doc, idx, text)
        segments: list[Segment] = []
        pos = 0
        titles = self.titles
        for start, end, c in spans:
            if start > pos:
                segments.append(Segment(text[pos:start]))
            segments.append(Segment(text[start:end], self.work_href(c.work), titles.get(c.work or "", "")))
            pos = end
        if pos < len(text):
            segments.append(Segment(text[pos:]))
        badges = []
        for c in missing:
            badges.append(Badge(self.badge_label(c), self.work_href(c.work), titles.get(c.work or "", "")))
        cites = doc.by_passage.get(idx, ())
        views = tuple(self.cite_view(c) for c in cites if c.work in self.hrefs)
        unlinked = ""
        if len(views) < len(cites):
            loose = Counter(c.kind for c in cites if c.work not in self.hrefs)
            unlinked = ", ".join(f"{n} {kind}" for kind, n in sorted(loose.items()))
        return PassageView(idx, line, tuple(segments), tuple(badges), views, tuple(findings), unlinked)

    @staticmethod
    def badge_label(c: CitationRow) -> str:
        """A short marker for a citation not visible in the text: its own when short, else its number in the file."""
        return c.marker if c.marker and len(c.marker) <= 4 else str(c.seq + 1)

    def citing_passage(self, doc: DocumentInfo, c: CitationRow) -> CitingView:
        """One entry of a work's page: the passage split as before / marker / after (or a badge at its end)."""
        text = self.c.passages.get((c.document, c.passage), "") if c.passage is not None else ""
        before = mark = after = badge = ""
        if text:
            spans, _ = self.located(doc, c.passage or 0, text)
            span = next(((a, b) for a, b, x in spans if x.id == c.id), None)
            if span:
                before, mark, after = text[:span[0]], text[span[0]:span[1]], text[span[1]:]
            else:
                before, badge = text, self.badge_label(c)
        note = c.raw if c.raw and c.raw != text and c.kind not in VISIBLE_RAW else ""
        return CitingView(self.passage_href(doc, c.passage), c.line, c.kind, c.marker or "", c.locator,
                          bool(text), before, mark, after, badge, note)

    def write_work(self, w: Work) -> None:
        """The pages of one work: its reference, fields, BibTeX, CSL-JSON and every citing passage."""
        cites = self.c.citations_of.get(w.key, [])
        pages = chunks(cites, self.page_size)
        ref = w.reference
        try:
            formatted, format_error = self.format_reference(ref), ""
        except Exception as exc:  # a style that chokes on one record must not stop the report
            formatted, format_error = plain_reference(ref), f"{type(exc).__name__}: {exc}"
        url_check = self.c.url_checks.get(ref.URL) if ref.URL else None
        common = {
            "work": w, "title": work_title(w), "authors": [name_text(n) for n in ref.author],
            "editors": [name_text(n) for n in ref.editor], "fields": self.fields(ref),
            "bibtex": bibtex.render([w]), "csl": csl_text(ref.as_csl(w.key)),
            "formatted": formatted, "format_error": format_error, "style": self.style,
            "requested_style": self.requested_style, "link_verdict": self.verdicts[w.key], "check": url_check,
            "url_href": safe_href(ref.URL), "archive_href": self.archive_href(ref.URL, url_check),
            "doi_href": "https://doi.org/" + quote(ref.DOI, safe="/:;()._-") if ref.DOI else "",
            "documents": len({c.document for c in cites}), "total": len(cites),
        }
        for n, page in enumerate(pages, start=1):
            groups: list[dict[str, Any]] = []
            for c in page:
                doc = self.c.by_doc_id[c.document]
                if not groups or groups[-1]["doc"] is not doc:
                    groups.append({"doc": doc, "href": self.doc_href(doc), "cites": []})
                groups[-1]["cites"].append(self.citing_passage(doc, c))
            slug = self.c.work_slug[w.key]
            self.write("works/" + page_name(slug, n), "work.html", nav="works", groups=groups,
                       paging=self.pager(slug, n, len(pages)), **common)

    def fields(self, ref: Reference) -> list[tuple[str, str]]:
        """Every field that has a value, by its CSL name, names and date made readable (the raw record)."""
        out = [("type", ref.type)]
        for role in ("author", "editor", "translator"):
            names = getattr(ref, role)
            if names:
                out.append((role, "; ".join(name_text(n) for n in names)))
        if ref.issued:
            out.append(("issued", ref.issued.raw or "-".join(str(p) for p in ref.issued.parts[0] if p)
                        if ref.issued.parts else ref.issued.raw))
        csl = ref.as_csl()
        for name, value in csl.items():
            if isinstance(value, str) and name != "type":
                out.append((name, value))
        return out

    def archive_href(self, url: str, check: tuple[UrlCheck, str | None, int] | None) -> str:
        """The checker's snapshot when it found one; else a Wayback search for links that are gone or changed."""
        if not url or check is None:
            return ""
        if check[0].archive_url and safe_href(check[0].archive_url):
            return check[0].archive_url
        if check[0].verdict in ARCHIVE_WANTED and safe_href(url):
            return wayback_search(safe_href(url))
        return ""

    def write_documents(self) -> None:
        docs = self.c.documents
        per_doc = sorted(((d.doc.name, len(d.citations), self.doc_href(d)) for d in docs), key=lambda t: -t[1])
        rows = [{"doc": d, "href": self.doc_href(d), "passages": len(d.passages), "citations": len(d.citations),
                 "works": len(d.works), "findings": len(d.findings)} for d in docs]
        pages = chunks(rows, self.page_size)
        chart = svg.bar_chart("chart-docs", "Citations per document", per_doc, limit=20)
        for n, page in enumerate(pages, start=1):
            self.write(page_name("documents", n), "documents.html", title="Documents", nav="documents", rows=page,
                       chart=chart if n == 1 else "", paging=self.pager("documents", n, len(pages)))

    def write_document(self, doc: DocumentInfo) -> None:
        """A document's passages in order, markers linked to works and findings under the passage they concern."""
        by_passage = doc.by_passage
        placed: dict[int, list[Finding]] = defaultdict(list)
        before: list[Finding] = []
        for f in doc.findings:
            idx = finding_passage(doc, f)
            if idx is None:
                before.append(f)
            else:
                placed[idx].append(f)
        pages = chunks(doc.passages, self.page_size)
        loose = [self.cite_view(c) for c in by_passage.get(None, [])]
        severities = Counter(f.severity.value for f in doc.findings)
        for n, page in enumerate(pages, start=1):
            views = [self.passage_view(doc, idx, line, text, placed.get(idx, ()))
                     for idx, line, text in page]
            self.write("documents/" + page_name(doc.slug, n), "document.html", title=doc.doc.name, nav="documents",
                       doc=doc, passages=views, before=before if n == 1 else [], loose=loose if n == len(pages) else [],
                       paging=self.pager(doc.slug, n, len(pages)), severities=severities,
                       cited_works=len(doc.works))

    def write_links(self) -> None:
        """Every cited URL (works' URL fields, bare URL citations, stored checks) with its verdict, by host."""
        urls: dict[str, dict[str, Any]] = {}

        def entry(url: str) -> dict[str, Any]:
            if url not in urls:
                row = self.c.url_checks.get(url)
                check = row[0] if row else None
                urls[url] = {"url": url, "href": safe_href(url), "host": host_of(url), "check": check,
                             "verdict": check.verdict.value if check else UNCHECKED,
                             "failures": row[2] if row else 0, "first_failed": row[1] if row else None,
                             "archive_href": self.archive_href(url, row), "works": [], "places": []}
            return urls[url]

        for w in self.c.works:
            if w.reference.URL:
                entry(w.reference.URL)["works"].append({"href": self.work_href(w.key), "title": work_title(w)})
        for doc in self.c.documents:
            for c in doc.citations:
                if c.kind == "url" and c.raw:
                    entry(c.raw)["places"].append({"href": self.passage_href(doc, c.passage),
                                                    "label": f"{doc.doc.name}:{c.line}"})
        for url in self.c.url_checks:
            entry(url)
        items = sorted(urls.values(), key=lambda u: (u["host"], u["url"]))
        verdicts = Counter(u["verdict"] for u in items)
        hosts: dict[str, Counter[str]] = defaultdict(Counter)
        for u in items:
            hosts[u["host"]][u["verdict"]] += 1
        host_rows = sorted(((h, sum(v.values()), sorted(v.items())) for h, v in hosts.items()),
                           key=lambda t: (-t[1], t[0]))
        charts = [svg.bar_chart("chart-link-verdicts", "URLs by verdict", verdicts.most_common()),
                  svg.bar_chart("chart-hosts", "URLs by host", [(h, n) for h, n, _ in host_rows])]
        pages = chunks(items, self.page_size)
        for n, page in enumerate(pages, start=1):
            self.write(page_name("links", n), "links.html", title="Link health", nav="links", rows=page,
                       charts=charts if n == 1 else [], hosts=host_rows[:100] if n == 1 else [],
                       more_hosts=max(0, len(host_rows) - 100), verdicts=sorted(verdicts.items()), total=len(items),
                       paging=self.pager("links", n, len(pages)))

    def write_findings(self) -> None:
        items = []
        for doc, f in self.c.findings:
            href = self.passage_href(doc, finding_passage(doc, f)) if doc is not None else ""
            items.append({"f": f, "doc": doc, "href": href})
        rules = Counter(f.rule for _, f in self.c.findings).most_common()
        chart = svg.bar_chart("chart-rules", "Findings by rule", rules, limit=15)
        severities = Counter(f.severity.value for _, f in self.c.findings)
        pages = chunks(items, self.page_size)
        for n, page in enumerate(pages, start=1):
            self.write(page_name("findings", n), "findings.html", title="Findings", nav="findings", rows=page,
                       chart=chart if n == 1 else "", severities=severities, total=len(items),
                       paging=self.pager("findings", n, len(pages)))


# --- entry point -------------------------------------------------------------------------------


def build(store: Store, out: str | Path, style: str = "apa", page_size: int = PAGE_SIZE, jobs: int | None = None,
          parallel_from: int = PARALLEL_FROM) -> ReportResult:
    """Write the report of ``store`` into ``out`` (replaced whole, atomically) and say what was written."""
    started = time.perf_counter()
    target = Path(out)
    _check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        corpus = load(store)
        writer = ReportWriter(corpus, tmp, style, page_size, jobs, parallel_from)
        writer.build()
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a static host must be able to read it
        _publish(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ReportResult(target, target / "index.html", writer.pages, len(corpus.works), len(corpus.documents),
                        writer.style, time.perf_counter() - started)


def _check_target(target: Path) -> None:
    """Refuse before any work when DIR is a file, or a folder with content that is not an earlier report."""
    if target.exists() and not target.is_dir():
        raise BiblioError("exists and is not a folder", str(target))
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER_FILE).exists():
        raise BiblioError("folder is not empty and holds no earlier report; choose another -o", str(target))


def _publish(tmp: Path, target: Path) -> None:
    """Swap ``tmp`` in for ``target``: the old report stays whole until the new one is in place."""
    if not target.exists():
        os.replace(tmp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(old)
    os.replace(target, old)
    try:
        os.replace(tmp, target)
    except OSError:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def iter_pages(root: Path) -> Iterable[Path]:
    """Every HTML page of a written report (for tests and link checks)."""
    return sorted(root.rglob("*.html"))
