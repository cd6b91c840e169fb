"""The SQLite store: documents, passages, citations, works and findings.

One file (``./biblio.db`` by default) holds everything a build learned, so
``works``, ``show`` and ``citations`` answer without re-reading documents and
an unchanged document is skipped by its content hash. Migrations are plain
functions registered in order and recorded in the ``migrations`` table; every
write happens inside a transaction.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from biblio.errors import StoreError
from biblio.model import (
    Finding,
    Redirect,
    Reference,
    Severity,
    UrlCheck,
    Verdict,
    Work,
    reference_from_json,
    reference_to_json,
)

MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = []


def migration(fn: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
    """Register ``fn`` as the next schema migration."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            display TEXT NOT NULL,
            format TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            built_at TEXT NOT NULL
        );
        CREATE TABLE passages (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            line INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (document_id, idx)
        );
        CREATE TABLE citations (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            marker TEXT,
            line INTEGER NOT NULL,
            col INTEGER NOT NULL,
            note_line INTEGER,
            raw TEXT,
            passage_idx INTEGER,
            reference TEXT,
            locator TEXT,
            work_key TEXT
        );
        CREATE INDEX citations_work ON citations(work_key);
        CREATE INDEX citations_document ON citations(document_id, seq);
        CREATE TABLE findings (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            line INTEGER NOT NULL,
            col INTEGER NOT NULL,
            rule TEXT NOT NULL,
            severity TEXT NOT NULL,
            message TEXT NOT NULL
        );
        CREATE TABLE works (
            key TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            reference TEXT NOT NULL,
            curated INTEGER NOT NULL DEFAULT 0,
            citation_count INTEGER NOT NULL DEFAULT 0
        );
        """
    )


@migration
def m002_citation_keys(db: sqlite3.Connection) -> None:
    """Citations by key (pandoc ``[@key]``, LaTeX ``\\cite{key}``) name their entry."""
    db.execute("ALTER TABLE citations ADD COLUMN cite_key TEXT")


@migration
def m003_url_checks(db: sqlite3.Connection) -> None:
    """URL verdicts survive runs (recheck by age; ``broken`` confirmed across days) and so do archive lookups."""
    db.executescript(
        """
        CREATE TABLE url_checks (
            url TEXT PRIMARY KEY,
            verdict TEXT NOT NULL,
            status INTEGER,
            final_url TEXT,
            message TEXT NOT NULL DEFAULT '',
            archive_url TEXT,
            checked_at TEXT NOT NULL,
            first_failed_at TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            redirects TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE archive_lookups (
            url TEXT NOT NULL,
            timestamp TEXT NOT NULL DEFAULT '',
            archive_url TEXT,
            looked_up_at TEXT NOT NULL,
            PRIMARY KEY (url, timestamp)
        );
        """
    )


@migration
def m004_records(db: sqlite3.Connection) -> None:
    """A citation's parsed record is stored once, in ``records``, and named by id: a work is cited many
    times, and its record was repeated in every citation row (over a quarter of the file)."""
    db.execute("CREATE TABLE records (id INTEGER PRIMARY KEY, data TEXT NOT NULL)")
    db.execute("ALTER TABLE citations ADD COLUMN record_id INTEGER")
    rows = db.execute("SELECT id, reference FROM citations WHERE reference IS NOT NULL").fetchall()
    records = dict(_identified(data) for data in {data for _, data in rows})
    ids = {data: rid for rid, data in records.items()}
    db.executemany("INSERT OR IGNORE INTO records (id, data) VALUES (?, ?)", records.items())
    db.executemany("UPDATE citations SET record_id = ?, reference = NULL WHERE id = ?",
                   ((ids[data], cid) for cid, data in rows))


def _identified(data: str) -> tuple[int, str]:
    """A record's JSON with its id: 64 bits of its BLAKE2 hash, so equal records share a row and a
    writer needs no lookup to name one (two different records colliding: about 2**-64 per pair)."""
    digest = hashlib.blake2b(data.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True), data


@functools.lru_cache(maxsize=16384)
def _encoded(ref: Reference) -> tuple[int, str]:
    """A record as stored, with its id: equal records (one work cited in many documents) are encoded once."""
    return _identified(json.dumps(reference_to_json(ref), ensure_ascii=False))


@dataclass(frozen=True)
class StoredDocument:
    id: int
    path: str
    name: str
    display: str
    sha256: str


@dataclass(frozen=True)
class StoredCitation:
    """A citation row joined with its document and passage, as listings need it."""

    id: int
    document: str
    display: str
    kind: str
    marker: str | None
    line: int
    column: int
    note_line: int | None
    raw: str | None
    passage: str | None
    reference: Reference | None
    locator: str
    work: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "path": self.display,
            "line": self.line,
            "column": self.column,
            "kind": self.kind,
            "marker": self.marker,
            "note_line": self.note_line,
            "raw": self.raw,
            "work": self.work,
            "locator": self.locator or None,
            "passage": self.passage,
        }


class Store:
    """A biblio store in a SQLite file (or ``":memory:"``)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"not a usable biblio store: {exc}", self.path) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        db = self.db
        db.execute(
            "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT UNIQUE, applied_at TEXT)"
        )
        done = {row[0] for row in db.execute("SELECT name FROM migrations")}
        known = {name for name, _ in MIGRATIONS}
        if done - known:
            raise StoreError("store was written by a newer biblio; upgrade biblio", self.path)
        for name, fn in MIGRATIONS:
            if name in done:
                continue
            with self.transaction():
                fn(db)
                db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, _now()))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.db.execute("BEGIN")
            yield self.db
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    # documents ---------------------------------------------------------
    def document_hash(self, path: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM documents WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def save_document(
        self,
        path: str,
        display: str,
        doc: Any,
        citations: Iterable[tuple[Any, Reference | None]],
        findings: Iterable[Finding],
    ) -> None:
        """Replace everything stored for ``path`` with this reading of it."""
        with self.transaction() as db:
            db.execute("DELETE FROM documents WHERE path = ?", (path,))
            cur = db.execute(
                "INSERT INTO documents (path, name, display, format, sha256, size, built_at) VALUES (?,?,?,?,?,?,?)",
                (path, doc.name, display, doc.format, doc.sha256, doc.size, _now()),
            )
            doc_id = cur.lastrowid
            db.executemany(
                "INSERT INTO passages (document_id, idx, line, text) VALUES (?,?,?,?)",
                ((doc_id, p.index, p.line, p.text) for p in doc.passages),
            )
            by_object: dict[int, int] = {}  # the same parsed object is usually shared by many citations
            records: dict[int, str] = {}

            def record_id(ref: Reference) -> int:
                # the locator has its own column, so it is left out of the record
                known = by_object.get(id(ref))
                if known is None:
                    known, data = _encoded(ref.without_locator() if ref.locator else ref)
                    by_object[id(ref)] = known
                    records[known] = data
                return known

            db.executemany(
                "INSERT INTO citations (document_id, seq, kind, marker, line, col, note_line, raw, passage_idx,"
                " record_id, locator, cite_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (doc_id, seq, c.kind, c.marker, c.line, c.column, c.note_line, c.raw, c.passage,
                     record_id(ref) if ref else None, (ref.locator if ref else None) or c.locator or None, c.key)
                    for seq, (c, ref) in enumerate(citations)
                ),
            )
            db.executemany("INSERT OR IGNORE INTO records (id, data) VALUES (?, ?)", records.items())
            db.executemany(
                "INSERT INTO findings (document_id, path, line, col, rule, severity, message) VALUES (?,?,?,?,?,?,?)",
                ((doc_id, f.path, f.line, f.column, f.rule, f.severity.value, f.message) for f in findings),
            )

    def documents(self) -> list[StoredDocument]:
        rows = self.db.execute("SELECT id, path, name, display, sha256 FROM documents ORDER BY id")
        return [StoredDocument(*row) for row in rows]

    # citations -----------------------------------------------------------
    def citation_references(self) -> list[tuple[int, Reference | None, str | None, str | None]]:
        """Every citation's id, parsed reference, current work key and cited key, in document order."""
        decoded = {rid: reference_from_json(json.loads(data)) for rid, data in self.db.execute(
            "SELECT id, data FROM records WHERE id IN (SELECT record_id FROM citations)")}
        rows = self.db.execute("SELECT id, record_id, work_key, cite_key FROM citations ORDER BY document_id, seq")
        return [(cid, decoded[rid] if rid is not None else None, key, cite_key) for cid, rid, key, cite_key in rows]

    def citations(self, work: str | None = None, document: str | None = None) -> list[StoredCitation]:
        sql = (
            "SELECT c.id, d.name, d.display, c.kind, c.marker, c.line, c.col, c.note_line, c.raw, p.text,"
            " r.data, c.locator, c.work_key FROM citations c JOIN documents d ON d.id = c.document_id"
            " LEFT JOIN passages p ON p.document_id = c.document_id AND p.idx = c.passage_idx"
            " LEFT JOIN records r ON r.id = c.record_id"
        )
        where, args = [], []
        if work is not None:
            where.append("c.work_key = ?")
            args.append(work)
        if document is not None:
            where.append("(d.name = ? OR d.display = ?)")
            args.extend([document, document])
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY d.id, c.line, c.col, c.seq"
        out = []
        for row in self.db.execute(sql, args):
            ref = reference_from_json(json.loads(row[10])) if row[10] else None
            out.append(StoredCitation(*row[:10], ref, row[11] or "", row[12]))
        return out

    def findings(self) -> list[Finding]:
        rows = self.db.execute(
            "SELECT path, line, col, rule, severity, message FROM findings ORDER BY document_id, line, col"
        )
        return [Finding(p, ln, c, r, Severity(s), m) for p, ln, c, r, s, m in rows]

    # works ---------------------------------------------------------------
    def works(self, include_uncited: bool = False) -> list[Work]:
        sql = "SELECT key, reference, curated, citation_count FROM works"
        if not include_uncited:
            sql += " WHERE citation_count > 0 OR curated = 1"
        sql += " ORDER BY seq"
        return [
            Work(key, reference_from_json(json.loads(ref)), bool(curated), count)
            for key, ref, curated, count in self.db.execute(sql)
        ]

    def work(self, key: str) -> Work | None:
        row = self.db.execute(
            "SELECT key, reference, curated, citation_count FROM works WHERE key = ?", (key,)
        ).fetchone()
        if not row:
            return None
        return Work(row[0], reference_from_json(json.loads(row[1])), bool(row[2]), row[3])

    def save_works(self, works: list[Work], links: dict[int, str | None]) -> None:
        """Replace the works table and point citations at their works (``links``: the ones that changed).

        Records no citation names any more (their documents were read again) are dropped here."""
        with self.transaction() as db:
            db.execute("DELETE FROM works")
            db.executemany(
                "INSERT INTO works (key, seq, reference, curated, citation_count) VALUES (?,?,?,?,?)",
                (
                    (w.key, seq, json.dumps(reference_to_json(w.reference.without_locator()), ensure_ascii=False),
                     int(w.curated), w.citation_count)
                    for seq, w in enumerate(works)
                ),
            )
            db.executemany("UPDATE citations SET work_key = ? WHERE id = ?", ((k, cid) for cid, k in links.items()))
            db.execute("DELETE FROM records WHERE id NOT IN"
                       " (SELECT record_id FROM citations WHERE record_id IS NOT NULL)")

    # URL checks ----------------------------------------------------------
    def url_checks(self) -> dict[str, tuple[UrlCheck, str | None, int]]:
        """Every stored URL verdict with when it first failed and how many checks in a row failed."""
        rows = self.db.execute(
            "SELECT url, verdict, status, final_url, message, archive_url, checked_at, redirects, first_failed_at,"
            " failures FROM url_checks"
        )
        out: dict[str, tuple[UrlCheck, str | None, int]] = {}
        for url, verdict, status, final, message, archive, checked, hops, first_failed, failures in rows:
            redirects = tuple(Redirect(int(h["status"]), str(h["url"])) for h in json.loads(hops or "[]"))
            check = UrlCheck(url, Verdict(verdict), status, final, message, archive, checked, redirects)
            out[url] = (check, first_failed, failures)
        return out

    def save_url_checks(self, rows: Iterable[tuple[UrlCheck, str | None, int]]) -> None:
        """Insert or replace URL verdicts (check, first failure time, consecutive failures) in one transaction."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO url_checks (url, verdict, status, final_url, message, archive_url, checked_at,"
                " redirects, first_failed_at, failures) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    (c.url, c.verdict.value, c.status, c.final_url, c.message, c.archive_url, c.checked_at,
                     json.dumps([{"status": r.status, "url": r.url} for r in c.redirects]), first_failed, failures)
                    for c, first_failed, failures in rows
                ),
            )

    def archive_lookups(self) -> dict[tuple[str, str], tuple[str | None, str]]:
        """Cached Wayback answers by (url, timestamp): the snapshot URL (None: none found) and when asked."""
        rows = self.db.execute("SELECT url, timestamp, archive_url, looked_up_at FROM archive_lookups")
        return {(url, ts): (archive, when) for url, ts, archive, when in rows}

    def save_archive_lookups(self, rows: Iterable[tuple[str, str, str | None, str]]) -> None:
        """Remember Wayback answers (url, timestamp, snapshot URL or None, when asked)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO archive_lookups (url, timestamp, archive_url, looked_up_at) VALUES (?,?,?,?)",
                rows,
            )

    # imported .bib text (biblio.imports) ------------------------------------
    def _bib_segments_table(self) -> None:
        """Created on first use, not by a migration: only stores that imported a .bib need it."""
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS bib_segments (source TEXT NOT NULL, seq INTEGER NOT NULL,"
            " kind TEXT NOT NULL, key TEXT, work_key TEXT, gap TEXT NOT NULL, text TEXT NOT NULL, state TEXT,"
            " PRIMARY KEY (source, seq))"
        )

    def import_works(self, works: Iterable[Work], source: str, segments: Iterable[tuple]) -> None:
        """Insert or update ``works`` (new keys go last) and replace the .bib segments of ``source``.

        ``segments`` rows are (seq, kind, key, work key, gap, text, state); see :mod:`biblio.imports`.
        """
        segments = list(segments)
        with self.transaction() as db:
            last = db.execute("SELECT COALESCE(MAX(seq), -1) FROM works").fetchone()[0]
            for w in works:
                ref = json.dumps(reference_to_json(w.reference.without_locator()), ensure_ascii=False)
                cur = db.execute("UPDATE works SET reference = ?, curated = ? WHERE key = ?",
                                 (ref, int(w.curated), w.key))
                if not cur.rowcount:
                    last += 1
                    db.execute("INSERT INTO works (key, seq, reference, curated, citation_count) VALUES (?,?,?,?,?)",
                               (w.key, last, ref, int(w.curated), w.citation_count))
            if segments:
                self._bib_segments_table()
                db.execute("DELETE FROM bib_segments WHERE source = ?", (source,))
                db.executemany(
                    "INSERT INTO bib_segments (source, seq, kind, key, work_key, gap, text, state)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    ((source, *row) for row in segments),
                )

    def bib_segments(self) -> list[tuple[str, int, str, str | None, str | None, str, str, str | None]]:
        """Every imported .bib segment (source, seq, kind, key, work key, gap, text, state), sources in import order."""
        exists = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bib_segments'")
        if exists.fetchone() is None:
            return []
        return list(self.db.execute(
            "SELECT s.source, s.seq, s.kind, s.key, s.work_key, s.gap, s.text, s.state FROM bib_segments s"
            " JOIN (SELECT source, MIN(rowid) AS first FROM bib_segments GROUP BY source) o ON o.source = s.source"
            " ORDER BY o.first, s.seq"
        ))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
