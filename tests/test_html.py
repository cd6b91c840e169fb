"""The HTML reader: visible prose at source lines, links, footnote lists, Wikipedia references."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from biblio import pipeline
from biblio.check import footnotes
from biblio.find import identifiers
from biblio.model import Document
from biblio.read import html
from biblio.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"


def read(body: str) -> Document:
    return html.read("page.html", "page.html", body, "0" * 64, len(body))


def fixture(name: str) -> Document:
    path = FIXTURES / name
    body = path.read_text(encoding="utf-8")
    return html.read(str(path), name, body, "0" * 64, len(body))


def cites(doc: Document) -> list[tuple]:
    return [(c.kind, c.line, c.column, c.marker, c.raw, c.note_line, c.passage, c.block) for c in doc.citations]


def lint(doc: Document) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in footnotes.lint(doc)]


ABRAHAMIAN = "Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven, CT: Yale University Press, p. 86."
MOHADDESSIN = "Mohaddessin, Mohammad. (2004). Enemies of the Ayatollahs. London: Zed Books, pp. 20-24."
GOULKA = ("Goulka, Jeremiah. (2009). The Mujahedin-e Khalq in Iraq: A Policy Conundrum. Santa Monica, CA: "
          "RAND Corporation.")
HRW = "Human Rights Watch. (2005). No Exit: Human Rights Abuses Inside the MKO Camps. New York: Human Rights Watch."
RAND_URL = "https://www.rand.org/pubs/monographs/MG871.html"


def test_footnote_page_passages_skip_scripts_navigation_and_hidden_text() -> None:
    doc = fixture("footnotes.html")
    assert [(p.line, p.text) for p in doc.passages] == [
        (13, "The Mojahedin in exile"),
        (14, "The organisation grew out of a circle of engineering students in Tehran in 1965.1"),
        (15, "Its break with Khomeini in 1981 sent its leaders to Paris, and in 1986 to Iraq.2"),
        (16, "RAND called the camp in Iraq a policy conundrum for the occupying forces.3"),
        (17, "Human Rights Watch described abuses inside the camps; the group disputed that account.4"),
        (18, "Former members spoke of long periods alone."),
        (21, "This claim lost its note.7"),
        (21, "The full study is at rand.org & www.example.org/mirror."),
    ]
    body = doc.text
    assert [body[p.offset : p.offset + 12] for p in doc.passages[:2]] == ["The Mojahedi", "The organisa"]


def test_footnote_page_citations() -> None:
    doc = fixture("footnotes.html")
    assert cites(doc) == [
        ("footnote", 14, 84, "1", ABRAHAMIAN, 26, 1, 0),
        ("footnote", 15, 80, "2", MOHADDESSIN, 27, 2, 0),
        ("ref", 16, 33, None, "a policy conundrum", None, 3, None),
        ("footnote", 16, 90, "3", GOULKA, 28, 3, 0),
        ("footnote", 17, 87, "4", HRW, 29, 4, 0),
        ("url", 18, 1, None, "https://www.hrw.org/report/2005/05/18/no-exit", None, 5, None),
        ("footnote", 21, 29, "7", None, None, 6, -1),
        ("url", 21, 82, "rand.org", RAND_URL, None, 7, None),
        # a link inside note 3: the passage is that of the note's callout
        ("url", 28, 40, "The Mujahedin-e Khalq in Iraq: A Policy Conundrum", RAND_URL, 28, 3, None),
        ("footnote", 30, 1, None, "A note that nothing cites.", 30, None, 0),
    ]
    assert [(n.number, n.line, n.column) for n in doc.notes] == [(1, 26, 1), (2, 27, 1), (3, 28, 1), (4, 29, 1),
                                                              (5, 30, 1)]
    assert doc.skip_lines == frozenset({26, 27, 28, 29, 30})


def test_footnote_page_lint_orphan_and_unused() -> None:
    doc = fixture("footnotes.html")
    assert lint(doc) == [("orphan-marker", 21, 29), ("unused-note", 30, 1)]


def test_bare_url_in_prose_is_found_once_and_hrefs_are_not_found_again() -> None:
    doc = fixture("footnotes.html")
    found = [(c.kind, c.raw, c.line, c.column, c.passage) for c in identifiers.find(doc)]
    assert found == [("url", "www.example.org/mirror", 21, 159, 7)]
    assert len(doc.text) == len(FIXTURES.joinpath("footnotes.html").read_text(encoding="utf-8"))


def test_wikipedia_page_reference_spans() -> None:
    doc = fixture("wikipedia.html")
    abrahamian = "Abrahamian, Ervand (1989). The Iranian Mojahedin. New Haven: Yale University Press."
    goulka = "Goulka, Jeremiah; et al. (2009). The Mujahedin-e Khalq in Iraq: A Policy Conundrum. RAND Corporation."
    assert cites(doc) == [
        ("url", 16, 79, "Freedom Movement", "/wiki/Freedom_Movement_of_Iran", None, 1, None),
        ("footnote", 16, 174, "1", abrahamian, 22, 1, 0),
        ("footnote", 17, 61, "2", "Mohaddessin, Mohammad (2004). Enemies of the Ayatollahs. London: Zed Books. p. 112.",
         24, 2, 0),
        ("footnote", 19, 59, "1", abrahamian, 22, 4, 0),  # the same named reference, cited again
        ("footnote", 19, 268, "3", goulka, 26, 5, 0),
        ("url", 22, 299, "The Iranian Mojahedin", "https://archive.org/details/iranianmojahedin0000abra", 22, 1, None),
        ("url", 26, 174, "The Mujahedin-e Khalq in Iraq: A Policy Conundrum", RAND_URL, 26, 5, None),
    ]
    # a reused reference is one marker: no out-of-order warning, no unused note
    assert [(m.number, m.line) for m in doc.markers] == [(1, 16), (2, 17), (3, 19)]
    assert lint(doc) == []


def test_wikipedia_page_prose_leaves_out_chrome() -> None:
    doc = fixture("wikipedia.html")
    assert [(p.line, p.text) for p in doc.passages] == [
        (12, "People's Mojahedin (sample)"),
        (16, "The People's Mojahedin was founded in 1965 by former members of the Freedom Movement.[1]"),
        (17, "After 1986 most of its members lived at Camp Ashraf in Iraq.[2]"),
        (18, "Exile"),
        (19, "Its early ideology mixed Shia Islam with Marxist ideas.[1]"),
        (19, "A 2009 RAND study examined its members in Iraq.[3]"),
        (20, "References"),
    ]
    # entities next to tags (&#91;1&#93;) do not shift what follows
    source = FIXTURES.joinpath("wikipedia.html").read_text(encoding="utf-8")
    assert [source[p.offset : p.offset + 9] for p in doc.passages[2:6]] == ["After 198", "Exile</sp", "Its early",
                                                                           "A 2009 RA"]


@pytest.mark.parametrize(
    "wrapper",
    [
        pytest.param("<script>{}</script>", id="script"),
        pytest.param("<style>/* {} */</style>", id="style"),
        pytest.param("<nav>{}</nav>", id="nav"),
        pytest.param("<header>{}</header>", id="page-header"),
        pytest.param("<footer>{}</footer>", id="page-footer"),
        pytest.param("<noscript>{}</noscript>", id="noscript"),
        pytest.param("<template>{}</template>", id="template"),
        pytest.param("<div hidden>{}</div>", id="hidden-attribute"),
        pytest.param('<div aria-hidden="true">{}</div>', id="aria-hidden"),
        pytest.param('<div style="visibility: hidden">{}</div>', id="visibility-hidden"),
        pytest.param('<div role="navigation">{}</div>', id="role-navigation"),
        pytest.param('<span class="mw-editsection">{}</span>', id="wikipedia-edit-link"),
    ],
)
def test_invisible_content_is_not_read(wrapper: str) -> None:
    secret = 'Secret words. <a href="https://secret.example.org/">secret link</a>'
    doc = read(f"<html><body><p>Visible text.</p>{wrapper.format(secret)}<p>More text.</p></body></html>")
    assert [p.text for p in doc.passages] == ["Visible text.", "More text."]
    assert doc.citations == ()


def test_header_inside_an_article_is_content() -> None:
    doc = read("<article><header><h1>Camp Ashraf</h1></header><p>Body.</p></article>")
    assert [p.text for p in doc.passages] == ["Camp Ashraf", "Body."]


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        pytest.param("https://www.hrw.org/x", "https://www.hrw.org/x", id="absolute"),
        pytest.param("/wiki/Camp_Ashraf", "/wiki/Camp_Ashraf", id="relative-as-written"),
        pytest.param("#section", None, id="in-page"),
        pytest.param("javascript:void(0)", None, id="javascript"),
        pytest.param("mailto:press@example.org", None, id="mailto"),
        pytest.param("", None, id="empty"),
    ],
)
def test_links(href: str, expected: str | None) -> None:
    doc = read(f'<p>See <a href="{href}">the report</a>.</p>')
    urls = [(c.raw, c.marker, c.line, c.column, c.passage) for c in doc.citations if c.kind == "url"]
    assert urls == ([(expected, "the report", 1, 8, 0)] if expected else [])


def test_relative_links_resolve_against_base_href() -> None:
    doc = read('<head><base href="https://en.wikipedia.org/wiki/"></head><p><a href="Camp_Ashraf">Ashraf</a></p>')
    assert [c.raw for c in doc.citations] == ["https://en.wikipedia.org/wiki/Camp_Ashraf"]


def test_markdown_it_footnote_markup_and_back_links() -> None:
    body = (
        '<p>Founded in 1965.<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup></p>\n'
        '<hr class="footnotes-sep">\n<section class="footnotes">\n<ol class="footnotes-list">\n'
        '<li id="fn1" class="footnote-item"><p>Abrahamian 1989, p. 86. '
        '<a href="#fnref1" class="footnote-backref">↩︎</a></p>\n</li>\n</ol>\n</section>\n'
    )
    doc = read(body)
    assert cites(doc) == [("footnote", 1, 20, "1", "Abrahamian 1989, p. 86.", 5, 0, 0)]


def test_any_list_whose_items_are_link_targets_is_a_note_list() -> None:
    body = '<p>Claim.<a href="#n1">[1]</a></p>\n<ol>\n<li id="n1">Abrahamian 1989.</li>\n<li>Plain item.</li>\n</ol>\n'
    doc = read(body)
    assert [(n.number, n.line, n.text) for n in doc.notes] == [(1, 3, "Abrahamian 1989.")]
    assert cites(doc)[0] == ("footnote", 1, 10, "1", "Abrahamian 1989.", 3, 0, 0)
    assert [p.text for p in doc.passages] == ["Claim.[1]", "Plain item."]


def test_a_hidden_note_list_holds_no_notes_and_a_list_inside_a_note_is_its_text() -> None:
    body = ('<p>A.<sup><a href="#n1">1</a></sup> B.<sup><a href="#n2">2</a></sup></p>\n'
            '<div hidden><ol class="references"><li id="n1">Hidden note.</li></ol></div>\n'
            '<ol class="references"><li id="n2">Shown <ol><li id="x">inner</li></ol></li></ol>\n')
    doc = read(body)
    assert [(n.number, n.line, n.text) for n in doc.notes] == [(1, 3, "Shown inner")]
    assert [(c.marker, c.raw, c.block) for c in doc.citations] == [("1", None, -1), ("2", "Shown inner", 1)]
    assert lint(doc) == [("orphan-marker", 1, 6)]


def test_broken_page_is_recovered() -> None:
    doc = fixture("broken.html")
    assert [(p.line, p.text) for p in doc.passages] == [
        (2, "Camp Ashraf was home to about 3,400 residents.1"),
        (3, "An unclosed bold claim and a stray"),
        (3, "end tag.2"),
        (4, "Garbage << >> &bogus; & & still reads, see RAND."),
        (5, "A callout to a note that is not there.9"),
    ]
    assert cites(doc) == [
        ("footnote", 2, 55, "1", GOULKA, 7, 0, 0),
        ("footnote", 3, 64, "2", "Human Rights Watch. (2005). No Exit. New York: Human Rights Watch.", 8, 2, 0),
        ("url", 4, 50, "RAND", RAND_URL, None, 3, None),
        ("footnote", 5, 42, "9", None, None, 4, -1),
        ("footnote", 9, 1, None, "Truncated note with an unclosed", 9, None, 0),
    ]
    assert lint(doc) == [("orphan-marker", 5, 42), ("unused-note", 9, 1)]


def test_ten_thousand_nested_elements_give_a_finding_and_the_rest_is_read() -> None:
    body = "<p>Before.</p>\n" + "<div>" * 10_000 + "deep\n" + "</div>" * 10_000 + '\n<p>After <a href="https://www.hrw.org/">HRW</a>.</p>\n'
    doc = read(body)
    assert [(f.rule, f.line, f.column) for f in doc.findings] == [("html-too-deep", 2, 5001)]
    assert [p.text for p in doc.passages] == ["Before.", "deep", "After HRW."]
    assert [(c.raw, c.line, c.column) for c in doc.citations] == [("https://www.hrw.org/", 4, 10)]


@pytest.mark.parametrize(
    ("body", "rules"),
    [
        pytest.param("<!-- nothing but a comment -->", ["unparsable-html"], id="only-a-comment"),
        pytest.param("", [], id="empty-file-is-left-to-the-loader"),
        pytest.param("<p>" + "<" * 50_000 + "</p><p>After.</p>", [], id="many-lone-angle-brackets"),
        pytest.param('<p title="' * 5_000 + "<p>After.</p>", [], id="unclosed-quotes"),
        pytest.param("\x00garbage&&&<<<>>>", [], id="garbage"),
    ],
)
def test_bad_input_never_raises(body: str, rules: list[str]) -> None:
    doc = read(body)
    assert [f.rule for f in doc.findings] == rules


def test_a_megabyte_page_reads_in_well_under_five_seconds() -> None:
    paragraph = ('<p>The group moved to Iraq in 1986.<sup><a href="#fn{0}">{0}</a></sup> See '
                 '<a href="https://example.org/{0}">the source &amp; more</a>.</p>\n')
    notes = '<li id="fn{0}">Author {0}. (2005). Title. London: Press, p. {0}.</li>\n'
    body = ("<html><body>" + "".join(paragraph.format(i) for i in range(1, 5000)) + '<ol class="references">'
            + "".join(notes.format(i) for i in range(1, 5000)) + "</ol></body></html>")
    assert len(body) > 900_000
    started = time.perf_counter()
    doc = read(body)
    assert time.perf_counter() - started < 5
    assert len(doc.markers) == 4999 and len(doc.notes) == 4999
    assert (doc.notes[-1].line, doc.citations[-1].line) == (body.count("\n"), 4999)


def test_build_stores_the_page_citations(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        report = pipeline.build([FIXTURES / "footnotes.html"], store)
        assert report.documents_read == 1
        stored = [(c.kind, c.line, c.marker, c.work, c.locator) for c in store.citations()]
    assert stored[:2] == [("footnote", 14, "1", "abrahamian1989", "p. 86"),
                          ("footnote", 15, "2", "mohaddessin2004", "pp. 20-24")]
    assert ("footnote", 17, "4", "humanrightswatch2005", "") in stored
    assert ("url", 21, "rand.org", None, "") in stored
    assert ("url", 21, None, None, "") in stored  # www.example.org/mirror, found in the prose
    assert {f.rule for f in report.findings} >= {"orphan-marker", "unused-note"}
