"""Wayback availability lookups: the timestamp we ask for, and every kind of answer from a fake API on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from biblio.check import archive
from biblio.model import DateValue, Reference

SNAPSHOT = {"archived_snapshots": {"closest": {"available": True, "status": "200", "timestamp": "20100605000000",
                                              "url": "http://web.archive.org/web/20100605000000/https://x.org/a"}}}


@pytest.mark.parametrize(
    ("raw", "reference", "expected"),
    [
        pytest.param("Doe. Camp news. https://x.org/a (accessed 5 June 2010).", None, "20100605", id="accessed-dmy"),
        pytest.param("Retrieved March 3, 2019, from https://x.org/a", None, "20190303", id="retrieved-mdy"),
        pytest.param("last visited on 2018-11-09", None, "20181109", id="visited-iso"),
        pytest.param("accessed May 2012", None, "201205", id="month-only"),
        pytest.param("no date here", Reference(issued=DateValue(((2004, 7),))), "200407", id="issued-fallback"),
        pytest.param(None, Reference(issued=DateValue(((2004,),))), "2004", id="year-only"),
        pytest.param(None, Reference(issued=DateValue(((1999, 22),))), "1999", id="season"),
        pytest.param("Published 2001. Accessed 2 Feb 2015", Reference(issued=DateValue(((2001,),))), "20150202",
                     id="access-date-wins"),
        pytest.param(None, None, "", id="unknown"),
    ],
)
def test_timestamp(raw: str | None, reference: Reference | None, expected: str) -> None:
    assert archive.timestamp(raw, reference) == expected


class FakeApi(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    answers: ClassVar[list[tuple[int, str]]] = []
    asked: ClassVar[list[dict[str, list[str]]]] = []

    def do_GET(self) -> None:
        self.asked.append(parse_qs(urlsplit(self.path).query))
        status, body = self.answers[0]
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def api() -> Iterator[tuple[str, type[FakeApi]]]:
    handler = type("Api", (FakeApi,), {"answers": [], "asked": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/wayback/available", handler
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        pytest.param(200, json.dumps(SNAPSHOT),
                     archive.Lookup("https://web.archive.org/web/20100605000000/https://x.org/a", True), id="snapshot"),
        pytest.param(200, json.dumps({"archived_snapshots": {}}),
                     archive.Lookup(None, True, "no snapshot in the Wayback Machine"), id="none"),
        pytest.param(503, "{}", archive.Lookup(None, False, "archive lookup failed: HTTP 503"), id="server-error"),
        pytest.param(200, "<html>", archive.Lookup(None, False, "archive lookup failed: JSONDecodeError"),
                     id="not-json"),
        pytest.param(200, "[]", archive.Lookup(None, True, "no snapshot in the Wayback Machine"), id="odd-json"),
    ],
)
def test_lookup(api: tuple[str, type[FakeApi]], status: int, body: str, expected: archive.Lookup) -> None:
    url, handler = api
    handler.answers.append((status, body))
    with requests.Session() as session:
        assert archive.lookup(session, url, "https://x.org/a", "20100605", timeout=0.5) == expected
    assert handler.asked == [{"url": ["https://x.org/a"], "timestamp": ["20100605"]}]


def test_lookup_without_timestamp_and_unreachable_api(api: tuple[str, type[FakeApi]]) -> None:
    url, handler = api
    handler.answers.append((200, json.dumps(SNAPSHOT)))
    with requests.Session() as session:
        assert archive.lookup(session, url, "https://x.org/a").archive_url is not None
        assert handler.asked == [{"url": ["https://x.org/a"]}]
        dead = archive.lookup(session, "http://127.0.0.1:9/wayback/available", "https://x.org/a", timeout=0.2)
    assert (dead.answered, dead.archive_url) == (False, None)
    assert dead.message.startswith("archive lookup failed: ")
