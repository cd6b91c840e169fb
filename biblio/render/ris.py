"""CSL-JSON items as RIS records (EndNote, Zotero, Mendeley and most databases read RIS).

Written from the CSL items rather than from ``Reference`` so that a work that
came from a .bib gets pandoc's decoding of its LaTeX (``{\\'e}`` is ``é`` here
too). RIS has no rich text, so CSL markup (``<i>``, ``<span class="nocase">``)
is dropped; a personal name is ``Family, Given[, Suffix]`` and an organisation
is written without a comma, which is how :mod:`biblio.read.ris` tells them apart.
"""

from __future__ import annotations

import re
from typing import Any

from biblio.read.ris import CSL_TO_RIS

_MARKUP = re.compile(r"</?(?:i|b|sc|sup|sub|span)(?:\s[^>]*)?>")
FIELDS = (  # CSL variable -> RIS tag, in the order written
    ("title", "TI"), ("container-title", "T2"), ("collection-title", "T3"), ("publisher", "PB"),
    ("publisher-place", "CY"), ("volume", "VL"), ("issue", "IS"), ("edition", "ET"), ("genre", "M3"),
    ("note", "N1"), ("URL", "UR"), ("DOI", "DO"), ("ISBN", "SN"),
)
ROLES = (("author", "AU"), ("editor", "A2"), ("translator", "A4"))


def render(items: list[dict[str, Any]]) -> str:
    """RIS text: one ``TY``…``ER`` record per item, a blank line between records."""
    return "".join(record(item) for item in items)


def record(item: dict[str, Any]) -> str:
    lines = [("TY", CSL_TO_RIS.get(item.get("type", ""), "GEN"))]
    if item.get("id"):
        lines.append(("ID", str(item["id"])))
    for role, tag in ROLES:
        lines.extend((tag, _name(n)) for n in item.get(role) or ())
    for variable, tag in FIELDS:
        value = item.get(variable)
        if value:
            lines.append((tag, _text(value)))
    page = _text(item.get("page", ""))
    if page:
        parts = re.split(r"\s*[-–—]+\s*", page, maxsplit=1)
        lines.append(("SP", parts[0]))
        if len(parts) > 1 and parts[1]:
            lines.append(("EP", parts[1]))
    date = item.get("issued") or {}
    parts = (date.get("date-parts") or [[]])[0]
    if parts:
        lines.append(("PY", f"{int(parts[0]):04d}"))
        if len(parts) > 1:
            lines.append(("DA", "/".join(f"{int(x):02d}" if i else f"{int(x):04d}" for i, x in enumerate(parts))
                          + "/" * (4 - len(parts))))
    elif date.get("literal") or date.get("raw"):
        lines.append(("PY", _text(date.get("literal") or date.get("raw"))))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines) + "\n"


def _name(name: dict[str, str]) -> str:
    if name.get("literal"):
        return _text(name["literal"]).replace(",", "")
    family = " ".join(x for x in (name.get("non-dropping-particle", ""), name.get("family", "")) if x)
    given = " ".join(x for x in (name.get("given", ""), name.get("dropping-particle", "")) if x)
    return ", ".join(_text(x) for x in (family, given, name.get("suffix", "")) if x)


def _text(value: Any) -> str:
    return " ".join(_MARKUP.sub("", str(value)).split())
