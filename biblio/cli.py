"""The ``biblio`` command: a thin click shell over the library.

Domain errors (``BiblioError``) become a one-line ``biblio: error: …`` and exit
code 1; usage errors exit 2 (click's own); findings exit 1 where a command
promises to. Every listing takes ``--json``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from biblio import __version__, config, enrich, fileio, pipeline
from biblio.check import footnotes
from biblio.errors import BiblioError
from biblio.model import Finding, Severity, Work
from biblio.read import MODULES, READERS, sniff, source
from biblio.read import bibtex as bib_reader
from biblio.store import Store

SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


class CleanError(click.ClickException):
    """A domain error shown as one line, ``biblio: error: path:line: message``, exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"biblio: error: {self.format_message()}", err=True)


class BiblioGroup(click.Group):
    """Turns ``BiblioError`` into a clean one-line error at the edge."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BiblioError as exc:
            raise CleanError(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("biblio: interrupted", err=True)
            ctx.exit(130)


def _colour() -> bool | None:
    return False if os.environ.get("NO_COLOR") else None


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=BiblioGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="biblio")
@click.option("--db", "db", metavar="PATH", help="Store file (default biblio.db, or BIBLIO_DB, or [tool.biblio] db).")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Build, trace, lint and export the bibliography of a corpus of documents."""
    settings = config.load()
    ctx.obj = {"settings": settings, "db": db or settings.db}


def _store(ctx: click.Context) -> Store:
    store = Store(ctx.obj["db"])
    ctx.call_on_close(store.close)
    return store


def _max_bytes(ctx: click.Context, max_size: float | None) -> int:
    return int(max_size * 1048576) if max_size else ctx.obj["settings"].max_bytes


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--bib", metavar="FILE", help="Curated .bib to read first and extend with new works.")
@click.option("--max-size", type=float, metavar="MB", help="Skip documents larger than this (default 50).")
@click.option("--json", "as_json", is_flag=True, help="Print the build summary as JSON.")
@click.pass_context
def build(ctx: click.Context, paths: tuple[str, ...], bib: str | None, max_size: float | None, as_json: bool) -> None:
    """Read documents into the store, link citations to works, extend the .bib."""
    store = _store(ctx)
    bib = bib or ctx.obj["settings"].bib
    files, _ = pipeline.collect(paths)
    show_bar = sys.stderr.isatty() and len(files) > 1
    with click.progressbar(length=len(files), label="reading", file=sys.stderr, hidden=not show_bar) as bar:
        report = pipeline.build(paths, store, bib, _max_bytes(ctx, max_size), progress=lambda _: bar.update(1))
    failures = [f for f in report.findings if f.rule == "unreadable-file"]
    if as_json:
        _echo_json({
            "documents_read": report.documents_read,
            "documents_unchanged": report.documents_skipped,
            "citations": report.citations,
            "works": report.works,
            "new_bib_entries": report.new_bib_entries,
            "bib_written": report.bib_written,
            "findings": [f.as_dict() for f in report.findings],
        })
    else:
        for f in failures:
            _echo_finding(f)
        counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
        click.echo(
            f"{report.documents_read} document(s) read, {report.documents_skipped} unchanged; "
            f"{report.citations} citations of {report.works} works; "
            f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s) (see `biblio check`)"
        )
        if bib:
            state = f"{report.new_bib_entries} new entries appended" if report.bib_written else "unchanged"
            click.echo(f"{bib}: {state}")
    if failures:
        ctx.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="CSL-JSON array (with citation_count).")
@click.option("--all", "include_all", is_flag=True, help="Include works no document cites any more.")
@click.option("--incomplete", is_flag=True, help="Only works that lack a title or a date.")
@click.pass_context
def works(ctx: click.Context, as_json: bool, include_all: bool, incomplete: bool) -> None:
    """List the works of the bibliography."""
    items = _store(ctx).works(include_uncited=include_all)
    if incomplete:
        items = [w for w in items if w.incomplete]
    if as_json:
        _echo_json([_work_json(w) for w in items])
        return
    for w in items:
        year = str(w.reference.year or "n.d.")
        flag = " (incomplete)" if w.incomplete else ""
        click.echo(f"{w.key:<24} {w.reference.type:<18} {year:<5} {w.citation_count:>4}  {_title(w)}{flag}")


