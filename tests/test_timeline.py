"""The timeline: events found generically in the graph, a new source's events with no code
change, the SVG picture, the page and its JSON, and the page in a real browser."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Page
from rdflib import Dataset

from kg.dataset.io import load_dataset
from kg.dataset.reader import DatasetReader
from kg.views.search import SearchIndex
from kg.views.timeline import Event, date_key, events
from kg.vocab import DK
from kg.web.draw.timeline_svg import draw

from .browser import screenshot
from .helpers import SECOND_SOURCE, invoke_kg, make_project

BASE = "https://w3id.org/diplo-kg/"
ID = BASE + "id/"
SVG = "{http://www.w3.org/2000/svg}"
# An event kind and a date property no code knows of, a date through someone else's property,
# a date in the provenance graph and an ill-formed one: only the first two are events.
UNKNOWN_KIND = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dk: <https://w3id.org/diplo-kg/ontology#> .
@prefix id: <https://w3id.org/diplo-kg/id/> .
<https://w3id.org/diplo-kg/graph/ontology> {
  dk:Coronation a <http://www.w3.org/2002/07/owl#Class> ; rdfs:label "coronation"@en .
  dk:crownedOn rdfs:label "crowned on"@en .
  dk:monarch rdfs:label "monarch"@en .
}
<https://w3id.org/diplo-kg/graph/fact/s/1-2/p> {
  id:coronation-1953 a dk:Coronation ; rdfs:label "Coronation of <Elizabeth> & co" ;
      dk:crownedOn "1953-06-02T11:15:00Z"^^xsd:dateTime ; dk:monarch id:elizabeth .
  id:elizabeth rdfs:label "Elizabeth II" .
  id:month a dk:Coronation ; rdfs:label "A month" ; dk:crownedOn "1953-06"^^xsd:gYearMonth .
  id:other rdfs:label "Not ours" ; dct:date "1960"^^xsd:gYear .
  id:vague a dk:Coronation ; rdfs:label "Vague" ; dk:crownedOn "circa 1990"^^xsd:gYear .
}
<https://w3id.org/diplo-kg/graph/provenance> {
  <https://w3id.org/diplo-kg/source/s> rdfs:label "A source" ; dk:crownedOn "2001"^^xsd:gYear .
}
"""


@pytest.fixture(scope="module")
def found(built) -> list[Event]:
    dataset, _ = built
    return events(DatasetReader(dataset), BASE)


def by_iri(found: list[Event]) -> dict[str, Event]:
    return {event.iri.removeprefix(ID): event for event in found}


def test_the_interviews_dated_events(found: list[Event]) -> None:
    got = {iri: (e.type_label, e.date, e.end, e.date_label) for iri, e in by_iri(found).items()}
    expected = {
        "strategic-cooperation-agreement": ("agreement", "2009", None, "signing date"),
        "visit/nursultan-nazarbayev_turkey_2009": ("visit", "2009", None, "start date"),
        "chairmanship/turkey_cica_2010": ("chairmanship", "2010", None, "start date"),
        "summit/istanbul_2010-09-15--2010-09-16": ("summit", "2010-09-15", "2010-09-16",
                                                   "start date"),
        "summit/almaty_2011-10-21": ("summit", "2011-10-21", None, "start date"),
    }
    assert {iri: got.get(iri) for iri in expected} == expected


def test_events_come_by_date_then_label(found: list[Event]) -> None:
    keys = [(date_key(e.date), e.label.casefold()) for e in found]
    assert keys == sorted(keys) and len(found) >= 5


def test_the_sources_own_dates_are_not_events(found: list[Event]) -> None:
    assert not [e for e in found if not e.iri.startswith(ID)]
    assert "2012-03-02" not in {e.date for e in found}  # the interview's publication date


def test_participants_and_their_roles(found: list[Event]) -> None:
    chair = by_iri(found)["chairmanship/turkey_cica_2010"]
    assert [(p.iri, p.roles, p.incoming) for p in chair.participants] == [
        (ID + "cica", ("organisation",), False), (ID + "turkey", ("chair",), False)]
    summit = by_iri(found)["summit/istanbul_2010-09-15--2010-09-16"]
    body = [p for p in summit.participants if p.iri == ID + "organization-of-turkic-states"]
    assert [(p.roles, p.incoming) for p in body] == [(("institutionalised at",), True)]


def test_an_unknown_kind_of_event_is_found_by_its_date() -> None:
    dataset = Dataset()
    dataset.parse(data=UNKNOWN_KIND, format="trig")
    found = events(DatasetReader(dataset), BASE)
    assert [(e.label, e.type, e.type_label, e.date, e.date_label) for e in found] == [
        ("A month", str(DK.Coronation), "coronation", "1953-06", "crowned on"),
        ("Coronation of <Elizabeth> & co", str(DK.Coronation), "coronation",
         "1953-06-02T11:15:00+00:00", "crowned on")]  # rdflib normalises the Z
    assert [(p.label, p.roles) for p in found[1].participants] == [("Elizabeth II",
                                                                     ("monarch",))]
    assert found[1].to_json()["dates"][0]["datatype"].endswith("#dateTime")


