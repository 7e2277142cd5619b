"""Records → graph (kg.build): plain triples by modality, contract checks, statements."""

from __future__ import annotations

from dataclasses import replace

from rdflib import URIRef
from rdflib.namespace import RDF

from kg.build import Builder, fits_contract, predicate_iri
from kg.records import Article, Extraction, Mention, Modality, Relation
from kg.resolve import resolve
from kg.validate import validate
from kg.vocab import KG, SCHEMA

BASE = "https://example.org/id/"
SENTENCE = "Ann Lee heads Acme."


def _graph(
    *relations: Relation,
    mentions: tuple[tuple[str, str], ...] = (("Ann Lee", "Person"), ("Acme", "Organization")),
):
    article = Article("a.txt", SENTENCE, "a.txt", content_hash="f" * 64)
    ex = Extraction(article, tuple(Mention(t, c, 0, 1) for t, c in mentions), relations)
    builder = Builder(BASE, resolve([ex]))
    return builder.article_graph(ex)


def _rel(
    modality: Modality,
    predicate: str = "kg:leaderOf",
    obj: str = "Acme",
    obj_cls: str = "Organization",
) -> Relation:
    return Relation(
        "Ann Lee",
        "Person",
        predicate,
        obj,
        obj_cls,
        SENTENCE,
        modality=modality,
        confidence=0.7,
        rule="test",
    )


def test_asserted_and_reported_facts_are_plain_triples():
    for modality in (Modality.ASSERTED, Modality.REPORTED):
        graph = _graph(_rel(modality))
        assert (URIRef(BASE + "person/ann-lee"), KG.leaderOf, URIRef(BASE + "org/acme")) in graph


def test_planned_and_negated_facts_are_statements_only():
    for modality in (Modality.PLANNED, Modality.NEGATED):
        graph = _graph(_rel(modality))
        assert not list(graph.triples((None, KG.leaderOf, None)))
        (st,) = graph.subjects(RDF.type, KG.Statement)
        assert graph.value(st, KG.modality) == KG[modality.value]
        assert validate(graph).conforms


def test_relation_outside_the_contract_is_dropped():
    graph = _graph(
        _rel(Modality.ASSERTED, obj="Lee Fest", obj_cls="Event"),
        mentions=(("Ann Lee", "Person"), ("Lee Fest", "Event")),
    )
    assert not list(graph.subjects(RDF.type, KG.Statement))


def test_fits_contract_admits_country_as_place():
    assert fits_contract(KG.visited, "Person", "Country")
    assert not fits_contract(KG.visited, "Country", "Person")
    assert fits_contract(SCHEMA.jobTitle, "Person", None)


def test_predicate_iri():
    assert predicate_iri("schema:memberOf") == SCHEMA.memberOf


def test_one_statement_per_fact_and_sentence_keeps_the_best_confidence():
    low = _rel(Modality.ASSERTED)
    high = Relation(**{**{f: getattr(low, f) for f in low.__slots__}, "confidence": 0.9})
    graph = _graph(low, high)
    (st,) = graph.subjects(RDF.type, KG.Statement)
    assert float(graph.value(st, KG.confidence)) == 0.9
    assert validate(graph).conforms


def test_two_names_of_one_entity_make_one_statement_the_one_dedupe_rule_decides():
    # "Acme Holdings (AH)": the acronym resolves to the long name, so two readings of
    # one sentence are one statement once resolved, with one confidence and one rule.
    sentence = "Acme Holdings (AH) is led by Ann Lee."
    article = Article("a.txt", sentence, "a.txt", content_hash="f" * 64)
    mentions = (("Ann Lee", "Person"), ("Acme Holdings", "Organization"), ("AH", "Organization"))
    readings = [
        Relation(
            "Ann Lee",
            "Person",
            "kg:leaderOf",
            "Acme Holdings",
            "Organization",
            sentence,
            confidence=0.6,
            rule="one",
        ),
        Relation(
            "Ann Lee",
            "Person",
            "kg:leaderOf",
            "AH",
            "Organization",
            sentence,
            confidence=0.8,
            rule="two",
        ),
    ]
    ex = Extraction(article, tuple(Mention(t, c, 0, 1) for t, c in mentions), tuple(readings))
    graph = Builder(BASE, resolve([ex])).article_graph(ex)
    (st,) = graph.subjects(RDF.type, KG.Statement)
    assert [str(c) for c in graph.objects(st, KG.confidence)] == ["0.8"]
    assert [str(r) for r in graph.objects(st, KG.rule)] == ["two"]
    assert validate(graph).conforms
    # the more cautious reading wins, whatever its confidence
    cautious = (replace(readings[0], modality=Modality.NEGATED), readings[1])
    ex = replace(ex, relations=cautious)
    graph = Builder(BASE, resolve([ex])).article_graph(ex)
    (st,) = graph.subjects(RDF.type, KG.Statement)
    assert graph.value(st, KG.modality) == KG.Negated
    assert not list(graph.triples((None, KG.leaderOf, None)))
