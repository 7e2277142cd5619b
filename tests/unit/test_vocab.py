"""kg.vocab against ontology/kg.ttl, and the packaged resources that hold it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg import resources
from kg.errors import ShapesError
from kg.records import CLASSES, Modality
from kg.vocab import (
    CLASS_IRIS,
    KG,
    MODALITY_IRIS,
    PREFIXES,
    RELATIONS,
    SCHEMA,
    SYMMETRIC,
    bind_prefixes,
)

ONTOLOGY_IRI = URIRef("https://w3id.org/kg-populator/ontology")
KG_NS = "https://w3id.org/kg-populator/ontology#"


def kg_terms_in_ontology(graph: Graph) -> set[str]:
    return {
        str(s).removeprefix(KG_NS)
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(KG_NS)
    }


def kg_terms_in_vocab() -> set[str]:
    return {name for name in KG.__annotations__ if not name.startswith("_")}


def test_kg_namespace_iri() -> None:
    assert str(KG) == KG_NS
    assert KG.leaderOf == URIRef(KG_NS + "leaderOf")


def test_vocab_terms_are_declared_in_the_ontology() -> None:
    assert kg_terms_in_vocab() - kg_terms_in_ontology(resources.ontology_graph()) == set()


def test_ontology_terms_are_in_the_vocab() -> None:
    assert kg_terms_in_ontology(resources.ontology_graph()) - kg_terms_in_vocab() == set()


def test_unknown_term_raises() -> None:
    with pytest.raises(AttributeError):
        _ = KG.bogus


def test_ontology_header() -> None:
    graph = resources.ontology_graph()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    for prop in (OWL.versionInfo, OWL.versionIRI, RDFS.label, RDFS.comment):
        assert graph.value(ONTOLOGY_IRI, prop) is not None, prop


def test_ontology_prefixes_are_the_contracts() -> None:
    graph = Graph(bind_namespaces="none")
    graph.parse(Path(__file__).parents[2] / "ontology" / "kg.ttl", format="turtle")
    assert {prefix: str(ns) for prefix, ns in graph.namespaces()} == PREFIXES


@pytest.mark.parametrize("name", sorted(kg_terms_in_vocab()))
def test_every_kg_term_is_documented(name: str) -> None:
    graph = resources.ontology_graph()
    term = KG[name]
    assert isinstance(graph.value(term, RDFS.label), Literal)
    assert len(str(graph.value(term, RDFS.comment) or "")) > 20
    assert graph.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI


def is_property(graph: Graph, term: URIRef) -> bool:
    return any(
        (term, RDF.type, kind) in graph for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
    )


def test_every_kg_property_has_domain_and_range() -> None:
    graph = resources.ontology_graph()
    properties = [KG[n] for n in sorted(kg_terms_in_vocab()) if is_property(graph, KG[n])]
    assert len(properties) == 14
    for term in properties:
        for prop in (RDFS.domain, RDFS.range):
            value = graph.value(term, prop)
            assert value is not None, f"{term} has no {prop}"
            if isinstance(value, BNode):  # OWL 2: a class expression, here owl:unionOf
                assert (value, RDF.type, OWL.Class) in graph
                members = list(Collection(graph, graph.value(value, OWL.unionOf)))
                assert len(members) >= 2, term
                assert all(isinstance(m, URIRef) for m in members), term


def test_kg_classes_and_individuals() -> None:
    graph = resources.ontology_graph()
    for cls in (KG.Agreement, KG.Statement, KG.Modality):
        assert (cls, RDF.type, OWL.Class) in graph
    assert (KG.Statement, RDFS.subClassOf, RDF.Statement) in graph
    for individual in MODALITY_IRIS.values():
        assert (individual, RDF.type, KG.Modality) in graph
        assert (individual, RDF.type, OWL.NamedIndividual) in graph


def test_symmetric_properties_match_the_ontology() -> None:
    graph = resources.ontology_graph()
    assert set(graph.subjects(RDF.type, OWL.SymmetricProperty)) == set(SYMMETRIC)


def test_schema_terms_are_declared() -> None:
    graph = resources.ontology_graph()
    used = [SCHEMA[name] for name in ("Person", "Organization", "Country", "Place", "Event")]
    used += [SCHEMA.NewsArticle, SCHEMA.jobTitle, SCHEMA.startDate, SCHEMA.identifier]
    used += [SCHEMA.headline, SCHEMA.datePublished, SCHEMA.publisher, SCHEMA.author]
    used += [SCHEMA.citation, SCHEMA.mentions, *(p for p in RELATIONS if p.startswith(SCHEMA))]
    for term in used:
        assert graph.value(term, RDFS.label) is not None, term
        assert graph.value(term, RDFS.isDefinedBy) == URIRef("https://schema.org/"), term


def test_country_is_a_place() -> None:
    assert (SCHEMA.Country, RDFS.subClassOf, SCHEMA.Place) in resources.class_hierarchy()
    assert all(p == RDFS.subClassOf for p in resources.class_hierarchy().predicates())


def test_class_and_modality_maps_match_records() -> None:
    assert set(CLASS_IRIS) == set(CLASSES)
    assert set(MODALITY_IRIS) == {m.value for m in Modality}
    assert CLASS_IRIS["Agreement"] == KG.Agreement
    assert CLASS_IRIS["Country"] == URIRef("https://schema.org/Country")


def test_relations_use_known_classes_and_all_have_shapes() -> None:
    known = set(CLASS_IRIS) | {"any"}
    for domain, range_ in RELATIONS.values():
        assert set(domain) <= known and set(range_) <= known
    targeted = set(resources.shapes_graph().objects(None, SH.targetSubjectsOf))
    assert set(RELATIONS) <= targeted
    assert SYMMETRIC.issubset(RELATIONS)


def test_kg_relations_agree_with_ontology_domains() -> None:
    graph = resources.ontology_graph()

    def classes(node: URIRef | BNode) -> set[URIRef]:
        union = graph.value(node, OWL.unionOf)
        return set(Collection(graph, union)) if union is not None else {node}  # type: ignore[arg-type]

    def expected(names: tuple[str, ...]) -> set[URIRef]:
        if names == ("any",):
            return {CLASS_IRIS[n] for n in CLASS_IRIS if n != "Country"}  # Place covers it
        return {CLASS_IRIS[n] for n in names}

    for prop, (domain, range_) in RELATIONS.items():
        if not prop.startswith(KG_NS):
            continue
        assert classes(graph.value(prop, RDFS.domain)) == expected(domain), prop
        assert classes(graph.value(prop, RDFS.range)) == expected(range_), prop


def test_bind_prefixes_binds_exactly_the_contract_prefixes() -> None:
    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph)
    assert {prefix: str(ns) for prefix, ns in graph.namespaces()} == PREFIXES


def test_bind_prefixes_overrides_rdflib_defaults() -> None:
    graph = Graph()
    graph.bind("schema", "http://schema.org/", override=True, replace=True)
    bind_prefixes(graph)
    assert dict(graph.namespaces())["schema"] == URIRef("https://schema.org/")


def test_unparsable_turtle_raises_shapes_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(ShapesError, match=r"^shapes/broken\.ttl:2: cannot parse Turtle"):
        resources._parse([bad], "shapes")


def test_packaged_files() -> None:
    assert [f.name for f in resources.ontology_files()] == ["kg.ttl"]
    assert "kg-shapes.ttl" in [f.name for f in resources.shapes_files()]


def test_data_path_stays_inside_the_data_folder() -> None:
    assert resources.data_path("rules/x.jsonl").name == "x.jsonl"
    for bad in ("../errors.py", "/etc/passwd", ""):
        with pytest.raises(ValueError):
            resources.data_path(bad)
