"""Tiny horizontal bar charts as inline SVG, drawn when the report is built.

The report must open from disk with no network and work without JavaScript, so
a chart library is out: a handful of ``<rect>`` and ``<text>`` elements says
"how many works of each type" just as well and costs nothing in the browser.
This module only does the arithmetic (where each bar goes); the markup comes
from the ``chart.html`` template (a ``<figure>`` with a visible caption) with autoescaping on, like every other page, so
a label taken from a document (a title, a host) can never become markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

WIDTH = 380
LABEL_WIDTH = 172
ROW = 22
BAR = 15
TOP = 6
LABEL_CHARS = 24


@dataclass(frozen=True)
class Bar:
    """One bar, already placed: ``label`` is what fits, ``full`` what the tooltip says."""

    label: str
    full: str
    value: int
    y: int
    width: float
    href: str = ""


@dataclass(frozen=True)
class Chart:
    """A laid-out chart: ``ident`` ties the ``<svg>`` to its ``<title>`` for screen readers."""

    ident: str
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    bar_height: int


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, so a long title cannot push bars off the chart."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def layout(ident: str, title: str, items: Sequence[tuple[str, int]] | Sequence[tuple[str, int, str]],
           limit: int = 12) -> Chart:
    """Place up to ``limit`` bars (label, value[, link]) scaled to the largest value."""
    rows = list(items)[:limit]
    top = max((int(r[1]) for r in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 40
    bars = tuple(
        Bar(shorten(str(r[0])), str(r[0]), int(r[1]), TOP + i * ROW, round(span * int(r[1]) / top, 1),
            str(r[2]) if len(r) > 2 else "")
        for i, r in enumerate(rows)
    )
    return Chart(ident, title, bars, WIDTH, TOP * 2 + max(len(bars), 1) * ROW, LABEL_WIDTH, BAR)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("biblio.render", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False)


def bar_chart(ident: str, title: str, items: Sequence[tuple[str, int]] | Sequence[tuple[str, int, str]],
              limit: int = 12) -> Markup:
    """Inline SVG for ``items``; safe to insert into an autoescaped page as it is."""
    chart = layout(ident, title, items, limit)
    return Markup(_environment().get_template("chart.html").render(chart=chart))
