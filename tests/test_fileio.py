"""``write_atomic``: whole files or nothing, the user's file mode kept, no litter."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from biblio.errors import BiblioError
from biblio.fileio import write_atomic


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("@book{a,\n  title = {A}\n}\n", id="ascii"),
        pytest.param("café “quoted” – Mojāhedin \ufeff\n", id="unicode"),
        pytest.param("line\n" * 50_000, id="large"),
    ],
)
def test_writes_content(tmp_path: Path, text: str) -> None:
    target = tmp_path / "refs.bib"
    write_atomic(target, text)
    assert target.read_bytes() == text.encode("utf-8")


def test_accepts_str_path(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    write_atomic(str(target), "x\n")
    assert target.read_text(encoding="utf-8") == "x\n"


def test_relative_path_in_current_directory(tmp_path: Path) -> None:
    write_atomic("plain.bib", "here\n")  # the autouse fixture chdirs into tmp_path
    assert (tmp_path / "plain.bib").read_text(encoding="utf-8") == "here\n"


def test_newlines_are_not_translated(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    write_atomic(target, "a\nb\n")
    assert target.read_bytes() == b"a\nb\n"


def test_replaces_existing_content(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("old content that is much longer than the new one\n" * 10, encoding="utf-8")
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"


def test_replace_is_a_rename_not_an_in_place_write(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("old\n", encoding="utf-8")
    with target.open(encoding="utf-8") as reader:  # a reader holding the old file sees the old text
        write_atomic(target, "new\n")
        assert reader.read() == "old\n"
    assert target.read_text(encoding="utf-8") == "new\n"


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param(0o600, id="private"),
        pytest.param(0o640, id="group-read"),
        pytest.param(0o664, id="group-write"),
        pytest.param(0o755, id="executable"),
    ],
)
def test_keeps_mode_of_existing_file(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(mode)
    write_atomic(target, "new\n")
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_text(encoding="utf-8") == "new\n"


def test_new_file_is_world_readable(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    write_atomic(target, "x\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not mkstemp's 0600


def test_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    for i in range(3):
        write_atomic(target, f"version {i}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["refs.bib"]


def test_missing_directory_raises_biblio_error(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "refs.bib"
    with pytest.raises(BiblioError) as info:
        write_atomic(target, "x\n")
    assert not isinstance(info.value, OSError)
    assert str(target) in str(info.value)
    assert "cannot write" in str(info.value)
    assert not (tmp_path / "no").exists()


def test_failed_replace_raises_biblio_error_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.mkdir()  # os.replace of a file over a directory fails
    (target / "keep.txt").write_text("keep\n", encoding="utf-8")
    with pytest.raises(BiblioError) as info:
        write_atomic(target, "x\n")
    assert not isinstance(info.value, OSError)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["refs.bib"]
    assert (target / "keep.txt").read_text(encoding="utf-8") == "keep\n"


def test_failed_write_keeps_old_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("precious\n", encoding="utf-8")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(BiblioError) as info:
        write_atomic(target, "replacement\n")
    assert "No space left on device" in str(info.value)
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["refs.bib"]
