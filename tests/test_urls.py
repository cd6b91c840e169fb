"""The URL checker against real HTTP servers on 127.0.0.1 (and 127.0.0.2): verdicts, safety, cache, CLI.

Every server is a ``ThreadingHTTPServer`` on port 0 in a daemon thread; it
records each request and each accepted connection, so tests can say what did
(and did not) reach it. Timeouts are short (0.2-0.5 s) to keep the file fast.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner, Result

from biblio.check import urls
from biblio.check.urls import Checker, Place, Settings, Target, UrlResult
from biblio.cli import cli
from biblio.model import Redirect, UrlCheck, Verdict
from biblio.store import Store
from tests.conftest import seed

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HTML = "text/html; charset=utf-8"


# the test server -------------------------------------------------------------------------------------------------
@dataclass
class Resp:
    """One canned answer; ``delay`` sleeps before the status line."""

    status: int = 200
    body: str = "<html><head><title>A page</title></head><body><p>Some text.</p></body></html>"
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = HTML
    delay: float = 0.0


Route = list[Resp] | Callable[[BaseHTTPRequestHandler], None]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
    server: Server

    def do_GET(self) -> None:
        self.server.site.handle(self)

    def do_HEAD(self) -> None:
        self.server.site.handle(self)

    def log_message(self, *args: Any) -> None:
        return None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.site.lock:
            self.site.connections += 1
        super().process_request(request, client_address)


class Site:
    """Routes by path; a list of answers is served in order, the last one repeating."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.fallback: Resp = Resp(404, "<html><head><title>Not Found</title></head><body>nope</body></html>")
        self.requests: list[tuple[str, str, float]] = []
        self.connections = 0
        self.active = self.max_active = 0
        self.sent = 0
        self.lock = threading.Lock()
        self.server = Server((host, 0), Handler)
        self.server.site = self
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, *answers: Resp | Callable[[BaseHTTPRequestHandler], None]) -> str:
        first = answers[0]
        self.routes[path] = list(answers) if isinstance(first, Resp) else first  # type: ignore[assignment]
        return self.url(path)

    def hits(self, path: str, method: str | None = None) -> int:
        return sum(1 for m, p, _ in self.requests if p == path and (method is None or m == method))

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        path = urlsplit(h.path).path
        with self.lock:
            self.requests.append((h.command, path, time.monotonic()))
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            route = self.routes.get(path)
            if callable(route):
                route(h)
                return
            if route:
                answer = route.pop(0) if len(route) > 1 else route[0]
            else:
                answer = self.fallback
            self.answer(h, answer)
        finally:
            with self.lock:
                self.active -= 1

    def answer(self, h: BaseHTTPRequestHandler, r: Resp) -> None:
        if r.delay:
            time.sleep(r.delay)
        body = r.body.encode()
        try:
            h.send_response(r.status)
            h.send_header("Content-Type", r.content_type)
            h.send_header("Content-Length", str(len(body)))
            for k, v in r.headers.items():
                h.send_header(k, v)
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(body)
        except OSError:
            pass

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


@pytest.fixture
def other_site() -> Iterator[Site]:
    s = Site("127.0.0.2")
    yield s
    s.close()


def settings(**kw: Any) -> Settings:
    base = {"allow_private": True, "archive": False, "timeout": 0.5, "deadline": 3.0, "retries": 1,
            "backoff": 0.05, "concurrency": 8}
    return Settings(**{**base, **kw})


def check(url: str, title: str = "", **kw: Any) -> UrlCheck:
    with Checker(settings(**kw)) as checker:
        return checker.check(url, title)


def page(title: str, text: str = "Some ordinary text about a subject.") -> str:
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>"


def moved(status: int, location: str) -> Resp:
    return Resp(status, "", {"Location": location})


# pure helpers ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cited", "expected"),
    [
        pytest.param("https://example.org/a?b=1", ["https://example.org/a?b=1"], id="https"),
        pytest.param("HTTP://Example.org/", ["HTTP://Example.org/"], id="upper-case-scheme"),
        pytest.param("www.mulahswar.com", ["https://www.mulahswar.com", "http://www.mulahswar.com"], id="bare-www"),
        pytest.param("example.org:8080/x", ["https://example.org:8080/x", "http://example.org:8080/x"],
                     id="bare-host-port"),
        pytest.param("//cdn.example.org/a", ["https://cdn.example.org/a", "http://cdn.example.org/a"],
                     id="scheme-relative"),
        pytest.param("mailto:someone@example.org", "not an http(s) URL (mailto:)", id="mailto"),
        pytest.param("ftp://example.org/file", "not an http(s) URL (ftp:)", id="ftp"),
        pytest.param("http:/broken", "not a valid http(s) URL", id="malformed"),
        pytest.param("just words", "not a URL", id="words"),
    ],
)
def test_request_urls(cited: str, expected: list[str] | str) -> None:
    assert urls.request_urls(cited) == expected


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        pytest.param("7d", 604800, id="days"),
        pytest.param("12h", 43200, id="hours"),
        pytest.param("30m", 1800, id="minutes"),
        pytest.param("90s", 90, id="seconds"),
        pytest.param("2w", 1209600, id="weeks"),
        pytest.param("0", 0, id="zero"),
        pytest.param("1.5h", 5400, id="fraction"),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert urls.parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", [pytest.param("7 days", id="word"), pytest.param("-1d", id="negative"),
                                  pytest.param("", id="empty")])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        urls.parse_duration(text)


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        pytest.param("93.184.216.34", True, id="public-v4"),
        pytest.param("2606:4700::1111", True, id="public-v6"),
        pytest.param("127.0.0.1", False, id="loopback"),
        pytest.param("127.0.0.2", False, id="loopback-other"),
        pytest.param("10.1.2.3", False, id="private-10"),
        pytest.param("172.16.0.1", False, id="private-172"),
        pytest.param("192.168.1.1", False, id="private-192"),
        pytest.param("169.254.169.254", False, id="link-local-metadata"),
        pytest.param("100.64.0.1", False, id="shared-cgnat"),
        pytest.param("224.0.0.1", False, id="multicast"),
        pytest.param("240.0.0.1", False, id="reserved"),
        pytest.param("0.0.0.0", False, id="unspecified"),
        pytest.param("::1", False, id="loopback-v6"),
        pytest.param("fe80::1", False, id="link-local-v6"),
        pytest.param("fc00::1", False, id="unique-local-v6"),
        pytest.param("::ffff:127.0.0.1", False, id="v4-mapped-loopback"),
    ],
)
def test_public_only(address: str, allowed: bool) -> None:
    assert urls.public_only(ipaddress.ip_address(address)) is allowed


