"""Dyad pages: the events between two states, counted by month and PLOVER type, listed with
their sentences; over HTTP on every store, and in a real browser.

The data are the built dataset plus tests/data/events/dyad-fixture.trig (hand-written events
in the shape the event extractor is to produce), reasoned over together as a build does.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import HTTPRedirectHandler, Request, build_opener

import pytest
from playwright.sync_api import Page, expect
from rdflib import Dataset

from kg.dataset.graphs import stated_graphs
from kg.dataset.io import load_dataset
from kg.dataset.reader import DatasetReader
from kg.dataset.serialize import serialize
from kg.formats import rdf_format
from kg.iris import Iris
from kg.reasoner.materialize import closure
from kg.settings import Settings
from kg.sparql.store import load_store
from kg.views.dyad import AB, BA, BOTH, Dyad, DyadEvent, StateEvents, dyad
from kg.views.timeline import events
from kg.web.draw.dyad_svg import draw

from .browser import screenshot
from .helpers import LOCAL_STORES, ROOT
from .remote_server import running_oxigraph
from .server import running_server

FIXTURE = ROOT / "tests" / "data" / "events" / "dyad-fixture.trig"
BASE = "https://w3id.org/diplo-kg/"
ID = BASE + "id/"
SVG = "{http://www.w3.org/2000/svg}"
STORES = (*LOCAL_STORES, "remote")  # as conftest.py
HOSTILE = "<script>alert('x')</script> Ruritania & \"Co\""
# What the fixture and the built interview give between Turkey (a) and Kazakhstan (b):
# (direction, period, PLOVER type) → events. The interview's visit of Nazarbayev (president
# of Kazakhstan) to Turkey in 2009 is a CONSULT from Kazakhstan; its recognition of
# Kazakhstan by Turkey has no date, so it is listed but not counted. The fixture's meeting has
# no source actor: it joins the two with no direction.
COUNTS = {(BA, "2009", "CONSULT"): 1, (AB, "2022", "SUPPORT"): 1,
          (BA, "2023-01", "CONSULT"): 1, (AB, "2023-01", "AGREE"): 1,
          (BOTH, "2023-02", "CONSULT"): 1,
          (AB, "2023-03", "ACCUSE"): 1, (BA, "2023-03", "SANCTION"): 1}


@pytest.fixture(scope="module")
def dyad_file(settings: Settings, built_file: Path,
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built dataset with the fixture's events, the inferred graph recomputed."""
    dataset = load_dataset(built_file)
    dataset.parse(FIXTURE, format="trig")
    iris = Iris(settings.base_iri)
    inferred = dataset.graph(iris.graph("inferred"))
    inferred.remove((None, None, None))
    found, _ = closure(stated_graphs(dataset, iris))
    for triple in found:
        inferred.add(triple)
    path = tmp_path_factory.mktemp("dyad") / "dataset.trig"
    path.write_bytes(serialize(dataset, rdf_format("trig"), settings.base_iri))
    return path


@pytest.fixture(scope="module")
def dataset(dyad_file: Path) -> Dataset:
    return load_dataset(dyad_file)


@pytest.fixture(scope="module")
def model(dataset: Dataset) -> StateEvents:
    return StateEvents.from_reader(DatasetReader(dataset), Iris(BASE))


@pytest.fixture(scope="module")
def turkey_kazakhstan(dataset: Dataset, model: StateEvents) -> Dyad:
    return dyad(DatasetReader(dataset), Iris(BASE), model, model.states[ID + "turkey"],
                model.states[ID + "kazakhstan"])


