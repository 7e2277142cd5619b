"""Rewriting stored graphs when resolution over more articles changes them (kg.known),
on a real embedded store."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

from kg.build import Builder
from kg.iris import article_iri
from kg.known import stored_names, updates
from kg.records import Article, Extraction, Mention, Relation
from kg.resolve import resolve
from kg.serialize import to_ntriples
from kg.store import open_store

BASE = "https://example.org/id/"
SENTENCE = "Lopez heads Acme Bank."


def _lopez() -> Extraction:
    article = Article("b.txt", SENTENCE, "b.txt", content_hash="b" * 64)
    mentions = (Mention("Lopez", "Person", 0, 5), Mention("Acme Bank", "Organization", 12, 21))
    relation = Relation(
        "Lopez", "Person", "kg:leaderOf", "Acme Bank", "Organization", SENTENCE, rule="t"
    )
    return Extraction(article, mentions, (relation,))


def _person(aid: str, name: str) -> Extraction:
    article = Article(aid, f"{name} spoke.", aid, content_hash="c" * 64)
    return Extraction(article, (Mention(name, "Person", 0, len(name)),))


def _graph(ex: Extraction, others: list[Extraction]) -> Graph:
    return Builder(BASE, resolve([*others, ex])).article_graph(ex)


def _check(tmp_path: Path, first: list[Extraction], then: list[Extraction]) -> None:
    """Store ``first``; resolving with ``then`` too rewrites b.txt as building it now would."""
    lopez = _lopez()
    with open_store(tmp_path / "store") as store:
        store.replace_graphs(
            {
                article_iri(BASE, ex.article.identifier): to_ntriples(_graph(ex, first))
                for ex in [*first, lopez]
            }
        )
        held = stored_names(store)
        before = resolve(held.values())
        after = resolve([*held.values(), *then])
        iri = article_iri(BASE, "b.txt")
        changed = updates(store, BASE, before, after, {iri: held[iri]})
    assert list(changed) == [iri]
    rewritten = Graph().parse(data=changed[iri], format="nt")
    assert isomorphic(rewritten, _graph(lopez, [*first, *then]))


def test_a_stored_surname_joins_a_full_name_that_arrives_later(tmp_path: Path) -> None:
    _check(tmp_path, [], [_person("a.txt", "Maria Lopez")])


def test_a_stored_surname_leaves_a_full_name_when_a_second_arrives(tmp_path: Path) -> None:
    _check(tmp_path, [_person("a.txt", "Maria Lopez")], [_person("c.txt", "Ann Lopez")])


def test_names_that_shared_an_entity_split_within_one_article(tmp_path: Path) -> None:
    # "EU" joined "European Union" while it was the only long form with those
    # initials; "Edinburgh University" makes "EU" ambiguous again.
    text = "EU spokeswoman Ann Lee spoke. The European Union agreed."
    article = Article("eu.txt", text, "eu.txt", content_hash="e" * 64)
    works = Relation(
        "Ann Lee",
        "Person",
        "schema:worksFor",
        "EU",
        "Organization",
        "EU spokeswoman Ann Lee spoke.",
    )
    eu = Extraction(
        article,
        (
            Mention("EU", "Organization", 0, 2),
            Mention("Ann Lee", "Person", 15, 22),
            Mention("European Union", "Organization", 34, 48),
        ),
        (works,),
    )
    with open_store(tmp_path / "store") as store:
        store.replace_graphs({article_iri(BASE, "eu.txt"): to_ntriples(_graph(eu, []))})
        held = stored_names(store)
        uni = _person("u.txt", "x")
        uni = Extraction(uni.article, (Mention("Edinburgh University", "Organization", 0, 20),))
        iri = article_iri(BASE, "eu.txt")
        changed = updates(store, BASE, resolve(held.values()), resolve([*held.values(), uni]), held)
    rewritten = Graph().parse(data=changed[iri], format="nt")
    assert isomorphic(rewritten, _graph(eu, [uni]))
    # The fact went with the name that gave it: Ann Lee works for "EU", not the Union.
    assert "id/org/eu>" in changed[iri].decode().split("worksFor> ", 1)[1].splitlines()[0]