@pytest.mark.parametrize(
    ("title", "body", "found"),
    [
        pytest.param("The Iranian Mojahedin", page("THE IRANIAN MOJAHEDIN — a review"), True, id="case"),
        pytest.param("“Camp news.” The Globe and Mail, 4 May 2003", page("Camp News"), True, id="main-segment"),
        pytest.param("Les Misérables", page("les miserables!"), True, id="accents-punctuation"),
        pytest.param("Rock & Roll", page("rock &amp; roll"), True, id="entities"),
        pytest.param("The Iranian Mojahedin", page("Something else entirely"), False, id="absent"),
        pytest.param("Hidden", "<html><script>var t='Hidden';</script><p>shown</p></html>", False, id="script-ignored"),
    ],
)
def test_title_found(title: str, body: str, found: bool) -> None:
    assert urls.title_found(title, body) is found


def test_retry_after_as_http_date() -> None:
    headers = {"retry-after": "Wed, 21 Oct 2026 07:28:05 GMT"}
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=UTC).timestamp()
    assert urls._retry_after(headers, now) == pytest.approx(5)
    assert urls._retry_after({"retry-after": "3"}) == 3
    assert urls._retry_after({"retry-after": "soon"}) is None


# verdicts against a live server ------------------------------------------------------------------------------
def _routes_redirect_chain(s: Site) -> str:
    s.route("/c", moved(302, "/d"))
    s.route("/b", moved(301, "/c"))
    s.route("/d", Resp(200, page("Final")))
    return s.route("/a", moved(301, "/b"))


CASES: list[Any] = [
    pytest.param(lambda s: s.route("/p", Resp(200, page("Hello"))), Verdict.OK, 200, "", id="ok"),
    pytest.param(lambda s: s.url("/missing"), Verdict.BROKEN, 404, "HTTP 404 Not Found", id="404"),
    pytest.param(lambda s: s.route("/gone", Resp(410)), Verdict.BROKEN, 410, "HTTP 410 Gone", id="410"),
    pytest.param(lambda s: s.route("/f", Resp(403)), Verdict.BLOCKED, 403, "unverified, not dead", id="403"),
    pytest.param(lambda s: s.route("/u", Resp(401)), Verdict.BLOCKED, 401, "refuses automated", id="401"),
    pytest.param(lambda s: s.route("/li", Resp(999)), Verdict.BLOCKED, 999, "HTTP 999", id="999-bot-wall"),
    pytest.param(lambda s: s.route("/cf", Resp(503, headers={"cf-mitigated": "challenge"})), Verdict.BLOCKED, 503,
                 "bot wall", id="challenge"),
    pytest.param(lambda s: (s.route("/new", Resp(200, page("New"))), s.route("/old", moved(301, "/new")))[1],
                 Verdict.REDIRECTED, 200, "moved permanently to http://127.0.0.1:{port}/new", id="301"),
    pytest.param(lambda s: (s.route("/new", Resp(200, page("New"))), s.route("/old", moved(308, "/new")))[1],
                 Verdict.REDIRECTED, 200, "moved permanently", id="308"),
    pytest.param(lambda s: (s.route("/tmp", Resp(200, page("T"))), s.route("/t", moved(302, "/tmp")))[1],
                 Verdict.OK, 200, "temporary redirect to http://127.0.0.1:{port}/tmp", id="302"),
    pytest.param(lambda s: (s.route("/tmp", Resp(200, page("T"))), s.route("/t", moved(307, "/tmp")))[1],
                 Verdict.OK, 200, "temporary redirect", id="307"),
    pytest.param(_routes_redirect_chain, Verdict.REDIRECTED, 200, "moved permanently to http://127.0.0.1:{port}/c",
                 id="permanent-then-temporary"),
    pytest.param(lambda s: s.route("/r404", moved(301, "/nowhere")), Verdict.BROKEN, 404, "after redirect to",
                 id="redirect-to-404"),
    pytest.param(lambda s: (s.route("/y", moved(302, "/x")), s.route("/x", moved(302, "/y")))[1], Verdict.ERROR,
                 None, "redirect loop: http://127.0.0.1:{port}/x → http://127.0.0.1:{port}/y → "
                       "http://127.0.0.1:{port}/x", id="loop"),
    pytest.param(lambda s: min(s.route(f"/h{i}", moved(302, f"/h{i + 1}")) for i in range(12)), Verdict.ERROR,
                 None, "too many redirects (more than 10)", id="too-many-redirects"),
    pytest.param(lambda s: s.route("/noloc", Resp(301)), Verdict.ERROR, 301, "without a Location", id="no-location"),
    pytest.param(lambda s: s.route("/e", Resp(500)), Verdict.ERROR, 500, "server error HTTP 500", id="500"),
    pytest.param(lambda s: s.route("/bad", Resp(400)), Verdict.ERROR, 400, "HTTP 400 Bad Request", id="400"),
    pytest.param(lambda s: s.route("/m", moved(301, "mailto:a@example.org")), Verdict.SKIPPED, None,
                 "redirects to a non-HTTP URL", id="redirect-to-mailto"),
]


