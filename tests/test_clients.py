"""The client matrix: real SPARQL clients, each used as its users use it, against the real
`kg serve` on loopback, on each store.

SPARQLWrapper (every return format it offers, GET and both POSTs), rdflib's SPARQLStore and
SPARQLUpdateStore, fetch-sparql-endpoint from npm (run by node) and curl. YASGUI in Chromium is
tested in test_workbench.py. Every answer is compared with what the same server answers a
client that says nothing (tests/forms.py); writes go to a server of their own with updates on.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.dom.minidom import Document

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from rdflib.query import Result
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

from .forms import GRAPH_FORMS, QUERIES, answer, default_answers, same
from .helpers import ROOT
from .server import TOKEN, running_server

pytestmark = pytest.mark.slow  # every test here talks to a real server

# What SPARQLWrapper offers for each form (SPARQLWrapper.Wrapper._allowedFormats, as its docs
# pair them with query forms). RDF and JSON on a graph send Accept */* with a RuntimeWarning.
WRAPPER_FORMATS = {
    "select": (JSON, XML, CSV, TSV),
    "ask": (JSON, XML, CSV, TSV),
    "construct": (TURTLE, N3, XML, RDFXML, RDF, JSONLD, JSON),
    "describe": (TURTLE, N3, XML, RDFXML, RDF, JSONLD, JSON),
}
WRAPPER_CASES = [(form, fmt) for form, formats in WRAPPER_FORMATS.items() for fmt in formats]
WARNS_ON_GRAPH = (RDF, JSON)  # no Accept list for these: SPARQLWrapper warns and sends */*
FETCH_SPARQL = ROOT / "tests" / "clients" / "fetch-sparql.cjs"
SCRATCH = "https://example.org/scratch"  # the graph the write tests use


@pytest.fixture(scope="module")
def expected(store_server: str) -> dict[str, object]:
    return default_answers(store_server)


@pytest.fixture(scope="module")
def writable(built_file: Path, store_kind: str,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own with updates on (the bearer token from the environment, as the
    README says to pass it), on its own store: writes never reach the shared server."""
    store = "memory"
    if store_kind == "oxigraph":
        store = f"oxigraph:{tmp_path_factory.mktemp('oxigraph-writable') / 'store'}"
    with running_server(built_file, "--allow-update", "--workers", "1", store=store,
                        env={"KG_UPDATE_TOKEN": TOKEN}) as url:
        yield url


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: .ci/run installs it")
    return found


# --- SPARQLWrapper ---

def read_wrapper(converted: Any, form: str, fmt: str) -> object:
    """What SPARQLWrapper's convert() gave, read as its users read it."""
    if form in GRAPH_FORMS:
        if isinstance(converted, bytes):  # Turtle and N3 come back as text
            return Graph().parse(data=converted, format="turtle")
        graph = Graph()  # RDF/XML and JSON-LD come back as an rdflib graph
        for triple in converted.triples((None, None, None)):
            graph.add(triple)
        return graph
    if fmt == JSON:
        data = converted
        return data["boolean"] if form == "ask" else {
            b["org"]["value"] for b in data["results"]["bindings"]}
    if fmt == XML:
        document: Document = converted
        if form == "ask":
            return document.getElementsByTagName("boolean")[0].firstChild.data == "true"
        return {b.getElementsByTagName("uri")[0].firstChild.data
                for b in document.getElementsByTagName("binding")
                if b.getAttribute("name") == "org"}
    text = converted.decode("utf-8")
    if form == "ask":  # CSV and TSV of a boolean: the one-column _askResult table
        return text.split()[1] == "true"
    if fmt == CSV:
        return {row["org"] for row in csv.DictReader(io.StringIO(text))}
    return {str(row.org) for row in Result.parse(io.BytesIO(converted), format="tsv")}


@pytest.mark.parametrize("method", ["GET", URLENCODED, POSTDIRECTLY])
@pytest.mark.parametrize(("form", "fmt"), WRAPPER_CASES,
                         ids=[f"{form}-{fmt}" for form, fmt in WRAPPER_CASES])
