"""Settings: defaults < ``[tool.biblio]`` < ``biblio.toml`` < ``BIBLIO_DB`` (< ``--db``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from biblio import config
from biblio.cli import cli
from biblio.errors import BiblioError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults(tmp_path: Path) -> None:
    settings = config.load(tmp_path, {})
    assert settings.db == "biblio.db"
    assert settings.bib is None
    assert settings.max_size_mb == 50.0
    assert settings.max_bytes == 50 * 1024 * 1024


def test_defaults_ignore_unrelated_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "thesis"\n\n[tool.ruff]\nline-length = 100\n')
    assert config.load(tmp_path, {}) == config.Settings()


def test_pyproject_tool_biblio(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.biblio]\ndb = "store/mek.db"\nbib = "references.bib"\nmax_size_mb = 5\n')
    settings = config.load(tmp_path, {})
    assert settings.db == "store/mek.db"
    assert settings.bib == "references.bib"
    assert settings.max_size_mb == 5
    assert settings.max_bytes == 5 * 1024 * 1024


def test_biblio_toml_alone(tmp_path: Path) -> None:
    write(tmp_path / "biblio.toml", 'bib = "refs.bib"\nmax_size_mb = 0.5\n')
    settings = config.load(tmp_path, {})
    assert settings.bib == "refs.bib"
    assert settings.max_bytes == 512 * 1024
    assert settings.db == "biblio.db"


def test_biblio_toml_overrides_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.biblio]\ndb = "from-pyproject.db"\nbib = "pyproject.bib"\n')
    write(tmp_path / "biblio.toml", 'db = "from-biblio-toml.db"\n')
    settings = config.load(tmp_path, {})
    assert settings.db == "from-biblio-toml.db"
    assert settings.bib == "pyproject.bib"  # keys biblio.toml does not set still come from pyproject


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({}, id="no-files"),
        pytest.param({"pyproject.toml": '[tool.biblio]\ndb = "p.db"\n'}, id="pyproject"),
        pytest.param({"biblio.toml": 'db = "b.db"\n'}, id="biblio-toml"),
        pytest.param({"pyproject.toml": '[tool.biblio]\ndb = "p.db"\n', "biblio.toml": 'db = "b.db"\n'}, id="both"),
    ],
)
def test_env_overrides_files(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        write(tmp_path / name, text)
    settings = config.load(tmp_path, {"BIBLIO_DB": "/elsewhere/env.db"})
    assert settings.db == "/elsewhere/env.db"


def test_empty_env_value_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / "biblio.toml", 'db = "b.db"\n')
    assert config.load(tmp_path, {"BIBLIO_DB": ""}).db == "b.db"


def test_env_does_not_touch_other_keys(tmp_path: Path) -> None:
    write(tmp_path / "biblio.toml", 'bib = "refs.bib"\nmax_size_mb = 7\n')
    settings = config.load(tmp_path, {"BIBLIO_DB": "env.db"})
    assert (settings.db, settings.bib, settings.max_size_mb) == ("env.db", "refs.bib", 7)


def test_defaults_to_current_directory_and_process_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "biblio.toml", 'bib = "cwd.bib"\n')  # the autouse fixture chdirs into tmp_path
    monkeypatch.setenv("BIBLIO_DB", "process.db")
    settings = config.load()
    assert settings.bib == "cwd.bib"
    assert settings.db == "process.db"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param("pyproject.toml", "[tool.biblio\ndb = 1\n", id="pyproject-unclosed-table"),
        pytest.param("biblio.toml", 'db = "unterminated\n', id="biblio-unterminated-string"),
        pytest.param("biblio.toml", "db = = 3\n", id="biblio-double-equals"),
    ],
)
def test_invalid_toml_names_file(tmp_path: Path, name: str, text: str) -> None:
    write(tmp_path / name, text)
    with pytest.raises(BiblioError) as info:
        config.load(tmp_path, {})
    assert info.value.path == str(tmp_path / name)
    assert str(info.value).startswith(str(tmp_path / name))
    assert "invalid TOML" in str(info.value)


def test_non_utf8_settings_file_is_biblio_error(tmp_path: Path) -> None:
    (tmp_path / "biblio.toml").write_bytes(b'db = "caf\xe9.db"\n')
    with pytest.raises(BiblioError) as info:
        config.load(tmp_path, {})
    assert info.value.path == str(tmp_path / "biblio.toml")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param("biblio.toml", 'db = "x.db"\ndatabase = "y.db"\n', id="biblio-toml"),
        pytest.param("pyproject.toml", "[tool.biblio]\nmax_size = 3\n", id="pyproject"),
    ],
)
def test_unknown_key(tmp_path: Path, name: str, text: str) -> None:
    write(tmp_path / name, text)
    with pytest.raises(BiblioError) as info:
        config.load(tmp_path, {})
    unknown = "database" if name == "biblio.toml" else "max_size"
    assert unknown in str(info.value)
    assert info.value.path == str(tmp_path / name)


def test_unknown_key_in_pyproject_names_pyproject_even_with_biblio_toml(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.biblio]\nfoo = 1\n")
    write(tmp_path / "biblio.toml", 'db = "x.db"\n')
    with pytest.raises(BiblioError) as info:
        config.load(tmp_path, {})
    assert "foo" in str(info.value)
    assert info.value.path == str(tmp_path / "pyproject.toml")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('max_size_mb = "big"\n', id="max-size-string"),
        pytest.param("bib = 3\n", id="bib-int"),
        pytest.param("db = [1, 2]\n", id="db-list"),
    ],
)
def test_wrong_value_type_is_biblio_error(tmp_path: Path, text: str) -> None:
    write(tmp_path / "biblio.toml", text)
    with pytest.raises(BiblioError):
        config.load(tmp_path, {})


def test_cli_reports_bad_settings_as_one_line_error(tmp_path: Path) -> None:
    write(tmp_path / "biblio.toml", "colour = true\n")
    (tmp_path / "doc.txt").write_text("Text.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "doc.txt"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("biblio: error: ")
    assert "biblio.toml" in lines[0]
    assert "colour" in lines[0]


def test_cli_uses_bib_from_settings(tmp_path: Path) -> None:
    write(tmp_path / "biblio.toml", 'bib = "configured.bib"\n')
    (tmp_path / "doc.txt").write_text("Claim.1\n\n1 Smith, John. (2000). A Book. London: Verso.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "doc.txt"])
    assert result.exit_code == 0, result.output
    assert "@book{smith2000" in (tmp_path / "configured.bib").read_text(encoding="utf-8")


def test_cli_uses_db_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BIBLIO_DB")
    write(tmp_path / "pyproject.toml", '[tool.biblio]\ndb = "data/store.db"\n')
    (tmp_path / "doc.txt").write_text("Text.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "doc.txt"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "store.db").is_file()
    assert not (tmp_path / "biblio.db").exists()
