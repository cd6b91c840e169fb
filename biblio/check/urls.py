"""URL checking that users can trust: a verdict per cited URL, with the reason and where it is cited.

Pipeline::

    targets (store works' URL + url citations, or documents) → merge by URL (places kept)
      → skip (--exclude, not http/https)  → cache (fresh by --max-age, never transient)
      → ThreadPoolExecutor (global limit), interleaved by host
          → per hop: per-host semaphore + minimum interval → request (guarded connection) → retries
          → redirect chain (manual, max 10, loops) → verdict (soft-404 / drift need the body)
          → Wayback suggestion for broken, drifted, soft-404
      → store (first failure, failures in a row) → UrlResult (confirmed or not) → text/json/markdown/junit

Failures are values: a check returns ``UrlCheck`` whatever happens, and the
internal ``Failure`` replaces exceptions from ``requests``/``urllib3``.

Choices where the brief left room (and why):

- **Safety at connect time.** The session's connections resolve the host
  themselves, drop every address the policy refuses (loopback, private,
  link-local, multicast, reserved, unspecified: anything not globally routable),
  and connect to a checked IP; TLS still gets the host name for SNI and
  certificate checks because the connection object keeps its host. Resolving
  and connecting in the same place leaves no window for DNS rebinding, applies
  to every redirect hop (each new connection goes through it) and to pooled
  connections (made through it). A refused address is verdict ``skipped``:
  we did not check it, which is neither broken nor blocked. Environment
  proxies are ignored (``trust_env=False``): through a proxy the policy
  would judge the proxy's address, not the site's.
- **Bare ``www.example.org``** is tried as ``https://`` first (what nearly
  every site serves today, and no plaintext hop), then ``http://`` when https
  fails at the connection or TLS level.
- **GET by default, HEAD on request.** Soft-404 and drift verdicts need the
  start of the body of every HTML page; HEAD would cost a second round trip
  for each of them. A streamed GET reads only the first 64 KiB of an HTML or
  text page (256 KiB when a cited title is checked), nothing of other types,
  and closes the connection when more follows. ``method="head"`` sends HEAD and
  falls back to GET on 400/403/404/405/406/410/501/999 or a failed HEAD, and
  when an HTML page must be read.
- **Soft-404.** A 2xx page is soft-404 when a redirect took it to the site
  root or a not-found path, when its title or first heading (or the whole text
  of a short page) says not found, or when the host answers a random path with
  2xx and a page like this one (one probe per host per run).
- **Retry-After** longer than ``max_retry_after`` is not shortened: we stop and
  report (waiting less than asked is not honouring it). It also pauses the
  whole host.
- **Transient** results (timeout, error, HTTP 429 and 5xx) are stored but never
  fresh; ``broken`` is ``confirmed`` once it failed on checks ``dead_after``
  apart; other verdicts are confirmed. An unconfirmed broken link is rechecked
  once ``dead_after`` has passed since its first failure, whatever ``max_age``.
- ``skipped`` results are never stored: they depend on settings, not on the web.
- **Scheduling.** The pool's workers (the global limit) take URLs round-robin
  by host, so 32 workers spread over hosts instead of 28 of them queueing on
  one host's semaphore; the per-host semaphore and interval apply to every
  request (hops, retries, probes, archive lookups), and a URL's deadline starts
  at its first request, not while it waits for its host.
- Requests are prepared directly and sent with ``Session.send`` on the pooled
  session: ``Session.request``'s per-call merging of settings was a quarter of
  the CPU per check, and under the GIL that CPU is what separates a large run
  from the latency bound (see ``benchmarks/urls.py``).
"""

from __future__ import annotations

import html
import ipaddress
import json
import re
import secrets
import socket
import threading
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ProtocolError, ReadTimeoutError
from urllib3.util import connection as urllib3_connection

from biblio import __version__
from biblio.check import archive as wayback
from biblio.model import Finding, Redirect, Reference, UrlCheck, Verdict

