"""Scoring a graph against a gold YAML file, by the rules of CONTRACT.md "How output is scored".

The rules are those of shared/tools/kg-score, ported (not imported), and
extended with a breakdown per property: names folded (case, NFKC, a leading
"the", punctuation, white space), a gold entity found when a node named by
one of its names carries its class or a subclass, a fact found as the plain
triple or a ``kg:Statement``, precision over the relations between gold
entities, provenance from each statement's evidence and article.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.errors import InputError
from kg.vocab import KG, SCHEMA

CLASSES = {
    "Person": SCHEMA.Person,
    "Organization": SCHEMA.Organization,
    "Country": SCHEMA.Country,
    "Place": SCHEMA.Place,
    "Event": SCHEMA.Event,
    "Agreement": KG.Agreement,
}
SYMMETRIC = frozenset({KG.partnerOf, KG.metWith})
#: The entity-to-entity properties whose precision is scored (as kg-score).
RELATIONS = frozenset(
    {
        KG.leaderOf,
        SCHEMA.memberOf,
        SCHEMA.worksFor,
        KG.partnerOf,
        KG.partyTo,
        KG.metWith,
        SCHEMA.parentOrganization,
        SCHEMA.founder,
        SCHEMA.homeLocation,
        KG.killed,
        KG.hasOfficeIn,
        KG.visited,
        KG.opposes,
        SCHEMA.location,
        SCHEMA.containedInPlace,
        SCHEMA.attendee,
    }
)
_PREFIXES = {"kg": str(KG), "schema": str(SCHEMA)}


def norm(text: object) -> str:
    """A name folded for matching: "The U.S." and "us" give the same string."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold().strip()
    folded = re.sub(r"^the\s+", "", folded)
    folded = re.sub(r"[^\w\s]", "", folded)
    return re.sub(r"\s+", " ", folded).strip()


def curie(term: str) -> URIRef:
    """``kg:leaderOf`` → its IRI."""
    prefix, local = term.split(":", 1)
    return URIRef(_PREFIXES[prefix] + local)


def short(iri: Node) -> str:
    """The IRI of a contract property as ``kg:…`` / ``schema:…``."""
    for prefix, ns in _PREFIXES.items():
        if str(iri).startswith(ns):
            return f"{prefix}:{str(iri)[len(ns) :]}"
    return str(iri)


def load_gold(path: str | Path) -> dict[str, Any]:
    """A gold file (shared/gold format), checked enough to score with; InputError otherwise."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot be read") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(str(path), f"not a YAML gold file ({first})") from None
    if not isinstance(data, dict) or not ("entities" in data or "facts" in data):
        raise InputError(str(path), "not a gold file (no 'entities' or 'facts')")
    for i, ent in enumerate(data.get("entities") or []):
        if not isinstance(ent, dict) or "name" not in ent:
            raise InputError(str(path), f"entity {i + 1} has no name")
        if ent.get("type", "any") not in (*CLASSES, "any"):
            raise InputError(str(path), f"entity {ent['name']!r}: unknown type {ent['type']!r}")
    for key in ("facts", "optional", "negatives"):
        for i, fact in enumerate(data.get(key) or []):
            if not isinstance(fact, dict) or not {"s", "p", "o"} <= set(fact):
                raise InputError(str(path), f"{key} {i + 1} needs s, p and o")
            prefix = str(fact["p"]).split(":", 1)[0]
            if ":" not in str(fact["p"]) or prefix not in _PREFIXES:
                raise InputError(str(path), f"{key} {i + 1}: unknown property {fact['p']!r}")
    return data


@dataclass
class PropertyScore:
    """Recall and precision of one property."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    right: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class GoldScore:
    """Every measure of kg-score, plus the breakdown per property."""

    measures: dict[str, Any]
    properties: dict[str, PropertyScore] = field(default_factory=dict)
    detail: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self, *, verbose: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.measures)
        out["properties"] = {
            p: {
                "gold": s.gold,
                "found": s.found,
                "predicted": s.predicted,
                "right": s.right,
                "precision": round(s.precision, 3) if s.predicted else None,
                "recall": round(s.recall, 3) if s.gold else None,
                "f1": round(s.f1, 3) if s.gold and s.predicted else None,
            }
            for p, s in sorted(self.properties.items())
        }
        if verbose:
            out["detail"] = self.detail
        return out


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


