"""Rewriting stored graphs when a known entity merges into another (kg.known.rewrite)."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import isomorphic

from kg.build import Builder
from kg.known import Changes, changes, rewrite
from kg.records import Article, Extraction, KnownEntity, Mention, Relation
from kg.resolve import resolve
from kg.serialize import to_ntriples

BASE = "https://example.org/id/"
SENTENCE = "Lopez heads Acme Bank."


def _article() -> Extraction:
    article = Article("b.txt", SENTENCE, "b.txt", content_hash="b" * 64)
    mentions = (Mention("Lopez", "Person", 0, 5), Mention("Acme Bank", "Organization", 12, 21))
    relation = Relation(
        "Lopez", "Person", "kg:leaderOf", "Acme Bank", "Organization", SENTENCE, rule="t"
    )
    return Extraction(article, mentions, (relation,))


def _graph(known: list[KnownEntity]) -> tuple[Graph, Builder]:
    ex = _article()
    builder = Builder(BASE, resolve([ex], known))
    return builder.article_graph(ex), builder


def _triples(graph: Graph) -> set[tuple[str, str, str]]:
    out = set()
    for line in to_ntriples(graph).decode().splitlines():
        s, p, o = line[:-2].split(" ", 2)
        out.add((s, p, o))
    return out


def test_rewriting_a_stored_graph_gives_what_building_it_now_gives():
    # Stored while only "Lopez" was known: a person of that name.
    alone, _ = _graph([])
    # Then Maria Lopez arrives: resolution says the stored "Lopez" is her.
    maria = KnownEntity(f"{BASE}person/maria-lopez", "Person", "Maria Lopez", ("Maria Lopez",))
    lopez = KnownEntity(f"{BASE}person/lopez", "Person", "Lopez", ("Lopez",))
    change = changes(BASE, resolve([], [maria, lopez]), [maria, lopez])
    assert change.renamed == {f"{BASE}person/lopez": f"{BASE}person/maria-lopez"}
    assert change.labels == {f"{BASE}person/maria-lopez": "Maria Lopez"}
    rewritten = Graph().parse(data=rewrite(_triples(alone), change, BASE), format="nt")
    built_now, _ = _graph([maria])
    assert isomorphic(rewritten, built_now)


def test_no_change_leaves_a_graph_as_it_was():
    graph, _ = _graph([])
    same = Graph().parse(data=rewrite(_triples(graph), Changes(), BASE), format="nt")
    assert isomorphic(same, graph)
