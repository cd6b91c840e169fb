"""Wikitext: refs, named refs, cite templates, sfn links, flattened pages and Wikipedia's cite errors."""

from __future__ import annotations

import random
import string
import time
from pathlib import Path

import mwparserfromhell as mw
import pytest

from biblio import pipeline
from biblio.read import wikitext
from biblio.store import Store
from tests.conftest import FIXTURES, seed

ARTICLE = FIXTURES / "wikitext" / "article.wiki"
BROKEN = FIXTURES / "wikitext" / "broken.wiki"


READER_KINDS = {"ref", "sfn", "bibliography", "url"}


def analyse(path: Path) -> pipeline.Analysis:
    """The analysis with only what the wikitext reader itself found (prose finders add more)."""
    a = next(iter(pipeline.analyse_paths([path])))
    cites = tuple((c, r) for c, r in a.citations if c.kind in READER_KINDS)
    findings = tuple(f for f in a.findings if f.rule != "vague-attribution")
    return pipeline.Analysis(a.document, cites, findings)


def read_text(body: str):
    return wikitext.read("w.wiki", "w.wiki", body, "0" * 64, len(body))


def test_article_citations_with_lines_kinds_and_records() -> None:
    a = analyse(ARTICLE)
    got = [(c.kind, c.line, c.column, c.marker, ref.type if ref else None, ref.title if ref else None,
            ref.locator if ref else None) for c, ref in a.citations]
    assert got == [
        ("ref", 2, 101, "abr", "book", "The Iranian Mojahedin", "p. 81"),
        ("sfn", 2, 326, "Abrahamian 1989", "book", "The Iranian Mojahedin", "p. 88"),
        ("ref", 5, 33, "abr", "book", "The Iranian Mojahedin", "p. 81"),
        ("ref", 5, 81, "rand", "report", "The Mujahedin-e Khalq in Iraq: A Policy Conundrum", ""),
        ("ref", 5, 333, None, "article-newspaper", "Iranian Dissidents Convince U.S. to Drop Terror Label", ""),
        ("sfn", 5, 534, "Goulka Hansell 2009", "report", "The Mujahedin-e Khalq in Iraq: A Policy Conundrum",
         "pp. 20–22"),
        ("ref", 7, 32, "hrw", a.citations[6][1].type, a.citations[6][1].title, ""),
        ("ref", 7, 167, "Katz=boycott", "report", "Iran: The People's Mojahedin Organization of Iran", ""),
        ("ref", 7, 316, "missing", None, None, None),
        ("ref", 7, 352, "Katz=boycott", "report", "Iran: The People's Mojahedin Organization of Iran", ""),
        ("ref", 10, 32, None, "webpage", "Camp Ashraf", ""),
        ("ref", 17, 29, "listed", "article-journal", "Exile Politics", ""),
        ("bibliography", 20, 3, None, "book", "The Iranian Mojahedin", ""),
        ("bibliography", 21, 3, None, "book", "The Mujahedin-e Khalq in Iraq", ""),
        ("sfn", 22, 27, "Nobody 1999", None, None, None),
    ]


def test_cite_template_fields_map_to_csl() -> None:
    a = analyse(ARTICLE)
    book = a.citations[0][1]
    assert book.author[0].family == "Abrahamian" and book.author[0].given == "Ervand"
    assert (book.publisher, book.publisher_place, book.year, book.ISBN) == (
        "Yale University Press", "New Haven", 1989, "978-0-300-04600-4")
    news = a.citations[4][1]
    assert news.container_title == "The New York Times" and news.issued.parts == ((2012, 9, 21),)
    assert news.URL == "https://www.nytimes.com/example"
    journal = a.citations[11][1]
    assert (journal.volume, journal.issue, journal.page) == ("12", "3", "45–67")


def test_article_lint_matches_wikipedia_cite_errors() -> None:
    a = analyse(ARTICLE)
    assert [(f.rule, f.line) for f in a.findings] == [
        ("undefined-named-ref", 7), ("unused-named-ref", 15), ("sfn-no-target", 22)]


def test_broken_markup_is_reported_and_the_rest_still_read() -> None:
    a = analyse(BROKEN)
    assert [(f.rule, f.line, f.column) for f in a.findings] == [
        ("empty-ref", 1, 24), ("unbalanced-ref-tag", 1, 54), ("duplicate-named-ref", 1, 109),
        ("unclosed-template", 2, 22), ("unbalanced-ref-tag", 3, 28)]
    last = a.citations[-1]
    assert last[0].line == 4 and last[1].title == "The Longest War"


