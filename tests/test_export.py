"""Exports: which works, BibTeX that gives imported files back byte for byte, and what LaTeX, pandoc and
pybtex make of them (with the real binaries when installed; those tests skip with the reason otherwise)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from biblio import imports, pipeline
from biblio.errors import BiblioError
from biblio.model import DateValue, Name, Reference, Work
from biblio.render import bibtex as bib_writer
from biblio.render import export, styles
from biblio.store import Store
from tests.conftest import FIXTURES, ROOT

BIB = ROOT / "references.bib"
HOSTILE = FIXTURES / "bib" / "hostile.bib"
NEW = Work("stevenson2021", Reference("book", "Dictatorship and Revolution: Iran – 1979 & After",
                                      (Name("Stevenson", "Struan"), Name("Ḥekmat", "ʿAlī")),
                                      issued=DateValue(((2021,),)), publisher="Mo & Co", URL="https://x.org/a_b%20c"),
           curated=True)


def imported(*paths: Path) -> Store:
    store = Store(":memory:")
    for path in paths:
        imports.merge(store, imports.read(path))
    return store


def keys_of(bib: str) -> list[str]:
    return re.findall(r"^@\w+\{([^,\s]+),", bib, re.M)


@pytest.mark.parametrize("path", [pytest.param(BIB, id="references.bib"), pytest.param(HOSTILE, id="hostile")])
def test_import_then_export_gives_the_file_back(path: Path) -> None:
    text, findings = export.bibtex(export.select(imported(path)))
    assert text == path.read_text(encoding="utf-8")
    assert findings == []


def test_a_changed_work_is_written_anew_and_the_rest_verbatim() -> None:
    store = imported(BIB)
    work = store.work("cohen2009")
    assert work is not None
    changed = Work(work.key, Reference(**{**work.reference.__dict__, "title": "The Rise & Fall, Revised"}), True)
    store.import_works([changed], "edit", [])
    text, _ = export.bibtex(export.select(store))
    original = BIB.read_text(encoding="utf-8")
    start = original.index("@book{cohen2009")
    end = original.index("\n}", start) + 2
    assert text[:start] == original[:start] and text.endswith(original[end:])
    assert "title = {The Rise \\& Fall, Revised}" in text[start:]


def test_works_from_documents_follow_the_imported_text() -> None:
    store = imported(BIB)
    store.import_works([NEW], "edit", [])
    text, _ = export.bibtex(export.select(store))
    assert text.startswith(BIB.read_text(encoding="utf-8") + "\n@book{stevenson2021,")


def test_cited_selection_leaves_out_comments_and_reports_unknown_keys() -> None:
    sel = export.select(imported(HOSTILE), cited={"hrw2005", "escaped2001", "nosuch"})
    assert [w.key for w in sel.works] == ["escaped2001", "hrw2005"]
    assert [f.rule for f in sel.findings] == ["unknown-citation-key"]
    text, _ = export.bibtex(sel)
    assert keys_of(text) == ["escaped2001", "hrw2005"]
    assert text.startswith("@string{yup") and "% Hostile" not in text and "broken2003" not in text


def test_document_selection(tmp_path: Path) -> None:
    doc = tmp_path / "draft.txt"
    doc.write_text("Claim.1\n\n1 Stevenson, Struan. (2015). Self-Sacrifice: Life with the Iranian Mojahedin. "
                   "Edinburgh: Birlinn.\n", encoding="utf-8")
    store = Store(tmp_path / "s.db")
    pipeline.build([doc], store, BIB)
    assert [w.key for w in export.select(store, document="draft.txt").works] == ["stevenson2015"]
    with pytest.raises(BiblioError, match="no document"):
        export.select(store, document="other.txt")


def test_ascii_export_has_macros_and_reports_what_has_none() -> None:
    text, findings = export.bibtex(export.select(imported(HOSTILE)), ascii_only=True)
    assert "Mo{\\d{h}}ammad" in text and "{\\v{S}}ar{\\={i}}{\\textquoteleft}at{\\={i}}" in text
    assert "url     = {https://example.org/report_2019%20final.pdf?id=a_b&x=1#p%2F3}" in text
    assert {c for c in text if not c.isascii()} == set("سازمان مجاهدین خلق ایران") - {" "}
    assert [f.rule for f in findings] == ["no-ascii-macro"]


def test_biblatex_for_generated_works() -> None:
    text, _ = export.bibtex(export.Selection((NEW,)), "biblatex")
    assert "date = {2021}" in text and "location" not in text and "publisher = {Mo \\& Co}" in text
    assert "url = {https://x.org/a_b%20c}" in text


@pytest.mark.parametrize("fmt", [pytest.param(f, id=f) for f in export.FORMATS])
def test_every_format_of_the_topic_bibliography(fmt: str) -> None:
    text, findings = export.export(export.select(imported(BIB)), fmt)
    assert findings == [] and text.endswith("\n")
    if fmt == "csl-json":
        assert len(json.loads(text)) == len(keys_of(BIB.read_text(encoding="utf-8")))


def test_cited_keys_from_markdown_and_latex_drafts(tmp_path: Path) -> None:
    pytest.importorskip("biblio.read.markdown", reason="the Markdown reader is not in this tree yet")
    pytest.importorskip("biblio.read.latex", reason="the LaTeX reader is not in this tree yet")
    md = tmp_path / "draft.md"
    md.write_text("As shown [@abrahamian1989, p. 4] and by @cohen2009.\n", encoding="utf-8")
    tex = tmp_path / "draft.tex"
    tex.write_text("\\documentclass{article}\\begin{document}See \\citep[p.~3]{merat2018,goulka2009}."
                   "\\end{document}\n", encoding="utf-8")
    keys, findings = export.cited_keys([md, tex])
    assert keys == {"abrahamian1989", "cohen2009", "merat2018", "goulka2009"} and findings == []


@pytest.mark.parametrize("fmt", [pytest.param(f, id=f) for f in ("bibtex", "biblatex")])
def test_pybtex_parses_the_export(fmt: str) -> None:
    database = pytest.importorskip("pybtex.database", reason="pybtex is a test dependency")
    store = imported(BIB)
    store.import_works([NEW], "edit", [])
    text, _ = export.bibtex(export.select(store), fmt)
    data = database.parse_string(text, "bibtex")
    assert list(data.entries) == keys_of(text)
    assert str(data.entries["stevenson2021"].persons["author"][1]) == "Ḥekmat, ʿAlī"


# --- the real tools -------------------------------------------------------------------------------

# not about the bibliography: a package's banner, font substitutions, apacite's own count "warning$ -- 0"
TEX_NOISE = re.compile(r"infwarerr|Font Warning|Font shape|^\(Font\)|^warning\$ -- 0$")


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


def _warnings(*files: Path) -> list[str]:
    found = []
    for f in files:
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            if "warning" in line.lower() and not TEX_NOISE.search(line):
                found.append(f"{f.name}: {line}")
    return found


def _need(*tools: str, tex: tuple[str, ...] = ()) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if not missing and tex:
        missing = [f for f in tex if _run(["kpsewhich", f], Path.cwd()).returncode]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install texlive-latex-base "
                    "texlive-latex-recommended texlive-bibtex-extra biber)")


def _every_key(tmp_path: Path, text: str) -> str:
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    return ",".join(keys_of(text))


def test_biblatex_and_biber_compile_every_key_without_warnings(tmp_path: Path) -> None:
    _need("pdflatex", "biber", tex=("biblatex.sty",))
    text, _ = export.bibtex(export.select(imported(BIB)), "biblatex")
    keys = _every_key(tmp_path, text)
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[backend=biber,style=authoryear]{biblatex}\n"
        # biblatex's data model has @jurisdiction, its standard styles no driver: the documented fix
        "\\DeclareBibliographyAlias{jurisdiction}{misc}\n"
        f"\\addbibresource{{refs.bib}}\n\\begin{{document}}\n\\cite{{{keys}}}\n\\printbibliography\n\\end{{document}}\n",
        encoding="utf-8")
    for cmd in (["pdflatex", "-interaction=nonstopmode", "doc"], ["biber", "doc"],
                ["pdflatex", "-interaction=nonstopmode", "doc"], ["pdflatex", "-interaction=nonstopmode", "doc"]):
        proc = _run(cmd, tmp_path)
        assert proc.returncode == 0, proc.stdout[-2000:]
    assert _warnings(tmp_path / "doc.blg", tmp_path / "doc.log") == []
    assert (tmp_path / "doc.pdf").stat().st_size > 0


def test_natbib_and_bibtex_compile_the_ascii_export_without_warnings(tmp_path: Path) -> None:
    """8-bit bibtex gets the ``--ascii`` export; apacite's natbib mode, because the topic bibliography has
    authorless newspaper articles, which plainnat flags (``empty author``) by design."""
    _need("pdflatex", "bibtex", tex=("apacite.sty", "natbib.sty"))
    text, findings = export.bibtex(export.select(imported(BIB)), "bibtex", ascii_only=True)
    assert text.isascii() and findings == []
    keys = _every_key(tmp_path, text)
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[natbibapa]{apacite}\n\\begin{document}\n"
        f"\\citep{{{keys}}}\n\\bibliographystyle{{apacite}}\n\\bibliography{{refs}}\n\\end{{document}}\n",
        encoding="utf-8")
    for cmd in (["pdflatex", "-interaction=nonstopmode", "doc"], ["bibtex", "doc"],
                ["pdflatex", "-interaction=nonstopmode", "doc"], ["pdflatex", "-interaction=nonstopmode", "doc"]):
        proc = _run(cmd, tmp_path)
        assert proc.returncode == 0, proc.stdout[-2000:]
    assert _warnings(tmp_path / "doc.blg", tmp_path / "doc.log") == []


def _pandocs() -> list:
    found = [pytest.param(styles.pandoc_path(), id="bundled")]
    system = shutil.which("pandoc")
    found.append(pytest.param(system, id="system") if system else pytest.param(
        None, id="system", marks=pytest.mark.skip(reason="no pandoc on PATH (apt-get install pandoc)")))
    return found


@pytest.mark.parametrize("binary", _pandocs())
@pytest.mark.parametrize("fmt", [pytest.param("bibtex", id="bib"), pytest.param("csl-json", id="csl-json")])
def test_pandoc_citeproc_renders_the_export_without_warnings(tmp_path: Path, binary: str, fmt: str) -> None:
    text, _ = export.export(export.select(imported(BIB)), fmt)
    data = tmp_path / ("refs.bib" if fmt == "bibtex" else "refs.json")
    data.write_text(text, encoding="utf-8")
    proc = subprocess.run([binary, "-f", "markdown", "-t", "plain", "--citeproc", f"--bibliography={data}",
                           f"--csl={styles.style_path('apa')}"], input="---\nnocite: '@*'\n---\n",
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0 and proc.stderr == ""
    assert "Abrahamian, E. (1989). The Iranian Mojahedin." in proc.stdout


def test_generated_entries_are_bibtexparser_output() -> None:
    text, missing = bib_writer.render_as([NEW])
    assert export.bibtex(export.Selection((NEW,)))[0] == text and missing == set()


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param("@jurisdiction{j,\n  title = {{Lord A} v {B}},\n  date = {2007-11-30},\n  number = {PC/02}\n}",
                     "@misc{j,\n  title = {{Lord A} v {B}},\n  year = {2007},\n  month = nov,\n  day = {30},\n"
                     "  number = {PC/02}\n}", id="biblatex-type-and-date"),
        pytest.param("@article{a,\n  journaltitle = {Le Monde},\n  location = {Paris},\n  year = 1980\n}",
                     "@article{a,\n  journal = {Le Monde},\n  address = {Paris},\n  year = 1980\n}",
                     id="biblatex-fields"),
        pytest.param("@book{b,\n  title   = {Kept  as  written},\n  year = 1989\n}",
                     "@book{b,\n  title   = {Kept  as  written},\n  year = 1989\n}", id="bibtex-entry-verbatim"),
    ],
)
def test_ascii_export_is_bibtex_for_8bit_bibtex(entry: str, expected: str) -> None:
    assert export._ascii_entry(entry) == (expected, set())
