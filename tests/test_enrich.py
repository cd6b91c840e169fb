"""Completing partial works from Crossref, OpenAlex and Open Library, replayed by a local server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from biblio import enrich
from biblio.cli import cli
from biblio.model import DateValue, Name, Reference, Work
from biblio.read import bibtex as bib_reader
from biblio.store import Store

SMITH_2004 = {"type": "book", "title": ["Exile Politics"], "author": [{"family": "Smith", "given": "John"}],
              "issued": {"date-parts": [[2004]]}, "publisher": "Verso", "publisher-location": "London",
              "ISBN": ["978-1-85984-000-1"]}
JONES_2004 = {"type": "book", "title": ["Other Things"], "author": [{"family": "Jones", "given": "Mary"}],
              "issued": {"date-parts": [[2004]]}, "publisher": "Verso"}


class Replay:
    """Answers by path (and one query parameter), recording every request with its User-Agent."""

    def __init__(self, routes: dict[str, object]) -> None:
        self.routes = routes
        self.seen: list[tuple[str, dict[str, list[str]], str]] = []


@pytest.fixture
def server() -> Iterator[tuple[str, Replay]]:
    replay = Replay({})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            replay.seen.append((parts.path, query, self.headers.get("User-Agent", "")))
            body = replay.routes.get(parts.path)
            if callable(body):
                body = body(query)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", replay
    httpd.shutdown()
    httpd.server_close()


def sources(base: str) -> enrich.Sources:
    return enrich.Sources(f"{base}/crossref", f"{base}/openalex", f"{base}/openlibrary")


def partial(title: str = "", year: int | None = 2004, **kw: object) -> Work:
    ref = Reference(type="book", title=title, author=(Name(family="Smith", given="John"),),
                    issued=DateValue(((year,),), str(year)) if year else None, **kw)  # type: ignore[arg-type]
    return Work("smith2004", ref)


def test_author_and_year_search_completes_a_partial_work(server) -> None:
    base, replay = server
    replay.routes["/crossref/works"] = {"message": {"items": [JONES_2004, SMITH_2004]}}
    client = enrich.Client(interval=0, mailto="team@example.org")
    proposal = enrich.propose(partial(), client, sources(base))
    assert proposal is not None and proposal.source == "crossref"
    assert {c.field: c.new for c in proposal.changes} == {
        "title": "Exile Politics", "publisher": "Verso", "publisher_place": "London", "ISBN": "9781859840001"}
    _path, query, agent = replay.seen[0]
    assert query["query.bibliographic"] == ["Smith"]
    assert agent.startswith("biblio/") and "mailto:team@example.org" in agent


def test_two_fitting_records_are_no_answer(server) -> None:
    base, replay = server
    other = {**SMITH_2004, "title": ["A Second Book"]}
    replay.routes["/crossref/works"] = {"message": {"items": [SMITH_2004, other]}}
    replay.routes["/openalex/works"] = {"results": []}
    replay.routes["/openlibrary/search.json"] = {"docs": []}
    assert enrich.propose(partial(), enrich.Client(interval=0), sources(base)) is None


def test_a_record_with_another_year_or_title_is_not_the_work(server) -> None:
    base, replay = server
    replay.routes["/crossref/works"] = {"message": {"items": [{**SMITH_2004, "issued": {"date-parts": [[2010]]}}]}}
    replay.routes["/openalex/works"] = {"results": [{"title": "Something Else", "publication_year": 2004,
                                                     "authorships": [{"author": {"display_name": "John Smith"}}]}]}
    replay.routes["/openlibrary/search.json"] = None
    assert enrich.propose(partial(title="Exile Politics"), enrich.Client(interval=0), sources(base)) is None


def test_doi_and_isbn_lookups_come_first(server) -> None:
    base, replay = server
    replay.routes["/crossref/works/10.1000/xyz"] = {"message": {**SMITH_2004, "DOI": "10.1000/xyz",
                                                                "container-title": ["Exile Review"]}}
    work = partial(title="Exile Politics", DOI="10.1000/xyz")
    proposal = enrich.propose(work, enrich.Client(interval=0), sources(base))
    assert proposal is not None and ("container_title", "", "Exile Review") in [
        (c.field, c.old, c.new) for c in proposal.changes]
    replay.routes["/openlibrary/search.json"] = lambda q: {"docs": [{
        "title": "Exile Politics", "subtitle": "A Study", "author_name": ["John Smith"], "first_publish_year": 2004,
        "publisher": ["Verso"], "isbn": ["9781859840001"]}]} if q.get("isbn") else None
    proposal = enrich.propose(partial(ISBN="9781859840001"), enrich.Client(interval=0), sources(base))
    assert proposal is not None and proposal.source == "openlibrary"
    assert proposal.after.title == "Exile Politics: A Study"


def test_answers_are_cached_and_hosts_are_paced(server, tmp_path: Path) -> None:
    base, replay = server
    replay.routes["/crossref/works"] = {"message": {"items": [SMITH_2004]}}
    naps: list[float] = []
    now = [100.0]
    client = enrich.Client(cache_path=tmp_path / "cache.json", interval=2.0, sleep=naps.append,
                           clock=lambda: now[0])
    client.get_json(f"{base}/crossref/works", {"q": "a"})
    client.get_json(f"{base}/crossref/works", {"q": "b"})
    assert naps == [2.0]
    client.save()
    again = enrich.Client(cache_path=tmp_path / "cache.json", interval=0)
    assert again.get_json(f"{base}/crossref/works", {"q": "a"}) == {"message": {"items": [SMITH_2004]}}
    assert again.requests_made == 0


def test_errors_are_not_cached(tmp_path: Path) -> None:
    client = enrich.Client(interval=0, timeout=0.5)
    assert client.get_json("http://127.0.0.1:9/nothing") is None
    assert client.cache() == {}


def test_update_bib_adds_only_missing_fields_and_keeps_the_rest() -> None:
    text = "% mine\n@book{smith2004,\n  author = {Smith, John},\n  year = {2004}\n}\n\n@book{other, title = {X}}\n"
    ref = Reference(type="book", title="Exile Politics", author=(Name(family="Smith", given="John"),),
                    issued=DateValue(((2004,),), "2004"), publisher="Verso")
    out = enrich.update_bib(text, "smith2004", ref)
    assert out.startswith("% mine\n@book{smith2004,\n  author = {Smith, John},\n  year = {2004},\n")
    assert "  title = {Exile Politics},\n  publisher = {Verso}\n}" in out
    assert out.endswith("@book{other, title = {X}}\n")
    entries = dict(bib_reader.parse(out).entries)
    assert entries["smith2004"].title == "Exile Politics"


def test_cli_proposes_then_applies(server, tmp_path: Path) -> None:
    base, replay = server
    replay.routes["/crossref/works"] = {"message": {"items": [SMITH_2004]}}
    db = tmp_path / "e.db"
    with Store(db) as store:
        store.save_works([partial(), Work("done2001", Reference(title="Done", issued=DateValue(((2001,),), "2001")))],
                         {})
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{smith2004,\n  author = {Smith, John},\n  year = {2004}\n}\n", encoding="utf-8")
    args = ["--db", str(db), "enrich", "--interval", "0", "--bib", str(bib), "--crossref-url", f"{base}/crossref",
            "--openalex-url", f"{base}/openalex", "--openlibrary-url", f"{base}/openlibrary"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "smith2004  (crossref)\n  - title:\n  + title: Exile Politics\n" in result.output
    assert "1 of 1 work(s) can be completed; rerun with --apply to write" in result.output
    with Store(db) as store:
        assert store.work("smith2004").reference.title == ""
    assert "title" not in bib.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, [*args, "--apply"])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert store.work("smith2004").reference.title == "Exile Politics"
        assert store.work("done2001").reference.title == "Done"
    assert "title = {Exile Politics}" in bib.read_text(encoding="utf-8")


def test_cli_unknown_key_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "e.db"), "enrich", "nosuchkey"])
    assert result.exit_code == 1
    assert "no work with key 'nosuchkey'" in result.output
