"""Names: inverted and direct forms, particles, suffixes, organisations kept whole."""

from __future__ import annotations

import pytest

from biblio.model import Name
from biblio.parse import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Abrahamian, Ervand", Name(family="Abrahamian", given="Ervand"), id="inverted"),
        pytest.param("Ervand Abrahamian", Name(family="Abrahamian", given="Ervand"), id="direct"),
        pytest.param("Abrahamian, E.", Name(family="Abrahamian", given="E."), id="initial"),
        pytest.param("Martin Luther King Jr.", Name(family="King", given="Martin Luther", suffix="Jr."), id="suffix"),
        pytest.param("King, Martin Luther, Jr.", Name(family="King", given="Martin Luther", suffix="Jr."),
                     id="inverted-suffix"),
        pytest.param("Ludwig van Beethoven", Name(family="Beethoven", given="Ludwig", particle="van"), id="particle"),
        pytest.param("van der Berg, Jan", Name(family="Berg", given="Jan", particle="van der"), id="inverted-particle"),
        pytest.param("Masʿud Rajavi", Name(family="Rajavi", given="Masʿud"), id="persian-ayn"),
        pytest.param("Ṭabāṭabāʾī, Muḥammad Ḥusayn", Name(family="Ṭabāṭabāʾī", given="Muḥammad Ḥusayn"),
                     id="arabic-diacritics"),
        pytest.param("Human Rights Watch", Name(literal="Human Rights Watch"), id="corporate-watch"),
        pytest.param("RAND Corporation", Name(literal="RAND Corporation"), id="corporate-rand"),
        pytest.param("Reuters", Name(literal="Reuters"), id="wire-agency"),
        pytest.param("NCRI", Name(literal="NCRI"), id="acronym"),
    ],
)
def test_parse_name(text: str, expected: Name) -> None:
    assert names.parse_name(text) == expected


def test_several_names_first_inverted() -> None:
    parsed = names.parse_names("Goulka, Jeremiah, Lydia Hansell, Elizabeth Wilke, and Judith Larson")
    assert [n.family for n in parsed] == ["Goulka", "Hansell", "Wilke", "Larson"]
    assert parsed[0].given == "Jeremiah"


def test_ampersand_and_semicolon_split_people() -> None:
    parsed = names.parse_names("Smith, John; Doe, Jane & Roe, Richard")
    assert [(n.family, n.given) for n in parsed] == [("Smith", "John"), ("Doe", "Jane"), ("Roe", "Richard")]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        pytest.param("Rouleau, Eric", True, id="inverted-person"),
        pytest.param("Eric Rouleau", True, id="direct-person"),
        pytest.param("The Globe and Mail", False, id="newspaper"),
        pytest.param("Human Rights Watch", False, id="organisation"),
        pytest.param("Iranians Return to Polls Today", False, id="headline"),
        pytest.param("Sura 7", False, id="digits"),
    ],
)
def test_looks_like_person(text: str, person: bool) -> None:
    assert names.looks_like_person(text) is person
