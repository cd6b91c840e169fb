"""The compiled decoder reads the shipped model itself and labels exactly as python-crfsuite does."""

from __future__ import annotations

import random
import shutil
import struct
import sysconfig
from pathlib import Path

import pycrfsuite
import pytest

from biblio.parse import crf, features, labelled, tagger
from biblio.parse.synth import examples

needs_model = pytest.mark.skipif(not tagger.available(), reason="model file not built (python -m biblio.parse.tagger)")
needs_extension = pytest.mark.skipif(crf._crf is None, reason="C extension biblio.parse._crf not built (no compiler)")


def _crfsuite_labels(tokens: list[str], path: Path = tagger.MODEL) -> list[str]:
    model = pycrfsuite.Tagger()
    model.open(str(path))
    return model.tag(features.sequence_features(tokens))


def test_extension_is_built_where_a_compiler_is() -> None:
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if not shutil.which(compiler):
        pytest.skip(f"no C compiler ({compiler}): python-crfsuite tags instead")
    assert crf._crf is not None, "setup.py builds biblio.parse._crf; reinstall with `pip install -e .`"


@needs_model
def test_model_reader_agrees_with_crfsuites_own_dump() -> None:
    """Labels, transitions and every state weight match what python-crfsuite reports (it prints 6 decimals)."""
    info = pycrfsuite.Tagger()
    info.open(str(tagger.MODEL))
    dump = info.info()
    model = crf.read(tagger.MODEL)
    assert list(model.labels) == sorted(dump.labels, key=lambda label: int(dump.labels[label]))
    width = len(model.labels)
    transitions = struct.unpack(f"<{width * width}d", model.transitions)
    for (source, target), weight in dump.transitions.items():
        at = model.labels.index(source) * width + model.labels.index(target)
        assert transitions[at] == pytest.approx(weight, abs=1e-6)
    roles = {prefix: role for role, prefix in enumerate(crf._ROLES)}
    checked = 0
    for (attr, label), weight in dump.state_features.items():
        if attr.startswith(("pos=", "rel=", "periods=", "is-last", "after-", "in-quote")) or attr.endswith(":edge"):
            continue  # context and edge rows are laid out apart (next test)
        prefix, feature = ("", attr)
        if attr.startswith(crf._ROLES[1:]):
            head, _, feature = attr.partition(":")
            prefix = head + ":"
        block = struct.unpack(f"<{5 * width}d", model.blocks[feature])
        assert block[roles[prefix] * width + model.labels.index(label)] == pytest.approx(weight, abs=1e-6)
        checked += 1
    assert checked > 10_000


@needs_model
def test_context_and_edge_rows_hold_their_attributes() -> None:
    info = pycrfsuite.Tagger()
    info.open(str(tagger.MODEL))
    weights = info.info().state_features
    model = crf.read(tagger.MODEL)
    width = len(model.labels)
    context = struct.unpack(f"<{len(crf._CONTEXT) * width}d", model.context)
    edges = struct.unpack(f"<{4 * width}d", model.edges)
    for rows, names in ((context, crf._CONTEXT), (edges, crf._EDGES)):
        for row, name in enumerate(names):
            for col, label in enumerate(model.labels):
                assert rows[row * width + col] == pytest.approx(weights.get((name, label), 0.0), abs=1e-6), name


def _sequences() -> list[list[str]]:
    real = [tokens for path in tagger.training_files() for tokens, _ in labelled.read(path)]
    generated = [tokens for tokens, _ in examples(600, 4242)]
    edge_cases = [["x"], ["Smith,", "J."], ["“Quoted,”", "Title.", "2005."], ["(1999)."] * 3,
                  "“Open quote never closed, 1987. Press. pp. 1–9.".split()]
    return real + generated + edge_cases


@needs_model
@needs_extension
def test_compiled_decoder_labels_exactly_as_crfsuite() -> None:
    """Thousands of real and generated strings: every token gets crfsuite's label."""
    fast = crf.tagger(str(tagger.MODEL))
    sequences = _sequences()
    differing = [tokens for tokens in sequences if fast(tokens) != _crfsuite_labels(tokens)]
    assert len(sequences) > 3000
    assert differing == []


@needs_extension
def test_compiled_decoder_follows_a_freshly_trained_model(tmp_path: Path) -> None:
    model = tmp_path / "m.crfsuite"
    tagger.train(60, model, iterations=10, real=[])
    fast = crf.tagger(str(model))
    for tokens, _ in examples(40, 99):
        assert fast(tokens) == _crfsuite_labels(tokens, model)