@pytest.fixture(scope="module", params=STORES)
def dyad_server(request: pytest.FixtureRequest, settings: Settings, dyad_file: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `kg serve` on the dataset with the fixture's events, in each store in turn."""
    folder = tmp_path_factory.mktemp(f"dyad-{request.param}")
    if request.param == "memory":
        with running_server(dyad_file, store="memory") as url:
            yield url
    elif request.param == "oxigraph":
        with running_server(dyad_file, store=f"oxigraph:{folder / 'store'}") as url:
            yield url
    else:
        with running_oxigraph(folder) as setting:
            load_store(settings.with_overrides(dataset_file=dyad_file, store=setting))
            with running_server(dyad_file, store=setting) as url:
                yield url


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def get(url: str, accept: str = "text/html") -> tuple[int, dict[str, str], str]:
    """(status, headers, body) of a GET, redirects not followed."""
    opener = build_opener(_NoRedirect)
    try:
        with opener.open(Request(url, headers={"Accept": accept}), timeout=60) as reply:
            return reply.status, dict(reply.headers), reply.read().decode("utf-8")
    except HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode("utf-8")


# The read model, without HTTP ---------------------------------------------------------------

def test_events_join_states_by_actor_state_and_post(model: StateEvents) -> None:
    links = {(link.event.removeprefix(ID), link.source.removeprefix(ID),
              link.target.removeprefix(ID)) for link in model.links}
    assert {
        ("event/dyad-fixture_0-84", "turkey", "kazakhstan"),        # the states themselves
        ("event/dyad-fixture_85-161", "kazakhstan", "turkey"),      # dk:actsFor → sourceState
        ("visit/nursultan-nazarbayev_turkey_2009", "kazakhstan", "turkey"),  # post, host
        ("recognition/turkey_kazakhstan", "turkey", "kazakhstan"),
        ("event/dyad-fixture_334-397", "turkey", "ruritania"),
    } <= links
    mutual = [link for link in model.links if link.mutual]
    assert [(k.event.removeprefix(ID), k.source.removeprefix(ID), k.target.removeprefix(ID))
            for k in mutual] == [("meeting/turkey_kazakhstan_2023-02", "kazakhstan", "turkey")]
    assert not [link for link in model.links if not link.source.startswith(ID)]  # no wd: twin


def test_the_counts_by_direction_month_and_type(turkey_kazakhstan: Dyad) -> None:
    assert turkey_kazakhstan.counts() == COUNTS
    undated = [e for e in turkey_kazakhstan.events if e.date is None]
    assert [e.iri for e in undated] == [ID + "recognition/turkey_kazakhstan"]
    assert turkey_kazakhstan.events[-1] == undated[0]  # undated last


def test_an_event_carries_its_type_mode_context_actors_and_sentence(
        turkey_kazakhstan: Dyad) -> None:
    by_iri = {e.iri.removeprefix(ID): e for e in turkey_kazakhstan.events}
    sanction = by_iri["event/dyad-fixture_228-287"]
    assert (sanction.type and sanction.type.notation, sanction.type_label, sanction.mode,
            sanction.contexts, sanction.cooperative) == (
        "SANCTION", "sanction", "expel", ("diplomatic",), False)
    assert [s.text for s in sanction.sentences] == [
        "On 20 March 2023 Kazakhstan expelled two Turkish diplomats."]
    assert sanction.sentences[0].iri == BASE + "source/dyad-fixture#char=228,287"
    call = by_iri["event/dyad-fixture_85-161"]
    assert [(a.label, a.iri) for a in call.sources] == [("Test Official", ID + "test-official")]
    assert (call.direction, call.mode, call.period) == (BA, "phone", "2023-01")
    visit = by_iri["visit/nursultan-nazarbayev_turkey_2009"]
    assert (visit.type and visit.type.notation, visit.mode, visit.date) == (
        "CONSULT", "visit", "2009")
    assert "Nazarbayev to Turkey in 2009" in visit.sentences[0].text


def test_partners_and_names(model: StateEvents) -> None:
    assert [(s.key, n) for s, n in model.partners(ID + "turkey")] == [
        ("kazakhstan", 8), ("ruritania", 1)]
    assert model.resolve("kazakhstan") == model.resolve("KAZAKHSTAN") == model.states[
        ID + "kazakhstan"]
    assert model.resolve("nowhere") is None


def test_the_picture_counts_what_the_model_counts(turkey_kazakhstan: Dyad,
                                                  model: StateEvents) -> None:
    root = ET.fromstring(draw(turkey_kazakhstan, list(model.types.values())))
    bars = {(g.get("data-direction"), g.get("data-period"), g.get("data-type")):
            int(g.get("data-count", "0")) for g in root.iter(f"{SVG}g")
            if g.get("class") == "dy-bar"}
    assert bars == COUNTS
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == root.get("aria-labelledby")
    assert "Turkey and Kazakhstan: 7 dated events" in (title.text or "")


def test_many_months_thin_their_labels_and_gaps_are_marked(model: StateEvents) -> None:
    accuse = next(t for t in model.types.values() if t.notation == "ACCUSE")
    a, b = model.states[ID + "turkey"], model.states[ID + "kazakhstan"]
    months = [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in range(100)]
    dated = tuple(DyadEvent(f"{ID}e{i}", "e", AB, month, accuse, "accuse", None, (), (), (), ())
                  for i, month in enumerate([*months, "2020-01", "2020"]))
    root = ET.fromstring(draw(Dyad(a, b, dated), list(model.types.values())))
    axis = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "dy-axis")
    labels = [t.text for t in axis.iter(f"{SVG}text")]
    assert labels[0] == "2000-01" and 10 < len(labels) < 30  # 102 columns, some labelled
    assert len(list(axis.iter(f"{SVG}path"))) == 1  # one gap: 2008-04 … 2020
    assert sum(int(g.get("data-count", "0")) for g in root.iter(f"{SVG}g")
               if g.get("class") == "dy-bar") == 102


