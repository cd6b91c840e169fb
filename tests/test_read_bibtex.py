"""Reading a curated .bib: entries become references; a bad block stops with file:line."""

from __future__ import annotations

import pytest

from biblio.errors import BibError
from biblio.model import Name
from biblio.read import bibtex

GOOD = r"""% user comment
@string{yup = "Yale University Press"}
@book{abrahamian1989,
  author = {Abrahamian, Ervand},
  title = {The {Iranian} Mojahedin},
  publisher = yup,
  address = {New Haven},
  year = {1989}
}
@techreport{hrw2005,
  author = {{Human Rights Watch}},
  title = {No Exit: Human Rights Abuses Inside the {MKO} Camps},
  institution = {Human Rights Watch},
  year = 2005,
  month = may
}
@article{merat2018,
  author = {Arron Merat},
  title = {The wild story of the {MEK}},
  journal = {The Guardian},
  entrysubtype = {newspaper},
  date = {2018-11-09},
  url = {https://example.org/a%20b_c}
}
"""


def test_entries_become_references() -> None:
    bib = bibtex.parse(GOOD, "refs.bib")
    refs = dict(bib.entries)
    assert set(refs) == {"abrahamian1989", "hrw2005", "merat2018"}
    book = refs["abrahamian1989"]
    assert (book.type, book.title, book.publisher, book.year) == ("book", "The Iranian Mojahedin",
                                                                   "Yale University Press", 1989)
    assert book.author == (Name(family="Abrahamian", given="Ervand"),)
    report = refs["hrw2005"]
    assert report.type == "report" and report.author == (Name(literal="Human Rights Watch"),)
    assert report.issued is not None and report.issued.parts == ((2005, 5),)
    article = refs["merat2018"]
    assert article.type == "article-newspaper" and article.container_title == "The Guardian"
    assert article.author[0].family == "Merat" and article.issued.parts == ((2018, 11, 9),)
    assert article.URL == "https://example.org/a%20b_c"


def test_text_is_kept_verbatim() -> None:
    assert bibtex.parse(GOOD, "refs.bib").text == GOOD


def test_duplicate_key_is_a_warning_with_line() -> None:
    text = GOOD + "\n@book{hrw2005, title = {Another}}\n"
    bib = bibtex.parse(text, "refs.bib")
    line = text.count("\n", 0, text.index("@book{hrw")) + 1
    assert [(f.rule, f.line) for f in bib.findings] == [("duplicate-bib-key", line)]


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param("@book{bad, title = {unbalanced\n", id="unbalanced-brace"),
        pytest.param("@book{bad,\n  title = {ok},\n  year = \n", id="missing-value"),
    ],
)
def test_malformed_block_raises_with_line(tail: str) -> None:
    line = GOOD.count("\n") + 2
    with pytest.raises(BibError) as info:
        bibtex.parse(GOOD + "\n" + tail, "refs.bib")
    assert info.value.path == "refs.bib"
    assert info.value.line == line


def test_missing_file_is_empty(tmp_path) -> None:
    bib = bibtex.load(tmp_path / "none.bib")
    assert bib.entries == () and bib.text == ""


def test_plain_strips_braces_and_escapes() -> None:
    assert bibtex.plain(r"{RAND} \& the {MEK} 10\% --- a") == "RAND & the MEK 10% –- a"
