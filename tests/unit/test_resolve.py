"""Canonical names, acronyms and merging (kg.resolve) on hand-made records."""

from __future__ import annotations

import pytest

from kg.records import Article, Extraction, Mention, Relation
from kg.resolve import (
    acronym_definitions,
    from_names_record,
    initials,
    name_key,
    names_record,
    org_variant,
    pick_label,
    resolve,
)


def _ex(aid: str, text: str, *mentions: tuple[str, str]) -> Extraction:
    article = Article(aid, text, aid, content_hash="0" * 64)
    return Extraction(article, tuple(Mention(t, c, 0, len(t)) for t, c in mentions))


def test_name_key_folds_case_the_punctuation_and_spelling():
    assert name_key("The U.S.") == "us"
    assert name_key("Partnership Programme") == name_key("partnership program")
    assert name_key("NATO's") == "nato"
    assert name_key("Co-operation  Centre") == "cooperation center"


def test_initials_skip_function_words_unless_asked():
    assert initials("Organization for Security and Co-operation in Europe") == "OSCE"
    assert initials("Asia-Pacific Economic Cooperation", split_hyphens=True) == "APEC"
    assert initials("Plan of Action", function_words=True) == "POA"
    assert initials("United Nations") == "UN"


def test_acronym_definitions_take_the_shortest_matching_tail():
    text = "They signed the Joint Comprehensive Plan of Action (JCPOA) in 2015."
    assert acronym_definitions(text) == {"JCPOA": "Joint Comprehensive Plan of Action"}
    assert acronym_definitions("He met the Acme Corp chief (CEO).") == {}


def test_surname_joins_the_one_full_name_in_the_article():
    res = resolve([_ex("a", "", ("Maria Lopez", "Person"), ("Lopez", "Person"))])
    entity = res.lookup("a", "Person", "Lopez")
    assert entity is not None
    assert entity.label == "Maria Lopez"
    assert entity.aliases == ("Lopez",)


def test_surname_with_two_candidates_stays_alone():
    res = resolve([_ex("a", "", ("Ann Lee", "Person"), ("Bo Lee", "Person"), ("Lee", "Person"))])
    entity = res.lookup("a", "Person", "Lee")
    assert entity is not None and entity.label == "Lee"


def test_surname_merges_across_articles_of_a_run():
    res = resolve([_ex("a", "", ("Maria Lopez", "Person")), _ex("b", "", ("Lopez", "Person"))])
    assert res.lookup("b", "Person", "Lopez") == res.lookup("a", "Person", "Maria Lopez")


def test_defined_acronym_binds_to_long_form_and_becomes_alias():
    text = "They joined the Global Fisheries Compact (GFC) today."
    res = resolve(
        [
            _ex("a", text, ("Global Fisheries Compact", "Agreement")),
            _ex("b", "", ("GFC", "Agreement")),
        ]
    )
    long_form = res.lookup("a", "Agreement", "Global Fisheries Compact")
    assert long_form is not None
    assert res.lookup("b", "Agreement", "GFC") == long_form
    assert "GFC" in long_form.aliases


def test_undefined_acronym_joins_unique_long_name_with_its_initials():
    res = resolve([_ex("a", "", ("World Rowing Union", "Organization"), ("WRU", "Organization"))])
    assert res.lookup("a", "Organization", "WRU") == res.lookup(
        "a", "Organization", "World Rowing Union"
    )


def test_countries_use_the_gazetteer_name():
    res = resolve([_ex("a", "", ("U.S.", "Country")), _ex("b", "", ("United States", "Country"))])
    entity = res.lookup("a", "Country", "U.S.")
    assert entity is not None
    assert entity.label == "United States"
    assert res.lookup("b", "Country", "United States") == entity


def test_same_name_different_class_stays_apart():
    res = resolve([_ex("a", "", ("Jordan", "Person"), ("Jordan", "Country"))])
    person = res.lookup("a", "Person", "Jordan")
    country = res.lookup("a", "Country", "Jordan")
    assert person is not None and country is not None
    assert person != country


# ---------------------------------------------------------------- across runs


def _titled(aid: str, name: str, title: str) -> Extraction:
    """An article naming ``name`` with a job title."""
    article = Article(aid, "", aid, content_hash="0" * 64)
    title_rel = Relation(name, "Person", "schema:jobTitle", title, None, f"{title} {name}.")
    return Extraction(article, (Mention(name, "Person", 0, len(name)),), (title_rel,))


def _stored(ex: Extraction) -> Extraction:
    """An article as a later run sees it: its names as the store keeps them."""
    return from_names_record(ex.article.identifier, names_record(ex))


def test_stored_names_resolve_as_the_articles_themselves():
    text = "They signed the Global Fisheries Compact (GFC) today."
    exs = [
        _ex("a", text, ("Global Fisheries Compact", "Agreement"), ("Maria Lopez", "Person")),
        _ex("b", "", ("GFC", "Agreement"), ("Lopez", "Person")),
        _titled("c", "Ann Lee", "Mayor"),
    ]
    direct, stored = resolve(exs), resolve([_stored(ex) for ex in exs])
    assert stored.entities == direct.entities
    assert stored.index == direct.index
    assert stored.surfaces == direct.surfaces


