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


@pytest.mark.parametrize(("text", "label", "expected"), [
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
])
def test_classify(text, label, expected):
    assert classify(_span(text), label, gazetteer()) == expected


@pytest.mark.parametrize(("text", "ok"), [
    ("Acme", True), ("acme", False), ("x", False), ("news@acme.com", False),
    ("www.acme.com", False), ("non-EU", False), ("shareicon", False),
])
def test_plausible_name(text, ok):
    assert plausible_name(_span(text)) is ok