@pytest.mark.parametrize(("setup", "verdict", "status", "message"), CASES)
def test_verdict(site: Site, setup: Callable[[Site], str], verdict: Verdict, status: int | None,
                 message: str) -> None:
    url = setup(site)
    result = check(url)
    assert result.verdict is verdict, result
    assert result.status == status
    assert message.format(port=site.port) in result.message
    assert result.url == url
    assert result.checked_at


def test_redirect_chain_is_recorded(site: Site) -> None:
    result = check(_routes_redirect_chain(site))
    assert result.redirects == (
        Redirect(301, site.url("/b")), Redirect(301, site.url("/c")), Redirect(302, site.url("/d")),
    )
    assert result.final_url == site.url("/d")


def test_redirect_back_after_setting_a_cookie_is_not_a_loop(site: Site) -> None:
    site.route("/login", Resp(302, "", {"Location": "/article", "Set-Cookie": "seen=1; Path=/"}))
    site.route("/article", moved(302, "/login"), Resp(200, page("Article")))
    assert check(site.url("/article")).verdict is Verdict.OK


def test_429_with_retry_after_then_ok(site: Site) -> None:
    url = site.route("/busy", Resp(429, headers={"Retry-After": "1"}), Resp(200, page("Fine")))
    started = time.monotonic()
    result = check(url, retries=2)
    assert result.verdict is Verdict.OK
    assert site.hits("/busy") == 2
    assert time.monotonic() - started >= 0.9


def test_429_with_long_retry_after_gives_up_at_once(site: Site) -> None:
    url = site.route("/busy", Resp(429, headers={"Retry-After": "120"}))
    started = time.monotonic()
    result = check(url, retries=2, max_retry_after=5)
    assert result.verdict is Verdict.BLOCKED
    assert "Retry-After 120 s exceeds --max-retry-after 5 s" in result.message
    assert site.hits("/busy") == 1
    assert time.monotonic() - started < 1


def test_429_after_retries_is_blocked(site: Site) -> None:
    url = site.route("/busy", Resp(429))
    result = check(url, retries=2)
    assert (result.verdict, result.status) == (Verdict.BLOCKED, 429)
    assert "after 2 retries" in result.message
    assert site.hits("/busy") == 3


def test_503_then_ok(site: Site) -> None:
    url = site.route("/flaky", Resp(503), Resp(200, page("Back")))
    assert check(url).verdict is Verdict.OK
    assert site.hits("/flaky") == 2


def test_reset_connection_is_retried(site: Site) -> None:
    calls: list[int] = []

    def reset_once(h: BaseHTTPRequestHandler) -> None:
        calls.append(1)
        if len(calls) == 1:
            h.close_connection = True
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            h.connection.close()
            return
        site.answer(h, Resp(200, page("Fine")))

    url = site.route("/reset", reset_once)
    assert check(url).verdict is Verdict.OK
    assert len(calls) == 2


def test_slow_response_times_out(site: Site) -> None:
    url = site.route("/slow", Resp(200, delay=1.5))
    started = time.monotonic()
    result = check(url, timeout=0.2, retries=0)
    assert result.verdict is Verdict.TIMEOUT
    assert "read timeout" in result.message
    assert time.monotonic() - started < 1


def test_deadline_bounds_retries(site: Site) -> None:
    url = site.route("/slow", Resp(200, delay=1.5))
    started = time.monotonic()
    result = check(url, timeout=0.2, retries=10, backoff=0.05, deadline=0.6)
    assert result.verdict is Verdict.TIMEOUT
    assert time.monotonic() - started < 1.2


@pytest.mark.parametrize("content_type", [pytest.param(HTML, id="html"),
                                          pytest.param("application/octet-stream", id="binary")])
def test_huge_body_is_not_downloaded(site: Site, content_type: str) -> None:
    def endless(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(2 * 1024**3))
        h.end_headers()
        chunk = b"<p>" + b"x" * 65530 + b"</p>"
        stop = time.monotonic() + 5
        try:
            while time.monotonic() < stop:
                h.wfile.write(chunk)
                with site.lock:
                    site.sent += len(chunk)
        except OSError:
            pass
        h.close_connection = True

    url = site.route("/huge", endless)
    started = time.monotonic()
    result = check(url, timeout=0.5)
    elapsed = time.monotonic() - started
    time.sleep(0.2)  # let the server notice the closed connection
    assert result.verdict is Verdict.OK
    assert elapsed < 2
    assert site.sent < 8 * 1024**2


