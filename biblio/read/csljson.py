"""CSL-JSON files (Zotero, pandoc, citeproc-js) as import items.

An item's ``id`` becomes its key. Variables biblio does not keep (``abstract``,
``ISSN``, ``language``…) are reported once per file as ``csl-fields-dropped``
instead of vanishing; a malformed item is a finding and the others still import.
"""

from __future__ import annotations

import json
import re
from typing import Any

from biblio.errors import BiblioError
from biblio.imports import Item, Parsed
from biblio.model import TEXT_FIELDS, Finding, Severity, csl_name, reference_from_json

KEPT = {"id", "type", "author", "editor", "translator", "issued", "locator", *(csl_name(f) for f in TEXT_FIELDS)}
# variables that are derived or bookkeeping, not data a user would miss
IGNORED = {"title-short", "citation-key", "citation-label", "citation-number", "shortTitle", "_graph", "system_id"}
_MARKUP = re.compile(r"</?(?:i|b|sc|sup|sub|span)(?:\s[^>]*)?>")


def parse(text: str, path: str = "<csl-json>") -> Parsed:
    """Items of a CSL-JSON array (or a single item, or ``{"items": [...]}``)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BiblioError(f"not valid JSON ({exc.msg})", path, exc.lineno) from None
    if isinstance(data, dict):
        data = data.get("items", [data])
    if not isinstance(data, list):
        raise BiblioError("expected a CSL-JSON array of items", path, 1)
    items: list[Item] = []
    findings: list[Finding] = []
    dropped: set[str] = set()
    for n, raw in enumerate(data, start=1):
        key = str(raw.get("id", "")).strip() if isinstance(raw, dict) else ""
        line = _line_of(text, key)
        if not isinstance(raw, dict):
            findings.append(Finding(path, line, 1, "csl-bad-item", Severity.WARNING, f"item {n} is not an object"))
            continue
        try:
            ref = reference_from_json(_plain(raw))
        except (TypeError, ValueError, AttributeError) as exc:
            findings.append(Finding(path, line, 1, "csl-bad-item", Severity.WARNING,
                                    f"item {key or n} cannot be read ({exc}); not imported"))
            continue
        dropped.update(k for k in raw if k not in KEPT and k not in IGNORED)
        items.append(Item(key or None, ref, line))
    if dropped:
        findings.append(Finding(path, 1, 1, "csl-fields-dropped", Severity.INFO,
                                "variables not kept by biblio: " + ", ".join(sorted(dropped))))
    return Parsed(path, "csl-json", tuple(items), (), tuple(findings))


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    """Strip CSL-JSON rich-text markup (``<i>``, ``<span class="nocase">``) from string variables."""
    out: dict[str, Any] = {}
    for k, v in item.items():
        out[k] = _MARKUP.sub("", v) if isinstance(v, str) else v
        if k in ("author", "editor", "translator") and isinstance(v, list):
            out[k] = [{n: _MARKUP.sub("", s) if isinstance(s, str) else s for n, s in name.items()} for name in v]
    issued = out.get("issued")
    if isinstance(issued, dict) and issued.get("date-parts"):
        # CSL-JSON allows "1989" as a string and empty trailing parts
        issued = dict(issued)
        issued["date-parts"] = [[int(x) for x in part if str(x).strip()] for part in issued["date-parts"] if part]
        out["issued"] = issued
    return out


def _line_of(text: str, key: str) -> int:
    at = text.find(json.dumps(key)) if key else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else 1
