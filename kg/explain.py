"""Why the graph says something: the statements behind an entity's facts."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

EXPLAIN_QUERY = """
PREFIX kg: <https://w3id.org/kg-populator/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
SELECT ?st ?sLabel ?p ?oLabel ?o ?modality ?confidence ?evidence ?article ?sourceLabel ?rule
WHERE {
  ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      kg:modality ?modality ; kg:confidence ?confidence ; kg:evidence ?evidence ;
      prov:wasDerivedFrom ?a .
  OPTIONAL { ?a schema:identifier ?article }
  OPTIONAL { ?st kg:rule ?rule }
  OPTIONAL { ?st kg:attributedTo ?src . ?src rdfs:label ?sourceLabel }
  ?s rdfs:label ?sLabel .
  OPTIONAL { ?o rdfs:label ?oLabel }
}
"""

NAME_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?e ?label ?name WHERE {
  ?e rdfs:label ?label .
  { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name }
}
"""


def fold(text: str) -> str:
    """Case- and Unicode-folded text for matching names typed by a user."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True, slots=True)
class Explanation:
    """One statement behind a fact: what, how sure, from where."""

    subject: str
    predicate: str
    obj: str
    modality: str
    confidence: str
    evidence: str
    article: str
    source: str | None
    rule: str | None


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1]
    return iri


def explain(rows: Iterable[dict[str, str | None]], labels: set[str]) -> list[Explanation]:
    """The statements (rows of EXPLAIN_QUERY) whose subject or object has one of ``labels``."""
    out = []
    for row in rows:
        s_label, o_label = row.get("sLabel") or "", row.get("oLabel") or ""
        if s_label not in labels and o_label not in labels:
            continue
        out.append(
            Explanation(
                subject=s_label,
                predicate=_local(row["p"] or ""),
                obj=o_label or (row.get("o") or ""),
                modality=_local(row["modality"] or ""),
                confidence=row.get("confidence") or "",
                evidence=row.get("evidence") or "",
                article=row.get("article") or "",
                source=row.get("sourceLabel"),
                rule=row.get("rule"),
            )
        )
    return sorted(out, key=lambda e: (e.subject, e.predicate, e.obj, e.article, e.evidence))


def matching_labels(rows: Iterable[dict[str, str | None]], name: str) -> set[str]:
    """The canonical labels of entities one of whose names is ``name`` (rows of NAME_QUERY)."""
    wanted = fold(name)
    return {row["label"] or "" for row in rows if fold(row.get("name") or "") == wanted}


_PLAIN = ("Asserted", "Reported")
_CONTRADICTING = ("Negated", "Past")
#: properties a subject holds one current value of (a person's job title)
SINGLE_VALUED = ("jobTitle",)


def conflicts(found: Iterable[Explanation]) -> list[str]:
    """Both sides of each conflict among explanations: a fact asserted in one article
    and denied or past in another, or two current values of a single-valued property."""
    by_fact: dict[tuple[str, str, str], dict[str, set[str]]] = {}
    by_value: dict[tuple[str, str], dict[str, set[str]]] = {}
    for e in found:
        by_fact.setdefault((e.subject, e.predicate, e.obj), {}).setdefault(e.modality, set()).add(
            e.article
        )
        if e.predicate in SINGLE_VALUED and e.modality in _PLAIN:
            by_value.setdefault((e.subject, e.predicate), {}).setdefault(e.obj, set()).add(
                e.article
            )
    out = []
    for (s, p, o), modalities in sorted(by_fact.items()):
        said = set().union(*(modalities.get(m, set()) for m in _PLAIN))
        denied = {m: a for m, a in modalities.items() if m in _CONTRADICTING and a - said}
        if said and denied:
            sides = [
                f"{'/'.join(m for m in _PLAIN if m in modalities)} in {', '.join(sorted(said))}"
            ]
            sides += [f"{m} in {', '.join(sorted(a))}" for m, a in sorted(denied.items())]
            out.append(f"{s} {p} {o}: " + "; ".join(sides))
    for (s, p), values in sorted(by_value.items()):
        folded = sorted({fold(v) for v in values})
        # "Secretary" and "Home Secretary" are one title written two ways.
        if any(a not in b and b not in a for a in folded for b in folded):
            listed = "; ".join(f"{v} in {', '.join(sorted(a))}" for v, a in sorted(values.items()))
            out.append(f"{s} {p}: {listed}")
    return out