@pytest.mark.parametrize(
    ("title", "verdict"),
    [
        pytest.param("Page not found", Verdict.SOFT_404, id="not-found"),
        pytest.param("404 - Example News", Verdict.SOFT_404, id="leading-404"),
        pytest.param("Error 404 | Example", Verdict.SOFT_404, id="error-404"),
        pytest.param("This story is no longer available", Verdict.SOFT_404, id="no-longer-available"),
        pytest.param("Page 404", Verdict.OK, id="page-number-404"),
        pytest.param("Route 404 reopens", Verdict.OK, id="road-404"),
    ],
)
def test_soft_404_by_title(site: Site, title: str, verdict: Verdict) -> None:
    url = site.route("/story", Resp(200, page(title)))
    result = check(url)
    assert result.verdict is verdict
    if verdict is Verdict.SOFT_404:
        assert f"page title says “{title}”" in result.message


@pytest.mark.parametrize(
    ("target", "message"),
    [
        pytest.param("/", "redirects to the site root", id="root"),
        pytest.param("/errors/404.html", "redirects to a not-found page", id="not-found-path"),
    ],
)
def test_soft_404_by_redirect(site: Site, target: str, message: str) -> None:
    site.route("/", Resp(200, page("Home")))
    site.route("/errors/404.html", Resp(200, page("Home")))
    url = site.route("/2019/03/article", moved(301, target))
    result = check(url)
    assert result.verdict is Verdict.SOFT_404
    assert message in result.message


def test_soft_404_on_a_host_that_answers_200_to_everything(site: Site) -> None:
    site.fallback = Resp(200, page("Example News", "Welcome to Example News. Latest stories: A, B, C."))
    site.route("/real-story", Resp(200, page("Minister resigns", "The minister resigned on Monday after " * 40)))
    with Checker(settings()) as checker:
        gone = checker.check(site.url("/2019/deleted-story"))
        real = checker.check(site.url("/real-story"))
    assert gone.verdict is Verdict.SOFT_404
    assert "answers 2xx to any path" in gone.message
    assert real.verdict is Verdict.OK
    probes = [p for _, p, _ in site.requests if p.startswith("/biblio-probe-")]
    assert len(probes) == 1  # one probe per host and run


def test_drifted_page(site: Site) -> None:
    url = site.route("/post", Resp(200, page("Completely different content")))
    result = check(url, title="The Iranian Mojahedin")
    assert result.verdict is Verdict.DRIFTED
    assert "cited title not found on the page: “The Iranian Mojahedin”" in result.message


def test_page_with_the_cited_title_is_ok(site: Site) -> None:
    url = site.route("/post", Resp(200, page("the iranian mojahedin: a review")))
    assert check(url, title="The Iranian Mojahedin.").verdict is Verdict.OK


# safety ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("host", [pytest.param("127.0.0.1", id="ip"), pytest.param("localhost", id="localhost")])
def test_private_address_refused_without_allow_private(site: Site, host: str) -> None:
    site.route("/p", Resp(200, page("Secret")))
    result = check(f"http://{host}:{site.port}/p", allow_private=False)
    assert result.verdict is Verdict.SKIPPED
    assert result.message.startswith("private address refused (use --allow-private)")
    assert site.connections == 0
    assert site.requests == []


def test_host_name_resolving_to_private_address_is_refused(site: Site) -> None:
    resolver = {"intranet.example.org": ["10.0.0.7"], "docs.example.org": ["127.0.0.1"]}
    with Checker(settings(allow_private=False), resolver=lambda host, port: resolver[host]) as checker:
        result = checker.check(f"http://docs.example.org:{site.port}/p")
    assert result.verdict is Verdict.SKIPPED
    assert "docs.example.org → 127.0.0.1" in result.message
    assert site.connections == 0


def test_redirect_hop_to_refused_address_is_checked_at_connect_time(site: Site, other_site: Site) -> None:
    other_site.route("/inside", Resp(200, page("Intranet")))
    url = site.route("/out", moved(302, other_site.url("/inside")))

    def only_first(ip: urls.IPAddress) -> bool:  # 127.0.0.1 plays a public host, 127.0.0.2 the intranet
        return str(ip) == "127.0.0.1"

    with Checker(settings(allow_private=False), policy=only_first) as checker:
        result = checker.check(url)
    assert result.verdict is Verdict.SKIPPED
    assert "private address refused" in result.message
    assert f"after redirect to {other_site.url('/inside')}" in result.message
    assert result.redirects == (Redirect(302, other_site.url("/inside")),)
    assert site.hits("/out") == 1
    assert other_site.connections == 0


def test_only_allowed_addresses_of_a_host_are_used(site: Site) -> None:
    site.route("/p", Resp(200, page("Fine")))
    resolver = {"mixed.example.org": ["127.0.0.2", "127.0.0.1"]}
    with Checker(settings(allow_private=False), policy=lambda ip: str(ip) == "127.0.0.1",
                 resolver=lambda host, port: resolver[host]) as checker:
        result = checker.check(f"http://mixed.example.org:{site.port}/p")
    assert result.verdict is Verdict.OK
    assert site.hits("/p") == 1