@pytest.mark.parametrize(
    ("markup", "name"),
    [
        pytest.param('<ref name="q">x</ref><ref name="q"/>', "q", id="quoted"),
        pytest.param("<ref name=q>x</ref><ref name=q />", "q", id="unquoted"),
        pytest.param("<ref name=a=b>x</ref><ref name=a=b/>", "a=b", id="name-with-equals"),
        pytest.param("<ref name='s q'>x</ref><ref name='s q'/>", "s q", id="single-quoted-with-space"),
    ],
)
def test_named_ref_forms(markup: str, name: str) -> None:
    doc = read_text(f"Claim.{markup}\n")
    assert [c.marker for c in doc.citations] == [name, name]
    assert doc.findings == ()


def test_groups_keep_names_apart() -> None:
    doc = read_text('A.<ref name="n" group="note">one</ref> B.<ref name="n">two</ref>\n')
    assert [f.rule for f in doc.findings] == []


def test_flattened_templates_get_one_summary_warning() -> None:
    body = "Claim.<ref>Template:Cite news</ref> Other.Template:SfnTemplate:Sfn More.<ref>Template:Cite book</ref>\n"
    doc = read_text(body)
    assert [c.kind for c in doc.citations] == ["ref", "sfn", "sfn", "ref"]
    assert [c.reference.type for c in doc.citations if c.kind == "ref"] == ["article-newspaper", "book"]
    (summary,) = doc.findings
    assert summary.rule == "flattened-templates" and summary.message.startswith("4 citation templates")


def test_unclosed_template_inside_a_ref_does_not_swallow_the_page() -> None:
    body = "A.<ref>{{bulleted list |one |two</ref> B.<ref name=x>Hiro, Dilip. (1991). The Longest War.</ref>\n"
    doc = read_text(body)
    assert [c.marker for c in doc.citations] == [None, "x"]


def test_bulleted_list_items_become_separate_citations() -> None:
    body = (
        "See.<ref>Further reading:\n• Abrahamian, Ervand. (1989). The Iranian Mojahedin.\n"
        "• Bakhash, Shaul. (1984). The Reign of the Ayatollahs.</ref>\n"
    )
    doc = read_text(body)
    assert [c.raw for c in doc.citations] == ["Abrahamian, Ervand. (1989). The Iranian Mojahedin.",
                                              "Bakhash, Shaul. (1984). The Reign of the Ayatollahs."]


def test_passages_are_visible_sentences_with_source_lines() -> None:
    doc = read_text("'''Bold''' start.<ref>x</ref> Second [[Camp Ashraf|camp]] sentence.\n\n== Head ==\nLast one.\n")
    assert [(p.line, p.text) for p in doc.passages] == [
        (1, "Bold start."), (1, "Second camp sentence."), (3, "Head"), (4, "Last one.")]
    assert doc.citations[0].passage == 0


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("{{" * 10_000 + "x", id="10k-open-braces"),
        pytest.param("[[" * 10_000, id="10k-open-links"),
        pytest.param("<ref>" * 5_000, id="5k-unclosed-refs"),
        pytest.param("<ref name=" + "x" * 50_000, id="unterminated-attribute"),
    ],
)
def test_hostile_markup_never_crashes(body: str) -> None:
    start = time.perf_counter()
    doc = read_text(body + "\nTail sentence.<ref>Hiro, Dilip. (1991). The Longest War.</ref>\n")
    assert time.perf_counter() - start < 10
    assert doc.citations[-1].raw == "Hiro, Dilip. (1991). The Longest War."


