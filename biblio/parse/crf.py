"""The shipped CRF's weights read from its file, and tagging with the compiled decoder (``_crf``).

python-crfsuite is the model of record: it trains the model and tags when the small C extension
``biblio.parse._crf`` is not built. Its tagging cost is converting about forty attribute strings per
token into model ids on every call, more than the rest of a reference's parse. A reference's
features are sums over its tokens (:mod:`biblio.parse.features`: each token's own features, the
same few kept features of each of the four neighbours, and its place in the string), so each
distinct token is scored once, as itself and as each neighbour, and cached; a reference then costs
one C call. The decoder computes exactly what crfsuite computes (``tests/test_crf.py`` compares the
labels of thousands of strings).

The weights are read from the model file itself (crfsuite's ``lCRF``/``FOMC`` layout: a header, a
``FEAT`` chunk of (type, source, target, weight) records and ``CQDB`` string tables for labels and
attributes), so there is no second artefact to keep in step with the model.
"""

from __future__ import annotations

import functools
import struct
from array import array
from dataclasses import dataclass
from pathlib import Path

from biblio.parse import features

try:
    from biblio.parse import _crf
except ImportError:  # no C compiler when installed: python-crfsuite tags instead (same labels, slower)
    _crf = None

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_FEATURE = struct.Struct("<IIId")
_CONTEXT = (*(f"pos={i}" for i in range(7)), *(f"rel={i}" for i in range(10)), "is-last", "after-year",
            "after-quote", "in-quote", *(f"periods={i}" for i in range(5)))
_EDGES = ("-2:edge", "-1:edge", "1:edge", "2:edge")
_ROLES = ("", "-2:", "-1:", "1:", "2:")  # a token as itself, then as each neighbour (features.sequence_features)


class ModelFormatError(ValueError):
    """The file is not a crfsuite first-order CRF model this reader understands."""


def _strings(data: bytes, offset: int) -> list[str]:
    """A CQDB table's strings by id (its backward array: id -> record of id, size, bytes)."""
    chunk, _size, _flag, _order, count, backward = struct.unpack_from("<4sIIIII", data, offset)
    if chunk != b"CQDB":
        raise ModelFormatError("string table not found")
    out = [""] * count
    for entry in struct.unpack_from(f"<{count}I", data, offset + backward):
        ident, size = struct.unpack_from("<II", data, offset + entry)
        out[ident] = data[offset + entry + 8: offset + entry + 8 + size].rstrip(b"\0").decode("utf-8")
    return out


@dataclass(frozen=True)
class Model:
    """Everything the decoder needs, laid out as C doubles."""

    labels: tuple[str, ...]
    blocks: dict[str, bytes]  # token feature -> its weight rows as the token itself and as each neighbour
    transitions: bytes  # [previous][next]
    context: bytes  # the rows of _CONTEXT, zero where the model has no such attribute
    edges: bytes  # the rows of _EDGES


def read(path: Path) -> Model:
    data = Path(path).read_bytes()
    if len(data) < _HEADER.size:
        raise ModelFormatError("file too short")
    (magic, _size, kind, _version, _features, n_labels, _n_attrs, off_features, off_labels, off_attrs,
     _labelrefs, _attrrefs) = _HEADER.unpack_from(data, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ModelFormatError("not a crfsuite first-order model")
    labels = _strings(data, off_labels)
    attrs = _strings(data, off_attrs)
    chunk, _chunk_size, count = struct.unpack_from("<4sII", data, off_features)
    if chunk != b"FEAT" or len(labels) != n_labels:
        raise ModelFormatError("feature table not found")
    width = len(labels)
    weights = array("d", bytes(8 * width * len(attrs)))
    transitions = array("d", bytes(8 * width * width))
    for kind_, source, target, weight in _FEATURE.iter_unpack(data[off_features + 12: off_features + 12
                                                                    + count * _FEATURE.size]):
        if kind_ == 0:
            weights[source * width + target] = weight
        else:
            transitions[source * width + target] = weight
    index = {a: i for i, a in enumerate(attrs)}

    def rows(names: tuple[str, ...]) -> bytes:
        out = array("d")
        for name in names:
            at = index.get(name)
            out.extend(weights[at * width:(at + 1) * width] if at is not None else [0.0] * width)
        return out.tobytes()

    # a neighbour's attributes are its kept features with a prefix ("-1:s=Xx,"); own ones have none:
    # each feature's block holds its rows as the token itself and as each neighbour, zero where absent
    slot: dict[str, int] = {}
    placed: list[tuple[int, int, int]] = []  # (feature slot, role, attribute id)
    for ident, attr in enumerate(attrs):
        role = 0
        if attr.startswith(_ROLES[1:]):
            prefix, _, attr = attr.partition(":")
            role = _ROLES.index(prefix + ":")
        placed.append((slot.setdefault(attr, len(slot)), role, ident))
    table = array("d", bytes(8 * 5 * width * len(slot)))
    for at, role, ident in placed:
        start = (at * 5 + role) * width
        table[start:start + width] = weights[ident * width:(ident + 1) * width]
    view = memoryview(table.tobytes())
    size = 8 * 5 * width
    blocks = {feature: view[at * size:(at + 1) * size].tobytes() for feature, at in slot.items()}
    return Model(tuple(labels), blocks, transitions.tobytes(), rows(_CONTEXT), rows(_EDGES))


@functools.cache
def load(path: str) -> Model | None:
    """The model for the compiled decoder, or ``None`` when the extension is not built."""
    if _crf is None:
        return None
    _crf.configure(features._LEXICON, frozenset(features.CONNECTORS), features._EDITOR_WORDS,
                   frozenset(features.MARKERS))
    return read(Path(path))


def tagger(path: str) -> Tagger | None:
    """Tokens -> labels with the compiled decoder, or ``None`` to use python-crfsuite."""
    model = load(path)
    return Tagger(model) if model is not None else None


class Tagger:
    """The model with a cache of scored tokens (a token is described and scored once per process)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        # _crf.score is features.token_features and the block sum in one C call
        self.score = functools.lru_cache(maxsize=200_000)(functools.partial(_crf.score, model.blocks,
                                                                            len(model.labels)))

    def __call__(self, tokens: list[str]) -> list[str]:
        model, score = self.model, self.score
        labels = model.labels
        return [labels[i] for i in _crf.decode(model.transitions, model.context, model.edges,
                                               [score(t) for t in tokens])]

    def forget(self) -> None:
        """Drop the scored tokens (benchmarks time cold runs)."""
        self.score.cache_clear()
