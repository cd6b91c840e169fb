"""The HTML report (``biblio.render.report``): pages, escaping, splitting, links, atomic output.

These tests read the generated HTML with lxml; ``test_report_browser.py`` opens it in Chromium.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from biblio import pipeline
from biblio.cli import cli
from biblio.errors import BiblioError
from biblio.model import Document, Passage, Reference, UrlCheck, Verdict, Work
from biblio.render import report
from biblio.store import Store
from tests.conftest import FIXTURES, seed

CORPUS = FIXTURES / "report" / "corpus"
BIB = FIXTURES / "report" / "references.bib"
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"


def build_fixture(tmp_path: Path) -> Store:
    """The hostile fixture corpus built into a fresh store (with its .bib copied: builds append to it)."""
    bib = tmp_path / "references.bib"
    shutil.copy(BIB, bib)
    store = Store(tmp_path / "fixture.db")
    pipeline.build([CORPUS], store, bib)
    return store


@pytest.fixture
def fixture_store(tmp_path: Path):
    store = build_fixture(tmp_path)
    yield store
    store.close()


@pytest.fixture
def site(fixture_store: Store, tmp_path: Path) -> Path:
    return report.build(fixture_store, tmp_path / "site").path


def page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def text_of(path: Path) -> str:
    return " ".join(page(path).text_content().split())


# --- helpers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "taken", "expected"),
    [
        pytest.param("abrahamian1989", set(), "abrahamian1989", id="plain-key"),
        pytest.param("Abrahamian1989", {"abrahamian1989"}, "Abrahamian1989_2", id="case-insensitive-collision"),
        pytest.param("../../etc/passwd", set(), "etc-passwd", id="no-path-traversal"),
        pytest.param("<script>", set(), "script", id="markup-dropped"),
        pytest.param("smith-2", set(), "smith-2_", id="never-looks-like-a-page-number"),
        pytest.param("Ḥaqšenās 1971.txt", set(), "Haqsenas-1971.txt", id="accents-folded"),
        pytest.param("???", set(), "item", id="nothing-left"),
    ],
)
def test_slugify(text: str, taken: set[str], expected: str) -> None:
    assert report.slugify(text, set(taken)) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://example.org/a?b=1", "https://example.org/a?b=1", id="https"),
        pytest.param("http://example.org", "http://example.org", id="http"),
        pytest.param("www.example.org/x", "https://www.example.org/x", id="bare-www"),
        pytest.param("javascript:alert(1)", "", id="javascript"),
        pytest.param(" JavaScript:alert(1)", "", id="javascript-mixed-case"),
        pytest.param("data:text/html,<script>", "", id="data"),
        pytest.param("http://[::1", "", id="unparseable"),
    ],
)
def test_safe_href_links_only_web_addresses(url: str, expected: str) -> None:
    assert report.safe_href(url) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        pytest.param(1, "index.html", id="first"),
        pytest.param(2, "index-2.html", id="second"),
        pytest.param(12, "index-12.html", id="twelfth"),
    ],
)
def test_page_names(number: int, expected: str) -> None:
    assert report.page_name("index", number) == expected


def cite(cid: int, kind: str, marker: str | None = None, raw: str | None = None, key: str | None = None):
    return report.CitationRow(cid, 1, cid, kind, marker, 1, 1, None, raw, 0, "", "w", key)


@pytest.mark.parametrize(
    ("text", "cites", "spans", "missing"),
    [
        pytest.param("It was founded in 1965.1", [cite(1, "footnote", "1")], ["1@23"], [], id="marker-after-year"),
        pytest.param("Two claims.1 And more.2", [cite(1, "footnote", "1"), cite(2, "footnote", "2")],
                     ["1@11", "2@22"], [], id="two-markers"),
        pytest.param("In 12 cases.12", [cite(1, "footnote", "12")], ["12@12"], [], id="marker-equal-to-a-number"),
        pytest.param("As argued [@roe1999, p. 4].", [cite(1, "key", key="roe1999")], ["@roe1999@11"], [],
                     id="pandoc-key"),
        pytest.param("A 2009 RAND report said so.", [cite(1, "narrative", raw="A 2009 RAND report")],
                     ["A 2009 RAND report@0"], [], id="narrative"),
        pytest.param("A sentence with a ref.", [cite(1, "ref", "name")], [], [1], id="invisible-ref"),
        pytest.param("No such marker here.", [cite(1, "footnote", "7")], [], [1], id="marker-not-in-text"),
    ],
)
def test_locate_finds_markers_in_passages(text: str, cites: list, spans: list[str], missing: list[int]) -> None:
    found, lost = report.locate(text, cites)
    assert [f"{text[a:b]}@{a}" for a, b, _ in found] == spans
    assert [c.id for c in lost] == missing


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        pytest.param(Reference(type="book", title="The Book", publisher="Press", publisher_place="London",
                               author=(report.Name(family="Roe", given="Richard Paul"),)),
                     "Roe, R. P. (n.d.). The Book. London: Press.", id="book-undated"),
        pytest.param(Reference(title="Piece", container_title="Journal", volume="3", issue="2", page="4-9",
                               DOI="10.1/x"),
                     "(n.d.). Piece. Journal, 3(2), 4-9. https://doi.org/10.1/x", id="article-with-doi"),
    ],
)
def test_plain_reference(ref: Reference, expected: str) -> None:
    assert report.plain_reference(ref) == expected


# --- the site -------------------------------------------------------------------------------------------------


def test_site_has_every_kind_of_page(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"index.html", "documents.html", "links.html", "findings.html", "search-data.js", "static/report.css",
            "static/report.js", ".biblio-report"} <= names
    assert {"works/hostile2001.html", "works/roe1999.html", "works/doe2001.html", "works/script1990.html"} <= names
    assert {"documents/draft.md.html", "documents/notes.txt.html"} <= names


def test_pages_have_landmarks_and_need_no_network(site: Path) -> None:
    for path in report.iter_pages(site):
        tree = page(path)
        assert tree.find(".//main") is not None and tree.find(".//nav") is not None, path
        assert tree.find(".//header") is not None and tree.find(".//footer") is not None, path
        assert tree.get("lang") == "en"
        assert tree.xpath("//meta[@name='viewport']"), path
        for ref in tree.xpath("//script/@src | //link/@href | //img/@src"):
            assert "://" not in ref, (path, ref)
        for label_for in tree.xpath("//label/@for"):
            assert tree.xpath(f"//*[@id='{label_for}']"), (path, label_for)


def test_index_lists_every_work_in_a_plain_table(site: Path) -> None:
    tree = page(site / "index.html")
    rows = tree.xpath("//table[@id='works-table']/tbody/tr")
    assert len(rows) == 4
    links = tree.xpath("//table[@id='works-table']/tbody/tr/td[1]/a/@href")
    assert sorted(links) == ["works/doe2001.html", "works/hostile2001.html", "works/roe1999.html",
                             "works/script1990.html"]
    assert tree.get_element_by_id("works-filter").get("hidden") is not None  # shown only by the script
    assert len(tree.xpath("//svg")) == 5


def test_hostile_title_is_text_on_every_page(site: Path) -> None:
    for path in report.iter_pages(site):
        html = path.read_text(encoding="utf-8")
        assert "<img src=x" not in html and "<script>window" not in html, path
        assert not page(path).xpath("//img"), path
    assert page(site / "works/hostile2001.html").findtext(".//h1") == HOSTILE_TITLE
    assert HOSTILE_TITLE in text_of(site / "index.html")


def test_search_data_is_json_that_cannot_close_a_script(site: Path) -> None:
    text = (site / "search-data.js").read_text(encoding="utf-8")
    assert "<" not in text
    prefix = "window.BIBLIO_INDEX = "
    data = json.loads(text[len(prefix):].rstrip().rstrip(";"))
    titles = {row[data["fields"].index("title")] for row in data["rows"]}
    assert HOSTILE_TITLE in titles


def test_javascript_url_is_never_a_link(site: Path) -> None:
    for path in report.iter_pages(site):
        hrefs = page(path).xpath("//@href")
        assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))], path
    assert "javascript:window.pwned=1" in text_of(site / "works/script1990.html")


def test_work_page_shows_fields_bibtex_csl_and_citing_passages(site: Path) -> None:
    path = site / "works/roe1999.html"
    tree = page(path)
    items = tree.xpath("//li[@class='citing-item']")
    assert len(items) == 2
    assert tree.xpath("//h3/a/text()") == ["draft.md", "notes.txt"]
    marks = tree.xpath("//li[@class='citing-item']//mark/text()")
    assert marks == ["@roe1999", "1"]
    hrefs = tree.xpath("//li[@class='citing-item']/p[@class='where']/a/@href")
    assert hrefs == ["../documents/draft.md.html#p2", "../documents/notes.txt.html#p2"]
    code = tree.xpath("//pre/code/text()")
    assert code[0].startswith("@book{roe1999,")
    assert json.loads(code[1])["title"] == "A Quiet History of Small Things"
    # APA 7 through pandoc's citeproc (render/styles.py); APA 7 prints no place of publication
    assert "Roe, R. (1999). A Quiet History of Small Things. Plain Books." in text_of(path)


def test_document_page_links_markers_to_works_and_shows_findings_in_place(site: Path) -> None:
    tree = page(site / "documents/notes.txt.html")
    cites = tree.xpath("//div[@id='p2']//a[@class='cite']")
    assert [(a.text, a.get("href")) for a in cites] == [("1", "../works/roe1999.html")]
    passage = tree.xpath("//div[@id='p3']//p[@class='passage-text']")[0].text_content()
    assert '<img src=x onerror="window.pwned=1">' in passage
    draft = page(site / "documents/draft.md.html")
    finding = draft.xpath("//div[@id='p3']//div[contains(@class, 'finding')]")
    assert len(finding) == 1 and "nosuchkey2000" in finding[0].text_content()
    assert "not linked to a work: 1 key" in draft.xpath("//div[@id='p3']")[0].text_content()


def test_findings_page_links_each_finding_to_its_passage(site: Path) -> None:
    tree = page(site / "findings.html")
    rows = tree.xpath("//table[@class='findings']/tbody/tr")
    assert len(rows) == 1
    assert rows[0].xpath(".//a/@href") == ["documents/draft.md.html#p3"]
    assert "unknown-citation-key" in rows[0].text_content()


def test_links_page_lists_urls_with_verdicts_and_archive_suggestions(fixture_store: Store, tmp_path: Path) -> None:
    fixture_store.save_url_checks([
        (UrlCheck("https://example.org/cited-page", Verdict.BROKEN, 404, None, "Not Found", None,
                  "2024-01-01T00:00:00+00:00"), "2024-01-01T00:00:00+00:00", 2),
        (UrlCheck("https://example.invalid/gone", Verdict.DRIFTED, 200, None, "title changed",
                  "https://web.archive.org/web/2019/https://example.invalid/gone", "2024-01-01T00:00:00+00:00"),
         None, 0),
    ])
    site = report.build(fixture_store, tmp_path / "links-site").path
    tree = page(site / "links.html")
    rows = {r.xpath("string(./td[1]/*[1])"): r for r in tree.xpath("//table[@class='urls']/tbody/tr")}
    assert set(rows) == {"https://example.org/cited-page", "https://example.invalid/gone", "javascript:window.pwned=1",
                         'https://example.invalid/"><script>alert(2)</script>'}
    broken = rows["https://example.org/cited-page"]
    assert broken.xpath(".//span[contains(@class,'verdict')]/text()") == ["broken"]
    assert broken.xpath("./td[4]/a/@href") == ["https://web.archive.org/web/*/https://example.org/cited-page"]
    assert broken.xpath("./td[5]/a/@href") == ["documents/draft.md.html#p4"]
    drifted = rows["https://example.invalid/gone"]
    assert drifted.xpath("./td[4]/a/@href") == ["https://web.archive.org/web/2019/https://example.invalid/gone"]
    assert rows["javascript:window.pwned=1"].xpath(".//span[contains(@class,'verdict')]/text()") == ["unchecked"]
    hosts = [r.xpath("./td[1]/text()")[0] for r in tree.xpath("//table[@class='hosts']/tbody/tr")]
    assert hosts[0] == "example.invalid" and "example.org" in hosts


# --- splitting large listings --------------------------------------------------------------------------------


def big_store(path: Path, works: int, passages: int) -> Store:
    """``works`` works all cited from one document of ``passages`` passages (one citation per passage)."""
    store = Store(path)
    doc = Document(str(path.parent / "long.txt"), "long.txt", "text", "0" * 64, 1,
                   tuple(Passage(i, i + 1, f"Sentence number {i}.{i % 9 + 1}") for i in range(passages)), ())
    store.save_document(doc.path, "long.txt", doc, [], [])
    keys = [f"k{i:04d}" for i in range(works)]
    with store.transaction() as db:
        db.executemany(
            "INSERT INTO citations (document_id, seq, kind, marker, line, col, passage_idx, work_key)"
            " VALUES (1, ?, 'footnote', ?, ?, 1, ?, ?)",
            [(i, str(i % 9 + 1), i + 1, i, keys[i % works]) for i in range(passages)],
        )
    store.save_works([Work(k, Reference(title=f"Title {k}"), citation_count=passages // works) for k in keys], {})
    return store


def test_listings_are_split_so_no_page_is_long(tmp_path: Path) -> None:
    store = big_store(tmp_path / "big.db", works=25, passages=60)
    site = report.build(store, tmp_path / "big", page_size=10).path
    assert sorted(p.name for p in site.glob("index*.html")) == ["index-2.html", "index-3.html", "index.html"]
    assert len(page(site / "index-3.html").xpath("//table[@id='works-table']/tbody/tr")) == 5
    doc_pages = sorted(site.glob("documents/long.txt*.html"))
    assert len(doc_pages) == 6
    for p in doc_pages:
        assert len(page(p).xpath("//div[@class='passage']")) == 10
    tree = page(site / "works/k0001.html")
    assert len(tree.xpath("//li[@class='citing-item']")) == 3
    # passages 1, 26 and 51 cite it: on the first, third and sixth pages of the document
    assert tree.xpath("//p[@class='where']/a/@href") == [
        "../documents/long.txt.html#p1", "../documents/long.txt-3.html#p26", "../documents/long.txt-6.html#p51"]
    nav = page(site / "index-2.html").xpath("//nav[@class='pager']//a")
    assert (nav[0].text, nav[0].get("href")) == ("← Previous", "index.html")
    store.close()


def test_parallel_writers_write_the_same_site(tmp_path: Path) -> None:
    store = big_store(tmp_path / "big.db", works=12, passages=40)
    one = report.build(store, tmp_path / "one", page_size=10, jobs=1)
    two = report.build(store, tmp_path / "two", page_size=10, jobs=2, parallel_from=0)
    assert one.pages == two.pages
    names = sorted(p.relative_to(one.path).as_posix() for p in one.path.rglob("*.html"))
    assert names == sorted(p.relative_to(two.path).as_posix() for p in two.path.rglob("*.html"))
    strip = re.compile(r"Written by biblio .*? on [^.]*\.")
    for name in names:
        a = strip.sub("", (one.path / name).read_text(encoding="utf-8"))
        assert a == strip.sub("", (two.path / name).read_text(encoding="utf-8")), name
    store.close()


# --- output folder ----------------------------------------------------------------------------------------------


def test_rebuild_replaces_the_previous_report_whole(fixture_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    report.build(fixture_store, out)
    (out / "works" / "stale.html").write_text("old", encoding="utf-8")
    report.build(fixture_store, out)
    assert not (out / "works" / "stale.html").exists()
    assert (out / "index.html").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: (p.mkdir(), (p / "thesis.tex").write_text("mine")), id="foreign-folder"),
        pytest.param(lambda p: p.write_text("a file"), id="a-file"),
    ],
)
def test_refuses_to_replace_what_is_not_a_report(fixture_store: Store, tmp_path: Path, make) -> None:
    out = tmp_path / "target"
    make(out)
    with pytest.raises(BiblioError):
        report.build(fixture_store, out)
    assert out.exists()


def test_empty_store_still_makes_a_site(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.db") as store:
        site = report.build(store, tmp_path / "empty").path
    assert "No works yet" in text_of(site / "index.html")
    assert "No URLs are cited" in text_of(site / "links.html")


def test_a_style_that_fails_on_a_work_falls_back_to_the_fields(fixture_store: Store, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(style: str):
        def fmt(ref: Reference) -> str:
            raise ValueError("no date")
        return fmt, style

    monkeypatch.setattr(report, "reference_formatter", broken)
    site = report.build(fixture_store, tmp_path / "fallback").path
    body = text_of(site / "works/roe1999.html")
    assert "could not format this work (ValueError: no date)" in body
    assert "Roe, R. (1999)." in body


# --- command line -------------------------------------------------------------------------------------------------


def test_cli_report_prints_the_index_path(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    shutil.copy(BIB, bib)
    runner = CliRunner()
    built = runner.invoke(cli, ["build", str(CORPUS), "--bib", str(bib)])
    assert built.exit_code == 0, built.output
    result = runner.invoke(cli, ["report", "-o", "out", "--style", "apa"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(Path("out") / "index.html")
    assert "4 works, 2 documents" in result.stderr
    assert (tmp_path / "out" / "index.html").exists()


def test_cli_report_error_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "-o", "taken"])
    assert result.exit_code == 1
    assert result.stderr.startswith("biblio: error: taken: folder is not empty")


def test_cli_report_has_help() -> None:
    result = CliRunner().invoke(cli, ["report", "--help"])
    assert result.exit_code == 0 and "--style" in result.output and "-o, --output DIR" in result.output


# --- the real corpus ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Store]:
    """Every seed built with the project's references.bib (copied) and its URLs checked offline-fast."""
    first = seed("000_")
    root = tmp_path_factory.mktemp("seeds")
    bib = root / "references.bib"
    shutil.copy(Path(__file__).resolve().parent.parent / "references.bib", bib)
    db = root / "seeds.db"
    runner = CliRunner()
    built = runner.invoke(cli, ["--db", str(db), "build", str(first.parent), "--bib", str(bib)])
    assert built.exit_code in (0, 1), built.output
    runner.invoke(cli, ["--db", str(db), "check-urls", "--timeout", "0.5", "--deadline", "1", "--retries", "0",
                        "--no-archive", "--concurrency", "8"])
    result = runner.invoke(cli, ["--db", str(db), "report", "-o", str(root / "site")])
    assert result.exit_code == 0, result.output
    store = Store(db)
    yield root / "site", store
    store.close()


def test_seed_work_page_shows_citations_from_both_documents(seed_site) -> None:
    site, _ = seed_site
    tree = page(site / "works/abrahamian1989.html")
    assert tree.findtext(".//h1") == "The Iranian Mojahedin"
    docs = tree.xpath("//h3/a/text()")
    assert [d[:4] for d in docs] == ["000_", "002_"]
    assert len(tree.xpath("//li[@class='citing-item']")) == 2
    assert tree.xpath("//li[@class='citing-item']//mark")


def test_seed_links_page_lists_every_checked_url_with_its_verdict(seed_site) -> None:
    site, store = seed_site
    checks = store.url_checks()
    assert len(checks) >= 2
    tree = page(site / "links.html")
    listed = {}
    for row in tree.xpath("//table[@class='urls']/tbody/tr"):
        url = row.xpath("string(./td[1]/*[1])")
        listed[url] = row.xpath(".//span[contains(@class,'verdict')]/text()")[0]
    for url, (check, _, _) in checks.items():
        assert listed[url] == check.verdict.value
