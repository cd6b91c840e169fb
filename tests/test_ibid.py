"""Ibid., Id., op. cit. and short notes resolve to earlier notes' works."""

from __future__ import annotations

import pytest

from biblio.model import Reference
from biblio.parse import reference
from biblio.resolve import ibid


@pytest.mark.parametrize(
    ("text", "kind", "locator"),
    [
        pytest.param("Ibid.", "ibid", "", id="ibid"),
        pytest.param("ibid", "ibid", "", id="lowercase-no-period"),
        pytest.param("Ibid., p. 212.", "ibid", "p. 212", id="ibid-page"),
        pytest.param("Ibidem, pp. 3–5", "ibid", "pp. 3–5", id="ibidem"),
        pytest.param("Id.", "id", "", id="id"),
        pytest.param("Id. at 45.", "ibid", "at 45", id="id-at"),
        pytest.param("Abrahamian, op. cit., p. 145.", "op-cit", "p. 145", id="op-cit"),
        pytest.param("Abrahamian op. cit.", "op-cit", "", id="op-cit-no-comma"),
    ],
)
def test_classify(text: str, kind: str, locator: str) -> None:
    back = ibid.classify(text)
    assert back is not None
    assert back.kind == ("ibid" if kind == "id" else kind)
    assert back.locator == locator


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Idaho Statesman. Editorial. May 1, 1990.", id="word-starting-with-id"),
        pytest.param("Ibrahim, Youssef. (1990). A title.", id="name-starting-with-ib"),
        pytest.param("Identity and exile. Paper. 1999.", id="title-starting-with-id"),
    ],
)
def test_not_back_references(text: str) -> None:
    assert ibid.classify(text) is None


def notes(*texts: str) -> list[tuple[int, int, Reference | ibid.BackReference | None]]:
    out = []
    for line, text in enumerate(texts, start=1):
        out.append((line, 1, ibid.classify(text) or reference.parse(text)))
    return out


BOOK = "Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven, CT: Yale University Press, p. 98."
OTHER = "Bakhash, Shaul. (1984). The Reign of the Ayatollahs. New York: Basic Books."


def test_ibid_chain_resolves_with_own_locators() -> None:
    resolved, findings = ibid.resolve(notes(BOOK, "Ibid.", "Ibid., p. 86.", "Ibid."), "d.txt")
    assert findings == []
    assert {r.title for r in resolved.values()} == {"The Iranian Mojahedin"}
    assert [resolved[i, 1].locator for i in (1, 2, 3, 4)] == ["p. 98", "p. 98", "p. 86", "p. 86"]


def test_op_cit_finds_the_latest_work_by_that_author() -> None:
    resolved, findings = ibid.resolve(notes(BOOK, OTHER, "Abrahamian, op. cit., p. 145."), "d.txt")
    assert findings == []
    assert resolved[3, 1].title == "The Iranian Mojahedin"
    assert resolved[3, 1].locator == "p. 145"


def test_short_note_repeats_an_earlier_full_citation() -> None:
    full = "Stevenson, Struan. (2015). Self-Sacrifice: Life with the Iranian Mojahedin. Edinburgh: Birlinn."
    resolved, findings = ibid.resolve(notes(full, OTHER, "Stevenson, Self-Sacrifice, p. 230."), "d.txt")
    assert findings == []
    assert resolved[3, 1].title.startswith("Self-Sacrifice: Life")
    assert resolved[3, 1].year == 2015 and resolved[3, 1].locator == "p. 230"


@pytest.mark.parametrize(
    ("texts", "line"),
    [
        pytest.param(("Ibid.",), 1, id="ibid-first"),
        pytest.param((BOOK, "Smith, op. cit."), 2, id="op-cit-unknown-author"),
        pytest.param(("a", "Ibid."), 2, id="ibid-after-unparsed-note"),
    ],
)
def test_unresolvable_is_a_finding(texts: tuple[str, ...], line: int) -> None:
    resolved, findings = ibid.resolve(notes(*texts), "d.txt")
    assert [(f.rule, f.line) for f in findings] == [("ibid-unresolved", line)]
    assert (line, 1) not in resolved
