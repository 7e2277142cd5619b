"""Job titles around names (kg.nlp.titles, kg.nlp.title_facts) on hand-built docs: no trained
model needed."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from kg.gazetteer import gazetteer
from kg.nlp.entities import Found
from kg.nlp.title_facts import find_titles
from kg.nlp.titles import LEADER, MEMBER, WORKS, match_title, past_marked


def _doc(words: list[str], ents: list[tuple[int, int, str]]) -> Doc:
    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words)
    for i, tok in enumerate(doc):
        tok.is_sent_start = i == 0
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc


def _found(doc: Doc, start: int, end: int, cls: str) -> Found:
    return Found(start, end, cls, doc[start:end].text)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Prime", "Minister"], (LEADER, "Prime Minister", 0)),
        (["Secretary", "-", "General"], (LEADER, "Secretary General", 0)),
        (["Foreign", "Minister"], (WORKS, "Foreign Minister", 0)),
        (["Vice", "President"], (WORKS, "Vice President", 0)),
        (["chief", "executive"], (LEADER, "chief executive", 0)),
        (["spokesman"], (WORKS, "spokesman", 0)),
        (["MP"], (MEMBER, "MP", 0)),
    ],
)
def test_match_title(words, expected):
    assert match_title(words) == expected


def test_past_office_keeps_the_title_but_marks_it_past():
    assert match_title(["former", "President"]) == (LEADER, "President", 1)
    assert past_marked(["former", "President"])
    assert not past_marked(["Prime", "Minister"])


def test_field_modifiers_stay_in_the_title():
    assert match_title(["deputy", "enforcement", "director"]) == (
        WORKS,
        "deputy enforcement director",
        0,
    )
    assert match_title(["co", "-", "chairman"]) == (WORKS, "co-chairman", 0)
    assert match_title(["Secretary", "-", "General"]) == (LEADER, "Secretary General", 0)


def test_demonym_title_leads_the_country():
    doc = _doc(
        ["Italian", "Prime", "Minister", "Anna", "Bruni", "spoke", "."],
        [(0, 1, "NORP"), (3, 5, "PERSON")],
    )
    person = _found(doc, 3, 5, "Person")
    (fact,) = find_titles(doc, [person], gazetteer())
    assert (fact.title, fact.kind) == ("Prime Minister", LEADER)
    assert fact.org is not None and (fact.org.name, fact.org.cls) == ("Italy", "Country")


def test_org_title_before_name():
    doc = _doc(
        ["Acme", "spokeswoman", "Jo", "Park", "said", "so", "."], [(0, 1, "ORG"), (2, 4, "PERSON")]
    )
    org, person = _found(doc, 0, 1, "Organization"), _found(doc, 2, 4, "Person")
    (fact,) = find_titles(doc, [org, person], gazetteer())
    assert (fact.title, fact.kind, fact.org) == ("spokeswoman", WORKS, org)


def test_appositive_title_with_possessive_org():
    words = ["Jo", "Park", ",", "Acme", "'s", "chief", "executive", ",", "left", "."]
    doc = _doc(words, [(0, 2, "PERSON"), (3, 4, "ORG")])
    person, org = _found(doc, 0, 2, "Person"), _found(doc, 3, 4, "Organization")
    (fact,) = find_titles(doc, [person, org], gazetteer())
    assert (fact.title, fact.kind, fact.org, fact.appositive) == (
        "chief executive",
        LEADER,
        org,
        True,
    )


def test_appositive_title_of_org():
    words = ["Jo", "Park", ",", "the", "mayor", "of", "Lyon", ",", "left", "."]
    doc = _doc(words, [(0, 2, "PERSON"), (6, 7, "GPE")])
    person, city = _found(doc, 0, 2, "Person"), _found(doc, 6, 7, "Place")
    (fact,) = find_titles(doc, [person, city], gazetteer())
    assert (fact.title, fact.kind, fact.org) == ("mayor", LEADER, city)


def test_title_with_no_org_names_nobody_to_lead():
    doc = _doc(["President", "Jo", "Park", "left", "."], [(1, 3, "PERSON")])
    (fact,) = find_titles(doc, [_found(doc, 1, 3, "Person")], gazetteer())
    assert (fact.title, fact.org) == ("President", None)


def test_plain_word_before_name_is_no_title():
    doc = _doc(["Yesterday", "Jo", "Park", "left", "."], [(1, 3, "PERSON")])
    assert find_titles(doc, [_found(doc, 1, 3, "Person")], gazetteer()) == []


def test_company_title_with_a_country_leads_nothing():
    doc = _doc(
        ["UK", "chief", "executive", "Jo", "Park", "left", "."], [(0, 1, "GPE"), (3, 5, "PERSON")]
    )
    uk, person = _found(doc, 0, 1, "Country"), _found(doc, 3, 5, "Person")
    (fact,) = find_titles(doc, [uk, person], gazetteer())
    assert (fact.title, fact.org) == ("chief executive", None)


def test_possessive_before_the_modifier_voids_it():
    words = ["its", "Acme", "spokesman", "Jo", "Park", "left", "."]
    doc = _doc(words, [(1, 2, "ORG"), (3, 5, "PERSON")])
    doc[0].tag_ = "PRP$"
    org, person = _found(doc, 1, 2, "Organization"), _found(doc, 3, 5, "Person")
    (fact,) = find_titles(doc, [org, person], gazetteer())
    assert fact.org is None