def test_a_new_source_shows_up_without_code_change(tmp_path: Path, found: list[Event]) -> None:
    project = make_project(tmp_path / "project")
    shutil.copy(SECOND_SOURCE, project / "data" / "sources")
    result = invoke_kg("--project", str(project), "build", "-q")
    assert result.exit_code == 0, result.stderr
    dataset = load_dataset(project / "build" / "dataset.trig")
    more = by_iri(events(DatasetReader(dataset), BASE))
    assert set(by_iri(found)) < set(more)
    assert (more["membership/lithuania_nato"].type_label, more["membership/lithuania_nato"].date
            ) == ("membership", "2004")
    assert more["treaty-of-friendship-and-good-neighbourly-cooperation"].date == "1994-04-26"
    assert more["chairmanship/lithuania_osce_2011"].date == "2011"
    assert more["summit/vilnius_2023-07-11--2023-07-12"].end == "2023-07-12"
    index = SearchIndex.from_reader(DatasetReader(dataset), BASE)
    assert index.search("vilnius")[0].iri == ID + "vilnius"
    assert index.search("Kowalski")[0].iri == ID + "jan-kowalski"
    assert ID + "summit/vilnius_2023-07-11--2023-07-12" in {h.iri for h in index.search(
        "vilnius", limit=5)}
    picture = ET.fromstring(draw(list(more.values()), lambda iri: iri))
    assert len(picture.findall(f"{SVG}a")) == len(more)


# The picture, without Flask -----------------------------------------------------------------

def test_svg_is_well_formed_escaped_and_linked() -> None:
    dataset = Dataset()
    dataset.parse(data=UNKNOWN_KIND, format="trig")
    found = events(DatasetReader(dataset), BASE)
    markup = draw(found, lambda iri: "/x?i=" + iri.removeprefix(BASE) + "&y=<1>")
    root = ET.fromstring(markup)  # raises if anything is left unescaped
    assert root.get("role") == "group" and root.get("viewBox", "").startswith("0 0 ")
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == root.get("aria-labelledby")
    links = root.findall(f"{SVG}a")
    assert [a.get("href") for a in links] == ["/x?i=id/month&y=<1>",
                                              "/x?i=id/coronation-1953&y=<1>"]
    assert "Coronation of <Elizabeth> & co" in "".join(links[1].itertext())
    assert draw([], lambda iri: iri) == ""


def test_svg_labels_of_one_year_get_their_own_lanes(found: list[Event]) -> None:
    root = ET.fromstring(draw(found, lambda iri: iri))
    same_year = [e for e in found if e.date == "2009"]
    assert len(same_year) == 2
    spots = {}
    for link in root.findall(f"{SVG}a"):
        title = "".join(link.find(f"{SVG}title").itertext())  # type: ignore[union-attr]
        first = link.findall(f"{SVG}text")[0]
        spots[title.split(" (")[0]] = (first.get("x"), first.get("y"))
    assert len({spots[e.label] for e in same_year}) == 2


# HTTP, in process ---------------------------------------------------------------------------

def test_timeline_page(client: FlaskClient, found: list[Event]) -> None:
    response = client.get("/timeline")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Vary"] == "Accept"
    html = response.get_data(as_text=True)
    assert html.count('class="tl-event"') == len(found)
    assert html.count('<li class="timeline-event">') == len(found)
    assert '<a href="/id/chairmanship/turkey_cica_2010">' in html
    assert '<time datetime="2010-09-15">' in html and 'aria-current="page">Timeline' in html


@pytest.mark.parametrize(("query", "accept"), [("?format=json", "text/html"),
                                               ("", "application/json")])
def test_timeline_as_json(client: FlaskClient, found: list[Event], query: str,
                          accept: str) -> None:
    response = client.get("/timeline" + query, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Vary"] == "Accept"
    body = response.get_json()
    assert [e["iri"] for e in body["events"]] == [e.iri for e in found]
    summit = next(e for e in body["events"] if e["iri"].endswith("istanbul_2010-09-15--2010-09-16"))
    assert (summit["date"], summit["end"], summit["typeLabel"], summit["dateLabel"]) == (
        "2010-09-15", "2010-09-16", "summit", "start date")
    assert {"iri", "label", "roles", "incoming"} == set(summit["participants"][0])


def test_timeline_in_another_format_is_not_acceptable(client: FlaskClient) -> None:
    response = client.get("/timeline?format=turtle")
    assert response.status_code == 406
    assert response.mimetype == "application/problem+json"


# In a browser -------------------------------------------------------------------------------

def test_timeline_in_a_browser(page: Page, site: str) -> None:
    page.goto(site + "/timeline")
    picture = page.locator("svg.timeline[role=group]")
    assert picture.is_visible()
    markers = page.locator("svg.timeline a.tl-event")
    items = page.locator("ol.timeline-list > li")
    assert markers.count() == items.count() >= 5
    boxes = page.evaluate("""() => [...document.querySelectorAll('svg.timeline a text')]
        .map(t => { const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; })""")
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                   if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert not overlapping
    screenshot(page, "timeline")
    target = markers.nth(2).get_attribute("href")
    assert target and target.startswith("/id/")
    markers.nth(2).locator("circle").click()
    page.wait_for_url(f"**{target}")


def test_timeline_fits_a_phone(page: Page, site: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + "/timeline")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("svg.timeline").bounding_box()["width"] > 300  # type: ignore[index]
    screenshot(page, "timeline-375")