@pytest.mark.parametrize(
    "content",
    [pytest.param(b"", id="empty"), pytest.param(b"not a model at all, just some bytes" * 3, id="text"),
     pytest.param(b"lCRF" + bytes(60), id="header-only")],
)
def test_reader_refuses_what_is_not_a_crfsuite_model(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.crfsuite"
    path.write_bytes(content)
    with pytest.raises(crf.ModelFormatError):
        crf.read(path)


@needs_extension
@pytest.mark.parametrize(
    ("call", "error"),
    [
        pytest.param(lambda c: c.score({"s=x": b"12"}, 2, "x"), ValueError, id="short-block"),
        pytest.param(lambda c: c.score({}, 0, "x"), ValueError, id="no-labels"),
        pytest.param(lambda c: c.decode(bytes(32), bytes(26 * 16), bytes(64), [(b"x", 0)]), TypeError,
                     id="bad-token-pair"),
        pytest.param(lambda c: c.decode(bytes(8), bytes(26 * 16), bytes(64), []), ValueError, id="tables-disagree"),
    ],
)
def test_compiled_functions_reject_malformed_input(call, error) -> None:
    crf._crf.configure(features._LEXICON, frozenset(features.CONNECTORS), features._EDITOR_WORDS,
                       frozenset(features.MARKERS))
    with pytest.raises(error):
        call(crf._crf)


def _tokens() -> set[str]:
    """Every token of the training data and of generated strings, plus seeded random Unicode."""
    tokens = {t for path in tagger.training_files() for seq, _ in labelled.read(path) for t in seq}
    tokens |= {t for seq, _ in examples(800, 17) for t in seq}
    rng = random.Random(2026)
    pool = [*"aAzZ019.,;:()[]“”\"‘’'«»-–—/_&?!", "ǅ", "İ", "ß", "²", "٣", "۵", "Ⅻ", "é", "É", "ſ", "\u212a",
            "\u0301", "ﬁ", "Σ", "ᾈ", "10.", "http", "www.", "'s", "’s", "1987", "2005a", "\u00a0", " ", "ed.",
            "Eds.", "J.", "A.B.", "al.", "pp.", "(ed.)", "Press"]
    tokens |= {"".join(rng.choice(pool) for _ in range(rng.randint(1, 8))) for _ in range(30_000)}
    return tokens


@needs_model
@needs_extension
def test_token_features_twin_computes_the_python_definition() -> None:
    """The C twin of features.token_features: the same tuple, in order, for every token tried."""
    crf.load(str(tagger.MODEL))  # configures the twin's word lists
    differing = [t for t in _tokens() if crf._crf.token_features(t) != features.token_features.__wrapped__(t)]
    assert differing == []


@needs_model
@needs_extension
@pytest.mark.parametrize(
    ("token", "flags"),
    [pytest.param("(2005).", 1 | 8, id="year-and-period"), pytest.param("“Exile", 2, id="open-quote"),
     pytest.param("War,”", 4, id="close-quote"), pytest.param("J.", 0, id="initial-is-no-period"),
     pytest.param("“One”.", 2 | 4 | 8, id="whole-quote"), pytest.param("Press", 0, id="plain-word")],
)
def test_score_is_token_features_summed_with_its_flags(token: str, flags: int) -> None:
    model = crf.load(str(tagger.MODEL))
    width = len(model.labels)
    block, got = crf._crf.score(model.blocks, width, token)
    assert got == flags
    rows = [struct.unpack(f"<{5 * width}d", model.blocks[f]) for f in features.token_features(token)
            if f in model.blocks]
    assert struct.unpack(f"<{5 * width}d", block) == pytest.approx([sum(col) for col in zip(*rows, strict=True)])


@needs_extension
def test_token_features_twin_refuses_an_empty_token() -> None:
    crf.load(str(tagger.MODEL))
    with pytest.raises(ValueError):
        crf._crf.token_features("")


@needs_extension
def test_decode_of_no_tokens_is_empty() -> None:
    assert crf._crf.decode(bytes(32), bytes(26 * 16), bytes(64), []) == []


@needs_model
def test_tagger_falls_back_to_crfsuite_when_switched_off() -> None:
    tokens = "Abrahamian, Ervand. The Iranian Mojahedin. New Haven: Yale University Press, 1989.".split()
    try:
        tagger.use_compiled(False)
        assert not tagger.compiled()
        slow = tagger.tag(tokens)
    finally:
        tagger.use_compiled(True)
    assert tagger.tag(tokens) == slow == _crfsuite_labels(tokens)
    assert "publisher" in slow and "title" in slow


def test_without_the_extension_the_tagger_is_python_crfsuite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crf, "_crf", None)
    crf.load.cache_clear()
    tagger._fast.cache_clear()
    try:
        assert crf.tagger(str(tagger.MODEL)) is None
        if tagger.available():
            assert not tagger.compiled()
            tokens = "Hiro, Dilip. The Longest War. London: Grafton, 1989.".split()
            assert tagger.tag(tokens) == _crfsuite_labels(tokens)
    finally:
        monkeypatch.undo()
        crf.load.cache_clear()
        tagger._fast.cache_clear()
