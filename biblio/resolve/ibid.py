"""``Ibid.``, ``Id.`` and ``op. cit.`` point back at earlier notes.

``Ibid.`` (with or without a new locator) means the previous note's work;
``Smith, op. cit.`` means the latest work by Smith. They are resolved in note
order within one document; one that points at nothing is a finding, never a
guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from biblio.model import Finding, Reference, Severity
from biblio.parse.reference import split_locator
from biblio.resolve.works import main_title, norm_title

_IBID = re.compile(r"^(?:ibid(?:em)?|id)\s*\.?\s*(?:[,;:.]\s*|\s+)?(?P<rest>.*)$", re.I)
_OP_CIT = re.compile(
    r"^(?P<author>[^,]{2,80}?),?\s+(?:op\.?\s*cit|loc\.?\s*cit)\.?\s*(?:[,;:.]\s*)?(?P<rest>.*)$", re.I
)


@dataclass(frozen=True)
class BackReference:
    """A note that only points back: ``ibid`` or ``op-cit`` (with an author)."""

    kind: str
    locator: str = ""
    author: str = ""


def classify(text: str) -> BackReference | None:
    """Recognise ``Ibid., p. 4`` / ``Id.`` / ``Abrahamian, op. cit., p. 12``."""
    text = " ".join(text.split())
    m = _IBID.match(text)
    if m and _is_ibid_word(text):
        rest = m.group("rest").strip().rstrip(".")
        locator = split_locator(", " + rest)[1] if rest else ""
        return BackReference("ibid", locator or rest)
    m = _OP_CIT.match(text)
    if m:
        rest = m.group("rest").strip().rstrip(".")
        locator = split_locator(", " + rest)[1] if rest else ""
        return BackReference("op-cit", locator or rest, m.group("author").strip())
    return None


def _is_ibid_word(text: str) -> bool:
    word = re.match(r"[A-Za-z]+", text)
    return bool(word) and word.group(0).lower() in {"ibid", "ibidem", "id"} and (
        word.group(0).lower() != "id" or re.match(r"^id\.(?:\s|,|$)", text, re.I) is not None
    )


def fold(text: str) -> str:
    """Accent- and case-insensitive form used to compare family names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def short_form_target(ref: Reference, history: list[Reference]) -> Reference | None:
    """The earlier full citation that a short note (``Stevenson, Self-Sacrifice``) repeats.

    A short note has no date, publisher or container; it names a family and
    the main title of a work cited earlier in the same document.
    """
    if ref.issued or ref.publisher or ref.container_title or ref.type != "document":
        return None
    if ref.author and not ref.author[0].literal and ref.title:
        family, short = ref.author[0].family, ref.title
    elif "," in ref.title:
        family, _, short = ref.title.partition(",")
    else:
        return None
    family, short_title = fold(family), norm_title(short)
    if not family or not short_title:
        return None
    for earlier in reversed(history):
        names = earlier.author or earlier.editor
        if not names or fold(names[0].family or names[0].literal) != family:
            continue
        full = norm_title(earlier.title)
        if full == short_title or main_title(earlier.title) == short_title or full.startswith(short_title + " "):
            return earlier
    return None


def resolve(
    notes: list[tuple[int, int, Reference | BackReference | None]], path: str
) -> tuple[dict[tuple[int, int], Reference], list[Finding]]:
    """Resolve ``(line, column, parsed)`` notes in order; returns refs by note (line, column).

    A resolved back-reference gets the earlier work with its own locator (an
    ``Ibid.`` without one keeps the earlier locator, as a reader would).
    """
    resolved: dict[tuple[int, int], Reference] = {}
    findings: list[Finding] = []
    previous: Reference | None = None
    history: list[Reference] = []
    for line, column, parsed in notes:
        if isinstance(parsed, BackReference):
            target: Reference | None = None
            if parsed.kind == "ibid":
                target = previous
                if target is None:
                    findings.append(Finding(path, line, column, "ibid-unresolved", Severity.ERROR,
                                            "Ibid. has no earlier note to refer to"))
            else:
                wanted = fold(parsed.author.split()[-1]) if parsed.author.split() else ""
                for earlier in reversed(history):
                    if any(fold(n.family or n.literal) == wanted or fold(n.literal) == fold(parsed.author)
                           for n in earlier.author):
                        target = earlier
                        break
                if target is None:
                    message = f"op. cit. names {parsed.author!r} but no earlier note cites a work by them"
                    findings.append(Finding(path, line, column, "ibid-unresolved", Severity.ERROR, message))
            if target is not None:
                ref = target.with_locator(parsed.locator or (target.locator if parsed.kind == "ibid" else ""))
                resolved[line, column] = ref
                previous = ref
            else:
                previous = None
        elif parsed is not None:
            earlier = short_form_target(parsed, history)
            ref = earlier.with_locator(parsed.locator) if earlier else parsed
            resolved[line, column] = ref
            previous = ref
            if earlier is None:
                history.append(parsed)
        else:
            previous = None
    return resolved, findings
