"""The SQLite store: migrations, refusal of foreign files, incremental rebuilds."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from biblio import pipeline, store
from biblio.cli import cli
from biblio.errors import StoreError
from biblio.store import Store

DOC_A = (
    "The organisation was founded in 1965.1 More text.2\n"
    "\n"
    "1 Abrahamian, Ervand. (1989). The Iranian Mojahedin. New Haven, CT: Yale University Press.\n"
    "2 Ibid., p. 4.\n"
)
DOC_B = "Another claim.1\n\n1 Smith, John. (2000). A Book. London: Verso.\n"
DOC_B_CHANGED = (
    "Another claim.1 And a second one.2\n\n"
    "1 Smith, John. (2000). A Book. London: Verso.\n"
    "2 Jones, Ann. (2005). Other Book. Oxford: Clarendon.\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def migration_rows(path: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT id, name, applied_at FROM migrations ORDER BY id"))


# migrations ---------------------------------------------------------------


def test_migrations_recorded(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    rows = migration_rows(path)
    assert [name for _, name, _ in rows] == [name for name, _ in store.MIGRATIONS]
    assert rows[0][1] == "m001_initial"
    assert all(applied for _, _, applied in rows)


def test_migrations_not_reapplied_on_reopen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def m999_probe(db: sqlite3.Connection) -> None:
        calls.append("m999_probe")
        db.execute("CREATE TABLE probe (x INTEGER)")  # would fail if applied twice

    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, ("m999_probe", m999_probe)])
    path = tmp_path / "s.db"
    Store(path).close()
    before = migration_rows(path)
    Store(path).close()
    Store(path).close()
    assert calls == ["m999_probe"]
    assert migration_rows(path) == before
    assert before[-1][1] == "m999_probe"


def test_new_migration_applied_to_existing_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    applied: list[str] = []
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, ("m999_late", lambda db: applied.append("x"))])
    Store(path).close()
    assert applied == ["x"]
    assert [name for _, name, _ in migration_rows(path)][-1] == "m999_late"


def test_failed_migration_is_rolled_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def m999_broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half (x INTEGER)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, ("m999_broken", m999_broken)])
    path = tmp_path / "s.db"
    with pytest.raises(RuntimeError):
        Store(path)
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half" not in tables
    assert "m999_broken" not in [name for _, name, _ in migration_rows(path)]


def test_store_from_newer_biblio_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO migrations (name, applied_at) VALUES ('m900_future', 'later')")
    with pytest.raises(StoreError) as info:
        Store(path)
    assert "newer" in str(info.value)
    assert info.value.path == str(path)


# not a store ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"This is my thesis, not a database.\n" * 200, id="text"),
        pytest.param(b"SQLite format 3\x00" + b"\xff" * 4080, id="corrupt-header"),
        pytest.param(bytes(range(256)) * 16, id="binary"),
    ],
)
def test_non_sqlite_file_raises_store_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert info.value.path == str(path)
    assert str(info.value).startswith(str(path))
    assert path.read_bytes() == content  # never overwritten


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["works"], id="works"),
        pytest.param(["citations"], id="citations"),
        pytest.param(["build", "doc.txt"], id="build"),
    ],
)
def test_non_sqlite_store_via_cli(tmp_path: Path, args: list[str]) -> None:
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"This is my thesis, not a database.\n" * 200)
    (tmp_path / "doc.txt").write_text(DOC_B, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(bad), *args])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"biblio: error: {bad}: ")
    assert result.stdout == ""


def test_memory_store_works() -> None:
    with Store(":memory:") as s:
        assert s.works() == []
        assert s.documents() == []


# incremental builds --------------------------------------------------------


@pytest.fixture
def docs(tmp_path: Path) -> tuple[Path, Path]:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(DOC_A, encoding="utf-8")
    b.write_text(DOC_B, encoding="utf-8")
    return a, b


def test_rebuild_skips_unchanged_documents(tmp_path: Path, docs: tuple[Path, Path]) -> None:
    with Store(tmp_path / "s.db") as s:
        first = pipeline.build(docs, s)
        cites_first = [c.as_dict() for c in s.citations()]
        second = pipeline.build(docs, s)
        cites_second = [c.as_dict() for c in s.citations()]
    assert (first.documents_read, first.documents_skipped) == (2, 0)
    assert (second.documents_read, second.documents_skipped) == (0, 2)
    assert second.citations == first.citations == 3
    assert second.works == first.works == 2
    assert cites_second == cites_first
    assert {c["work"] for c in cites_first} == {"abrahamian1989", "smith2000"}


def test_rebuild_via_cli_is_idempotent(docs: tuple[Path, Path]) -> None:
    first = run("build", "--json", "a.txt", "b.txt")
    cites_first = json.loads(run("citations", "--json").stdout)
    works_first = json.loads(run("works", "--json").stdout)
    second = run("build", "--json", "a.txt", "b.txt")
    assert first.exit_code == second.exit_code == 0
    f, s = json.loads(first.stdout), json.loads(second.stdout)
    assert (f["documents_read"], f["documents_unchanged"]) == (2, 0)
    assert (s["documents_read"], s["documents_unchanged"]) == (0, 2)
    assert s["citations"] == f["citations"] == 3
    assert json.loads(run("citations", "--json").stdout) == cites_first
    assert json.loads(run("works", "--json").stdout) == works_first


def test_changing_a_file_rereads_only_it(
    tmp_path: Path, docs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, b = docs
    saved: list[str] = []
    original = Store.save_document

    def spy(self: Store, path: str, display: str, *args, **kwargs) -> None:
        saved.append(Path(display).name)
        original(self, path, display, *args, **kwargs)

    monkeypatch.setattr(Store, "save_document", spy)
    with Store(tmp_path / "s.db") as s:
        pipeline.build(docs, s)
        assert saved == ["a.txt", "b.txt"]
        hashes_before = {Path(d.display).name: d.sha256 for d in s.documents()}
        b.write_text(DOC_B_CHANGED, encoding="utf-8")
        report = pipeline.build(docs, s)
        hashes_after = {Path(d.display).name: d.sha256 for d in s.documents()}
        cites = s.citations()
    assert saved == ["a.txt", "b.txt", "b.txt"]  # only b was analysed and stored again
    assert (report.documents_read, report.documents_skipped) == (1, 1)
    assert report.citations == 4
    assert hashes_after["a.txt"] == hashes_before["a.txt"]
    assert hashes_after["b.txt"] != hashes_before["b.txt"]
    assert [c.work for c in cites if c.document == "b.txt"] == ["smith2000", "jones2005"]
    assert [c.work for c in cites if c.document == "a.txt"] == ["abrahamian1989", "abrahamian1989"]


def test_changed_file_via_cli(docs: tuple[Path, Path]) -> None:
    _, b = docs
    assert run("build", "a.txt", "b.txt").exit_code == 0
    b.write_text(DOC_B_CHANGED, encoding="utf-8")
    result = run("build", "--json", "a.txt", "b.txt")
    data = json.loads(result.stdout)
    assert (data["documents_read"], data["documents_unchanged"]) == (1, 1)
    keys = [w["id"] for w in json.loads(run("works", "--json").stdout)]
    assert keys == ["abrahamian1989", "smith2000", "jones2005"]


def test_keys_stay_stable_when_a_document_changes(docs: tuple[Path, Path]) -> None:
    a, _ = docs
    assert run("build", "a.txt", "b.txt").exit_code == 0
    before = {w["id"] for w in json.loads(run("works", "--json").stdout)}
    a.write_text(DOC_A + "\nA final remark.\n", encoding="utf-8")
    assert run("build", "a.txt", "b.txt").exit_code == 0
    after = {w["id"] for w in json.loads(run("works", "--json").stdout)}
    assert after == before == {"abrahamian1989", "smith2000"}


# records ---------------------------------------------------------------------


def test_store_written_before_records_is_migrated(tmp_path: Path, docs: tuple[Path, Path]) -> None:
    """A store whose citations still carry their record's JSON keeps every record after the migration."""
    path = tmp_path / "old.db"
    with Store(path) as s:
        pipeline.build(docs, s)
        expected = [(c.as_dict(), c.reference) for c in s.citations()]
    with sqlite3.connect(path) as db:  # back to the layout before m004: the JSON in the citation row
        db.execute("UPDATE citations SET reference = (SELECT data FROM records WHERE id = citations.record_id),"
                   " record_id = NULL")
        db.execute("DROP TABLE records")
        db.execute("ALTER TABLE citations DROP COLUMN record_id")
        db.execute("DELETE FROM migrations WHERE name = 'm004_records'")
    with Store(path) as s:
        migrated = [(c.as_dict(), c.reference) for c in s.citations()]
        left = s.db.execute("SELECT COUNT(*) FROM citations WHERE reference IS NOT NULL").fetchone()[0]
        records = s.db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
    assert migrated == expected
    assert left == 0
    assert records == 2  # the Ibid. shares its first note's record


def test_records_are_shared_and_dropped_with_their_last_citation(tmp_path: Path, docs: tuple[Path, Path]) -> None:
    _, b = docs
    with Store(tmp_path / "s.db") as s:
        pipeline.build(docs, s)
        counts = s.db.execute("SELECT COUNT(*), COUNT(DISTINCT record_id) FROM citations").fetchone()
        b.write_text("Nothing cited here.\n", encoding="utf-8")
        pipeline.build(docs, s)
        ids = {row[0] for row in s.db.execute("SELECT id FROM records")}
        cited = {row[0] for row in s.db.execute("SELECT record_id FROM citations WHERE record_id IS NOT NULL")}
    assert counts == (3, 2)
    assert ids == cited and len(ids) == 1  # Smith's record went with the only citation of it
