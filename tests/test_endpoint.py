"""The real `kg serve` over HTTP, in a subprocess: real clients, dumps, limits, hostile input.

Every test runs on each store (store_kind: memory, then oxigraph). Three servers on the
session's built dataset: `server`, with the default settings (on oxigraph, the default
store: conftest.py's shared live_server), `limited` with a 1.5 s time limit, a 5-row limit
and three workers (so a runaway query leaves workers free even after another test's query
was stopped), and one started inside the SIGTERM test. Bodies are parsed with real parsers:
RDF with rdflib (compared as graphs), results with json, csv and rdflib's result parsers; both
stores are compared with the one built dataset.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper

from kg.cli import main
from kg.dataset.io import load_dataset
from kg.formats import RDF_FORMATS, rdf_format
from kg.vocab import SD, VOID

from .helpers import ROOT
from .raw_http import Reply, call
from .server import running_server

pytestmark = pytest.mark.slow  # every test here talks to a real server

BASE = "https://w3id.org/diplo-kg/"
ID = BASE + "id/"
LINKS = URIRef(BASE + "graph/links")
SUMMITS = (ROOT / "queries" / "summits.rq").read_text(encoding="utf-8")
SHARED = (ROOT / "queries" / "shared-memberships.rq").read_text(encoding="utf-8")
SHARED_ORGS = {ID + "united-nations", ID + "organisation-of-islamic-cooperation", ID + "osce",
               ID + "economic-cooperation-organization"}
SAME_AS = f"?s <{OWL.sameAs}> ?o"
CONSTRUCT_LINKS = f"CONSTRUCT {{ {SAME_AS} }} WHERE {{ GRAPH <{LINKS}> {{ {SAME_AS} }} }}"
ASK = "ASK {{ <{0}turkey> <https://w3id.org/diplo-kg/ontology#memberOf> <{0}{1}> }}"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PARSERS = {"text/turtle": "turtle", "application/ld+json": "json-ld",
           "application/n-triples": "nt", "application/rdf+xml": "xml",
           "application/trig": "trig", "application/n-quads": "nquads"}
PROBLEM_KEYS = {"type", "title", "status", "detail"}


# --- HTTP without a client library in the way (raw query strings, any method or body) ---

LIMIT_S = 1.5  # the `limited` server's query time limit, in seconds




def sparql(base: str, query: str, **params: str) -> Reply:
    return call(base, "/sparql?" + urlencode({"query": query, **params}),
                headers={"Accept": "application/sparql-results+json"})


def assert_problem(reply: Reply, status: int, *extra: str) -> dict[str, Any]:
    """The one error shape: RFC 9457 problem+json, exactly these keys, status as sent."""
    assert reply.status == status, reply.body
    assert reply.media_type == "application/problem+json"
    body = reply.json()
    assert set(body) == PROBLEM_KEYS | set(extra)
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def parse_rdf(data: bytes, media_type: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(data=data, format=PARSERS[media_type])
    return dataset


def triples(dataset: Dataset) -> Graph:
    """Every triple of a parsed dataset, whatever graph it came in."""
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def triples_of(dataset: Dataset, name: URIRef) -> Graph:
    """The triples of one named graph."""
    graph = Graph()
    for triple in dataset.graph(name):
        graph.add(triple)
    return graph


# --- fixtures: one dataset, servers reused by the whole module ---

@pytest.fixture(scope="module")
def data(built_file: Path) -> Path:
    return built_file


@pytest.fixture(scope="module")
def dataset(data: Path, store_kind: str) -> Dataset:
    """The data the server serves, whatever its store."""
    return load_dataset(data)


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, data: Path, store_kind: str,
           store_option: str) -> Iterator[str]:
    if store_kind == "oxigraph":  # the shared server runs on the default store
        yield request.getfixturevalue("live_server")
        return
    with running_server(data, store=store_option) as url:
        yield url


@pytest.fixture(scope="module")
def limited(data: Path, store_option: str) -> Iterator[str]:
    """A server of its own: time and row limits, and more workers than the default."""
    options = ("--timeout-ms", str(int(LIMIT_S * 1000)), "--max-rows", "5", "--workers", "3")
    with running_server(data, *options, store=store_option) as url:
        yield url


@pytest.fixture(scope="module")
def curl() -> str:
    found = shutil.which("curl")
    if found is None:
        pytest.fail("curl is not installed: the plain-HTTP tests need it")
    return found


@pytest.fixture(scope="module")
def cli_exports(data: Path, store_option: str) -> dict[tuple[str, str | None], bytes]:
    """`kg export` output per (format, graph) from the server's store: the command itself,
    run in this process."""
    out = {}
    for name, graph in [(fmt.name, None) for fmt in RDF_FORMATS] + [("ttl", "links")]:
        args = ["--data", str(data), "--store", store_option, "export", "--format", name]
        result = CliRunner().invoke(main, args + (["--graph", graph] if graph else []))
        assert result.exit_code == 0, result.output
        out[name, graph] = result.stdout_bytes
    return out


# --- real SPARQL clients ---

def wrapper(server: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_select_json_finds_the_two_summits(server: str) -> None:
    rows = wrapper(server, SUMMITS, JSON).queryAndConvert()["results"]["bindings"]
    found = {(r["place"]["value"], r["country"]["value"], r["startDate"]["value"]) for r in rows}
    assert found == {(ID + "istanbul", ID + "turkey", "2010-09-15"),
                     (ID + "almaty", ID + "kazakhstan", "2011-10-21")}


def test_sparqlwrapper_select_xml_finds_the_shared_memberships(server: str) -> None:
    document = wrapper(server, SHARED, XML).queryAndConvert()
    orgs = {binding.getElementsByTagName("uri")[0].firstChild.data
            for binding in document.getElementsByTagName("binding")
            if binding.getAttribute("name") == "org"}
    assert orgs == SHARED_ORGS


def test_sparqlwrapper_ask(server: str) -> None:
    assert wrapper(server, ASK.format(ID, "osce"), JSON).queryAndConvert()["boolean"] is True
    assert wrapper(server, ASK.format(ID, "kazakhstan"), JSON).queryAndConvert()[
        "boolean"] is False


def test_sparqlwrapper_construct_turtle(server: str, dataset: Dataset) -> None:
    body = wrapper(server, CONSTRUCT_LINKS, TURTLE).queryAndConvert()
    assert isomorphic(Graph().parse(data=body, format="turtle"), triples_of(dataset, LINKS))


@pytest.mark.parametrize("pattern", [f"?s <{OWL.sameAs}> ?o", ""])
def test_construct_where_short_form(server: str, dataset: Dataset, store_kind: str,
                                    pattern: str) -> None:
    """`CONSTRUCT WHERE { … }`, the short form, with a LIMIT, and empty (valid SPARQL 1.1: an
    empty graph). rdflib fails on both (its engine on the LIMIT, its parser on the empty one),
    so the memory store answers 400. On the Oxigraph store the query never reaches rdflib:
    Oxigraph's engine answers both, the LIMIT counting distinct triples."""
    reply = call(server, "/sparql?" + urlencode({"query": f"CONSTRUCT WHERE {{ {pattern} }}"
                                                          + (" LIMIT 3" if pattern else "")}),
                 headers={"Accept": "application/n-triples"})
    if store_kind == "memory":
        assert_problem(reply, 400)
        return
    assert reply.status == 200 and reply.media_type == "application/n-triples", reply.body
    got = set(Graph().parse(data=reply.body, format="nt"))
    if pattern:
        assert len(got) == 3 and got <= set(dataset.triples((None, OWL.sameAs, None)))
    else:
        assert reply.body == b""