def _title(w: Work) -> str:
    title = w.reference.title or w.reference.container_title or "(untitled)"
    return title if len(title) <= 70 else title[:69] + "…"


def _work_json(w: Work) -> dict[str, Any]:
    data = w.reference.as_csl(w.key)
    data["citation_count"] = w.citation_count
    data["curated"] = w.curated
    data["incomplete"] = w.incomplete
    return data


@cli.command()
@click.argument("key")
@click.option("--json", "as_json", is_flag=True, help="The work and its citations as JSON.")
@click.pass_context
def show(ctx: click.Context, key: str, as_json: bool) -> None:
    """Show a work and every passage that cites it (file:line  marker  sentence)."""
    store = _store(ctx)
    work = store.work(key)
    if work is None:
        raise BiblioError(f"no work with key {key!r} (see `biblio works`)")
    cites = store.citations(work=key)
    if as_json:
        _echo_json({"work": _work_json(work), "citations": [c.as_dict() for c in cites]})
        return
    ref = work.reference
    click.echo(f"{work.key}  [{ref.type}]{'  curated' if work.curated else ''}")
    for label, value in (
        ("title", ref.title),
        ("author", "; ".join(_name(n) for n in ref.author)),
        ("in", ref.container_title),
        ("publisher", ", ".join(x for x in (ref.publisher_place, ref.publisher) if x)),
        ("issued", ref.issued.raw or str(ref.year) if ref.issued else ""),
        ("URL", ref.URL),
    ):
        if value:
            click.echo(f"  {label:<10} {value}")
    click.echo(f"  cited {len(cites)} time(s)")
    for c in cites:
        marker = c.marker or "-"
        locator = f" ({c.locator})" if c.locator else ""
        click.echo(f"{c.display}:{c.line}  {marker}  {c.passage or c.raw or ''}{locator}")


def _name(n: Any) -> str:
    return n.literal or ", ".join(x for x in (f"{n.particle} {n.family}".strip(), n.given) if x)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="JSON array of citations.")
@click.option("--document", metavar="NAME", help="Only citations in this document (file name or path).")
@click.option("--work", metavar="KEY", help="Only citations of this work.")
@click.pass_context
def citations(ctx: click.Context, as_json: bool, document: str | None, work: str | None) -> None:
    """List every citation: where it is, what it says, which work it cites."""
    items = _store(ctx).citations(work=work, document=document)
    if as_json:
        _echo_json([c.as_dict() for c in items])
        return
    for c in items:
        click.echo(f"{c.display}:{c.line}  {c.kind}  {c.marker or '-'}  {c.work or '?'}  {c.passage or c.raw or ''}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--list-rules", is_flag=True, help="List every rule with its severity and exit.")
@click.option("--max-size", type=float, metavar="MB", help="Skip documents larger than this (default 50).")
@click.option("--reader", type=click.Choice(sorted(MODULES)), help="Read every file in this format.")
@click.option("--bib", metavar="FILE", help="Check citation keys against this .bib (unknown-citation-key).")
@click.option("--unused", is_flag=True, help="With --bib, also report entries no document cites.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], fmt: str, list_rules: bool, max_size: float | None,
          reader: str | None, bib: str | None, unused: bool) -> None:
    """Lint footnotes and citations like a compiler (path:line:col). Exit 1 on errors."""
    if list_rules:
        for name, (severity, summary) in sorted(footnotes.RULES.items()):
            click.echo(f"{name:<26} {severity.value:<8} {summary}")
        return
    if not paths:
        raise click.UsageError("give one or more files or folders, or - for standard input")
    if unused and not bib:
        raise click.UsageError("--unused needs --bib")
    bibfile = bib_reader.load(bib) if bib else None
    keys = bibfile.keys if bibfile else None
    findings: list[Finding] = list(bibfile.findings) if bibfile else []
    cited: set[str] = set()
    for path in paths:
        items = [_check_stdin(reader, keys)] if path == "-" else pipeline.analyse_paths(
            [path], _max_bytes(ctx, max_size), reader, keys)
        for item in items:
            if isinstance(item, Finding):
                findings.append(item)
                continue
            findings.extend(item.findings)
            cited.update(c.key for c, _ in item.citations if c.key)
    if bibfile and unused:
        findings.extend(pipeline.unused_bib_entries(bibfile, cited))
    if fmt == "json":
        _echo_json([f.as_dict() for f in findings])
    else:
        for f in findings:
            _echo_finding(f, sys.stdout)
    if any(f.severity is Severity.ERROR for f in findings):
        ctx.exit(1)


