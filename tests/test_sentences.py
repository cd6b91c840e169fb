"""Sentence splitting: boundaries, markers kept with their sentence, abbreviations not split."""

from __future__ import annotations

import pytest

from biblio.read import sentences


def split(text: str) -> list[str]:
    return [s for _, s in sentences.split(text, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("It began in 1981. Then it moved.", ["It began in 1981.", "Then it moved."], id="year"),
        pytest.param("He wrote to Mr. Rajavi. Nobody replied.", ["He wrote to Mr. Rajavi.", "Nobody replied."],
                     id="title-abbreviation"),
        pytest.param("The U.S. Army left. Others stayed.", ["The U.S. Army left.", "Others stayed."], id="initialism"),
        pytest.param("By E. Abrahamian. Printed 1989.", ["By E. Abrahamian.", "Printed 1989."], id="initial"),
        pytest.param("It was named.3 Then more.", ["It was named.3", "Then more."], id="glued-marker"),
        pytest.param("“It was over.” 4 The end.", ["“It was over.” 4", "The end."], id="marker-after-quote"),
        pytest.param("See p. 5. Next one.", ["See p. 5.", "Next one."], id="page-abbreviation"),
        pytest.param("Was it? Yes! Fine.", ["Was it?", "Yes!", "Fine."], id="question-and-exclamation"),
        pytest.param("It ended…  Then\nthe rest.", ["It ended…", "Then the rest."], id="white-space-squashed"),
        pytest.param("Dec. 1979 was cold.", ["Dec. 1979 was cold."], id="month-abbreviation"),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_offsets_point_at_each_sentence() -> None:
    text = "First one. Second one.  Third."
    for offset, sentence in sentences.split(text, 0, len(text)):
        assert text.startswith(sentence, offset)


def test_split_respects_the_paragraph_bounds() -> None:
    text = "Before. Inside one. Inside two. After."
    start = text.index("Inside")
    end = text.index(" After")
    assert [s for _, s in sentences.split(text, start, end)] == ["Inside one.", "Inside two."]
