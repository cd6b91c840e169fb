"""Precision and recall of narrative citations on hand-labelled documents (tests/fixtures/narrative).

Each document there comes with an answer key (``answers.json``) written by hand from the document: every
attribution a reader would count (issuer or author, year bound to the work, CSL type) or ``vague``
(a claim resting on no identifiable source), plus hard negatives that must yield nothing. The finder
runs as ``biblio build`` runs it (reader, identifiers, narrative finder), its citations are matched to
the key line by line, and then all documents are built into a fresh store with the fixtures'
``references.bib`` to check that mentions link to the expected curated works.

A prediction counts as right when line, issuer (canonical name or author family), year and type all
agree, or when both sides say vague. Prints precision, recall, F1, link accuracy, the misses and
false alarms per document, and the time taken. A benchmark, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from biblio import pipeline
from biblio.find import issuers, narrative
from biblio.model import RawCitation, Reference
from biblio.read import read_document
from biblio.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "narrative"


@dataclass(frozen=True)
class Score:
    """Counts over all documents, with what went wrong where."""

    true_positives: int
    predicted: int
    expected: int
    misses: dict[str, list[str]]
    false_alarms: dict[str, list[str]]

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def issuer_names(ref: Reference) -> set[str]:
    """Every name a mention's record is known by: organisations, outlet, author families."""
    out = {issuers.canonical(n.literal or n.family) for n in ref.author}
    out |= {issuers.canonical(ref.container_title), issuers.canonical(ref.publisher)}
    return out - {""}


def agrees(expected: dict[str, Any], c: RawCitation) -> bool:
    if expected.get("vague"):
        return c.reference is None
    ref = c.reference
    if ref is None:
        return False
    return (issuers.canonical(expected["issuer"]) in issuer_names(ref) and ref.year == expected["year"]
            and ref.type == expected["type"])


def describe(c: RawCitation) -> str:
    if c.reference is None:
        return f"line {c.line}: vague {c.raw!r}"
    ref = c.reference
    return f"line {c.line}: {sorted(issuer_names(ref))} {ref.year} {ref.type} ({c.raw!r})"


def found_in(path: Path) -> list[RawCitation]:
    """The narrative citations of one document, as a build finds them."""
    analysis = pipeline.analyse_document(read_document(path, path.name)[0])
    return [c for c, _ in analysis.citations if c.kind in narrative.KINDS]


def score(answers: dict[str, Any], folder: Path = FIXTURES) -> Score:
    tp = predicted = expected = 0
    misses: dict[str, list[str]] = {}
    alarms: dict[str, list[str]] = {}
    for name, key in sorted(answers.items()):
        if name.startswith("_"):
            continue
        cites = found_in(folder / name)
        unused = list(cites)
        predicted += len(cites)
        expected += len(key["mentions"])
        for want in key["mentions"]:
            hit = next((c for c in unused if c.line == want["line"] and agrees(want, c)), None)
            if hit is None:
                misses.setdefault(name, []).append(f"line {want['line']}: {_want(want)}")
                continue
            unused.remove(hit)
            tp += 1
        if unused:
            alarms[name] = [describe(c) for c in unused]
    return Score(tp, predicted, expected, misses, alarms)


def _want(want: dict[str, Any]) -> str:
    return "vague" if want.get("vague") else f"{want['issuer']} {want['year']} {want['type']}"


def links(answers: dict[str, Any], folder: Path = FIXTURES) -> tuple[int, int, list[str]]:
    """Build every document with the fixtures' .bib: how many expected work links hold."""
    wanted = [(name, m["line"], m["work"]) for name, key in answers.items() if not name.startswith("_")
              for m in key["mentions"] if m.get("work")]
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "references.bib"
        shutil.copy(folder / "references.bib", bib)
        with Store(":memory:") as store:
            pipeline.build(sorted(folder.glob("*.txt")), store, bib)
            got = {(Path(c.display).name, c.line, c.work) for c in store.citations() if c.kind in narrative.KINDS}
    wrong = [f"{name}:{line} should link to {work}" for name, line, work in wanted if (name, line, work) not in got]
    return len(wanted) - len(wrong), len(wanted), wrong


def report(lines: Iterable[str]) -> None:
    for line in lines:
        print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="folder with documents and answers.json")
    args = parser.parse_args(argv)
    answers = json.loads((args.fixtures / "answers.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    s = score(answers, args.fixtures)
    linked, total, wrong = links(answers, args.fixtures)
    elapsed = time.perf_counter() - started
    docs = sum(1 for k in answers if not k.startswith("_"))
    report([
        f"narrative citations on {docs} documents, {s.expected} labelled mentions",
        f"precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
        f"({s.true_positives} right of {s.predicted} found)",
        f"links to curated works: {linked}/{total}",
        f"time {elapsed:.2f} s",
    ])
    for name in sorted(set(s.misses) | set(s.false_alarms)):
        print(f"\n{name}")
        for m in s.misses.get(name, []):
            print(f"  missed  {m}")
        for a in s.false_alarms.get(name, []):
            print(f"  extra   {a}")
    for w in wrong:
        print(f"  link    {w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
