"""The LaTeX reader: cite keys and locators, footnotes, URLs, prose, and broken braces."""

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
from biblio.read import latex
from biblio.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "latex"


def read(body: str) -> Document:
    return latex.read("draft.tex", "draft.tex", body, "0" * 64, len(body))


def fixture() -> Document:
    path = FIXTURES / "draft.tex"
    body = path.read_text(encoding="utf-8")
    return latex.read(str(path), "draft.tex", body, "0" * 64, len(body))


def keys(doc: Document) -> list[tuple[str | None, str, int, int]]:
    return [(c.key, c.locator, c.line, c.column) for c in doc.citations if c.kind == "key"]


def rules(doc: Document) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in doc.findings]


NOTE_1 = "Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven, CT: Yale University Press, p. 98."
RAND_URL = "https://www.rand.org/pubs/monographs/MG871.html"
CHECKED = {"unknown-citation-key", "unused-bib-entry", "orphan-marker", "unused-note", "duplicate-note",
           "unbalanced-brace"}


def test_draft_citations() -> None:
    doc = fixture()
    assert [(c.kind, c.line, c.column, c.marker, c.raw, c.note_line, c.passage, c.key, c.locator)
            for c in doc.citations] == [
        ("key", 10, 85, None, None, None, 1, "abrahamian1989", "p. 86"),
        ("key", 11, 51, None, None, None, 2, "mohaddessin2004", ""),
        ("key", 12, 7, None, None, None, 2, "abrahamian1989", ""),
        ("key", 12, 23, None, None, None, 2, "rand2010", ""),
        ("footnote", 12, 33, "1", NOTE_1, 12, 2, None, ""),
        ("url", 15, 30, "No Exit", "https://www.hrw.org/report/2005/05/18/no-exit", None, 3, None, ""),
        ("footnote", 15, 107, "2", "Ibid., p. 12.", 15, 3, None, ""),
        ("key", 18, 61, None, None, None, 5, "rand2009", "ch. 3"),
        ("url", 19, 1, None, RAND_URL, None, 5, None, ""),
        ("key", 20, 33, None, None, None, 6, "rand2009", "pp. 4–5"),
    ]
    assert [(n.number, n.line, n.column, n.style) for n in doc.notes] == [(1, 12, 43, "latex"), (2, 15, 117, "latex")]
    assert [(m.number, m.line, m.column, m.passage) for m in doc.markers] == [(1, 12, 33, 2), (2, 15, 107, 3)]
    assert footnotes.lint(doc) == []
    assert doc.findings == ()
    assert doc.skip_lines == frozenset({13})


def test_draft_passages_are_the_body_as_plain_text() -> None:
    doc = fixture()
    assert [(p.line, p.text) for p in doc.passages] == [
        (9, "Origins"),
        (10, "The organisation grew out of a circle of Tehran students in 1965 [abrahamian1989, p. 86]."),
        (11, "Its break with Khomeini in 1981 is told by [mohaddessin2004] and [abrahamian1989, rand2010].[1]"),
        (15, "Human Rights Watch published No Exit in 2005.[2]"),
        (17, "Iraq"),
        (18, f"RAND called the camp a “policy conundrum”[rand2009, ch. 3]; its text is at {RAND_URL}."),
        (19, "Some 50% of residents were women, [rand2009, pp. 4–5] say."),
    ]
    # \url is a citation already: the identifier finder does not count it again
    assert list(identifiers.find(doc)) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(r"A \cite{rand2009}.", [("rand2009", "", 1, 9)], id="cite"),
        pytest.param(r"A \citep[p.~33]{rand2009}.", [("rand2009", "p. 33", 1, 17)], id="postnote-only"),
        pytest.param(r"A \cite[see][33]{hrw2005, rand2009}.", [("hrw2005", "", 1, 18), ("rand2009", "33", 1, 27)],
                     id="postnote-goes-to-the-last-key"),
        pytest.param(r"A \cite[see][]{rand2009}.", [("rand2009", "", 1, 16)], id="empty-postnote"),
        pytest.param(r"A \citet*{rand2009}.", [("rand2009", "", 1, 11)], id="starred"),
        pytest.param(r"\Textcite[ch.~2]{rand2009} says.", [("rand2009", "ch. 2", 1, 18)], id="capitalised"),
        pytest.param(r"A \parencite [p. 3] {rand2009}.", [("rand2009", "p. 3", 1, 22)], id="spaces-between-arguments"),
        pytest.param("A \\autocite[p.\n5]{rand2009}.", [("rand2009", "p. 5", 2, 4)], id="argument-across-lines"),
        pytest.param(r"A claim.\footcite[12]{hrw2005}", [("hrw2005", "12", 1, 23)], id="footcite"),
        pytest.param(r"A \parencites[see][4]{hrw2005}[9]{rand2009}.",
                     [("hrw2005", "4", 1, 23), ("rand2009", "9", 1, 35)], id="multicite"),
        pytest.param(r"A \cite[{p. [3]}]{rand2009}.", [("rand2009", "p. [3]", 1, 19)], id="bracket-inside-braces"),
        pytest.param(r"A \nocite{rand2009}.", [], id="nocite-is-not-a-citation"),
        pytest.param("A claim. % \\cite{rand2009}\nMore.", [], id="comment"),
        pytest.param(r"50\% of \cite{rand2009}.", [("rand2009", "", 1, 15)], id="escaped-percent-is-not-a-comment"),
        pytest.param("\\begin{verbatim}\n\\cite{rand2009}\n\\end{verbatim}\n", [], id="verbatim"),
        pytest.param(r"Use \verb|\cite{rand2009}| here.", [], id="verb"),
        pytest.param("\\iffalse\n\\cite{rand2009}\n\\fi\nText.", [], id="iffalse"),
        pytest.param(r"Math $\cite{x}$ is skipped \cite{rand2009}.", [("rand2009", "", 1, 34)], id="math"),
        pytest.param("\\cite{pre}\n\\begin{document}\nBody \\cite{rand2009}.\n\\end{document}\n\\cite{post}",
                     [("rand2009", "", 3, 12)], id="preamble-and-after-end"),
    ],
)
def test_citation_keys(body: str, expected: list) -> None:
    assert keys(read(body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(r"See \url{https://example.org/a%20b#c_d}.", [(None, "https://example.org/a%20b#c_d", 1, 5)],
                     id="url-keeps-percent-and-hash"),
        pytest.param(r"See \href{https://www.hrw.org/x\_y}{\emph{No} Exit}.",
                     [("No Exit", "https://www.hrw.org/x_y", 1, 5)], id="href-with-formatted-text"),
    ],
)
def test_urls(body: str, expected: list) -> None:
    doc = read(body)
    assert [(c.marker, c.raw, c.line, c.column) for c in doc.citations if c.kind == "url"] == expected


