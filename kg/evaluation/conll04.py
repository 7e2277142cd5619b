"""Scoring on the CoNLL04 benchmark, strictly, by the rules of shared/tools/conll04-score.

A predicted relation is right when its relation type and both entities'
names and types are (the "strict" setting of the published results). Each
sentence is one article (``NNNN.txt``); predictions are read from the
graph's ``kg:Statement`` nodes (Negated ones left out), or given directly
(the gold-entities mode of kg.nlp.relmodel).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.errors import InputError
from kg.evaluation.gold import norm, short
from kg.vocab import KG, SCHEMA

#: Contract property → CoNLL04 relation type.
MAPPING = {
    "schema:worksFor": "Work_For",
    "kg:leaderOf": "Work_For",
    "schema:memberOf": "Work_For",
    "schema:location": "OrgBased_In",
    "kg:hasOfficeIn": "OrgBased_In",
    "schema:containedInPlace": "Located_In",
    "schema:homeLocation": "Live_In",
    "kg:killed": "Kill",
}
#: CoNLL04 relation type → the contract property a model learns for it.
PROPERTY = {
    "Work_For": "schema:worksFor",
    "OrgBased_In": "schema:location",
    "Located_In": "schema:containedInPlace",
    "Live_In": "schema:homeLocation",
    "Kill": "kg:killed",
}
#: kg class → CoNLL04 entity type.
CLASS_TYPES = {
    "Person": "Peop",
    "Organization": "Org",
    "Country": "Loc",
    "Place": "Loc",
    "Event": "Other",
    "Agreement": "Other",
}
_CLASS_IRIS = {
    str(SCHEMA.Person): "Peop",
    str(SCHEMA.Organization): "Org",
    str(SCHEMA.Country): "Loc",
    str(SCHEMA.Place): "Loc",
    str(SCHEMA.Event): "Other",
    str(KG.Agreement): "Other",
}

Key = tuple[tuple[str, str], str, tuple[str, str]]


def detok(tokens: list[str]) -> str:
    """A sentence's text from its tokens, as conll04-score writes it."""
    text = " ".join(tokens)
    text = re.sub(r" ([,.;:!?%)\]'])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return text.replace(" n't", "n't").replace(" 's", "'s")


def doc_name(i: int) -> str:
    """The identifier of sentence ``i`` (its file name once prepared)."""
    return f"{i:04d}.txt"


def read_split(path: str | Path) -> list[dict[str, Any]]:
    """A CoNLL04 split in SpERT's JSON format; InputError when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot be read") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"not JSON ({exc})") from None
    ok = isinstance(data, list) and all(
        isinstance(s, dict) and {"tokens", "entities", "relations"} <= set(s) for s in data
    )
    if not ok or not data:
        raise InputError(str(path), "not a CoNLL04 split (a list of tokens/entities/relations)")
    return data


def prepare(split: list[dict[str, Any]], outdir: Path) -> list[Path]:
    """One text file per sentence, as conll04-score's ``prepare`` writes them."""
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, sent in enumerate(split):
        path = outdir / doc_name(i)
        path.write_text(detok(sent["tokens"]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def entity_key(sent: dict[str, Any], index: int, strict: bool = True) -> tuple[str, str]:
    """The folded name and (strict) type of a sentence's entity."""
    e = sent["entities"][index]
    return norm(detok(sent["tokens"][e["start"] : e["end"]])), e["type"] if strict else ""


def gold_relations(split: list[dict[str, Any]], strict: bool = True) -> dict[str, list[Key]]:
    """Each sentence's gold relations as (subject key, type, object key)."""
    return {
        doc_name(i): [
            (entity_key(s, r["head"], strict), r["type"], entity_key(s, r["tail"], strict))
            for r in s["relations"]
        ]
        for i, s in enumerate(split)
    }


def predicted_from_graph(graph: Graph, strict: bool = True) -> dict[str, dict[Key, set[Any]]]:
    """What each sentence's statements predict, under every name and type of their nodes."""
    names: dict[Node, set[str]] = {}
    for p in (RDFS.label, SKOS.altLabel):
        for s, o in graph.subject_objects(p):
            names.setdefault(s, set()).add(norm(o))
    types: dict[Node, set[str]] = {}
    for s, c in graph.subject_objects(RDF.type):
        if str(c) in _CLASS_IRIS:
            types.setdefault(s, set()).add(_CLASS_IRIS[str(c)] if strict else "")
    pred: dict[str, dict[Key, set[Any]]] = {}
    for st in graph.subjects(RDF.type, KG.Statement):
        if graph.value(st, KG.modality) == KG.Negated:
            continue
        rel = MAPPING.get(short(graph.value(st, RDF.predicate) or RDF.nil))
        art = graph.value(st, PROV.wasDerivedFrom)
        ident = graph.value(art, SCHEMA.identifier) if art is not None else None
        if rel is None or ident is None:
            continue
        s, o = graph.value(st, RDF.subject), graph.value(st, RDF.object)
        key = (s, rel, o)
        for sn in names.get(s, ()):
            for st_ in types.get(s, ()) if strict else ("",):
                for on in names.get(o, ()):
                    for ot in types.get(o, ()) if strict else ("",):
                        slot = pred.setdefault(str(ident), {})
                        slot.setdefault(((sn, st_), rel, (on, ot)), set()).add(key)
    return pred


@dataclass
class ConllScore:
    """True and false positives and false negatives per relation type."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def row(self, t: str) -> dict[str, Any]:
        tp, fp, fn = self.tp[t], self.fp[t], self.fn[t]
        return _prf(tp, fp, fn)

    def types(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))

    def micro(self) -> dict[str, Any]:
        return _prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))

    def macro_f1(self) -> float:
        rows = [self.row(t)["f1"] for t in self.types()]
        return sum(rows) / len(rows) if rows else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "relations": {t: _rounded(self.row(t)) for t in self.types()},
            "micro": _rounded(self.micro()),
            "macro_f1": round(self.macro_f1(), 3),
        }


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def _rounded(row: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}


def score(
    gold: Mapping[str, list[Key]], predicted: Mapping[str, Mapping[Key, set[Any]]]
) -> ConllScore:
    """Strict scoring: a gold relation is found when a prediction has its exact key;
    every predicted relation that matches no gold one is a false positive (once)."""
    out = ConllScore()
    for doc, rels in gold.items():
        p = predicted.get(doc, {})
        matched: set[Any] = set()
        for rel in rels:
            if rel in p:
                out.tp[rel[1]] += 1
                matched |= p[rel]
            else:
                out.fn[rel[1]] += 1
        for key in {k for keys in p.values() for k in keys} - matched:
            out.fp[key[1]] += 1
    return out
