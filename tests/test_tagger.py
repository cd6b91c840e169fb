"""The CRF tagger: features, the shipped model, and labels turned into records."""

from __future__ import annotations

import pytest

from biblio.parse import features, tagger


def test_token_features_describe_shape_and_punctuation() -> None:
    feats = set(features.token_features("(2005),"))
    assert {"year", "open-paren", "close-paren", "last=,"} <= feats
    assert "initial" in features.token_features("J.")
    assert "range" in features.token_features("327–335.")


def test_sequence_features_include_neighbours_and_position() -> None:
    rows = features.sequence_features(["Smith,", "J.", "(2001)."])
    assert "pos=0" in rows[0] and "-1:edge" in rows[0]
    assert any(f.startswith("1:") for f in rows[0])
    assert "after-year" not in rows[2] and "is-last" in rows[2]


def test_to_reference_joins_runs_and_infers_type() -> None:
    tokens = "Smith, J. (2001). Exile politics. Journal of Studies, 12(3), 45–67.".split()
    labels = ["author", "author", "date", "title", "title", "container-title", "container-title",
              "container-title", "volume", "pages"]
    ref = tagger.to_reference(tokens, labels)
    assert ref is not None
    assert (ref.type, ref.title, ref.container_title, ref.volume, ref.issue, ref.page, ref.year) == (
        "article-journal", "Exile politics", "Journal of Studies", "12", "3", "45–67", 2001)
    assert ref.author[0].family == "Smith"


@pytest.mark.skipif(not tagger.available(), reason="model file not built (python -m biblio.parse.tagger)")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Bergk, V., Haefeli, W. E. & Gasse, C. Information deficits in product summaries. "
            "European Journal of Clinical Pharmacology 61, 327–335 (2005).",
            {"container_title": "European Journal of Clinical Pharmacology", "volume": "61", "page": "327–335",
             "year": 2005, "families": ["Bergk", "Haefeli", "Gasse"]},
            id="nature-style-article",
        ),
        pytest.param(
            "O. Ambacher, B. Foutz, and J. Smart, J. Appl. Phys. 87, 334 (2000).",
            {"container_title": "J. Appl. Phys", "volume": "87", "year": 2000,
             "families": ["Ambacher", "Foutz", "Smart"]},
            id="physics-short-form",
        ),
        pytest.param(
            "Schorske, Carl. Fin-de-Siècle Vienna. New York: Vintage Books, 1981.",
            {"type": "book", "title": "Fin-de-Siècle Vienna", "publisher": "Vintage Books",
             "publisher_place": "New York", "year": 1981},
            id="chicago-book",
        ),
    ],
)
def test_model_parses_common_styles(text: str, expected: dict) -> None:
    ref = tagger.parse(text)
    assert ref is not None
    for name, value in expected.items():
        if name == "families":
            assert [n.family for n in ref.author] == value
        elif name == "year":
            assert ref.year == value
        else:
            assert getattr(ref, name) == value, name


@pytest.mark.parametrize(
    ("token", "feature"),
    [
        pytest.param("Press,", "w=press", id="word-itself"),
        pytest.param("Khomeini's", "possessive", id="possessive"),
        pytest.param("Lett.", "w=lett", id="abbreviated-journal-word"),
        pytest.param("(eds.)", "editor-word", id="editor-word"),
    ],
)
def test_token_features_name_the_word(token: str, feature: str) -> None:
    assert feature in features.token_features(token)


def test_neighbours_keep_only_their_telling_features() -> None:
    rows = features.sequence_features(["Smith,", "Press,", "1999."])
    middle = rows[1]
    assert "-1:w=smith" in middle and "1:year" in middle
    assert not any(f.startswith("-1:publisher-word") for f in rows[2])  # lexicon flags stay with the token


def test_training_reads_generated_and_real_strings(tmp_path) -> None:
    labelled = tmp_path / "real.xml"
    labelled.write_text(
        "<dataset><sequence><author>Hiro, Dilip.</author><date>(1991).</date><title>The Longest War.</title>"
        "<location>London:</location><publisher>Grafton.</publisher></sequence></dataset>",
        encoding="utf-8",
    )
    model = tmp_path / "m.crfsuite"
    assert tagger.train(40, model, iterations=5, real=[labelled]) == 1
    labels = tagger.tag("Hiro, Dilip. (1991). The Longest War. London: Grafton.".split(), model)
    assert len(labels) == 8 and set(labels) <= {"author", "date", "title", "location", "publisher", "other",
                                                "container-title", "editor", "pages", "volume", "note",
                                                "citation-number", "issue", "url", "doi", "genre", "edition"}
