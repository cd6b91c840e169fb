"""Works as CSL-JSON items: what pandoc, citeproc-js, Zotero and the style engine read.

A work from documents is its ``Reference.as_csl()``: biblio already holds it as
CSL variables. A work whose record is still the one an imported .bib entry gave
is converted from that entry's own text by pandoc's BibLaTeX reader, which knows
what the LaTeX means: accent macros, ``--``, protective braces (kept as
``<span class="nocase">``) and English titles turned to sentence case, as CSL
expects and as ``pandoc --citeproc`` does when it reads the .bib itself. So a
reference list made from the store and one made by pandoc from the .bib agree.
"""

from __future__ import annotations

import json
from typing import Any

from biblio.errors import BiblioError
from biblio.model import Finding, Severity, Work
from biblio.render import styles


def from_bib(text: str, path: str = "<bib>") -> tuple[dict[str, dict[str, Any]], list[Finding]]:
    """CSL-JSON items by key for the entries of BibLaTeX ``text`` (pandoc's reader)."""
    if not text.strip():
        return {}, []
    try:
        out, warnings = styles.run_pandoc(["-f", "biblatex", "-t", "csljson"], text)
    except BiblioError as exc:
        return {}, [Finding(path, 1, 1, "csl-conversion", Severity.WARNING,
                            f"{exc.message}; these works are written from their stored fields")]
    findings = [Finding(path, 1, 1, "csl-conversion", Severity.WARNING, w) for w in warnings]
    return {str(item.get("id")): item for item in json.loads(out or "[]")}, findings


def items(works: list[Work], raw: dict[str, str] | None = None, preamble: str = "",
          path: str = "<bib>") -> tuple[list[dict[str, Any]], list[Finding]]:
    """An item per work, in order; ``raw`` maps keys to the entry text that still describes the work.

    ``preamble`` is prepended to the raw entries (the file's ``@string`` macros).
    """
    converted: dict[str, dict[str, Any]] = {}
    findings: list[Finding] = []
    if raw:
        wanted = [raw[w.key] for w in works if w.key in raw]
        if wanted:
            converted, findings = from_bib(preamble + "\n".join(wanted), path)
    out = []
    for w in works:
        item = converted.get(w.key)
        out.append(_ordered(item) if item is not None else w.reference.as_csl(w.key))
    return out, findings


def _ordered(item: dict[str, Any]) -> dict[str, Any]:
    """``id`` and ``type`` first, like ``as_csl``, the rest as pandoc gave it."""
    head = {k: item[k] for k in ("id", "type") if k in item}
    return head | {k: v for k, v in item.items() if k not in head}


def dumps(items: list[dict[str, Any]]) -> str:
    """CSL-JSON text (an array, UTF-8, two-space indent, final newline).

    pandoc reads ``@misc`` as an item with an empty type, which it renders fine but
    Zotero and the CSL schema refuse: the file says ``document`` instead.
    """
    fixed = [item if item.get("type") else {**item, "type": "document"} for item in items]
    return json.dumps(fixed, ensure_ascii=False, indent=2) + "\n"