def test_the_timeline_shows_events_with_type_and_category(dataset: Dataset) -> None:
    found = {e.iri.removeprefix(ID): e for e in events(DatasetReader(dataset), BASE)}
    sanction = found["event/dyad-fixture_228-287"]
    assert (sanction.date, sanction.type_label, sanction.category_label) == (
        "2023-03-20", "sanction", "material conflict")
    assert {p.label for p in sanction.participants} >= {"Kazakhstan", "Turkey"}
    assert found["event/dyad-fixture_85-161"].date == "2023-01"


# Over HTTP, on every store -------------------------------------------------------------------

@pytest.mark.slow
def test_the_dyad_page(dyad_server: str) -> None:
    status, headers, html = get(dyad_server + "/dyad/turkey/kazakhstan")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert headers["Vary"] == "Accept" and "Content-Security-Policy" in headers
    start = html.index("<svg")
    root = ET.fromstring(html[start:html.index("</svg>", start) + len("</svg>")])
    bars = {(g.get("data-direction"), g.get("data-period"), g.get("data-type")):
            int(g.get("data-count", "0")) for g in root.iter(f"{SVG}g")
            if g.get("class") == "dy-bar"}
    assert bars == COUNTS
    assert html.count('<li class="dyad-event') == 8
    assert '<th scope="col">Turkey ↔ Kazakhstan, no direction</th>' in html  # the meeting
    assert 'href="/source/dyad-fixture#char=228,287"' in html  # the sentence in its source
    assert 'href="/id/event/dyad-fixture_228-287"' in html
    assert '<td data-direction="ba" data-type="CONSULT">2</td>' in html
    status, _, html = get(dyad_server + "/dyad/kazakhstan/ruritania")  # two states, no events
    assert status == 200 and "No events between Kazakhstan and &lt;script&gt;" in html
    assert "<svg" not in html


@pytest.mark.slow
def test_the_dyad_as_json(dyad_server: str) -> None:
    for url, accept in ((dyad_server + "/dyad/turkey/kazakhstan?format=json", "text/html"),
                        (dyad_server + "/dyad/turkey/kazakhstan", "application/json")):
        status, headers, body = get(url, accept)
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        found = json.loads(body)
        assert (found["a"]["id"], found["b"]["id"]) == ("turkey", "kazakhstan")
        assert {(c["direction"], c["period"], c["plover"]): c["count"]
                for c in found["counts"]} == COUNTS
        sanction = next(e for e in found["events"] if e["plover"] == "SANCTION")
        assert (sanction["date"], sanction["mode"], sanction["direction"]) == (
            "2023-03-20", "expel", BA)
        assert sanction["sentences"][0]["document"] == BASE + "source/dyad-fixture"


