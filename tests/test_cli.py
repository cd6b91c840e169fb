"""The ``biblio`` command line, driven through click's ``CliRunner``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from biblio import __version__
from biblio.cli import cli

# Line numbers of the corpus below: title 1, paragraph 3, note 1 on 5, note 2 on 7.
CORPUS = (
    "The Mojahedin\n"
    "\n"
    "The organisation was founded in 1965.1 More text.2\n"
    "\n"
    "1 Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven, CT: Yale University Press.\n"
    "\n"
    "2 Ibid., p. 4.\n"
)
BOOK_KEY = "abrahamian1989"
# Marker 2 has no note: an orphan-marker error at line 1, column 23.
ORPHAN = "Claim one.1 Claim two.2\n\n1 Smith, John. (2000). A Book. London: Verso.\n"
CLEAN = "Claim one.1 Claim two.2\n\n1 Smith, John. (2000). A Book. London: Verso.\n2 Ibid., p. 9.\n"
FINDING_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info): (?P<msg>.+) \[(?P<rule>[a-z-]+)\]$"
)
ANSI = re.compile(r"\x1b\[")


def run(*args: str, **kwargs) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    doc = tmp_path / "mojahedin.txt"
    doc.write_text(CORPUS, encoding="utf-8")
    return doc


@pytest.fixture
def built(corpus: Path) -> Path:
    result = run("build", corpus.name)  # relative: show/citations display the path as given
    assert result.exit_code == 0, result.output
    return corpus


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert "biblio" in result.output
    assert __version__ in result.output


def test_top_level_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name in cli.commands:
        assert name in result.output


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in sorted(cli.commands)])
def test_every_command_has_help(name: str) -> None:
    command = cli.commands[name]
    assert command.help and command.help.strip()
    result = run(name, "--help")
    assert result.exit_code == 0
    assert f"Usage: cli {name}" in result.output or f"{name} [OPTIONS]" in result.output
    first_line = " ".join(command.help.strip().splitlines()[0].split())
    assert first_line in " ".join(result.output.split())


def test_expected_commands_exist() -> None:
    assert {"build", "works", "show", "citations", "check"} <= set(cli.commands)


def test_build_summary(corpus: Path) -> None:
    result = run("build", str(corpus))
    assert result.exit_code == 0, result.output
    assert "1 document(s) read" in result.stdout
    assert "2 citations of 1 works" in result.stdout


def test_build_json_summary(corpus: Path) -> None:
    result = run("build", "--json", str(corpus))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["documents_read"] == 1
    assert data["citations"] == 2
    assert data["works"] == 1
    assert data["findings"] == []


def test_works_json_is_csl(built: Path) -> None:
    result = run("works", "--json")
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert len(items) == 1
    item = items[0]
    assert {"id", "type", "title", "author", "issued", "citation_count"} <= set(item)
    assert item["id"] == BOOK_KEY
    assert item["type"] == "book"
    assert item["title"] == "The Iranian Mojahedin"
    assert item["author"] == [{"family": "Abrahamian", "given": "Ervand"}]
    assert item["issued"] == {"date-parts": [[1989]]}
    assert item["publisher"] == "Yale University Press"
    assert item["citation_count"] == 2


def test_works_text_listing(built: Path) -> None:
    result = run("works")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(BOOK_KEY)
    assert "1989" in lines[0]
    assert "The Iranian Mojahedin" in lines[0]


def test_citations_json(built: Path) -> None:
    result = run("citations", "--json")
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert len(items) == 2
    for item in items:
        assert {"document", "line", "kind", "marker", "note_line", "raw", "work", "passage"} <= set(item)
    book, ibid = items
    assert book["document"] == "mojahedin.txt"
    assert book["marker"] == "1"
    assert book["line"] == 3
    assert book["note_line"] == 5
    assert book["kind"] == "footnote"
    assert book["raw"].startswith("Abrahamian, Ervand. (1989).")
    assert book["work"] == BOOK_KEY
    assert "founded in 1965" in book["passage"]
    assert ibid["marker"] == "2"
    assert ibid["line"] == 3
    assert ibid["note_line"] == 7
    assert ibid["raw"] == "Ibid., p. 4."
    assert ibid["work"] == book["work"]
    assert ibid["locator"] == "p. 4"
    assert "More text" in ibid["passage"]


def test_citations_filters(built: Path) -> None:
    by_work = json.loads(run("citations", "--json", "--work", BOOK_KEY).stdout)
    assert len(by_work) == 2
    assert json.loads(run("citations", "--json", "--work", "nobody2000").stdout) == []
    assert len(json.loads(run("citations", "--json", "--document", "mojahedin.txt").stdout)) == 2
    assert json.loads(run("citations", "--json", "--document", "other.txt").stdout) == []


def test_show_lists_citing_passages(built: Path) -> None:
    result = run("show", BOOK_KEY)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith(BOOK_KEY)
    assert "cited 2 time(s)" in result.stdout
    passage_lines = [ln for ln in result.stdout.splitlines() if re.match(r"^\S+:\d+  ", ln)]
    assert len(passage_lines) == 2
    parsed = [re.match(r"^(?P<file>\S+):(?P<line>\d+)  (?P<marker>\S+)  (?P<sentence>.+)$", ln) for ln in passage_lines]
    assert all(parsed)
    assert [(m["file"], m["line"], m["marker"]) for m in parsed] == [
        ("mojahedin.txt", "3", "1"),
        ("mojahedin.txt", "3", "2"),
    ]
    assert "founded in 1965" in parsed[0]["sentence"]
    assert "More text" in parsed[1]["sentence"]


def test_show_unknown_key_is_one_line_error(built: Path) -> None:
    result = CliRunner().invoke(cli, ["show", "unknown"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("biblio: error: ")
    assert "unknown" in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("body", "code"),
    [
        pytest.param(ORPHAN, 1, id="orphan-marker-exits-1"),
        pytest.param(CLEAN, 0, id="clean-exits-0"),
    ],
)
def test_check_exit_code(tmp_path: Path, body: str, code: int) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(body, encoding="utf-8")
    result = run("check", str(doc))
    assert result.exit_code == code
    if code == 0:
        assert result.stdout == ""


def test_check_text_format(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(ORPHAN, encoding="utf-8")
    result = run("check", "doc.txt")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    m = FINDING_LINE.match(lines[0])
    assert m, lines[0]
    assert (m["path"], m["line"], m["col"], m["sev"], m["rule"]) == ("doc.txt", "1", "23", "error", "orphan-marker")
    assert "marker 2" in m["msg"]


def test_check_json_format(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(ORPHAN, encoding="utf-8")
    result = run("check", "--format", "json", "doc.txt")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert isinstance(findings, list)
    assert len(findings) == 1
    f = findings[0]
    assert set(f) >= {"path", "line", "column", "rule", "severity", "message"}
    assert (f["path"], f["line"], f["column"], f["rule"], f["severity"]) == ("doc.txt", 1, 23, "orphan-marker", "error")


def test_check_json_clean_is_empty_array(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(CLEAN, encoding="utf-8")
    result = run("check", "--format", "json", "doc.txt")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        pytest.param(ORPHAN, 1, id="orphan"),
        pytest.param(CLEAN, 0, id="clean"),
    ],
)
def test_check_stdin(body: str, code: int) -> None:
    result = run("check", "-", input=body.encode("utf-8"))
    assert result.exit_code == code
    if code:
        m = FINDING_LINE.match(result.stdout.splitlines()[0])
        assert m
        assert (m["path"], m["line"], m["rule"]) == ("<stdin>", "1", "orphan-marker")
    else:
        assert result.stdout == ""


def test_check_stdin_binary_is_a_finding() -> None:
    result = run("check", "-", input=b"\x00\x01\x02binary\x00")
    assert result.exit_code == 1
    assert "<stdin>:1:1: error:" in result.stdout
    assert "[unreadable-file]" in result.stdout


def test_check_list_rules() -> None:
    result = run("check", "--list-rules")
    assert result.exit_code == 0
    listed = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines() if line.strip()}
    expected = {
        "orphan-marker": "error",
        "unused-note": "warning",
        "ibid-unresolved": "error",
        "duplicate-note": "error",
        "out-of-order-marker": "warning",
        "inconsistent-note-style": "info",
    }
    for rule, severity in expected.items():
        assert listed.get(rule) == severity, rule


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["check"], id="check-without-paths"),
        pytest.param(["build"], id="build-without-paths"),
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param(["check", "--no-such-option", "x.txt"], id="unknown-option"),
        pytest.param(["check", "--format", "xml", "x.txt"], id="bad-choice"),
        pytest.param(["build", "--max-size", "lots", "x.txt"], id="bad-number"),
        pytest.param(["show"], id="show-without-key"),
    ],
)
def test_usage_error_exits_2(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Usage:" in result.output or "Error" in result.output


def test_db_option_chooses_store(tmp_path: Path, corpus: Path) -> None:
    target = tmp_path / "sub" / "chosen.db"
    result = run("--db", str(target), "build", str(corpus))
    assert result.exit_code == 0, result.output
    assert target.is_file()
    assert not (tmp_path / "test.db").exists()
    # the works are in the chosen store, not the default one
    assert json.loads(run("--db", str(target), "works", "--json").stdout)[0]["id"] == BOOK_KEY
    assert json.loads(run("works", "--json").stdout) == []


def test_biblio_db_env_chooses_store(tmp_path: Path, corpus: Path) -> None:
    target = tmp_path / "from-env.db"
    result = run("build", str(corpus), env={"BIBLIO_DB": str(target)})
    assert result.exit_code == 0, result.output
    assert target.is_file()
    assert not (tmp_path / "test.db").exists()


def test_db_option_beats_env(tmp_path: Path, corpus: Path) -> None:
    env_db = tmp_path / "env.db"
    opt_db = tmp_path / "opt.db"
    result = run("--db", str(opt_db), "build", str(corpus), env={"BIBLIO_DB": str(env_db)})
    assert result.exit_code == 0
    assert opt_db.is_file()
    assert not env_db.exists()


def test_colour_by_default_when_terminal_allows(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(ORPHAN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "doc.txt"], color=True)
    assert result.exit_code == 1
    assert ANSI.search(result.stdout)


def test_no_color_turns_colour_off(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(ORPHAN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "doc.txt"], color=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 1
    assert "orphan-marker" in result.stdout
    assert not ANSI.search(result.output)


def test_no_color_on_build_failures(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 10)
    result = CliRunner().invoke(cli, ["build", "bin.txt"], color=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 1
    assert "unreadable-file" in result.stderr
    assert not ANSI.search(result.output)


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        pytest.param("Bakhash, Shaul. (1984). The Reign of the Ayatollahs. New York: Basic Books, p. 9.\n",
                     [{"type": "book", "title": "The Reign of the Ayatollahs", "locator": "p. 9"}], id="one-line"),
        pytest.param("Iranians Return to Polls Today. The Globe and Mail. May 9, 1980.\n\n???\n",
                     [{"type": "article-newspaper", "container-title": "The Globe and Mail"}, {"raw": "???"}],
                     id="blank-and-unparseable-lines"),
    ],
)
def test_parse_command_prints_one_json_object_per_line(stdin: str, expected: list[dict]) -> None:
    result = CliRunner().invoke(cli, ["parse", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == len(expected)
    for got, want in zip(lines, expected, strict=True):
        for key, value in want.items():
            assert got[key] == value
        assert "raw" in got


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        pytest.param(b"\x7fELF\x02\x01\x01\x00" * 64, 1, "refs.dat: binary file", id="binary-refused"),
        pytest.param("Bakhash, Shaul. (1984). The Reign of the Ayatollahs. Paris: Éditions.\n".encode("cp1252"), 0,
                     "refs.dat:1:1: warning: file is not valid UTF-8", id="windows-1252-read-with-warning"),
    ],
)
def test_parse_command_decodes_files_as_documents(tmp_path: Path, data: bytes, code: int, message: str) -> None:
    (tmp_path / "refs.dat").write_bytes(data)
    result = CliRunner().invoke(cli, ["parse", str(tmp_path / "refs.dat")])
    assert result.exit_code == code
    assert message in result.stderr.replace(str(tmp_path) + "/", "")
    assert "Traceback" not in result.output
    if code == 0:
        assert json.loads(result.stdout.splitlines()[0])["title"] == "The Reign of the Ayatollahs"


# --- import, export, refs, cite ------------------------------------------------------------------

TOPIC_BIB = Path(__file__).resolve().parent.parent / "references.bib"
HOSTILE_BIB = Path(__file__).resolve().parent / "fixtures" / "bib" / "hostile.bib"


@pytest.mark.parametrize("path", [pytest.param(TOPIC_BIB, id="references.bib"),
                                  pytest.param(HOSTILE_BIB, id="hostile")])
def test_import_then_export_round_trip(tmp_path: Path, path: Path) -> None:
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith(f"{path}: ")
    out = tmp_path / "out.bib"
    assert run("export", "--format", "bibtex", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == path.read_bytes()
    assert run("export").stdout == path.read_text(encoding="utf-8")


def test_import_reports_conflicts_as_findings() -> None:
    result = run("import", str(HOSTILE_BIB), "--json")
    data = json.loads(result.stdout)
    assert (data["new"], data["merged"], data["conflicts"]) == (5, 1, 1)
    assert {"import-conflict", "duplicate-bib-key", "bib-parse-error"} <= {f["rule"] for f in data["findings"]}
    text = run("import", str(HOSTILE_BIB)).stdout
    assert any(FINDING_LINE.match(line) and line.endswith("[import-conflict]") for line in text.splitlines())


def test_import_from_stdin_needs_a_format() -> None:
    ris = "TY  - BOOK\nID  - r2001\nAU  - Roe, Rick\nTI  - A Book\nPY  - 2001\nER  - \n"
    assert run("import", "-", input=ris).exit_code == 2
    result = run("import", "-", "--format", "ris", input=ris)
    assert result.exit_code == 0 and "1 new" in result.stdout
    assert "TY  - BOOK\nID  - r2001\nAU  - Roe, Rick\nTI  - A Book\nPY  - 2001\nER  - \n" in run(
        "export", "--format", "ris").stdout


def test_refs_from_a_bib_and_from_the_store() -> None:
    from_bib = run("refs", "--bib", str(TOPIC_BIB), "--style", "apa")
    assert from_bib.exit_code == 0 and "Abrahamian, E. (1989). The Iranian Mojahedin." in from_bib.stdout
    run("import", str(TOPIC_BIB))
    assert run("refs").stdout == from_bib.stdout
    html = run("refs", "--format", "html", "--style", "chicago-author-date").stdout
    assert '<div id="ref-abrahamian1989" class="csl-entry"' in html


def test_refs_and_export_cited_in_a_draft(tmp_path: Path) -> None:
    pytest.importorskip("biblio.read.markdown", reason="the Markdown reader is not in this tree yet")
    draft = tmp_path / "draft.md"
    draft.write_text("As argued [@abrahamian1989, p. 4; @nosuchkey].\n", encoding="utf-8")
    result = run("refs", "--bib", str(TOPIC_BIB), "--cited-in", str(draft))
    assert result.stdout == "Abrahamian, E. (1989). The Iranian Mojahedin. Yale University Press.\n"
    assert "unknown-citation-key" in result.stderr
    exported = run("export", "--bib", str(TOPIC_BIB), "--cited-in", str(draft), "--format", "csl-json").stdout
    assert [item["id"] for item in json.loads(exported)] == ["abrahamian1989"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["cite", "abrahamian1989", "--locator", "p. 33"], "(Abrahamian, 1989, p. 33)\n", id="apa"),
        pytest.param(["cite", "abrahamian1989", "--style", "chicago-notes-bibliography", "--format", "markdown"],
                     "Ervand Abrahamian, *The Iranian Mojahedin* (Yale University Press, 1989).\n", id="note"),
    ],
)
def test_cite(args: list[str], expected: str) -> None:
    result = run(*args, "--bib", str(TOPIC_BIB))
    assert result.exit_code == 0, result.output
    assert result.stdout == expected


def test_cite_unknown_key_is_one_line_error() -> None:
    result = run("cite", "nosuchkey", "--bib", str(TOPIC_BIB))
    assert result.exit_code == 1
    assert result.stderr == "biblio: error: no work with key 'nosuchkey' (see `biblio works`)\n"


def test_export_ascii_only_for_bibtex() -> None:
    assert run("export", "--format", "ris", "--ascii").exit_code == 2
    result = run("export", "--bib", str(TOPIC_BIB), "--ascii")
    assert result.exit_code == 0 and result.stdout.isascii()
    assert "1987{\\textendash}1997" in result.stdout