class _Scorer:
    """kg-score's measures over one graph (which should hold the ontology's subclass triples)."""

    def __init__(self, graph: Graph, gold: dict[str, Any], texts: dict[str, str]) -> None:
        self.g = graph
        self.gold = gold
        self.texts = {k: " ".join(v.split()) for k, v in texts.items()}
        self.names: dict[Node, set[str]] = {}
        for p in (RDFS.label, SKOS.altLabel):
            for s, o in graph.subject_objects(p):
                self.names.setdefault(s, set()).add(norm(o))
        self.by_name: dict[str, set[Node]] = {}
        for node, names in self.names.items():
            for n in names:
                self.by_name.setdefault(n, set()).add(node)
        self.ent: dict[str, tuple[set[str], str]] = {}
        for e in gold.get("entities") or []:
            aliases = {norm(e["name"])} | {norm(a) for a in e.get("aliases") or []}
            self.ent[str(e["name"])] = (aliases, e.get("type", "any"))
        self._closure: dict[str, set[Node]] = {}

    def nodes_named(self, name: str) -> set[Node]:
        aliases, _ = self.ent.get(name, ({norm(name)}, "any"))
        return {n for a in aliases for n in self.by_name.get(a, ())}

    def typed(self, node: Node, kind: str) -> bool:
        if kind == "any":
            return True
        if kind not in self._closure:
            cls = CLASSES[kind]
            self._closure[kind] = set(self.g.transitive_subjects(RDFS.subClassOf, cls)) | {cls}
        wanted = self._closure[kind]
        return any(t in wanted for t in self.g.objects(node, RDF.type))

    def entities(self) -> tuple[int, list[str], list[str]]:
        found, dups, missing = 0, [], []
        for name, (_, kind) in self.ent.items():
            nodes = [n for n in self.nodes_named(name) if self.typed(n, kind)]
            if nodes:
                found += 1
            else:
                missing.append(name)
            if len(nodes) > 1:
                dups.append(name)
        return found, dups, missing

    def statements(self, s: Node, p: Node, o: Node) -> list[Node]:
        return [
            st
            for st in self.g.subjects(RDF.predicate, p)
            if (st, RDF.subject, s) in self.g and (st, RDF.object, o) in self.g
        ]

    def holds(self, fact: dict[str, Any], plain_only: bool = False) -> str | None:
        p = curie(str(fact["p"]))
        subjects = self.nodes_named(str(fact["s"]))
        obj = str(fact["o"])
        if p in RELATIONS:
            objects = self.nodes_named(obj)
        else:
            objects = {
                o
                for s in subjects
                for o in self.g.objects(s, p)
                if isinstance(o, Literal) and norm(o) == norm(obj)
            }
        pairs = [(s, o) for s in subjects for o in objects]
        if p in SYMMETRIC:
            pairs += [(o, s) for s, o in pairs]
        for s, o in pairs:
            if (s, p, o) in self.g:
                return "plain"
            if not plain_only:
                for st in self.statements(s, p, o):
                    return "statement:" + str(self.g.value(st, KG.modality) or "")
        return None

    def precision(self) -> tuple[Counter[str], Counter[str], list[str]]:
        gold_nodes: dict[Node, set[str]] = {}
        for name in self.ent:
            for n in self.nodes_named(name):
                gold_nodes.setdefault(n, set()).add(name)
        good = set()
        for f in (self.gold.get("facts") or []) + (self.gold.get("optional") or []):
            p = curie(str(f["p"]))
            if p not in RELATIONS:
                continue
            for s in self.nodes_named(str(f["s"])):
                for o in self.nodes_named(str(f["o"])):
                    good.add((s, p, o))
                    if p in SYMMETRIC:
                        good.add((o, p, s))
        right: Counter[str] = Counter()
        predicted: Counter[str] = Counter()
        wrong = []
        for p in sorted(RELATIONS):
            for s, o in self.g.subject_objects(p):
                if s in gold_nodes and o in gold_nodes:
                    predicted[short(p)] += 1
                    if (s, p, o) in good:
                        right[short(p)] += 1
                    else:
                        wrong.append(
                            f"{sorted(gold_nodes[s])[0]} {short(p)} {sorted(gold_nodes[o])[0]}"
                        )
        return right, predicted, wrong

    def provenance(self) -> tuple[int, int]:
        total, ok = 0, 0
        for p in RELATIONS:
            for s, o in self.g.subject_objects(p):
                total += 1
                for st in self.statements(s, p, o):
                    ev = self.g.value(st, KG.evidence)
                    art = self.g.value(st, PROV.wasDerivedFrom)
                    ident = self.g.value(art, SCHEMA.identifier) if art is not None else None
                    text = self.texts.get(str(ident)) if ident is not None else None
                    if ev is not None and text is not None and " ".join(str(ev).split()) in text:
                        ok += 1
                        break
        return ok, total

    def documents(self) -> tuple[int, int, list[str]]:
        right, total, wrong = 0, 0, []
        for ident, meta in (self.gold.get("documents") or {}).items():
            arts = list(self.g.subjects(SCHEMA.identifier, Literal(ident)))
            checks: list[tuple[str, URIRef, str, bool]] = []
            for key, pred in (
                ("headline", SCHEMA.headline),
                ("datePublished", SCHEMA.datePublished),
            ):
                if key in meta:
                    checks.append((key, pred, str(meta[key]), False))
            if "publisher" in meta:
                checks.append(("publisher", SCHEMA.publisher, meta["publisher"], True))
            checks += [("author", SCHEMA.author, a, True) for a in meta.get("authors") or []]
            checks += [("citation", SCHEMA.citation, c, True) for c in meta.get("cites") or []]
            for label, pred, want, is_entity in checks:
                total += 1
                values = [o for a in arts for o in self.g.objects(a, pred)]
                if is_entity:
                    hit = any(v in self.nodes_named(want) for v in values)
                else:
                    hit = any(norm(v) == norm(want) for v in values)
                if hit:
                    right += 1
                else:
                    wrong.append(f"{ident} {label}")
        return right, total, wrong