def test_dns_failure_is_broken() -> None:
    def no_dns(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with Checker(settings(), resolver=no_dns) as checker:
        result = checker.check("https://gone.example.org/page")
    assert result.verdict is Verdict.BROKEN
    assert result.message == "DNS lookup failed for host gone.example.org (Name or service not known)"


def test_bare_host_tries_https_then_http(site: Site) -> None:
    site.route("/page", Resp(200, page("Plain HTTP")))
    with Checker(settings(), resolver=lambda host, port: ["127.0.0.1"]) as checker:
        result = checker.check(f"www.example.org:{site.port}/page")
    assert result.verdict is Verdict.OK
    assert result.final_url == f"http://www.example.org:{site.port}/page"
    assert result.url == f"www.example.org:{site.port}/page"


def test_excluded_and_non_http_urls_are_skipped(site: Site) -> None:
    with Checker(settings(exclude=(r"example\.org/private",))) as checker:
        excluded = checker.check("https://example.org/private/x")
        mail = checker.check("mailto:someone@example.org")
    assert (excluded.verdict, excluded.message) == (Verdict.SKIPPED, r"excluded by --exclude example\.org/private")
    assert (mail.verdict, mail.message) == (Verdict.SKIPPED, "not an http(s) URL (mailto:)")


# politeness, pooling, HEAD -------------------------------------------------------------------------------------
def test_per_host_limit_and_connection_reuse(site: Site) -> None:
    for i in range(12):
        site.route(f"/p{i}", Resp(200, page(f"Page {i}"), delay=0.05))
    targets = [Target(site.url(f"/p{i}")) for i in range(12)]
    with Checker(settings(per_host=2, concurrency=8)) as checker:
        results = checker.run(targets)
    assert {r.check.verdict for r in results} == {Verdict.OK}
    assert site.max_active <= 2
    assert site.connections <= 3  # two pooled connections (and perhaps one for the probe racing them)


def test_min_interval_spaces_requests_to_a_host(site: Site) -> None:
    for i in range(3):
        site.route(f"/p{i}", Resp(200, page(f"Page {i}")))
    with Checker(settings(min_interval=0.15, probe=False)) as checker:
        checker.run([Target(site.url(f"/p{i}")) for i in range(3)])
    starts = sorted(t for _, _, t in site.requests)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(starts) == 3
    assert min(gaps) >= 0.13


def test_head_mode_falls_back_to_get(site: Site) -> None:
    def head_not_allowed(h: BaseHTTPRequestHandler) -> None:
        site.answer(h, Resp(405) if h.command == "HEAD" else Resp(200, "%PDF-1.4", content_type="application/pdf"))

    url = site.route("/doc.pdf", head_not_allowed)
    result = check(url, method="head")
    assert result.verdict is Verdict.OK
    assert [m for m, p, _ in site.requests if p == "/doc.pdf"] == ["HEAD", "GET"]


def test_head_mode_uses_head_alone_for_non_html(site: Site) -> None:
    url = site.route("/doc.pdf", Resp(200, "%PDF-1.4", content_type="application/pdf"))
    assert check(url, method="head").verdict is Verdict.OK
    assert [m for m, _, _ in site.requests] == ["HEAD"]


# archive suggestions -------------------------------------------------------------------------------------------
@pytest.fixture
def wayback() -> Iterator[Site]:
    s = Site()
    asked: list[dict[str, list[str]]] = []

    def available(h: BaseHTTPRequestHandler) -> None:
        query = parse_qs(urlsplit(h.path).query)
        asked.append(query)
        snapshot = {"archived_snapshots": {"closest": {
            "available": True, "status": "200", "timestamp": "20190304000000",
            "url": f"http://web.archive.org/web/20190304000000/{query['url'][0]}"}}}
        empty: dict[str, Any] = {"archived_snapshots": {}}
        body = json.dumps(snapshot if "with-snapshot" in query["url"][0] else empty)
        s.answer(h, Resp(200, body, content_type="application/json"))

    s.route("/wayback/available", available)
    s.asked = asked  # type: ignore[attr-defined]
    yield s
    s.close()


def test_archive_suggestion_for_broken_link(site: Site, wayback: Site, tmp_path: Path) -> None:
    url = site.url("/with-snapshot")
    api = wayback.url("/wayback/available")
    with Store(tmp_path / "s.db") as store:
        checker = Checker(settings(archive=True, archive_api=api), store=store)
        (result,) = checker.run([Target(url, timestamp="20190301")], now=T0)
        assert result.check.verdict is Verdict.BROKEN
        assert result.check.archive_url == f"https://web.archive.org/web/20190304000000/{url}"
        assert wayback.asked == [{"url": [url], "timestamp": ["20190301"]}]  # type: ignore[attr-defined]
        # rechecked (max-age 0) but the snapshot lookup is remembered
        checker = Checker(settings(archive=True, archive_api=api, max_age=timedelta(0)), store=store)
        (again,) = checker.run([Target(url, timestamp="20190301")], now=T0 + timedelta(hours=1))
        assert again.check.archive_url == result.check.archive_url
        assert len(wayback.asked) == 1  # type: ignore[attr-defined]
        assert store.url_checks()[url][0].archive_url == result.check.archive_url


def test_no_snapshot_and_no_archive(site: Site, wayback: Site) -> None:
    api = wayback.url("/wayback/available")
    with Checker(settings(archive=True, archive_api=api)) as checker:
        (result,) = checker.run([Target(site.url("/nothing-archived"))])
    assert result.check.archive_url is None
    assert wayback.asked == [{"url": [site.url("/nothing-archived")]}]  # type: ignore[attr-defined]
    with Checker(settings(archive=False, archive_api=api)) as checker:
        checker.run([Target(site.url("/with-snapshot"))])
    assert len(wayback.asked) == 1  # type: ignore[attr-defined]


# cache and confirmation ----------------------------------------------------------------------------------------
def test_second_run_within_max_age_makes_no_requests(site: Site, tmp_path: Path) -> None:
    site.route("/p", Resp(200, page("Hello")))
    targets = [Target(site.url("/p")), Target(site.url("/missing"))]
    with Store(tmp_path / "s.db") as store:
        first = Checker(settings(), store=store).run(targets, now=T0)
        count = len(site.requests)
        second = Checker(settings(), store=store).run(targets, now=T0 + timedelta(hours=12))
        assert len(site.requests) == count
        assert [r.check.verdict for r in second] == [r.check.verdict for r in first] == [Verdict.OK, Verdict.BROKEN]
        assert all(r.cached for r in second)
        Checker(settings(), store=store).run(targets, now=T0 + timedelta(days=8))
        assert len(site.requests) > count


def test_transient_failures_are_not_cached(site: Site, tmp_path: Path) -> None:
    site.route("/down", Resp(503))
    site.route("/slow", Resp(200, delay=1))
    targets = [Target(site.url("/down")), Target(site.url("/slow"))]
    with Store(tmp_path / "s.db") as store:
        first = Checker(settings(retries=0, timeout=0.2), store=store).run(targets, now=T0)
        assert [r.check.verdict for r in first] == [Verdict.ERROR, Verdict.TIMEOUT]
        assert not any(r.confirmed for r in first)
        Checker(settings(retries=0, timeout=0.2), store=store).run(targets, now=T0 + timedelta(minutes=1))
        assert site.hits("/down") == 2
        assert site.hits("/slow") == 2


def test_broken_is_confirmed_only_after_failing_a_day_apart(site: Site, tmp_path: Path) -> None:
    url = site.url("/missing")
    with Store(tmp_path / "s.db") as store:
        def run(now: datetime, **kw: Any) -> UrlResult:
            (result,) = Checker(settings(**kw), store=store).run([Target(url)], now=now)
            return result

        first = run(T0)
        assert (first.check.verdict, first.confirmed) == (Verdict.BROKEN, False)
        assert f"unconfirmed (first failure at {T0.isoformat()}" in first.check.message
        soon = run(T0 + timedelta(hours=2), max_age=timedelta(0))  # rechecked, still too early
        assert (soon.confirmed, soon.cached) == (False, False)
        assert site.hits("/missing") == 2
        cached = run(T0 + timedelta(hours=3))  # fresh: not asked again, still unconfirmed
        assert (cached.confirmed, cached.cached) == (False, True)
        assert site.hits("/missing") == 2
        later = run(T0 + timedelta(hours=25))  # dead-after passed: rechecked despite max-age 7d
        assert site.hits("/missing") == 3
        assert (later.check.verdict, later.confirmed) == (Verdict.BROKEN, True)
        assert later.check.message == "HTTP 404 Not Found"
        assert later.as_dict()["confirmed"] is True
        assert store.url_checks()[url][1:] == (T0.isoformat(), 3)


def test_recovery_clears_the_failure_history(site: Site, tmp_path: Path) -> None:
    site.route("/back", Resp(404), Resp(200, page("Back")))
    url = site.url("/back")
    with Store(tmp_path / "s.db") as store:
        Checker(settings(), store=store).run([Target(url)], now=T0)
        (ok,) = Checker(settings(max_age=timedelta(0)), store=store).run([Target(url)], now=T0 + timedelta(days=2))
        assert ok.check.verdict is Verdict.OK
        assert store.url_checks()[url][1:] == (None, 0)


def test_dead_after_zero_confirms_at_once(site: Site) -> None:
    with Checker(settings(dead_after=timedelta(0))) as checker:
        (result,) = checker.run([Target(site.url("/missing"))])
    assert result.confirmed
    assert "unconfirmed" not in result.check.message


def test_run_merges_places_and_keeps_order(site: Site) -> None:
    site.route("/p", Resp(200, page("Hello")))
    targets = [Target(site.url("/p"), places=(Place("a.txt", 3),)), Target("mailto:x@example.org"),
               Target(site.url("/p"), places=(Place("b.txt", 9), Place("a.txt", 3)))]
    seen: list[str] = []
    with Checker(settings()) as checker:
        results = checker.run(targets, progress=lambda r: seen.append(r.check.url))
    assert [r.check.url for r in results] == [site.url("/p"), "mailto:x@example.org"]
    assert results[0].target.places == (Place("a.txt", 3), Place("b.txt", 9))
    assert sorted(seen) == sorted(r.check.url for r in results)


def test_interrupt_saves_what_was_checked_and_stops_quickly(site: Site, tmp_path: Path) -> None:
    for i in range(8):
        site.route(f"/p{i}", Resp(200, page(f"Page {i}"), delay=0.2))

    def interrupt(result: UrlResult) -> None:
        raise KeyboardInterrupt

    with Store(tmp_path / "s.db") as store:
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt), Checker(settings(concurrency=2, probe=False), store=store) as checker:
            checker.run([Target(site.url(f"/p{i}")) for i in range(8)], progress=interrupt)
        assert time.monotonic() - started < 2.5  # generous: a loaded CI machine is slow, a hang is not
        assert len(store.url_checks()) == 1
    time.sleep(0.3)
    # requests already in flight may finish; the queued rest (8 in all) must not start
    assert len(site.requests) <= 4


