"""The Store is the only way to the data: every route answers the same on a second Store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask

from kg.settings import Settings
from kg.sparql.store import DatasetStore, Store
from kg.web import create_app

from .stores import InProcessStore

SPARQL = quote("SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } "
               "ORDER BY ?s ?o LIMIT 50")
TURKEY = "https%3A%2F%2Fw3id.org%2Fdiplo-kg%2Fid%2Fturkey"
PATHS = [
    "/", "/id/turkey", "/id/turkey?format=ttl", "/id/turkey?format=trig", "/source/",
    "/timeline", "/timeline?format=json", "/search?q=kazak", "/api/search?q=osce",
    f"/sparql?query={SPARQL}", "/sparql", "/store?default", "/data", "/data.ttl", "/data.nq",
    "/.well-known/void", "/ontology", "/health",
    f"/explain?s={TURKEY}&p=https%3A%2F%2Fw3id.org%2Fdiplo-kg%2Fontology%23memberOf"
    "&o=https%3A%2F%2Fw3id.org%2Fdiplo-kg%2Fid%2Funited-nations",
]


@pytest.fixture(scope="module")
def apps(settings: Settings, built_file: Path) -> Iterator[tuple[Flask, Flask, InProcessStore]]:
    reference: Store = DatasetStore(built_file, settings.base_iri, 1)
    second = InProcessStore(built_file, settings.base_iri)
    try:
        yield create_app(settings, reference), create_app(settings, second), second
    finally:
        reference.close()


@pytest.mark.parametrize("path", PATHS)
def test_every_route_answers_the_same_on_a_second_store(apps, path: str) -> None:
    reference, second, _ = apps
    expected = reference.test_client().get(path)
    got = second.test_client().get(path)
    assert expected.status_code == 200, expected.get_data(as_text=True)[:500]
    assert got.status_code == expected.status_code
    assert got.get_data() == expected.get_data()


def test_queries_reach_the_second_store(apps) -> None:
    _, second_app, second = apps
    before = second.queries
    response = second_app.test_client().get(f"/sparql?query={SPARQL}")
    assert response.status_code == 200
    assert second.queries == before + 1


def test_a_write_on_the_second_store_is_its_own_refusal(settings: Settings, built_file: Path):
    writable = settings.with_overrides(allow_update=True, update_token="t" * 16)
    second = InProcessStore(built_file, settings.base_iri)
    client = create_app(writable, second).test_client()
    response = client.post("/update", data="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                           headers={"Content-Type": "application/sparql-update",
                                    "Authorization": "Bearer " + "t" * 16})
    assert response.status_code == 403
    assert "read-only" in response.get_json()["detail"]
