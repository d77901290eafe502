"""ISO 3166 country names and codes (pycountry, the maintained ISO data) for the gazetteer.

The gazetteer's states.tsv names each UN member and observer with the short name, aliases and
demonyms its curators chose; ISO 3166-1 adds what a text may also call the state ("Democratic
Socialist Republic of Sri Lanka", "Türkiye", "Viet Nam") and its alpha-3 code, so no one keeps
those lists by hand. A state is paired with its ISO entry by its label or one of its aliases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from kg.text import fold


@dataclass(frozen=True)
class IsoCountry:
    alpha3: str
    names: tuple[str, ...]       # name, official name, common name (as ISO 3166-1 gives them)


def iso_country(names: tuple[str, ...]) -> IsoCountry | None:
    """The ISO 3166-1 country one of these names is (first name that ISO knows), or None."""
    for name in names:
        found = _lookup(name)
        if found is None:
            continue
        spelled = [getattr(found, f, None) for f in ("name", "official_name", "common_name")]
        return IsoCountry(found.alpha_3, tuple(dict.fromkeys(
            n for n in spelled if n and "," not in n and "(" not in n)))  # index forms
    return None


def _lookup(name: str) -> Any:
    try:
        return pycountry.countries.lookup(name)
    except LookupError:
        return _as_written().get(fold(name))


@cache
def _as_written() -> dict[str, Any]:
    """ISO's countries by their names as a text writes them, accents folded: ISO spells some
    only in index form ("Palestine, State of", "Congo, The Democratic Republic of the", "Holy
    See (Vatican City State)")."""
    out: dict[str, Any] = {}
    for country in pycountry.countries:
        for field in ("name", "official_name", "common_name"):
            name = getattr(country, field, None)
            for form in _written(name) if name else ():
                out.setdefault(fold(form), country)
    return out


def _written(name: str) -> list[str]:
    plain = re.sub(r"\s*\(.*?\)", "", name).strip()  # "Holy See (Vatican City State)"
    head, comma, tail = plain.partition(", ")
    whole = f"{tail} {head}" if comma else plain  # "Palestine, State of": "State of Palestine"
    return [plain, whole, re.sub(r"^the\s+", "", whole, flags=re.IGNORECASE)]
