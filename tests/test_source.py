"""Bad input: every file a user can throw at ``check`` and ``build`` gives a clean answer."""

from __future__ import annotations

import json
import os
import pathlib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from biblio.cli import cli
from biblio.errors import InputError
from biblio.read import source

NOTES = "1 Smith, John. (2000). A Book. London: Verso.\n2 Ibid., p. 9.\n"
# Marker 2 has no note: one orphan-marker error on the line of the paragraph.
ORPHAN_LINES = ["Title", "", "Claim one.1 Claim two.2", "", "1 Smith, John. (2000). A Book. London: Verso."]
BINARY = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00" + bytes(range(256)) * 4


def run(*args: str, **kwargs) -> Result:
    return CliRunner().invoke(cli, list(args), **kwargs)


def assert_clean_failure(result: Result) -> None:
    """A non-crash: no exception escaped and nothing looks like a traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


# empty --------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="zero-bytes"),
        pytest.param(b"   \n\n\t\n", id="whitespace-only"),
        pytest.param(b"\xef\xbb\xbf", id="bom-only"),
    ],
)
def test_empty_file_source(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    src = source.load(path)
    assert [(f.rule, f.severity.value) for f in src.findings] == [("empty-file", "warning")]
    assert src.findings[0].path == str(path)


def test_empty_file_check(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("check", "empty.txt")
    assert_clean_failure(result)
    assert result.exit_code == 0  # a warning, not an error
    assert result.stdout.splitlines() == ["empty.txt:1:1: warning: file has no text [empty-file]"]


def test_empty_file_build(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("build", "--json", "empty.txt")
    assert_clean_failure(result)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["citations"] == 0
    assert [(f["path"], f["rule"]) for f in data["findings"]] == [("empty.txt", "empty-file")]


# binary -------------------------------------------------------------------


def test_binary_source_raises_input_error(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(BINARY)
    with pytest.raises(InputError) as info:
        source.load(path, "image.txt")
    assert "binary" in str(info.value)
    assert str(info.value).startswith("image.txt")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(BINARY, id="elf-header"),
        pytest.param(b"Some text.\n\x00\x00\x00 more\n", id="text-with-nul"),
        pytest.param(b"\x01\x02\x03\x04\x05\x06\x07\x08" * 64, id="control-bytes"),
    ],
)
def test_binary_file_check(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "blob.txt").write_bytes(content)
    result = run("check", "blob.txt")
    assert_clean_failure(result)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("blob.txt:1:1: error: ")
    assert lines[0].endswith("[unreadable-file]")


def test_binary_file_check_json(tmp_path: Path) -> None:
    (tmp_path / "blob.txt").write_bytes(BINARY)
    result = run("check", "--format", "json", "blob.txt")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [(f["path"], f["rule"], f["severity"]) for f in findings] == [("blob.txt", "unreadable-file", "error")]


def test_binary_file_build(tmp_path: Path) -> None:
    (tmp_path / "blob.txt").write_bytes(BINARY)
    (tmp_path / "good.txt").write_text("Claim.1\n\n" + NOTES, encoding="utf-8")
    result = run("build", "blob.txt", "good.txt")
    assert_clean_failure(result)
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if "unreadable-file" in ln]
    assert len(errors) == 1
    assert errors[0].startswith("blob.txt:1:1: error: binary")
    assert "1 document(s) read" in result.stdout  # the good file is still read


# encodings ----------------------------------------------------------------


def test_cp1252_source_decodes_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(b"First line.\n\ncaf\xe9 \x93quoted\x94 and \x96 dash\n")
    src = source.load(path, "old.txt")
    assert "café “quoted” and – dash" in src.text
    assert "\ufffd" not in src.text
    assert [(f.rule, f.severity.value, f.line) for f in src.findings] == [("encoding-fallback", "warning", 3)]


def test_latin1_file_through_check_and_build(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_bytes(b"Le caf\xe9 \x93quoted\x94 is here.1\n\n" + NOTES.encode())
    checked = run("check", "old.txt")
    assert_clean_failure(checked)
    assert checked.exit_code == 0
    assert "old.txt:1:1: warning:" in checked.stdout
    assert "[encoding-fallback]" in checked.stdout
    built = run("build", "old.txt")
    assert built.exit_code == 0, built.output
    cites = json.loads(run("citations", "--json").stdout)
    assert cites
    assert "café “quoted”" in cites[0]["passage"]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("café “quoted”\n".encode(), id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + "café “quoted”\n".encode(), id="utf-8-bom"),
        pytest.param("café “quoted”\n".encode("utf-16"), id="utf-16-bom"),
    ],
)
def test_unicode_encodings_decode_without_warning(data: bytes) -> None:
    src = source.decode(data, "doc.txt")
    assert src.text == "café “quoted”\n"
    assert src.findings == ()


def test_utf8_bom_keeps_columns(tmp_path: Path) -> None:
    body = "\n".join(ORPHAN_LINES) + "\n"
    (tmp_path / "plain.txt").write_text(body, encoding="utf-8")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + body.encode())
    plain = json.loads(run("check", "--format", "json", "plain.txt").stdout)
    bom = json.loads(run("check", "--format", "json", "bom.txt").stdout)
    assert [(f["line"], f["column"], f["rule"]) for f in bom] == [(3, 23, "orphan-marker")]
    assert [(f["line"], f["column"]) for f in bom] == [(f["line"], f["column"]) for f in plain]


@pytest.mark.parametrize(
    "newline",
    [
        pytest.param("\n", id="lf"),
        pytest.param("\r\n", id="crlf"),
        pytest.param("\r", id="cr"),
    ],
)
def test_line_endings_keep_line_numbers(tmp_path: Path, newline: str) -> None:
    (tmp_path / "doc.txt").write_bytes((newline.join(ORPHAN_LINES) + newline).encode())
    result = run("check", "--format", "json", "doc.txt")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [(f["line"], f["column"], f["rule"]) for f in findings] == [(3, 23, "orphan-marker")]
    assert "notes on line 5" in findings[0]["message"]


def test_crlf_build_line_numbers(tmp_path: Path) -> None:
    text = "Title\r\n\r\nClaim one.1 Claim two.2\r\n\r\n" + NOTES.replace("\n", "\r\n")
    (tmp_path / "doc.txt").write_bytes(text.encode())
    assert run("build", "doc.txt").exit_code == 0
    cites = json.loads(run("citations", "--json").stdout)
    assert [(c["line"], c["note_line"]) for c in cites] == [(3, 5), (3, 6)]
    assert all("\r" not in (c["raw"] or "") + (c["passage"] or "") for c in cites)


# size ---------------------------------------------------------------------


@pytest.mark.parametrize("command", [pytest.param("check", id="check"), pytest.param("build", id="build")])
def test_over_max_size_option(tmp_path: Path, command: str) -> None:
    (tmp_path / "big.txt").write_text("Claim.1\n\n" + NOTES + "x" * 2000 + "\n", encoding="utf-8")
    (tmp_path / "small.txt").write_text("Claim.1\n\n" + NOTES, encoding="utf-8")  # under 0.001 MB
    result = run(command, "--max-size", "0.001", "big.txt", "small.txt")
    assert_clean_failure(result)
    assert result.exit_code == 1
    refused = [ln for ln in result.output.splitlines() if "[unreadable-file]" in ln]
    assert len(refused) == 1
    assert refused[0].startswith("big.txt:1:1: error: ")
    assert "limit" in refused[0]


def test_over_size_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.write(b"Some text.1\n\n1 Smith, John. (2000). A Book. London: Verso.\n")
        f.truncate(100 * 1024 * 1024)  # sparse: cheap on disk
    read: list[str] = []
    original = pathlib.Path.read_bytes

    def spy(self: Path) -> bytes:
        read.append(self.name)
        return original(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", spy)
    result = run("build", "--json", "huge.txt")
    assert_clean_failure(result)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["documents_read"] == 0
    refused = [f for f in data["findings"] if f["rule"] == "unreadable-file"]
    assert [f["path"] for f in refused] == ["huge.txt"]
    assert "100.0 MB" in refused[0]["message"]
    assert "50 MB" in refused[0]["message"]
    assert "huge.txt" not in read


# unreadable, missing -------------------------------------------------------


def test_directory_with_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a_good.txt").write_text("Claim.1\n\n" + NOTES, encoding="utf-8")
    locked = folder / "b_locked.txt"
    locked.write_text("secret\n", encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running with privileges that ignore file modes (root)")
        checked = run("check", "corpus")
        assert_clean_failure(checked)
        assert checked.exit_code == 1
        refused = [ln for ln in checked.stdout.splitlines() if "[unreadable-file]" in ln]
        assert len(refused) == 1
        assert "b_locked.txt" in refused[0]
        built = run("build", "corpus")
        assert_clean_failure(built)
        assert built.exit_code == 1
        assert "b_locked.txt" in built.stderr
        assert "1 document(s) read" in built.stdout
    finally:
        locked.chmod(0o644)


@pytest.mark.parametrize("command", [pytest.param("check", id="check"), pytest.param("build", id="build")])
def test_directory_with_permission_error_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """Same as above, but works as root: reading one file raises PermissionError."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a_good.txt").write_text("Claim.1\n\n" + NOTES, encoding="utf-8")
    (folder / "b_locked.txt").write_text("secret\n", encoding="utf-8")
    original = pathlib.Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "b_locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", deny)
    result = run(command, "corpus")
    assert_clean_failure(result)
    assert result.exit_code == 1
    refused = [ln for ln in result.output.splitlines() if "[unreadable-file]" in ln]
    assert len(refused) == 1
    assert refused[0].startswith(str(Path("corpus") / "b_locked.txt") + ":1:1: error: ")
    assert "Permission denied" in refused[0]


