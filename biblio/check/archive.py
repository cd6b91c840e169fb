"""Wayback Machine suggestions for cited pages that are gone or changed.

A broken, drifted or soft-404 link is only half a report: the reader needs the
page as the author saw it. The Wayback Machine's availability API answers with
the snapshot closest to a timestamp, so we ask for the one nearest the date the
citation says the page was accessed (``accessed 5 June 2010``, ``retrieved …``)
or, failing that, the cited work's own date; with neither, the API picks the
latest. The API base URL is a setting so tests can point it at a fake server.

A lookup that could not be made (network, bad JSON) is a value with
``answered=False``: it is not cached, unlike an answer that there is no
snapshot, which is kept for ``--max-age`` like any other verdict.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import requests

from biblio.model import DateValue, Reference
from biblio.parse import dates

DEFAULT_API = "https://archive.org/wayback/available"
# "accessed 5 June 2010", "Retrieved March 3, 2019", "last visited on 2019-03-03", "consulté le 3 mars 2019"
_ACCESSED = re.compile(r"\b(?:accessed|retrieved|viewed|visited|consulted|consulté)\b(?:\s+(?:on|le))?[\s:,]*", re.I)


@dataclass(frozen=True)
class Lookup:
    """What the availability API said: a snapshot URL or None; ``answered`` False when it could not be asked."""

    archive_url: str | None
    answered: bool
    message: str = ""


def timestamp(raw: str | None, reference: Reference | None) -> str:
    """Wayback timestamp (``YYYY``, ``YYYYMM`` or ``YYYYMMDD``) of the access date, else the work's date, else ''."""
    if raw:
        for m in _ACCESSED.finditer(raw):
            found = dates.find(raw[m.end(): m.end() + 40], last=False)
            if found:
                return _stamp(found[0])
    if reference is not None and reference.issued is not None:
        return _stamp(reference.issued)
    return ""


def _stamp(value: DateValue) -> str:
    if not value.parts:
        return ""
    year, month, day = (*value.parts[0], 0, 0)[:3]
    if not 1 <= month <= 12:  # seasons are coded 21-24 in CSL
        return f"{year:04d}"
    return f"{year:04d}{month:02d}{day:02d}" if day else f"{year:04d}{month:02d}"


def lookup(
    session: requests.Session,
    api: str,
    url: str,
    when: str = "",
    timeout: float = 10.0,
    slot: Callable[[str], AbstractContextManager[None]] | None = None,
) -> Lookup:
    """Ask ``api`` for the snapshot of ``url`` closest to ``when``; never raises.

    ``slot(host)`` is the checker's per-host gate, so archive.org gets the same
    politeness (per-host limit, minimum interval) as every other host.
    """
    params = {"url": url}
    if when:
        params["timestamp"] = when
    host = urlsplit(api).hostname or ""
    try:
        with slot(host) if slot else nullcontext():
            resp = session.get(api, params=params, timeout=(timeout, timeout))
        if resp.status_code != 200:
            return Lookup(None, False, f"archive lookup failed: HTTP {resp.status_code}")
        data = resp.json()
    except (requests.RequestException, ValueError) as exc:
        return Lookup(None, False, f"archive lookup failed: {type(exc).__name__}")
    closest = (data.get("archived_snapshots") or {}).get("closest") if isinstance(data, dict) else None
    if not isinstance(closest, dict) or not closest.get("available") or not closest.get("url"):
        return Lookup(None, True, "no snapshot in the Wayback Machine")
    return Lookup(_https(str(closest["url"])), True)


def _https(url: str) -> str:
    """The API answers ``http://web.archive.org/…``; the same snapshot is served over https."""
    parts = urlsplit(url)
    if parts.scheme == "http" and parts.hostname == "web.archive.org":
        return urlunsplit(parts._replace(scheme="https"))
    return url