# reports -----------------------------------------------------------------------------------------------------------
def _results() -> list[UrlResult]:
    broken = UrlCheck("https://example.org/gone", Verdict.BROKEN, 404, "https://example.org/gone", "HTTP 404 Not Found",
                      "https://web.archive.org/web/2019/https://example.org/gone", "2026-03-01T12:00:00+00:00")
    ok = UrlCheck("https://example.org/", Verdict.OK, 200, "https://example.org/", "", None,
                  "2026-03-01T12:00:00+00:00")
    moved_ = UrlCheck("http://other.net/a|b", Verdict.REDIRECTED, 200, "https://other.net/a", "moved permanently",
                      None, "2026-03-01T12:00:00+00:00", (Redirect(301, "https://other.net/a"),))
    return [UrlResult(Target(broken.url, places=(Place("doc.txt", 7), Place("doc.txt", 9))), broken, True),
            UrlResult(Target(ok.url, places=(Place("doc.txt", 2),)), ok, True, cached=True),
            UrlResult(Target(moved_.url), moved_, True)]


def test_text_report() -> None:
    text = urls.to_text(_results())
    assert "doc.txt:7 (+1 more): broken: https://example.org/gone [404] HTTP 404 Not Found" in text
    assert "    archived: https://web.archive.org/web/2019/https://example.org/gone" in text
    assert "https://example.org/ [200]" not in text  # ok results only count in the summary
    assert "3 URL(s): 1 ok, 1 redirected, 1 broken; 1 from cache" in text
    assert "  example.org: 2 (1 ok, 1 broken)" in text
    assert "  other.net: 1 (1 redirected)" in text


