"""The SPARQL workbench at /, driven in Chromium against the real server, plus its HTML in-process.

Every query the page runs goes to /sparql like any client's; these tests compare what the page
shows with what the endpoint answers over HTTP.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, Request, expect
from rdflib import RDF, Graph, URIRef

from kg.vocab import DK

from .browser import screenshot
from .forms import accept_headers
from .helpers import ROOT
from .server import running_server

EDITOR = ".yasgui .CodeMirror"
ROWS = ".yasr_results table.dataTable tbody tr"
ID = "https://w3id.org/diplo-kg/id/"
STATES = """PREFIX dk: <https://w3id.org/diplo-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?state ?label WHERE {
  ?state a dk:State ; rdfs:label ?label .
  FILTER(LANGMATCHES(LANG(?label), "en"))
}
ORDER BY ?label"""
STATES_GRAPH = """PREFIX dk: <https://w3id.org/diplo-kg/ontology#>
CONSTRUCT { ?state a dk:State } WHERE { ?state a dk:State }"""
# The parser stops at the second `.` on line 3.
MALFORMED = """PREFIX dk: <https://w3id.org/diplo-kg/ontology#>
SELECT ?state WHERE {
  ?state a dk:State .. ?state a ?type .
}"""
SHARED = "shared-memberships"  # an example: the organisations both states belong to


def endpoint_json(site: str, query: str) -> tuple[int, dict[str, Any]]:
    """What /sparql answers a plain HTTP client, as (status, JSON body)."""
    url = f"{site}/sparql?" + urllib.parse.urlencode({"query": query, "format": "json"})
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def open_workbench(page: Page, site: str, path: str = "/") -> None:
    page.goto(site + path)
    page.wait_for_selector(EDITOR)


def editor_text(page: Page) -> str:
    return page.evaluate("document.querySelector('.yasgui .CodeMirror').CodeMirror.getValue()")


def type_query(page: Page, text: str) -> None:
    """Replace the editor's text as a person would: focus, select all, type (as one input)."""
    page.click(f"{EDITOR} .CodeMirror-lines")
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)


def run_typed(page: Page, text: str) -> None:
    type_query(page, text)
    page.keyboard.press("Control+Enter")


def wait_for_rows(page: Page, count: int) -> None:
    expect(page.locator(ROWS)).to_have_count(count)


def test_page_replaces_the_form_with_yasgui(page: Page, site: str) -> None:
    open_workbench(page, site)
    expect(page.locator("#query-form")).to_be_hidden()
    expect(page.locator(".yasqe .yasqe_queryButton")).to_be_visible()
    text = editor_text(page)
    for prefix in ("dk", "id", "kg", "rdfs", "skos", "owl", "wd", "wdt", "prov", "nif", "xsd",
                   "dct"):
        assert f"PREFIX {prefix}:" in text, prefix
    expect(page.locator(".yasgui .controlbar")).to_be_hidden()  # no endpoint to choose


def test_typed_query_shows_its_rows(page: Page, site: str) -> None:
    status, body = endpoint_json(site, STATES)
    assert status == 200
    labels = sorted(b["label"]["value"] for b in body["results"]["bindings"])
    assert "Turkey" in labels and "Kazakhstan" in labels
    open_workbench(page, site)
    run_typed(page, STATES)
    wait_for_rows(page, len(labels))
    cells = page.locator(f"{ROWS} td:nth-child(3)").all_inner_texts()
    assert sorted(cell.split('"')[1] for cell in cells) == labels


def test_example_menu_loads_and_runs_the_query(page: Page, site: str) -> None:
    example = (ROOT / "queries" / f"{SHARED}.rq").read_text(encoding="utf-8")
    _, body = endpoint_json(site, example)
    open_workbench(page, site)
    page.click(f'#example-list a[data-example="{SHARED}"]')
    wait_for_rows(page, len(body["results"]["bindings"]))
    assert editor_text(page) == example
    expect(page.locator("#example-question")).to_have_text(
        "Which intergovernmental organisations do both Turkey and Kazakhstan belong to?")
    expect(page.locator(f'{ROWS} a[href="/id/osce"]')).to_be_visible()
    assert page.url == f"{site}/?example={SHARED}"


def test_result_iri_links_to_its_entity_page(page: Page, site: str) -> None:
    open_workbench(page, site)
    run_typed(page, STATES)
    link = page.locator(f'{ROWS} a.iri[href="/id/turkey"]')
    expect(link).to_be_visible()
    assert link.get_attribute("data-iri") == ID + "turkey"
    outside = page.locator(f'{ROWS} a.iri[href^="http://www.wikidata.org/entity/"]')
    assert outside.count() >= 1  # other IRIs still link out
    with page.expect_navigation() as navigation:
        link.click()
    response = navigation.value
    assert response is not None and response.status == 200
    assert page.url == f"{site}/id/turkey"


