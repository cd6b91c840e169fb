"""The whole build: store, work identity across documents, stable keys, the curated .bib."""

from __future__ import annotations

from pathlib import Path

from biblio import pipeline
from biblio.read import bibtex as bib_reader
from biblio.store import Store

DOC_A = """Origins

The group was founded in 1965.1 Its leaders were arrested in 1971.2 One was spared.3

1 Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven, CT: Yale University Press, p. 98.

2 Ibid., p. 127.

3 Bakhash, Shaul. (1984). The Reign of the Ayatollahs. New York: Basic Books.
"""
DOC_B = """Later years

The council was formed in Paris.1 It was widely reported.2

1 Much of this follows “The Iranian Mojahedin,” by Ervand Abrahamian, Yale University Press, New Haven, 1989.

2 Iranians Return to Polls Today. The Globe and Mail. May 9, 1980.
"""


def write(tmp: Path, name: str, body: str) -> Path:
    path = tmp / name
    path.write_text(body, encoding="utf-8")
    return path


def test_build_links_citations_across_documents(tmp_path: Path) -> None:
    a, b = write(tmp_path, "a.txt", DOC_A), write(tmp_path, "b.txt", DOC_B)
    with Store(tmp_path / "s.db") as store:
        report = pipeline.build([a, b], store)
        assert (report.documents_read, report.citations, report.works) == (2, 5, 3)
        by_key = {w.key: w for w in store.works()}
        assert set(by_key) == {"abrahamian1989", "bakhash1984", "iranians1980"}
        assert by_key["abrahamian1989"].citation_count == 3
        cites = store.citations(work="abrahamian1989")
        assert [(c.document, c.line, c.marker, c.locator) for c in cites] == [
            ("a.txt", 3, "1", "p. 98"), ("a.txt", 3, "2", "p. 127"), ("b.txt", 3, "1", "")]
        assert cites[1].raw == "Ibid., p. 127."
        assert cites[1].passage == "Its leaders were arrested in 1971.2"


def test_rebuild_skips_unchanged_and_keeps_keys(tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", DOC_A)
    with Store(tmp_path / "s.db") as store:
        pipeline.build([a], store)
        first = [w.key for w in store.works()]
        again = pipeline.build([a], store)
        assert (again.documents_read, again.documents_skipped) == (0, 1)
        a.write_text(DOC_A.replace("One was spared.3", "One was spared.3 Another fled."), encoding="utf-8")
        changed = pipeline.build([a], store)
        assert changed.documents_read == 1
        assert [w.key for w in store.works()] == first


def test_bib_is_extended_then_left_byte_identical(tmp_path: Path) -> None:
    a, b = write(tmp_path, "a.txt", DOC_A), write(tmp_path, "b.txt", DOC_B)
    bib = tmp_path / "refs.bib"
    bib.write_text("% curated\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        first = pipeline.build([a, b], store, bib)
        assert first.new_bib_entries == 3 and first.bib_written
        text = bib.read_bytes()
        second = pipeline.build([a, b], store, bib)
        assert not second.bib_written
    assert bib.read_bytes() == text
    with Store(tmp_path / "fresh.db") as fresh:
        assert not pipeline.build([a, b], fresh, bib).bib_written
    assert bib.read_bytes() == text
    assert text.startswith(b"% curated\n")


def test_user_edits_in_the_bib_are_kept_and_linked(tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", DOC_A)
    bib = tmp_path / "refs.bib"
    curated = (
        "@book{abr89,\n  author = {Abrahamian, Ervand},\n"
        "  title = {The Iranian Mojahedin},\n  publisher = {Yale University Press},\n"
        "  year = {1989},\n  isbn = {user-added},\n}\n"
    )
    bib.write_text(curated, encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        pipeline.build([a], store, bib)
        keys = {w.key: w for w in store.works()}
        assert "abrahamian1989" not in keys
        assert keys["abr89"].curated and keys["abr89"].citation_count == 2
        assert keys["abr89"].reference.ISBN == "user-added"
        # the user now renames the title; the citations stay linked to the same key
        bib.write_text(bib.read_text(encoding="utf-8").replace("The Iranian Mojahedin", "Renamed By Hand"),
                       encoding="utf-8")
        before = bib.read_bytes()
        pipeline.build([a], store, bib)
        assert store.work("abr89").citation_count == 2
        assert bib.read_bytes() == before
    entries = dict(bib_reader.load(bib).entries)
    assert entries["abr89"].title == "Renamed By Hand"
    assert "bakhash1984" in entries


def test_key_collisions_follow_first_appearance(tmp_path: Path) -> None:
    body = (
        "First.1 Second.2\n\n1 Khomeini Warns Iran of Leftist Threat. New York Times. June 17, 1980.\n\n"
        "2 Khomeini Demands Government Purge. New York Times. June 28, 1980.\n"
    )
    a = write(tmp_path, "a.txt", body)
    with Store(tmp_path / "s.db") as store:
        pipeline.build([a], store)
        assert [w.key for w in store.works()] == ["khomeini1980", "khomeini1980a"]


def test_unparsed_note_is_kept_raw_with_a_finding(tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", "A claim.1\n\n1 —\n")
    with Store(tmp_path / "s.db") as store:
        report = pipeline.build([a], store)
        assert [f.rule for f in report.findings] == ["unparsed-reference"]
        (cite,) = store.citations()
        assert cite.raw == "—" and cite.work is None