def test_doi_command() -> None:
    doc = read(r"See \doi{10.1000/xyz123}.")
    assert [(c.kind, c.raw, c.column) for c in doc.citations] == [("doi", "10.1000/xyz123", 5)]


def test_footnote_text_is_plain_and_its_citations_sit_at_its_marker() -> None:
    body = ("First sentence. A claim.\\footnote{See \\emph{No Exit} (HRW, 2005), \\cite[p.~3]{hrw2005}; "
            "also {\\itshape Enemies} --- \\textbf{p.~12}.} Next.\n")
    doc = read(body)
    (note,) = doc.notes
    assert note.text == "See No Exit (HRW, 2005), [hrw2005, p. 3]; also Enemies — p. 12."
    assert keys(doc) == [("hrw2005", "p. 3", 1, 79)]
    assert doc.citations[0].passage == doc.markers[0].passage == 1
    assert [p.text for p in doc.passages] == ["First sentence.", "A claim.[1]", "Next."]


def test_optional_footnote_number() -> None:
    doc = read(r"A.\footnote[7]{Seven.} B.\footnote{One.}")
    assert [(n.number, n.text) for n in doc.notes] == [(7, "Seven."), (1, "One.")]


@pytest.mark.parametrize(
    ("body", "text"),
    [
        pytest.param(r"Caf\'e, na\"{\i}ve, \c{c}a.", "Café, naïve, ça.", id="accents"),
        pytest.param(r"Ma\ss{}nahmen \& \S 3, 1981--1986.", "Maßnahmen & § 3, 1981–1986.", id="symbols"),
        pytest.param(r"\emph{The} \textbf{Iranian} \textit{Mojahedin}.", "The Iranian Mojahedin.", id="formatting"),
        pytest.param(r"See section~\ref{sec:x}\label{y}.", "See section .", id="references-dropped"),
        pytest.param(r"\section*{Exile} Text.", "Exile", id="section-title-is-its-own-passage"),
    ],
)
def test_prose(body: str, text: str) -> None:
    assert read(body).passages[0].text == text


def test_unclosed_brace_is_a_finding_and_the_rest_is_read() -> None:
    body = "Before \\cite{abrahamian1989}.\n\n\\emph{Unclosed \\footnote{Also unclosed\n\nAfter \\cite{rand2009}.\n"
    doc = read(body)
    assert rules(doc) == [("unbalanced-brace", 3, 6)]
    assert "2 braces are left open" in doc.findings[0].message
    assert keys(doc) == [("abrahamian1989", "", 1, 14), ("rand2009", "", 5, 13)]
    assert [n.text for n in doc.notes] == ["Also unclosed"]  # read to the end of its paragraph


def test_stray_closing_braces_give_one_finding_per_line() -> None:
    doc = read("Text}} more}.\nNext } line \\cite{rand2009}.\n")
    assert rules(doc) == [("unbalanced-brace", 1, 5), ("unbalanced-brace", 2, 6)]
    assert keys(doc) == [("rand2009", "", 2, 19)]


def test_unclosed_verbatim_is_a_finding() -> None:
    doc = read("Cited \\cite{rand2009}.\n\\begin{verbatim}\n\\cite{hidden}\n")
    assert rules(doc) == [("unclosed-verbatim", 2, 1)]
    assert keys(doc) == [("rand2009", "", 1, 13)]


