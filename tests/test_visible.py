"""Prose built piece by piece from a marked-up source, mapped back to it."""

from __future__ import annotations

import pytest

from biblio.read.source import LineMap
from biblio.read.visible import PlainText, VisibleText

SOURCE = "<p>First <i>one</i>.</p>\n<p>AT&amp;T sentence. Second\nline here.</p>\n"


def built() -> VisibleText:
    v = VisibleText(SOURCE)
    v.add("First ", 3)
    v.add("one", 12)
    v.add(".", 19)
    v.paragraph()
    v.add("AT", 28)
    v.add("&", 30, 35)  # an entity: one character read from five
    v.add("T sentence. Second\nline here.", 35)
    return v


def test_text_and_paragraphs() -> None:
    assert built().text == "First one.\nAT&T sentence. Second\nline here."


@pytest.mark.parametrize(
    ("index", "offset", "char"),
    [
        pytest.param(0, 3, "F", id="first-character"),
        pytest.param(6, 12, "o", id="second-piece"),
        pytest.param(13, 30, "&", id="inside-an-entity"),
        pytest.param(14, 35, "T", id="after-an-entity"),
        pytest.param(33, 54, "l", id="next-line-of-a-piece"),
    ],
)
def test_source_offset(index: int, offset: int, char: str) -> None:
    assert built().source_offset(index) == offset
    assert SOURCE[offset] == char


def test_passages_have_source_lines_and_offsets() -> None:
    passages, passage_at = built().passages(LineMap(SOURCE))
    assert [(p.line, p.text, p.offset) for p in passages] == [
        (1, "First one.", 3),
        (2, "AT&T sentence.", 28),
        (2, "Second line here.", 47),
    ]
    assert passage_at(0) == 0
    assert passage_at(len("First one.\nAT&T sen")) == 1


def test_masked_keeps_only_revealed_text_and_every_newline() -> None:
    v = built()
    v.add("hidden", 0, 2, reveal=False)
    masked = v.masked()
    assert len(masked) == len(SOURCE)
    assert masked.count("\n") == SOURCE.count("\n")
    assert masked == "   First    one    .    \n   AT&amp;T sentence. Second\nline here.    \n"


def test_lines_holding_prose() -> None:
    assert built().lines(LineMap(SOURCE)) == {1, 2, 3}


def test_plain_text_folds_white_space() -> None:
    p = PlainText()
    p.add(" Ibid.,\n", 0)
    p.paragraph()
    p.add("p. 4. ", 9)
    assert p.text() == "Ibid., p. 4."
    assert len(p) == len(" Ibid.,\n") + 1 + len("p. 4. ")
