"""The Markdown reader: footnotes, links, pandoc citation keys, and what is not a citation."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from biblio import pipeline
from biblio.check import footnotes
from biblio.cli import cli
from biblio.find import identifiers
from biblio.model import Document
from biblio.read import markdown
from biblio.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "markdown"
CHECKED = {"unknown-citation-key", "unused-bib-entry", "orphan-marker", "unused-note", "duplicate-note"}


def read(body: str) -> Document:
    return markdown.read("draft.md", "draft.md", body, "0" * 64, len(body))


def fixture() -> Document:
    path = FIXTURES / "draft.md"
    body = path.read_text(encoding="utf-8")
    return markdown.read(str(path), "draft.md", body, "0" * 64, len(body))


def keys(doc: Document) -> list[tuple[str | None, str, int, int]]:
    return [(c.key, c.locator, c.line, c.column) for c in doc.citations if c.kind == "key"]


def lint(doc: Document) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in footnotes.lint(doc)]


ABRAHAMIAN = "Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven, CT: Yale University Press, p. 86."
HRW_NOTE = ("Human Rights Watch. (2005). No Exit: Human Rights Abuses Inside the MKO Camps. New York: Human Rights "
            "Watch. The group rejected the report; see @mohaddessin2004 [p. 30] and https://www.example.org/reply.")


def test_draft_citations() -> None:
    doc = fixture()
    assert [(c.kind, c.line, c.column, c.marker, c.raw, c.note_line, c.passage, c.key, c.locator)
            for c in doc.citations] == [
        ("footnote", 8, 66, "1", ABRAHAMIAN, 25, 1, None, ""),
        ("key", 9, 58, None, None, None, 2, "abrahamian1989", "pp. 81-98"),
        ("key", 9, 87, None, None, None, 2, "mohaddessin2004", ""),
        ("key", 10, 1, None, None, None, 2, "rand2009", "p. 12"),
        ("url", 14, 9, "RAND study", "https://www.rand.org/pubs/monographs/MG871.html", None, 4, None, ""),
        ("url", 15, 1, "HRW report", "https://www.hrw.org/reports/2005/iran0505/", None, 4, None, ""),
        ("url", 15, 23, "https://www.hrw.org/report/2005/05/18/no-exit",
         "https://www.hrw.org/report/2005/05/18/no-exit", None, 4, None, ""),
        ("key", 16, 43, None, None, None, 5, "abrahamain1989", ""),
        ("footnote", 16, 59, "label", HRW_NOTE, 27, 5, None, ""),
        ("footnote", 17, 54, "missing", None, None, 6, None, ""),
        # inside the second paragraph of note [^label]: the passage is that of its callout
        ("key", 30, 40, None, None, None, 5, "mohaddessin2004", "p. 30"),
        ("url", 30, 69, "https://www.example.org/reply", "https://www.example.org/reply", None, 5, None, ""),
        ("footnote", 32, 1, None, "A note that nothing cites.", 32, None, None, ""),
    ]


def test_draft_passages_notes_and_lint() -> None:
    doc = fixture()
    assert [(p.line, p.text) for p in doc.passages] == [
        (6, "Origins"),
        (8, "The organisation grew out of a circle of Tehran students in 1965.[1]"),
        (9, "Its early ideology is described at length elsewhere [see @abrahamian1989, pp. 81-98; -@mohaddessin2004]. "
            "@rand2009 [p. 12] called the camp in Iraq a policy conundrum."),
        (12, "Sources online"),
        (14, "See the RAND study and the HRW report, or https://www.hrw.org/report/2005/05/18/no-exit."),
        (16, "Readers wrote to editor@example.org about @abrahamain1989.[2]"),
        (17, "Inline code like [@notakey] [^9] is not a citation.[4]"),
    ]
    # labels take numbers in order of definition: 1 is [^1], label 2, spare 3, missing (never defined) 4
    assert [(n.number, n.line, n.column) for n in doc.notes] == [(1, 25, 1), (2, 27, 1), (3, 32, 1), (1, 34, 1)]
    assert [(m.number, m.line, m.column) for m in doc.markers] == [(1, 8, 66), (2, 16, 59), (4, 17, 54)]
    assert lint(doc) == [("orphan-marker", 17, 54), ("unused-note", 32, 1), ("duplicate-note", 34, 1)]
    # messages name the label the writer wrote, not the number it was given
    assert [f.message for f in footnotes.lint(doc)] == [
        "footnote marker [^missing] has no note in the notes on line 25",
        "note [^spare] is never cited by a marker",
        "note 1 is defined twice (first on line 25)",
    ]
    assert doc.skip_lines == frozenset({25, 27, 28, 29, 30, 32, 34})
    assert doc.findings == ()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("As shown [@abrahamian1989, p. 33; @rand2009].",
                     [("abrahamian1989", "p. 33", 1, 11), ("rand2009", "", 1, 35)], id="two-keys-with-locator"),
        pytest.param("As shown [see @rand2009 pp. 3-5].", [("rand2009", "pp. 3-5", 1, 15)],
                     id="prefix-and-bare-locator"),
        pytest.param("Mohaddessin says so [-@mohaddessin2004].", [("mohaddessin2004", "", 1, 23)],
                     id="suppressed-author"),
        pytest.param("@rand2009 says so.", [("rand2009", "", 1, 1)], id="in-text"),
        pytest.param("As @rand2009 [p. 33] says.", [("rand2009", "p. 33", 1, 4)], id="in-text-with-locator"),
        pytest.param("As @rand2009.", [("rand2009", "", 1, 4)], id="sentence-end-is-not-part-of-the-key"),
        pytest.param("See [@{hrw:2005.no-exit}].", [("hrw:2005.no-exit", "", 1, 6)], id="braced-key"),
        pytest.param("Write to press@example.org today.", [], id="email-is-not-a-key"),
        pytest.param("See https://medium.com/@someone/post.", [], id="at-in-a-url-is-not-a-key"),
        pytest.param("Use `[@rand2009]` or `@rand2009`.", [], id="code-span"),
        pytest.param("Use ``code with ` and @rand2009``.", [], id="double-backtick-code-span"),
        pytest.param("Escaped \\@rand2009 is text.", [], id="escaped-at"),
        pytest.param("```\n@rand2009 [@hrw2005]\n```\n", [], id="fenced-code"),
        pytest.param("~~~ md\n[@rand2009]\n~~~\n", [], id="tilde-fence"),
        pytest.param("Prose.\n\n    @rand2009 [@hrw2005]\n", [], id="indented-code"),
        pytest.param("<!-- [@rand2009]\n\n@hrw2005 -->\nText.", [], id="html-comment"),
        pytest.param("---\ntitle: x\nauthor: '@rand2009'\n---\nText.", [], id="front-matter"),
    ],
)
def test_citation_keys(body: str, expected: list) -> None:
    assert keys(read(body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param('See [the study](https://www.rand.org/x "RAND").', [("the study", "https://www.rand.org/x", 1, 5)],
                     id="inline-with-title"),
        pytest.param("See [it](<https://example.org/a b>).", [("it", "https://example.org/a b", 1, 5)],
                     id="angle-destination"),
        pytest.param("See [wiki](https://en.wikipedia.org/wiki/Foo_(bar)).",
                     [("wiki", "https://en.wikipedia.org/wiki/Foo_(bar)", 1, 5)], id="balanced-parentheses"),
        pytest.param("See [*No Exit*][hrw].\n\n[HRW]: https://www.hrw.org/x\n",
                     [("No Exit", "https://www.hrw.org/x", 1, 5)], id="full-reference-case-insensitive"),
        pytest.param("See [hrw][].\n\n[hrw]: https://www.hrw.org/x\n", [("hrw", "https://www.hrw.org/x", 1, 5)],
                     id="collapsed-reference"),
        pytest.param("See [hrw].\n\n[hrw]: <https://www.hrw.org/x> 'HRW'\n", [("hrw", "https://www.hrw.org/x", 1, 5)],
                     id="shortcut-reference"),
        pytest.param("See [nothing] here.", [], id="brackets-without-a-definition"),
        pytest.param("See <https://www.hrw.org/x>.", [("https://www.hrw.org/x", "https://www.hrw.org/x", 1, 5)],
                     id="autolink"),
        pytest.param("See ![a photo](https://example.org/p.jpg).", [], id="image-is-not-a-citation"),
        pytest.param("See [half](https://example.org/unclosed", [], id="unclosed-destination"),
    ],
)
def test_links(body: str, expected: list) -> None:
    doc = read(body)
    assert [(c.marker, c.raw, c.line, c.column) for c in doc.citations if c.kind == "url"] == expected


def test_bare_url_in_prose_is_left_to_the_identifier_finder_and_links_are_not_found_twice() -> None:
    doc = read("See [RAND](https://www.rand.org/a) and https://example.org/snake_case_path here.\n")
    assert [(c.raw, c.column) for c in doc.citations] == [("https://www.rand.org/a", 5)]
    assert [(c.raw, c.column) for c in identifiers.find(doc)] == [("https://example.org/snake_case_path", 40)]


def test_multi_paragraph_footnote_with_tab_and_lazy_continuation() -> None:
    body = (
        "Claim.[^a]\n\n"
        "[^a]: First line of the note\n"
        "continued lazily.\n\n"
        "\tSecond paragraph after a tab, citing @rand2009.\n\n"
        "Back in the body.\n"
    )
    doc = read(body)
    assert doc.notes[0].text == ("First line of the note continued lazily. Second paragraph after a tab, citing "
                                 "@rand2009.")
    assert keys(doc) == [("rand2009", "", 6, 39)]
    assert doc.citations[-1].passage == 0
    assert [p.text for p in doc.passages] == ["Claim.[1]", "Back in the body."]
    assert doc.skip_lines == frozenset({3, 4, 5, 6})


def test_numeric_labels_keep_their_number_and_others_take_free_ones() -> None:
    doc = read("One.[^2] Two.[^x] Three.[^y]\n\n[^y]: Y.\n[^2]: Two.\n[^x]: X.\n")
    assert [(n.number, n.text) for n in doc.notes] == [(1, "Y."), (2, "Two."), (3, "X.")]
    assert [(m.number, c.marker) for m, c in zip(doc.markers, doc.citations, strict=True)] == [
        (2, "2"), (3, "x"), (1, "y")]


def test_a_note_cited_twice_is_one_marker() -> None:
    doc = read("One.[^a] Two.[^b] Again.[^a]\n\n[^a]: A.\n\n[^b]: B.\n")
    assert [m.number for m in doc.markers] == [1, 2]
    assert [c.raw for c in doc.citations] == ["A.", "B.", "A."]
    assert lint(doc) == []


def test_ten_thousand_nested_brackets_and_unclosed_constructs_do_not_stop_the_rest() -> None:
    body = (
        "[" * 10_000 + "deep" + "]" * 10_000 + "\n\n"
        + "[" * 10_000 + " open\n\n"
        + "An unclosed [^1 footnote and [link](https://example.org/x and `code.\n\n"
        + "Still read [@abrahamian1989, p. 3].[^n]\n\n[^n]: Note.\n"
    )
    started = time.perf_counter()
    doc = read(body)
    assert time.perf_counter() - started < 2
    assert keys(doc) == [("abrahamian1989", "p. 3", 7, 13)]
    assert [(c.kind, c.line, c.raw) for c in doc.citations if c.kind == "footnote"] == [("footnote", 7, "Note.")]
    assert lint(doc) == []


def test_unclosed_code_fence_is_a_finding() -> None:
    doc = read("Cited [@rand2009].\n\n```python\n[@notakey]\n")
    assert [(f.rule, f.line, f.column) for f in doc.findings] == [("unclosed-code-fence", 3, 1)]
    assert keys(doc) == [("rand2009", "", 1, 8)]


def test_a_megabyte_draft_reads_in_well_under_five_seconds() -> None:
    paragraph = ("The group moved to Iraq in 1986.[^n{0}] See [the source](https://example.org/{0}) and "
                 "[@key{0}, p. {0}].\n\n[^n{0}]: Author {0}. (2005). *Title*. London: Press.\n\n")
    body = "".join(paragraph.format(i) for i in range(1, 6500))
    assert len(body) > 900_000
    started = time.perf_counter()
    doc = read(body)
    assert time.perf_counter() - started < 5
    assert (len(doc.markers), len(doc.notes), len(keys(doc))) == (6499, 6499, 6499)


def test_check_with_bib_reports_unknown_and_unused_keys(tmp_path: Path) -> None:
    draft = shutil.copy(FIXTURES / "draft.md", tmp_path / "draft.md")
    bib = shutil.copy(FIXTURES / "refs.bib", tmp_path / "refs.bib")
    result = CliRunner().invoke(cli, ["check", "--bib", str(bib), "--unused", str(draft), "--format", "json"])
    assert result.exit_code == 1, result.output
    found = [(Path(f["path"]).name, f["line"], f["column"], f["rule"], f["severity"])
             for f in json.loads(result.output) if f["rule"] in CHECKED]
    assert found == [
        ("draft.md", 16, 43, "unknown-citation-key", "error"),
        ("draft.md", 17, 54, "orphan-marker", "error"),
        ("draft.md", 32, 1, "unused-note", "warning"),
        ("draft.md", 34, 1, "duplicate-note", "error"),
        ("refs.bib", 26, 1, "unused-bib-entry", "info"),
    ]
    messages = {f["rule"]: f["message"] for f in json.loads(result.output)}
    assert "'abrahamain1989'" in messages["unknown-citation-key"]
    assert "'hrw2005'" in messages["unused-bib-entry"]


def test_build_stores_keys_linked_to_the_bib(tmp_path: Path) -> None:
    bib = shutil.copy(FIXTURES / "refs.bib", tmp_path / "refs.bib")
    with Store(tmp_path / "s.db") as store:
        report = pipeline.build([FIXTURES / "draft.md"], store, bib)
        assert report.documents_read == 1
        stored = [(c.kind, c.line, c.column, c.marker, c.work, c.locator) for c in store.citations()
                  if c.kind in ("key", "footnote")]
    assert stored == [
        ("footnote", 8, 66, "1", "abrahamian1989", "p. 86"),
        ("key", 9, 58, None, "abrahamian1989", "pp. 81-98"),
        ("key", 9, 87, None, "mohaddessin2004", ""),
        ("key", 10, 1, None, "rand2009", "p. 12"),
        ("key", 16, 43, None, None, ""),
        ("footnote", 16, 59, "label", "hrw2005", ""),
        ("footnote", 17, 54, "missing", None, ""),
        ("key", 30, 40, None, "mohaddessin2004", "p. 30"),
        ("footnote", 32, 1, None, stored[-1][4], ""),
    ]
