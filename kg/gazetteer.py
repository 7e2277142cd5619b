"""Countries, demonyms, capitals and cities from packaged data (see scripts/make_gazetteer.py)."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import tomllib
from dataclasses import dataclass, field

from kg.resources import data_path


@dataclass(frozen=True, slots=True)
class Country:
    """A sovereign state: canonical English name and ISO code."""

    name: str
    alpha3: str


def _fold(text: str) -> str:
    text = text.strip()
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"[.\s]+", " ", text).strip().casefold()


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Look-ups of country names, codes, demonyms and city countries."""

    by_name: dict[str, Country]
    by_code: dict[str, Country]
    by_demonym: dict[str, Country]
    city_countries: dict[str, frozenset[str]]
    by_capital: dict[str, Country]
    city_population: dict[str, int] = field(default_factory=dict)
    nations: frozenset[str] = frozenset()

    def country(self, text: str, *, allow_code: bool = False) -> Country | None:
        """The country a name (or, if allowed, an upper-case code like "US") denotes."""
        found = self.by_name.get(_fold(text))
        if found is None and allow_code:
            found = self.by_code.get(text.replace(".", "").strip())
        return found

    def demonym(self, text: str) -> Country | None:
        """The country of an adjective of nationality ("Japanese" → Japan)."""
        return self.by_demonym.get(_fold(text))

    def is_nation(self, name: str) -> bool:
        """Whether a name is a country or a nation within one ("England"): a person's nation."""
        return self.country(name) is not None or _fold(name) in self.nations

    def capital_of(self, city: str) -> Country | None:
        """The country whose capital a city is ("Tokyo" → Japan), for metonymy."""
        return self.by_capital.get(_fold(city))

    def countries_of_city(self, city: str) -> frozenset[str]:
        """The alpha-3 codes of the countries that have a city of this name."""
        return self.city_countries.get(_fold(city), frozenset())

    def population(self, city: str) -> int:
        """The population of the largest city of this name (0 when unknown)."""
        return self.city_population.get(_fold(city), 0)

    def city_in(self, city: str, alpha3: str) -> bool | None:
        """Whether a city lies in a country: True, False, or None when the city is unknown."""
        countries = self.city_countries.get(_fold(city))
        if countries is None:
            return None
        return alpha3 in countries


@functools.cache
def gazetteer() -> Gazetteer:
    """Load the packaged gazetteer once per process."""
    rows = json.loads(data_path("countries.json").read_text(encoding="utf-8"))
    extra = tomllib.loads(data_path("countries_extra.toml").read_text(encoding="utf-8"))
    by_name: dict[str, Country] = {}
    by_code: dict[str, Country] = {}
    by_demonym: dict[str, Country] = {}
    by_alpha3: dict[str, Country] = {}
    by_capital: dict[str, Country] = {}
    # The most populous country wins a shared demonym or capital ("French": France,
    # not the French Southern Lands).
    rows.sort(key=lambda r: -r.get("population", 0))
    # Territories that are no sovereign state ("Hong Kong", "Gibraltar") are places:
    # the contract keeps schema:Country for sovereign states.
    dependent = set(extra["dependencies"]["codes"])
    rows = [r for r in rows if r["alpha3"] not in dependent]
    for row in rows:
        country = Country(row["name"], row["alpha3"])
        if row.get("capital"):
            by_capital.setdefault(_fold(row["capital"]), country)
        by_alpha3[country.alpha3] = country
        # Two-letter ISO codes are not taken from text ("BT" is a company far more
        # often than Bhutan); "US" and "UK" come in as names from countries_extra.toml.
        by_code[row["alpha3"]] = country
        for alias in row["aliases"]:
            if alias.isupper() and len(alias) <= 3:
                if len(alias) == 3:
                    by_code.setdefault(alias, country)
            else:
                by_name.setdefault(_fold(alias), country)
        for demonym in row["demonyms"]:
            by_demonym.setdefault(_fold(demonym), country)
    # Canonical names win over any alias that collides with them.
    for country in by_alpha3.values():
        by_name[_fold(country.name)] = country
    for code, names in extra["aliases"].items():
        for name in names:
            by_name[_fold(name)] = by_alpha3[code]
    for code, names in extra["demonyms"].items():
        for name in names:
            by_demonym[_fold(name)] = by_alpha3[code]
    cities: dict[str, set[str]] = {}
    population: dict[str, int] = {}
    text = data_path("cities.tsv").read_text(encoding="utf-8")
    for rec in csv.DictReader(io.StringIO(text), delimiter="\t"):
        key = _fold(rec["name"])
        cities.setdefault(key, set()).add(rec["country"])
        population[key] = max(population.get(key, 0), int(rec["population"] or 0))
    return Gazetteer(
        by_name,
        by_code,
        by_demonym,
        {k: frozenset(v) for k, v in cities.items()},
        by_capital,
        population,
        frozenset(_fold(n) for names in extra["nations"].values() for n in names),
    )