def test_a_surname_joins_a_full_name_from_an_earlier_run_and_leaves_it_when_ambiguous():
    lopez = _ex("b", "", ("Lopez", "Person"))
    maria = _stored(_ex("a", "", ("Maria Lopez", "Person")))
    joined = resolve([maria, lopez]).lookup("b", "Person", "Lopez")
    assert joined is not None and joined.label == "Maria Lopez"
    ann = _ex("c", "", ("Ann Lopez", "Person"))
    alone = resolve([maria, _stored(lopez), ann]).lookup("b", "Person", "Lopez")
    assert alone is not None and alone.label == "Lopez"


def test_a_title_that_cannot_hold_keeps_two_people_apart():
    # "President Bush" in one article, the singer Kate Bush in another.
    res = resolve([_titled("a", "Bush", "President"), _ex("b", "", ("Kate Bush", "Person"))])
    bush = res.lookup("a", "Person", "Bush")
    assert bush is not None and bush.label == "Bush"
    # With a President George Bush too, the titled surname joins him, not the singer.
    george = _titled("c", "George Bush", "President")
    res = resolve(
        [_titled("a", "Bush", "President"), _ex("b", "", ("Kate Bush", "Person")), george]
    )
    joined = res.lookup("a", "Person", "Bush")
    assert joined is not None and joined.label == "George Bush"


def test_labels_do_not_depend_on_order_or_frequency():
    forms = ["TOKYO", "Tokyo", "Tokyo's"]
    assert pick_label("Place", forms, "tokyo") == "Tokyo"
    assert pick_label("Place", reversed(forms), "tokyo") == "Tokyo"
    assert pick_label("Organization", ["Nato", "NATO"], "nato") == "NATO"
    assert pick_label("Organization", ["NIKKEI ASIA", "Nikkei Asia"], "nikkei asia") == (
        "Nikkei Asia"
    )


@pytest.mark.parametrize(
    ("short", "full", "same"),
    [
        ("columbia distributor", "columbia funds distributor", True),
        ("disney", "walt disney", True),
        ("manchester city", "manchester city football club", True),
        ("lib dems", "liberal democrats", True),
        ("radio 4", "bbc radio 4", True),
        ("tories", "tory party", True),
        ("conservatives", "conservative party", True),
        ("city", "manchester city", True),  # the club, as its fans say
        ("ibm", "lenovo ibm", False),  # four letters at least for a last word alone
        ("acme", "acme scotland", False),  # a first word is another rule's business
        ("radio 4", "itv radio 4", False),  # "itv" is no organisation of the article
        ("liberal party", "liberal democrats", False),
        ("man utd", "manchester united", True),  # letters in order
        ("man utd", "manchester city", False),
        ("new labour", "north london", False),  # "new" is no clipped "north"
    ],
)
def test_org_variants_within_an_article(short, full, same):
    orgs = {short, full, "bbc"}
    assert org_variant(short, full, orgs) is same


def test_acronyms_defined_in_apposition_and_by_letters_in_order():
    text = (
        "CENTR, the Council of European National Top Level Domain Registries, agrees. "
        "The probe into Columbia Management Advisors (CAM) went on. "
        "NATO, the alliance, said no."
    )
    assert acronym_definitions(text) == {
        "CENTR": "Council of European National Top Level Domain Registries",
        "CAM": "Columbia Management Advisors",
    }


def test_a_forum_with_an_acronym_of_its_own_is_the_body_the_acronym_names():
    text = "But the Kestrel Internet Forum (KIF) is concerned. Ann Dale, director of KIF, said so."
    article = Article(identifier="k.txt", text=text, source="k.txt")
    mentions = (
        Mention("Kestrel Internet Forum", "Event", 8, 30),
        Mention("KIF", "Organization", 32, 35),
        Mention("KIF", "Organization", 76, 79),
    )
    res = resolve([Extraction(article, mentions, ())])
    entity = res.lookup("k.txt", "Organization", "KIF")
    assert entity is not None and entity.label == "Kestrel Internet Forum"
    assert res.lookup("k.txt", "Event", "Kestrel Internet Forum") == entity


def test_a_variant_one_article_binds_names_that_body_in_the_others():
    res = resolve(
        [
            _ex("a", "", ("Tory Party", "Organization"), ("Tories", "Organization")),
            _ex("b", "", ("Tories", "Organization")),
            _ex("c", "", ("Manchester City", "Organization"), ("City", "Organization")),
            _ex("d", "", ("City", "Organization")),
        ]
    )
    tories = res.lookup("b", "Organization", "Tories")
    assert tories is not None and tories.label == "Tory Party"
    # a lone last word may be another club elsewhere
    city = res.lookup("d", "Organization", "City")
    assert city is not None and city.label == "City"


def test_a_variant_bound_to_two_bodies_stays_alone_elsewhere():
    res = resolve(
        [
            _ex("a", "", ("Acme Holdings Group", "Organization"), ("Acme Group", "Organization")),
            _ex("b", "", ("Acme Insurance Group", "Organization"), ("Acme Group", "Organization")),
            _ex("c", "", ("Acme Group", "Organization")),
        ]
    )
    alone = res.lookup("c", "Organization", "Acme Group")
    assert alone is not None and alone.label == "Acme Group"


def test_an_acronym_is_not_the_longer_name_it_opens():
    res = resolve([_ex("a", "", ("BBC", "Organization"), ("BBC Radio 4", "Organization"))])
    bbc = res.lookup("a", "Organization", "BBC")
    assert bbc is not None and bbc.label == "BBC"