def _check_stdin(reader: str | None, keys: set[str] | None) -> pipeline.Analysis | Finding:
    data = sys.stdin.buffer.read()
    try:
        src = source.decode(data, "<stdin>")
    except BiblioError as exc:
        return Finding("<stdin>", 1, 1, "unreadable-file", Severity.ERROR, exc.message)
    doc = READERS[reader or sniff(src.text)]("<stdin>", "<stdin>", src.text, src.sha256, src.size)
    return pipeline.analyse_document(doc, src.findings, keys)


def _echo_finding(f: Finding, stream: Any = None) -> None:
    text = f.as_text()
    head, sep, tail = text.partition(f" {f.severity.value}: ")
    styled = f"{head}{sep[:1]}{click.style(f.severity.value, fg=SEVERITY_COLOURS[f.severity])}: {tail}"
    click.echo(styled if sep else text, file=stream or sys.stderr, color=_colour())


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> Any:
    from biblio.check.urls import parse_duration

    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _regexes(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    import re

    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise click.BadParameter(f"{pattern!r} is not a valid regular expression: {exc}") from None
    return value


@cli.command("check-urls")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "junit"]), default="text",
              show_default=True)
@click.option("-o", "--output", default="-", metavar="FILE|-", help="Write the report here (atomically); - is stdout.")
@click.option("--concurrency", type=click.IntRange(1, 512), default=32, show_default=True,
              help="Requests in flight at once, all hosts together.")
