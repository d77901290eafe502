"""The remote store, `--store sparql:QUERY_URL[,UPDATE_URL][,GSP_URL]`, in front of a real
Oxigraph server and a real Virtuoso on loopback: loading by `kg build`, writes, and a remote
that is down, slow or read-only. (Every route on it answers as on the rdflib store:
test_store_seam.py.)"""

from __future__ import annotations

import http.server
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Dataset

from kg.dataset.io import load_dataset
from kg.errors import InputError, StoreTimeout
from kg.settings import Settings
from kg.sparql.execute import QueryRequest
from kg.sparql.ops import UpdateOp
from kg.sparql.remote_dialect import portable_update
from kg.sparql.remote_store import Endpoints, RemoteStore
from kg.sparql.store import load_store, open_store
from kg.web import create_app

from .helpers import invoke_kg, make_project
from .remote_server import empty_remote, running_oxigraph, running_virtuoso

BASE = "https://w3id.org/diplo-kg/"
TOKEN = "remote-token-long-enough"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote(request: pytest.FixtureRequest, settings: Settings,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The store setting of an Oxigraph server of this module's, then of the session's
    Virtuoso (emptied first)."""
    if request.param == "virtuoso":
        setting = request.getfixturevalue("virtuoso")
        empty_remote(setting, settings.base_iri)
        yield setting
        return
    with running_oxigraph(tmp_path_factory.mktemp("remote")) as setting:
        yield setting


def quads(dataset: Dataset) -> int:
    return sum(1 for _ in dataset.quads((None, None, None, None)))


def count(store: RemoteStore) -> int:
    return int(store.select(COUNT, 10)[0][0])


def test_load_replaces_our_graphs_and_leaves_others(remote: str, settings: Settings,
                                                    built_file: Path) -> None:
    """Every graph of the file arrives; a graph of an earlier build (under the base IRI)
    that the file lacks is dropped, and somebody else's graph is left alone."""
    store = RemoteStore(Endpoints.parse(remote), BASE)
    store.write(UpdateOp(f"INSERT DATA {{ GRAPH <{BASE}graph/stale> {{ <urn:a> <urn:b> 1 }} "
                         "GRAPH <urn:theirs> { <urn:a> <urn:b> 2 } }"), 10)
    load_store(settings.with_overrides(dataset_file=built_file, store=remote))
    dataset = load_dataset(built_file)
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert set(store.graph_names()) == names | {"urn:theirs"}
    assert count(store) == quads(dataset) + 1


@pytest.mark.slow  # a server of its own
@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
def test_load_without_a_graph_store_goes_through_updates(
        request: pytest.FixtureRequest, settings: Settings, built_file: Path, tmp_path: Path,
        server: str) -> None:
    with ExitStack() as cleanup:
        if server == "virtuoso":
            remote = request.getfixturevalue("virtuoso")
            empty_remote(remote, BASE)
        else:
            remote = cleanup.enter_context(running_oxigraph(tmp_path / "remote"))
        query, update, _ = remote.split(",")
        load_store(settings.with_overrides(dataset_file=built_file, store=f"{query},{update}"))
        store = RemoteStore(Endpoints.parse(remote), BASE)
        assert count(store) == quads(load_dataset(built_file))


def test_a_write_is_seen_by_the_pages(remote: str, settings: Settings,
                                      built_file: Path) -> None:
    config = settings.with_overrides(dataset_file=built_file, store=remote, allow_update=True,
                                     update_token=TOKEN)
    load_store(config)
    store = open_store(config)
    client = create_app(config, store).test_client()
    assert client.get("/id/narnia").status_code == 404
    written = client.post("/update", data=(
        f'INSERT DATA {{ GRAPH <{BASE}graph/entities> {{ <{BASE}id/narnia> '
        '<http://www.w3.org/2000/01/rdf-schema#label> "Narnia" } }'),
        headers={"Authorization": f"Bearer {TOKEN}",
                 "Content-Type": "application/sparql-update"})
    assert written.status_code == 204, written.data
    page = client.get("/id/narnia", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Narnia" in page.get_data(as_text=True)
    assert client.get("/api/search?q=narnia").get_json()["results"][0]["label"] == "Narnia"


def test_a_remote_without_an_update_url_is_read_only(remote: str, settings: Settings) -> None:
    query_only = remote.split(",")[0]
    config = settings.with_overrides(store=query_only, allow_update=True, update_token=TOKEN)
    client = create_app(config, open_store(config)).test_client()
    refused = client.post("/update", data="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                          headers={"Authorization": f"Bearer {TOKEN}",
                                   "Content-Type": "application/sparql-update"})
    assert refused.status_code == 403
    assert "UPDATE_URL" in refused.get_json()["detail"]


def test_a_remote_that_is_down_is_a_503_naming_the_setting(settings: Settings) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = settings.with_overrides(store=f"sparql:http://127.0.0.1:{port}/query")
    client = create_app(config, open_store(config)).test_client()
    response = client.get("/sparql?query=" + quote("ASK {}"),
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 503
    assert response.get_json()["setting"] == "store"
    assert f"127.0.0.1:{port}" in response.get_json()["detail"]
    health = client.get("/health")
    assert health.status_code == 503 and health.get_json()["status"] == "unavailable"


def test_a_remote_that_does_not_answer_is_a_503_naming_the_time_limit(
        settings: Settings) -> None:
    with socket.socket() as silent:  # takes connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        store = RemoteStore(Endpoints(url), BASE)
        config = settings.with_overrides(query_timeout_ms=1500, min_query_timeout_ms=1000)
        response = create_app(config, store).test_client().get(
            "/sparql?query=" + quote("ASK {}"),
            headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 503
    assert response.get_json()["setting"] == "query_timeout_ms"
    left = re.search(r"did not answer within ([0-9.]+) s", response.get_json()["detail"])
    assert left is not None and 0 < float(left.group(1)) <= 1.5  # the time left of the limit


@pytest.mark.slow  # a Virtuoso of its own
def test_a_query_over_virtuoso_s_own_time_limit_is_a_503(tmp_path: Path) -> None:
    """Virtuoso stops a query at its MaxQueryExecutionTime with a 500 (SQLSTATE S1T00): the 503
    of a query over its time, as on every store."""
    with running_virtuoso(tmp_path / "virtuoso", timeout_s=1) as remote:
        store = RemoteStore(Endpoints.parse(remote), BASE)
        rows = " ".join(f"<urn:s{n % 30}> <urn:p> <urn:o{n}> ." for n in range(900))
        store.write(UpdateOp(f"INSERT DATA {{ GRAPH <urn:g> {{ {rows} }} }}"), 30)
        with pytest.raises(StoreTimeout, match="ran out of time") as raised:
            store.query(QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
                                     "?g ?h ?i . ?j ?k ?l }", "json", BASE), 30)
    assert raised.value.setting == "query_timeout_ms"


def test_an_answer_in_part_is_a_503() -> None:
    """Virtuoso's anytime queries answer 200 with the rows found when its limit struck, saying
    so only in X-SQL-State (S1TAT; seen with its `timeout` parameter): not an answer."""

    class Partial(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802  (http.server's naming)
            self.rfile.read(int(self.headers["Content-Length"]))
            body = b'{"head": {"vars": ["n"]}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("X-SQL-State", "S1TAT")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Partial) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        store = RemoteStore(Endpoints(f"http://127.0.0.1:{server.server_address[1]}/q"), BASE)
        try:
            with pytest.raises(StoreTimeout, match="answered in part"):
                store.query(QueryRequest("SELECT * WHERE { ?s ?p ?o }", "json", BASE), 10)
        finally:
            server.shutdown()


def test_answers_are_capped_at_max_rows(remote: str, settings: Settings,
                                        built_file: Path) -> None:
    load_store(settings.with_overrides(dataset_file=built_file, store=remote))
    store = RemoteStore(Endpoints.parse(remote), BASE)
    answer = store.query(QueryRequest("SELECT * WHERE { ?s ?p ?o }", "tsv", BASE, max_rows=7),
                         10)
    assert (answer.kind, answer.count, answer.truncated) == ("SELECT", 7, True)
    assert len(answer.body.decode().splitlines()) == 8  # the header and 7 rows


@pytest.mark.parametrize("setting", ["sparql:", "sparql:ftp://x/q", "sparql:http://a,b,c,d"])
def test_a_bad_remote_setting_is_a_clear_error(setting: str) -> None:
    with pytest.raises(InputError, match="QUERY_URL"):
        Endpoints.parse(setting)


@pytest.mark.slow  # a build
def test_kg_build_loads_the_remote_and_kg_query_reads_it(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    with running_oxigraph(tmp_path / "remote") as remote:
        built = invoke_kg("--project", str(project), "--store", remote, "build", "-q")
        asked = invoke_kg("--project", str(project), "--store", remote, "query", "-f", "tsv",
                          COUNT)
    assert built.exit_code == 0, built.output
    dataset = load_dataset(project / "build" / "dataset.trig")
    assert asked.exit_code == 0, asked.output
    assert int(asked.stdout.splitlines()[1].split("^^")[0].strip('"')) == quads(dataset)


@pytest.mark.parametrize(("update", "sent"), [
    ("DROP GRAPH <urn:g>", "CLEAR GRAPH <urn:g>"),
    ("drop silent graph <urn:g>", "CLEAR silent graph <urn:g>"),
    ("DROP ALL ; INSERT DATA { GRAPH <urn:a> { <urn:s> <urn:p> 'DROP ALL' } }",
     "CLEAR SILENT GRAPH <urn:a> ;\nCLEAR SILENT GRAPH <urn:b> ; INSERT DATA { GRAPH <urn:a> "
     "{ <urn:s> <urn:p> 'DROP ALL' } }"),
    ("CLEAR SILENT NAMED", "CLEAR SILENT GRAPH <urn:a> ;\nCLEAR SILENT GRAPH <urn:b>"),
    ("CLEAR GRAPH <urn:g> # DROP ALL", "CLEAR GRAPH <urn:g> # DROP ALL"),
    ("DROP DEFAULT", "DROP DEFAULT"),
])
def test_updates_are_sent_in_words_every_server_takes(update: str, sent: str) -> None:
    """DROP as CLEAR, ALL and NAMED as each graph (remote_dialect.py); strings and comments
    are never read as keywords."""
    assert portable_update(update, ["urn:a", "urn:b"]) == sent