USER_AGENT = f"biblio/{__version__} (+link checker)"
KIB = 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
BLOCKED_STATUSES = frozenset({401, 403, 407, 451, 999})
HEAD_FALLBACK = frozenset({400, 403, 404, 405, 406, 410, 501, 999})
ARCHIVE_VERDICTS = frozenset({Verdict.BROKEN, Verdict.DRIFTED, Verdict.SOFT_404})
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
SOFT_404_BYTES = 64 * KIB
DRAIN_BYTES = 64 * KIB
_NOT_FOUND_TEXT = re.compile(
    r"^\s*404\b|\b(?:not found|error\s*404|404\s*(?:error|page)|page (?:does not|doesn['’]t) exist|"
    r"(?:cannot|can['’]t|could not|couldn['’]t) be found|"
    r"no longer (?:available|exists)|(?:page|article|content|story) (?:is )?(?:unavailable|missing|removed)|"
    r"seite nicht gefunden|page introuvable|p[aá]gina no encontrada)\b",
    re.I,
)
# in the running text of a short page only phrases count: "Page 404" of a pager is not an error page
_NOT_FOUND_PHRASE = re.compile(
    r"\b(?:not found|page (?:does not|doesn['’]t) exist|(?:cannot|can['’]t|could not|couldn['’]t) be found|"
    r"no longer (?:available|exists))\b",
    re.I,
)
_NOT_FOUND_PATH = re.compile(
    r"(?:^|/)(?:404|not[-_]?found|page[-_]?not[-_]?found|error[-_]?404)(?:\.\w{2,5})?/?$", re.I
)
_ROOTISH = re.compile(r"^/?(?:index\.\w{2,5}|default\.\w{2,5}|home|index)?/?$", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.I | re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1", re.I | re.S)
_INVISIBLE = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_BARE_HOST = re.compile(r"^(?:www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?(?:[/?#]|$))", re.I)

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressPolicy = Callable[[IPAddress], bool]
Progress = Callable[["UrlResult"], None]


# settings and values ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    """Every knob of a run; the CLI's options map one to one (times in seconds)."""

    concurrency: int = 32
    per_host: int = 4
    min_interval: float = 0.0
    timeout: float = 10.0
    deadline: float = 30.0
    retries: int = 2
    backoff: float = 0.5
    max_retry_after: float = 60.0
    max_redirects: int = 10
    max_age: timedelta = timedelta(days=7)
    dead_after: timedelta = timedelta(days=1)
    exclude: tuple[str, ...] = ()
    allow_private: bool = False
    archive: bool = True
    archive_api: str = wayback.DEFAULT_API
    method: str = "get"
    body_cap: int = 256 * KIB
    probe: bool = True
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Place:
    """Where a URL is cited (1-based line of the original file)."""

    document: str
    line: int


@dataclass(frozen=True)
class Target:
    """A URL to check, with the cited title (for drift) and Wayback timestamp when known."""

    url: str
    title: str = ""
    timestamp: str = ""
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class UrlResult:
    """A target's check as reported: ``confirmed`` is false for unconfirmed broken and transient verdicts."""

    target: Target
    check: UrlCheck
    confirmed: bool
    cached: bool = False

    def as_dict(self) -> dict[str, Any]:
        c = self.check
        return {
            "url": c.url,
            "verdict": c.verdict.value,
            "status": c.status,
            "final_url": c.final_url,
            "message": c.message,
            "archive_url": c.archive_url,
            "checked_at": c.checked_at,
            "confirmed": self.confirmed,
            "redirects": [{"status": r.status, "url": r.url} for r in c.redirects],
            "places": [{"document": p.document, "line": p.line} for p in self.target.places],
        }


@dataclass(frozen=True)
class Failure:
    """A request that produced no HTTP answer, as a value: verdict, reason, and what may be tried next."""

    verdict: Verdict
    message: str
    retry: bool = False
    fallback: bool = False


@dataclass(frozen=True)
class Reply:
    """An HTTP answer, its body already read (up to a cap) or discarded, the connection released."""

    url: str
    status: int
    headers: Any
    text: str | None = None
    truncated: bool = False
    retries: int = 0
    note: str = ""

    @property
    def content_type(self) -> str:
        return str(self.headers.get("content-type", "")).split(";")[0].strip().lower()


@dataclass(frozen=True)
class Trace:
    """A followed chain: the URL asked, the last URL requested, the hops, and how it ended."""

    start: str
    url: str
    hops: tuple[Redirect, ...]
    reply: Reply | None
    failure: Failure | None


@dataclass
class _Probe:
    done: threading.Event = field(default_factory=threading.Event)
    reply: Reply | None = None


class _Deadline:
    """The total time one URL may take, started at its first request (not while it queues for a host)."""

    def __init__(self, total: float) -> None:
        self.total = total
        self._end: float | None = None

    def start(self) -> None:
        if self._end is None:
            self._end = time.monotonic() + self.total

    def remaining(self) -> float:
        return float("inf") if self._end is None else self._end - time.monotonic()


# address policy and the guarded connection ---------------------------------------------------------------------
def public_only(ip: IPAddress) -> bool:
    """Default policy: only globally routable unicast addresses (IPv4-mapped IPv6 judged as IPv4)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
        or ip.is_unspecified
    )


def allow_all(ip: IPAddress) -> bool:
    """``--allow-private``: intranets and tests."""
    return True


def system_resolver(host: str, port: int) -> list[str]:
    """Every address of ``host`` from the system resolver, in its order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class AddressRefused(Exception):
    """Raised inside the connection when the policy refuses every address of a host."""

    def __init__(self, host: str, addresses: Sequence[str]) -> None:
        shown = host if list(addresses) == [host] else f"{host} → {', '.join(addresses)}"
        super().__init__(shown)
        self.host = host
        self.addresses = tuple(addresses)


class DnsFailure(Exception):
    """Raised inside the connection when the host name does not resolve."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"DNS lookup failed for host {host}: {reason}")
        self.host = host
        self.reason = reason


class _GuardedConnection:
    """Mixin for urllib3 connections: resolve, refuse by policy, connect to a checked address."""

    policy: AddressPolicy
    resolver: Resolver

    def _new_conn(self) -> socket.socket:
        conn: Any = self
        host, port = conn._dns_host, conn.port
        try:
            addresses = self.resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise DnsFailure(host, getattr(exc, "strerror", None) or str(exc)) from None
        allowed = [a for a in addresses if self.policy(ipaddress.ip_address(a.split("%")[0]))]
        if not allowed:
            raise AddressRefused(host, addresses)
        error: Exception = NewConnectionError(conn, f"Failed to establish a new connection to {host}")
        cause: OSError | None = None
        for address in allowed:
            try:
                return urllib3_connection.create_connection(
                    (address, port), conn.timeout, source_address=conn.source_address,
                    socket_options=conn.socket_options,
                )
            except TimeoutError as exc:
                cause = exc
                error = ConnectTimeoutError(conn, f"Connection to {host} timed out. (connect timeout={conn.timeout})")
            except OSError as exc:
                cause = exc
                error = NewConnectionError(conn, f"Failed to establish a new connection: {exc}")
        raise error from cause


class GuardedAdapter(HTTPAdapter):
    """An HTTPAdapter whose pools make guarded connections (see the module notes on safety)."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver, **kwargs: Any) -> None:
        self._policy = policy
        self._resolver = resolver
        super().__init__(**kwargs)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        attrs = {"policy": staticmethod(self._policy), "resolver": staticmethod(self._resolver)}
        http_conn = type("GuardedHTTPConnection", (_GuardedConnection, HTTPConnection), attrs)
        https_conn = type("GuardedHTTPSConnection", (_GuardedConnection, HTTPSConnection), attrs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
        }


def guarded_session(settings: Settings, policy: AddressPolicy, resolver: Resolver = system_resolver,
                    pools: int = 100) -> requests.Session:
    """A pooled session (pool size = concurrency) whose every connection obeys ``policy``."""
    session = requests.Session()
    session.trust_env = False
    session.headers.update({
        "User-Agent": settings.user_agent,
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
    })
    adapter = GuardedAdapter(policy, resolver, pool_connections=max(pools, settings.concurrency),
                             pool_maxsize=settings.concurrency, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


# URL forms -----------------------------------------------------------------------------------------------------
def request_urls(url: str) -> list[str] | str:
    """The URLs to try for a cited URL (bare hosts: https then http), or why it is skipped."""
    text = url.strip()
    m = _SCHEME.match(text)
    if m and m.group(1).lower() in ("http", "https"):
        return [text] if text.lower().startswith(f"{m.group(1).lower()}://") else "not a valid http(s) URL"
    if text.startswith("//"):
        return [f"https:{text}", f"http:{text}"]
    if _BARE_HOST.match(text):
        return [f"https://{text}", f"http://{text}"]
    if m:
        return f"not an http(s) URL ({m.group(1).lower()}:)"
    return "not a URL"


def host_of(url: str) -> str:
    first = request_urls(url)
    try:
        return (urlsplit(first[0]).hostname or "") if isinstance(first, list) else ""
    except ValueError:
        return ""


def _defrag(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(fragment="")) if parts.fragment else url


def parse_duration(text: str) -> timedelta:
    """``7d``, ``12h``, ``30m``, ``90s``, ``2w`` or ``0`` (a bare number is seconds)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text.lower())
    if not m:
        raise ValueError(f"not a duration: {text!r} (use e.g. 7d, 12h, 30m, 0)")
    unit = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[m.group(2)]
    return timedelta(seconds=float(m.group(1)) * unit)


def format_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


# page text -----------------------------------------------------------------------------------------------------
def _clean(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def page_title(text: str) -> str:
    m = _TITLE.search(text)
    return _clean(m.group(1)) if m else ""


def page_heading(text: str) -> str:
    m = _H1.search(text)
    return _clean(m.group(1)) if m else ""


def visible_text(text: str) -> str:
    return _clean(_INVISIBLE.sub(" ", text))


def normalise(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form for comparing a cited title with a page."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", stripped).split())


def title_found(title: str, page: str) -> bool:
    """Whether the cited title (or its main part, before a subtitle or quote) is on the page.

    Titles parsed from messy notes often carry the newspaper or a date after
    the real title, so the first substantial segment is enough: drift must
    not cry wolf.
    """
    text = normalise(f"{page_title(page)} {visible_text(page)}")
    wanted = normalise(html.unescape(title))
    if not wanted or wanted in text:
        return True
    for segment in re.split(r"[:.?!\"“”«»|–—]+|\s-\s", title):
        seg = normalise(segment)
        if len(seg) >= 8 or seg.count(" ") >= 1:
            return seg in text
    return False


def _decode(body: bytes, headers: Any) -> str:
    content_type = str(headers.get("content-type", ""))
    m = re.search(r"charset=[\"']?([\w-]+)", content_type, re.I) or _META_CHARSET.search(body[:2048])
    charset = m.group(1) if m else "utf-8"
    if isinstance(charset, bytes):
        charset = charset.decode("ascii", "replace")
    try:
        return body.decode(charset, "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz  # only hosts that answer 2xx to a made-up path need it

    ta, tb = normalise(visible_text(a))[:5000], normalise(visible_text(b))[:5000]
    if not ta and not tb:
        return normalise(page_title(a)) == normalise(page_title(b))
    return fuzz.ratio(ta, tb) >= 90


def _retry_after(headers: Any, now: float | None = None) -> float | None:
    value = str(headers.get("retry-after", "")).strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _phrase(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and everything it wraps (requests and urllib3 nest the real cause in args and ``reason``)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 20:
        e = todo.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        nested = [getattr(e, "reason", None), e.__cause__, e.__context__, *getattr(e, "args", ())]
        todo.extend(x for x in nested if isinstance(x, BaseException))


def failure_of(exc: BaseException, timeout: float) -> Failure:
    """Classify what requests/urllib3 raised: DNS → broken, refused address → skipped, timeouts, the rest error."""
    chain = list(_causes(exc))
    for e in chain:
        if isinstance(e, AddressRefused):
            return Failure(Verdict.SKIPPED, f"private address refused (use --allow-private): {e}")
        if isinstance(e, DnsFailure):
            return Failure(Verdict.BROKEN, f"DNS lookup failed for host {e.host} ({e.reason})", fallback=False)
    if any(isinstance(e, requests.ConnectTimeout) or (isinstance(e, ConnectTimeoutError)
                                                      and not isinstance(e, NewConnectionError)) for e in chain):
        return Failure(Verdict.TIMEOUT, f"no connection within {timeout:g} s (connect timeout)", retry=True)
    if any(isinstance(e, (requests.ReadTimeout, ReadTimeoutError, TimeoutError)) for e in chain):
        return Failure(Verdict.TIMEOUT, f"no answer within {timeout:g} s (read timeout)", retry=True)
    if any(isinstance(e, requests.exceptions.SSLError) for e in chain):
        return Failure(Verdict.ERROR, f"TLS error: {_short(exc)}", fallback=True)
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return Failure(Verdict.ERROR, "connection refused", retry=True, fallback=True)
    if any(isinstance(e, ConnectionResetError) for e in chain):
        return Failure(Verdict.ERROR, "connection reset by peer", retry=True)
    if any(isinstance(e, (requests.ConnectionError, ProtocolError, ConnectionError)) for e in chain):
        return Failure(Verdict.ERROR, f"connection failed: {_short(exc)}", retry=True)
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema, ValueError)):
        return Failure(Verdict.ERROR, f"invalid URL: {_short(exc)}")
    return Failure(Verdict.ERROR, f"{type(exc).__name__}: {_short(exc)}")


def _short(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_transient(check: UrlCheck) -> bool:
    """Never cached as final: timeouts, errors, rate limits and server errors."""
    return check.verdict in (Verdict.TIMEOUT, Verdict.ERROR) or check.status == 429 or (check.status or 0) >= 500


def _parse_time(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        value = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


# the checker -----------------------------------------------------------------------------------------------------
class Checker:
    """Checks URLs concurrently, politely and safely; ``run`` adds the store's cache and archive suggestions.

    ``policy`` decides which IP addresses may be connected to (default: public
    only, or all with ``allow_private``) and ``resolver`` maps host names to
    addresses: tests swap both to exercise redirects into refused space and
    host names without touching DNS.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        store: Any = None,
        session: requests.Session | None = None,
        policy: AddressPolicy | None = None,
        resolver: Resolver | None = None,
        archive_session: requests.Session | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.store = store
        self.policy = policy or (allow_all if self.settings.allow_private else public_only)
        self.resolver = resolver or system_resolver
        self._owned: list[requests.Session] = []
        if session is None:
            session = guarded_session(self.settings, self.policy, self.resolver)
            self._owned.append(session)
        if archive_session is None:
            archive_session = requests.Session()
            archive_session.trust_env = False
            archive_session.headers["User-Agent"] = self.settings.user_agent
            self._owned.append(archive_session)
        self.session = session
        self.archive_session = archive_session
        self._exclude = [re.compile(p) for p in self.settings.exclude]
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._not_before: dict[str, float] = {}
        self._probes: dict[str, _Probe] = {}
        self._stop = threading.Event()  # set on interrupt: queued work is cancelled, waits end at once

    def close(self) -> None:
        for session in self._owned:
            session.close()

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # one URL ---------------------------------------------------------------------------------------------------
    def skip_reason(self, url: str) -> str | None:
        for pattern in self._exclude:
            if pattern.search(url):
                return f"excluded by --exclude {pattern.pattern}"
        forms = request_urls(url)
        return forms if isinstance(forms, str) else None

    def check(self, url: str, title: str = "", checked_at: str | None = None) -> UrlCheck:
        """Check one URL now (no cache, no archive lookup); never raises."""
        stamp = checked_at or _iso(datetime.now(UTC))
        reason = self.skip_reason(url)
        if reason:
            return UrlCheck(url, Verdict.SKIPPED, message=reason, checked_at=stamp)
        candidates = request_urls(url)
        assert isinstance(candidates, list)
        deadline = _Deadline(self.settings.deadline)
        trace: Trace | None = None
        for i, candidate in enumerate(candidates):
            more = i + 1 < len(candidates)
            trace = self._follow(candidate, title, deadline, quick_fallback=more)
            if trace.failure and trace.failure.fallback and not trace.hops and more:
                continue
            break
        assert trace is not None
        return self._conclude(url, trace, title, stamp)

    def _follow(self, start: str, title: str, deadline: _Deadline, quick_fallback: bool = False,
                probing: bool = False) -> Trace:
        """Request ``start`` and follow redirects by hand, recording each hop."""
        want = min(self.settings.body_cap, self.settings.body_cap if title else SOFT_404_BYTES)
        url, hops = _defrag(start), []
        seen = {url: 0}
        last_cookie = -1
        while True:
            reply = self._fetch(url, deadline, want, quick_fallback and not hops, probing)
            if isinstance(reply, Failure):
                return Trace(start, url, tuple(hops), None, reply)
            location = reply.headers.get("location")
            if reply.status not in REDIRECT_STATUSES or not location:
                return Trace(start, url, tuple(hops), reply, None)
            if "set-cookie" in reply.headers:
                last_cookie = len(hops)
            target = _defrag(urljoin(url, str(location).strip()))
            hops.append(Redirect(reply.status, target))
            scheme = urlsplit(target).scheme.lower()
            if scheme not in ("http", "https"):
                return Trace(start, url, tuple(hops), None,
                             Failure(Verdict.SKIPPED, f"redirects to a non-HTTP URL: {target}"))
            if target in seen and last_cookie < seen[target]:
                path = " → ".join([start, *(h.url for h in hops)])
                return Trace(start, url, tuple(hops), None, Failure(Verdict.ERROR, f"redirect loop: {path}"))
            if len(hops) > self.settings.max_redirects:
                return Trace(start, url, tuple(hops), None,
                             Failure(Verdict.ERROR, f"too many redirects (more than {self.settings.max_redirects})"))
            seen[target] = len(hops)
            url = target

    def _fetch(self, url: str, deadline: _Deadline, want: int, quick_fallback: bool,
               probing: bool) -> Reply | Failure:
        """One hop: GET, or HEAD with GET fallback when the settings ask for HEAD."""
        if self.settings.method != "head" or want > SOFT_404_BYTES:
            return self._request("GET", url, deadline, want, quick_fallback, probing)
        reply = self._request("HEAD", url, deadline, 0, quick_fallback, probing)
        if isinstance(reply, Failure):
            if reply.verdict in (Verdict.BROKEN, Verdict.SKIPPED) or (reply.fallback and quick_fallback):
                return reply
        elif not (reply.status in HEAD_FALLBACK
                  or (200 <= reply.status < 300 and reply.content_type in TEXT_TYPES and want)):
            return reply
        return self._request("GET", url, deadline, want, quick_fallback, probing)

    def _request(self, method: str, url: str, deadline: _Deadline, want: int, quick_fallback: bool,
                 probing: bool) -> Reply | Failure:
        """Send with retries: timeouts, resets, 5xx and 429 (honouring Retry-After) back off exponentially."""
        s = self.settings
        retries = 0 if probing else s.retries
        host = urlsplit(url).hostname or ""
        attempt = 0
        while True:
            result = self._send(method, url, deadline, want)
            delay: float | None = None
            if isinstance(result, Failure):
                if not result.retry or (result.fallback and quick_fallback):
                    return result
            elif result.status == 429 or (result.status >= 500 and result.status != 501):
                if "challenge" in str(result.headers.get("cf-mitigated", "")).lower():
                    return replace(result, note="bot wall (challenge page)")
                delay = _retry_after(result.headers)
                if delay is not None and delay > s.max_retry_after:
                    return replace(result, retries=attempt, note=(
                        f"Retry-After {delay:g} s exceeds --max-retry-after {s.max_retry_after:g} s"))
                if delay is not None:
                    self._pause_host(host, delay)
            else:
                return replace(result, retries=attempt)
            if attempt >= retries:
                return replace(result, retries=attempt) if isinstance(result, Reply) else result
            wait = delay if delay is not None else s.backoff * (2 ** attempt)
            if wait >= deadline.remaining():
                if isinstance(result, Reply):
                    return replace(result, retries=attempt, note=f"no time left to wait {wait:g} s before retrying")
                return result
            if self._stop.wait(wait):
                return result
            attempt += 1

    def _send(self, method: str, url: str, deadline: _Deadline, want: int) -> Reply | Failure:
        """One request through the host's gate; reads at most ``want`` bytes of a 2xx text body."""
        host = urlsplit(url).hostname or ""
        with self.slot(host):
            if self._stop.is_set():
                return Failure(Verdict.ERROR, "interrupted")
            deadline.start()
            remaining = deadline.remaining()
            if remaining <= 0:
                return Failure(Verdict.TIMEOUT, f"gave up after the {deadline.total:g} s deadline")
            timeout = min(self.settings.timeout, remaining)
            try:
                resp = self.session.send(self._prepare(method, url), stream=True, allow_redirects=False,
                                         timeout=(timeout, timeout), verify=self.session.verify, proxies={})
            except Exception as exc:  # requests raises a wide tree; every branch becomes a value
                return failure_of(exc, timeout)
            try:
                ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                if want and method != "HEAD" and 200 <= resp.status_code < 300 and ctype in TEXT_TYPES:
                    body, complete = self._read(resp, want, deadline)
                    text = _decode(body, resp.headers) if body or complete else None
                    return Reply(url, resp.status_code, resp.headers, text, not complete)
                self._read(resp, DRAIN_BYTES, deadline)  # small bodies (and HEAD): keep the connection alive
                return Reply(url, resp.status_code, resp.headers)
            finally:
                resp.close()

    def _prepare(self, method: str, url: str) -> requests.PreparedRequest:
        """The request ``Session.request`` would build, without its per-call merging of settings.

        That merging (environment, proxies, hooks, auth) is a quarter of the CPU
        a check costs, and under the GIL CPU per request is what keeps a run of
        thousands of URLs from reaching the latency bound. Headers and cookies
        of the session are still sent.
        """
        prepared = requests.PreparedRequest()
        prepared.prepare(method=method, url=url, headers=self.session.headers, cookies=self.session.cookies)
        return prepared

    def _read(self, resp: requests.Response, limit: int, deadline: _Deadline) -> tuple[bytes, bool]:
        """Up to ``limit`` decoded bytes of the body; True when the body ended (connection reusable)."""
        raw = resp.raw
        read = getattr(raw, "read1", None) or raw.read
        chunks: list[bytes] = []
        total = 0
        try:
            while total < limit and deadline.remaining() > 0:
                data = read(min(64 * KIB, limit - total), decode_content=True)
                if not data:
                    raw.release_conn()
                    return b"".join(chunks), True
                chunks.append(data)
                total += len(data)
        except Exception:  # a body cut short still tells what it began with
            return b"".join(chunks), False
        return b"".join(chunks), False

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """The per-host gate: at most ``per_host`` requests at once, ``min_interval`` apart, after any pause."""
        with self._lock:
            sem = self._slots.get(host)
            if sem is None:
                sem = self._slots[host] = threading.BoundedSemaphore(self.settings.per_host)
        with sem:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._not_before.get(host, 0.0))
                if self.settings.min_interval > 0:
                    self._not_before[host] = start + self.settings.min_interval
            if start > now:
                self._stop.wait(start - now)
            yield

    def _pause_host(self, host: str, seconds: float) -> None:
        with self._lock:
            until = time.monotonic() + seconds
            self._not_before[host] = max(self._not_before.get(host, 0.0), until)

    # verdicts ---------------------------------------------------------------------------------------------------
    def _conclude(self, url: str, trace: Trace, title: str, stamp: str) -> UrlCheck:
        base = UrlCheck(url, Verdict.ERROR, None, trace.url, "", None, stamp, trace.hops)
        after = f" (after redirect to {trace.url})" if trace.hops else ""
        if trace.failure is not None:
            return replace(base, verdict=trace.failure.verdict, message=trace.failure.message + after)
        reply = trace.reply
        assert reply is not None
        status = reply.status
        base = replace(base, status=status)
        if 200 <= status < 300:
            soft = self._soft_404(trace, reply)
            if soft:
                return replace(base, verdict=Verdict.SOFT_404, message=soft)
            if title and reply.text is not None and not title_found(title, reply.text):
                scope = " (in the first part read)" if reply.truncated else ""
                return replace(base, verdict=Verdict.DRIFTED,
                               message=f"cited title not found on the page{scope}: {_quote(title)}")
            if trace.hops and trace.hops[0].status in PERMANENT_REDIRECTS:
                moved = trace.hops[0].url
                for hop in trace.hops[1:]:
                    if hop.status not in PERMANENT_REDIRECTS:
                        break
                    moved = hop.url
                return replace(base, verdict=Verdict.REDIRECTED, message=f"moved permanently to {moved}")
            return replace(base, verdict=Verdict.OK, message=f"temporary redirect to {trace.url}" if trace.hops else "")
        retried = f" after {reply.retries} retr{'y' if reply.retries == 1 else 'ies'}" if reply.retries else ""
        note = f"; {reply.note}" if reply.note else ""
        if status in (404, 410):
            return replace(base, verdict=Verdict.BROKEN, message=_phrase(status) + after)
        if status == 429:
            return replace(base, verdict=Verdict.BLOCKED, message=f"rate limited ({_phrase(status)}){retried}{note}")
        if status in BLOCKED_STATUSES or reply.note.startswith("bot wall"):
            return replace(base, verdict=Verdict.BLOCKED,
                           message=f"{_phrase(status)}: the site refuses automated checks (unverified, not dead)"
                                   f"{note}{after}")
        if status >= 500:
            return replace(base, verdict=Verdict.ERROR, message=f"server error {_phrase(status)}{retried}{note}{after}")
        if status in REDIRECT_STATUSES:
            return replace(base, verdict=Verdict.ERROR, message=f"{_phrase(status)} without a Location header")
        return replace(base, verdict=Verdict.ERROR, message=_phrase(status) + after)

    def _soft_404(self, trace: Trace, reply: Reply) -> str | None:
        start_path = urlsplit(trace.start).path
        final = urlsplit(reply.url)
        if trace.hops:
            if final.path in ("", "/") and not _ROOTISH.match(start_path):
                return f"redirects to the site root ({reply.url})"
            if _NOT_FOUND_PATH.search(final.path) and not _NOT_FOUND_PATH.search(start_path):
                return f"redirects to a not-found page ({reply.url})"
        if reply.text is None:
            return None
        for label, value in (("title", page_title(reply.text)), ("heading", page_heading(reply.text))):
            if value and _NOT_FOUND_TEXT.search(value):
                return f"page {label} says {_quote(value)}"
        visible = visible_text(reply.text)
        if len(visible) < 600 and (m := _NOT_FOUND_PHRASE.search(visible)):
            return f"short page says {_quote(m.group(0))}"
        if not self.settings.probe:
            return None
        probe = self._probe(final.scheme, final.netloc)
        if probe is None or not 200 <= probe.status < 300 or probe.text is None:
            return None
        if probe.url == reply.url or _similar(probe.text, reply.text):
            return "the host answers 2xx to any path, and this page looks like its answer to a made-up path"
        return None

    def _probe(self, scheme: str, netloc: str) -> Reply | None:
        """The host's answer to a made-up path (once per host and run; concurrent askers wait for it)."""
        key = f"{scheme}://{netloc}"
        with self._lock:
            probe = self._probes.get(key)
            owner = probe is None
            if probe is None:
                probe = self._probes[key] = _Probe()
        if not owner:
            probe.done.wait()
            return probe.reply
        try:
            trace = self._follow(f"{key}/biblio-probe-{secrets.token_hex(8)}", "", _Deadline(self.settings.deadline),
                                 probing=True)
            probe.reply = trace.reply
        finally:
            probe.done.set()
        return probe.reply

    # a run: cache, concurrency, archive, store ----------------------------------------------------------------
    def run(self, targets: Iterable[Target], now: datetime | None = None,
            progress: Progress | None = None) -> list[UrlResult]:
        """Check every target (deduplicated by URL), reusing fresh stored verdicts; results in target order."""
        now = now or datetime.now(UTC)
        stamp = _iso(now)
        merged = merge_targets(targets)
        stored = self.store.url_checks() if self.store is not None else {}
        lookups = self.store.archive_lookups() if self.store is not None else {}
        results: dict[str, UrlResult] = {}
        todo: list[Target] = []
        archive_only: list[tuple[Target, tuple[UrlCheck, str | None, int]]] = []
        for t in merged:
            reason = self.skip_reason(t.url)
            row = stored.get(t.url)
            if reason:
                results[t.url] = UrlResult(t, UrlCheck(t.url, Verdict.SKIPPED, message=reason, checked_at=stamp), True)
            elif row is not None and self._fresh(row, now):
                if self.settings.archive and row[0].verdict in ARCHIVE_VERDICTS and not row[0].archive_url:
                    archive_only.append((t, row))
                    continue
                results[t.url] = self._result(t, row, cached=True)
            else:
                todo.append(t)
                continue
            if progress:
                progress(results[t.url])
        saves: list[tuple[UrlCheck, str | None, int]] = []
        new_lookups: list[tuple[str, str, str | None, str]] = []
        jobs = len(todo) + len(archive_only)
        pool = ThreadPoolExecutor(max_workers=max(1, min(self.settings.concurrency, jobs)),
                                  thread_name_prefix="biblio-url")
        try:
            futures: dict[Future[tuple[UrlCheck, tuple[str, str, str | None, str] | None]],
                          tuple[Target, tuple[UrlCheck, str | None, int] | None, bool]] = {}
            for t, row in archive_only:
                futures[pool.submit(self._archive_job, t, row[0], lookups, now)] = (t, row, True)
            for t in interleave(todo):
                futures[pool.submit(self._check_job, t, stamp, lookups, now)] = (t, stored.get(t.url), False)
            for fut in as_completed(futures):
                t, prev, cached = futures[fut]
                check, lookup = fut.result()
                if lookup is not None:
                    new_lookups.append(lookup)
                if cached and prev is not None:
                    row = (check, prev[1], prev[2])
                else:
                    row = self._next_row(check, prev)
                if check.verdict is not Verdict.SKIPPED:
                    saves.append(row)
                results[t.url] = self._result(t, row, cached=cached)
                if progress:
                    progress(results[t.url])
                if len(saves) >= 100:
                    self._save(saves, new_lookups)
        except BaseException:
            self._stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            self._save(saves, new_lookups)
        pool.shutdown()
        return [results[t.url] for t in merged]

    def _check_job(self, t: Target, stamp: str, lookups: dict[tuple[str, str], tuple[str | None, str]],
                   now: datetime) -> tuple[UrlCheck, tuple[str, str, str | None, str] | None]:
        try:
            check = self.check(t.url, t.title, stamp)
        except Exception as exc:  # a bug in one check must not cost the others their results
            check = UrlCheck(t.url, Verdict.ERROR, message=f"internal error: {type(exc).__name__}: {_short(exc)}",
                             checked_at=stamp)
        return self._archive_job(t, check, lookups, now)

    def _archive_job(self, t: Target, check: UrlCheck, lookups: dict[tuple[str, str], tuple[str | None, str]],
                     now: datetime) -> tuple[UrlCheck, tuple[str, str, str | None, str] | None]:
        if not self.settings.archive or check.verdict not in ARCHIVE_VERDICTS:
            return check, None
        key = (t.url, t.timestamp)
        cached = lookups.get(key)
        asked = _parse_time(cached[1]) if cached else None
        if cached and (cached[0] or (asked and now - asked < self.settings.max_age)):
            return replace(check, archive_url=cached[0]), None
        url = request_urls(t.url)
        answer = wayback.lookup(self.archive_session, self.settings.archive_api,
                                url[0] if isinstance(url, list) else t.url, t.timestamp, self.settings.timeout,
                                slot=self.slot)
        if not answer.answered:
            return check, None
        return replace(check, archive_url=answer.archive_url), (t.url, t.timestamp, answer.archive_url, _iso(now))

    def _save(self, saves: list[tuple[UrlCheck, str | None, int]],
              lookups: list[tuple[str, str, str | None, str]]) -> None:
        if self.store is not None:
            if saves:
                self.store.save_url_checks(saves)
            if lookups:
                self.store.save_archive_lookups(lookups)
        saves.clear()
        lookups.clear()

    def _fresh(self, row: tuple[UrlCheck, str | None, int], now: datetime) -> bool:
        check, first_failed, _ = row
        checked = _parse_time(check.checked_at)
        if is_transient(check) or checked is None or now - checked >= self.settings.max_age:
            return False
        if check.verdict is Verdict.BROKEN and not self._confirmed(row):
            first = _parse_time(first_failed)
            return first is None or now - first < self.settings.dead_after
        return True

    def _confirmed(self, row: tuple[UrlCheck, str | None, int]) -> bool:
        check, first_failed, failures = row
        if check.verdict is Verdict.BROKEN:
            if self.settings.dead_after <= timedelta(0):
                return True
            first, last = _parse_time(first_failed), _parse_time(check.checked_at)
            return failures >= 2 and first is not None and last is not None and last - first >= self.settings.dead_after
        return not is_transient(check)

    def _next_row(self, check: UrlCheck,
                  prev: tuple[UrlCheck, str | None, int] | None) -> tuple[UrlCheck, str | None, int]:
        """Carry the failure history: broken counts up, transient leaves it alone, anything else clears it."""
        if check.verdict is Verdict.BROKEN:
            if prev is not None and prev[1]:
                return check, prev[1], prev[2] + 1
            return check, check.checked_at, 1
        if is_transient(check) and prev is not None:
            return check, prev[1], prev[2]
        return check, None, 0

    def _result(self, t: Target, row: tuple[UrlCheck, str | None, int], cached: bool) -> UrlResult:
        check, first_failed, _ = row
        confirmed = self._confirmed(row)
        if check.verdict is Verdict.BROKEN and not confirmed:
            note = f"unconfirmed (first failure at {first_failed}; dead once it still fails " \
                   f"{format_duration(self.settings.dead_after)} later)"
            check = replace(check, message=f"{check.message} — {note}" if check.message else note)
        return UrlResult(t, check, confirmed, cached)


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


# targets ------------------------------------------------------------------------------------------------------------
def merge_targets(targets: Iterable[Target]) -> list[Target]:
    """One target per URL, in first-seen order, with every place and the first known title and timestamp."""
    merged: dict[str, Target] = {}
    for t in targets:
        url = t.url.strip()
        old = merged.get(url)
        if old is None:
            merged[url] = replace(t, url=url, places=tuple(dict.fromkeys(t.places)))
            continue
        merged[url] = Target(url, old.title or t.title, old.timestamp or t.timestamp,
                             tuple(dict.fromkeys((*old.places, *t.places))))
    return list(merged.values())


def interleave(targets: Sequence[Target]) -> list[Target]:
    """Round-robin over hosts so the pool's workers spread over hosts instead of queueing on one."""
    groups: dict[str, deque[Target]] = defaultdict(deque)
    for t in targets:
        groups[host_of(t.url)].append(t)
    out: list[Target] = []
    while groups:
        for host in list(groups):
            out.append(groups[host].popleft())
            if not groups[host]:
                del groups[host]
    return out


def store_targets(store: Any) -> list[Target]:
    """Every URL the store knows: works' ``URL`` (cited title, access date) and bare URL citations."""
    citations = store.citations()
    by_work: dict[str, list[Any]] = defaultdict(list)
    for c in citations:
        if c.work:
            by_work[c.work].append(c)
    targets: list[Target] = []
    for w in store.works():
        if not w.reference.URL:
            continue
        cites = by_work.get(w.key, [])
        when = next((s for s in (wayback.timestamp(c.raw, None) for c in cites) if s), "")
        targets.append(Target(w.reference.URL, w.reference.title, when or wayback.timestamp(None, w.reference),
                              tuple(Place(c.display, c.note_line or c.line) for c in cites)))
    for c in citations:
        if c.kind == "url" and c.raw:
            targets.append(Target(c.raw, "", "", (Place(c.display, c.line),)))
    return merge_targets(targets)


def document_targets(items: Iterable[Any]) -> tuple[list[Target], list[Finding]]:
    """URLs in analysed documents (``pipeline.analyse_paths``): url citations and parsed references' URL."""
    targets: list[Target] = []
    findings: list[Finding] = []
    for item in items:
        if isinstance(item, Finding):
            findings.append(item)
            continue
        path = item.document.path
        for c, ref in item.citations:
            place = Place(path, c.note_line or c.line)
            if c.kind == "url" and c.raw:
                targets.append(Target(c.raw, "", "", (place,)))
            elif isinstance(ref, Reference) and ref.URL:
                targets.append(Target(ref.URL, ref.title, wayback.timestamp(c.raw, ref), (place,)))
    return merge_targets(targets), findings


# reports -------------------------------------------------------------------------------------------------------------
def exit_code(results: Iterable[UrlResult]) -> int:
    """1 when anything is broken (confirmed or not); soft-404, drifted and the rest only inform."""
    return 1 if any(r.check.verdict is Verdict.BROKEN for r in results) else 0


def _where(r: UrlResult) -> str:
    if not r.target.places:
        return "-"
    first = r.target.places[0]
    more = f" (+{len(r.target.places) - 1} more)" if len(r.target.places) > 1 else ""
    return f"{first.document}:{first.line}{more}"


def summary(results: Sequence[UrlResult]) -> str:
    """Counts by verdict (unconfirmed broken and cached noted), then by host."""
    counts = Counter(r.check.verdict for r in results)
    parts = []
    for verdict in Verdict:
        if counts[verdict]:
            extra = ""
            if verdict is Verdict.BROKEN:
                unconfirmed = sum(1 for r in results if r.check.verdict is verdict and not r.confirmed)
                extra = f" ({unconfirmed} unconfirmed)" if unconfirmed else ""
            parts.append(f"{counts[verdict]} {verdict.value}{extra}")
    cached = sum(1 for r in results if r.cached)
    lines = [f"{len(results)} URL(s): {', '.join(parts) or 'none'}" + (f"; {cached} from cache" if cached else "")]
    by_host: dict[str, Counter[Verdict]] = defaultdict(Counter)
    for r in results:
        by_host[host_of(r.check.url) or "(no host)"][r.check.verdict] += 1
    if by_host:
        lines.append("by host:")
        for host, c in sorted(by_host.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
            detail = ", ".join(f"{c[v]} {v.value}" for v in Verdict if c[v])
            lines.append(f"  {host}: {sum(c.values())} ({detail})")
    return "\n".join(lines)


def to_text(results: Sequence[UrlResult]) -> str:
    """``doc:line: verdict: url [status] message`` for everything not ok, then the summary."""
    lines = []
    for r in results:
        c = r.check
        if c.verdict is Verdict.OK:
            continue
        status = f" [{c.status}]" if c.status is not None else ""
        lines.append(f"{_where(r)}: {c.verdict.value}: {c.url}{status} {c.message}".rstrip())
        if c.archive_url:
            lines.append(f"    archived: {c.archive_url}")
    lines.append(summary(results))
    return "\n".join(lines) + "\n"


def to_json(results: Sequence[UrlResult]) -> str:
    return json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2) + "\n"


def to_markdown(results: Sequence[UrlResult]) -> str:
    def cell(value: object) -> str:
        return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")

    rows = ["| Verdict | URL | Status | Cited at | Message | Archived copy |", "|---|---|---|---|---|---|"]
    for r in results:
        c = r.check
        places = "<br>".join(f"{p.document}:{p.line}" for p in r.target.places) or "-"
        rows.append(f"| {cell(c.verdict.value)} | {cell(c.url)} | {cell(c.status)} | {cell(places)} | "
                    f"{cell(c.message)} | {cell(c.archive_url)} |")
    return "# URL check\n\n" + "\n".join(rows) + "\n\n" + "\n".join(
        f"{line}  " if line else line for line in summary(results).splitlines()) + "\n"


def to_junit(results: Sequence[UrlResult]) -> str:
    """JUnit XML for CI: broken/soft-404/drifted fail, timeout/error are errors, skipped/blocked are skipped."""
    failures = {Verdict.BROKEN, Verdict.SOFT_404, Verdict.DRIFTED}
    errors = {Verdict.TIMEOUT, Verdict.ERROR}
    skipped = {Verdict.SKIPPED, Verdict.BLOCKED}
    counts = {
        "tests": str(len(results)),
        "failures": str(sum(1 for r in results if r.check.verdict in failures)),
        "errors": str(sum(1 for r in results if r.check.verdict in errors)),
        "skipped": str(sum(1 for r in results if r.check.verdict in skipped)),
    }
    root = ET.Element("testsuites", {"name": "biblio check-urls", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "check-urls", **counts})
    for r in results:
        c = r.check
        attrs = {"classname": r.target.places[0].document if r.target.places else "urls", "name": c.url}
        if r.target.places:
            attrs.update(file=r.target.places[0].document, line=str(r.target.places[0].line))
        case = ET.SubElement(suite, "testcase", attrs)
        detail = "\n".join(filter(None, [f"status: {c.status}" if c.status is not None else "",
                                         f"final URL: {c.final_url}" if c.final_url else "",
                                         f"archived: {c.archive_url}" if c.archive_url else "",
                                         "cited at: " + ", ".join(f"{p.document}:{p.line}" for p in r.target.places)]))
        if c.verdict in failures:
            ET.SubElement(case, "failure", {"type": c.verdict.value, "message": c.message}).text = detail
        elif c.verdict in errors:
            ET.SubElement(case, "error", {"type": c.verdict.value, "message": c.message}).text = detail
        elif c.verdict in skipped:
            ET.SubElement(case, "skipped", {"message": f"{c.verdict.value}: {c.message}"})
        elif c.message:
            ET.SubElement(case, "system-out").text = f"{c.verdict.value}: {c.message}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


FORMATTERS: dict[str, Callable[[Sequence[UrlResult]], str]] = {
    "text": to_text,
    "json": to_json,
    "markdown": to_markdown,
    "junit": to_junit,
}
