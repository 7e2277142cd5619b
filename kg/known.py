"""What a store already holds, for resolution across runs: known entities, article graphs,
and the rewriting of graphs when entities merge or are renamed.

Every article's graph describes each entity it names (type, the one global
label, the names the article itself gives it). So a store can be read back
as a snapshot of :class:`~kg.records.KnownEntity` records, which
:func:`kg.resolve.resolve` takes with the new articles' mentions; when that
merges a known entity into another or gives it a better label, the graphs
that hold it are rewritten here (entity IRIs replaced, statement IRIs
re-minted, labels swapped) and replaced in the same load as the new graphs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.iris import entity_iri, statement_iri
from kg.query import Term
from kg.records import KnownEntity
from kg.resolve import Resolution
from kg.vocab import CLASS_IRIS, KG

if TYPE_CHECKING:
    from kg.store import Store

_CLASS_NAMES = {str(iri): name for name, iri in CLASS_IRIS.items()}
_CLASS_TERMS = frozenset(f"<{iri}>" for iri in _CLASS_NAMES)
_TYPE, _LABEL, _ALT = f"<{RDF.type}>", f"<{RDFS.label}>", f"<{SKOS.altLabel}>"
_STATEMENT = f"<{KG.Statement}>"
_SUBJECT, _PREDICATE, _OBJECT = f"<{RDF.subject}>", f"<{RDF.predicate}>", f"<{RDF.object}>"
_DERIVED, _EVIDENCE = f"<{PROV.wasDerivedFrom}>", f"<{KG.evidence}>"

Triple = tuple[str, str, str]  # terms in N-Triples syntax


def _values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ " + " ".join(f"<{i}>" for i in sorted(iris)) + " }"


def _not_in(var: str, iris: Sequence[str]) -> str:
    if not iris:
        return ""
    return f"FILTER(?{var} NOT IN (" + ", ".join(f"<{i}>" for i in sorted(iris)) + "))"


def known_entities(
    store: Store, base: str, *, without: Sequence[str] = (), only: Iterable[str] | None = None
) -> list[KnownEntity]:
    """The entities under ``base`` that the store's article graphs describe.

    ``without`` leaves out graphs about to be replaced or deleted; ``only``
    limits the snapshot to these entity IRIs.
    """
    classes = ", ".join(f"<{iri}>" for iri in sorted(_CLASS_NAMES))
    limit = _values("e", only) if only is not None else ""
    names = store.query(
        f"""SELECT DISTINCT ?e ?cls ?label ?form WHERE {{
  {limit}
  GRAPH ?g {{ ?e a ?cls ; rdfs:label ?label . OPTIONAL {{ ?e skos:altLabel ?form }} }}
  ?g a schema:NewsArticle .
  FILTER(?cls IN ({classes}) && STRSTARTS(STR(?e), {Term("literal", base).n3()}))
  {_not_in("g", without)}
}}"""
    )
    titles = store.query(
        f"""SELECT DISTINCT ?e ?title WHERE {{
  {limit}
  GRAPH ?g {{ ?e a schema:Person ; schema:jobTitle ?title }}
  FILTER(STRSTARTS(STR(?e), {Term("literal", base).n3()}))
  {_not_in("g", without)}
}}"""
    )
    cls: dict[str, str] = {}
    labels: dict[str, set[str]] = defaultdict(set)
    forms: dict[str, set[str]] = defaultdict(set)
    for row in names.rows:
        iri = row["e"].value
        cls[iri] = _CLASS_NAMES[row["cls"].value]
        labels[iri].add(row["label"].value)
        if "form" in row:
            forms[iri].add(row["form"].value)
    job: dict[str, set[str]] = defaultdict(set)
    for row in titles.rows:
        job[row["e"].value].add(row["title"].value)
    return [
        KnownEntity(
            iri=iri,
            cls=cls[iri],
            label=min(labels[iri]),
            forms=tuple(sorted(forms[iri] | labels[iri])),
            titles=tuple(sorted(job[iri])),
        )
        for iri in sorted(cls)
    ]


def article_graphs(store: Store, identifiers: Iterable[str]) -> dict[str, str]:
    """Article IRI → content hash for the articles with these schema:identifiers."""
    ids = sorted(set(identifiers))
    if not ids:
        return {}
    values = "VALUES ?id { " + " ".join(Term("literal", i).n3() for i in ids) + " }"
    result = store.query(
        f"SELECT DISTINCT ?a ?id ?hash WHERE {{ {values} GRAPH ?a {{ ?a schema:identifier ?id . "
        "OPTIONAL { ?a kg:contentHash ?hash } } }"
    )
    return {r["a"].value: (r["hash"].value if "hash" in r else "") for r in result.rows}


def graphs_holding(store: Store, entities: Iterable[str]) -> list[str]:
    """The article graphs that describe any of these entities."""
    iris = sorted(set(entities))
    if not iris:
        return []
    result = store.query(
        f"SELECT DISTINCT ?g WHERE {{ {_values('e', iris)} GRAPH ?g {{ ?e a ?cls }} "
        "?g a schema:NewsArticle }"
    )
    return sorted(r["g"].value for r in result.rows)


def graph_triples(store: Store, graphs: Iterable[str]) -> dict[str, set[Triple]]:
    """The triples of each of these named graphs, as N-Triples terms."""
    iris = sorted(set(graphs))
    out: dict[str, set[Triple]] = {g: set() for g in iris}
    if not iris:
        return out
    result = store.query(
        f"SELECT ?g ?s ?p ?o WHERE {{ {_values('g', iris)} GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    for r in result.rows:
        out[r["g"].value].add((r["s"].n3(), r["p"].n3(), r["o"].n3()))
    return out


@dataclass
class Changes:
    """What resolution against the store changes in graphs already there."""

    renamed: dict[str, str] = field(default_factory=dict)  # old entity IRI -> new
    labels: dict[str, str] = field(default_factory=dict)  # entity IRI -> its new label
    types: dict[str, str] = field(default_factory=dict)  # entity IRI -> its class IRI

    def __bool__(self) -> bool:
        return bool(self.renamed or self.labels)


def changes(base: str, res: Resolution, known: Iterable[KnownEntity]) -> Changes:
    """Known entities that now have another IRI or another label."""
    out = Changes()
    for kn in known:
        target = res.known.get(kn.iri)
        if target is None:
            continue
        entity = res.entities[target]
        iri = entity_iri(base, entity.cls, entity.key)
        if iri != kn.iri:
            out.renamed[kn.iri] = iri
        if iri != kn.iri or entity.label != kn.label:
            out.labels[iri] = entity.label
            # Merging can change a class: "NFC" met alone as an Organization joins
            # the Agreement a later text defines it as.
            out.types[iri] = str(CLASS_IRIS[entity.cls])
    return out


def _literal(text: str) -> str:
    return Term("literal", text).n3()


def rewrite(triples: set[Triple], change: Changes, base: str) -> bytes:
    """A graph with entities renamed, labels replaced and statement IRIs re-minted.

    A replaced label stays as a skos:altLabel (it is a name some article gave);
    the new label is no longer one.
    """
    ren = {f"<{a}>": f"<{b}>" for a, b in change.renamed.items()}
    out = {(ren.get(s, s), p, ren.get(o, o)) for s, p, o in triples}
    for iri, label in change.labels.items():
        node = f"<{iri}>"
        old = {t for t in out if t[0] == node and t[1] == _LABEL}
        if not old:
            continue
        out -= old
        out |= {(node, _ALT, o) for _, _, o in old}
        out.discard((node, _ALT, _literal(label)))
        out.add((node, _LABEL, _literal(label)))
        if iri in change.types:
            out -= {t for t in out if t[0] == node and t[1] == _TYPE and t[2] in _CLASS_TERMS}
            out.add((node, _TYPE, f"<{change.types[iri]}>"))
    # Statement IRIs are minted from subject, predicate, object, article, sentence.
    about: dict[str, dict[str, str]] = defaultdict(dict)
    for s, p, o in out:
        about[s][p] = o
    new_ids: dict[str, str] = {}
    for st, props in about.items():
        if props.get(_TYPE) != _STATEMENT or not all(
            k in props for k in (_SUBJECT, _PREDICATE, _OBJECT, _DERIVED, _EVIDENCE)
        ):
            continue
        evidence = next(o for s, p, o in out if s == st and p == _EVIDENCE)
        new = statement_iri(
            base,
            props[_SUBJECT][1:-1],
            props[_PREDICATE][1:-1],
            props[_OBJECT],
            props[_DERIVED][1:-1],
            _unquote(evidence),
        )
        if f"<{new}>" != st:
            new_ids[st] = f"<{new}>"
    out = {(new_ids.get(s, s), p, new_ids.get(o, o)) for s, p, o in out}
    return "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(out)).encode()


def _unquote(literal: str) -> str:
    from rdflib.util import from_n3

    return str(from_n3(literal))


def rewritten(
    store: Store, base: str, change: Changes, *, skip: Iterable[str] = ()
) -> Mapping[str, bytes]:
    """The graphs of ``store`` that ``change`` touches, rewritten (N-Triples by IRI)."""
    if not change:
        return {}
    touched = set(change.renamed) | set(change.labels)
    graphs = sorted(set(graphs_holding(store, touched)) - set(skip))
    return {g: rewrite(t, change, base) for g, t in graph_triples(store, graphs).items()}


__all__ = [
    "Changes",
    "article_graphs",
    "changes",
    "graph_triples",
    "graphs_holding",
    "known_entities",
    "rewrite",
    "rewritten",
]