@click.option("--per-host", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Requests in flight at once to one host.")
@click.option("--min-interval", type=click.FloatRange(0), default=0.0, show_default=True, metavar="SECONDS",
              help="Minimum time between two requests to one host.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=10.0, show_default=True,
              metavar="SECONDS", help="Connect and read timeout of each request.")
@click.option("--deadline", type=click.FloatRange(0, min_open=True), default=30.0, show_default=True,
              metavar="SECONDS", help="Total time for one URL, retries and redirects included.")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Retries after timeouts, resets, 5xx and 429 (exponential backoff).")
@click.option("--max-retry-after", type=click.FloatRange(0), default=60.0, show_default=True, metavar="SECONDS",
              help="Give up instead of waiting when a server asks for a longer Retry-After.")
@click.option("--max-age", default="7d", show_default=True, callback=_duration, metavar="AGE",
              help="Recheck stored verdicts older than this (7d, 12h, 30m, 0).")
@click.option("--dead-after", default="1d", show_default=True, callback=_duration, metavar="AGE",
              help="A broken link is confirmed dead when it still fails this long after its first failure.")
@click.option("--exclude", multiple=True, callback=_regexes, metavar="REGEX", help="Skip URLs matching (repeatable).")
@click.option("--allow-private", is_flag=True, help="Allow loopback and private addresses (intranets, tests).")
@click.option("--method", type=click.Choice(["get", "head"]), default="get", show_default=True,
              help="head: HEAD first, GET when needed (fewer bytes, more round trips).")
@click.option("--archive-api", default="https://archive.org/wayback/available", show_default=True, metavar="URL",
              help="Wayback availability API used for archive suggestions.")
@click.option("--no-archive", is_flag=True, help="Do not look up archived copies.")
@click.option("--max-size", type=float, metavar="MB", help="Skip documents larger than this (default 50).")
@click.pass_context
def check_urls(ctx: click.Context, paths: tuple[str, ...], fmt: str, output: str, concurrency: int, per_host: int,
               min_interval: float, timeout: float, deadline: float, retries: int, max_retry_after: float,
               max_age: Any, dead_after: Any, exclude: tuple[str, ...], allow_private: bool, method: str,
               archive_api: str, no_archive: bool, max_size: float | None) -> None:
    """Check the cited URLs (all in the store, or those in PATHS). Exit 1 when any is broken.

    Verdicts: ok, redirected, broken, blocked, timeout, error, soft-404, drifted,
    skipped. A broken link is confirmed only after failing on checks --dead-after
    apart; timeouts, errors, 429 and 5xx are always rechecked. Loopback and
    private addresses are refused unless --allow-private.
    """
    from biblio import fileio
    from biblio.check import urls

    store = _store(ctx)
    findings: list[Finding] = []
    if paths:
        items: list[Any] = []
        for path in paths:
            items.extend([_check_stdin(None, None)] if path == "-" else pipeline.analyse_paths(
                [path], _max_bytes(ctx, max_size)))
        targets, findings = urls.document_targets(items)
        findings = [f for f in findings if f.rule == "unreadable-file"]
    else:
        targets = urls.store_targets(store)
    for f in findings:
        _echo_finding(f)
    settings = urls.Settings(
        concurrency=concurrency, per_host=per_host, min_interval=min_interval, timeout=timeout, deadline=deadline,
        retries=retries, max_retry_after=max_retry_after, max_age=max_age, dead_after=dead_after, exclude=exclude,
        allow_private=allow_private, archive=not no_archive, archive_api=archive_api, method=method,
    )
    with urls.Checker(settings, store=store) as checker, click.progressbar(
        length=len(targets), label="checking URLs", file=sys.stderr, hidden=not sys.stderr.isatty()
    ) as bar:
        results = checker.run(targets, progress=lambda _: bar.update(1))
    report = urls.FORMATTERS[fmt](results)
    if output == "-":
        click.echo(report, nl=False)
    else:
        fileio.write_atomic(output, report)
    if findings or urls.exit_code(results):
        ctx.exit(1)


@cli.command("enrich")
@click.argument("keys", nargs=-1)
@click.option("--apply", "do_apply", is_flag=True, help="Write the proposals to the store and the .bib.")
@click.option("--all", "include_all", is_flag=True, help="Try every work, not only incomplete ones.")
@click.option("--bib", metavar="FILE", help="The .bib to complete with --apply (default: the configured one).")
@click.option("--cache", metavar="FILE", help="JSON cache of answers (default: beside the store).")
@click.option("--mailto", envvar="BIBLIO_MAILTO", metavar="EMAIL", help="Contact address sent in the User-Agent.")
@click.option("--interval", type=float, default=1.0, show_default=True, help="Seconds between requests to a host.")
@click.option("--crossref-url", default=enrich.Sources.crossref, show_default=True, help="Crossref API base URL.")
@click.option("--openalex-url", default=enrich.Sources.openalex, show_default=True, help="OpenAlex API base URL.")
@click.option("--openlibrary-url", default=enrich.Sources.openlibrary, show_default=True,
              help="Open Library base URL.")
@click.option("--json", "as_json", is_flag=True, help="Print the proposals as JSON.")
@click.pass_context
def enrich_works(ctx: click.Context, keys: tuple[str, ...], do_apply: bool, include_all: bool, bib: str | None,
                 cache: str | None, mailto: str | None, interval: float, crossref_url: str, openalex_url: str,
                 openlibrary_url: str, as_json: bool) -> None:
    """Propose missing fields from Crossref, OpenAlex and Open Library (online; writes only with --apply)."""
    store = _store(ctx)
    items = store.works(include_uncited=True)
    if keys:
        unknown = sorted(set(keys) - {w.key for w in items})
        if unknown:
            raise BiblioError(f"no work with key {unknown[0]!r} (see `biblio works`)")
        items = [w for w in items if w.key in keys]
    elif not include_all:
        items = [w for w in items if w.incomplete]
    db = ctx.obj["db"]
    cache_path = Path(cache) if cache else (Path(f"{db}.enrich.json") if db != ":memory:" else None)
    client = enrich.Client(cache_path=cache_path, interval=interval, mailto=mailto or "")
    sources = enrich.Sources(crossref_url.rstrip("/"), openalex_url.rstrip("/"), openlibrary_url.rstrip("/"))
    proposals = []
    try:
        for w in items:
            p = enrich.propose(w, client, sources)
            if p is not None:
                proposals.append(p)
    finally:
        client.save()
    if as_json:
        _echo_json([{"key": p.key, "source": p.source, "changes": [c.__dict__ for c in p.changes]}
                    for p in proposals])
    else:
        for p in proposals:
            click.echo(f"{p.key}  ({p.source})")
            for c in p.changes:
                click.echo(f"  - {c.field}: {c.old}" if c.old else f"  - {c.field}:", color=_colour())
                click.echo(f"  + {c.field}: {c.new}")
        click.echo(f"{len(proposals)} of {len(items)} work(s) can be completed"
                   + ("" if do_apply or not proposals else "; rerun with --apply to write"), err=as_json)
    if do_apply and proposals:
        enrich.apply_to_store(store, proposals)
        bib = bib or ctx.obj["settings"].bib
        if bib:
            text = Path(bib).read_text(encoding="utf-8") if Path(bib).exists() else ""
            new = text
            for p in proposals:
                new = enrich.update_bib(new, p.key, p.after)
            if new != text:
                fileio.write_atomic(bib, new)
                click.echo(f"{bib}: completed", err=as_json)


@cli.command("report")
@click.option("-o", "--output", default="report", show_default=True, metavar="DIR",
              help="Folder to write the site into (replaced whole; refused if it holds something else).")
@click.option("--style", default="apa", show_default=True, metavar="STYLE",
              help="CSL style of the formatted references (falls back to a plain one built from the fields).")
@click.pass_context
def report(ctx: click.Context, output: str, style: str) -> None:
    """Write a static HTML report: works, citing passages, documents, link health, findings.

    The pages open from disk or any static host and need no JavaScript (it only adds search and sorting).
    Run `biblio check-urls` first for link verdicts. Prints the path of the index page.
    """
    from biblio.render import report as html_report

    result = html_report.build(_store(ctx), output, style=style)
    click.echo(f"{result.works} works, {result.documents} documents: {result.pages} pages written "
               f"in {result.seconds:.1f}s (references: {result.style})", err=True)
    click.echo(str(result.index))


@cli.command("parse")
@click.argument("source", default="-", type=click.File("rb"))
def parse_command(source: Any) -> None:
    """Parse reference strings, one per line, into CSL-JSON (one object per line).

    Needs no store: paste a reference list and get fields back. A line that cannot be
    parsed is printed with its raw text only, and reported on standard error. The input
    is decoded as documents are (UTF-8, UTF-16 with a BOM, else Windows-1252 with a
    warning); a binary file is refused.
    """
    from biblio.model import reference_to_json
    from biblio.parse import reference as reference_parser
    from biblio.read import source as sources

    name = getattr(source, "name", "-")
    name = "<stdin>" if name in ("<stdin>", "-") else name
    decoded = sources.decode(source.read(), name)
    for finding in decoded.findings:
        _echo_finding(finding)
    for number, line in enumerate(decoded.text.split("\n"), start=1):
        raw = line.strip()
        if not raw:
            continue
        ref = reference_parser.parse(raw)
        data = reference_to_json(ref) if ref else {}
        if isinstance(data.get("issued"), dict):
            data["issued"].pop("raw", None)
        data["raw"] = raw
        click.echo(json.dumps(data, ensure_ascii=False))
        if ref is None:
            _echo_finding(Finding(name, number, 1, "unparsed-reference", Severity.WARNING,
                                  f"could not parse: {raw[:60]}"))


def _selection(ctx: click.Context, bib: str | None, cited_in: tuple[str, ...], document: str | None) -> Any:
    """The works a ``refs``/``export`` covers: the store's, or a .bib's, narrowed by draft or document."""
    from biblio.render import export as exporter

    findings: list[Finding] = []
    if bib:
        store, findings = exporter.load_bib(bib)
        ctx.call_on_close(store.close)
    else:
        store = _store(ctx)
    cited = None
    if cited_in:
        cited, more = exporter.cited_keys(cited_in)
        findings.extend(more)
    return exporter.select(store, cited, document, findings)


def _write(output: str, text: str) -> None:
    if output == "-":
        click.echo(text, nl=False)
    else:
        from biblio import fileio

        fileio.write_atomic(output, text)


_CITED_IN = click.option("--cited-in", "cited_in", multiple=True, type=click.Path(exists=True, dir_okay=False),
                         metavar="FILE", help="Only works a draft cites by key (.tex, .md; repeatable).")
_DOCUMENT = click.option("--document", metavar="NAME", help="Only works cited in this stored document.")
_STYLE = click.option("--style", default="apa", show_default=True, metavar="NAME|FILE.csl",
                      help="apa, chicago-author-date, chicago-notes-bibliography, mla, harvard, or a .csl file.")
_OUTPUT = click.option("-o", "--output", default="-", metavar="FILE|-", help="Write here (atomically); - is stdout.")


@cli.command("refs")
@_STYLE
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html"]), default="text", show_default=True)
@_CITED_IN
@_DOCUMENT
@click.option("--bib", metavar="FILE", help="Format the entries of this .bib instead of the store's works.")
@_OUTPUT
@click.pass_context
def refs(ctx: click.Context, style: str, fmt: str, cited_in: tuple[str, ...], document: str | None,
         bib: str | None, output: str) -> None:
    """The formatted reference list, in a real CSL style (pandoc's citeproc)."""
    from biblio.render import export as exporter
    from biblio.render import styles

    sel = _selection(ctx, bib, cited_in, document)
    items, findings = exporter.csl_items(sel)
    rendered = styles.bibliography(items, style, fmt)
    for f in findings:
        _echo_finding(f)
    for w in rendered.warnings:
        click.echo(f"biblio: pandoc: {w}", err=True)
    _write(output, rendered.text)


@cli.command("cite")
@click.argument("key")
@_STYLE
@click.option("--locator", default="", metavar="TEXT", help='Where in the work: "p. 33", "pp. 33-35", "chap. 2".')
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html"]), default="text", show_default=True)
@click.option("--bib", metavar="FILE", help="Take the work from this .bib instead of the store.")
@click.pass_context
def cite(ctx: click.Context, key: str, style: str, locator: str, fmt: str, bib: str | None) -> None:
    """An in-text citation of KEY (or, in a note style, its footnote text)."""
    from biblio.render import export as exporter
    from biblio.render import styles

    sel = _selection(ctx, bib, (), None)
    if not any(w.key == key for w in sel.works):
        raise BiblioError(f"no work with key {key!r} (see `biblio works`)")
    items, findings = exporter.csl_items(sel)
    rendered = styles.citation(items, key, style, locator, fmt)
    for f in findings:
        _echo_finding(f)
    for w in rendered.warnings:
        click.echo(f"biblio: pandoc: {w}", err=True)
    click.echo(rendered.text, nl=False)


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["bibtex", "biblatex", "csl-json", "ris"]), default="bibtex",
              show_default=True)
