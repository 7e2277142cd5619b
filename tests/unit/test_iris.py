"""Deterministic IRIs (kg.iris)."""

from __future__ import annotations

from kg.iris import article_iri, entity_iri, slug, statement_iri

BASE = "https://example.org/id/"


def test_slug_is_ascii_and_stable():
    assert slug("fumio kishida") == "fumio-kishida"
    assert slug("São Paulo") == slug("São Paulo")
    assert slug("São Paulo").startswith("sao-paulo-")
    assert slug("São Paulo") != slug("Sao Paulo")


def test_slug_of_unslugable_text_is_a_hash():
    out = slug("東京")
    assert len(out) == 16 and out.isalnum()


def test_long_names_are_truncated_with_a_hash():
    out = slug("a" * 200)
    assert len(out) <= 60 + 9
    assert out != slug("a" * 199)


def test_entity_iri_depends_on_class_and_key():
    assert entity_iri(BASE, "Person", "ann lee") == BASE + "person/ann-lee"
    assert entity_iri(BASE, "Country", "jordan") != entity_iri(BASE, "Person", "jordan")


def test_article_iri_is_its_identifier_whatever_its_text():
    assert article_iri(BASE, "001.txt") == article_iri(BASE, "001.txt")
    assert article_iri(BASE, "a/001.txt") != article_iri(BASE, "b/001.txt")
    assert article_iri(BASE, "A.txt") != article_iri(BASE, "a.txt")
    assert article_iri(BASE, "https://example.org/news/1").startswith(BASE + "article/")


def test_statement_iri_differs_per_sentence():
    one = statement_iri(BASE, "s", "p", "o", "a", "First sentence.")
    two = statement_iri(BASE, "s", "p", "o", "a", "Second sentence.")
    assert one != two
    assert one == statement_iri(BASE, "s", "p", "o", "a", "First sentence.")