def test_json_report() -> None:
    data = json.loads(urls.to_json(_results()))
    assert data[0] == {
        "url": "https://example.org/gone", "verdict": "broken", "status": 404, "final_url": "https://example.org/gone",
        "message": "HTTP 404 Not Found", "archive_url": "https://web.archive.org/web/2019/https://example.org/gone",
        "checked_at": "2026-03-01T12:00:00+00:00", "confirmed": True, "redirects": [],
        "places": [{"document": "doc.txt", "line": 7}, {"document": "doc.txt", "line": 9}],
    }
    assert data[2]["redirects"] == [{"status": 301, "url": "https://other.net/a"}]


def test_markdown_report() -> None:
    text = urls.to_markdown(_results())
    assert "| Verdict | URL | Status | Cited at | Message | Archived copy |" in text
    assert "| broken | https://example.org/gone | 404 | doc.txt:7<br>doc.txt:9 | HTTP 404 Not Found |" in text
    assert "http://other.net/a\\|b" in text


def test_junit_report() -> None:
    root = ET.fromstring(urls.to_junit(_results()))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "0")
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("type") == "broken"
    assert suite.findall("testcase")[0].get("line") == "7"


@pytest.mark.parametrize(
    ("verdicts", "code"),
    [
        pytest.param([Verdict.OK, Verdict.REDIRECTED], 0, id="fine"),
        pytest.param([Verdict.OK, Verdict.BROKEN], 1, id="broken"),
        pytest.param([Verdict.SOFT_404, Verdict.DRIFTED, Verdict.TIMEOUT, Verdict.BLOCKED], 0, id="only-informs"),
    ],
)
def test_exit_code(verdicts: list[Verdict], code: int) -> None:
    results = [UrlResult(Target("https://x.org"), UrlCheck("https://x.org", v), True) for v in verdicts]
    assert urls.exit_code(results) == code


# CLI ------------------------------------------------------------------------------------------------------------
def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


FAST = ("--allow-private", "--no-archive", "--timeout", "0.5", "--retries", "0")


@pytest.fixture
def document(site: Site, tmp_path: Path) -> Path:
    site.route("/fine", Resp(200, page("Fine")))
    doc = tmp_path / "notes.txt"
    doc.write_text(
        "A first claim, see " + site.url("/fine") + " for more.\n"
        "\n"
        "A dead page: " + site.url("/dead") + ".\n"
        "Again: " + site.url("/fine") + "\n"
        "Mail me at mailto:someone@example.org please.\n",
        encoding="utf-8",
    )
    return doc


def test_cli_json_on_a_document(document: Path, site: Site) -> None:
    result = invoke("check-urls", document.name, "--format", "json", *FAST)
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    by_url = {item["url"]: item for item in data}
    assert set(by_url) == {site.url("/fine"), site.url("/dead")}
    assert by_url[site.url("/fine")]["verdict"] == "ok"
    assert by_url[site.url("/fine")]["places"] == [{"document": "notes.txt", "line": 1},
                                                   {"document": "notes.txt", "line": 4}]
    dead = by_url[site.url("/dead")]
    assert (dead["verdict"], dead["status"], dead["confirmed"]) == ("broken", 404, False)
    assert dead["places"] == [{"document": "notes.txt", "line": 3}]
    assert "unconfirmed (first failure at" in dead["message"]


def test_cli_exit_zero_when_nothing_broken(site: Site, tmp_path: Path) -> None:
    site.route("/fine", Resp(200, page("Fine")))
    (tmp_path / "ok.txt").write_text(f"See {site.url('/fine')} here.\n", encoding="utf-8")
    result = invoke("check-urls", "ok.txt", *FAST)
    assert result.exit_code == 0, result.output
    assert "1 URL(s): 1 ok" in result.stdout


