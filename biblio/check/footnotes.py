"""Footnote lint rules, one function per rule, like a compiler's warnings.

Each rule looks at what a reader found (markers and notes, grouped in
blocks) and returns findings located in the original file. Rules that other
stages raise (``ibid-unresolved`` from :mod:`biblio.resolve.ibid`,
``unparsed-reference`` from parsing, input problems from the readers) are
listed here too, so ``biblio check --list-rules`` shows every rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from biblio.model import Document, Finding, Severity

Rule = Callable[[Document], Iterator[Finding]]
RULES: dict[str, tuple[Severity, str]] = {}
_CHECKS: list[Rule] = []


def rule(name: str, severity: Severity, summary: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[name] = (severity, summary)
        _CHECKS.append(fn)
        return fn

    return register


def describe(name: str, severity: Severity, summary: str) -> None:
    """List a rule that another stage raises."""
    RULES[name] = (severity, summary)


@rule("orphan-marker", Severity.ERROR, "a footnote marker in the text has no note")
def orphan_marker(doc: Document) -> Iterator[Finding]:
    defined = {(n.block, n.number) for n in doc.notes}
    block_line = {n.block: n.line for n in reversed(doc.notes)}
    for m in doc.markers:
        if (m.block, m.number) not in defined:
            where = f"in the notes on line {block_line[m.block]}" if m.block in block_line else "(no notes follow it)"
            yield Finding(doc.path, m.line, m.column, "orphan-marker", Severity.ERROR,
                          f"footnote marker {m.shown} has no note {where}")


@rule("unused-note", Severity.WARNING, "a note is never cited by a marker")
def unused_note(doc: Document) -> Iterator[Finding]:
    cited = {(m.block, m.number) for m in doc.markers}
    for n in doc.notes:
        if (n.block, n.number) not in cited:
            yield Finding(doc.path, n.line, n.column, "unused-note", Severity.WARNING,
                          f"note {n.shown} is never cited by a marker")


@rule("duplicate-note", Severity.ERROR, "two notes of one block have the same number")
def duplicate_note(doc: Document) -> Iterator[Finding]:
    first: dict[tuple[int, int], int] = {}
    for n in doc.notes:
        key = (n.block, n.number)
        if key in first:
            yield Finding(doc.path, n.line, n.column, "duplicate-note", Severity.ERROR,
                          f"note {n.shown} is defined twice (first on line {first[key]})")
        else:
            first[key] = n.line


@rule("out-of-order-marker", Severity.WARNING, "a marker's number is lower than the marker before it")
def out_of_order_marker(doc: Document) -> Iterator[Finding]:
    highest: dict[int, int] = {}
    for m in sorted(doc.markers, key=lambda m: m.offset):
        if m.label:
            continue  # a named note ([^exile]) has no written number to be out of order
        top = highest.get(m.block, 0)
        if m.number < top:
            yield Finding(doc.path, m.line, m.column, "out-of-order-marker", Severity.WARNING,
                          f"footnote marker {m.number} comes after marker {top}")
        highest[m.block] = max(top, m.number)


@rule("inconsistent-note-style", Severity.INFO, "notes of one block are numbered in different styles")
def inconsistent_note_style(doc: Document) -> Iterator[Finding]:
    by_block: dict[int, list] = {}
    for n in doc.notes:
        by_block.setdefault(n.block, []).append(n)
    for notes in by_block.values():
        common = Counter(n.style for n in notes).most_common(1)[0][0]
        for n in notes:
            if n.style != common:
                yield Finding(doc.path, n.line, n.column, "inconsistent-note-style", Severity.INFO,
                              f"note {n.number} is numbered in {n.style} style; the others use {common} style")


describe("ibid-unresolved", Severity.ERROR, "Ibid./Id./op. cit. points at no earlier note")
describe("unparsed-reference", Severity.WARNING, "a note or reference could not be parsed into a record")
describe("encoding-fallback", Severity.WARNING, "the file is not UTF-8 and was read as Windows-1252")
describe("empty-file", Severity.WARNING, "the file has no text")
describe("unreadable-file", Severity.ERROR, "the file cannot be read (binary, too large, no permission)")
describe("duplicate-bib-key", Severity.WARNING, "a .bib key is used by two entries")
describe("undefined-named-ref", Severity.ERROR, "<ref name=x/> is used but no <ref name=x> defines it")
describe("duplicate-named-ref", Severity.ERROR, "two <ref name=x> definitions have different content")
describe("unused-named-ref", Severity.WARNING, "a ref defined in {{reflist|refs=}} is never used")
describe("unbalanced-ref-tag", Severity.ERROR, "an opening <ref> is never closed, or a </ref> has no opening")
describe("empty-ref", Severity.ERROR, "a <ref></ref> has no content")
describe("sfn-no-target", Severity.WARNING, "a {{sfn}}/{{harvnb}} matches no full citation by author and year")
describe("flattened-templates", Severity.WARNING, "citation templates lost their parameters (one summary per file)")
describe("unclosed-template", Severity.WARNING, "a {{template is never closed")
describe("unparsable-html", Severity.WARNING, "an HTML page could not be parsed, or the parser stopped early")
describe("html-too-deep", Severity.WARNING, "HTML elements nest too deep; the deepest tags are ignored")
describe("unclosed-code-fence", Severity.WARNING, "a Markdown ``` fence is never closed; the rest is read as code")
describe("unbalanced-brace", Severity.ERROR, "a LaTeX { is never closed or a } closes nothing")
describe("unclosed-verbatim", Severity.WARNING, "a LaTeX verbatim environment is never ended")
describe("unknown-citation-key", Severity.ERROR, "a citation key ([@key], \\cite{key}) is not in the .bib")
describe("unused-bib-entry", Severity.INFO, "a .bib entry is never cited by key (check --bib --unused)")
describe("vague-attribution", Severity.INFO, "a claim is attributed to no identifiable source (\"some experts say\")")


def lint(doc: Document) -> list[Finding]:
    """Run every footnote rule on ``doc``."""
    out: list[Finding] = []
    for check in _CHECKS:
        out.extend(check(doc))
    return out
