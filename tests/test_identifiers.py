"""URLs, DOIs and ISBNs in running text, with their lines and passages."""

from __future__ import annotations

import pytest

from biblio.find import identifiers
from biblio.read import text


def found(body: str) -> list[tuple[str, str, int, int]]:
    doc = text.read("d.txt", "d.txt", body, "0" * 64, len(body))
    return [(c.kind, c.raw, c.line, c.column) for c in identifiers.find(doc)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("See https://example.org/a_b%20c?x=1&y=2.", [("url", "https://example.org/a_b%20c?x=1&y=2", 1, 5)],
                     id="url-with-query-and-final-period"),
        pytest.param("Intro\n\nVisit www.example.org, then leave.", [("url", "www.example.org", 3, 7)], id="bare-www"),
        pytest.param("(see https://en.wikipedia.org/wiki/Foo_(bar))",
                     [("url", "https://en.wikipedia.org/wiki/Foo_(bar)", 1, 6)], id="balanced-parentheses"),
        pytest.param("Published as doi:10.1000/xyz123.", [("doi", "10.1000/xyz123", 1, 18)], id="doi"),
        pytest.param("At https://doi.org/10.1000/abc now", [("doi", "10.1000/abc", 1, 4)], id="doi-url"),
        pytest.param("ISBN 978-1-5272-3693-6 is the book.", [("isbn", "9781527236936", 1, 1)], id="isbn-13"),
        pytest.param("No identifiers in 10.5 percent of cases.", [], id="decimal-is-not-doi"),
    ],
)
def test_find(body: str, expected: list) -> None:
    assert found(body) == expected


def test_identifiers_on_note_lines_are_left_to_the_note() -> None:
    body = "A claim.1\n\n1 Smith, John. (2001). Title. https://example.org/x\n"
    assert found(body) == []


def test_passage_is_the_sentence_holding_the_url() -> None:
    body = "First sentence. The camp site is www.example.org today.\n"
    doc = text.read("d.txt", "d.txt", body, "0" * 64, len(body))
    (cite,) = identifiers.find(doc)
    assert doc.passages[cite.passage].text == "The camp site is www.example.org today."
