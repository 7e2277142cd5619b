"""`kg train`: training sets → a relation model folder (deterministic for a seed)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kg.nlp.relmodel.data import Sentence
from kg.nlp.relmodel.features import pair_features
from kg.nlp.relmodel.model import (
    NONE,
    RelationModel,
    design,
    fit,
    fit_temperature,
    predict,
    softmax,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Example:
    """One ordered pair of mentions: its features, label, types and sentence number."""

    feats: list[str]
    label: str
    types: str
    group: int


@dataclass(frozen=True, slots=True)
class Source:
    """A training set: ``kind`` is conll04, redocred or gold (with the texts' folder)."""

    kind: str
    path: str
    texts: str | None = None


def examples(sentences: Iterable[Sentence]) -> list[Example]:
    """Every ordered pair of distinct mentions of every sentence, as examples."""
    out = []
    for g, s in enumerate(sentences):
        for i, a in enumerate(s.ents):
            for j, b in enumerate(s.ents):
                if i == j or (i, j) in s.skip or (a.start, a.end) == (b.start, b.end):
                    continue
                feats = pair_features(s.doc, a, b, s.ents)
                out.append(Example(feats, s.labels.get((i, j), NONE), f"{a.kind}>{b.kind}", g))
    return out


def read_sources(sources: Sequence[Source], model: str) -> list[Sentence]:
    """Parse every training set with the spaCy pipeline ``model``."""
    from kg.nlp import build_nlp
    from kg.nlp.relmodel import data

    nlp = build_nlp(model)
    out: list[Sentence] = []
    for src in sources:
        if src.kind == "conll04":
            out += data.conll04_sentences(data.read_conll04(src.path), nlp)
        elif src.kind == "redocred":
            out += data.redocred_sentences(data.read_redocred(src.path), nlp)
        else:
            out += data.gold_sentences(src.path, src.texts or "", nlp)
        logger.info("%s: %d sentences so far", src.path, len(out))
    return out


def train_entities(
    sources: Sequence[Source], *, model: str, seed: int = 0, epochs: int = 12, members: int = 3
) -> tuple[list[Any], dict[str, Any]]:
    """Entity components fine-tuned on the CoNLL04 sources' entities (kg.nlp.relmodel.ner),
    and what to record of them in the model's info."""
    from kg.nlp.relmodel.data import read_conll04
    from kg.nlp.relmodel.ner import train_members

    split = [s for src in sources if src.kind == "conll04" for s in read_conll04(src.path)]
    found = train_members(split, model=model, seed=seed, epochs=epochs, members=members)
    info = {
        "sentences": len(split),
        "epochs": epochs,
        "members": members,
        "labels": found[0].meta["kg_labels"],
        "from": f"{model} ner",
    }
    return found, info


def _scores(probs: np.ndarray, gold: np.ndarray, threshold: float) -> tuple[float, float, float]:
    k = probs[:, 1:].argmax(axis=1) + 1
    p = probs[np.arange(len(k)), k]
    pred = np.where(p >= threshold, k, 0)
    tp = int(np.sum((pred == gold) & (gold > 0)))
    n_pred, n_gold = int(np.sum(pred > 0)), int(np.sum(gold > 0))
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def choose_threshold(
    probs: np.ndarray, gold: np.ndarray, min_precision: float | None
) -> tuple[float, tuple[float, float, float]]:
    """The threshold with the best F1 on held-out pairs, or (``min_precision``) the
    lowest one whose precision reaches it: precision first."""
    best_t, best = 0.5, (0.0, 0.0, -1.0)
    for t in np.arange(0.2, 0.96, 0.05):
        s = _scores(probs, gold, float(t))
        if min_precision is not None:
            if s[0] >= min_precision and s[1] > 0:
                return float(round(t, 2)), s
        elif s[2] > best[2]:
            best_t, best = float(round(t, 2)), s
    if min_precision is not None:
        return 0.95, _scores(probs, gold, 0.95)
    return best_t, best


def train(
    sources: Sequence[Source],
    *,
    model: str,
    seed: int = 0,
    holdout: float = 0.1,
    min_count: int = 1,
    l2: float = 1e-4,
    epochs: int = 300,
    threshold: float | None = None,
    min_precision: float | None = None,
    name: str = "relations",
    refit: bool = False,
    properties: Sequence[str] = (),
    prune: float = 0.0,
    emit: Sequence[str] = (),
    folds: int = 0,
) -> RelationModel:
    """Fit a model on the sources; a seeded ``holdout`` share of sentences sets the
    temperature (calibration) and, unless given, the threshold; with ``refit`` the
    weights are then learnt again from every sentence. ``properties`` limits what
    the model learns (other labels count as no relation); ``prune`` drops the
    features whose weights all stay below it (a smaller model); ``emit`` limits
    what it proposes (the other labels still shape its probabilities). With
    ``folds`` > 1, cross-fitting replaces the held-out share: temperature and
    threshold come from every sentence's out-of-fold probabilities, and the
    model is then fit on all of them."""
    sentences = read_sources(sources, model)
    exs = examples(sentences)
    if properties:
        keep = set(properties)
        exs = [e if e.label in keep else Example(e.feats, NONE, e.types, e.group) for e in exs]
    rng = np.random.default_rng(seed)
    if folds > 1:
        return _cross_fit(
            exs,
            rng.integers(0, folds, len(sentences)),
            folds,
            sources,
            **{
                "model": model,
                "seed": seed,
                "min_count": min_count,
                "l2": l2,
                "epochs": epochs,
                "threshold": threshold,
                "min_precision": min_precision,
                "name": name,
                "prune": prune,
                "emit": emit,
            },
        )
    held = set(np.flatnonzero(rng.random(len(sentences)) < holdout).tolist())
    fit_ex = [e for e in exs if e.group not in held]
    dev_ex = [e for e in exs if e.group in held]
    counts = Counter(f for e in fit_ex for f in set(e.feats))
    features = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(features)}
    labels = [NONE, *sorted({e.label for e in exs} - {NONE})]
    allowed: dict[str, set[str]] = {}
    for e in fit_ex:
        if e.label != NONE:
            allowed.setdefault(e.types, set()).add(e.label)
    logger.info(
        "%d examples (%d positive), %d features, %d held out",
        len(fit_ex),
        sum(e.label != NONE for e in fit_ex),
        len(features),
        len(dev_ex),
    )
    d = design([(e.feats, e.label) for e in fit_ex], index, labels)
    w, b = fit(d, len(features), len(labels), l2=l2, epochs=epochs)
    result = RelationModel(
        labels,
        features,
        w.astype(np.float32),
        b,
        allowed={k: sorted(v) for k, v in sorted(allowed.items())},
        emit=sorted(emit),
    )
    info: dict[str, Any] = {
        "name": name,
        "sources": [f"{s.kind}:{Path(s.path).name}" for s in sources],
        "seed": seed,
        "spacy_model": model,
        "examples": len(fit_ex),
        "positives": sum(e.label != NONE for e in fit_ex),
        "held_out": len(dev_ex),
    }
    if dev_ex:
        dd = design([(e.feats, e.label) for e in dev_ex], index, labels)
        z = np.log(predict(dd, w, b) + 1e-12)
        z += np.stack([result.mask(e.types) for e in dev_ex])
        result.temperature = fit_temperature(np.where(np.isinf(z), -1e9, z), dd.y)
        probs = softmax(np.where(np.isinf(z), -1e9, z) / result.temperature)
        chosen, (p, r, f) = choose_threshold(probs, dd.y, min_precision)
        result.threshold = chosen if threshold is None else threshold
        if threshold is not None:
            p, r, f = _scores(probs, dd.y, threshold)
        info["held_out_scores"] = {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
        }
        if refit:
            # the held-out sentences have set temperature and threshold: now learn from them too
            every = design([(e.feats, e.label) for e in exs], index, labels)
            w, b = fit(every, len(features), len(labels), l2=l2, epochs=epochs)
            result.weights, result.bias = w.astype(np.float32), b
            for e in dev_ex:
                if e.label != NONE:
                    allowed.setdefault(e.types, set()).add(e.label)
            result.allowed = {k: sorted(v) for k, v in sorted(allowed.items())}
            info["examples"] = len(exs)
            info["positives"] = sum(e.label != NONE for e in exs)
    elif threshold is not None:
        result.threshold = threshold
    if prune > 0:
        kept = np.flatnonzero(np.abs(result.weights).max(axis=1) >= prune)
        result = RelationModel(
            labels,
            [features[i] for i in kept],
            result.weights[kept],
            result.bias,
            threshold=result.threshold,
            temperature=result.temperature,
            allowed=result.allowed,
            emit=result.emit,
        )
    info["features"] = len(result.features)
    info["threshold"] = result.threshold
    info["temperature"] = result.temperature
    result.info = info
    return result