def test_malformed_query_shows_the_parser_message_on_its_line(page: Page, site: str) -> None:
    status, problem = endpoint_json(site, MALFORMED)
    assert status == 400 and problem["line"] == 3
    open_workbench(page, site)
    run_typed(page, MALFORMED)
    alert = page.locator("#query-error[role=alert]")
    expect(alert).to_contain_text(problem["detail"])
    marked = page.evaluate("""() => {
        const cm = document.querySelector('.yasgui .CodeMirror').CodeMirror;
        const lines = [];
        for (let n = 0; n < cm.lineCount(); n++) {
            if ((cm.lineInfo(n).wrapClass || '').includes('kg-error-line')) lines.push(n + 1);
        }
        return lines;
    }""")
    assert marked == [problem["line"]]
    type_query(page, STATES)  # editing clears the mark and the message
    expect(alert).to_be_empty()
    expect(page.locator(".kg-error-line")).to_have_count(0)


def test_keyboard_alone_runs_a_query(page: Page, site: str) -> None:
    open_workbench(page, site)
    page.focus("#example-list li:last-child a")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "SPARQL query"
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(STATES)
    page.keyboard.press("Escape")  # leaves the editor, whose Tab key indents
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Run query"
    page.keyboard.press("Enter")
    expect(page.locator(f"{ROWS} a[href='/id/turkey']")).to_be_visible()


