"""One work per cited item, however its notes are punctuated."""

from __future__ import annotations

import pytest

from biblio.model import Reference
from biblio.parse import reference
from biblio.resolve import works


def ref(text: str) -> Reference:
    parsed = reference.parse(text)
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(
            "Interview with a Leader: “Our struggle is for freedom”. MERIP Reports. March-April 1982.",
            "Interview with a Leader: ‘Our struggle is for freedom.” MERIP Reports. March-April 1982.",
            id="curly-vs-mixed-quotes",
        ),
        pytest.param(
            "Mohaddessin, Mohammad. (2004). Enemies of the Ayatollahs. London: Zed Books.",
            "Based on “Enemies of the Ayatollahs,” by Mohammad Mohaddessin, Zed Books, London, 2004.",
            id="apa-vs-prose",
        ),
        pytest.param(
            "Bakhash, Shaul. (1984). The Reign of the Ayatollahs. New York: Basic Books. New York, 1984.",
            "Bakhash, Shaul. (1984). The Reign of the Ayatollahs. New York: Basic Books, p. 94.",
            id="repeated-place-vs-locator",
        ),
        pytest.param(
            "Cohen, Ronen. (2009). The Rise and Fall of the Mojahedin-e Khalq. Brighton: Sussex Academic Press.",
            "Cohen, Ronen. (2009). The Rise and Fall of the Mojahedin-e Khalq: Their Survival. Brighton: Sussex.",
            id="with-and-without-subtitle",
        ),
    ],
)
def test_same_work(a: str, b: str) -> None:
    assert works.same_work(ref(a), ref(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(
            "Khomeini Warns Iran of Leftist Threat. New York Times. June 17, 1980.",
            "Khomeini Demands Government Purge. New York Times. June 28, 1980.",
            id="different-headlines",
        ),
        pytest.param(
            "Smith, John. (2001). Exile Politics. London: Verso.",
            "Jones, Mary. (2001). Exile Politics. London: Verso.",
            id="same-title-different-author",
        ),
        pytest.param(
            "Smith, John. (2001). Exile Politics. London: Verso.",
            "Smith, John. (2011). Exile Politics. London: Verso.",
            id="same-title-different-year",
        ),
    ],
)
def test_different_works(a: str, b: str) -> None:
    assert not works.same_work(ref(a), ref(b))


def test_cluster_keeps_known_works_first_and_merges_fields() -> None:
    known = [works.WorkDraft(ref("Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven: Yale."), key="abr")]
    refs = [
        ref("Bakhash, Shaul. (1984). The Reign of the Ayatollahs. New York: Basic Books."),
        ref("Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven, CT: Yale University Press, p. 4."),
        None,
        ref("Bakhash, Shaul. (1984). The Reign of the Ayatollahs. New York: Basic Books, p. 9."),
    ]
    drafts, assignment = works.cluster(refs, known)
    assert assignment == [1, 0, None, 1]
    assert drafts[0].key == "abr" and drafts[0].members == [1]
    assert drafts[1].members == [0, 3]
    assert drafts[1].reference.locator == ""


def test_sticky_link_survives_a_user_edit_of_the_title() -> None:
    edited = works.WorkDraft(ref("Mohahed. Corrected Title Entirely. June 15, 1980."), key="moj", curated=True)
    cited = ref("Mohahed (MEK Daily Newspaper). June 15, 1980.")
    drafts, assignment = works.cluster([cited, cited], [edited], sticky=["moj", None])
    assert assignment == [0, 0]
    assert len(drafts) == 1


def test_untitled_newspaper_issue_matches_on_container_and_date() -> None:
    a = ref("Mohahed (MEK Daily Newspaper). June 15, 1980.")
    b = ref("Mohahed (MEK Daily Newspaper). June 16, 1980.")
    _drafts, assignment = works.cluster([a, a, b], [])
    assert assignment == [0, 0, 1]


# mentions in prose: partial records matched by issuer, year, type and title --------------------------------

def _rand(year: int | None = 2009, type_: str = "report", title: str = "") -> Reference:
    from biblio.model import DateValue, Name

    issued = DateValue(((year,),), str(year)) if year else None
    return Reference(type=type_, title=title, author=(Name(literal="RAND Corporation"),), issued=issued)


def _known(key: str, title: str, year: int, type_: str = "report") -> works.WorkDraft:
    from biblio.model import DateValue, Name

    ref = Reference(type=type_, title=title, author=(Name(family="Goulka", given="Jeremiah"),),
                    publisher="RAND Corporation", issued=DateValue(((year,),), str(year)))
    return works.WorkDraft(ref, key=key, curated=True)


@pytest.mark.parametrize(
    ("mention", "known", "expected"),
    [
        pytest.param(_rand(), [_known("goulka2009", "The MEK in Iraq", 2009)], ["goulka2009"],
                     id="issuer-is-the-institution"),
        pytest.param(_rand(2010), [_known("goulka2009", "The MEK in Iraq", 2009)], ["new"], id="other-year-is-new"),
        pytest.param(_rand(type_="book"), [_known("goulka2009", "The MEK in Iraq", 2009)], ["new"],
                     id="other-type-is-new"),
        pytest.param(_rand(None), [_known("a2009", "One", 2009), _known("b2011", "Two", 2011)], [None],
                     id="yearless-with-two-candidates-links-nothing"),
        pytest.param(_rand(None), [_known("a2009", "One", 2009)], ["a2009"], id="yearless-unique-report"),
        pytest.param(_rand(None, "document"), [_known("a2009", "One", 2009)], [None],
                     id="yearless-speech-never-links"),
        pytest.param(_rand(2009), [_known("a2009", "One", 2009), _known("b2009", "Two", 2009)], [None],
                     id="two-reports-that-year-stay-apart"),
        pytest.param(_rand(2009, title="Two"), [_known("a2009", "One", 2009), _known("b2009", "Two", 2009)],
                     ["b2009"], id="title-words-decide"),
    ],
)
def test_mentions_link_only_when_one_known_work_fits(mention: Reference, known: list, expected: list) -> None:
    drafts, assignment = works.cluster([mention], known, partial=[True])
    got = [None if a is None else (drafts[a].key or "new") for a in assignment]
    assert got == expected


def test_mentions_of_one_partial_work_share_it_and_a_footnote_elsewhere_wins() -> None:
    full = ref("Goulka, Jeremiah. (2009). The Mujahedin-e Khalq in Iraq. Santa Monica, CA: RAND Corporation.")
    drafts, assignment = works.cluster([_rand(), full, _rand()], [], partial=[True, False, True])
    assert assignment[0] == assignment[1] == assignment[2]
    assert drafts[assignment[0]].reference.title.startswith("The Mujahedin-e Khalq")


def test_unidentifiable_mentions_make_no_work() -> None:
    drafts, assignment = works.cluster([None, _rand(None)], [], partial=[True, True])
    assert (drafts, assignment) == ([], [None, None])
