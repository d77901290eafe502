"""Horizontal serving (issue 12): two real `kg serve` processes in front of one remote store (an
Oxigraph server on loopback), as N copies behind a load balancer would be. Neither copy holds
anything the other lacks: both answer alike, and a write through one is seen through the other
within remote_refresh_s, caches included (each copy's result cache is on, as by default)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from kg.settings import Settings
from kg.sparql.store import load_store

from .raw_http import Reply, call
from .remote_server import running_oxigraph
from .server import TOKEN, running_server

pytestmark = pytest.mark.slow

REFRESH_S = 1.0
BASE = "https://w3id.org/diplo-kg/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NARNIA = f'GRAPH <{BASE}graph/entities> {{ <{BASE}id/narnia> <{LABEL}> "Narnia" }}'
# What a load balancer passes on: the public host (VoID and links are written from it).
BALANCED = {"Host": "kg.example.org", "Accept": "application/sparql-results+json, */*;q=0.1"}
SAME = ["/sparql?" + urlencode({"query": f"SELECT ?s ?o WHERE {{ ?s <{LABEL}> ?o }} "
                                         "ORDER BY ?s ?o LIMIT 40"}),
        "/id/turkey?format=ttl", "/api/search?q=kazak", "/timeline?format=json",
        "/.well-known/void", "/data.nq"]


@pytest.fixture(scope="module")
def copies(settings: Settings, built_file: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Two copies of kg serve, updates on, on one Oxigraph server loaded by `kg build`'s
    loader."""
    with running_oxigraph(tmp_path_factory.mktemp("shared")) as store:
        load_store(settings.with_overrides(dataset_file=built_file, store=store))
        env = {"KG_UPDATE_TOKEN": TOKEN, "KG_REMOTE_REFRESH_S": str(REFRESH_S)}
        with running_server(built_file, "--allow-update", env=env, store=store) as first, \
                running_server(built_file, "--allow-update", env=env, store=store) as second:
            yield first, second


def count(url: str) -> int:
    reply = call(url, "/sparql?" + urlencode({"query": COUNT}),
                 headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200, reply.body
    return int(reply.json()["results"]["bindings"][0]["n"]["value"])


def search(url: str, text: str) -> list[str]:
    reply = call(url, f"/api/search?q={quote(text)}")
    assert reply.status == 200, reply.body
    return [hit["label"] for hit in reply.json()["results"]]


def update(url: str, text: str) -> Reply:
    return call(url, "/update", "POST", text.encode(),
                {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"})


def eventually(check, seconds: float = REFRESH_S + 5) -> None:  # type: ignore[no-untyped-def]
    """``check`` holds within ``seconds`` (the copy's refresh, plus room for a slow machine)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not seen in time"
        time.sleep(0.1)


def test_both_copies_answer_the_same(copies: tuple[str, str]) -> None:
    first, second = copies
    for path in SAME:
        replies = [call(url, path, headers=BALANCED) for url in copies]
        assert [r.status for r in replies] == [200, 200], path
        assert replies[0].body == replies[1].body, path
    assert count(first) == count(second)


def test_a_write_through_one_copy_is_seen_through_the_other(copies: tuple[str, str]) -> None:
    first, second = copies
    before = count(second)  # now in the second copy's result cache
    assert search(second, "narnia") == []  # its search index built
    assert call(second, "/id/narnia", headers={"Accept": "text/html"}).status == 404

    written = update(first, f"INSERT DATA {{ {NARNIA} }}")
    assert written.status == 204, written.body
    assert count(first) == before + 1  # the writer at once
    eventually(lambda: count(second) == before + 1)
    assert search(second, "narnia") == ["Narnia"]
    page = call(second, "/id/narnia", headers={"Accept": "text/html"})
    assert page.status == 200 and b"Narnia" in page.body

    removed = update(second, f"DELETE DATA {{ {NARNIA} }}")  # and back, the other way
    assert removed.status == 204, removed.body
    eventually(lambda: count(first) == before)
    assert search(first, "narnia") == []


def test_health_of_each_copy_is_the_store_s(copies: tuple[str, str]) -> None:
    for url in copies:
        reply = call(url, "/health")
        assert reply.status == 200 and json.loads(reply.body)["status"] == "ok"
