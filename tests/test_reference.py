"""Reference strings in the note styles found on the web become CSL records."""

from __future__ import annotations

import time

import pytest

from biblio.parse import features, names, reference, tagger


def fields(raw: str) -> dict:
    ref = reference.parse(raw)
    assert ref is not None, raw
    data = ref.as_csl()
    data["authors"] = [n.get("family") or n.get("literal") for n in data.pop("author", [])]
    data["year"] = ref.year
    data["locator"] = ref.locator
    return data


CASES = [
    pytest.param(
        "Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven, CT: Yale University Press.",
        {"type": "book", "authors": ["Abrahamian"], "title": "The Iranian Mojahedin", "year": 1989,
         "publisher": "Yale University Press", "publisher-place": "New Haven, CT"},
        id="author-date-book",
    ),
    pytest.param(
        "Bakhash, Shaul. (1984). The Reign of the Ayatollahs. New York: Basic Books. New York, 1984.",
        {"type": "book", "authors": ["Bakhash"], "title": "The Reign of the Ayatollahs", "year": 1984,
         "publisher": "Basic Books", "publisher-place": "New York"},
        id="book-with-repeated-place-and-year",
    ),
    pytest.param(
        "Much of this chapter draws on “Enemies of the Ayatollahs,” by Mohammad Mohaddessin, Zed Books, London, 2004.",
        {"type": "book", "authors": ["Mohaddessin"], "title": "Enemies of the Ayatollahs", "year": 2004,
         "publisher": "Zed Books", "publisher-place": "London"},
        id="prose-by-note",
    ),
    pytest.param(
        "Iranians Return to Polls Today. The Globe and Mail. May 9, 1980.",
        {"type": "article-newspaper", "authors": [], "title": "Iranians Return to Polls Today",
         "container-title": "The Globe and Mail", "year": 1980},
        id="newspaper",
    ),
    pytest.param(
        "Dupont, Claire. Tehran Rally Ends in Clashes. Le Monde. June 14, 1980.",
        {"type": "article-newspaper", "authors": ["Dupont"], "container-title": "Le Monde", "year": 1980,
         "title": "Tehran Rally Ends in Clashes"},
        id="author-and-newspaper",
    ),
    pytest.param(
        "Vote Count Disputed in Provincial Election. Reuters, The Globe and Mail. March 17, 1980.",
        {"type": "article-newspaper", "authors": ["Reuters"], "container-title": "The Globe and Mail",
         "title": "Vote Count Disputed in Provincial Election", "year": 1980},
        id="wire-story-in-newspaper",
    ),
    pytest.param(
        "200 Injured as Rival Groups Clash in Capital. The Globe and Mail. June 13, 1980.",
        {"type": "article-newspaper", "title": "200 Injured as Rival Groups Clash in Capital",
         "container-title": "The Globe and Mail", "year": 1980},
        id="headline-starting-with-number",
    ),
    pytest.param(
        "Interview with a Leader: “Our struggle is for freedom”. MERIP Reports. March-April 1982.",
        {"type": "article-magazine", "container-title": "MERIP Reports", "year": 1982},
        id="magazine-with-quoted-title",
    ),
    pytest.param(
        "Quran, Sura 2, Verse 256.",
        {"type": "book", "title": "Quran", "locator": "Sura 2, Verse 256"},
        id="scripture-with-locator",
    ),
    pytest.param(
        "Quran. Sura 7, Verse 157.",
        {"type": "book", "title": "Quran", "locator": "Sura 7, Verse 157"},
        id="scripture-period",
    ),
    pytest.param(
        "Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven, CT: Yale University Press, p. 98.",
        {"title": "The Iranian Mojahedin", "publisher": "Yale University Press", "locator": "p. 98"},
        id="page-locator",
    ),
    pytest.param(
        "Human Rights Watch. (2005). No Exit: Human Rights Abuses Inside the MKO Camps. New York: Human Rights Watch.",
        {"type": "report", "authors": ["Human Rights Watch"], "year": 2005,
         "title": "No Exit: Human Rights Abuses Inside the MKO Camps"},
        id="corporate-report",
    ),
    pytest.param(
        "Goulka, Jeremiah, Lydia Hansell, Elizabeth Wilke, and Judith Larson. (2009). The Mujahedin-e Khalq in Iraq: "
        "A Policy Conundrum. Santa Monica, CA: RAND Corporation.",
        {"type": "report", "authors": ["Goulka", "Hansell", "Wilke", "Larson"], "year": 2009,
         "publisher": "RAND Corporation"},
        id="think-tank-report",
    ),
    pytest.param(
        "Smith, John. (2001). Exile politics. Journal of Iranian Studies, 12(3), 45–67.",
        {"type": "article-journal", "container-title": "Journal of Iranian Studies", "volume": "12", "issue": "3",
         "page": "45–67", "year": 2001},
        id="journal-article",
    ),
    pytest.param(
        "Mohahed (MEK Daily Newspaper). June 15, 1980.",
        {"type": "article-newspaper", "container-title": "Mohahed", "year": 1980},
        id="newspaper-issue-without-title",
    ),
    pytest.param(
        "Mohaddessin, Enemies of the Ayatollahs, p. 60.",
        {"type": "document", "authors": ["Mohaddessin"], "title": "Enemies of the Ayatollahs", "locator": "p. 60"},
        id="short-note",
    ),
    pytest.param(
        "See the camp report at https://www.example.org/camps_report%202005.pdf",
        {"URL": "https://www.example.org/camps_report%202005.pdf"},
        id="url-kept-raw",
    ),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_parse(raw: str, expected: dict) -> None:
    got = fields(raw)
    for name, value in expected.items():
        assert got.get(name) == value, f"{name}: {got.get(name)!r} != {value!r}"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param("12", id="digits-only"),
        pytest.param("—", id="punctuation"),
    ],
)
def test_unparseable_returns_none(raw: str) -> None:
    assert reference.parse(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("a" * 100_000, id="one-long-token"),
        pytest.param("(" * 50_000 + ")" * 50_000, id="deep-parentheses"),
        pytest.param("\x00\x01\x02 Title. Paper. May 1, 1980." * 3000, id="control-characters"),
        pytest.param("Abrahamian, Ervand. " * 5000, id="repeated-names"),
        pytest.param("“" * 100_000, id="open-quotes"),
    ],
)
def test_hostile_strings_parse_quickly(raw: str) -> None:
    start = time.perf_counter()
    reference.parse(raw)
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    ("text", "body", "locator"),
    [
        pytest.param("The Iranian Mojahedin, pp. 12–14.", "The Iranian Mojahedin", "pp. 12–14", id="page-range"),
        pytest.param("No locator here", "No locator here", "", id="none"),
        pytest.param("Khomeini's Ghost, Ecco Books 2010 p. 377 n. 21", "Khomeini's Ghost, Ecco Books 2010",
                     "p. 377 n. 21", id="page-and-note-on-it"),
        pytest.param("Enemies of the Ayatollahs, ch. 4", "Enemies of the Ayatollahs", "ch. 4", id="chapter"),
        pytest.param("Quran, Sura 2, Verse 256", "Quran", "Sura 2, Verse 256", id="sura-verse"),
        pytest.param("Report, para. 31.", "Report", "para. 31", id="paragraph"),
        pytest.param("Published in 1999", "Published in 1999", "", id="bare-year-is-no-locator"),
        pytest.param("p. 45", "", "p. 45", id="locator-alone"),
        pytest.param("Report:\t\tp. 9", "Report", "p. 9", id="punctuation-then-tabs"),
        pytest.param("Report\t\tp. 9", "Report", "p. 9", id="tabs-without-punctuation"),
        pytest.param("Notes on chapters, vol. iv", "Notes on chapters", "vol. iv", id="keyword-letters-in-words"),
        pytest.param("x" * 100 + " Title, p. 7", "x" * 100 + " Title", "p. 7", id="long-string-tail-only"),
        pytest.param("p. 3 " + "y" * 100, "p. 3 " + "y" * 100, "", id="locator-far-from-the-end"),
    ],
)
def test_split_locator(text: str, body: str, locator: str) -> None:
    assert reference.split_locator(text) == (body, locator)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        pytest.param("Cohen, Ronen. (2009). The Rise and Fall of the Mojahedin-e Khalq, 1987–1997. Brighton: "
                     "Sussex Academic Press.", "title", "The Rise and Fall of the Mojahedin-e Khalq, 1987–1997",
                     id="year-range-ends-a-book-title"),
        pytest.param("Cohen, Ronen. (2009). The Rise and Fall of the Mojahedin-e Khalq, 1987–1997. Brighton: "
                     "Sussex Academic Press, p. 141.", "locator", "p. 141", id="pinpoint-page-of-a-book-is-locator"),
        pytest.param("Gimlich, R.L. and J. Braun, Improved fluorescent compounds for tracing cell lineage. "
                     "Dev Biol, 1985. 109(2): p. 509-14.", "page", "509-14", id="article-page-range-stays-page"),
        pytest.param("Human Rights Watch. (2005). No Exit: Human Rights Abuses Inside the MKO Camps. New York: "
                     "Human Rights Watch.", "type", "report", id="issuer-as-publisher-is-report"),
        pytest.param("\u201cNo Exit: Human Rights Abuses Inside the MKO Camps,\u201d Human Rights Watch, May 2005.",
                     "publisher", "Human Rights Watch", id="issuer-where-a-journal-stands-is-report"),
        pytest.param("Ervand Abrahamian, The Iranian Mojahedin (New Haven: Yale University Press, 1989), 145.",
                     "locator", "p. 145", id="bare-pinpoint-page-of-a-book"),
        pytest.param("Reuters, \"Exiles rally in Paris\", 3 March 2019. Retrieved 4 March 2019.", "title",
                     "Exiles rally in Paris", id="wire-story-and-access-date"),
        pytest.param("Associated Press, \u201cExiles rally in Paris,\u201d June 30, 2018.", "container_title",
                     "Associated Press", id="wire-story-comma-date"),
        pytest.param("Cohen, R. (2018). Exile and propaganda. Middle Eastern Studies, 54(6), 1000\u20131014.", "page",
                     "1000\u20131014", id="journal-pages-stay"),
    ],
)
def test_tagged_strings_are_finished_by_the_note_rules(text: str, field: str, value: str) -> None:
    ref = reference.parse(text)
    assert ref is not None
    assert getattr(ref, field) == value


def test_clear_caches_forgets_parses_tokens_and_names() -> None:
    reference.parse("Abrahamian, Ervand. The Iranian Mojahedin. New Haven: Yale University Press, 1989.")
    assert reference._parse_text.cache_info().currsize > 0
    reference.clear_caches()
    for cached in (reference._parse_text, reference._parse_core, reference._tagged_core, names.parse_name,
                   features.token_features):
        assert cached.cache_info().currsize == 0
    if tagger.compiled():
        assert tagger._fast(str(tagger.MODEL)).score.cache_info().currsize == 0
    again = reference.parse("Abrahamian, Ervand. The Iranian Mojahedin. New Haven: Yale University Press, 1989.")
    assert again is not None and again.title == "The Iranian Mojahedin"
