"""Records → rdflib graphs: the only writer of triples."""

from __future__ import annotations

import logging
from datetime import UTC
from decimal import Decimal
from typing import NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg.iris import article_iri, entity_iri, run_iri, statement_iri
from kg.known import NAMES
from kg.records import (
    COUNTRY,
    PLACE,
    Article,
    Entity,
    Extraction,
    Relation,
    RunInfo,
    dedupe_relations,
)
from kg.resolve import Resolution, names_record
from kg.vocab import CLASS_IRIS, KG, MODALITY_IRIS, RELATIONS, SCHEMA, bind_prefixes

logger = logging.getLogger(__name__)

_PREFIXES = {"kg": KG, "schema": SCHEMA}
_DATATYPES = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}


def predicate_iri(curie: str) -> URIRef:
    """``"kg:leaderOf"`` → the property's IRI."""
    prefix, local = curie.split(":", 1)
    return URIRef(str(_PREFIXES[prefix]) + local)


def _admits(allowed: tuple[str, ...], cls: str) -> bool:
    return "any" in allowed or cls in allowed or (cls == COUNTRY and PLACE in allowed)


def fits_contract(predicate: URIRef, subject_cls: str, obj_cls: str | None) -> bool:
    """Whether a relation's ends have the classes the ontology allows."""
    if predicate not in RELATIONS:
        return obj_cls is None
    domain, range_ = RELATIONS[predicate]
    return obj_cls is not None and _admits(domain, subject_cls) and _admits(range_, obj_cls)


def new_graph() -> Graph:
    """An empty graph with the contract's prefixes bound."""
    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph)
    return graph


class _Planned(NamedTuple):
    """A relation's resolved subject, predicate, object and statement IRI."""

    subject: URIRef
    predicate: URIRef
    obj: URIRef | Literal
    statement: URIRef


