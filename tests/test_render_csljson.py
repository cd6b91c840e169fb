"""Works as CSL-JSON: stored fields as they are, imported .bib entries through pandoc's reader."""

from __future__ import annotations

import json

import pytest

from biblio.model import DateValue, Name, Reference, Work
from biblio.render import csljson

WORK = Work("merat2018", Reference("article-newspaper", "Terrorists, Cultists – or Champions?",
                                   (Name("Merat", "Arron"),), issued=DateValue(((2018, 11, 9),)),
                                   container_title="The Guardian"))
ENTRY = ("@book{abrahamian1989,\n  author = {Abrahamian, Ervand},\n  title = {The {Iranian} {Mojahedin}: "
         "A Short History},\n  publisher = yup,\n  year = {1989}\n}")


def test_stored_work_is_its_reference() -> None:
    items, findings = csljson.items([WORK])
    assert items == [WORK.reference.as_csl("merat2018")] and findings == []


def test_imported_entry_goes_through_pandoc() -> None:
    work = Work("abrahamian1989", Reference("book", "The Iranian Mojahedin: A Short History"))
    [item], findings = csljson.items([work], {"abrahamian1989": ENTRY}, '@string{yup = "Yale University Press"}\n')
    assert findings == []
    assert list(item)[:2] == ["id", "type"]
    assert item["title"] == "The Iranian Mojahedin: A short history"  # sentence case, protected words kept
    assert item["publisher"] == "Yale University Press"  # the @string resolved
    assert item["author"] == [{"family": "Abrahamian", "given": "Ervand"}]


def test_unreadable_entry_falls_back_to_the_stored_fields() -> None:
    work = Work("x", Reference("book", "Stored title"))
    [item], findings = csljson.items([work], {"x": "@book{x, title = {Broken"})
    assert item == work.reference.as_csl("x")
    assert [f.rule for f in findings] == ["csl-conversion"]


@pytest.mark.parametrize(
    ("item", "kind"),
    [pytest.param({"id": "a", "type": ""}, "document", id="untyped"),
     pytest.param({"id": "a", "type": "book"}, "book", id="typed")],
)
def test_dumps_gives_every_item_a_type(item: dict, kind: str) -> None:
    text = csljson.dumps([item])
    assert text.endswith("]\n")
    assert json.loads(text)[0]["type"] == kind
