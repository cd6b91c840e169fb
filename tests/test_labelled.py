"""Labelled reference strings (Wapiti/AnyStyle XML) as tagger training data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from biblio.errors import BiblioError
from biblio.parse import labelled, tagger

GOLD = Path(__file__).resolve().parents[2] / "shared" / "bench" / "refparse" / "anystyle-gold.xml"

SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<dataset>
  <sequence>
    <author>Hiro, Dilip.</author>
    <date>(1991).</date>
    <title>The Longest War.</title>
    <location>London:</location>
    <publisher>Grafton.</publisher>
  </sequence>
  <sequence>
    <author>A. Author,</author>
    <title>A paper,</title>
    <journal>J. Stud.</journal>
    <medium>[online]</medium>
    <director>Someone</director>
  </sequence>
  <sequence></sequence>
</dataset>
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.xml"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_tokens_take_their_segment_label(sample: Path) -> None:
    tokens, labels = labelled.read(sample)[0]
    assert tokens == ["Hiro,", "Dilip.", "(1991).", "The", "Longest", "War.", "London:", "Grafton."]
    assert labels == ["author", "author", "date", "title", "title", "title", "location", "publisher"]


@pytest.mark.parametrize(
    ("token", "label"),
    [
        pytest.param("J.", "container-title", id="journal-is-container"),
        pytest.param("[online]", "note", id="medium-is-note"),
        pytest.param("Someone", "other", id="unknown-tag-is-other"),
    ],
)
def test_anystyle_tags_map_to_tagger_labels(sample: Path, token: str, label: str) -> None:
    tokens, labels = labelled.read(sample)[1]
    assert labels[tokens.index(token)] == label


def test_empty_sequences_are_skipped(sample: Path) -> None:
    assert len(labelled.read(sample)) == 2


def test_malformed_file_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<dataset><sequence><author>x</sequence>", encoding="utf-8")
    with pytest.raises(BiblioError, match=r"bad\.xml"):
        labelled.read(bad)


def test_shipped_training_files_read() -> None:
    files = tagger.training_files()
    assert files, "training/ holds the real labelled bibliographies"
    assert sum(len(labelled.read(f)) for f in files) > 500


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _strings(path: Path) -> list[str]:
    return [_norm(" ".join((s.text or "") for s in seq)) for seq in ET.parse(path).getroot().iter("sequence")]


@pytest.mark.skipif(not GOLD.exists(), reason="benchmark gold file not present (../shared/bench)")
def test_training_data_holds_no_benchmark_string() -> None:
    """The benchmark must measure strings the model never saw: no training sequence is a near copy
    (rapidfuzz ratio >= 70) of a gold string."""
    from rapidfuzz import fuzz, process

    gold = _strings(GOLD)
    for path in tagger.training_files():
        for text in _strings(path):
            match = process.extractOne(text, gold, scorer=fuzz.ratio, score_cutoff=70)
            assert match is None, f"{path.name}: {text[:80]!r} is close to a gold string"
