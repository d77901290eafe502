"""ISO 3166 country names and codes (pycountry, the maintained ISO data) for the gazetteer.

The gazetteer's states.tsv names each UN member and observer with the short name, aliases and
demonyms its curators chose; ISO 3166-1 adds what a text may also call the state ("Democratic
Socialist Republic of Sri Lanka", "Türkiye", "Viet Nam") and its alpha-3 code, so no one keeps
those lists by hand. A state is paired with its ISO entry by its label or one of its aliases.
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry


@dataclass(frozen=True)
class IsoCountry:
    alpha3: str
    names: tuple[str, ...]       # name, official name, common name (as ISO 3166-1 gives them)


def iso_country(names: tuple[str, ...]) -> IsoCountry | None:
    """The ISO 3166-1 country one of these names is (first name that ISO knows), or None."""
    for name in names:
        try:
            found = pycountry.countries.lookup(name)
        except LookupError:
            continue
        spelled = [getattr(found, f, None) for f in ("name", "official_name", "common_name")]
        return IsoCountry(found.alpha_3, tuple(dict.fromkeys(
            n for n in spelled if n and "," not in n)))  # "Korea, Republic of" is an index form
    return None