@pytest.mark.parametrize("request_method", ["urlencoded", POSTDIRECTLY])
def test_sparqlwrapper_post(server: str, request_method: str) -> None:
    client = wrapper(server, SHARED, JSON)
    client.setMethod(POST)
    client.setRequestMethod(request_method)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert {row["org"]["value"] for row in rows} == SHARED_ORGS


def test_rdflib_sparqlstore_select(server: str) -> None:
    graph = Graph(store=SPARQLStore(server + "/sparql"))
    assert {str(row.org) for row in graph.query(SHARED)} == SHARED_ORGS


# --- plain curl: negotiation by Accept, q-values, wildcards, ?format ---

@dataclass(frozen=True)
class CurlReply:
    status: int
    content_type: str
    body: bytes


def run_curl(curl: str, url: str, *args: str) -> CurlReply:
    result = subprocess.run([curl, "-sS", "-o", "-", "-w", "\n%{http_code} %{content_type}",
                             *args, url], capture_output=True, timeout=60, check=True)
    body, _, trailer = result.stdout.rpartition(b"\n")
    status, _, content_type = trailer.decode().partition(" ")
    assert b"Traceback" not in body
    return CurlReply(int(status), content_type, body)


def curl_query(curl: str, server: str, query: str, accept: str | None,
               *params: str) -> CurlReply:
    args = ["-G", "--data-urlencode", f"query={query}"]
    for param in params:
        args += ["--data-urlencode", param]
    if accept is not None:
        args += ["-H", f"Accept: {accept}"]
    return run_curl(curl, server + "/sparql", *args)


