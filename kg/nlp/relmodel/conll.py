"""CoNLL04 with the gold entities given: what the relation model alone scores."""

from __future__ import annotations

from typing import Any

from kg.errors import ConfigError
from kg.evaluation.conll04 import MAPPING, Key, doc_name, entity_key
from kg.nlp.relmodel.apply import relation_model
from kg.settings import Settings


def predict_gold_entities(
    split: list[dict[str, Any]], settings: Settings
) -> dict[str, dict[Key, set[Any]]]:
    """Each sentence's predicted relations between its gold entities (strict keys)."""
    from kg.nlp import build_nlp
    from kg.nlp.relmodel.data import conll04_sentences
    from kg.nlp.relmodel.features import pair_features

    if not settings.relations_model:
        raise ConfigError("--gold-entities needs a relation model (--relations-model DIR)")
    model = relation_model(settings.relations_model)
    out: dict[str, dict[Key, set[Any]]] = {}
    parsed = conll04_sentences(split, build_nlp(settings.model))
    for n, (raw, s) in enumerate(zip(split, parsed, strict=True)):
        best: dict[tuple[int, int], tuple[float, int, int, str]] = {}
        for i, a in enumerate(s.ents):
            for j, b in enumerate(s.ents):
                if i == j:
                    continue
                label, p = model.best(pair_features(s.doc, a, b, s.ents), f"{a.kind}>{b.kind}")
                pair = (min(i, j), max(i, j))
                if p >= model.threshold and label in MAPPING and p > best.get(pair, (0.0,))[0]:
                    best[pair] = (p, i, j, label)
        # one relation per pair of entities, in the likelier direction (as CoNLL04 has)
        for _p, i, j, label in best.values():
            rel = MAPPING[label]
            key = (entity_key(raw, i), rel, entity_key(raw, j))
            out.setdefault(doc_name(n), {}).setdefault(key, set()).add((i, rel, j))
    return out
