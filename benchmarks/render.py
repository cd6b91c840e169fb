"""Export and reference-list speed on 10,000 generated works (issue target: exports < 1 s, APA < 10 s).

A seeded generator makes works like the topic bibliography's: books, chapters, journal and newspaper
articles (some without an author, as wire stories are), reports by organisations, web pages; names with
Persian and Arabic diacritics and particles; titles with acronyms, ``&``, ``%`` and ``_``; URLs with
``%`` and ``_``. They go into a fresh SQLite store as a build would leave them.

Timed with ``time.perf_counter``, each format once, from the store (selection included): BibTeX
(bibtexparser), BibTeX ``--ascii``, CSL-JSON, RIS, and the APA reference list as text through pandoc's
citeproc (chunked, in parallel on the cores available). The peer is the same engine without chunking:
one pandoc run over a smaller sample (``--peer-size``, default 500) against biblio's chunked run of the
same sample, as a ratio. Peak memory: ``ru_maxrss`` of this process and of its largest child (pandoc).
A benchmark, not a test: it prints what it measures and always exits 0.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from biblio.model import DateValue, Name, Reference, Work
from biblio.render import export, styles
from biblio.store import Store

T = TypeVar("T")
FAMILIES = ("Abrahamian", "Moṣaddeq", "Šarīʿatī", "Ṭāleqānī", "Cohen", "Stevenson", "Bakhash", "Rouleau", "Merat",
            "Goulka", "Ḥekmat", "Amīnī", "Ḵomeynī", "Rajavi", "Katouzian", "Keddie", "Halliday", "Zabih")
GIVENS = ("Ervand", "Moḥammad", "ʿAlī", "Maḥmūd", "Ronen", "Struan", "Shaul", "Eric", "Arron", "Ḥasan", "Nikki",
          "Fred", "Sepehr", "Homa", "Jeremiah")
PARTICLES = ("", "", "", "", "van", "de", "al-")
ORGS = ("Human Rights Watch", "Amnesty International", "RAND Corporation", "U.S. Department of State",
        "People's Mojahedin Organization of Iran", "Council on Foreign Relations")
WORDS = ("Revolution Exile Power Faith Politics State Opposition Memory Empire Resistance Reform Nation Modern "
         "History Crisis Order Struggle Origins Society Violence Movement Republic Ideology Protest Iran Iraq MEK "
         "NCRI PMOI Tehran Camp Ashraf Liberty Albania Designation Terror Lists").split()
PAPERS = ("The Globe and Mail", "Le Monde", "The New York Times", "The Guardian", "The Washington Post",
          "Reuters", "Associated Press", "Kayhan International")
PUBLISHERS = (("New Haven, CT", "Yale University Press"), ("London", "Zed Books"), ("London", "I.B. Tauris"),
              ("Oxford", "Oxford University Press"), ("Berkeley", "University of California Press"),
              ("Brighton", "Sussex Academic Press"), ("Edinburgh", "Birlinn"), ("Tehran", "Enteshārāt-e ʿElmī"))


def generate(n: int, seed: int = 11) -> list[Work]:
    """``n`` works with unique keys, reproducibly."""
    r = random.Random(seed)
    works = []
    for i in range(n):
        kind = r.random()
        year = r.randint(1960, 2024)

        def title(k: int) -> str:
            words = [r.choice(WORDS) for _ in range(k)]
            if r.random() < 0.1:
                words.insert(1, "&")
            if r.random() < 0.05:
                words.append("(100% Review)")
            return " ".join(words).replace("Modern", "Modern_Era" if r.random() < 0.02 else "Modern")

        def person() -> Name:
            return Name(r.choice(FAMILIES) + (str(r.randint(1, 40)) if r.random() < 0.7 else ""), r.choice(GIVENS),
                        r.choice(PARTICLES))

        authors = tuple(person() for _ in range(r.choice((1, 1, 1, 2, 3))))
        if kind < 0.35:
            place, publisher = r.choice(PUBLISHERS)
            ref = Reference("book", title(r.randint(3, 8)), authors, issued=DateValue(((year,),)), publisher=publisher,
                            publisher_place=place, ISBN=f"978{r.randint(10**9, 10**10 - 1)}")
        elif kind < 0.5:
            ref = Reference("chapter", title(5), authors, editor=(person(),), issued=DateValue(((year,),)),
                            container_title=title(4), publisher=r.choice(PUBLISHERS)[1],
                            page=f"{(p := r.randint(1, 300))}–{p + r.randint(5, 30)}")
        elif kind < 0.65:
            ref = Reference("article-journal", title(6), authors, issued=DateValue(((year, r.randint(1, 12)),)),
                            container_title=f"Journal of {r.choice(WORDS)} Studies", volume=str(r.randint(1, 60)),
                            issue=str(r.randint(1, 4)), page=f"{r.randint(1, 300)}–{r.randint(301, 400)}",
                            DOI=f"10.{r.randint(1000, 9999)}/j_{i}%2F{r.randint(1, 99)}")
        elif kind < 0.85:
            byline = authors[:1] if r.random() < 0.6 else ()
            ref = Reference("article-newspaper", title(7), byline,
                            issued=DateValue(((year, r.randint(1, 12), r.randint(1, 28)),)),
                            container_title=r.choice(PAPERS))
        elif kind < 0.95:
            org = Name(literal=r.choice(ORGS))
            ref = Reference("report", title(6), (org,), issued=DateValue(((year,),)), publisher=org.literal,
                            URL=f"https://example.org/reports/{year}/report_{i}%20final.pdf")
        else:
            ref = Reference("webpage", title(5), authors[:1], issued=DateValue(((year, r.randint(1, 12)),)),
                            container_title=r.choice(ORGS), URL=f"https://example.org/{i}?q=a_b%2Fc")
        works.append(Work(f"w{i:05d}", ref, curated=True, citation_count=1))
    return works


def timed(label: str, fn: Callable[[], T]) -> tuple[T | None, float]:
    start = time.perf_counter()
    try:
        result = fn()
    except Exception:  # a benchmark reports, it does not stop
        traceback.print_exc()
        print(f"{label:<34} failed")
        return None, 0.0
    seconds = time.perf_counter() - start
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--peer-size", type=int, default=500, help="sample size for the single-run peer (0: skip)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel pandoc runs (default: the CPUs available)")
    args = parser.parse_args()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"biblio render benchmark: {args.works} works, {cpus} CPU(s), pandoc "
          f"{'.'.join(map(str, styles.pandoc_version()))} at {styles.pandoc_path()}")
    works = generate(args.works)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        store.save_works(works, {})
        sel, seconds = timed("select", lambda: export.select(store))
        print(f"{'select works from the store':<34} {seconds:8.3f} s")
        if sel is None:
            return
        rows = [
            ("BibTeX (bibtexparser)", lambda: export.bibtex(sel)),
            ("BibTeX --ascii", lambda: export.bibtex(sel, ascii_only=True)),
            ("biblatex", lambda: export.bibtex(sel, "biblatex")),
            ("CSL-JSON", lambda: export.csl_json(sel)),
            ("RIS", lambda: export.ris(sel)),
        ]
        for label, fn in rows:
            out, seconds = timed(label, fn)
            if out is not None:
                size = len(out[0].encode("utf-8")) / 1048576
                flag = "" if seconds < 1 else "   (over the 1 s target)"
                print(f"{label:<34} {seconds:8.3f} s  {size:6.1f} MB{flag}")
        items, _ = export.csl_items(sel)
        rendered, seconds = timed("APA", lambda: styles.bibliography(items, "apa", "text", jobs=args.jobs))
        if rendered is not None:
            entries = rendered.text.count("\n\n") + 1
            flag = "" if seconds < 10 else "   (over the 10 s target)"
            print(f"{'APA reference list (pandoc)':<34} {seconds:8.3f} s  {entries} entries{flag}")
        if args.peer_size:
            sample = items[: args.peer_size]
            mine, chunked = timed("chunked", lambda: styles.bibliography(sample, "apa", "text", jobs=args.jobs))
            theirs, single = timed("single", lambda: styles.bibliography(sample, "apa", "text", chunk=10**9))
            same = mine is not None and theirs is not None and mine.text == theirs.text
            print(f"peer: one pandoc run of {args.peer_size} APA items {single:.2f} s, biblio chunked {chunked:.2f} s "
                  f"(x{single / chunked if chunked else 0:.1f}); outputs {'identical' if same else 'DIFFER'}")
        store.close()
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: biblio {self_mb:.0f} MB, largest pandoc {child_mb:.0f} MB")


if __name__ == "__main__":
    main()
    sys.exit(0)