@pytest.mark.parametrize("command", [pytest.param("check", id="check"), pytest.param("build", id="build")])
def test_nonexistent_path(command: str) -> None:
    result = run(command, "no/such/file.txt")
    assert_clean_failure(result)
    assert result.exit_code == 1
    refused = [ln for ln in result.output.splitlines() if "[unreadable-file]" in ln]
    assert len(refused) == 1
    assert refused[0].startswith("no/such/file.txt:1:1: error: ")


def test_nonexistent_path_source() -> None:
    with pytest.raises(InputError) as info:
        source.load(Path("missing.txt"))
    assert str(info.value).startswith("missing.txt: ")


# the curated .bib is never damaged by bad input ------------------------------

CURATED = "% my notes\n@book{mine2001,\n  title = {Curated},\n  year = {2001}\n}\n"


def _bad_input(tmp_path: Path, kind: str) -> str:
    if kind == "binary":
        (tmp_path / "bad.txt").write_bytes(BINARY)
    elif kind == "empty":
        (tmp_path / "bad.txt").write_bytes(b"")
    elif kind == "too-large":
        (tmp_path / "bad.txt").write_text("Claim.1\n\n" + NOTES + "x" * 2000, encoding="utf-8")
    return "bad.txt" if kind != "missing" else "missing.txt"