def orgs_in(body: bytes, media_type: str) -> set[str]:
    if media_type == "application/sparql-results+json":
        return {b["org"]["value"] for b in json.loads(body)["results"]["bindings"]}
    if media_type == "text/csv":
        return {row["org"] for row in csv.DictReader(io.StringIO(body.decode("utf-8")))}
    parser = {"application/sparql-results+xml": "xml", "text/tab-separated-values": "tsv"}
    return {str(row.org) for row in Result.parse(io.BytesIO(body), format=parser[media_type])}


@pytest.mark.parametrize("media_type", ["application/sparql-results+json",
                                        "application/sparql-results+xml", "text/csv",
                                        "text/tab-separated-values"])
def test_curl_select_in_every_result_format(curl: str, server: str, media_type: str) -> None:
    reply = curl_query(curl, server, SHARED, media_type)
    assert reply.status == 200
    assert reply.content_type == f"{media_type}; charset=utf-8"
    assert orgs_in(reply.body, media_type) == SHARED_ORGS


@pytest.mark.parametrize("media_type", list(PARSERS))
def test_curl_construct_in_every_rdf_format(curl: str, server: str, dataset: Dataset,
                                            media_type: str) -> None:
    reply = curl_query(curl, server, CONSTRUCT_LINKS, media_type)
    assert reply.status == 200
    assert reply.content_type == f"{media_type}; charset=utf-8"
    assert isomorphic(triples(parse_rdf(reply.body, media_type)), triples_of(dataset, LINKS))


@pytest.mark.parametrize(("query", "accept", "params", "media_type"), [
    (SHARED, "text/csv;q=0.5, application/sparql-results+xml", (),
     "application/sparql-results+xml"),
    (SHARED, "*/*", (), "application/sparql-results+json"),
    (SHARED, None, (), "application/sparql-results+json"),
    (CONSTRUCT_LINKS, "*/*", (), "text/turtle"),
    (SHARED, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ("format=csv",),
     "text/csv"),
], ids=["q-values", "wildcard-select", "no-accept", "wildcard-construct", "format-param"])
def test_curl_negotiation(curl: str, server: str, query: str, accept: str | None,
                          params: tuple[str, ...], media_type: str) -> None:
    reply = curl_query(curl, server, query, accept, *params)
    assert reply.status == 200
    assert reply.content_type == f"{media_type}; charset=utf-8"
    if query is SHARED:
        assert orgs_in(reply.body, media_type) == SHARED_ORGS


def test_curl_unknown_accept_is_406(curl: str, server: str) -> None:
    reply = curl_query(curl, server, SHARED, "image/png")
    assert reply.status == 406
    assert reply.content_type.startswith("application/problem+json")
    assert set(json.loads(reply.body)) == PROBLEM_KEYS


# --- dumps, the JSON-LD context and the VoID description ---

