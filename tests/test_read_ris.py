"""Reading RIS records into import items."""

from __future__ import annotations

import pytest

from biblio.model import DateValue, Name
from biblio.read import ris

RECORD = """TY  - NEWS
ID  - merat2018
AU  - Merat, Arron
TI  - Terrorists, cultists – or champions of Iranian democracy?
  The wild wild story of the MEK
T2  - The Guardian
DA  - 2018/11/09/
PY  - 2018
UR  - https://example.org/a%20b_c
KW  - MEK
ER  -
"""


def test_record() -> None:
    parsed = ris.parse(RECORD, "x.ris")
    [item] = parsed.items
    ref = item.reference
    assert item.key == "merat2018" and item.line == 1
    assert ref.type == "article-newspaper"
    assert ref.title == "Terrorists, cultists – or champions of Iranian democracy? The wild wild story of the MEK"
    assert ref.container_title == "The Guardian"
    assert ref.issued is not None and ref.issued.parts == ((2018, 11, 9),)
    assert ref.URL == "https://example.org/a%20b_c"
    assert [f.rule for f in parsed.findings] == ["ris-tags-dropped"]


@pytest.mark.parametrize(
    ("value", "name"),
    [
        pytest.param("Abrahamian, Ervand", Name("Abrahamian", "Ervand"), id="family-given"),
        pytest.param("King, Martin Luther, Jr.", Name("King", "Martin Luther", suffix="Jr."), id="suffix"),
        pytest.param("Human Rights Watch", Name(literal="Human Rights Watch"), id="organisation"),
        pytest.param("Moṣaddeq, Moḥammad", Name("Moṣaddeq", "Moḥammad"), id="diacritics"),
    ],
)
def test_parse_name(value: str, name: Name) -> None:
    assert ris.parse_name(value) == name


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        pytest.param("1989", ((1989,),), id="year"),
        pytest.param("1980/06/15/", ((1980, 6, 15),), id="ris-date"),
        pytest.param("1980/06//Spring", ((1980, 6),), id="no-day"),
        pytest.param("1980-06-15", ((1980, 6, 15),), id="iso"),
        pytest.param("n.d.", None, id="none"),
    ],
)
def test_parse_date(value: str, parts: tuple | None) -> None:
    date = ris.parse_date(value)
    assert (date.parts if date else None) == parts
    if date:
        assert date == DateValue(parts, value)


def test_pages_and_editors() -> None:
    text = "TY  - CHAP\nAU  - Doe, Jane\nA2  - Roe, Rick\nTI  - A chapter\nBT  - A book\nSP  - 33\nEP  - 45\nER  -\n"
    [item] = ris.parse(text, "x.ris").items
    assert item.reference.page == "33–45"
    assert item.reference.editor == (Name("Roe", "Rick"),)
    assert item.reference.container_title == "A book"


@pytest.mark.parametrize(
    ("text", "rules", "count"),
    [
        pytest.param("TY  - BOOK\nTI  - A\nTY  - BOOK\nTI  - B\nER  - \n", ["ris-unclosed"], 2, id="missing-er"),
        pytest.param("TY  - BOOK\nTI  - A\n", ["ris-unclosed"], 1, id="eof-without-er"),
        pytest.param("TI  - orphan\nTY  - BOOK\nTI  - A\nER  - \n", ["ris-outside-record"], 1, id="outside-record"),
        pytest.param("\ufeffTY - BOOK\r\nTI - A\r\nER -\r\n", [], 1, id="one-space-crlf"),
    ],
)
def test_lenient_reading(text: str, rules: list[str], count: int) -> None:
    parsed = ris.parse(text.removeprefix("\ufeff"), "x.ris")
    assert [f.rule for f in parsed.findings] == rules
    assert len(parsed.items) == count
