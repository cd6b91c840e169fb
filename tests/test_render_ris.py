"""CSL items as RIS records, read back by rispy and by biblio's own reader."""

from __future__ import annotations

import pytest

from biblio import imports
from biblio.read import ris as ris_reader
from biblio.render import export, ris
from biblio.store import Store
from tests.conftest import ROOT

ITEM = {
    "id": "goulka2009", "type": "report", "title": "The <span class=\"nocase\">Mujahedin-e Khalq</span> in Iraq",
    "author": [{"family": "Goulka", "given": "Jeremiah"}, {"family": "Gogh", "given": "Vincent",
                                                          "dropping-particle": "van"}],
    "editor": [{"literal": "RAND, Corporation"}], "publisher": "RAND Corporation", "publisher-place": "Santa Monica",
    "issued": {"date-parts": [[2009, 3]]}, "page": "33–45", "URL": "https://example.org/a%20b_c",
}


def test_record() -> None:
    assert ris.record(ITEM) == (
        "TY  - RPRT\nID  - goulka2009\nAU  - Goulka, Jeremiah\nAU  - Gogh, Vincent van\nA2  - RAND Corporation\n"
        "TI  - The Mujahedin-e Khalq in Iraq\nPB  - RAND Corporation\nCY  - Santa Monica\n"
        "UR  - https://example.org/a%20b_c\nSP  - 33\nEP  - 45\nPY  - 2009\nDA  - 2009/03//\nER  - \n\n"
    )


@pytest.mark.parametrize(
    ("item", "lines"),
    [
        pytest.param({"type": "article-newspaper", "issued": {"literal": "Summer 1980"}},
                     ["TY  - NEWS", "PY  - Summer 1980"], id="literal-date"),
        pytest.param({"type": "unknown-type", "page": "12"}, ["TY  - GEN", "SP  - 12"], id="one-page"),
        pytest.param({"type": "book", "title": "Two\nlines"}, ["TY  - BOOK", "TI  - Two lines"], id="one-line-values"),
    ],
)
def test_record_lines(item: dict, lines: list[str]) -> None:
    assert ris.record(item).splitlines()[:-2] == lines


def _topic_ris() -> tuple[str, list[dict]]:
    store = Store(":memory:")
    imports.merge(store, imports.read(ROOT / "references.bib"))
    sel = export.select(store)
    items, _ = export.csl_items(sel)
    return ris.render(items), items


def test_rispy_reads_the_export_with_the_same_fields() -> None:
    rispy = pytest.importorskip("rispy", reason="rispy is a test dependency (pip install -e '.[test]')")
    text, items = _topic_ris()
    records = rispy.loads(text)
    assert len(records) == len(items)
    for record, item in zip(records, items, strict=True):
        assert record["id"] == item["id"]
        assert record["type_of_reference"] == ris_reader.CSL_TO_RIS.get(item["type"], "GEN")
        assert record.get("title", "") == ris._text(item.get("title", ""))
        assert record.get("authors", []) == [ris._name(n) for n in item.get("author", [])]
        assert record.get("year", "") == (str(item["issued"]["date-parts"][0][0]) if "issued" in item else "")
        assert record.get("publisher", "") == ris._text(item.get("publisher", ""))
        assert record.get("secondary_title", "") == ris._text(item.get("container-title", ""))
        assert record.get("urls", []) == ([item["URL"]] if "URL" in item else [])


def test_biblio_reads_its_own_export_back() -> None:
    text, items = _topic_ris()
    parsed = ris_reader.parse(text, "x.ris")
    assert [i.key for i in parsed.items] == [item["id"] for item in items]
    by_key = {i.key: i.reference for i in parsed.items}
    assert by_key["humanrightswatch2005"].author[0].literal == "Human Rights Watch"
    assert by_key["poac2007"].issued is not None and by_key["poac2007"].issued.parts == ((2007, 11, 30),)
