"""Property tests: any name or sentence gives valid Turtle and IRIs that round-trip."""

from __future__ import annotations

import pyoxigraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.build import Builder
from kg.iris import entity_iri, slug
from kg.records import Article, Extraction, Mention, Modality, Relation
from kg.resolve import name_key, resolve
from kg.serialize import to_nquads, to_ntriples, to_turtle

BASE = "https://example.org/id/"
# Quotes, backslashes, newlines, control characters, bidi marks, emoji and the
# characters IRIs forbid, mixed into ordinary text.
NASTY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\"'\\\n\r\t<>{}|^`% #?&\u200f\u202e\u0000\u0007\ufeff😀 ")),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    min_size=1,
    max_size=300,
)


def _graph(subject: str, obj: str, sentence: str) -> Graph:
    article = Article(
        subject[:40] or "x", sentence, "src", headline=sentence, content_hash="e" * 64
    )
    mentions = (Mention(subject, "Person", 0, 1), Mention(obj, "Organization", 0, 1))
    relations = (
        Relation(
            subject,
            "Person",
            "schema:worksFor",
            obj,
            "Organization",
            sentence,
            modality=Modality.REPORTED,
            confidence=0.5,
            rule="prop",
        ),
        Relation(subject, "Person", "schema:jobTitle", sentence, None, sentence, rule="prop"),
    )
    ex = Extraction(article, mentions, relations)
    return Builder(BASE, resolve([ex])).article_graph(ex)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subject=NASTY, obj=NASTY, sentence=NASTY)
def test_output_parses_everywhere_and_round_trips(subject, obj, sentence):
    graph = _graph(subject, obj, sentence)
    turtle = to_turtle(graph)
    # pyoxigraph is the strict parser: it rejects invalid IRIs and escapes.
    list(pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE))
    list(pyoxigraph.parse(to_ntriples(graph), format=pyoxigraph.RdfFormat.N_TRIPLES))
    list(pyoxigraph.parse(to_nquads([(BASE + "g", graph)]), format=pyoxigraph.RdfFormat.N_QUADS))
    again = Graph().parse(data=turtle.decode("utf-8"), format="turtle")
    assert isomorphic(graph, again)


@given(NASTY)
def test_entity_iris_are_valid_iris(name):
    iri = entity_iri(BASE, "Person", name_key(name) or "x")
    pyoxigraph.NamedNode(iri)
    assert all(c.isascii() and (c.isalnum() or c in "-/:.") for c in iri)


@given(NASTY)
def test_slug_is_deterministic(name):
    assert slug(name) == slug(name)
