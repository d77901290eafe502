"""Queries written in Wikidata's vocabulary (wd: items, wdt: direct properties) answer for our
facts: the alignment lives in ontology/wikidata.ttl and the OWL 2 RL closure does the rest."""

from __future__ import annotations

import pytest
from rdflib import Dataset

from .helpers import sparql

PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX id: <https://w3id.org/diplo-kg/id/>
"""

ASKS = {
    "Turkey and Kazakhstan in a diplomatic relation": "wd:Q43 wdt:P530 wd:Q232 .",
    "... both ways": "wd:Q232 wdt:P530 wd:Q43 .",
    "Turkey in the UN": "wd:Q43 wdt:P463 wd:Q1065 .",
    "Kazakhstan in the OIC": "wd:Q232 wdt:P463 wd:Q47543 .",
    "Kazakhstan in the OSCE": "wd:Q232 wdt:P463 wd:Q81299 .",
    "Turkey in the ECO": "wd:Q43 wdt:P463 wd:Q225950 .",
    "Organization of Turkic States founded by Nazarbayev": "wd:Q596850 wdt:P112 wd:Q57394 .",
    "Turkey is a sovereign state": "wd:Q43 wdt:P31 wd:Q3624078 .",
    "Nazarbayev is human": "wd:Q57394 wdt:P31 wd:Q5 .",
    "Istanbul summit located in Istanbul (and in Turkey)":
        "?s wdt:P276 wd:Q406 , wd:Q43 ; wdt:P580 \"2010-09-15\"^^xsd:date ; "
        "wdt:P582 \"2010-09-16\"^^xsd:date .",
    "Almaty summit organised by the Organization of Turkic States":
        "?s wdt:P276 wd:Q35493 ; wdt:P664 wd:Q596850 ; wdt:P580 \"2011-10-21\"^^xsd:date .",
    "Almaty lies in Kazakhstan": "wd:Q35493 wdt:P17 wd:Q232 .",
    # Issue 14's holes: forms the dk: graph states that Wikidata's vocabulary did not reach.
    "a summit's country through its city (chain location ∘ country)":
        "?s wdt:P276 wd:Q35493 ; wdt:P17 wd:Q232 . ?i wdt:P276 wd:Q406 ; wdt:P17 wd:Q43 .",
    "the treaty's parties are its participants":
        "id:strategic-cooperation-agreement wdt:P31 wd:Q131569 ; wdt:P710 wd:Q43 , wd:Q232 .",
    "the treaty's signing place": "id:strategic-cooperation-agreement wdt:P276 wd:Q43 .",
    "the visit it was signed during is its significant event":
        "id:strategic-cooperation-agreement wdt:P793 ?visit . ?visit wdt:P710 wd:Q57394 .",
    "the summit's organiser and place in the series":
        "?s wdt:P664 wd:Q596850 ; wdt:P1545 1 ; wdt:P17 wd:Q232 .",
    "the summit that institutionalised the Organization of Turkic States":
        "wd:Q596850 wdt:P793 ?s . ?s wdt:P276 wd:Q406 .",
    "the interview's main subjects include the states":
        "?doc wdt:P31 wd:Q178651 ; wdt:P921 wd:Q43 , wd:Q232 .",
    "a post's state (applies to jurisdiction)":
        "wd:Q57394 wdt:P39 ?post . ?post wdt:P1001 wd:Q232 .",
}


@pytest.fixture(scope="module")
def dataset(built) -> Dataset:
    return built[0]


def test_no_administrative_unit_wikidata_would_refuse(dataset: Dataset) -> None:
    """dk:locatedIn names every containing place; Wikidata's P131 only the smallest unit, so
    the view must not say that Istanbul's administrative unit is Turkey."""
    assert sparql(dataset, PREFIXES + "ASK { wd:Q406 wdt:P131 wd:Q43 }").askAnswer is False
    assert sparql(dataset, PREFIXES + "ASK { wd:Q406 wdt:P17 wd:Q43 }").askAnswer is True


@pytest.mark.parametrize("pattern", ASKS.values(), ids=ASKS.keys())
def test_wikidata_style_ask(dataset: Dataset, pattern: str) -> None:
    assert sparql(dataset, PREFIXES + f"ASK {{ {pattern} }}").askAnswer is True


def test_shared_memberships_in_wikidata_vocabulary(dataset: Dataset) -> None:
    query = PREFIXES + """SELECT DISTINCT ?org WHERE {
        wd:Q43 wdt:P463 ?org . wd:Q232 wdt:P463 ?org . FILTER(STRSTARTS(STR(?org), STR(wd:)))
    } ORDER BY ?org"""
    found = [str(row[0]).rsplit("/", 1)[-1] for row in sparql(dataset, query)]
    assert found == ["Q1065", "Q225950", "Q47543", "Q81299"]


def test_chair_keeps_its_date_in_our_vocabulary(dataset: Dataset) -> None:
    query = PREFIXES + """PREFIX dk: <https://w3id.org/diplo-kg/ontology#>
        SELECT ?since WHERE { ?org wdt:P488 wd:Q43 .
                              ?c dk:organization ?org ; dk:chair wd:Q43 ; dk:startDate ?since }"""
    assert {str(row[0]) for row in sparql(dataset, query)} == {"2010"}


@pytest.mark.slow
def test_a_mission_in_wikidata_vocabulary(tmp_path) -> None:
    """The state's P531 (diplomatic mission sent), the mission's P17 (country) and P131 (where
    it is), from an embassy the text states."""
    from kg.build import build_dataset
    from kg.settings import from_env

    from .helpers import make_project

    project = make_project(tmp_path)
    sources = project / "data" / "sources"
    for path in sources.iterdir():
        path.unlink()
    (sources / "embassy.txt").write_text(
        "The United States opened its embassy in Nairobi in 1964.", encoding="utf-8")
    dataset, _ = build_dataset(from_env(environ={}, project_dir=project, progress=False))
    query = PREFIXES + """ASK { wd:Q30 wdt:P531 ?mission . ?mission wdt:P17 wd:Q114 ;
                                    wdt:P131 wd:Q3870 }"""
    assert sparql(dataset, query).askAnswer is True
