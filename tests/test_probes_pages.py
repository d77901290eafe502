"""Regression tests for the page probe (F14) of ../shared/reviews/security-probes.md: stored
XSS through a javascript: IRI, and pages without CSP, nosniff or frame options."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from kg.settings import Settings

from .apps import in_process_app

TOKEN = "probe-token-F14-long-enough"
EVIL = "javascript:alert(1)//"
FRANCE = "https://w3id.org/diplo-kg/id/france"
WIKIDATA = "http://www.wikidata.org/entity/Q142"


@pytest.fixture(scope="module")
def writable(settings: Settings, built_file: Path) -> Iterator[FlaskClient]:
    """The real app with updates on, over its own copy of the data (writes stay here)."""
    config = settings.with_overrides(dataset_file=built_file, allow_update=True,
                                     update_token=TOKEN)
    with in_process_app(config, built_file) as app:
        yield app.test_client()


def test_f14_a_javascript_iri_is_text_not_a_link(writable: FlaskClient) -> None:
    """F14: an owl:sameAs <javascript:alert(1)//> made /id/france render
    <a href="javascript:…">, which runs on a click. Now only http(s) IRIs are links."""
    same_as = "<http://www.w3.org/2002/07/owl#sameAs>"
    update = (f"INSERT DATA {{ <{FRANCE}> {same_as} <{EVIL}>, <{WIKIDATA}> . "
              f"<{FRANCE}> a <{EVIL}> }}")
    written = writable.post("/update", data=update.encode(),
                            headers={"Authorization": f"Bearer {TOKEN}",
                                     "Content-Type": "application/sparql-update"})
    assert written.status_code == 204, written.data
    page = writable.get("/id/france", headers={"Accept": "text/html"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert EVIL in html  # shown, as text
    assert 'href="javascript:' not in html.lower()
    assert f'href="{WIKIDATA}"' in html  # web IRIs still link out


@pytest.mark.parametrize("path", ["/", "/id/france", "/search?q=france", "/ontology",
                                  "/nowhere"])
def test_f14_pages_send_security_headers(client: FlaskClient, path: str) -> None:
    """F14: no page sent Content-Security-Policy, X-Content-Type-Options or X-Frame-Options.
    Now every HTML answer does (error pages too), and scripts come only from this server."""
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
