"""Reference lists and citations through pandoc's citeproc, checked against pandoc reading the .bib itself.

The engine is the pandoc bundled in pypandoc-binary (a dependency, so always here). Two comparisons:
``test_matches_pandoc_reading_the_bib`` runs that same pandoc on ``references.bib`` directly, so it checks
biblio's side (the .bib → CSL-JSON conversion, chunking, re-assembly, the writer pass) line by line;
``test_matches_system_pandoc`` runs the ``pandoc`` on PATH (Debian's, when installed), an independent build.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import pytest

from biblio import imports
from biblio.errors import BiblioError
from biblio.model import DateValue, Name, Reference
from biblio.render import export, styles
from biblio.store import Store
from tests.conftest import ROOT

BIB = ROOT / "references.bib"
NOCITE = "---\nnocite: '@*'\n---\n"
COMPARED = ["apa", "chicago-author-date", "chicago-notes-bibliography"]


@pytest.fixture(scope="module")
def topic() -> list[dict]:
    store = Store(":memory:")
    imports.merge(store, imports.read(BIB))
    items, findings = export.csl_items(export.select(store))
    assert findings == []
    return items


def pandoc_on_bib(binary: str, style: str) -> str:
    proc = subprocess.run([binary, "-f", "markdown", "-t", "plain", "--wrap=none", "--citeproc",
                           f"--csl={styles.style_path(style)}", f"--bibliography={BIB}"],
                          input=NOCITE, capture_output=True, text=True, timeout=60, check=True)
    assert proc.stderr == ""
    return proc.stdout


def assert_same(ours: str, theirs: str, what: str) -> None:
    diff = "".join(difflib.unified_diff(theirs.splitlines(True), ours.splitlines(True), what, "biblio refs"))
    assert ours == theirs, f"biblio differs from {what}:\n{diff}"


@pytest.mark.parametrize("style", [pytest.param(s, id=s) for s in COMPARED])
def test_matches_pandoc_reading_the_bib(topic: list[dict], style: str) -> None:
    rendered = styles.bibliography(topic, style, "text")
    assert rendered.warnings == ()
    assert_same(rendered.text, pandoc_on_bib(styles.pandoc_path(), style), f"bundled pandoc on {BIB.name}")


@pytest.mark.parametrize("style", [pytest.param(s, id=s) for s in COMPARED])
def test_matches_system_pandoc(topic: list[dict], style: str) -> None:
    system = shutil.which("pandoc")
    if system is None:
        pytest.skip("no pandoc on PATH (apt-get install pandoc) to compare with")
    version = styles.pandoc_version(system)
    if style != "apa" and version < (3,):
        pytest.skip(f"system pandoc {'.'.join(map(str, version))} predates pandoc 3, whose citeproc changed how "
                    "Chicago treats authorless articles; only APA is comparable")
    assert_same(styles.bibliography(topic, style, "text").text, pandoc_on_bib(system, style),
                f"system pandoc {'.'.join(map(str, version))} on {BIB.name}")


@pytest.mark.parametrize("style", [pytest.param(s, id=s) for s in ("apa", "chicago-author-date")])
def test_chunks_give_the_single_run_output(topic: list[dict], style: str) -> None:
    single = styles.bibliography(topic, style, "text")
    chunked = styles.bibliography(topic, style, "text", chunk=4, jobs=2)
    assert_same(chunked.text, single.text, "one citeproc run")
    assert "Reuters. (1980a" in single.text or "Reuters. 1980a" in single.text


@pytest.mark.parametrize(
    ("fmt", "present", "absent"),
    [
        pytest.param("text", "Abrahamian, E. (1989). The Iranian Mojahedin.", "<", id="text"),
        pytest.param("markdown", "Abrahamian, E. (1989). *The Iranian Mojahedin*.", ":::", id="markdown"),
        pytest.param("html", '<div id="ref-abrahamian1989" class="csl-entry"', ":::", id="html"),
    ],
)
def test_formats(topic: list[dict], fmt: str, present: str, absent: str) -> None:
    text = styles.bibliography(topic, "apa", fmt).text
    assert present in text and absent not in text


@pytest.mark.parametrize(
    ("key", "style", "locator", "expected"),
    [
        pytest.param("abrahamian1989", "apa", "p. 33", "(Abrahamian, 1989, p. 33)", id="apa-page"),
        pytest.param("abrahamian1989", "apa", "pp. 33-35", "(Abrahamian, 1989, pp. 33–35)", id="apa-pages"),
        pytest.param("reuters1980a", "apa", "", "(Reuters, 1980b)", id="disambiguated"),
        pytest.param("abrahamian1989", "chicago-notes-bibliography", "p. 33",
                     "Ervand Abrahamian, The Iranian Mojahedin (Yale University Press, 1989), 33.", id="footnote"),
        pytest.param("abrahamian1989", "mla", "chap. 2 [sic]", "(Abrahamian, ch. 2 [sic])", id="escaped-locator"),
    ],
)
def test_citation(topic: list[dict], key: str, style: str, locator: str, expected: str) -> None:
    assert styles.citation(topic, key, style, locator).text == expected + "\n"


def test_citation_of_an_unknown_key(topic: list[dict]) -> None:
    with pytest.raises(BiblioError, match="no work with key"):
        styles.citation(topic, "nosuchkey2001")


@pytest.mark.parametrize(
    ("items", "together"),
    [
        pytest.param([{"author": [{"family": "Smith"}]}, {"author": [{"family": "smith", "given": "A."}]}], True,
                     id="same-family"),
        pytest.param([{"title": "Quran"}, {"author": [{"literal": "Quran"}]}], True, id="title-as-author"),
        pytest.param([{"container-title": "Le Monde", "title": "A"}, {"container-title": "Le Monde", "title": "B"}],
                     True, id="same-paper"),
        pytest.param([{"author": [{"family": "Smith"}]}, {"author": [{"family": "Jones"}]}], False, id="unrelated"),
    ],
)
def test_chunks_keep_confusable_items_together(items: list[dict], together: bool) -> None:
    chunks = styles._chunks(items, 1)
    assert (len(chunks) == 1) is together


def test_sorter_keeps_the_sort_and_drops_the_layout() -> None:
    sorter = styles._sorter(styles.style_path("apa")).decode("utf-8")
    assert '<key macro="author-sort"' in sorter and "disambiguate-add-year-suffix" not in sorter
    assert sorter.count("<layout") == 2


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in styles.STYLES])
def test_bundled_styles_are_official_and_licensed(name: str) -> None:
    text = styles.style_path(name).read_text(encoding="utf-8")
    assert "http://creativecommons.org/licenses/by-sa/3.0/" in text
    assert "<link" not in text or 'rel="independent-parent"' not in text


def test_style_path_accepts_a_file_and_refuses_the_unknown(tmp_path: Path) -> None:
    own = tmp_path / "mine.csl"
    own.write_text(styles.style_path("apa").read_text(encoding="utf-8"), encoding="utf-8")
    assert styles.style_path(str(own)) == own
    with pytest.raises(BiblioError, match="unknown style"):
        styles.style_path("vancouver-ish")


def test_format_reference_for_the_report() -> None:
    ref = Reference("book", "The Iranian Mojahedin", (Name("Abrahamian", "Ervand"),), issued=DateValue(((1989,),)),
                    publisher="Yale University Press")
    assert styles.format_reference(ref, "apa") == "Abrahamian, E. (1989). The Iranian Mojahedin. Yale University Press."


def test_bad_engine_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBLIO_PANDOC", "/nonexistent/pandoc")
    styles.pandoc_path.cache_clear()
    try:
        with pytest.raises(BiblioError, match="BIBLIO_PANDOC"):
            styles.pandoc_path()
    finally:
        monkeypatch.delenv("BIBLIO_PANDOC")
        styles.pandoc_path.cache_clear()
