"""Writing BibTeX through bibtexparser: escaping, acronyms, append-only growth."""

from __future__ import annotations

import bibtexparser
import pytest

from biblio.model import DateValue, Name, Reference, Work
from biblio.read import bibtex as reader
from biblio.render import bibtex


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("A & B", r"A \& B", id="ampersand"),
        pytest.param("100% sure_now #1 $5", r"100\% sure\_now \#1 \$5", id="specials"),
        pytest.param("{odd} braces", r"\{odd\} braces", id="braces"),
        pytest.param("back\\slash", r"back\textbackslash{}slash", id="backslash"),
    ],
)
def test_escape(value: str, expected: str) -> None:
    assert bibtex.escape(value) == expected


def test_acronyms_in_titles_are_protected() -> None:
    assert bibtex.protect_title("The MEK and RAND in Iraq") == "The {MEK} and {RAND} in Iraq"


WORK = Work(
    "merat2018",
    Reference(
        type="article-newspaper",
        title="Terrorists, cultists – or champions? The story of the MEK & 100% more",
        author=(Name("Merat", "Arron"),),
        container_title="The Guardian",
        issued=DateValue(((2018, 11, 9),)),
        URL="https://example.org/a%20b_c",
    ),
)


def test_render_round_trips_through_bibtexparser() -> None:
    text = bibtex.render([WORK])
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    entry = library.entries[0]
    assert entry.key == "merat2018" and entry.entry_type == "article"
    assert entry.fields_dict["url"].value == "https://example.org/a%20b_c"
    assert entry.fields_dict["month"].value == "nov"
    back = dict(reader.parse(text).entries)["merat2018"]
    assert back.title == WORK.reference.title
    assert back.type == "article-newspaper"
    assert back.author == WORK.reference.author


def test_append_keeps_existing_text_byte_for_byte() -> None:
    existing = "% mine\n@book{x,\n    title={Kept   as   is}}\n"
    out = bibtex.append(existing, [WORK])
    assert out.startswith(existing)
    assert "@article{merat2018," in out[len(existing):]
    assert bibtex.append(existing, []) == existing


def test_append_to_file_without_final_newline() -> None:
    out = bibtex.append("@book{x, title={T}}", [WORK])
    assert out.startswith("@book{x, title={T}}\n\n@article{merat2018,")


@pytest.mark.parametrize(
    ("text", "expected", "missing"),
    [
        pytest.param("Abrahamian", "Abrahamian", set(), id="ascii"),
        pytest.param("café", "caf{\\'e}", set(), id="precomposed"),
        pytest.param("Moḥammad-Reżā", "Mo{\\d{h}}ammad-Re{\\.z}{\\={a}}", set(), id="dot-below"),
        pytest.param("Ḵomeynī", "{\\b{K}}omeyn{\\={i}}", set(), id="line-below"),
        pytest.param("ʿAlī Šarīʿatī", "{\\textquoteleft}Al{\\={i}} {\\v{S}}ar{\\={i}}{\\textquoteleft}at{\\={i}}",
                     set(), id="ayn"),
        pytest.param("1987–1997 “q”", "1987{\\textendash}1997 {\\textquotedblleft}q{\\textquotedblright}", set(),
                     id="punctuation"),
        pytest.param("سازمان", "سازمان", set("سازمان"), id="arabic-script"),
    ],
)
def test_to_ascii(text: str, expected: str, missing: set[str]) -> None:
    assert bibtex.to_ascii(text) == (expected, missing)


def test_ascii_url_percent_encodes_only_non_ascii() -> None:
    assert bibtex.ascii_url("https://fa.wikipedia.org/wiki/مجاهدین?a_b=1%2F2") == (
        "https://fa.wikipedia.org/wiki/%D9%85%D8%AC%D8%A7%D9%87%D8%AF%DB%8C%D9%86?a_b=1%2F2")


@pytest.mark.parametrize(
    ("ref", "fields"),
    [
        pytest.param(WORK.reference, {"journaltitle": "The Guardian", "entrysubtype": "newspaper",
                                      "date": "2018-11-09", "url": "https://example.org/a%20b_c"}, id="newspaper"),
        pytest.param(Reference("webpage", "A page", container_title="HRW", issued=DateValue(((2005, 5),))),
                     {"organization": "HRW", "date": "2005-05"}, id="online"),
        pytest.param(Reference("report", "R", publisher="RAND", publisher_place="Santa Monica"),
                     {"institution": "RAND", "location": "Santa Monica"}, id="report"),
    ],
)
def test_biblatex_fields(ref: Reference, fields: dict[str, str]) -> None:
    entry = bibtex.reference_to_biblatex("k", ref)
    assert entry.entry_type == bibtex.BIBLATEX_TYPES[ref.type]
    got = {f.key: f.value for f in entry.fields}
    assert {k: got.get(k) for k in fields} == fields


def test_render_as_ascii_keeps_urls_and_reports_missing_macros() -> None:
    work = Work("k", Reference("book", "Ḵāṭerāt", (Name(literal="سازمان"),), URL="https://x.org/ā_b"))
    text, missing = bibtex.render_as([work], ascii_only=True)
    assert "title = {{\\b{K}}{\\={a}}{\\d{t}}er{\\={a}}t}" in text
    assert "url = {https://x.org/%C4%81_b}" in text
    assert missing == set("سازمان")
