"""Readable stable keys with collision suffixes."""

from __future__ import annotations

import pytest

from biblio.model import DateValue, Name, Reference
from biblio.resolve import keys


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        pytest.param(Reference(author=(Name("Abrahamian", "Ervand"),), issued=DateValue(((1989,),))),
                     "abrahamian1989", id="person"),
        pytest.param(Reference(author=(Name(literal="Human Rights Watch"),), issued=DateValue(((2005,),))),
                     "humanrightswatch2005", id="organisation"),
        pytest.param(Reference(author=(Name("Ṭabāṭabāʾī", "M."),), issued=DateValue(((1975,),))),
                     "tabatabai1975", id="diacritics-folded"),
        pytest.param(Reference(title="The Iranian Mojahedin", issued=DateValue(((1989,),))),
                     "iranian1989", id="title-word-skips-article"),
        pytest.param(Reference(title="U.S. Removes Group From List", issued=DateValue(((2012,),))),
                     "removes2012", id="title-skips-short-words"),
        pytest.param(Reference(title="Quran"), "quran", id="no-year"),
        pytest.param(Reference(), "anon", id="nothing"),
    ],
)
def test_base_key(ref: Reference, expected: str) -> None:
    assert keys.base_key(ref) == expected


def test_collisions_take_letters_in_order() -> None:
    taken: set[str] = set()
    got = []
    for _ in range(4):
        key = keys.assign("smith2020", taken)
        taken.add(key)
        got.append(key)
    assert got == ["smith2020", "smith2020a", "smith2020b", "smith2020c"]


def test_many_collisions_stay_unique() -> None:
    taken: set[str] = set()
    for _ in range(800):
        taken.add(keys.assign("x", taken))
    assert len(taken) == 800