def test_sparqlwrapper(store_server: str, expected: dict[str, object], form: str, fmt: str,
                       method: str) -> None:
    client = SPARQLWrapper(store_server + "/sparql")
    client.setQuery(QUERIES[form])
    client.setReturnFormat(fmt)
    if method != "GET":
        client.setMethod(POST)
        client.setRequestMethod(method)
    if form in GRAPH_FORMS and fmt in WARNS_ON_GRAPH:
        with pytest.warns(RuntimeWarning, match="Sending Accept header"):
            converted = client.queryAndConvert()
    else:
        converted = client.queryAndConvert()
    assert same(read_wrapper(converted, form, fmt), expected[form])


@pytest.mark.parametrize(("form", "fmt"), [("select", TURTLE), ("ask", JSONLD),
                                           ("construct", CSV), ("describe", TSV)])
def test_sparqlwrapper_format_that_cannot_carry_the_form_is_406(store_server: str, form: str,
                                                                fmt: str) -> None:
    client = SPARQLWrapper(store_server + "/sparql")
    client.setQuery(QUERIES[form])
    client.setReturnFormat(fmt)
    with pytest.warns(RuntimeWarning, match="Sending Accept header"):  # SPARQLWrapper knows
        with pytest.raises(urllib.error.HTTPError) as raised:
            client.query()
    with raised.value as error:
        assert error.code == 406
        assert "one of" in json.load(error)["detail"]


# --- rdflib's SPARQLStore and SPARQLUpdateStore ---

STORE_CASES = [("select", "xml"), ("select", "json"), ("ask", "xml"), ("ask", "json"),
               ("construct", "xml"), ("describe", "xml")]


def read_rdflib(result: Result, form: str) -> object:
    if form in GRAPH_FORMS:
        assert result.graph is not None
        graph = Graph()
        for triple in result.graph:
            graph.add(triple)
        return graph
    if form == "ask":
        return result.askAnswer
    return {str(row.org) for row in result}  # type: ignore[union-attr]


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize(("form", "return_format"), STORE_CASES,
                         ids=[f"{form}-{fmt}" for form, fmt in STORE_CASES])
def test_rdflib_sparqlstore(store_server: str, expected: dict[str, object], form: str,
                            return_format: str, method: str) -> None:
    store = SPARQLStore(store_server + "/sparql", returnFormat=return_format, method=method)
    result = Graph(store=store).query(QUERIES[form])
    assert same(read_rdflib(result, form), expected[form])


def scratch_graph(server: str, token: str | None = TOKEN) -> Graph:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    store = SPARQLUpdateStore(server + "/sparql", server + "/update", headers=headers)
    return Graph(store=store, identifier=URIRef(SCRATCH))


def test_rdflib_sparqlupdatestore_adds_updates_and_removes(writable: str) -> None:
    graph = scratch_graph(writable)
    turkey = URIRef("https://w3id.org/diplo-kg/id/turkey")
    note = URIRef("https://example.org/note")
    graph.add((turkey, note, Literal("added by rdflib")))
    assert (turkey, note, Literal("added by rdflib")) in graph
    # rdflib puts the update in the Graph's named graph itself (a GRAPH block of one's own
    # would be nested in its GRAPH block: a syntax error)
    graph.update(f'INSERT DATA {{ <{turkey}> <{note}> "updated" }}')
    assert set(graph.objects(turkey, note)) == {Literal("added by rdflib"), Literal("updated")}
    graph.remove((turkey, note, None))
    assert list(graph.objects(turkey, note)) == []
    assert len(graph) == 0


def test_rdflib_sparqlupdatestore_without_the_token_is_refused(writable: str) -> None:
    graph = scratch_graph(writable, token=None)
    with pytest.raises(urllib.error.HTTPError) as raised:
        graph.add((URIRef("https://example.org/a"), URIRef("https://example.org/b"),
                   Literal("c")))
    with raised.value as error:
        assert error.code == 401
    assert len(scratch_graph(writable)) == 0


# --- fetch-sparql-endpoint (npm), run by node ---

def fetch_sparql(endpoint: str, query: str, method: str = "POST",
                 token: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [tool("node"), str(FETCH_SPARQL), endpoint, query, method, *([token] if token
                                                                           else [])]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                          cwd=ROOT)


def read_fetch_sparql(answer: dict[str, Any], form: str) -> object:
    if form in GRAPH_FORMS:
        graph = Graph()
        for triple in answer["result"]:
            graph.add(tuple(_term(t) for t in triple))  # type: ignore[arg-type]
        return graph
    if form == "ask":
        return answer["result"]
    return {row["org"] for row in answer["result"]}


