"""Search: folding, ranking, prefix and fuzzy matches, over the built dataset and over HTTP,
and the completion box in a real browser (with script) and the results page (without)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page
from rdflib import Dataset

from kg.dataset.reader import DatasetReader
from kg.settings import Settings
from kg.text import fold
from kg.views.search import MatchKind, SearchIndex, Tier
from kg.vocab import DK

from .apps import in_process_app
from .browser import screenshot

BASE = "https://w3id.org/diplo-kg/"
ID = BASE + "id/"
MAX_RESULTS = 5
# Six resources, each matching "astana" one way less well than the one before; two more with
# the same label, and an ontology term and a provenance record that match exactly.
RANKING = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dk: <https://w3id.org/diplo-kg/ontology#> .
<https://w3id.org/diplo-kg/graph/entities> {
  <https://w3id.org/diplo-kg/id/a> rdfs:label "Astana" .
  <https://w3id.org/diplo-kg/id/b> rdfs:label "Nur-Sultan city" ; skos:altLabel "ASTANA" .
  <https://w3id.org/diplo-kg/id/c> rdfs:label "Astanaville" .
  <https://w3id.org/diplo-kg/id/d> rdfs:label "Old Astanaville road" .
  <https://w3id.org/diplo-kg/id/e> rdfs:label "Nurastana" .
  <https://w3id.org/diplo-kg/id/f> rdfs:label "Astona" .
  <https://w3id.org/diplo-kg/id/twin-2> rdfs:label "Twin" .
  <https://w3id.org/diplo-kg/id/twin-1> rdfs:label "Twin" .
}
<https://w3id.org/diplo-kg/graph/provenance> {
  <https://w3id.org/diplo-kg/gazetteer/astana> rdfs:label "Astana" .
}
<https://w3id.org/diplo-kg/graph/ontology> { dk:Astana rdfs:label "astana" . }
"""


@pytest.fixture(scope="module")
def index(built) -> SearchIndex:
    dataset, _ = built
    return SearchIndex.from_reader(DatasetReader(dataset), BASE)


def first(index: SearchIndex, text: str, **options) -> str:
    hits = index.search(text, **options)
    assert hits, f"nothing found for {text!r}"
    return hits[0].iri


@pytest.mark.parametrize(("text", "folded"), [
    ("Lale Ülker", "lale ulker"), ("İSTANBUL", "istanbul"), ("Kazakistan'ı", "kazakistan'i"),
    ("Straße", "strasse"), ("Łódź", "lodz"), ("Øresund", "oresund"), ("ＯＳＣＥ", "osce"),
])
def test_folding_drops_case_and_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


# entity → what a user types and how it must match
TYPED = {
    "lale-ulker": {"Ulker": MatchKind.WORD_PREFIX, "lale ülker": MatchKind.EXACT_LABEL,
                   "LALE ÜLKER": MatchKind.EXACT_LABEL},
    "istanbul": {"ıstanbul": MatchKind.EXACT_LABEL, "İstanbul": MatchKind.EXACT_LABEL},
    "kazakhstan": {"Kaz": MatchKind.PREFIX, "Kazakstan": MatchKind.EXACT_ALIAS,
                   "Kazahkstan": MatchKind.FUZZY},
    "nursultan-nazarbayev": {"Nazarbaev": MatchKind.EXACT_ALIAS, "Nazarbayef": MatchKind.FUZZY},
    "osce": {"OSCE": MatchKind.EXACT_ALIAS},
    "united-nations": {"u.n.": MatchKind.EXACT_ALIAS},
}


@pytest.mark.parametrize(("text", "iri", "match"), [
    (text, ID + key, match) for key, typed in TYPED.items() for text, match in typed.items()])
def test_finds_by_label_alias_prefix_and_typo(index: SearchIndex, text: str, iri: str,
                                              match: MatchKind) -> None:
    hit = index.search(text)[0]
    assert (hit.iri, hit.match) == (iri, match)


def test_osce_answers_with_its_label_and_the_alias_that_matched(index: SearchIndex) -> None:
    hit = index.search("osce")[0]
    assert hit.label == "Organization for Security and Co-operation in Europe"
    assert hit.matched == "OSCE"
    assert hit.types == (str(DK.IntergovernmentalOrganization),)


def test_ranking_order_and_scores() -> None:
    dataset = Dataset()
    dataset.parse(data=RANKING, format="trig")
    hits = SearchIndex.from_reader(DatasetReader(dataset), BASE).search("astana", limit=20)
    assert [h.iri.removeprefix(BASE) for h in hits] == [
        "id/a", "id/b", "id/c", "id/d", "id/e", "id/f", "gazetteer/astana", "ontology#Astana"]
    assert [h.match for h in hits[:6]] == list(MatchKind)
    assert [h.tier for h in hits[5:]] == [Tier.DATA, Tier.RECORD, Tier.ONTOLOGY]
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)
    assert hits[0].score == 1.0 and hits[1].matched == "ASTANA"
    twins = SearchIndex.from_reader(DatasetReader(dataset), BASE).search("twin")
    assert [h.iri for h in twins] == [ID + "twin-1", ID + "twin-2"]


def test_instances_rank_before_the_ontology_class(index: SearchIndex) -> None:
    hits = index.search("summit", limit=20)
    summits = [h.iri for h in hits if h.iri.startswith(ID + "summit/")]
    assert len(summits) == 2 and [h.iri for h in hits[:2]] == summits
    assert str(DK.Summit) in [h.iri for h in hits]
    assert [h.tier for h in hits] == sorted(h.tier for h in hits)