@pytest.mark.parametrize("name", [fmt.name for fmt in RDF_FORMATS])
def test_dump_is_the_cli_export(server: str, dataset: Dataset,
                                cli_exports: dict[tuple[str, str | None], bytes],
                                name: str) -> None:
    fmt = rdf_format(name)
    reply = call(server, f"/data.{fmt.extension}")
    assert reply.status == 200
    assert reply.body == cli_exports[name, None]
    assert reply.headers["Content-Type"] == f"{fmt.media_type}; charset=utf-8"
    assert reply.headers["Content-Disposition"] == (
        f'attachment; filename="diplo-kg.{fmt.extension}"')
    parsed = parse_rdf(reply.body, fmt.media_type)
    if fmt.quads:
        assert len(parsed) == len(dataset)  # the union's triples …
        assert len(list(parsed.quads())) == len(list(dataset.quads()))  # … and every quad
    assert isomorphic(triples(parsed), triples(dataset))


def test_dump_of_one_graph(server: str, dataset: Dataset,
                           cli_exports: dict[tuple[str, str | None], bytes]) -> None:
    reply = call(server, "/data.ttl?graph=links")
    assert reply.status == 200
    assert reply.body == cli_exports["ttl", "links"]
    assert reply.headers["Content-Disposition"] == 'attachment; filename="diplo-kg-links.ttl"'
    assert isomorphic(Graph().parse(data=reply.body, format="turtle"),
                      triples_of(dataset, LINKS))
    by_iri = call(server, f"/data.ttl?graph={quote(LINKS, safe='')}")
    assert by_iri.body == reply.body


