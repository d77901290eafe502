"""The Store is the only way to the data: every route answers the same on every Store.

Four stores stand beside the rdflib one: a minimal in-process store (tests/stores.py), the
oxigraph store and remote stores (an Oxigraph server, a Virtuoso on loopback), all on the one built
dataset file; SPARQL results, written by each
engine's own serialisers, are compared as parsed results.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask

from kg.settings import Settings
from kg.sparql.store import DatasetStore, Store, load_store, open_store
from kg.web import create_app

from .remote_server import running_oxigraph
from .stores import InProcessStore

# No DISTINCT: a label stated in two graphs is one triple of the union on every store.
SPARQL = quote("SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } "
               "ORDER BY ?s ?o LIMIT 50")
TURKEY = "https%3A%2F%2Fw3id.org%2Fdiplo-kg%2Fid%2Fturkey"
PATHS = [
    "/", "/id/turkey", "/id/turkey?format=ttl", "/id/turkey?format=trig", "/source/",
    "/timeline", "/timeline?format=json", "/dyad", "/dyad/turkey/kazakhstan",
    "/dyad/kazakhstan/turkey?format=json", "/search?q=kazak", "/api/search?q=osce",
    f"/sparql?query={SPARQL}", "/sparql", "/store?default", "/data", "/data.ttl", "/data.nq",
    "/data/events.csv",
    "/.well-known/void", "/ontology", "/health",
    f"/explain?s={TURKEY}&p=https%3A%2F%2Fw3id.org%2Fdiplo-kg%2Fontology%23memberOf"
    "&o=https%3A%2F%2Fw3id.org%2Fdiplo-kg%2Fid%2Funited-nations",
    # A proof through owl:sameAs copies: several derivations hold, each store picks the same.
    "/explain?s=http%3A%2F%2Fwww.wikidata.org%2Fentity%2FQ1065&p=http%3A%2F%2Fwww.w3.org%2F1999"
    "%2F02%2F22-rdf-syntax-ns%23type&o=http%3A%2F%2Fwww.w3.org%2F2002%2F07%2Fowl%23Thing",
]


@pytest.fixture(scope="module", params=["in-process", "oxigraph", "remote", "virtuoso"])
def apps(request: pytest.FixtureRequest, settings: Settings, built_file: Path,
         tmp_path: Path) -> Iterator[tuple[Flask, Flask, Store]]:
    """(app on the reference rdflib store, app on the second store, the second store)."""
    with ExitStack() as cleanup:
        reference: Store = DatasetStore(built_file, settings.base_iri, 1)
        cleanup.callback(reference.close)
        second: Store
        if request.param == "in-process":
            second = InProcessStore(built_file, settings.base_iri)
        elif request.param == "oxigraph":
            second = open_store(settings.with_overrides(
                dataset_file=built_file, store=f"oxigraph:{tmp_path / 'store'}"), workers=1)
        elif request.param == "virtuoso":  # the session's Virtuoso, loaded as below
            second = open_store(settings.with_overrides(
                dataset_file=built_file, store=request.getfixturevalue("virtuoso_store_option")))
        else:  # an Oxigraph server on loopback, loaded as `kg build --store sparql:…` does
            remote = settings.with_overrides(dataset_file=built_file, store=cleanup.enter_context(
                running_oxigraph(tmp_path / "remote")))
            load_store(remote)
            second = open_store(remote)
        cleanup.callback(second.close)
        yield create_app(settings, reference), create_app(settings, second), second


@pytest.fixture(scope="module")
def tmp_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("seam")


@pytest.mark.parametrize("path", PATHS)
def test_every_route_answers_the_same_on_a_second_store(apps, path: str) -> None:
    reference, second, _ = apps
    expected = reference.test_client().get(path)
    got = second.test_client().get(path)
    assert expected.status_code == 200, expected.get_data(as_text=True)[:500]
    assert got.status_code == expected.status_code
    if expected.mimetype == "application/sparql-results+json":
        assert json.loads(got.get_data()) == json.loads(expected.get_data())
    else:
        assert got.get_data() == expected.get_data()


def test_queries_reach_the_second_store(apps) -> None:
    """Each store answers with its own engine, and the union of the graphs is a set on each:
    a triple stated in two graphs is counted once."""
    reference_app, second_app, second = apps
    count = quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")

    def triples(app: Flask) -> int:
        response = app.test_client().get(f"/sparql?query={count}",
                                          headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200
        return int(response.get_json()["results"]["bindings"][0]["n"]["value"])

    distinct = triples(reference_app)
    before = second.queries if isinstance(second, InProcessStore) else 0
    assert triples(second_app) == distinct
    if isinstance(second, InProcessStore):
        assert second.queries == before + 1


@pytest.mark.parametrize("path", [p for p in PATHS if not p.startswith("/data.")])
def test_pages_ask_the_store_and_take_no_snapshot(settings: Settings, built_file: Path,
                                                  path: str) -> None:
    """Pages, search, the timeline, explanations, VoID, the Graph Store and /health ask the
    store (SELECTs, a SPARQL count, its graph names), never for a snapshot: on the Oxigraph
    store a snapshot is a copy of the whole graph in the web process. (The dumps, /data.*,
    are the whole graph by definition.)"""
    second = InProcessStore(built_file, settings.base_iri)
    response = create_app(settings, second).test_client().get(path)
    assert response.status_code == 200
    assert second.snapshots == 0


def test_a_write_on_the_second_store_is_its_own_refusal(settings: Settings, built_file: Path):
    writable = settings.with_overrides(allow_update=True, update_token="t" * 16)
    second = InProcessStore(built_file, settings.base_iri)
    client = create_app(writable, second).test_client()
    response = client.post("/update", data="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                           headers={"Content-Type": "application/sparql-update",
                                    "Authorization": "Bearer " + "t" * 16})
    assert response.status_code == 403
    assert "read-only" in response.get_json()["detail"]