@click.option("--ascii", "ascii_only", is_flag=True,
              help="BibTeX in pure ASCII: accents as LaTeX macros (for 8-bit bibtex; biber reads UTF-8).")
@_CITED_IN
@_DOCUMENT
@click.option("--bib", metavar="FILE", help="Export the entries of this .bib instead of the store's works.")
@_OUTPUT
@click.pass_context
def export_command(ctx: click.Context, fmt: str, ascii_only: bool, cited_in: tuple[str, ...],
                   document: str | None, bib: str | None, output: str) -> None:
    """Write the bibliography as BibTeX, biblatex, CSL-JSON or RIS.

    Entries imported from a .bib are written back as they were while unchanged, so
    `biblio import x.bib` then `biblio export` gives x.bib back byte for byte.
    """
    from biblio.render import export as exporter

    if ascii_only and fmt not in ("bibtex", "biblatex"):
        raise click.UsageError("--ascii applies to --format bibtex or biblatex")
    sel = _selection(ctx, bib, cited_in, document)
    text, findings = exporter.export(sel, fmt, ascii_only)
    for f in findings:
        _echo_finding(f)
    _write(output, text)


@cli.command("import")
@click.argument("path", type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["bibtex", "csl-json", "ris"]),
              help="Format of PATH (default: from its suffix .bib, .json, .ris; required for -).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary and findings as JSON.")
@click.pass_context
def import_command(ctx: click.Context, path: str, fmt: str | None, as_json: bool) -> None:
    """Merge a .bib, CSL-JSON or RIS file into the store's works.

    The same work is merged, never dropped; a field given differently keeps the
    store's value and notes the other in the work's note (reported as import-conflict).
    """
    from biblio import imports

    if path == "-":
        if not fmt:
            raise click.UsageError("reading standard input needs --format")
        parsed = imports.parse_text(imports.decode(sys.stdin.buffer.read(), "<stdin>"), fmt, "<stdin>")
    else:
        parsed = imports.read(path, fmt)
    report = imports.merge(_store(ctx), parsed)
    if as_json:
        _echo_json({"path": report.path, "items": report.items, "new": report.new, "merged": report.merged,
                    "conflicts": report.conflicts, "findings": [f.as_dict() for f in report.findings]})
        return
    for f in report.findings:
        _echo_finding(f, sys.stdout)
    click.echo(f"{report.path}: {report.items} item(s): {report.new} new, {report.merged} merged, "
               f"{report.conflicts} with conflicting fields")


def main() -> None:
    cli(prog_name="biblio")