@pytest.mark.parametrize(
    ("middle", "findings"),
    [
        pytest.param("{" * 10_000 + "deep" + "}" * 10_000, [], id="balanced"),
        pytest.param("{" * 10_000 + "deep", [("unbalanced-brace", 3, 1)], id="never-closed"),
        pytest.param("}" * 10_000, [("unbalanced-brace", 3, 1)], id="never-opened"),
        pytest.param("\\footnote{" * 10_000 + "deep", [("unbalanced-brace", 3, 10)], id="nested-footnotes"),
        pytest.param("\\emph{" * 10_000 + "deep" + "}" * 10_000, [], id="nested-commands"),
        pytest.param("\\cite[" * 10_000, [], id="unclosed-optional-arguments"),
    ],
)
def test_ten_thousand_levels_are_linear_and_the_rest_is_read(middle: str, findings: list) -> None:
    body = f"Before \\cite{{abrahamian1989}}.\n\n{middle}\n\nAfter \\cite{{rand2009}}.\n"
    started = time.perf_counter()
    doc = read(body)
    assert time.perf_counter() - started < 2
    assert rules(doc) == findings
    assert keys(doc)[0] == ("abrahamian1989", "", 1, 14)
    assert keys(doc)[-1] == ("rand2009", "", 5, 13)


def test_a_megabyte_draft_reads_in_well_under_five_seconds() -> None:
    paragraph = ("The group moved to Iraq in 1986.\\footnote{Author {0}, \\emph{{Title}} (2005), p.~{0}.} See "
                 "\\citep[p.~{0}]{{key{0}}} and \\url{{https://example.org/{0}}}.\n\n")
    body = ("\\documentclass{article}\n\\begin{document}\n"
            + "".join(paragraph.replace("{0}", str(i)) for i in range(1, 6500)) + "\\end{document}\n")
    assert len(body) > 900_000
    started = time.perf_counter()
    doc = read(body)
    assert time.perf_counter() - started < 5
    assert (len(doc.notes), len(keys(doc))) == (6499, 6499)


def test_check_with_bib_reports_unknown_and_unused_keys(tmp_path: Path) -> None:
    draft = shutil.copy(FIXTURES / "draft.tex", tmp_path / "draft.tex")
    bib = shutil.copy(FIXTURES / "refs.bib", tmp_path / "refs.bib")
    result = CliRunner().invoke(cli, ["check", "--bib", str(bib), "--unused", str(draft), "--format", "json"])
    assert result.exit_code == 1, result.output
    found = [(Path(f["path"]).name, f["line"], f["column"], f["rule"], f["message"])
             for f in json.loads(result.output) if f["rule"] in CHECKED]
    assert found == [
        ("draft.tex", 12, 23, "unknown-citation-key", "citation key 'rand2010' is not in the bibliography"),
        ("refs.bib", 26, 1, "unused-bib-entry", "entry 'hrw2005' is never cited"),
    ]


def test_build_stores_keys_footnotes_and_ibid(tmp_path: Path) -> None:
    bib = shutil.copy(FIXTURES / "refs.bib", tmp_path / "refs.bib")
    with Store(tmp_path / "s.db") as store:
        report = pipeline.build([FIXTURES / "draft.tex"], store, bib)
        assert report.documents_read == 1
        stored = [(c.kind, c.line, c.column, c.marker, c.work, c.locator) for c in store.citations()
                  if c.kind in ("key", "footnote", "url")]  # later stages may add kinds of their own
    assert stored == [
        ("key", 10, 85, None, "abrahamian1989", "p. 86"),
        ("key", 11, 51, None, "mohaddessin2004", ""),
        ("key", 12, 7, None, "abrahamian1989", ""),
        ("key", 12, 23, None, None, ""),
        ("footnote", 12, 33, "1", "abrahamian1989", "p. 98"),
        ("url", 15, 30, "No Exit", None, ""),
        ("footnote", 15, 107, "2", "abrahamian1989", "p. 12"),  # Ibid., p. 12
        ("key", 18, 61, None, "rand2009", "ch. 3"),
        ("url", 19, 1, None, None, ""),
        ("key", 20, 33, None, "rand2009", "pp. 4–5"),
    ]


def test_two_footnotes_on_one_line_keep_their_own_works(tmp_path) -> None:
    from biblio import pipeline

    draft = tmp_path / "one-line.tex"
    draft.write_text(
        "Claim one.\\footnote{Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven: Yale University Press.}"
        " Claim two.\\footnote{Bakhash, Shaul. (1984). The Reign of the Ayatollahs. New York: Basic Books.}\n",
        encoding="utf-8",
    )
    analysis = next(iter(pipeline.analyse_paths([draft])))
    titles = [ref.title for c, ref in analysis.citations if c.kind == "footnote"]
    assert titles == ["The Iranian Mojahedin", "The Reign of the Ayatollahs"]
