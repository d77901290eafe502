"""Regression tests for the network probes of reviews/security-probes.md (F2, F4, F10, F1); the
F4 tests run `kg query` on every store.

Outbound requests are checked against a real listener on 127.0.0.1 that records every request
it gets: a test that must not reach the network asserts the listener heard nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from kg.errors import Forbidden, InputError
from kg.settings import Settings

from .apps import in_process_app
from .helpers import invoke_kg
from .loopback import recording_server


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on loopback: its base URL and the paths it was asked for."""
    with recording_server(lambda _path: (b"<urn:a> <urn:b> <urn:c> .\n", "text/turtle")) as (
            base, heard):
        yield base, heard


def test_service_allow_list_resolves_dot_segments(settings: Settings, built_file: Path,
                                                 listener: tuple[str, list[str]]) -> None:
    """F2: SERVICE <allowed/sparql/../../internal> escapes the allow-list of allowed/sparql."""
    base, heard = listener
    allowed = settings.with_overrides(dataset_file=built_file, service_allow=f"{base}/sparql")
    with in_process_app(allowed, built_file) as app:
        response = app.test_client().get("/sparql", query_string={
            "query": f"SELECT * WHERE {{ SERVICE <{base}/sparql/../../internal> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 403, response.get_data(as_text=True)
    assert "service_allow" in response.get_json()["detail"]
    assert heard == []


def test_query_command_from_never_fetches(built_file: Path, store_option: str,
                                          listener: tuple[str, list[str]]) -> None:
    """F4: `kg query` with FROM <http://127.0.0.1:PORT/x> fetched the graph from the listener.

    A guard: at this commit's parent it already passed (the query runs in a worker, where
    SPARQL_LOAD_GRAPHS is off)."""
    base, heard = listener
    result = invoke_kg("--data", str(built_file), "--store", store_option, "query", "--format",
                       "json", f"SELECT * FROM <{base}/x> WHERE {{ ?s ?p ?o }}")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"]["bindings"] == []  # no such local graph
    assert heard == []


def test_query_command_from_never_reads_files(built_file: Path, tmp_path: Path,
                                              store_option: str) -> None:
    """F4: `kg query` with FROM <file:///…> read and parsed a local file (a guard, as above)."""
    data = tmp_path / "secret.ttl"
    data.write_text("<urn:secret> <urn:is> <urn:read> .\n")
    result = invoke_kg("--data", str(built_file), "--store", store_option, "query", "--format",
                       "json", f"SELECT * FROM <{data.as_uri()}> WHERE {{ ?s ?p ?o }}")
    assert result.exit_code == 0, result.stderr
    assert "urn:secret" not in result.stdout


def test_query_command_refuses_service_as_the_server_does(
        built_file: Path, store_option: str, listener: tuple[str, list[str]]) -> None:
    """F4: `kg query` with SERVICE connected (the worker's hook stopped it late, with a message
    that did not name the setting); it is refused up front, as the server refuses it."""
    base, heard = listener
    result = invoke_kg("--data", str(built_file), "--store", store_option, "query",
                       f"SELECT * WHERE {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}")
    assert result.exit_code == Forbidden.exit_code
    assert "service_allow" in result.stderr
    assert "Traceback" not in result.stderr
    assert heard == []


@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D", "/id/turkey"])
def test_huge_accept_header_is_cheap_and_not_echoed(client: FlaskClient, path: str) -> None:
    """F10: an Accept of 60,000 media types (~900 KB) cost seconds of CPU and the 406 echoed
    all of it; only the first max_accept_entries are read and none is echoed."""
    accept = ",".join(f"a/b{i};q=0.5" for i in range(60_000))
    started = time.perf_counter()
    response = client.get(path, headers={"Accept": accept})
    assert time.perf_counter() - started < 5
    assert response.status_code in (200, 406)
    assert len(response.get_data()) < 2000
    assert "a/b0" not in response.get_data(as_text=True)


@pytest.mark.parametrize("token", [" ", "x", "fifteen-chars-x"])
def test_serve_refuses_a_short_update_token(built_file: Path, token: str,
                                            listener: tuple[str, list[str]]) -> None:
    """F1: any non-empty update token (' ', one character) was accepted. The port is taken by
    the listener, so a serve that wrongly starts fails there instead of hanging."""
    port = listener[0].rsplit(":", 1)[1]
    result = invoke_kg("--data", str(built_file), "serve", "--port", port, "--allow-update",
                       env={"KG_UPDATE_TOKEN": token})
    assert result.exit_code == InputError.exit_code
    assert "update_token" in result.stderr
    assert "16 characters" in result.stderr
