"""Acceptance on the real corpus (skipped when ../shared/seeds is absent) and on examples/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from biblio import pipeline
from biblio.model import Severity
from biblio.store import Store
from tests.conftest import EXAMPLES, ROOT, seed

# block -> marker numbers expected in the footnoted seed (block 2 lacks marker 3 and has an extra 14)
SEED_MARKERS = {0: [1], 1: [1, 2, 3, 4], 2: [1, 2, *range(4, 15)], 3: list(range(1, 11)), 4: list(range(1, 7))}
SEED_NOTES = {0: [1], 1: [1, 2, 3, 4], 2: list(range(1, 14)), 3: list(range(1, 11)), 4: list(range(1, 7))}


@pytest.fixture
def footnoted(tmp_path: Path):
    path = seed("000_")
    store = Store(tmp_path / "seed.db")
    report = pipeline.build([path], store)
    yield path, store, report
    store.close()


def test_seed_markers_and_notes_are_exactly_the_real_ones(footnoted) -> None:
    path, _, _ = footnoted
    analysis = next(a for a in pipeline.analyse_paths([path]) if not hasattr(a, "rule"))
    got_markers: dict[int, list[int]] = {}
    for m in analysis.document.markers:
        got_markers.setdefault(m.block, []).append(m.number)
    got_notes: dict[int, list[int]] = {}
    for n in analysis.document.notes:
        got_notes.setdefault(n.block, []).append(n.number)
    assert got_markers == SEED_MARKERS
    assert got_notes == SEED_NOTES


def test_seed_every_marker_with_a_note_is_linked_and_every_ibid_resolves(footnoted) -> None:
    _, store, report = footnoted
    assert not [f for f in report.findings if f.rule == "ibid-unresolved"]
    cites = store.citations()
    for c in cites:
        if c.kind == "footnote" and c.raw is not None:
            assert c.work is not None, c
    ibids = [c for c in cites if c.raw and c.raw.lower().startswith("ibid")]
    assert len(ibids) == 8


def test_seed_mohaddessin_is_one_work_with_all_its_citations(footnoted) -> None:
    _, store, _ = footnoted
    cites = store.citations()
    direct = {c.work for c in cites if c.raw and "Mohaddessin" in c.raw}
    assert len(direct) == 1
    (key,) = direct
    assert store.work(key).reference.title.startswith("Enemies of the Ayatollahs")
    assert store.work(key).citation_count == 16


def test_seed_merip_spellings_are_one_work(footnoted) -> None:
    _, store, _ = footnoted
    merip = {c.work for c in store.citations() if c.raw and "MERIP" in c.raw}
    assert len(merip) == 1
    assert store.work(merip.pop()).citation_count == 3


def test_seed_check_reports_the_real_errors_only(footnoted) -> None:
    path, _, _ = footnoted
    findings = [f for item in pipeline.analyse_paths([path]) for f in getattr(item, "findings", [item])]
    serious = [(f.rule, f.line) for f in findings if f.severity is not Severity.INFO]
    assert serious == [("orphan-marker", 113), ("unused-note", 121)]


def test_seed_urls_with_and_without_scheme_are_found() -> None:
    found = []
    for prefix in ("000_", "004_"):
        analysis = next(iter(pipeline.analyse_paths([seed(prefix)])))
        found += [(c.raw, c.line) for c, _ in analysis.citations if c.kind == "url"]
    assert ("www.mulahswar.com", 167) in found
    assert any(url.startswith("https://www.amazon.com/dp/1527236935/") for url, _ in found)


def test_prose_and_wikitext_seeds_do_not_invent_footnotes() -> None:
    for prefix in ("001_", "002_", "004_"):
        path = seed(prefix)
        analysis = next(iter(pipeline.analyse_paths([path])))
        assert analysis.document.notes == (), prefix
        assert not [f for f in analysis.findings if f.severity is Severity.ERROR], prefix


def test_examples_build_leaves_references_bib_unchanged(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    shutil.copy(ROOT / "references.bib", bib)
    before = bib.read_bytes()
    with Store(tmp_path / "ex.db") as store:
        report = pipeline.build([EXAMPLES], store, bib)
        assert report.documents_read == 3
        assert not report.bib_written
        errors = [(Path(f.path).name, f.line, f.rule) for f in report.findings if f.severity is Severity.ERROR]
        assert errors == [("02_exile_and_iraq.txt", 57, "orphan-marker")]
        assert store.work("mohaddessin2004").curated
    assert bib.read_bytes() == before
