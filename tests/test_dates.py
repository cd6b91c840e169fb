"""Dates as written in notes become CSL date-parts."""

from __future__ import annotations

import pytest

from biblio.parse import dates


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        pytest.param("June 14, 1980", ((1980, 6, 14),), id="month-day-year"),
        pytest.param("09 november 2018", ((2018, 11, 9),), id="day-month-year-lowercase"),
        pytest.param("14 Jun. 1980", ((1980, 6, 14),), id="abbreviated-month"),
        pytest.param("March-April 1982", ((1982, 3), (1982, 4)), id="month-range"),
        pytest.param("(2004)", ((2004,),), id="parenthesised-year"),
        pytest.param("2005,", ((2005,),), id="year-with-comma"),
        pytest.param("1980-06-14", ((1980, 6, 14),), id="iso"),
        pytest.param("May 1981", ((1981, 5),), id="month-year"),
        pytest.param("Spring 1982", ((1982,),), id="season"),
        pytest.param("1989a", ((1989,),), id="year-suffix"),
    ],
)
def test_parse(text: str, parts: tuple) -> None:
    value = dates.parse(text)
    assert value is not None
    assert value.parts == parts


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("The Iranian Mojahedin", id="title"),
        pytest.param("London: Zed Books", id="place-publisher"),
        pytest.param("Sura 2, Verse 256", id="locator"),
        pytest.param("10.7 million", id="decimal"),
        pytest.param("Basic Books, 1984", id="year-with-other-text"),
    ],
)
def test_not_a_date(text: str) -> None:
    assert dates.parse(text) is None


def test_find_prefers_the_most_specific_date() -> None:
    found = dates.find("Reuters, The Globe and Mail. January 21, 1980")
    assert found is not None
    value, start, end = found
    assert value.parts == ((1980, 1, 21),)
    assert "Reuters, The Globe and Mail. January 21, 1980"[start:end] == "January 21, 1980"


def test_may_as_a_verb_is_not_a_month() -> None:
    found = dates.find("Election May, Be Declared Invalid 1980")
    assert found is not None and found[0].parts == ((1980,),)


def test_linear_on_long_digit_runs() -> None:
    assert dates.find("1" * 100_000) is None
