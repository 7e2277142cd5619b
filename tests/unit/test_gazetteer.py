"""Country, demonym and capital look-ups from the packaged gazetteer."""

from __future__ import annotations

import pytest

from kg.gazetteer import gazetteer


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Russia", "Russia"),
        ("Russian Federation", "Russia"),
        ("South Korea", "South Korea"),
        ("the United States", "United States"),
        ("Britain", "United Kingdom"),
        ("Bosnia and Herzegovina", "Bosnia and Herzegovina"),
        ("Viet Nam", "Vietnam"),
    ],
)
def test_country_names(text, name):
    found = gazetteer().country(text)
    assert found is not None and found.name == name


def test_codes_only_when_allowed():
    assert gazetteer().country("DEU") is None
    found = gazetteer().country("DEU", allow_code=True)
    assert found is not None and found.name == "Germany"


def test_two_letter_codes_are_never_countries_but_us_and_uk_are_names():
    assert gazetteer().country("BT", allow_code=True) is None
    assert gazetteer().country("FR", allow_code=True) is None
    for text, name in (
        ("US", "United States"),
        ("U.S.", "United States"),
        ("UK", "United Kingdom"),
    ):
        found = gazetteer().country(text)
        assert found is not None and found.name == name


def test_cities_are_not_countries():
    assert gazetteer().country("Paris") is None


@pytest.mark.parametrize(
    ("adjective", "name"),
    [
        ("French", "France"),
        ("Japanese", "Japan"),
        ("British", "United Kingdom"),
        ("American", "United States"),
        ("Dutch", "Netherlands"),
    ],
)
def test_demonyms_pick_the_sovereign_state(adjective, name):
    found = gazetteer().demonym(adjective)
    assert found is not None and found.name == name


def test_capitals_and_cities():
    g = gazetteer()
    capital = g.capital_of("Moscow")
    assert capital is not None and capital.name == "Russia"
    assert g.city_in("Lyon", "FRA") is True
    assert g.city_in("Lyon", "DEU") is False
    assert g.city_in("Nowhereville", "FRA") is None


@pytest.mark.parametrize("name", ["Hong Kong", "Gibraltar", "Puerto Rico", "Greenland"])
def test_territories_are_no_countries(name):
    assert gazetteer().country(name) is None


def test_sovereign_states_stay_countries():
    assert gazetteer().country("Taiwan") is not None
    assert gazetteer().country("France") is not None