class Builder:
    """Builds one graph per article from a run's extractions and resolution."""

    def __init__(self, base: str, resolution: Resolution, run: RunInfo | None = None) -> None:
        self.base = base
        self.res = resolution
        self.run = run
        self._article = ""
        self._nodes: dict[tuple[str, str], URIRef] = {}
        # Per article being built: lookups already made, entities already described.
        self._lookups: dict[tuple[str, str], Entity | None] = {}
        self._described: set[tuple[str, str]] = set()

    def entity_node(self, entity: Entity) -> URIRef:
        """The IRI of a resolved entity."""
        node = self._nodes.get((entity.cls, entity.key))
        if node is None:
            node = URIRef(entity_iri(self.base, entity.cls, entity.key))
            self._nodes[(entity.cls, entity.key)] = node
        return node

    def article_node(self, article: Article) -> URIRef:
        """The IRI of an article."""
        return URIRef(article_iri(self.base, article.identifier))

    def _lookup(self, aid: str, cls: str, name: str) -> Entity | None:
        # An article names the same entity many times; resolving a name folds it (regexes).
        key = (cls, name)
        if key not in self._lookups:
            self._lookups[key] = self.res.lookup(aid, cls, name)
        return self._lookups[key]

    def _describe(self, graph: Graph, entity: Entity) -> URIRef:
        node = self.entity_node(entity)
        # Adding a triple twice is a no-op: describe each entity once per article.
        if (entity.cls, entity.key) in self._described:
            return node
        self._described.add((entity.cls, entity.key))
        graph.add((node, RDF.type, CLASS_IRIS[entity.cls]))
        graph.add((node, RDFS.label, Literal(entity.label)))
        # Only the names this article gives it: an article's graph says what the
        # article says, and deleting the article takes its names away.
        for alias in self.res.aliases_in(self._article, entity):
            graph.add((node, SKOS.altLabel, Literal(alias)))
        return node

    def _provenance(self, graph: Graph, article: URIRef) -> None:
        run = self.run
        if run is None:
            return
        started = run.started.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        node = URIRef(run_iri(self.base, run.kg_version, run.model, run.model_version, started))
        software = URIRef(f"{self.base}software/kg-{run.kg_version}")
        model = URIRef(entity_iri(self.base, "Model", f"{run.model} {run.model_version}"))
        graph.add((article, PROV.wasGeneratedBy, node))
        graph.add((node, RDF.type, PROV.Activity))
        graph.add((node, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime)))
        graph.add((node, PROV.wasAssociatedWith, software))
        graph.add((node, PROV.used, model))
        graph.add((software, RDF.type, PROV.SoftwareAgent))
        graph.add((software, SCHEMA.name, Literal("kg")))
        graph.add((software, SCHEMA.softwareVersion, Literal(run.kg_version)))
        graph.add((model, RDF.type, PROV.Entity))
        graph.add((model, SCHEMA.name, Literal(run.model)))
        graph.add((model, SCHEMA.version, Literal(run.model_version)))

    def article_graph(self, ex: Extraction) -> Graph:
        """The graph of one article: its metadata, entities, facts and statements."""
        graph = new_graph()
        self.add_article(graph, ex)
        return graph

    def add_article(self, graph: Graph, ex: Extraction) -> int:
        """Add one article's triples to ``graph``; returns how many statements it has.

        Adding every article of a run to one graph gives the same triples as
        merging their :meth:`article_graph`, without holding those graphs.
        """
        self._lookups = {}
        self._described = set()
        art = ex.article
        aid = art.identifier
        self._article = aid
        node = self.article_node(art)
        self._provenance(graph, node)
        graph.add((node, RDF.type, SCHEMA.NewsArticle))
        graph.add((node, SCHEMA.identifier, Literal(aid)))
        graph.add((node, KG.contentHash, Literal(art.content_hash)))
        # What later runs resolve their articles against (kg.known).
        graph.add((node, URIRef(NAMES), Literal(names_record(ex))))
        if art.headline:
            graph.add((node, SCHEMA.headline, Literal(art.headline)))
        if art.date_published:
            graph.add(
                (
                    node,
                    SCHEMA.datePublished,
                    Literal(art.date_published.isoformat(), datatype=XSD.date),
                )
            )
        if art.url:
            graph.add((node, SCHEMA.url, Literal(art.url, datatype=XSD.anyURI)))
        for m in ex.mentions:
            entity = self._lookup(aid, m.cls, m.canonical_hint)
            if entity is None:
                continue
            ent_node = self._describe(graph, entity)
            graph.add((node, SCHEMA.mentions, ent_node))
            if m.rule == "metadata:publisher":
                graph.add((node, SCHEMA.publisher, ent_node))
            elif m.rule == "metadata:author":
                graph.add((node, SCHEMA.author, ent_node))
            elif m.rule in ("metadata:cited", "outlet"):
                graph.add((node, SCHEMA.citation, ent_node))
        # Two readings that name one entity differently ("EA", "Electronic Arts") are one
        # statement once resolved: the one dedupe rule again, on the resolved ends.
        chosen: dict[URIRef, tuple[Relation, _Planned]] = {}
        for rel in dedupe_relations(ex.relations):
            planned = self._plan_relation(graph, node, aid, rel)
            if planned is None:
                continue
            old = chosen.get(planned.statement)
            if old is None or (rel.modality.caution, rel.confidence) > (
                old[0].modality.caution,
                old[0].confidence,
            ):
                chosen[planned.statement] = (rel, planned)
        for rel, planned in chosen.values():
            self._add_relation(graph, node, aid, rel, planned)
        self._lookups = {}
        self._described = set()
        return len(chosen)

    def _plan_relation(
        self, graph: Graph, article: URIRef, aid: str, rel: Relation
    ) -> _Planned | None:
        """A relation's resolved ends and statement IRI; None when its ends do not resolve
        or do not fit the contract."""
        predicate = predicate_iri(rel.predicate)
        subject = self._lookup(aid, rel.subject_cls, rel.subject)
        obj = None if rel.obj_cls is None else self._lookup(aid, rel.obj_cls, rel.obj)
        # Checked on the resolved entities: merging can change a class ("MMF" → an Event).
        if (
            subject is None
            or (rel.obj_cls is not None and (obj is None or obj == subject))
            or not fits_contract(predicate, subject.cls, obj.cls if obj else None)
        ):
            logger.debug("dropped %s: ends do not resolve or fit the contract", rel)
            return None
        s = self._describe(graph, subject)
        o: URIRef | Literal
        if obj is None:
            o = Literal(rel.obj, datatype=_DATATYPES.get(rel.literal_datatype or ""))
        else:
            o = self._describe(graph, obj)
        st = URIRef(statement_iri(self.base, s, predicate, o.n3(), str(article), rel.evidence))
        return _Planned(s, predicate, o, st)

    def _add_relation(
        self, graph: Graph, article: URIRef, aid: str, rel: Relation, planned: _Planned
    ) -> None:
        s, predicate, o, st = planned
        graph.add((st, RDF.type, KG.Statement))
        graph.add((st, RDF.subject, s))
        graph.add((st, RDF.predicate, predicate))
        graph.add((st, RDF.object, o))
        graph.add((st, PROV.wasDerivedFrom, article))
        graph.add((st, KG.evidence, Literal(rel.evidence)))
        graph.add(
            (
                st,
                KG.confidence,
                Literal(Decimal(str(round(rel.confidence, 2))), datatype=XSD.decimal),
            )
        )
        graph.add((st, KG.modality, MODALITY_IRIS[rel.modality.value]))
        graph.add((st, KG.rule, Literal(rel.rule)))
        if rel.attributed_to and rel.attributed_cls:
            source = self._lookup(aid, rel.attributed_cls, rel.attributed_to)
            if source is not None:
                graph.add((st, KG.attributedTo, self._describe(graph, source)))
        if rel.modality.is_plain:
            graph.add((s, predicate, o))
