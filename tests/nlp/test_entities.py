"""NER spans to contract classes (kg.nlp.entities) on hand-built docs."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.gazetteer import gazetteer
from kg.nlp.entities import classify, plausible_name


def _span(text: str):
    doc = Doc(spacy.blank("en").vocab, words=text.split())
    return doc[:]


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("Acme Shipping", "PERSON", ("Organization", "Acme Shipping")),
        ("Ana Ruiz", "PERSON", ("Person", "Ana Ruiz")),
        ("Paris Climate Agreement", "ORG", ("Agreement", "Paris Climate Agreement")),
        ("Davos Summit", "ORG", ("Event", "Davos Summit")),
        ("Russian Federation", "GPE", ("Country", "Russia")),
        ("Lyon", "GPE", ("Place", "Lyon")),
        ("Alps", "LOC", ("Place", "Alps")),
        ("Party", "ORG", None),
        ("the Group", "ORG", None),
        ("Chelsea v Arsenal", "ORG", None),
        ("Monday", "DATE", None),
    ],
)
def test_classify(text, label, expected):
    assert classify(_span(text), label, gazetteer()) == expected


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Acme", True),
        ("acme", False),
        ("x", False),
        ("news@acme.com", False),
        ("www.acme.com", False),
        ("non-EU", False),
        ("shareicon", False),
    ],
)
def test_plausible_name(text, ok):
    assert plausible_name(_span(text)) is ok


def test_formal_name_takes_its_closing_region():
    from spacy.tokens import Span

    from kg.nlp.entities import find_entities

    words = [
        "the",
        "Council",
        "for",
        "Trade",
        "and",
        "Peace",
        "in",
        "Europe",
        "met",
        "in",
        "Rome",
        ".",
    ]
    doc = Doc(spacy.blank("en").vocab, words=words)
    for i, tok in enumerate(doc):
        tok.is_sent_start = i == 0
    doc.ents = [
        Span(doc, 1, 6, label="ORG"),
        Span(doc, 7, 8, label="LOC"),
        Span(doc, 10, 11, label="GPE"),
    ]
    names = [(f.name, f.cls) for f in find_entities(doc, gazetteer())]
    assert names == [("Council for Trade and Peace in Europe", "Organization"), ("Rome", "Place")]


def _listed(kind: str, lemma: str, link: list[str]) -> list[tuple[str, str]]:
    from spacy.tokens import Span

    from kg.nlp.entities import find_entities

    words = ["Look", "at", kind, *link, "Hartford", "and", "Kelso", "now", "."]
    doc = Doc(spacy.blank("en").vocab, words=words)
    for i, tok in enumerate(doc):
        tok.is_sent_start = i == 0
    doc[2].tag_, doc[2].lemma_ = "NNS", lemma
    at = 3 + len(link)
    doc.ents = [Span(doc, at, at + 1, label="PERSON"), Span(doc, at + 2, at + 3, label="PERSON")]
    return [(f.name, f.cls) for f in find_entities(doc, gazetteer())]


def test_names_listed_after_a_kind_of_organisation_are_organisations():
    expected = [("Hartford", "Organization"), ("Kelso", "Organization")]
    assert _listed("clubs", "club", ["like"]) == expected
    assert _listed("firms", "firm", ["such", "as"]) == expected
    # people listed after a word for people stay people
    assert _listed("fans", "fan", ["like"]) == [("Hartford", "Person"), ("Kelso", "Person")]


def test_results_after_a_name_are_no_part_of_it():
    from spacy.tokens import Span

    from kg.nlp.entities import find_entities

    words = ["Kim", "beat", "Jie", "Zheng", "6", "-", "2", "7", "-", "5", "today", "."]
    doc = Doc(spacy.blank("en").vocab, words=words)
    for i, tok in enumerate(doc):
        tok.is_sent_start = i == 0
    doc.ents = [Span(doc, 2, 10, label="PERSON")]
    assert [(f.name, f.cls) for f in find_entities(doc, gazetteer())] == [("Jie Zheng", "Person")]
