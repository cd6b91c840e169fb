"""Attributions in prose: issuers, bylines, parentheses, anaphora and vague sources."""

from __future__ import annotations

import importlib.util
import json
import random
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from biblio import pipeline
from biblio.cli import cli
from biblio.find import identifiers, issuers, narrative
from biblio.model import RawCitation, Severity
from biblio.read import text
from tests.conftest import FIXTURES, ROOT

NARRATIVE = FIXTURES / "narrative"


def find(body: str) -> list[RawCitation]:
    doc = text.read("d.txt", "d.txt", body, "0" * 64, len(body))
    return list(narrative.find(doc, identifiers.find(doc)))


def summary(c: RawCitation) -> tuple:
    ref = c.reference
    if ref is None:
        return (c.kind, c.raw, "vague")
    who = ref.author[0].literal or ref.author[0].family if ref.author else ref.container_title
    return (c.kind, c.raw, who, ref.year, ref.type)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("As a 2009 Rand report states, the camp was closed.",
                     [("narrative", "a 2009 Rand report", "RAND Corporation", 2009, "report")], id="year-issuer-noun"),
        pytest.param("A Judgment of the Proscribed Organizations Appeal Commission, on November 30, 2007 states it.",
                     [("narrative", "A Judgment of the Proscribed Organizations Appeal Commission, on November 30, "
                       "2007", "Proscribed Organisations Appeal Commission", 2007, "legal_case")],
                     id="judgment-of-court-with-date"),
        pytest.param("Jane Doe, The Guardian, London, 09 november 2018:… The rest.",
                     [("narrative", "Jane Doe, The Guardian, London, 09 november 2018", "Doe", 2018,
                       "article-newspaper")], id="byline"),
        pytest.param("Arrests rose (John Smith, Ofogh State TV, June 1, 2019).",
                     [("parenthetical", "John Smith, Ofogh State TV, June 1, 2019", "Smith", 2019, "broadcast")],
                     id="parenthetical-person-outlet-date"),
        pytest.param("The company denied it (Reuters, 12 April 2019).",
                     [("parenthetical", "Reuters, 12 April 2019", "Reuters", 2019, "article-newspaper")],
                     id="parenthetical-wire"),
        pytest.param("Early work saw a technical problem (Lindqvist, 1987, p. 12; Marchetti 2006: 45).",
                     [("parenthetical", "Lindqvist, 1987, p. 12", "Lindqvist", 1987, "document"),
                      ("parenthetical", "Marchetti 2006: 45", "Marchetti", 2006, "document")], id="author-date"),
        pytest.param("Later the topic grew (Fenwick et al. 2009).",
                     [("parenthetical", "Fenwick et al. 2009", "Fenwick", 2009, "document")], id="et-al-split"),
        pytest.param("Human Rights Watch, which reported abuses, asked for access.",
                     [("narrative", "Human Rights Watch, which reported", "Human Rights Watch", None, "report")],
                     id="issuer-which-reported"),
        pytest.param("In 2014, Reuters reported that two engineers resigned.",
                     [("narrative", "In 2014, Reuters reported", "Reuters", 2014, "article-newspaper")],
                     id="leading-year-binds"),
        pytest.param("As early as May 2003, the same month as the vote, the New York Times reported a plan.",
                     [("narrative", "New York Times reported", "The New York Times", None, "article-newspaper")],
                     id="distant-year-does-not-bind"),
        pytest.param("The Guardian reported the leak of a memo in 2017.",
                     [("narrative", "The Guardian reported", "The Guardian", None, "article-newspaper")],
                     id="event-year-after-object-does-not-bind"),
        pytest.param("Dana Roe, a historian at the University of Leeds and author of The Drowned Valleys, argues so.",
                     [("narrative", "Dana Roe, a historian at the University of Leeds and author of The Drowned "
                       "Valleys", "Roe", None, "book")], id="author-of-title"),
        pytest.param("Writing in Foreign Policy in 2019, Mara Velland argued that donors looked away.",
                     [("narrative", "Writing in Foreign Policy in 2019, Mara Velland", "Velland", 2019,
                       "article-magazine")], id="writing-in-outlet"),
        pytest.param("A report by the MOIS in Tabriz province on April 22, 2019, stated that arrests rose.",
                     [("narrative", "A report by the MOIS in Tabriz province on April 22, 2019",
                       "Ministry of Intelligence (Iran)", 2019, "report")], id="report-by-with-place-and-date"),
        pytest.param("According to the Balkan Post, the deal was signed.",
                     [("narrative", "According to the Balkan Post", "Balkan Post", None, "article-newspaper")],
                     id="outlet-by-shape"),
        pytest.param("Amnesty International, which interviewed families, concluded in a 2015 study that it was so.",
                     [("narrative", "Amnesty International, which interviewed families, concluded in a 2015 study",
                       "Amnesty International", 2015, "report")], id="verb-in-a-year-study"),
        pytest.param("On 5 May 2019 the High Court in London, hearing a claim, found that it had no jurisdiction.",
                     [("narrative", "On 5 May 2019 the High Court in London, hearing a claim, found",
                       "High Court of Justice", 2019, "legal_case")], id="leading-date-court"),
    ],
)
def test_mentions(body: str, expected: list[tuple]) -> None:
    assert [summary(c) for c in find(body)] == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("Some experts say the valley was a lake.", "Some experts say", id="some-experts-say"),
        pytest.param("According to various sources, he divorced.", "According to various sources", id="various"),
        pytest.param("Albanian media reported that a delegation came.", "Albanian media reported", id="media"),
        pytest.param("Analysts agree that prices will rise.", "Analysts agree", id="bare-plural-subject"),
        pytest.param("It has been reported that output halved.", "It has been reported that", id="it-is-reported"),
        pytest.param("A report commissioned by the ministry, based on one visit, concluded that it was safe.",
                     "A report commissioned by the ministry", id="commissioned-report"),
        pytest.param("The court will rule soon, sources close to the case say.", "sources close to the case say",
                     id="sources-close-to"),
    ],
)
def test_vague_attributions_are_citations_without_a_work(body: str, expected: str) -> None:
    assert [(c.raw, c.reference) for c in find(body)] == [(expected, None)]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("He said he would return in the spring.", id="pronoun-speech"),
        pytest.param("She wrote to her mother every week.", id="wrote-to-someone"),
        pytest.param("The Guardian Council rejected the candidates in 2016.", id="guardian-council"),
        pytest.param("The guardian of the dam told visitors the water was rising.", id="guardian-common-noun"),
        pytest.param("Ayn Rand wrote novels, not reports.", id="ayn-rand"),
        pytest.param("Rand Paul said nothing about it.", id="rand-paul"),
        pytest.param("The Times Square protest was small.", id="times-square"),
        pytest.param("In 1965 the first team arrived, and in 1972 it left.", id="event-years"),
        pytest.param("The report card of the school was excellent.", id="report-card-without-antecedent"),
        pytest.param("The Amnesty law of 2007 freed the prisoners.", id="amnesty-law"),
        pytest.param("The minister noted that the budget was fixed.", id="named-official-speech"),
        pytest.param("According to him, nobody had been warned.", id="according-to-pronoun"),
        pytest.param("He was Minister of Foreign Affairs, he said.", id="foreign-affairs-in-a-title"),
        pytest.param("An investigation by the USA was initiated.", id="country-is-not-an-issuer"),
    ],
)
def test_hard_negatives_yield_nothing(body: str) -> None:
    assert find(body) == []


