"""Frozen records that pass between the pipeline stages.

Every stage takes and returns these values and nothing else, so a stage can be
tested on its own and the store only has to know how to save them.  Field names
of `Reference` follow CSL variables (``container-title`` becomes
``container_title``) so CSL-JSON and CSL rendering are direct mappings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much a finding matters; ``error`` makes ``check`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """Something a user must look at, located in the original file (1-based)."""

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str

    def as_text(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity.value}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class Passage:
    """A sentence of a document, with the 1-based line where it starts."""

    index: int
    line: int
    text: str
    offset: int = 0


@dataclass(frozen=True)
class Marker:
    """A footnote callout in the running text (``Bazargan.1``)."""

    number: int
    line: int
    column: int
    offset: int
    block: int
    passage: int | None = None
    label: str = ""  # what the writer wrote when it is not the number (Markdown ``[^exile]``)

    @property
    def shown(self) -> str:
        return f"[^{self.label}]" if self.label else str(self.number)


@dataclass(frozen=True)
class Note:
    """A footnote definition line (``1 Mohaddessin, Mohammad. (2004)…``)."""

    number: int
    line: int
    column: int
    text: str
    style: str
    block: int
    label: str = ""  # what the writer wrote when it is not the number (Markdown ``[^exile]:``)

    @property
    def shown(self) -> str:
        return f"[^{self.label}]" if self.label else str(self.number)


@dataclass(frozen=True)
class RawCitation:
    """A place in a document that cites something, before parsing/resolution.

    ``kind`` is ``footnote``, ``ref``, ``sfn``, ``url``, ``doi``, ``isbn``,
    ``key`` (pandoc/LaTeX citation key), ``narrative``, ``parenthetical``…
    A reader that already knows the fields (a ``{{cite book}}`` template) puts
    them in ``reference``; otherwise ``raw`` is parsed. ``key`` names a .bib
    entry directly; ``locator`` is the page/section cited.
    """

    kind: str
    line: int
    column: int
    marker: str | None
    raw: str | None
    note_line: int | None
    passage: int | None
    block: int | None = None
    reference: Reference | None = None
    locator: str = ""
    key: str | None = None
    note_column: int | None = None


@dataclass(frozen=True)
class Document:
    """What a reader made of one file: its sentences, citations and problems."""

    path: str
    name: str
    format: str
    sha256: str
    size: int
    passages: tuple[Passage, ...]
    citations: tuple[RawCitation, ...]
    markers: tuple[Marker, ...] = ()
    notes: tuple[Note, ...] = ()
    findings: tuple[Finding, ...] = ()
    text: str = ""
    skip_lines: frozenset[int] = frozenset()
    find_identifiers: bool = True


@dataclass(frozen=True)
class Name:
    """A personal name (family/given/particle/suffix) or a corporate ``literal``."""

    family: str = ""
    given: str = ""
    particle: str = ""
    suffix: str = ""
    literal: str = ""

    def as_csl(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        out = {"family": self.family}
        if self.given:
            out["given"] = self.given
        if self.particle:
            out["non-dropping-particle"] = self.particle
        if self.suffix:
            out["suffix"] = self.suffix
        return out

    @property
    def sort_name(self) -> str:
        return self.literal or self.family


@dataclass(frozen=True)
class DateValue:
    """A CSL date: one or two ``(year, month, day)`` parts, zeros for unknown."""

    parts: tuple[tuple[int, ...], ...] = ()
    raw: str = ""

    @property
    def year(self) -> int | None:
        return self.parts[0][0] if self.parts else None

    def as_csl(self) -> dict[str, Any]:
        if self.parts:
            return {"date-parts": [list(p) for p in self.parts]}
        return {"literal": self.raw}


# Reference attributes that hold plain strings, in CSL order; the CSL name is
# the attribute name with "_" replaced by "-" (URL, DOI and ISBN keep case).
TEXT_FIELDS = (
    "title",
    "container_title",
    "collection_title",
    "publisher",
    "publisher_place",
    "volume",
    "issue",
    "page",
    "edition",
    "genre",
    "note",
    "URL",
    "DOI",
    "ISBN",
)


@dataclass(frozen=True)
class Reference:
    """A parsed bibliographic record; ``locator`` belongs to the citation only."""

    type: str = "document"
    title: str = ""
    author: tuple[Name, ...] = ()
    editor: tuple[Name, ...] = ()
    translator: tuple[Name, ...] = ()
    issued: DateValue | None = None
    container_title: str = ""
    collection_title: str = ""
    publisher: str = ""
    publisher_place: str = ""
    volume: str = ""
    issue: str = ""
    page: str = ""
    edition: str = ""
    genre: str = ""
    note: str = ""
    URL: str = ""
    DOI: str = ""
    ISBN: str = ""
    locator: str = ""

    @property
    def year(self) -> int | None:
        return self.issued.year if self.issued else None

    def without_locator(self) -> Reference:
        return self.with_locator("")

    def with_locator(self, locator: str) -> Reference:
        """The same record cited at another place. A plain copy of the fields: this runs
        once per citation, and ``dataclasses.replace`` re-validates every field."""
        if self.locator == locator:
            return self
        new = object.__new__(Reference)
        new.__dict__.update(self.__dict__)
        object.__setattr__(new, "locator", locator)
        return new

    def as_csl(self, key: str | None = None) -> dict[str, Any]:
        """CSL-JSON item (without the locator, which is not part of a work)."""
        out: dict[str, Any] = {}
        if key is not None:
            out["id"] = key
        out["type"] = self.type
        for role in ("author", "editor", "translator"):
            names = getattr(self, role)
            if names:
                out[role] = [n.as_csl() for n in names]
        if self.issued:
            out["issued"] = self.issued.as_csl()
        for name in TEXT_FIELDS:
            value = getattr(self, name)
            if value:
                out[csl_name(name)] = value
        return out


def csl_name(attribute: str) -> str:
    """``container_title`` -> ``container-title``."""
    return attribute.replace("_", "-")


def reference_to_json(ref: Reference) -> dict[str, Any]:
    """Lossless JSON for the store (unlike ``as_csl`` it keeps the locator)."""
    data = ref.as_csl()
    if ref.issued and ref.issued.raw:
        data.setdefault("issued", {})["raw"] = ref.issued.raw
    if ref.locator:
        data["locator"] = ref.locator
    return data


def reference_from_json(data: dict[str, Any]) -> Reference:
    """Inverse of :func:`reference_to_json` (also reads plain CSL-JSON)."""
    kwargs: dict[str, Any] = {"type": data.get("type", "document")}
    for role in ("author", "editor", "translator"):
        if data.get(role):
            kwargs[role] = tuple(
                Name(
                    family=n.get("family", ""),
                    given=n.get("given", ""),
                    particle=n.get("non-dropping-particle", n.get("dropping-particle", "")),
                    suffix=n.get("suffix", ""),
                    literal=n.get("literal", ""),
                )
                for n in data[role]
            )
    issued = data.get("issued")
    if issued:
        parts = tuple(tuple(int(x) for x in p) for p in issued.get("date-parts", []))
        kwargs["issued"] = DateValue(parts=parts, raw=issued.get("raw", issued.get("literal", "")))
    for f in fields(Reference):
        if f.name in TEXT_FIELDS:
            value = data.get(csl_name(f.name))
            if value:
                kwargs[f.name] = str(value)
    if data.get("locator"):
        kwargs["locator"] = data["locator"]
    return Reference(**kwargs)


@dataclass(frozen=True)
class Work:
    """One cited work with its stable key; ``curated`` when it comes from the .bib."""

    key: str
    reference: Reference
    curated: bool = False
    citation_count: int = 0

    @property
    def incomplete(self) -> bool:
        return not self.reference.title or self.reference.issued is None


@dataclass(frozen=True)
class BuildReport:
    """What one ``build`` did, for the CLI summary and tests."""

    documents_read: int = 0
    documents_skipped: int = 0
    citations: int = 0
    works: int = 0
    new_bib_entries: int = 0
    bib_written: bool = False
    findings: tuple[Finding, ...] = field(default_factory=tuple)


class Verdict(StrEnum):
    """What a URL check concluded; ``blocked`` means unverified, not dead."""

    OK = "ok"
    REDIRECTED = "redirected"
    BROKEN = "broken"
    BLOCKED = "blocked"
    TIMEOUT = "timeout"
    ERROR = "error"
    SOFT_404 = "soft-404"
    DRIFTED = "drifted"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Redirect:
    """One hop of a redirect chain: the status that sent us on and where to."""

    status: int
    url: str


@dataclass(frozen=True)
class UrlCheck:
    """The outcome of checking one URL; a failed check is a value like any other."""

    url: str
    verdict: Verdict
    status: int | None = None
    final_url: str | None = None
    message: str = ""
    archive_url: str | None = None
    checked_at: str = ""
    redirects: tuple[Redirect, ...] = ()