def test_build_links_sfn_and_refs_to_one_work(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        pipeline.build([ARTICLE], store)
        abr = store.work("abrahamian1989")
        assert abr is not None and abr.citation_count == 4
        rand = next(w for w in store.works() if w.reference.title.startswith("The Mujahedin-e Khalq in Iraq"))
        assert rand.citation_count == 3


def test_seed_flattened_wikipedia_article() -> None:
    path = seed("003_")
    text = path.read_text(encoding="utf-8")
    a = analyse(path)
    kinds = [c.kind for c, _ in a.citations]
    assert a.document.format == "wikitext"
    assert kinds.count("sfn") == text.count("Template:Sfn")  # every flattened {{sfn}} in the prose
    assert kinds.count("ref") >= text.count("<ref")  # every ref (bulleted lists add one per item)
    rules = [f.rule for f in a.findings]
    assert rules.count("flattened-templates") == 1
    undefined = sorted({f.message.split("'")[1] for f in a.findings if f.rule == "undefined-named-ref"})
    assert undefined == ["Iranian Politics", "Rubin", "Spencer", "disarmament", "fourth-geneva-convention",
                         "hostage-crisis-support", "vox-lobby"]
    assert [f.line for f in a.findings if f.rule == "unbalanced-ref-tag"] == [330]
    titles = " | ".join(ref.title for c, ref in a.citations if ref and ref.title)
    for expected in ("Tortured Confessions", "The Longest War", "Khomeini's Ghost", "Thousand and One Borders"):
        assert expected in titles


LONE_TEMPLATES = [
    pytest.param("{{cite book |last=Abrahamian |first=Ervand |title=The Iranian Mojahedin |publisher=Yale "
                 "University Press |year=1989}}", id="plain-params"),
    pytest.param(" {{cite news|title=Exiles [[Paris|in Paris]] |work=[[The Guardian]] |date=9 November 2018"
                 "|url=https://news.example.org/a?b=c}} ", id="wikilinks-and-bare-url"),
    pytest.param("{{sfn|Cohen|Shaw|2009|p=12}}", id="short-cite-positional"),
    pytest.param("{{cite web |title=a = b |title=second |url=}}", id="equals-in-value-and-repeated-key"),
    pytest.param("{{cite news |title=The ''Mojahedin'' in exile |work='''[[The Guardian]]'''}}", id="italic-and-bold"),
]
NOT_LONE = [
    pytest.param("{{cite web |title={{lang|fa|x}} }}", id="nested-template"),
    pytest.param("{{cite web |title=A &amp; B}}", id="entity"),
    pytest.param("{{cite web |title=A}} and more", id="trailing-text"),
    pytest.param("{{cite web |title=[https://a.example B]}}", id="bracketed-link"),
    pytest.param("{{cite web |title=[[File:x.jpg|thumb]]}}", id="file-link"),
    pytest.param("{{cite web |title=A}}{{cite web |title=B}}", id="two-templates"),
    pytest.param("{{cite web |title=<b>A</b>}}", id="tag"),
]


@pytest.mark.parametrize("body", LONE_TEMPLATES)
def test_token_fast_path_agrees_with_the_tree(body: str) -> None:
    import mwparserfromhell as mw

    node = mw.parse(body.strip()).filter_templates(recursive=False)[0]
    fast = wikitext._lone_template(body)
    assert fast == wikitext._call_from_node(str(node.name).strip(), node)


@pytest.mark.parametrize("body", NOT_LONE)
def test_token_fast_path_leaves_richer_bodies_to_the_tree(body: str) -> None:
    assert wikitext._lone_template(body) is None


@pytest.mark.parametrize("tail", [pytest.param("", id="token-path"), pytest.param("<!-- c -->", id="tree-path")])
def test_bold_and_italic_quotes_are_not_part_of_a_title(tail: str) -> None:
    doc = read_text("A claim.<ref>{{cite news |title=The ''Mojahedin'' in exile |work=''[[The Guardian]]''}}"
                    + tail + "</ref>\n")
    ref = doc.citations[0].reference
    assert (ref.title, ref.container_title) == ("The Mojahedin in exile", "The Guardian")


def test_fast_and_tree_paths_give_the_same_citations() -> None:
    """A ref whose template the fast path reads and one it leaves to the tree give the same record."""
    fast = read_text("A claim.<ref>{{cite book |last=Hiro |first=Dilip |title=The Longest War |year=1991}}</ref>\n")
    slow = read_text("A claim.<ref>{{cite book |last=Hiro |first=Dilip |title=The Longest War |year=1991}}"
                     "<!-- c --></ref>\n")
    assert fast.citations[0].reference == slow.citations[0].reference
    assert fast.citations[0].reference.title == "The Longest War"
    assert (fast.citations[0].line, fast.citations[0].column) == (slow.citations[0].line, slow.citations[0].column)


@pytest.mark.parametrize(
    ("date", "parts"),
    [
        pytest.param("{{date|9 November 2018}}", ((2018, 11, 9),), id="date-template"),
        pytest.param("{{start date|2018|11|9}}", ((2018, 11, 9),), id="start-date-numbers"),
        pytest.param("{{start date|2018|11}}", ((2018, 11),), id="start-date-year-month"),
        pytest.param("{{dts|2018-11-09}}", ((2018, 11, 9),), id="dts-iso"),
    ],
)
def test_a_date_written_by_a_template_is_kept(date: str, parts: tuple) -> None:
    doc = read_text("A claim.<ref>{{cite news |title=Exiles in Paris |work=The Guardian |date=" + date + "}}</ref>\n")
    issued = doc.citations[0].reference.issued
    assert issued is not None and issued.parts == parts


def test_an_unknown_template_in_a_date_gives_no_date() -> None:
    doc = read_text("A claim.<ref>{{cite news |title=Exiles in Paris |work=The Guardian |date={{fact}}}}</ref>\n")
    assert doc.citations[0].reference.issued is None


# the page's plain citation templates are read from tokens, as lone ref bodies are -------------------

MASKABLE = "Exiles organised abroad.{{sfn|Cohen|2009|p=12}} Later{{cite web |title=Camp |url=https://a.example/x}}."


@pytest.mark.parametrize(
    ("page", "masked"),
    [
        pytest.param(MASKABLE, 2, id="short-and-full-cite"),
        pytest.param("Text <!-- {{sfn|Cohen|2009}} --> more.", 0, id="inside-comment"),
        pytest.param("Text <nowiki>{{sfn|Cohen|2009}}</nowiki> more.", 0, id="inside-nowiki"),
        pytest.param("== Heading {{sfn|Cohen|2009}} ==\nText.", 0, id="heading-line"),
        pytest.param("See [[Camp Ashraf|the camp {{sfn|Cohen|2009}}]] now.", 0, id="inside-wikilink"),
        pytest.param("Text.{{efn|A note.{{sfn|Cohen|2009}}}}", 0, id="inside-another-template"),
        pytest.param("Text.{{sfn|[[Ervand Abrahamian|Abrahamian]]|1989}}", 0, id="link-in-parameter"),
        pytest.param("Text.{{lang|fa|x}} and {{convert|3|km}}", 0, id="not-citations"),
        pytest.param("{{{param|x}}} {{sfn|Cohen|2009}}", 0, id="template-page-parameters"),
    ],
)
def test_only_templates_the_tree_reads_alike_are_masked(page: str, masked: int) -> None:
    text, calls = wikitext.mask_citation_templates(page)
    assert len(calls) == masked
    assert len(text) == len(page)  # placeholders keep every offset
    if not masked:
        assert text == page


@pytest.mark.parametrize(
    "page",
    [pytest.param(MASKABLE, id="plain"),
     pytest.param(ARTICLE.read_text(encoding="utf-8"), id="fixture-article"),
     pytest.param(BROKEN.read_text(encoding="utf-8"), id="fixture-broken")],
)
def test_masked_templates_read_as_the_tree_reads_them(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = read_text(page)
    monkeypatch.setattr(wikitext, "mask_citation_templates", lambda text: (text, []))
    tree = read_text(page)
    assert fast == tree


def test_plain_headings_and_labels_read_as_strip_code_reads_them() -> None:
    """Text with none of the markup characters skips the tree: on random text, both ways agree."""
    rng = random.Random(1979)
    alphabet = string.ascii_letters + string.digits + string.punctuation + " \n\t–“”é"
    samples = ["Plain heading", "Exile (1981–1988)", "#x", "a = b", "''Italic''", "[[Link|label]]", "x~~~~"]
    samples += ["".join(rng.choices(alphabet, k=rng.randint(1, 14))) for _ in range(3000)]
    for text in samples:
        assert wikitext._plain_text(text) == mw.parse(text).strip_code(), text


@pytest.mark.parametrize(
    ("params", "families"),
    [
        pytest.param("|last=Cohen |first=Ronen |last2=Vahabzadeh", ("Cohen", "Vahabzadeh"), id="last-last2"),
        pytest.param("|author=Ervand Abrahamian", ("Abrahamian",), id="author"),
        pytest.param("|author= |authors=Piazza, James; Merat, Arron", ("Piazza", "Merat"), id="empty-author-authors"),
        pytest.param("|surname1=Goulka |given1=Jeremiah", ("Goulka",), id="surname1"),
        pytest.param("|first=Only", (), id="given-name-alone"),
        pytest.param("|editor-last=Bill |editor-first=James", (), id="editor-is-no-author"),
    ],
)
def test_author_parameters(params: str, families: tuple[str, ...]) -> None:
    ref = wikitext._record(tuple(wikitext._lone_template("{{cite book |title=T " + params + "}}").named.items()),
                           "book")
    assert tuple(n.family for n in ref.author) == families
    if "editor" in params:
        assert [n.family for n in ref.editor] == ["Bill"]
