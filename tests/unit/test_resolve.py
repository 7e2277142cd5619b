"""Canonical names, acronyms and merging (kg.resolve) on hand-made records."""

from __future__ import annotations

from kg.records import Article, Extraction, KnownEntity, Mention, Relation
from kg.resolve import acronym_definitions, initials, name_key, pick_label, resolve


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


def _known(
    iri_key: str, cls: str, label: str, *forms: str, titles: tuple[str, ...] = ()
) -> KnownEntity:
    path = {"Person": "person", "Organization": "org", "Agreement": "agreement"}[cls]
    return KnownEntity(f"{BASE}{path}/{iri_key}", cls, label, (label, *forms), titles)


BASE = "https://w3id.org/kg-populator/id/"


def test_a_surname_joins_the_full_name_the_store_holds():
    known = [_known("maria-lopez", "Person", "Maria Lopez")]
    res = resolve([_ex("b", "", ("Lopez", "Person"))], known)
    entity = res.lookup("b", "Person", "Lopez")
    assert entity is not None and entity.label == "Maria Lopez"
    assert res.aliases_in("b", entity) == ("Lopez",)
    assert res.known[known[0].iri] == ("Person", "maria lopez")


def test_a_known_surname_entity_joins_a_full_name_that_arrives_later():
    known = [_known("lopez", "Person", "Lopez")]
    res = resolve([_ex("b", "", ("Maria Lopez", "Person"))], known)
    assert res.known[known[0].iri] == ("Person", "maria lopez")
    assert res.entities[("Person", "maria lopez")].label == "Maria Lopez"


def test_a_title_that_cannot_hold_keeps_two_people_apart():
    # "President Bush" in one article, the singer Kate Bush in another.
    res = resolve([_titled("a", "Bush", "President"), _ex("b", "", ("Kate Bush", "Person"))])
    bush = res.lookup("a", "Person", "Bush")
    assert bush is not None and bush.label == "Bush"
    # With a President Bush known, the titled surname joins him, not the singer.
    known = [
        _known("kate-bush", "Person", "Kate Bush"),
        _known("george-bush", "Person", "George Bush", titles=("President",)),
    ]
    res = resolve([_titled("c", "Bush", "President")], known)
    joined = res.lookup("c", "Person", "Bush")
    assert joined is not None and joined.label == "George Bush"


def test_a_defined_acronym_takes_a_known_entity_to_its_long_form():
    known = [_known("nfc", "Organization", "NFC")]
    text = "Both signed the Northern Fisheries Compact (NFC) today."
    res = resolve([_ex("a", text, ("Northern Fisheries Compact", "Agreement"))], known)
    assert res.known[known[0].iri] == ("Agreement", "northern fisheries compact")
    # ... and an acronym a known entity carries binds a new article's use of it.
    carried = [
        _known("northern-fisheries-compact", "Agreement", "Northern Fisheries Compact", "NFC")
    ]
    res = resolve([_ex("b", "", ("NFC", "Organization"))], carried)
    entity = res.lookup("b", "Organization", "NFC")
    assert entity is not None and entity.label == "Northern Fisheries Compact"


def test_labels_do_not_depend_on_order_or_frequency():
    forms = ["TOKYO", "Tokyo", "Tokyo's"]
    assert pick_label("Place", forms, "tokyo") == "Tokyo"
    assert pick_label("Place", reversed(forms), "tokyo") == "Tokyo"
    assert pick_label("Organization", ["Nato", "NATO"], "nato") == "NATO"
    assert pick_label("Organization", ["NIKKEI ASIA", "Nikkei Asia"], "nikkei asia") == (
        "Nikkei Asia"
    )