def test_anaphora_recite_the_work_and_a_url_in_the_next_passage_completes_it() -> None:
    body = (
        "The Flooded Fields: Voices from the River Paperback – March 2020\n"
        "A new book by Ilse Brandauer\n"
        "This oral history collects testimonies.\n\n"
        "The book was launched in the library.\n"
        "To order the book, visit the publisher:\n"
        "https://example.org/books/flooded\n"
    )
    found = find(body)
    assert [(c.line, c.raw) for c in found] == [
        (1, "The Flooded Fields: Voices from the River Paperback – March 2020"),
        (2, "A new book by Ilse Brandauer"),
        (5, "The book"),
        (6, "the book"),
    ]
    refs = {c.reference.without_locator() for c in found[:3]}
    assert len(refs) == 1
    (ref,) = refs
    assert (ref.title, ref.author[0].family, ref.issued.parts, ref.type) == (
        "The Flooded Fields: Voices from the River", "Brandauer", ((2020, 3),), "book")
    assert found[3].reference.URL == "https://example.org/books/flooded"
    assert (found[3].line, found[3].column) == (6, 10)


def test_same_issuer_anaphor_takes_the_earlier_year() -> None:
    body = "A 2009 RAND report described the camp. Later, this same RAND report in its conclusions gave numbers."
    assert [summary(c)[2:] for c in find(body)] == [("RAND Corporation", 2009, "report")] * 2


