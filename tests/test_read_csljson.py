"""Reading CSL-JSON files into import items."""

from __future__ import annotations

import json

import pytest

from biblio.errors import BiblioError
from biblio.model import DateValue, Name
from biblio.read import csljson

ITEM = {
    "id": "abrahamian1989", "type": "book", "title": "The <span class=\"nocase\">Iranian</span> <i>Mojahedin</i>",
    "author": [{"family": "Abrahamian", "given": "Ervand"}, {"literal": "Human Rights Watch"}],
    "issued": {"date-parts": [["1989", "6"]]}, "publisher": "Yale University Press", "abstract": "An abstract.",
    "ISSN": "1234-5678", "title-short": "The Iranian Mojahedin",
}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(json.dumps([ITEM]), id="array"),
        pytest.param(json.dumps(ITEM), id="single-item"),
        pytest.param(json.dumps({"items": [ITEM]}), id="items-object"),
    ],
)
def test_shapes(text: str) -> None:
    parsed = csljson.parse(text, "refs.json")
    [item] = parsed.items
    assert item.key == "abrahamian1989"
    ref = item.reference
    assert ref.title == "The Iranian Mojahedin"
    assert ref.author == (Name("Abrahamian", "Ervand"), Name(literal="Human Rights Watch"))
    assert ref.issued == DateValue(((1989, 6),), "")
    assert ref.publisher == "Yale University Press"


def test_dropped_variables_are_reported_once() -> None:
    parsed = csljson.parse(json.dumps([ITEM, ITEM | {"id": "b"}]), "refs.json")
    [finding] = parsed.findings
    assert finding.rule == "csl-fields-dropped"
    assert finding.message.endswith("ISSN, abstract")


def test_line_of_each_item() -> None:
    text = json.dumps([ITEM, ITEM | {"id": "second"}], indent=2)
    parsed = csljson.parse(text, "refs.json")
    assert parsed.items[1].line == text[: text.index('"second"')].count("\n") + 1


def test_bad_item_is_a_finding_not_a_failure() -> None:
    parsed = csljson.parse(json.dumps([ITEM, "not an item", {"id": "x", "issued": {"date-parts": [["soon"]]}}]),
                           "refs.json")
    assert [i.key for i in parsed.items] == ["abrahamian1989"]
    assert [f.rule for f in parsed.findings if f.rule == "csl-bad-item"] == ["csl-bad-item", "csl-bad-item"]


@pytest.mark.parametrize(
    ("text", "line"),
    [pytest.param("[\n{\"id\": \"a\",,}\n]", 2, id="syntax"), pytest.param('"a string"', 1, id="not-a-list")],
)
def test_invalid_json_is_an_error_with_its_line(text: str, line: int) -> None:
    with pytest.raises(BiblioError) as err:
        csljson.parse(text, "refs.json")
    assert err.value.line == line
