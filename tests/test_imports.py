"""Importing .bib, CSL-JSON and RIS into the store: segments, identity, conflicts, findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from biblio import imports, pipeline
from biblio.errors import BiblioError
from biblio.model import DateValue, Name, Reference, Severity
from biblio.store import Store
from tests.conftest import FIXTURES, ROOT

HOSTILE = FIXTURES / "bib" / "hostile.bib"
BOOK = ("@book{abrahamian1989,\n  author = {Abrahamian, Ervand},\n  title = {The Iranian Mojahedin},\n"
        "  year = {1989}\n}\n")


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        pytest.param(BOOK, ["entry", "tail"], id="one-entry"),
        pytest.param("% c\n@string{y = {Yale}}\n@preamble{\"x\"}\n" + BOOK, ["comment", "string", "preamble", "entry",
                                                                          "tail"], id="comment-string-preamble"),
        pytest.param("@comment{jabref}\n\n" + BOOK.rstrip("\n"), ["comment", "entry"], id="no-final-newline"),
        pytest.param("@article{x,\n  title = {Un {closed,\n  year = {2001}\n}\n\n" + BOOK,
                     ["failed", "entry", "tail"], id="unbalanced-brace"),
        pytest.param(BOOK + "\n" + BOOK, ["entry", "entry", "tail"], id="duplicate-key"),
        pytest.param("stray text\n" + BOOK + "trailing words", ["comment", "entry", "comment"], id="stray-text"),
    ],
)
def test_segments_rebuild_the_file(text: str, kinds: list[str]) -> None:
    parsed = imports.parse_bib(text, "x.bib")
    assert "".join(s.gap + s.text for s in parsed.segments) == text
    assert [s.kind for s in parsed.segments] == kinds


def test_failed_block_is_a_finding_and_the_rest_imports() -> None:
    parsed = imports.parse_bib("@article{x,\n  title = {Un {closed,\n  year = {2001}\n}\n\n" + BOOK, "x.bib")
    assert [i.key for i in parsed.items] == ["abrahamian1989"]
    assert [(f.rule, f.line) for f in parsed.findings] == [("bib-parse-error", 1)]


def test_duplicate_key_block_is_imported_with_string_macros() -> None:
    text = '@string{tau = "I.B. Tauris"}\n' + BOOK + "@book{abrahamian1989, title = {The Iranian Mojahedin}," \
        " publisher = tau, year = 1989}\n"
    parsed = imports.parse_bib(text, "x.bib")
    assert [i.key for i in parsed.items] == ["abrahamian1989", "abrahamian1989"]
    assert parsed.items[1].reference.publisher == "I.B. Tauris"
    assert [f.rule for f in parsed.findings] == ["duplicate-bib-key"]


def test_import_into_an_empty_store_keeps_every_key() -> None:
    store = Store(":memory:")
    report = imports.merge(store, imports.read(ROOT / "references.bib"))
    bib = pipeline.bib_reader.load(ROOT / "references.bib")
    assert report.new == report.items == len(bib.entries)
    assert {w.key for w in store.works()} == bib.keys
    assert all(w.curated for w in store.works())


def test_hostile_fixture_reports_every_oddity() -> None:
    store = Store(":memory:")
    report = imports.merge(store, imports.read(HOSTILE))
    rules = sorted({f.rule for f in report.findings})
    assert rules == ["bib-parse-error", "duplicate-bib-key", "import-conflict", "import-merged"]
    assert (report.items, report.new, report.merged, report.conflicts) == (6, 5, 1, 1)
    work = store.work("abrahamian1989")
    assert work is not None and work.reference.publisher == "Yale University Press"
    assert "publisher also given as “I.B. Tauris”" in work.reference.note
    assert "publisher_place also given as “London”" in work.reference.note
    assert work.reference.note.endswith(f"({HOSTILE}:65)")


def test_reimport_is_idempotent() -> None:
    store = Store(":memory:")
    imports.merge(store, imports.read(HOSTILE))
    before = [(w.key, w.reference) for w in store.works()]
    again = imports.merge(store, imports.read(HOSTILE))
    assert [(w.key, w.reference) for w in store.works()] == before
    assert again.new == 0 and again.merged == again.items
    assert len(store.bib_segments()) == len(imports.read(HOSTILE).segments)


def test_key_held_by_another_work_gets_a_fresh_key(tmp_path: Path) -> None:
    store = Store(":memory:")
    imports.merge(store, imports.parse_bib(BOOK, "a.bib"))
    other = "@book{abrahamian1989, author = {Cohen, Ronen}, title = {The Rise and Fall}, year = {2009}}\n"
    report = imports.merge(store, imports.parse_bib(other, "b.bib"))
    assert [f.rule for f in report.findings] == ["import-key-taken"]
    assert {w.key for w in store.works()} == {"abrahamian1989", "abrahamian1989a"}


def test_same_work_under_another_key_is_merged_into_the_store_work(tmp_path: Path) -> None:
    doc = tmp_path / "notes.txt"
    doc.write_text("Founded in 1965.1\n\n1 Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven, CT: "
                   "Yale University Press.\n", encoding="utf-8")
    store = Store(tmp_path / "s.db")
    pipeline.build([doc], store)
    [built] = store.works()
    bib = BOOK.replace("abrahamian1989", "abrahamian89").replace("  year", "  isbn = {9780300036916},\n  year")
    report = imports.merge(store, imports.parse_bib(bib, "x.bib"))
    assert [(f.rule, f.severity) for f in report.findings] == [("import-merged", Severity.INFO)]
    [work] = store.works()
    assert work.key == built.key and work.citation_count == 1
    assert work.reference.ISBN == "9780300036916"


@pytest.mark.parametrize(
    ("base", "other", "changed", "conflicts"),
    [
        pytest.param(Reference(title="T"), Reference(title="T", publisher="P"), {"publisher": "P"}, [], id="fill"),
        pytest.param(Reference(title="T", publisher="P"), Reference(title="T", publisher="Q"), {}, ["publisher"],
                     id="conflict"),
        pytest.param(Reference(title="T", publisher="P  Q"), Reference(title="T", publisher="P Q"), {}, [],
                     id="whitespace-only"),
        pytest.param(Reference(issued=DateValue(((1980,),))), Reference(issued=DateValue(((1980, 6),))),
                     {"issued": DateValue(((1980, 6),))}, [], id="more-precise-date"),
        pytest.param(Reference(issued=DateValue(((1980,),))), Reference(issued=DateValue(((1981,),))), {},
                     ["issued"], id="other-year"),
        pytest.param(Reference(author=(Name("Smith", "J."),)), Reference(author=(Name("Smith", "John"),)), {},
                     ["author"], id="names"),
        pytest.param(Reference(type="document"), Reference(type="book"), {"type": "book"}, [], id="vague-type"),
    ],
)
def test_merge_reference(base: Reference, other: Reference, changed: dict, conflicts: list[str]) -> None:
    merged, found = imports.merge_reference(base, other, "x.bib:3")
    assert [name for name, _, _ in found] == conflicts
    for name, value in changed.items():
        assert getattr(merged, name) == value
    if conflicts:
        assert merged.note.endswith("(x.bib:3)")
    else:
        assert merged.note == base.note


def test_read_picks_the_format_by_suffix(tmp_path: Path) -> None:
    csl = tmp_path / "refs.json"
    csl.write_text(json.dumps([{"id": "k", "type": "book", "title": "T", "issued": {"date-parts": [[2001]]}}]))
    ris = tmp_path / "refs.ris"
    ris.write_text("TY  - BOOK\nID  - r\nTI  - T\nPY  - 2001\nER  - \n", encoding="utf-8")
    assert imports.read(csl).format == "csl-json" and imports.read(ris).format == "ris"
    with pytest.raises(BiblioError, match="cannot tell the format"):
        imports.read(tmp_path / "refs.txt")


def test_not_utf8_is_an_error_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.bib"
    bad.write_bytes(b"% ok\n@book{x, title = {Caf\xe9}}\n")
    with pytest.raises(BiblioError) as err:
        imports.read(bad)
    assert err.value.line == 2