BAD_INPUTS = [
    pytest.param("binary", id="binary"),
    pytest.param("empty", id="empty"),
    pytest.param("too-large", id="too-large"),
    pytest.param("missing", id="missing"),
]


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_input_does_not_create_bib(tmp_path: Path, kind: str) -> None:
    name = _bad_input(tmp_path, kind)
    result = run("build", "--max-size", "0.001", "--bib", "refs.bib", name)
    assert_clean_failure(result)
    assert not (tmp_path / "refs.bib").exists()
    assert [p.name for p in tmp_path.iterdir() if "refs.bib" in p.name] == []


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_input_leaves_existing_bib_identical(tmp_path: Path, kind: str) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_bytes(CURATED.encode())
    name = _bad_input(tmp_path, kind)
    result = run("build", "--max-size", "0.001", "--bib", "refs.bib", name)
    assert_clean_failure(result)
    assert bib.read_bytes() == CURATED.encode()
    assert "refs.bib: unchanged" in result.stdout


MALFORMED = [
    pytest.param("@book{x, title = {unbalanced\n", 1, id="unbalanced-brace"),
    pytest.param(
        "@book{good, title = {Fine}, year = {2000}}\n\n@book{x, title = {unbalanced\n",
        3,
        id="unbalanced-after-good-entry",
    ),
    pytest.param("@book{good, title = {Fine}}\n\n@book{x title = {A}}\n", 3, id="missing-comma"),
]


@pytest.mark.parametrize(("text", "line"), MALFORMED)
def test_malformed_bib_stops_build(tmp_path: Path, text: str, line: int) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_bytes(text.encode())
    (tmp_path / "doc.txt").write_text("Claim.1\n\n" + NOTES, encoding="utf-8")
    result = run("build", "--bib", "refs.bib", "doc.txt")
    assert bib.read_bytes() == text.encode()
    assert_clean_failure(result)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"biblio: error: refs.bib:{line}: ")


@pytest.mark.parametrize(("text", "line"), MALFORMED)
def test_malformed_bib_is_never_rewritten(tmp_path: Path, text: str, line: int) -> None:
    """Whatever the error looks like, the user's file keeps every byte and no documents are stored."""
    bib = tmp_path / "refs.bib"
    bib.write_bytes(text.encode())
    (tmp_path / "doc.txt").write_text("Claim.1\n\n" + NOTES, encoding="utf-8")
    result = run("build", "--bib", "refs.bib", "doc.txt")
    assert result.exit_code != 0
    assert bib.read_bytes() == text.encode()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".refs.bib")] == []
    assert json.loads(run("citations", "--json").stdout) == []


@pytest.mark.parametrize(
    ("head", "binary"),
    [
        pytest.param(b"plain text\twith tabs\r\nand form feeds\x0c\n" * 10, False, id="text-controls"),
        pytest.param(b"a" * 95 + b"\x01" * 5, False, id="five-percent"),
        pytest.param(b"a" * 94 + b"\x01" * 6, True, id="six-percent"),
        pytest.param(bytes(range(32)) * 3, True, id="all-controls"),
        pytest.param(b"", False, id="empty"),
    ],
)
def test_binary_sniff_counts_control_characters(head: bytes, binary: bool) -> None:
    assert source._looks_binary(head) is binary


def test_line_map_is_shared_for_one_text() -> None:
    text = "one\ntwo\nthree"
    first = source.line_map(text)
    assert source.line_map(text) is first
    assert first.locate(text.index("three")) == (3, 1)
    assert source.line_map(text + "\n").starts == [*first.starts, len(text) + 1]