@pytest.mark.slow
def test_a_hostile_label_is_escaped_everywhere(dyad_server: str) -> None:
    for path in ("/dyad/turkey/ruritania", "/dyad", "/id/turkey"):
        status, _, html = get(dyad_server + path)
        assert status == 200, path
        assert "<script>alert" not in html and "&lt;script&gt;alert(" in html, path
    _, _, html = get(dyad_server + "/dyad/turkey/ruritania")
    start = html.index("<svg")
    ET.fromstring(html[start:html.index("</svg>", start) + len("</svg>")])  # well-formed
    status, _, html = get(dyad_server + "/dyad/turkey/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert status == 404 and "<img" not in html and "&lt;img src=x" in html  # the error page
    status, _, body = get(dyad_server + "/dyad/turkey/ruritania?format=json", "*/*")
    assert status == 200 and json.loads(body)["b"]["label"] == HOSTILE


@pytest.mark.slow
def test_a_state_page_links_its_dyads(dyad_server: str) -> None:
    _, _, html = get(dyad_server + "/id/kazakhstan")
    assert '<a href="/dyad/kazakhstan/turkey">Kazakhstan and Turkey</a>' in html
    _, _, html = get(dyad_server + "/id/cica")  # an organisation: no dyads
    assert 'id="h-dyads"' not in html


@pytest.mark.slow
def test_the_timeline_lists_the_events_with_their_category(dyad_server: str) -> None:
    _, _, html = get(dyad_server + "/timeline")
    assert ('<a href="/id/event/dyad-fixture_228-287">Kazakhstan expels Turkish diplomats</a>'
            in html)
    assert ('<span class="badge">sanction</span> <span class="badge category" '
            'title="PLOVER category">material conflict</span>') in html


@pytest.mark.slow
@pytest.mark.parametrize(("path", "status"), [
    ("/dyad/turkey/nowhere", 404),                   # no such state
    ("/dyad/turkey/cica", 404),                      # an organisation, not a state
    ("/dyad/turkey/turkey", 400),                    # one state twice
    ("/dyad/turkey/%01", 400),                       # no state has a control character
    ("/dyad/turkey/" + "x" * 201, 400),              # nor a name that long
    ("/dyad?a=turkey", 400),                         # half a form
    ("/dyad/turkey/kazakhstan?format=turtle", 406),  # html or json only
    ("/dyad/turkey", 404), ("/dyad/turkey/kazakhstan/cica", 404),
])
def test_bad_dyads(dyad_server: str, path: str, status: int) -> None:
    got, headers, _ = get(dyad_server + path, "application/json")
    assert got == status
    assert headers["Content-Type"].startswith("application/problem+json")


@pytest.mark.slow
def test_names_lead_to_the_ids(dyad_server: str) -> None:
    status, headers, _ = get(dyad_server + "/dyad/Turkey/KAZAKHSTAN?format=json")
    assert (status, headers["Location"].removeprefix(dyad_server)) == (
        302, "/dyad/turkey/kazakhstan?format=json")
    status, headers, _ = get(dyad_server + "/dyad?a=Kazakhstan&b=turkey")
    assert (status, headers["Location"].removeprefix(dyad_server)) == (
        303, "/dyad/kazakhstan/turkey")
    status, _, html = get(dyad_server + "/dyad")
    assert status == 200 and '<select id="dyad-a" name="a" required>' in html
    assert '<a href="/dyad/kazakhstan/turkey">Kazakhstan and Turkey</a>' in html


# In a browser ---------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("dyad_server", ["memory"], indirect=True)
def test_the_dyad_page_in_a_browser(page: Page, dyad_server: str) -> None:
    page.goto(dyad_server + "/dyad")
    page.select_option("#dyad-a", "turkey")
    page.select_option("#dyad-b", "kazakhstan")
    page.get_by_role("button", name="Show events").click()
    expect(page).to_have_url(dyad_server + "/dyad/turkey/kazakhstan")
    picture = page.locator("svg.dyad[role=group]")
    expect(picture).to_be_visible()
    assert picture.locator("g.dy-bar").count() == len(COUNTS)
    box = picture.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 300
    items = page.locator("ol.dyad-list > li")
    expect(items).to_have_count(8)
    sanction = items.filter(has_text="SANCTION")
    expect(sanction.locator("blockquote")).to_contain_text("expelled two Turkish diplomats")
    screenshot(page, "dyad")
    sanction.locator("a.cite-line").click()
    expect(page).to_have_url(f"{dyad_server}/source/dyad-fixture#char=228,287")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("dyad_server", ["memory"], indirect=True)
def test_dyad_pages_fit_a_phone(page: Page, dyad_server: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/dyad", "/dyad/turkey/kazakhstan", "/dyad/turkey/ruritania"):
        page.goto(dyad_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
