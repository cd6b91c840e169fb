"""Generated training strings: labels line up with the text they came from."""

from __future__ import annotations

import random

import pytest

from biblio.parse import synth


def test_labels_follow_pieces() -> None:
    tokens, labels = synth.labelled([("Smith, J.", "author"), (" ", None), ("(2001)", "date"), (". ", None),
                                     ("A title", "title"), (".", None)])
    assert tokens == ["Smith,", "J.", "(2001).", "A", "title."]
    assert labels == ["author", "author", "date", "title", "title"]


def test_examples_are_reproducible_and_varied() -> None:
    a = synth.examples(200, seed=11)
    b = synth.examples(200, seed=11)
    assert a == b
    kinds = {label for _, labels in a for label in labels}
    assert {"author", "title", "container-title", "date", "volume", "pages", "publisher"} <= kinds
    assert len({" ".join(tokens)[:40] for tokens, _ in a}) > 190


@pytest.mark.parametrize("style", [s for s, _ in synth.STYLES], ids=lambda s: getattr(s, "__name__", "lambda"))
def test_every_style_labels_what_it_prints(style) -> None:
    rng = random.Random(3)
    for _ in range(40):
        record = synth.record(rng)
        pieces = style(rng, record, 1) if style in synth.NUMBERED else style(rng, record)
        tokens, labels = synth.labelled(pieces)
        assert " ".join(tokens) == " ".join("".join(t for t, _ in pieces).split())
        assert {"title", "container-title"} & set(labels)
        optional = style is synth.web_note or record.kind in ("news", "web")
        assert "author" in labels or optional or not (record.authors or record.org)