def test_share_link_round_trips(page: Page, site: str, browser: Browser) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    open_workbench(page, site)
    run_typed(page, STATES)
    expect(page.locator(f"{ROWS} a[href='/id/turkey']")).to_be_visible()
    shared = page.url
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(shared).query) == {"query": [STATES]}
    page.click("#copy-link")
    expect(page.locator("#copy-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == shared
    other = browser.new_context()
    try:
        fresh = other.new_page()
        open_workbench(fresh, shared, "")
        expect(fresh.locator(f"{ROWS} a[href='/id/turkey']")).to_be_visible()
        assert editor_text(fresh) == STATES
    finally:
        other.close()


ASK_OSCE = f"ASK {{ <{ID}turkey> <https://w3id.org/diplo-kg/ontology#memberOf> <{ID}osce> }}"
DESCRIBE_OSCE = f"DESCRIBE <{ID}osce>"


def test_yasgui_shows_ask_and_describe_with_the_headers_it_sends(page: Page, site: str) -> None:
    """YASGUI as the client matrix's browser client: ASK and DESCRIBE shown as the endpoint
    answers them, and the Accept headers it sends are the ones the negotiation matrix tests
    (tests/data/clients/accept-headers.tsv)."""
    accepts: list[str] = []
    page.on("request", lambda sent: accepts.append(sent.headers.get("accept", ""))
            if sent.url.startswith(site + "/sparql") else None)
    open_workbench(page, site)
    run_typed(page, ASK_OSCE)
    expect(page.locator(".yasr .booleanResult")).to_have_text("True")
    description = urllib.request.Request(
        f"{site}/sparql?" + urllib.parse.urlencode({"query": DESCRIBE_OSCE}),
        headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(description, timeout=60) as response:
        triples = [line for line in response.read().decode().splitlines() if line.strip()]
    run_typed(page, DESCRIBE_OSCE)
    wait_for_rows(page, len(triples))
    expect(page.locator(f'{ROWS} a[href="/id/osce"]').first).to_be_visible()
    listed = {header for _, header in accept_headers()}
    assert len(accepts) == 2 and set(accepts) <= listed, accepts


@pytest.mark.parametrize(("query", "formats", "fetch", "media"), [
    (STATES, ["json", "xml", "csv", "tsv"], "csv", "text/csv"),
    (STATES_GRAPH, ["ttl", "jsonld", "nt", "xml", "trig", "nq"], "ttl", "text/turtle"),
])
def test_download_links_in_every_format(page: Page, site: str, query: str, formats: list[str],
                                        fetch: str, media: str) -> None:
    open_workbench(page, site)
    run_typed(page, query)
    links = page.locator("#download-links a")
    expect(links).to_have_count(len(formats))
    assert [a.get_attribute("data-format") for a in links.all()] == formats
    href = page.locator(f'#download-links a[data-format="{fetch}"]').get_attribute("href")
    assert href is not None
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(href).query) == {
        "query": [query], "format": [fetch]}
    response = page.request.get(site + href)
    assert response.status == 200
    assert response.headers["content-type"].split(";")[0] == media
    if fetch == "ttl":
        graph = Graph().parse(data=response.text(), format="turtle")
        assert (URIRef(ID + "turkey"), RDF.type, DK.State) in graph
    else:
        assert f"{ID}turkey,Turkey" in response.text()


@pytest.fixture(scope="module")
def capped_site(built_file: Path) -> Iterator[str]:
    """A second server on the same dataset that cuts every result at 3 rows (max_rows)."""
    with running_server(built_file, "--max-rows", "3") as url:
        yield url


def test_a_cut_result_says_so(page: Page, capped_site: str) -> None:
    open_workbench(page, capped_site)
    run_typed(page, "SELECT * WHERE { ?s ?p ?o }")
    wait_for_rows(page, 3)
    expect(page.locator("#result-truncated")).to_have_text(
        "Only the first 3 rows are shown: the server cuts results at its max_rows setting.")
    run_typed(page, STATES + " LIMIT 2")
    wait_for_rows(page, 2)
    expect(page.locator("#download-links a")).to_have_count(4)
    expect(page.locator("#result-truncated")).to_be_hidden()


def test_entity_completion_from_the_search_api(page: Page, site: str) -> None:
    open_workbench(page, site)
    type_query(page, "PREFIX id: <https://w3id.org/diplo-kg/id/>\nSELECT * { ?s ?p ")
    page.keyboard.type("id:turk", delay=40)
    hint = page.locator(".CodeMirror-hint", has_text="id:turkey")
    expect(hint.first).to_be_visible()
    hint.first.click()
    assert editor_text(page).endswith("?s ?p id:turkey")


def test_no_request_leaves_the_server(page: Page, site: str) -> None:
    requests: list[str] = []

    def record(request: Request) -> None:
        requests.append(request.url)

    page.on("request", record)
    open_workbench(page, site)
    type_query(page, "SELECT * { ?s ?p ")
    page.keyboard.type("id:kaz dk:mem rdfs:lab", delay=20)  # prefixes, entities, properties
    page.keyboard.press("Control+Space")
    page.click(f'#example-list a[data-example="{SHARED}"]')
    expect(page.locator(f'{ROWS} a[href="/id/osce"]')).to_be_visible()
    run_typed(page, MALFORMED)
    expect(page.locator("#query-error")).not_to_be_empty()
    assert len(requests) > 5
    assert [url for url in requests if not url.startswith(site + "/")] == []
    assert page.evaluate("localStorage.length") == 0  # nothing persisted behind the URL


def test_without_javascript_the_form_runs_the_query(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site}/")
        example_link = page.locator(f'#example-list a[data-example="{SHARED}"]')
        assert example_link.get_attribute("href") == f"/?example={SHARED}"
        example_link.click()
        example = (ROOT / "queries" / f"{SHARED}.rq").read_text(encoding="utf-8")
        assert page.input_value("#query") == example
        assert page.input_value("#format") == "json"
        with page.expect_navigation() as navigation:
            page.click("#query-form button[type=submit]")
        response = navigation.value
        assert response is not None and response.status == 200
        body = response.json()
        orgs = {b["org"]["value"] for b in body["results"]["bindings"]}
        assert ID + "osce" in orgs
    finally:
        context.close()


def test_narrow_window_has_no_horizontal_scroll(page: Page, site: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    open_workbench(page, site, f"/?example={SHARED}")
    expect(page.locator(f'{ROWS} a[href="/id/osce"]')).to_be_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth,"
                           " window.innerWidth]")
    assert widths[0] <= widths[2] and widths[1] <= widths[2], widths
    screenshot(page, "workbench-narrow")


def test_screenshot_with_results(page: Page, site: str) -> None:
    open_workbench(page, site, "/?example=summits")
    expect(page.locator(f'{ROWS} a[href="/id/turkey"]').first).to_be_visible()
    expect(page.locator("#download-links a")).to_have_count(4)
    screenshot(page, "workbench")  # checks the file is a PNG


# --- The HTML the server writes, in-process (the shared `client` of conftest.py) -------------

def test_example_link_prefills_the_form(client: FlaskClient) -> None:
    response = client.get("/?example=summits")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "?summit a dk:Summit" in page
    assert 'data-autorun="true"' in page
    assert 'href="/?example=summits" data-example="summits" aria-current="true">' in page
    assert page.count("aria-current") == 2  # the site's Query tab and this example


def test_share_link_prefills_the_form(client: FlaskClient) -> None:
    page = client.get("/", query_string={"query": "ASK { ?s <x:p> ?o }"}).get_data(as_text=True)
    assert "ASK { ?s &lt;x:p&gt; ?o }</textarea>" in page
    assert 'data-autorun="true"' in page


def test_unknown_example_is_404_and_still_a_workbench(client: FlaskClient) -> None:
    response = client.get("/?example=nope")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "no example called “nope”" in page
    assert 'action="/sparql"' in page


def test_without_the_bundle_the_page_says_make_assets(client: FlaskClient,
                                                      tmp_path: Path) -> None:
    static_folder = client.application.static_folder
    assert static_folder is not None
    assert "vendor/yasgui.min.js" in client.get("/").get_data(as_text=True)
    client.application.static_folder = str(tmp_path)  # a pip install without `make assets`
    try:
        page = client.get("/").get_data(as_text=True)
    finally:
        client.application.static_folder = static_folder  # the app is shared
    assert "Run <code>make assets</code>" in page
    assert "yasgui.min.js" not in page and "workbench.js" not in page
    assert '<textarea id="query" name="query"' in page