def _term(text: str) -> URIRef | Literal:
    """rdf-string's termToString: an IRI bare, a literal quoted with @lang or ^^<datatype>."""
    if not text.startswith('"'):
        return URIRef(text)
    value, _, suffix = text[1:].rpartition('"')
    if suffix.startswith("@"):
        return Literal(value, lang=suffix[1:])
    if suffix.startswith("^^"):
        return Literal(value, datatype=URIRef(suffix[2:]))
    return Literal(value)


@pytest.mark.parametrize("method", ["GET", "POST", "direct"])
@pytest.mark.parametrize("form", list(QUERIES))
def test_fetch_sparql_endpoint(store_server: str, expected: dict[str, object], form: str,
                               method: str) -> None:
    ran = fetch_sparql(store_server + "/sparql", QUERIES[form], method)
    assert ran.returncode == 0, ran.stderr
    assert same(read_fetch_sparql(json.loads(ran.stdout), form), expected[form])


def test_fetch_sparql_endpoint_update(writable: str) -> None:
    insert = f'INSERT DATA {{ GRAPH <{SCRATCH}> {{ <urn:x:a> <urn:x:b> "from node" }} }}'
    refused = fetch_sparql(writable + "/update", insert)
    assert refused.returncode == 1 and "401" in refused.stderr
    done = fetch_sparql(writable + "/update", insert, token=TOKEN)
    assert done.returncode == 0, done.stderr
    check = fetch_sparql(writable + "/sparql",
                         f'ASK {{ GRAPH <{SCRATCH}> {{ ?s ?p "from node" }} }}')
    assert json.loads(check.stdout)["result"] is True
    cleared = fetch_sparql(writable + "/update", f"CLEAR GRAPH <{SCRATCH}>", token=TOKEN)
    assert cleared.returncode == 0, cleared.stderr


# --- curl, as a person types it ---

def curl(*args: str) -> tuple[int, str, bytes]:
    """(status, media type, body) of one curl call."""
    ran = subprocess.run([tool("curl"), "-sS", "-o", "-", "-w", "\n%{http_code} %{content_type}",
                          *args], capture_output=True, timeout=60, check=True)
    body, _, trailer = ran.stdout.rpartition(b"\n")
    status, _, content_type = trailer.decode().partition(" ")
    return int(status), content_type.split(";")[0], body


@pytest.mark.parametrize(("how", "form", "accept", "media_type"), [
    ("get", "ask", "text/csv", "text/csv"),
    ("get", "describe", "application/n-triples", "application/n-triples"),
    ("form", "select", "text/tab-separated-values", "text/tab-separated-values"),
    ("direct", "construct", "application/ld+json", "application/ld+json"),
    ("get", "ask", "*/*", "application/sparql-results+json"),
], ids=["ask-csv", "describe-nt", "post-form-tsv", "post-direct-jsonld", "ask-star"])
def test_curl(store_server: str, expected: dict[str, object], how: str, form: str,
              accept: str, media_type: str) -> None:
    query = QUERIES[form]
    sent = {"get": ["-G", "--data-urlencode", f"query={query}"],
            "form": ["--data-urlencode", f"query={query}"],
            "direct": ["-H", "Content-Type: application/sparql-query", "--data-binary", query]}
    status, got, body = curl(*sent[how], "-H", f"Accept: {accept}", store_server + "/sparql")
    assert (status, got) == (200, media_type), body[:300]
    assert same(answer(got, body, form), expected[form])


def test_curl_update_with_the_token(writable: str) -> None:
    insert = f'INSERT DATA {{ GRAPH <{SCRATCH}> {{ <urn:x:a> <urn:x:b> "from curl" }} }}'
    update = ["-H", "Content-Type: application/sparql-update", "--data-binary", insert,
              writable + "/update"]
    assert curl(*update)[0] == 401
    assert curl("-H", f"Authorization: Bearer {TOKEN}", *update)[0] == 204
    status, _, body = curl("-G", "--data-urlencode",
                           f'query=ASK {{ GRAPH <{SCRATCH}> {{ ?s ?p "from curl" }} }}',
                           writable + "/sparql")
    assert status == 200 and json.loads(body)["boolean"] is True
    clear = ["-H", "Content-Type: application/sparql-update", "--data-binary",
             f"CLEAR GRAPH <{SCRATCH}>", writable + "/update"]
    assert curl("-H", f"Authorization: Bearer {TOKEN}", *clear)[0] == 204
