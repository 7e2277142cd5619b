"""The model's predictions: relations between the entity pairs of each sentence.

Proposals are :class:`~kg.records.Relation` records like the rules': the
modality and the source come from :func:`kg.nlp.modality.assess` on the
word that joins the two mentions in the parse (their lowest common head),
the evidence is the sentence. Where a rule found the same fact in the same
sentence and the model's probability reaches its threshold, the two
confidences combine as independent evidence (1 - (1 - c_rule)(1 - p_model))
and the rule name records both; where only the model did, the confidence is
its calibrated probability and the rule name is ``model:<name>``.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from kg.errors import ConfigError
from kg.evaluation.conll04 import MAPPING, Key, doc_name, entity_key
from kg.gazetteer import Gazetteer
from kg.nlp.coref import Mentions
from kg.nlp.entities import Found
from kg.nlp.modality import assess
from kg.nlp.relations.core import fits
from kg.nlp.relmodel.features import COARSE, Ent, dep_path, pair_features
from kg.nlp.relmodel.model import RelationModel, load_model
from kg.records import Extraction, Relation
from kg.resources import data_path
from kg.settings import Settings

#: The name that picks the model shipped inside the package.
DEFAULT = "default"


@functools.cache
def relation_model(name: str) -> RelationModel:
    """The model folder ``name`` (``default``: the shipped one), loaded once per process."""
    if name == DEFAULT:
        folder = Path(str(data_path("relmodel")))
        if not (folder / "model.json").is_file():
            raise ConfigError("no relation model is shipped with this installation")
        return load_model(folder)
    if not Path(name).is_dir():
        raise ConfigError(f"{name}: no such relation model folder (make one with `kg train`)")
    return load_model(name)


def with_model(doc: Doc, ex: Extraction, model: RelationModel, gaz: Gazetteer) -> Extraction:
    """An article's records with the model's relations between its mentions in ``doc``
    (names and classes as the entity stage gave them; metadata and demonyms left out)."""
    found: dict[tuple[int, int], Found] = {}
    for m in ex.mentions:
        span = doc.char_span(m.start, m.end) if m.start >= 0 else None
        if span is not None and m.rule != "demonym":
            key = (span.start, span.end)
            found.setdefault(key, Found(span.start, span.end, m.cls, m.canonical_hint, m.rule))
    entities = sorted(found.values(), key=lambda f: (f.start, f.end))
    relations = model_relations(doc, entities, gaz, list(ex.relations), model)
    return dataclasses.replace(ex, relations=tuple(relations))


def model_relations(
    doc: Doc,
    entities: list[Found],
    gaz: Gazetteer,
    rules: list[Relation],
    model: RelationModel,
) -> list[Relation]:
    """``rules`` with the model's confidence folded in, then the model's own proposals."""
    by_key = {(r.subject, r.predicate, r.obj, r.evidence): k for k, r in enumerate(rules)}
    out = list(rules)
    boosted: set[int] = set()
    mentions: Mentions | None = None
    name = model.info.get("name", "relations")
    for sent in doc.sents:
        mine = [f for f in entities if sent.start <= f.start < sent.end and f.cls in COARSE]
        if len(mine) < 2:
            continue
        ents = [Ent(f.start, f.end, COARSE[f.cls]) for f in mine]
        evidence = " ".join(sent.text.split())
        for i, fa in enumerate(mine):
            for j, fb in enumerate(mine):
                if i == j or fa.name == fb.name or (fa.start, fa.end) == (fb.start, fb.end):
                    continue
                a, b = ents[i], ents[j]
                label, p = model.best(pair_features(doc, a, b, ents), f"{a.kind}>{b.kind}")
                if p < model.threshold or not fits(label, fa.cls, fb.cls):
                    continue
                k = by_key.get((fa.name, label, fb.name, evidence))
                if k is not None and (k >= len(rules) or k in boosted):
                    continue  # counted already (the same names twice in the sentence)
                if k is not None:
                    boosted.add(k)
                    r = out[k]
                    both = 1 - (1 - r.confidence) * (1 - p)
                    out[k] = dataclasses.replace(
                        r, confidence=round(min(both, 0.99), 2), rule=f"{r.rule}+model:{name}"
                    )
                    continue
                if mentions is None:
                    mentions = Mentions(doc, entities, gaz)
                path = dep_path(doc[fa.start : fa.end].root, doc[fb.start : fb.end].root)
                trigger = path[1] if path else doc[fa.start : fa.end].root
                reading = assess(trigger, mentions)
                by_key[(fa.name, label, fb.name, evidence)] = len(out)
                out.append(
                    Relation(
                        fa.name,
                        fa.cls,
                        label,
                        fb.name,
                        fb.cls,
                        evidence,
                        modality=reading.modality,
                        confidence=round(min(p, 0.99), 2),
                        attributed_to=reading.source.name if reading.source else None,
                        attributed_cls=reading.source.cls if reading.source else None,
                        rule=f"model:{name}",
                    )
                )
    return out


# --- CoNLL04: the model alone, on the gold entities or on its own entity component's


def predict_conll04(
    split: list[dict[str, Any]], settings: Settings, *, gold_entities: bool
) -> dict[str, dict[Key, set[Any]]]:
    """Each sentence's predicted relations (strict keys) between its gold entities (parsed
    from the split's tokens), or else between the entities that the model folder's
    entity component finds in the sentence's text."""
    from kg.evaluation.conll04 import detok
    from kg.evaluation.gold import norm
    from kg.nlp import build_nlp
    from kg.nlp.relmodel.data import conll04_sentences
    from kg.nlp.relmodel.ner import entity_model, find_entities

    if not settings.relations_model:
        raise ConfigError("--gold-entities needs a relation model (--relations-model DIR)")
    model = relation_model(settings.relations_model)
    nlp = build_nlp(settings.model)
    out: dict[str, dict[Key, set[Any]]] = {}
    if gold_entities:
        for n, (raw, s) in enumerate(zip(split, conll04_sentences(split, nlp), strict=True)):
            keys = [entity_key(raw, i) for i in range(len(s.ents))]
            _one_per_pair(out.setdefault(doc_name(n), {}), s.doc, s.ents, keys, model)
        return out
    ner = entity_model(settings.relations_model)
    if not ner:
        raise ConfigError(f"{settings.relations_model}: has no entity component (ner/)")
    for n, doc in enumerate(nlp.pipe(detok(s["tokens"]) for s in split)):
        found = [f for f in find_entities(ner, doc) if f[2] in COARSE]
        ents = [Ent(a, b, COARSE[label]) for a, b, label, _share in found]
        keys = [(norm(doc[a:b].text), label) for a, b, label, _share in found]
        # the model's probability times the share of entity components behind each end
        # (CoNLL04 dev, end to end: 0.637 → 0.643)
        shares = [share for _a, _b, _label, share in found]
        _one_per_pair(out.setdefault(doc_name(n), {}), doc, ents, keys, model, shares)
    return out


def _one_per_pair(
    out: dict[Key, set[Any]],
    doc: Doc,
    ents: list[Ent],
    keys: list[tuple[str, str]],
    model: RelationModel,
    shares: list[float] | None = None,
) -> None:
    """One relation per pair of entities, in the likelier direction (as CoNLL04 has);
    ``shares`` weigh the probabilities by how sure each entity is."""
    best: dict[tuple[int, int], tuple[float, int, int, str]] = {}
    for i, a in enumerate(ents):
        for j, b in enumerate(ents):
            if i == j:
                continue
            label, p = model.best(pair_features(doc, a, b, ents), f"{a.kind}>{b.kind}")
            if shares is not None:
                p *= shares[i] * shares[j]
            pair = (min(i, j), max(i, j))
            if p >= model.threshold and label in MAPPING and p > best.get(pair, (0.0,))[0]:
                best[pair] = (p, i, j, label)
    for _p, i, j, label in best.values():
        rel = MAPPING[label]
        out.setdefault((keys[i], rel, keys[j]), set()).add((i, rel, j))
