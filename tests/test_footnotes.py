"""Footnote lint rules: each one fires on its own fixture and stays quiet on a clean one."""

from __future__ import annotations

import pytest

from biblio.check import footnotes
from biblio.model import Severity
from biblio.read import text

CLEAN = "Claim one.1 Claim two.2\n\n1 A. Paper. May 1, 1980.\n\n2 B. Paper. May 2, 1980.\n"


def lint(body: str) -> list[tuple[str, int, int]]:
    doc = text.read("d.txt", "d.txt", body, "0" * 64, len(body))
    return [(f.rule, f.line, f.column) for f in footnotes.lint(doc)]


def test_clean_document_has_no_findings() -> None:
    assert lint(CLEAN) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "Claim one.1 Claim two.2 Claim three.3\n\n1 A. P. May 1, 1980.\n\n2 B. P. May 2, 1980.\n",
            [("orphan-marker", 1, 37)],
            id="orphan-marker",
        ),
        pytest.param(
            "Claim one.1 Claim three.3\n\n1 A. P. May 1, 1980.\n\n2 B. P. May 2, 1980.\n\n3 C. P. May 3, 1980.\n",
            [("unused-note", 5, 1)],
            id="unused-note",
        ),
        pytest.param(
            "Claim one.1 Claim two.2\n\n1 A. P. May 1, 1980.\n\n2 B. P. May 2, 1980.\n\n2 C. P. May 3, 1980.\n",
            [("duplicate-note", 7, 1)],
            id="duplicate-note",
        ),
        pytest.param(
            "Claim one.1 Claim three.3 Claim two.2\n\n1 A. P. May 1, 1980.\n\n2 B. P. May 2, 1980.\n\n"
            "3 C. P. May 3, 1980.\n",
            [("out-of-order-marker", 1, 37)],
            id="out-of-order-marker",
        ),
        pytest.param(
            "Claim one.1 Claim two.2\n\n1 A. P. May 1, 1980.\n\n2) B. P. May 2, 1980.\n\n3 C. P. May 3, 1980.\n",
            [("unused-note", 7, 1), ("inconsistent-note-style", 5, 1)],
            id="inconsistent-note-style",
        ),
        pytest.param(
            "Intro\n\nClaim one.1 Claim two.2\n\nMore prose.3 And more.4\n",
            [("orphan-marker", 3, 11), ("orphan-marker", 3, 23), ("orphan-marker", 5, 12), ("orphan-marker", 5, 23)],
            id="markers-with-no-notes-at-all",
        ),
    ],
)
def test_rule_fires(body: str, expected: list[tuple[str, int, int]]) -> None:
    assert sorted(lint(body)) == sorted(expected)


def test_every_rule_is_listed_with_a_severity() -> None:
    for name in ("orphan-marker", "unused-note", "ibid-unresolved", "duplicate-note", "out-of-order-marker",
                 "inconsistent-note-style", "unparsed-reference"):
        severity, summary = footnotes.RULES[name]
        assert isinstance(severity, Severity) and summary
    assert footnotes.RULES["orphan-marker"][0] is Severity.ERROR
    assert footnotes.RULES["inconsistent-note-style"][0] is Severity.INFO