def _allowed(exs: Sequence[Example]) -> dict[str, list[str]]:
    seen: dict[str, set[str]] = {}
    for e in exs:
        if e.label != NONE:
            seen.setdefault(e.types, set()).add(e.label)
    return {k: sorted(v) for k, v in sorted(seen.items())}


def _cross_fit(
    exs: list[Example],
    fold_of: np.ndarray,
    folds: int,
    sources: Sequence[Source],
    *,
    model: str,
    seed: int,
    min_count: int,
    l2: float,
    epochs: int,
    threshold: float | None,
    min_precision: float | None,
    name: str,
    prune: float,
    emit: Sequence[str],
) -> RelationModel:
    """Out-of-fold probabilities set temperature and threshold; then one fit on all."""
    counts = Counter(f for e in exs for f in set(e.feats))
    features = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(features)}
    labels = [NONE, *sorted({e.label for e in exs} - {NONE})]
    zs, ys = [], []
    for k in range(folds):
        train_part = [e for e in exs if fold_of[e.group] != k]
        test_part = [e for e in exs if fold_of[e.group] == k]
        if not test_part:
            continue
        w, b = fit(
            design([(e.feats, e.label) for e in train_part], index, labels),
            len(features),
            len(labels),
            l2=l2,
            epochs=epochs,
        )
        probe = RelationModel(labels, features, w, b, allowed=_allowed(train_part))
        dd = design([(e.feats, e.label) for e in test_part], index, labels)
        z = np.log(predict(dd, w, b) + 1e-12) + np.stack([probe.mask(e.types) for e in test_part])
        zs.append(np.where(np.isinf(z), -1e9, z))
        ys.append(dd.y)
        logger.info("fold %d of %d: %d pairs", k + 1, folds, len(test_part))
    z_all, y_all = np.concatenate(zs), np.concatenate(ys)
    temperature = fit_temperature(z_all, y_all)
    probs = softmax(z_all / temperature)
    chosen, (p, r, f) = choose_threshold(probs, y_all, min_precision)
    if threshold is not None:
        chosen, (p, r, f) = threshold, _scores(probs, y_all, threshold)
    w, b = fit(
        design([(e.feats, e.label) for e in exs], index, labels),
        len(features),
        len(labels),
        l2=l2,
        epochs=epochs,
    )
    result = RelationModel(
        labels,
        features,
        w.astype(np.float32),
        b,
        threshold=chosen,
        temperature=temperature,
        allowed=_allowed(exs),
        emit=sorted(emit),
    )
    if prune > 0:
        kept = np.flatnonzero(np.abs(result.weights).max(axis=1) >= prune)
        result = RelationModel(
            labels,
            [features[i] for i in kept],
            result.weights[kept],
            b,
            threshold=chosen,
            temperature=temperature,
            allowed=result.allowed,
            emit=result.emit,
        )
    result.info = {
        "name": name,
        "sources": [f"{s.kind}:{Path(s.path).name}" for s in sources],
        "seed": seed,
        "spacy_model": model,
        "examples": len(exs),
        "positives": sum(e.label != NONE for e in exs),
        "folds": folds,
        "out_of_fold_scores": {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)},
        "features": len(result.features),
        "threshold": chosen,
        "temperature": temperature,
    }
    return result
