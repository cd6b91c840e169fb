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


@pytest.fixture
def narrative_corpus(tmp_path: Path):
    """The footnoted seed and the three prose seeds built together with the curated references.bib."""
    paths = [seed(prefix) for prefix in ("000_", "001_", "002_", "004_")]
    bib = tmp_path / "references.bib"
    shutil.copy(ROOT / "references.bib", bib)
    store = Store(tmp_path / "narrative.db")
    pipeline.build(paths, store, bib)
    yield store, tmp_path
    store.close()


@pytest.mark.parametrize(
    ("key", "documents", "kind"),
    [
        pytest.param("goulka2009", {"002"}, "report", id="rand-2009-report"),
        pytest.param("humanrightswatch2005", {"002"}, "report", id="hrw-report"),
        pytest.param("merat2018", {"002"}, "article-newspaper", id="guardian-long-read"),
        pytest.param("abrahamian1989", {"000", "002"}, "book", id="abrahamian-footnote-and-prose"),
        pytest.param("stevenson2019", {"004"}, "book", id="stevenson-book"),
        pytest.param("poac2007", {"001"}, "legal_case", id="appeal-commission-judgment"),
    ],
)
def test_seed_narrative_mentions_link_to_curated_works(narrative_corpus, key: str, documents: set[str],
                                                       kind: str) -> None:
    store, _ = narrative_corpus
    work = store.work(key)
    assert work is not None and work.curated and work.reference.type == kind
    cites = store.citations(work=key)
    assert {Path(c.document).name[:3] for c in cites} == documents
    assert any(c.kind == "narrative" for c in cites)


def test_seed_each_narrative_work_is_one_work(narrative_corpus) -> None:
    store, _ = narrative_corpus
    cites = store.citations()
    rand = {c.work for c in cites if c.kind == "narrative" and c.raw and "RAND" in c.raw.upper()
            and c.document.startswith("002")}
    assert rand == {"goulka2009"}
    assert store.work("goulka2009").reference.publisher == "RAND Corporation"
    merat = {c.work for c in cites if c.raw and "Merat" in c.raw and c.kind == "narrative"}
    assert merat == {"merat2018"}
    assert not [w for w in store.works() if not w.curated and w.reference.title.startswith("The Iranian Mojahedin")]


def test_seed_stevenson_book_carries_its_url(narrative_corpus) -> None:
    store, _ = narrative_corpus
    assert store.work("stevenson2019").reference.URL.startswith("https://www.amazon.com/dp/1527236935")
    urls = [c.reference.URL for c in store.citations(work="stevenson2019") if c.reference and c.reference.URL]
    assert urls and urls[0].startswith("https://www.amazon.com/dp/1527236935/")


def test_seed_show_lists_every_citing_passage(narrative_corpus) -> None:
    from click.testing import CliRunner

    from biblio.cli import cli

    store, _ = narrative_corpus
    result = CliRunner().invoke(cli, ["--db", store.path, "show", "abrahamian1989"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith(str(seed("000_"))) for line in lines)
    assert any(line.startswith(str(seed("002_")) + ":312") for line in lines)


def test_seed_vague_attributions_are_reported_not_worked(narrative_corpus) -> None:
    store, _ = narrative_corpus
    vague = [c for c in store.citations() if c.kind == "narrative" and c.reference is None]
    assert any(c.raw == "according to various sources" for c in vague)
    assert all(c.work is None for c in vague)
    assert any(f.rule == "vague-attribution" for f in store.findings())
