"""The plain-text reader: markers, note blocks, passages, and numbers that are neither."""

from __future__ import annotations

import pytest

from biblio.model import Document
from biblio.read import text


def read(body: str) -> Document:
    return text.read("doc.txt", "doc.txt", body, "0" * 64, len(body))


def markers(doc: Document) -> list[tuple[int, int, int]]:
    return [(m.block, m.number, m.line) for m in doc.markers]


def notes(doc: Document) -> list[tuple[int, int, int]]:
    return [(n.block, n.number, n.line) for n in doc.notes]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("It was founded by Mehdi Bazargan.1", [1], id="glued-to-period"),
        pytest.param("He said it was “over.”1", [1], id="glued-to-closing-quote"),
        pytest.param("He said it was “over.” 1 Then he left.", [1], id="space-after-closing-quote"),
        pytest.param("The group was founded in 1965.1 It grew.", [1], id="year-then-marker"),
        pytest.param("It was founded in 1965[1] and grew.", [1], id="bracketed"),
        pytest.param("It was founded in 1965.¹", [1], id="superscript"),
        pytest.param("The ’79 Revolution changed everything.1", [1], id="elided-year-is-not-a-marker"),
        pytest.param("The property sold for $10.7 million.1", [1], id="decimal-is-not-a-marker"),
        pytest.param("Delegates came from 47 countries.1", [1], id="spaced-number-is-not-a-marker"),
        pytest.param("They moved to Ashraf-3 in 2016.1", [1], id="hyphenated-number-is-not-a-marker"),
        pytest.param("The 1905-09 constitution was cited.1", [1], id="year-range-is-not-a-marker"),
    ],
)
def test_marker_forms(sentence: str, expected: list[int]) -> None:
    doc = read(f"{sentence}\n\n1 Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven: Yale.\n")
    assert [m.number for m in doc.markers] == expected
    assert [n.number for n in doc.notes] == [1]


@pytest.mark.parametrize(
    "note_line",
    [
        pytest.param("1 Bakhash, Shaul. (1984). The Reign of the Ayatollahs.", id="bare"),
        pytest.param("1) Bakhash, Shaul. (1984). The Reign of the Ayatollahs.", id="paren"),
        pytest.param("1. Bakhash, Shaul. (1984). The Reign of the Ayatollahs.", id="dot"),
        pytest.param("[1] Bakhash, Shaul. (1984). The Reign of the Ayatollahs.", id="bracket"),
        pytest.param("[1]Bakhash, Shaul. (1984). The Reign of the Ayatollahs.", id="bracket-glued"),
    ],
)
def test_note_styles(note_line: str) -> None:
    doc = read(f"A sentence that cites.1\n\n{note_line}\n")
    assert len(doc.notes) == 1
    assert doc.notes[0].text.startswith("Bakhash, Shaul.")
    assert doc.citations[0].raw == doc.notes[0].text
    assert doc.citations[0].note_line == 3


def test_note_text_starting_with_a_number_keeps_that_number() -> None:
    doc = read("Rioting followed the rally.1\n\n1 300 Hurt in Iran After Rally. The Globe and Mail. June 13, 1980.\n")
    assert notes(doc) == [(0, 1, 3)]
    assert doc.notes[0].text.startswith("300 Hurt")


def test_numbering_restarts_per_section_and_blocks_own_the_markers_before_them() -> None:
    body = (
        "Section one\n\nFirst claim.1 Second claim.2\n\n1 Note A. Paper. May 1, 1980.\n\n"
        "2 Note B. Paper. May 2, 1980.\n\n"
        "Section two\n\nThird claim.1\n\n1 Note C. Paper. May 3, 1980.\n"
    )
    doc = read(body)
    assert markers(doc) == [(0, 1, 3), (0, 2, 3), (1, 1, 11)]
    assert notes(doc) == [(0, 1, 5), (0, 2, 7), (1, 1, 13)]
    raws = [c.raw for c in doc.citations]
    assert raws == ["Note A. Paper. May 1, 1980.", "Note B. Paper. May 2, 1980.", "Note C. Paper. May 3, 1980."]


def test_paragraph_starting_with_a_number_is_not_a_note() -> None:
    body = "A claim.1\n\n1 Note A. Paper. May 1, 1980.\n\n12 young people were arrested that day.\n"
    doc = read(body)
    assert notes(doc) == [(0, 1, 3)]
    assert any(p.text.startswith("12 young people") for p in doc.passages)


def test_lone_number_line_without_markers_is_prose() -> None:
    doc = read("Opening line\n\n1 in 5 residents left the camp that year.\n")
    assert doc.notes == ()
    assert doc.markers == ()


def test_missing_marker_leaves_the_note_uncited_and_the_rest_linked() -> None:
    notes_text = "".join(f"{n} {t}. P. May 1, 1980.\n\n" for n, t in zip("1234", "ABCD", strict=True))
    body = "One.1 Two.2 Four.4\n\n" + notes_text
    doc = read(body)
    assert [m.number for m in doc.markers] == [1, 2, 4]
    uncited = [c for c in doc.citations if c.marker is None]
    assert [c.note_line for c in uncited] == [7]


def test_marker_past_the_last_note_is_kept_as_an_orphan() -> None:
    doc = read("One.1 Two.2\n\n1 A. P. May 1, 1980.\n")
    assert [m.number for m in doc.markers] == [1, 2]
    orphan = next(c for c in doc.citations if c.marker == "2")
    assert orphan.raw is None and orphan.note_line is None


def test_multi_line_note_is_continued() -> None:
    doc = read("A claim.1\n\n1 Abrahamian, Ervand. (1989).\n   The Iranian Mojahedin. New Haven.\n\n2 Ibid.\n")
    assert doc.notes[0].text == "Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven."
    assert [n.number for n in doc.notes] == [1, 2]


def test_passage_is_the_sentence_the_marker_closes_with_its_line() -> None:
    body = "Title\n\nFirst sentence here. Mr. Rajavi spoke at length.” 1 Next sentence.\n\n1 A. P. May 1, 1980.\n"
    doc = read(body)
    cited = doc.passages[doc.markers[0].passage]
    assert cited.text == "Mr. Rajavi spoke at length.” 1"
    assert cited.line == 3


def test_columns_are_one_based_in_the_original_line() -> None:
    doc = read("abc.1\n\n1 A. Paper. May 1, 1980.\n")
    assert (doc.markers[0].line, doc.markers[0].column) == (1, 5)
    assert (doc.notes[0].line, doc.notes[0].column) == (3, 1)


def test_hostile_input_reads_in_linear_time() -> None:
    body = ("word.1 " * 20000) + "\n\n" + "".join(f"{i} Note.\n\n" for i in range(1, 200))
    doc = read(body)
    assert len(doc.notes) == 199