def test_cli_text_output_and_cache(document: Path, site: Site) -> None:
    first = invoke("check-urls", document.name, *FAST)
    assert f"notes.txt:3: broken: {site.url('/dead')} [404] HTTP 404 Not Found — unconfirmed" in first.stdout
    assert "2 URL(s): 1 ok, 1 broken (1 unconfirmed)" in first.stdout
    count = len(site.requests)
    second = invoke("check-urls", document.name, *FAST)
    assert "; 2 from cache" in second.stdout
    assert len(site.requests) == count
    invoke("check-urls", document.name, *FAST, "--max-age", "0")
    assert len(site.requests) > count


def test_cli_output_file_and_formats(document: Path) -> None:
    result = invoke("check-urls", document.name, *FAST, "--format", "junit", "-o", "report.xml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert ET.parse("report.xml").getroot().tag == "testsuites"
    result = invoke("check-urls", document.name, *FAST, "--format", "markdown", "-o", "-")
    assert result.stdout.startswith("# URL check")


def test_cli_refuses_private_addresses_by_default(document: Path, site: Site) -> None:
    result = invoke("check-urls", document.name, "--no-archive", "--format", "json")
    assert result.exit_code == 0
    assert {item["verdict"] for item in json.loads(result.stdout)} == {"skipped"}
    assert site.connections == 0


def test_cli_exclude(document: Path, site: Site) -> None:
    result = invoke("check-urls", document.name, *FAST, "--exclude", "/dead$", "--format", "json")
    assert result.exit_code == 0
    verdicts = {item["url"]: item["verdict"] for item in json.loads(result.stdout)}
    assert verdicts[site.url("/dead")] == "skipped"
    assert site.hits("/dead") == 0


def test_cli_checks_the_store_without_paths(site: Site, tmp_path: Path) -> None:
    site.route("/paper", Resp(200, page("A Study of Things")))
    site.route("/other", Resp(200, page("Something else")))
    (tmp_path / "d.txt").write_text(
        "A claim.1 See also " + site.url("/other") + " today.\n"
        "A dead link: " + site.url("/gone") + " here.\n\n"
        "1 Smith, John. (2001). A Study of Things. " + site.url("/paper") + "\n",
        encoding="utf-8",
    )
    assert invoke("build", "d.txt").exit_code == 0
    with Store(tmp_path / "test.db") as store:
        works = {w.reference.URL: w for w in store.works() if w.reference.URL}
    assert site.url("/paper") in works  # the note's URL is a work's URL field
    result = invoke("check-urls", *FAST, "--format", "json")
    items = {item["url"]: item for item in json.loads(result.stdout)}
    assert set(works) <= set(items)
    assert items[site.url("/paper")]["verdict"] == "ok"
    assert {"document": "d.txt", "line": 4} in items[site.url("/paper")]["places"]  # the note's line
    assert items[site.url("/other")]["places"] == [{"document": "d.txt", "line": 1}]
    assert (items[site.url("/gone")]["verdict"], items[site.url("/gone")]["places"]) == (
        "broken", [{"document": "d.txt", "line": 2}])
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("--max-age", "soon"), "not a duration", id="max-age"),
        pytest.param(("--dead-after", "1 day"), "not a duration", id="dead-after"),
        pytest.param(("--exclude", "(unclosed"), "not a valid regular expression", id="exclude"),
        pytest.param(("--concurrency", "0"), "--concurrency", id="concurrency"),
    ],
)
def test_cli_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(cli, ["check-urls", "x.txt", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_archive_default_is_the_wayback_api() -> None:
    from biblio.check import archive

    option = next(p for p in cli.commands["check-urls"].params if p.name == "archive_api")
    assert option.default == archive.DEFAULT_API


def test_cli_missing_file(tmp_path: Path) -> None:
    result = invoke("check-urls", "absent.txt", *FAST)
    assert result.exit_code == 1
    assert "absent.txt:1:1: error: no such file or folder [unreadable-file]" in result.stderr


def test_seed_urls_fail_cleanly_offline() -> None:
    first, second = seed("000_"), seed("004_")
    result = invoke("check-urls", str(first), str(second), "--format", "json", "--no-archive", "--timeout", "1",
                    "--retries", "0", "--deadline", "3")
    assert "Traceback" not in result.output
    items = {item["url"]: item for item in json.loads(result.stdout)}
    mulahswar = items["www.mulahswar.com"]
    assert {"document": str(first), "line": 167} in mulahswar["places"]
    amazon = next(item for url, item in items.items() if url.startswith("https://www.amazon.com/dp/1527236935"))
    assert {"document": str(second), "line": 61} in amazon["places"]  # (a narrative mention may add line 60)
    for item in (mulahswar, amazon):
        assert item["verdict"] not in ("ok", "redirected")
        assert item["message"]
        if item["verdict"] == "broken":
            assert "DNS lookup failed for host www." in item["message"]
    assert result.exit_code == (1 if "broken" in {mulahswar["verdict"], amazon["verdict"]} else 0)


def test_url_check_is_frozen() -> None:
    c = UrlCheck("https://x.org", Verdict.OK)
    with pytest.raises(AttributeError):
        c.verdict = Verdict.BROKEN  # type: ignore[misc]
    assert replace(c, status=200).status == 200