def test_dump_revalidates_with_etag(server: str) -> None:
    first = call(server, "/data.nq")
    etag = first.headers["ETag"]
    assert etag and etag.strip('"') == hashlib.sha256(first.body).hexdigest()
    again = call(server, "/data.nq", headers={"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    assert again.headers["ETag"] == etag
    other = call(server, "/data.nq", headers={"If-None-Match": '"something-else"'})
    assert other.status == 200 and other.body == first.body


def test_context_is_the_one_the_jsonld_dump_uses(server: str) -> None:
    reply = call(server, "/context.jsonld")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/ld+json; charset=utf-8"
    assert "max-age" in reply.headers["Cache-Control"] and reply.headers["ETag"]
    dump = call(server, "/data.jsonld?graph=links").json()
    assert reply.json()["@context"] == dump["@context"]
    # The dump reads the same with its @context replaced by the served document's URL.
    remote = json.dumps({**dump, "@context": server + "/context.jsonld"}).encode()
    assert isomorphic(triples(parse_rdf(remote, "application/ld+json")),
                      triples(parse_rdf(json.dumps(dump).encode(), "application/ld+json")))


def test_void_describes_the_dataset(server: str, dataset: Dataset) -> None:
    reply = call(server, "/.well-known/void")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/turtle; charset=utf-8"
    void = Graph().parse(data=reply.body, format="turtle")
    (whole,) = void.subjects(VOID.sparqlEndpoint, URIRef(server + "/sparql"))
    assert (whole, RDF.type, VOID.Dataset) in void
    quads = len(list(dataset.quads()))
    assert void.value(whole, VOID.triples) == Literal(quads, datatype=XSD.integer)
    dumps = {str(o) for o in void.objects(whole, VOID.dataDump)}
    assert dumps == {f"{server}/data.{fmt.extension}" for fmt in RDF_FORMATS}
    for dump in dumps:
        assert call(server, urlsplit(dump).path, method="HEAD").status == 200
    assert str(void.value(whole, VOID.uriSpace)) == ID
    graphs = {void.value(s, SD.name): void.value(s, VOID.triples).toPython()
              for s in void.objects(whole, VOID.subset) if void.value(s, SD.name)}
    assert graphs == {URIRef(str(g.identifier)): len(g) for g in dataset.graphs() if len(g)}
    (linkset,) = void.subjects(RDF.type, VOID.Linkset)
    assert void.value(linkset, VOID.linkPredicate) == OWL.sameAs
    assert void.value(linkset, VOID.subjectsTarget) == whole
    assert void.value(linkset, VOID.triples).toPython() == len(dataset.graph(LINKS))
    assert set(void.objects(linkset, VOID.target)) == {whole, void.value(linkset,
                                                                           VOID.objectsTarget)}
    classes = {void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
               for p in void.objects(whole, VOID.classPartition)}
    assert classes[URIRef("https://w3id.org/diplo-kg/ontology#Summit")] == 2
    assert void.value(whole, VOID.classes).toPython() == len(classes)
    properties = {void.value(p, VOID.property): void.value(p, VOID.triples).toPython()
                  for p in void.objects(whole, VOID.propertyPartition)}
    assert void.value(whole, VOID.properties).toPython() == len(properties)
    assert sum(properties.values()) == quads
    subjects = {s for s, _, _, _ in dataset.quads()}
    assert void.value(whole, VOID.distinctSubjects).toPython() == len(subjects)
    assert void.value(whole, VOID.entities).toPython() == len(
        {s for s in subjects if str(s).startswith(ID)})


def test_void_is_negotiated(server: str) -> None:
    turtle = call(server, "/.well-known/void")
    jsonld = call(server, "/.well-known/void", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["Content-Type"] == "application/ld+json; charset=utf-8"
    assert isomorphic(triples(parse_rdf(jsonld.body, "application/ld+json")),
                      Graph().parse(data=turtle.body, format="turtle"))


# --- CORS ---

def test_cors_on_get(server: str) -> None:
    reply = call(server, "/sparql?" + urlencode({"query": "ASK {}"}),
                 headers={"Origin": "https://example.org"})
    assert reply.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_for_post(server: str) -> None:
    reply = call(server, "/sparql", method="OPTIONS", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert reply.status == 204
    assert "POST" in reply.headers["Access-Control-Allow-Methods"].replace(" ", "").split(",")
    assert "content-type" in reply.headers["Access-Control-Allow-Headers"].lower()
    assert reply.headers["Access-Control-Allow-Origin"] == "*"


# --- limits: time, rows ---

def test_runaway_query_is_stopped_while_the_server_keeps_answering(limited: str) -> None:
    answers: list[Reply] = []
    runaway = threading.Thread(target=lambda: answers.append(sparql(limited, RUNAWAY)))
    runaway.start()
    during: list[tuple[int, int]] = []
    time.sleep(0.2)
    while runaway.is_alive():
        during.append((call(limited, "/health").status, sparql(limited, "ASK {}").status))
        time.sleep(0.1)
    runaway.join()
    (reply,) = answers
    assert assert_problem(reply, 503, "setting")["setting"] == "query_timeout_ms"
    assert LIMIT_S * 0.9 <= reply.seconds <= LIMIT_S * 4
    assert during and set(during) == {(200, 200)}
    assert call(limited, "/health").status == 200
    assert sparql(limited, "ASK {}").json()["boolean"] is True


def test_client_timeout_lowers_the_limit(server: str) -> None:
    reply = sparql(server, RUNAWAY, timeout="300")
    assert assert_problem(reply, 503, "setting")["setting"] == "query_timeout_ms"
    assert 0.3 <= reply.seconds < 3  # the server's own limit is 10 s


def test_client_timeout_cannot_raise_the_limit(limited: str) -> None:
    reply = sparql(limited, RUNAWAY, timeout="999999")
    assert assert_problem(reply, 503, "setting")["setting"] == "query_timeout_ms"
    assert LIMIT_S * 0.9 <= reply.seconds <= LIMIT_S * 4


def test_row_limit_cuts_and_says_so(limited: str) -> None:
    # more rows than the limit, but not the whole dataset: under the limited server's short
    # time limit a busy remote store may take longer than that to list every triple
    reply = sparql(limited, ALL + " LIMIT 40")
    assert reply.status == 200
    assert len(reply.json()["results"]["bindings"]) == 5
    assert "limit=5" in reply.headers["KG-Result-Truncated"]
    small = sparql(limited, ALL + " LIMIT 3")
    assert len(small.json()["results"]["bindings"]) == 3
    assert "KG-Result-Truncated" not in small.headers


# --- hostile input: the right status, one error shape, and the server lives on ---

@dataclass(frozen=True)
class Bad:
    status: int
    target: str
    method: str = "GET"
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    extra: tuple[str, ...] = ()
    server: str = "server"


SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
BAD = {
    "bad-utf8": Bad(400, "/sparql?query=%FF"),
    "malformed": Bad(400, "/sparql?" + urlencode({"query": "SELECT * WHERE {\n  ?s ?p"}),
                     extra=("line", "column")),
    "two-queries": Bad(400, "/sparql?" + urlencode([("query", "ASK {}")] * 2)),
    "service": Bad(403, "/sparql?" + urlencode(
        {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})),
    "update-off": Bad(403, "/update", "POST", b"CLEAR ALL",
                      {"Content-Type": "application/sparql-update"}),
    "unknown-graph": Bad(404, "/data.ttl?graph=nope"),
    "unknown-dump": Bad(404, "/data.xyz"),
    "put": Bad(405, "/sparql", "PUT", b"ASK {}", SPARQL_QUERY),
    "not-acceptable": Bad(406, "/sparql?query=ASK%20%7B%7D", headers={"Accept": "image/png"}),
    "huge-body": Bad(413, "/sparql", "POST", b"#" * 10_000_000, SPARQL_QUERY,
                     extra=("setting",)),
    "huge-query-string": Bad(414, "/sparql?query=" + "a" * 1_000_100, extra=("setting",)),
    "text-plain": Bad(415, "/sparql", "POST", b"ASK {}", {"Content-Type": "text/plain"}),
    "timeout": Bad(503, "/sparql?" + urlencode({"query": RUNAWAY, "timeout": "300"}),
                   extra=("setting",)),
}


@pytest.mark.parametrize("case", list(BAD))
def test_hostile_input_is_refused(request: pytest.FixtureRequest, case: str,
                                  store_kind: str) -> None:
    bad = BAD[case]
    url = request.getfixturevalue(bad.server)
    reply = call(url, bad.target, bad.method, bad.body, bad.headers)
    assert_problem(reply, bad.status, *bad.extra)
    assert call(url, "/health").status == 200


@pytest.mark.parametrize("status", sorted({bad.status for bad in BAD.values()}))
def test_error_shape(request: pytest.FixtureRequest, status: int, store_kind: str) -> None:
    """Like Datasette's test_error_shape: every error answers in the one documented shape."""
    name, bad = next((n, b) for n, b in BAD.items() if b.status == status)
    reply = call(request.getfixturevalue(bad.server), bad.target, bad.method, bad.body, bad.headers)
    body = assert_problem(reply, status, *bad.extra)
    assert reply.headers["Content-Type"] == "application/problem+json; charset=utf-8"
    assert body["type"] == "about:blank" and body["title"]
    if "line" in bad.extra:
        assert body["line"] == 2 and isinstance(body["column"], int), name
    if "setting" in bad.extra:
        assert body["setting"] in {"max_request_bytes", "query_timeout_ms"}, name


def test_malformed_query_answers_fast_with_its_position(server: str) -> None:
    body = assert_problem(sparql(server, "SELECT * WHERE {\n  ?s ?p"), 400, "line", "column")
    assert body["line"] == 2 and body["column"] >= 1
    assert f"line 2, column {body['column']}" in body["detail"]


def test_service_is_refused_without_calling_out(server: str) -> None:
    reply = call(server, BAD["service"].target)
    assert reply.status == 403 and reply.seconds < 2
    assert "service_allow" in reply.json()["detail"]


def test_from_a_remote_graph_is_empty_never_fetched(server: str) -> None:
    reply = sparql(server, "SELECT * FROM <http://example.org/remote> WHERE { ?s ?p ?o }")
    assert reply.status == 200
    assert reply.json()["results"]["bindings"] == []
    assert reply.seconds < 5


# --- the process: one access line per request, clean stop on SIGTERM ---

ACCESS = re.compile(r"kg\.access (\S+) (\S+) (\d{3}) \d+ms$")


def test_access_log_and_clean_stop(data: Path, store_option: str) -> None:
    log: list[str] = []
    with running_server(data, "--workers", "1", log=log, store=store_option) as url:  # exit 0
        sent = [("GET", "/health", 200), ("GET", "/data.nt", 200), ("GET", "/nowhere", 404),
                ("POST", "/sparql", 415)]
        for method, path, status in sent:
            assert call(url, path, method, b"" if method == "POST" else None,
                        {"Content-Type": "text/plain"}).status == status
    lines = [m.groups() for m in (ACCESS.search(line.rstrip()) for line in log) if m]
    assert lines == [(method, path, str(status)) for method, path, status in sent]
    assert any(line.rstrip().endswith("stopped") for line in log)
