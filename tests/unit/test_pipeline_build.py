"""Records → per-article N-Triples, validated in batches (kg.pipeline.build), and the
writers that merge them (kg.serialize)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.build import Builder
from kg.iris import article_iri
from kg.pipeline import RunResult, build
from kg.records import Article, Extraction, Mention, Modality, Relation
from kg.resolve import resolve
from kg.serialize import merge_ntriples, nquads_from_ntriples, to_ntriples, turtle_from_ntriples

BASE = "https://example.org/id/"


def _extraction(i: int, confidence: float = 0.7) -> Extraction:
    sentence = f'Ann Lee, "the boss , of all", heads Acme {i}.'
    article = Article(f"a{i}.txt", sentence, f"a{i}.txt", content_hash=str(i) * 64)
    mentions = (Mention("Ann Lee", "Person", 0, 7), Mention(f"Acme {i}", "Organization", 9, 15))
    relation = Relation(
        "Ann Lee",
        "Person",
        "kg:leaderOf",
        f"Acme {i}",
        "Organization",
        sentence,
        modality=Modality.ASSERTED,
        confidence=confidence,
        rule="test",
    )
    return Extraction(article, mentions, (relation,))


def _run(extractions: list[Extraction]) -> RunResult:
    return RunResult(extractions=extractions, builder=Builder(BASE, resolve(extractions)))


def test_batches_give_the_same_graphs_as_one_batch():
    exs = [_extraction(i) for i in range(7)]
    one = build(_run(exs), batch=100)
    small = build(_run(exs), batch=3)
    assert one.graphs == small.graphs
    assert list(one.graphs) == [article_iri(BASE, f"a{i}.txt") for i in range(7)]
    assert one.statements == small.statements == 7
    assert one.report is not None and one.report.conforms
    assert small.report is not None and small.report.conforms


def test_a_non_conforming_article_is_quarantined_and_the_others_go_on():
    exs = [_extraction(i) for i in range(5)] + [_extraction(5, confidence=1.5)]
    built = build(_run(exs), batch=2)
    assert [identifier for identifier, _ in built.rejected] == ["a5.txt"]
    (_, report) = built.rejected[0]
    assert not report.conforms and report.violations == 1
    assert "confidence" in report.text
    assert list(built.graphs) == [article_iri(BASE, f"a{i}.txt") for i in range(5)]
    assert built.articles == 5
    assert built.report is not None and built.report.conforms


def test_quarantine_in_the_middle_of_a_batch_keeps_order_and_neighbours():
    exs = [_extraction(0), _extraction(1, confidence=-0.2), _extraction(2)]
    built = build(_run(exs), batch=100)
    assert [identifier for identifier, _ in built.rejected] == ["a1.txt"]
    assert list(built.graphs) == [article_iri(BASE, "a0.txt"), article_iri(BASE, "a2.txt")]


def test_no_validation_no_report():
    built = build(_run([_extraction(0, confidence=1.5)]), check=False)
    assert built.report is None
    assert built.statements == 1


def test_merged_ntriples_are_the_union_of_the_article_graphs():
    exs = [_extraction(i) for i in range(3)]
    run = _run(exs)
    built = build(run)
    union = Graph()
    for ex in exs:
        union += run.builder.article_graph(ex)  # type: ignore[union-attr]
    merged = merge_ntriples(built.graphs)
    assert merged == to_ntriples(union)
    # Ann Lee is described in each article; the merge says it once
    assert merged.count(b'"Ann Lee"') == 1


def test_nquads_put_each_article_in_its_graph():
    built = build(_run([_extraction(i) for i in range(2)]))
    quads = list(ox.parse(nquads_from_ntriples(built.graphs), format=ox.RdfFormat.N_QUADS))
    by_graph = {name: sum(1 for q in quads if q.graph_name.value == name) for name in built.graphs}
    assert by_graph == {name: data.count(b"\n") for name, data in built.graphs.items()}


def test_turtle_is_the_same_graph_with_used_prefixes_sorted():
    built = build(_run([_extraction(i) for i in range(3)]))
    nt = merge_ntriples(built.graphs)
    ttl = turtle_from_ntriples(nt)
    assert ttl == turtle_from_ntriples(nt)
    assert isomorphic(Graph().parse(data=nt, format="nt"), Graph().parse(data=ttl, format="turtle"))
    head = [line for line in ttl.decode().splitlines() if line.startswith("@prefix")]
    assert head == sorted(head)
    assert {line.split()[1] for line in head} == {
        "kg:",
        "prov:",
        "rdf:",
        "rdfs:",
        "schema:",
        "xsd:",
    }
    assert b'\\"the boss , of all\\"' in ttl  # a comma inside a literal stays on its line
    assert ttl.endswith(b" .\n") and b"\n\n\n" not in ttl


@pytest.mark.parametrize("data", [b"", b"\n"])
def test_empty_inputs_give_empty_outputs(data):
    assert merge_ntriples({"urn:g": data}) == b""
    assert nquads_from_ntriples({"urn:g": data}) == b""
    assert turtle_from_ntriples(merge_ntriples({"urn:g": data})) == b""
