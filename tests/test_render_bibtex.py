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
