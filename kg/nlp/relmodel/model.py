"""The relation classifier: multinomial logistic regression over sparse binary features.

Weights live in a model folder as ``model.json`` (labels, threshold,
temperature, allowed type pairs, provenance), ``features.json.gz`` (the
feature names) and ``weights.npz`` (a float32 matrix): plain data, never pickle, so loading
a model runs no code. Training is full-batch Adam on the mean
cross-entropy plus an L2 penalty: no random order, so the same data give
the same weights.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import ConfigError

NONE = "NONE"
FORMAT = "kg-relation-model/1"


@dataclass
class RelationModel:
    """Labels (``NONE`` first), feature names, weights and the decision settings."""

    labels: list[str]
    features: list[str]
    weights: np.ndarray  # (features, labels)
    bias: np.ndarray  # (labels,)
    threshold: float = 0.5
    temperature: float = 1.0
    #: "PER>ORG" → the labels seen with that pair of types in training
    allowed: dict[str, list[str]] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    #: the labels it proposes (empty: all); the others still shape its probabilities
    emit: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.index = {f: i for i, f in enumerate(self.features)}
        self._masks: dict[str, np.ndarray] = {}
        self._emit = np.array(
            [k > 0 and (not self.emit or lab in self.emit) for k, lab in enumerate(self.labels)]
        )

    def mask(self, types: str) -> np.ndarray:
        """0 for the labels allowed between these types, -inf for the others."""
        if types not in self._masks:
            ok = {NONE, *self.allowed.get(types, [])}
            self._masks[types] = np.array(
                [0.0 if lab in ok else -np.inf for lab in self.labels], dtype=np.float64
            )
        return self._masks[types]

    def proba(self, feats: Sequence[str], types: str) -> np.ndarray:
        """Calibrated label probabilities for one pair's features."""
        rows = [self.index[f] for f in feats if f in self.index]
        z = self.bias.astype(np.float64) + self.weights[rows].sum(axis=0, dtype=np.float64)
        z = z / self.temperature + self.mask(types)
        z -= z.max()
        e = np.exp(z)
        return e / e.sum()

    def best(self, feats: Sequence[str], types: str) -> tuple[str, float]:
        """The most probable label it proposes (never NONE), and its probability."""
        p = self.proba(feats, types)
        k = int(np.argmax(np.where(self._emit, p, -1.0)))
        return self.labels[k], float(p[k])

    def save(self, folder: Path) -> None:
        """model.json (settings), features.json.gz (names) and weights.npz (numbers)."""
        folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": FORMAT,
            "labels": self.labels,
            "threshold": self.threshold,
            "temperature": self.temperature,
            "allowed": self.allowed,
            "emit": self.emit,
            "info": self.info,
        }
        (folder / "model.json").write_text(
            json.dumps(meta, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
            encoding="utf-8",
        )
        names = json.dumps(self.features, ensure_ascii=False).encode("utf-8")
        # mtime 0: the same model gives the same bytes
        with (
            (folder / "features.json.gz").open("wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz,
        ):
            gz.write(names)
        with (folder / "weights.npz").open("wb") as fh:
            np.savez_compressed(fh, weights=self.weights.astype(np.float32), bias=self.bias)


def load_model(folder: str | Path) -> RelationModel:
    """A model folder written by ``kg train`` (ConfigError if it is not one)."""
    path = Path(folder)
    try:
        meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
        with gzip.open(path / "features.json.gz", "rb") as fh:
            meta["features"] = json.loads(fh.read().decode("utf-8"))
        with np.load(path / "weights.npz", allow_pickle=False) as data:
            weights, bias = data["weights"], data["bias"]
    except (OSError, ValueError, KeyError, EOFError) as exc:
        raise ConfigError(f"{folder}: not a relation model folder ({exc})") from None
    if meta.get("format") != FORMAT or weights.shape != (
        len(meta["features"]),
        len(meta["labels"]),
    ):
        raise ConfigError(f"{folder}: not a {FORMAT} model (wrong format or shapes)")
    return RelationModel(
        meta["labels"],
        meta["features"],
        weights,
        bias,
        threshold=float(meta["threshold"]),
        temperature=float(meta["temperature"]),
        allowed=meta["allowed"],
        info=meta.get("info", {}),
        emit=meta.get("emit", []),
    )


@dataclass
class Design:
    """Examples as a sparse binary matrix: row i has columns ``cols[ptr[i]:ptr[i+1]]``."""

    rows: np.ndarray
    cols: np.ndarray
    y: np.ndarray
    n: int


def design(
    examples: Sequence[tuple[list[str], str]], index: dict[str, int], labels: list[str]
) -> Design:
    """Rows and columns of the known features of each example, and its label's number."""
    lab = {name: k for k, name in enumerate(labels)}
    rows, cols, y = [], [], []
    for i, (feats, label) in enumerate(examples):
        for c in sorted({index[f] for f in feats if f in index}):
            rows.append(i)
            cols.append(c)
        y.append(lab[label])
    return Design(
        np.array(rows, dtype=np.int64),
        np.array(cols, dtype=np.int64),
        np.array(y, dtype=np.int64),
        len(examples),
    )


def _logits(d: Design, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    z = np.empty((d.n, w.shape[1]))
    for k in range(w.shape[1]):
        z[:, k] = np.bincount(d.rows, weights=w[d.cols, k], minlength=d.n) + b[k]
    return z


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit(
    d: Design,
    n_features: int,
    n_labels: int,
    *,
    l2: float = 1e-4,
    epochs: int = 150,
    rate: float = 0.05,
) -> tuple[np.ndarray, np.ndarray]:
    """Weights and biases minimising mean cross-entropy + l2/2·|W|² (full-batch Adam)."""
    w = np.zeros((n_features, n_labels))
    b = np.zeros(n_labels)
    mw, vw, mb, vb = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    onehot = np.zeros((d.n, n_labels))
    onehot[np.arange(d.n), d.y] = 1.0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        g = (softmax(_logits(d, w, b)) - onehot) / d.n
        gw = np.empty_like(w)
        for k in range(n_labels):
            gw[:, k] = np.bincount(d.cols, weights=g[d.rows, k], minlength=n_features)
        gw += l2 * w
        gb = g.sum(axis=0)
        for p, gr, m, v in ((w, gw, mw, vw), (b, gb, mb, vb)):
            m *= beta1
            m += (1 - beta1) * gr
            v *= beta2
            v += (1 - beta2) * gr * gr
            p -= rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)
    return w, b


def predict(d: Design, w: np.ndarray, b: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Label probabilities of every example (without type masks)."""
    return softmax(_logits(d, w, b) / temperature)


def fit_temperature(z: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises held-out cross-entropy (a grid search, deterministic)."""
    best, best_t = math.inf, 1.0
    for t in np.arange(0.5, 3.01, 0.05):
        p = softmax(z / t)
        nll = -float(np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))
        if nll < best:
            best, best_t = nll, float(round(t, 2))
    return best_t


def save_atomic(model: RelationModel, folder: str | Path, entities: Sequence[Any] = ()) -> None:
    """Write the model (and ``entities``, spaCy pipelines, into its ``ner/``) into a hidden
    folder beside ``folder``, then swap it in: an interrupted run leaves the previous
    model (or none), never half of one."""
    import shutil
    import tempfile

    target = Path(folder)
    if (
        target.exists()
        and not (target / "model.json").is_file()
        and (not target.is_dir() or any(target.iterdir()))
    ):
        raise ConfigError(f"{folder}: exists and is not a relation model folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        model.save(tmp)
        if entities:
            from kg.nlp.relmodel.ner import save_members

            save_members(entities, tmp)
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
