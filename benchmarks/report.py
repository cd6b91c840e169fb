"""Time ``biblio report`` on a large synthetic store: the issue's target is 10,000 works and 100,000 citations
in under 30 seconds.

The store is filled directly through SQL (documents, passages, citations, works, findings) and
``Store.save_url_checks``: building it from documents would time the readers, not the report. A seeded
generator makes invented works of several types and dates, citations spread over them with a long tail (a
few works are cited thousands of times, so their pages split), footnote markers glued to sentences, URLs on
a third of the works with every verdict, and findings scattered over the documents. Timed with
``time.perf_counter``: loading the store, and the whole build (load + every page + the rename into place),
once in one process and once with the pages split over the CPUs (forked writers), with the CPU seconds
of both (``getrusage``, children included) since a busy machine stretches wall time, not CPU time.
Prints what it measures and always exits 0; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from biblio.model import DateValue, Name, Reference, UrlCheck, Verdict, reference_to_json
from biblio.render import report
from biblio.store import Store

TYPES = ("book", "article-journal", "article-newspaper", "report", "webpage", "chapter", "thesis")
WORDS = ("history state reform exile memory power faith press council army union party opposition movement "
         "city region capital policy crisis order struggle origins society ideology protest").split()
SYLLABLES = "ka ro del man tis ver ab ra ham ian lo sen mi kel dor an eth bar wen fal".split()
RULES = ("orphan-marker", "unused-note", "ibid-unresolved", "unknown-citation-key", "vague-attribution")
VERDICTS = (Verdict.OK, Verdict.OK, Verdict.OK, Verdict.REDIRECTED, Verdict.BROKEN, Verdict.BLOCKED,
            Verdict.TIMEOUT, Verdict.SOFT_404)


def _name(rng: random.Random) -> Name:
    family = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    given = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
    return Name(family=family, given=given)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def fill(store: Store, works: int, citations: int, documents: int, seed: int = 7) -> None:
    """Write a synthetic corpus of the given size into ``store``."""
    rng = random.Random(seed)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    keys = [f"w{i:05d}" for i in range(works)]
    urls: list[str] = []
    rows = []
    for i, key in enumerate(keys):
        year = rng.randint(1900, 2024) if rng.random() > 0.05 else None
        ref = Reference(
            type=rng.choice(TYPES), title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8))).title(),
            author=tuple(_name(rng) for _ in range(rng.randint(1, 3))),
            issued=DateValue(((year,),)) if year else None, publisher=rng.choice(("Northfield", "Harbour House")),
            publisher_place="London",
        )
        if i % 3 == 0:
            url = f"https://host{rng.randint(0, 199)}.example.org/page/{i}"
            ref = Reference(**{**ref.__dict__, "URL": url})
            urls.append(url)
        rows.append((key, i, json.dumps(reference_to_json(ref), ensure_ascii=False), int(i % 10 == 0)))
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(works)]
    cited = rng.choices(keys, weights=weights, k=citations)
    counts: dict[str, int] = {}
    for key in cited:
        counts[key] = counts.get(key, 0) + 1
    per_doc = citations // documents
    with store.transaction() as db:
        db.executemany("INSERT INTO works (key, seq, reference, curated, citation_count) VALUES (?,?,?,?,?)",
                       [(k, seq, ref, cur, counts.get(k, 0)) for k, seq, ref, cur in rows])
        n = 0
        for d in range(documents):
            cur = db.execute(
                "INSERT INTO documents (path, name, display, format, sha256, size, built_at) VALUES (?,?,?,?,?,?,?)",
                (f"/corpus/doc{d:04d}.txt", f"doc{d:04d}.txt", f"corpus/doc{d:04d}.txt", "text", f"{d:064x}", 1,
                 now),
            )
            doc_id = cur.lastrowid
            passages, cites, findings = [], [], []
            line, idx, marker = 1, 0, 0
            while len(cites) < per_doc and n < citations:
                k = rng.choice((0, 1, 1, 2, 3))
                text = " ".join(_sentence(rng, rng.randint(6, 20)) for _ in range(1))
                for _ in range(k):
                    if len(cites) >= per_doc or n >= citations:
                        break
                    marker += 1
                    text += str(marker)
                    cites.append((doc_id, len(cites), "footnote", str(marker), line, len(text), line + 400,
                                  f"Note {marker}.", idx, None, None, cited[n]))
                    n += 1
                passages.append((doc_id, idx, line, text))
                if rng.random() < 0.02:
                    findings.append((doc_id, f"corpus/doc{d:04d}.txt", line, 1, rng.choice(RULES), "warning",
                                     "synthetic finding"))
                idx += 1
                line += rng.choice((0, 1, 2))
            db.executemany("INSERT INTO passages (document_id, idx, line, text) VALUES (?,?,?,?)", passages)
            db.executemany(
                "INSERT INTO citations (document_id, seq, kind, marker, line, col, note_line, raw, passage_idx,"
                " reference, locator, work_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", cites)
            db.executemany("INSERT INTO findings (document_id, path, line, col, rule, severity, message)"
                           " VALUES (?,?,?,?,?,?,?)", findings)
    checks = []
    for url in urls:
        verdict = rng.choice(VERDICTS)
        archive = f"https://web.archive.org/web/2019/{url}" if verdict is Verdict.BROKEN and rng.random() < .5 else None
        checks.append((UrlCheck(url, verdict, 200 if verdict is Verdict.OK else 404, None, "", archive, now),
                       now if verdict is Verdict.BROKEN else None, 1 if verdict is Verdict.BROKEN else 0))
    store.save_url_checks(checks)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the forked page writers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--citations", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        started = time.perf_counter()
        fill(store, args.works, args.citations, args.documents)
        print(f"synthetic store: {args.works} works, {args.citations} citations, {args.documents} documents "
              f"(filled in {time.perf_counter() - started:.1f}s)")
        started = time.perf_counter()
        corpus = report.load(store)
        print(f"load:   {time.perf_counter() - started:6.2f}s  ({sum(len(d.passages) for d in corpus.documents)} "
              "passages)")
        for jobs in sorted({1, report.default_jobs()}):
            before = _cpu()
            result = report.build(store, Path(tmp) / f"report-{jobs}", jobs=jobs)
            size = sum(p.stat().st_size for p in result.path.rglob("*") if p.is_file())
            print(f"report, {jobs} process(es): {result.seconds:6.2f}s wall, {_cpu() - before:6.2f}s CPU; "
                  f"{result.pages} pages, {size / 1048576:.0f} MB (target: under 30 s wall)")
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
              "(other work on the machine slows the wall time)")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
