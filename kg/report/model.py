"""Report stage, reading: a kg graph → articles, entities and statements as plain records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.vocab import KG, SCHEMA

# Most specific first: a Country is also a Place.
CLASSES = (
    ("Person", SCHEMA.Person),
    ("Country", SCHEMA.Country),
    ("Place", SCHEMA.Place),
    ("Organization", SCHEMA.Organization),
    ("Event", SCHEMA.Event),
    ("Agreement", KG.Agreement),
)
_SKIP = frozenset({RDF.type, RDFS.label, SKOS.altLabel})


@dataclass
class Entity:
    """A node with a label and a contract class."""

    iri: str
    label: str
    cls: str
    aliases: tuple[str, ...] = ()
    anchor: str = ""


@dataclass
class Fact:
    """One statement (or a plain triple that no statement describes)."""

    subject: str  # IRI
    predicate: str  # IRI
    obj: str  # IRI, or the literal's text
    obj_is_iri: bool
    modality: str = ""
    confidence: str = ""
    evidence: str = ""
    article: str = ""  # article IRI
    source: str = ""  # label of kg:attributedTo
    plain: bool = False  # True for a triple with no statement


@dataclass
class Article:
    """A schema:NewsArticle with its metadata and the text shown for it."""

    iri: str
    identifier: str
    headline: str = ""
    date: str = ""
    publisher: str = ""
    authors: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    text: str | None = None
    anchor: str = ""
    facts: list[Fact] = field(default_factory=list)


@dataclass
class ReportData:
    """Everything a report shows."""

    articles: list[Article]
    entities: dict[str, Entity]
    facts: list[Fact]

    def facts_of(self, iri: str) -> list[Fact]:
        """Facts whose subject or object is ``iri``."""
        return [f for f in self.facts if iri in (f.subject, f.obj)]


def local(iri: str) -> str:
    """``https://schema.org/memberOf`` → ``memberOf``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _label(graph: Graph, node: object) -> str:
    value = graph.value(node, RDFS.label)  # type: ignore[arg-type]
    return str(value) if value is not None else ""


def _entity_class(types: set[URIRef]) -> str | None:
    for name, iri in CLASSES:
        if iri in types:
            return name
    return None


def read_report_data(graph: Graph, texts: Mapping[str, str] | None = None) -> ReportData:
    """Read articles, entities and facts from ``graph``; ``texts`` by article identifier."""
    types: dict[object, set[URIRef]] = defaultdict(set)
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(o, URIRef):
            types[s].add(o)
    entities: dict[str, Entity] = {}
    for node, kinds in types.items():
        cls = _entity_class(kinds)
        label = _label(graph, node)
        if cls and label and isinstance(node, URIRef):
            aliases = sorted({str(a) for a in graph.objects(node, SKOS.altLabel)} - {label})
            entities[str(node)] = Entity(str(node), label, cls, tuple(aliases))
    order = sorted(entities.values(), key=lambda e: (e.cls, e.label.casefold(), e.iri))
    for i, entity in enumerate(order, start=1):
        entity.anchor = f"e{i}"

    articles: dict[str, Article] = {}
    for node in graph.subjects(RDF.type, SCHEMA.NewsArticle):
        identifier = str(graph.value(node, SCHEMA.identifier) or local(str(node)))
        articles[str(node)] = Article(
            iri=str(node),
            identifier=identifier,
            headline=str(graph.value(node, SCHEMA.headline) or ""),
            date=str(graph.value(node, SCHEMA.datePublished) or ""),
            publisher=_label(graph, graph.value(node, SCHEMA.publisher)),
            authors=tuple(sorted(_label(graph, a) for a in graph.objects(node, SCHEMA.author))),
            mentions=tuple(sorted(str(m) for m in graph.objects(node, SCHEMA.mentions))),
            text=(texts or {}).get(identifier),
        )

    facts: list[Fact] = []
    described: set[tuple[str, str, str]] = set()
    for st in graph.subjects(RDF.type, KG.Statement):
        s, p, o = (graph.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if s is None or p is None or o is None:
            continue
        source = graph.value(st, KG.attributedTo)
        fact = Fact(
            subject=str(s),
            predicate=str(p),
            obj=str(o),
            obj_is_iri=not isinstance(o, Literal),
            modality=local(str(graph.value(st, KG.modality) or "")),
            confidence=str(graph.value(st, KG.confidence) or ""),
            evidence=" ".join(str(graph.value(st, KG.evidence) or "").split()),
            article=str(graph.value(st, PROV.wasDerivedFrom) or ""),
            source=_label(graph, source) if source is not None else "",
        )
        facts.append(fact)
        described.add((fact.subject, fact.predicate, fact.obj))
    for s, p, o in graph:
        linked = str(o) in entities or p == SCHEMA.jobTitle
        if str(s) in entities and p not in _SKIP and linked:
            if (str(s), str(p), str(o)) in described:
                continue
            facts.append(Fact(str(s), str(p), str(o), str(o) in entities, plain=True))
    facts.sort(
        key=lambda f: (
            f.article,
            entities[f.subject].label if f.subject in entities else f.subject,
            local(f.predicate),
            f.obj,
            f.evidence,
        )
    )
    ordered = sorted(articles.values(), key=lambda a: (a.date, a.identifier))
    for i, article in enumerate(ordered, start=1):
        article.anchor = f"a{i}"
    for fact in facts:
        if fact.article in articles:
            articles[fact.article].facts.append(fact)
    return ReportData(ordered, entities, facts)