def test_limit_cuts_the_same_ranking(index: SearchIndex) -> None:
    many = index.search("kaz", limit=50)
    assert len(many) > 3
    assert index.search("kaz", limit=3) == many[:3]
    assert index.search("kaz", limit=0) == []


def test_type_filter_uses_inferred_superclasses(index: SearchIndex) -> None:
    states = index.search("kaz", limit=50, types=[str(DK.State)])
    assert [h.iri for h in states] == [ID + "kazakhstan"]
    actors = {h.iri for h in index.search("turk", limit=50, types=[str(DK.Actor)])}
    assert {ID + "turkey", ID + "organization-of-turkic-states"} <= actors
    post = ID + "post/ambassador_lale-ulker"
    everything = {h.iri for h in index.search("ulker", limit=50)}
    holders = {h.iri for h in index.search("ulker", limit=50, types=[str(DK.Actor)])}
    assert post in everything and post not in holders  # a post, not an actor
    assert ID + "lale-ulker" in holders


def test_hits_show_the_most_specific_types(index: SearchIndex) -> None:
    hit = index.search("Kazakhstan")[0]
    assert hit.types == (str(DK.State),)


@pytest.mark.parametrize("text", ["", "   ", "!?", "-"])
def test_nothing_to_search_for_finds_nothing(index: SearchIndex, text: str) -> None:
    assert index.search(text) == []


# HTTP, in process ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def capped_client(settings: Settings, built_file: Path) -> Iterator[FlaskClient]:
    """The app with its search cut at MAX_RESULTS hits (the shared `client` has the default)."""
    config = settings.with_overrides(dataset_file=built_file, search_max_results=MAX_RESULTS)
    with in_process_app(config, built_file) as app:
        yield app.test_client()


def test_api_search_answers_the_contract(client: FlaskClient) -> None:
    response = client.get("/api/search?q=ulker")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"query", "results"} and body["query"] == "ulker"
    top = body["results"][0]
    assert top == {"iri": ID + "lale-ulker", "label": "Lale Ülker", "href": "/id/lale-ulker",
                   "types": ["dk:Person"], "matched": "Lale Ülker", "score": top["score"]}
    assert 0 < top["score"] <= 1
    scores = [hit["score"] for hit in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_api_search_limit_default_max_and_type(client: FlaskClient,
                                              capped_client: FlaskClient) -> None:
    assert len(client.get("/api/search?q=a&limit=2").get_json()["results"]) == 2
    assert len(client.get("/api/search?q=a&limit=1000").get_json()["results"]) > MAX_RESULTS
    assert len(capped_client.get("/api/search?q=a&limit=1000").get_json()["results"]
               ) == MAX_RESULTS
    only = client.get("/api/search?q=kaz&type=dk:State").get_json()["results"]
    assert [hit["iri"] for hit in only] == [ID + "kazakhstan"]
    assert client.get("/api/search?q=kaz&type=State").get_json()["results"] == only


@pytest.mark.parametrize("query", ["", "?q=", "?q=%20%20", "?q=kaz&limit=x", "?q=kaz&limit=0",
                                   "?q=kaz&type=nope:Thing", "?q=a&q=b"])
def test_api_search_bad_requests_are_problems(client: FlaskClient, query: str) -> None:
    response = client.get("/api/search" + query)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    body = json.loads(response.data)
    assert body["status"] == 400 and body["detail"]


def test_search_page_lists_ranked_hits(client: FlaskClient) -> None:
    response = client.get("/search?q=osce")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Vary"] == "Accept"
    html = response.get_data(as_text=True)
    assert '<a href="/id/osce"><strong>Organization for Security' in html
    assert "Matched “OSCE”" in html and "dk:IntergovernmentalOrganization" in html
    assert 'value="osce"' in html  # the header box keeps the query


def test_search_page_without_query_invites_one(client: FlaskClient) -> None:
    response = client.get("/search")
    assert response.status_code == 200
    assert "Type a name in the search box" in response.get_data(as_text=True)


# In a browser -------------------------------------------------------------------------------

def test_completion_by_keyboard(page: Page, site: str) -> None:
    page.goto(site + "/search")
    box = page.locator("#site-search")
    box.press_sequentially("ulker", delay=30)
    options = page.locator("#site-search-list [role=option]")
    options.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert "Lale Ülker" in options.first.inner_text()
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    assert options.first.get_attribute("aria-selected") == "true"
    box.press("Enter")
    page.wait_for_url("**/id/lale-ulker")


def test_completion_escape_closes_and_enter_submits(page: Page, site: str) -> None:
    page.goto(site + "/search")
    box = page.locator("#site-search")
    box.press_sequentially("kaz", delay=30)
    page.locator("#site-search-list [role=option]").first.wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator("#site-search-list").is_hidden()
    box.press("Enter")
    page.wait_for_url("**/search?q=kaz")
    assert page.locator("ol.search-results li").count() >= 3


def test_results_page_works_without_script(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + "/timeline")
        page.fill("#site-search", "Ulker")
        page.press("#site-search", "Enter")
        page.wait_for_url("**/search?q=Ulker")
        link = page.locator("ol.search-results li a").first
        assert link.inner_text() == "Lale Ülker"
        assert link.get_attribute("href") == "/id/lale-ulker"
        assert page.locator("#site-search-list").count() == 0
        link.click()
        page.wait_for_url("**/id/lale-ulker")
    finally:
        context.close()


def test_search_page_fits_a_phone(page: Page, site: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + "/search?q=kaz")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "search-375")