def test_definite_noun_without_antecedent_is_not_a_citation() -> None:
    assert find("The study of water is called hydrology.") == []


def test_vague_attribution_in_a_sourced_sentence_is_not_reported() -> None:
    body = "Some experts say the lake was larger.1\n\n1 Smith, John. (2001). Lakes. London: Verso.\n"
    doc = text.read("d.txt", "d.txt", body, "0" * 64, len(body))
    assert list(narrative.find(doc)) == []


def test_lint_reports_vague_attributions_as_info() -> None:
    body = "Intro.\n\nSome experts say the lake was larger.\n"
    doc = text.read("d.txt", "d.txt", body, "0" * 64, len(body))
    analysis = pipeline.analyse_document(doc)
    vague = [f for f in analysis.findings if f.rule == "vague-attribution"]
    assert [(f.line, f.column, f.severity) for f in vague] == [(3, 1, Severity.INFO)]
    assert "Some experts say" in vague[0].message
    assert [(c.kind, c.reference) for c, ref in analysis.citations] == [("narrative", None)]


def test_check_lists_the_rule() -> None:
    result = CliRunner().invoke(cli, ["check", "--list-rules"])
    assert result.exit_code == 0
    assert any(line.startswith("vague-attribution") and "info" in line for line in result.output.splitlines())


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        pytest.param("Rand", "RAND Corporation", id="rand"),
        pytest.param("RAND Corp", "RAND Corporation", id="rand-corp"),
        pytest.param("the Guardian", "The Guardian", id="the-guardian"),
        pytest.param("HRW", "Human Rights Watch", id="hrw"),
        pytest.param("Proscribed Organizations Appeal Commission", "Proscribed Organisations Appeal Commission",
                     id="z-spelling"),
        pytest.param("U.S. State Department", "US Department of State", id="state-department"),
    ],
)
def test_issuer_spellings_share_one_canonical_name(written: str, canonical: str) -> None:
    assert issuers.canonical(written) == issuers.canonical(canonical)
    assert issuers.lookup(written, after_article=True).name == canonical


@pytest.mark.parametrize(
    ("written", "after_article"),
    [
        pytest.param("who", True, id="acronym-in-lower-case"),
        pytest.param("Guardian", False, id="common-word-without-article"),
        pytest.param("Time", True, id="time-is-not-time-magazine"),
    ],
)
def test_issuer_lookup_refuses_common_words(written: str, after_article: bool) -> None:
    assert issuers.lookup(written, after_article) is None


def _benchmark():
    spec = importlib.util.spec_from_file_location("narrative_benchmark", ROOT / "benchmarks" / "narrative.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_fixture_answer_key_precision_and_recall() -> None:
    bench = _benchmark()
    answers = json.loads((NARRATIVE / "answers.json").read_text(encoding="utf-8"))
    assert sum(len(v["mentions"]) for k, v in answers.items() if not k.startswith("_")) >= 60
    score = bench.score(answers, NARRATIVE)
    assert score.precision >= 0.95, score.false_alarms
    assert score.recall >= 0.85, score.misses
    linked, total, wrong = bench.links(answers, NARRATIVE)
    assert linked == total, wrong


def test_fixture_documents_are_ours() -> None:
    assert sorted(p.name for p in Path(NARRATIVE).glob("*.txt")) == [
        "academic.txt", "bylines.txt", "hard_negatives.txt", "heldout_mixed.txt", "legal.txt", "news_analysis.txt"]


def test_lower_words_is_the_same_on_ascii_and_other_text() -> None:
    """ASCII text is split with ``translate``, other text with a regex: both give the a-z runs."""
    rng = random.Random(7)
    alphabet = "abcXYZ .,;'’“”-é\u212aİ0123\n"
    for _ in range(3000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 30)))
        assert narrative.lower_words(text) == set(re.findall("[a-z]+", text.lower())), text


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        pytest.param("A 2009 RAND report says the camp was closed.", True, id="verb-after-noun"),
        pytest.param("The report on the camp was long and dull.", False, id="no-reporting-verb"),
    ],
)
def test_a_bare_report_is_cited_only_with_a_reporting_verb(sentence: str, found: bool) -> None:
    doc = text.read("d.txt", "d.txt", sentence + "\n", "x", len(sentence) + 1)
    kinds = [c.kind for c in narrative.find(doc)]
    assert ("narrative" in kinds) is found
