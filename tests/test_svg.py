"""Inline SVG bar charts (``biblio.render.svg``): escaped labels, bars scaled to the largest value."""

from __future__ import annotations

import re

import lxml.html
import pytest

from biblio.render import svg


def test_bar_chart_escapes_labels_and_scales_bars() -> None:
    chart = str(svg.bar_chart("c1", "Works & <types>", [("<script>x</script>", 10), ("b", 5)]))
    assert "<script>x" not in chart and "&lt;script&gt;" in chart
    assert "Works &amp; &lt;types&gt;" in chart
    widths = [float(w) for w in re.findall(r'<rect[^>]* width="([\d.]+)"', chart)]
    assert widths[0] == pytest.approx(2 * widths[1])
    tree = lxml.html.fromstring(chart)
    assert tree.tag == "figure"


@pytest.mark.parametrize(
    ("items", "bars"),
    [
        pytest.param([], 0, id="empty"),
        pytest.param([("a", 0)], 1, id="all-zero"),
        pytest.param([(str(i), i) for i in range(30)], 12, id="capped"),
    ],
)
def test_bar_chart_layout_edges(items: list, bars: int) -> None:
    chart = svg.layout("c", "t", items)
    assert len(chart.bars) == bars
    assert all(b.width >= 0 for b in chart.bars)


def test_long_labels_are_shortened_with_the_full_text_in_a_tooltip() -> None:
    chart = str(svg.bar_chart("c", "t", [("A very long title that will not fit in the label column", 3)]))
    assert "A very long title that will not fit in the label column: 3" in chart
    assert "…" in chart