def score_graph(graph: Graph, gold: dict[str, Any], texts: dict[str, str]) -> GoldScore:
    """Score ``graph`` against ``gold``; ``texts`` maps article identifiers to their text."""
    sc = _Scorer(graph, gold, texts)
    e_found, dups, e_missing = sc.entities()
    props: dict[str, PropertyScore] = {}
    missed, m_ok, m_total, f_found = [], 0, 0, 0
    facts = gold.get("facts") or []
    for f in facts:
        ps = props.setdefault(str(f["p"]), PropertyScore())
        ps.gold += 1
        how = sc.holds(f)
        if how is None:
            missed.append(f"{f['s']} {f['p']} {f['o']}")
            continue
        f_found += 1
        ps.found += 1
        if f.get("modality") == "planned":
            m_total += 1
            if how != "plain" and sc.holds(f, plain_only=True) is None:
                m_ok += 1
    negatives = [
        f"{f['s']} {f['p']} {f['o']}"
        for f in gold.get("negatives") or []
        if sc.holds(f, plain_only=True)
    ]
    bad = {norm(n) for n in gold.get("noise") or []}
    noise = sorted({str(graph.value(n, RDFS.label)) for n, ns in sc.names.items() if ns & bad})
    right, predicted, wrong = sc.precision()
    for p, n in predicted.items():
        props.setdefault(p, PropertyScore()).predicted = n
        props[p].right = right[p]
    prov_ok, prov_total = sc.provenance()
    d_right, d_total, d_wrong = sc.documents()
    n_right, n_pred = sum(right.values()), sum(predicted.values())
    prec = n_right / n_pred if n_pred else 0.0
    rec = f_found / len(facts) if facts else 0.0
    measures = {
        "entity_recall": _ratio(e_found, len(sc.ent)),
        "entity_duplicates": len(dups),
        "fact_recall": round(rec, 3),
        "fact_precision": round(prec, 3),
        "fact_f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0,
        "planned_modality_right": f"{m_ok}/{m_total}",
        "negatives_broken": len(negatives),
        "noise_entities": len(noise),
        "provenance": _ratio(prov_ok, prov_total),
        "document_metadata": _ratio(d_right, d_total),
        "triples": len(graph),
    }
    detail = {
        "entities_missing": e_missing,
        "duplicates": dups,
        "facts_missing": missed,
        "relations_wrong": wrong,
        "negatives_broken": negatives,
        "noise": noise,
        "document_metadata_wrong": d_wrong,
    }
    return GoldScore(measures, props, detail)
