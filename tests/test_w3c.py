"""The W3C SPARQL 1.1 test suites against the real `kg serve`, one test per W3C test name.

Protocol (34) on a server holding the suite's preloaded graphs; Graph Store Protocol (13) on a
server starting empty; Service Description (3) on the protocol server. Both servers have update
on; every test first resets the store to its starting data through /update, so no test depends
on what ran before it. Every test runs on each store (store_kind); on a remote one, the servers
have a remote server of their own each.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from kg.settings import Settings
from kg.sparql.store import load_store

from .remote_server import VIRTUOSO_DEFAULT_GRAPH, running_oxigraph, running_virtuoso
from .server import TOKEN, running_server
from .w3c import (
    W3C,
    W3CTest,
    gsp_path,
    load,
    preloads,
    protocol_path,
    reset,
    run,
    run_service_description,
    trig,
)

REMOTES = {"remote": running_oxigraph, "virtuoso": running_virtuoso}
# Two servers of their own: update on, with a token, on the suites' data.
pytestmark = pytest.mark.slow

PROTOCOL = load(W3C / "protocol" / "manifest.ttl")
GSP = load(W3C / "graph-store-protocol" / "manifest.ttl")
SERVICE_DESCRIPTION = load(W3C / "service-description" / "manifest.ttl")
PRELOADS = preloads(PROTOCOL)


def _server(folder: Path, data: str, store_kind: str, settings: Settings) -> Iterator[str]:
    """A server on the data in store_kind; on a remote kind, a remote server of its own (the
    suites' resets DROP ALL), loaded as `kg build` does."""
    dataset = folder / "dataset.trig"
    dataset.write_text(data, encoding="utf-8")
    with ExitStack() as stack:
        if store_kind == "memory":
            store = "memory"
        elif store_kind in REMOTES:
            store = stack.enter_context(REMOTES[store_kind](folder / "remote"))
            load_store(settings.with_overrides(dataset_file=dataset, store=store))
        else:
            store = f"oxigraph:{folder / 'store'}"
        yield stack.enter_context(running_server(dataset, "--allow-update", "--update-token",
                                                 TOKEN, store=store))


@pytest.fixture(scope="module")
def protocol_server(tmp_path_factory: pytest.TempPathFactory, store_kind: str,
                    settings: Settings) -> Iterator[str]:
    yield from _server(tmp_path_factory.mktemp("w3c-protocol"), trig(PRELOADS), store_kind,
                       settings)


@pytest.fixture(scope="module")
def gsp_server(tmp_path_factory: pytest.TempPathFactory, store_kind: str,
               settings: Settings) -> Iterator[str]:
    # Not "": a zero-byte dataset file is a broken one (F18); this one is empty on purpose.
    yield from _server(tmp_path_factory.mktemp("w3c-gsp"), "# no graph yet\n", store_kind,
                       settings)


def test_the_suites_are_complete() -> None:
    """The counts SUMMARY.md gives, so a manifest read wrongly cannot shrink the tally."""
    assert (len(PROTOCOL), len(GSP), len(SERVICE_DESCRIPTION)) == (34, 13, 3)
    assert set(PRELOADS) == {f"http://kasei.us/2009/09/sparql/data/data{n}.rdf"
                             for n in (1, 2, 3)}


@pytest.mark.parametrize("test", PROTOCOL, ids=lambda t: t.name)
def test_protocol(test: W3CTest, protocol_server: str) -> None:
    reset(protocol_server, TOKEN, PRELOADS)
    outcome = run(test, protocol_server, protocol_path, TOKEN)
    assert outcome.passed, f"{test.title}: {outcome.reason}"


@pytest.mark.parametrize("test", GSP, ids=lambda t: t.name)
def test_graph_store_protocol(request: pytest.FixtureRequest, test: W3CTest, gsp_server: str,
                              store_kind: str) -> None:
    if store_kind == "virtuoso" and test.name == "put_get_default":
        request.applymarker(pytest.mark.xfail(strict=True, reason=VIRTUOSO_DEFAULT_GRAPH))
    reset(gsp_server, TOKEN, {})
    outcome = run(test, gsp_server, gsp_path, TOKEN)
    assert outcome.passed, f"{test.title}: {outcome.reason}"


@pytest.mark.parametrize("test", SERVICE_DESCRIPTION, ids=lambda t: t.name)
def test_service_description(test: W3CTest, protocol_server: str) -> None:
    outcome = run_service_description(test.name, protocol_server)
    assert outcome.passed, f"{test.title}: {outcome.reason}"
