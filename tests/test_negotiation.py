"""Content negotiation over the whole matrix, against the real `kg serve` on each store.

Every query form (SELECT, ASK, CONSTRUCT, DESCRIBE) meets every Accept header that a real
client sends (tests/data/clients/accept-headers.tsv): the answer is 200 in a type the header
accepts, parsed by a real parser and equal to the answer in the default format, or a 406 that
lists the formats the server writes; never a 5xx. Then the format parameters: clients repeat
them under three names (format, output, results) and in several spellings, which must agree.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.query import Result
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg.formats import RDF_FORMATS, RESULT_FORMATS, from_media_type

from .helpers import ROOT
from .server import running_server

pytestmark = pytest.mark.slow  # every test here talks to a real server

ID = "https://w3id.org/diplo-kg/id/"
SHARED = (ROOT / "queries" / "shared-memberships.rq").read_text(encoding="utf-8")
SHARED_ORGS = {ID + "united-nations", ID + "organisation-of-islamic-cooperation", ID + "osce",
               ID + "economic-cooperation-organization"}
SAME_AS = "?s <http://www.w3.org/2002/07/owl#sameAs> ?o"
QUERIES = {
    "select": SHARED,
    "ask": f"ASK {{ <{ID}turkey> <https://w3id.org/diplo-kg/ontology#memberOf> <{ID}osce> }}",
    "construct": f"CONSTRUCT {{ {SAME_AS} }} WHERE {{ GRAPH <https://w3id.org/diplo-kg/graph/"
                 f"links> {{ {SAME_AS} }} }}",
    "describe": f"DESCRIBE <{ID}osce>",
}
GRAPH_FORMS = ("construct", "describe")
RDF_PARSERS = {f.media_type: f.rdflib_name for f in RDF_FORMATS}
PROBLEM = "application/problem+json"


def accept_headers() -> list[tuple[str, str | None]]:
    """(id, header) of each client in the data file; None: the request has no Accept."""
    path = ROOT / "tests" / "data" / "clients" / "accept-headers.tsv"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, header, _who = line.split("\t")
            rows.append((name, None if header == "-" else header))
    return rows


HEADERS = accept_headers()


@dataclass(frozen=True)
class Reply:
    status: int
    media_type: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(base: str, target: str, headers: dict[str, str] | None = None,
         method: str = "GET", body: bytes | None = None) -> Reply:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    assert b"Traceback" not in data
    return Reply(response.status, response.headers.get_content_type(), data)


def ask(base: str, form: str, accept: str | None, **params: str | list[str]) -> Reply:
    query = urlencode({"query": QUERIES[form], **params}, doseq=True)
    return call(base, "/sparql?" + query, {} if accept is None else {"Accept": accept})


def answer(reply: Reply, form: str) -> object:
    """What a body says, read by a real parser for its media type."""
    if form in GRAPH_FORMS:
        dataset = Dataset()
        dataset.parse(data=reply.body, format=RDF_PARSERS[reply.media_type])
        graph = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    text = reply.body.decode("utf-8")
    if reply.media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        if form == "ask":  # the one-column _askResult table (kg.sparql.execute.ask_table)
            assert rows[0] == ["_askResult"]
            return rows[1] == ["true"]
        org = rows[0].index("org")
        return {row[org] for row in rows[1:]}
    if reply.media_type == "text/tab-separated-values" and form == "ask":
        lines = text.splitlines()
        assert lines[0] == "?_askResult"
        return lines[1] == "true"
    parser = {f.media_type: f.rdflib_name for f in RESULT_FORMATS}[reply.media_type]
    result = Result.parse(io.BytesIO(reply.body), format=parser)
    if form == "ask":
        return result.askAnswer
    return {str(row.org) for row in result}  # type: ignore[union-attr]


def same(found: object, expected: object) -> bool:
    if isinstance(expected, Graph):
        return isinstance(found, Graph) and isomorphic(found, expected)
    return found == expected


# --- one server per store ---

@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, built_file: Path,
           store_option: str) -> Iterator[str]:
    if store_option == "memory":
        yield request.getfixturevalue("live_server")
        return
    with running_server(built_file, store=store_option) as url:
        yield url


@pytest.fixture(scope="module")
def expected(server: str) -> dict[str, object]:
    """Each form's answer in the default format (what a client that says nothing gets)."""
    out = {}
    for form in QUERIES:
        reply = ask(server, form, None)
        assert reply.status == 200, reply.body
        out[form] = answer(reply, form)
    assert out["select"] == SHARED_ORGS and out["ask"] is True
    assert len(out["construct"]) > 10 and len(out["describe"]) > 3  # type: ignore[arg-type]
    return out


# --- the matrix ---

@pytest.mark.parametrize("form", list(QUERIES))
@pytest.mark.parametrize(("client", "accept"), HEADERS, ids=[name for name, _ in HEADERS])
def test_every_form_with_every_client_accept(server: str, expected: dict[str, object],
                                             form: str, client: str, accept: str | None) -> None:
    reply = ask(server, form, accept)
    family = RDF_FORMATS if form in GRAPH_FORMS else RESULT_FORMATS
    if reply.status == 406:
        assert reply.media_type == PROBLEM
        detail = reply.json()["detail"]
        assert all(f.media_type in detail for f in family), detail
        # a 406 only where nothing the family writes is acceptable
        offered = parse_accept_header(accept, MIMEAccept)
        assert not any(offered.quality(f.media_type) for f in family)
        return
    assert reply.status == 200, (reply.status, reply.body[:300])
    if accept is not None:  # the header accepts the type, or one of its aliases (json: JSON-LD)
        written = from_media_type(reply.media_type, family)
        assert written is not None
        names = [written.media_type, *(a for a in written.aliases if "/" in a)]
        names += [f"{n}; charset=utf-8" for n in names]  # werkzeug matches parameters exactly
        assert any(parse_accept_header(accept, MIMEAccept).quality(n) for n in names)
    assert same(answer(reply, form), expected[form])


@pytest.mark.parametrize(("accept", "form", "media_type"), [
    ("application/sparql-results+json,*/*;q=0.9", "select", "application/sparql-results+json"),
    ("text/csv", "ask", "text/csv"),
    ("text/tab-separated-values", "ask", "text/tab-separated-values"),
    ("application/n-triples,*/*;q=0.9", "construct", "application/n-triples"),
    ("text/plain", "construct", "application/n-triples"),
    ("application/json", "describe", "application/ld+json"),
    ("application/json", "select", "application/sparql-results+json"),
    ("application/rdf+xml, application/sparql-results+xml", "construct", "application/rdf+xml"),
    ("application/rdf+xml, application/sparql-results+xml", "ask",
     "application/sparql-results+xml"),
    ("text/n3", "construct", "text/turtle"),
    ("application/sparql-results+json;q=0, text/csv", "select", "text/csv"),
])
def test_the_best_acceptable_format_wins(server: str, accept: str, form: str,
                                         media_type: str) -> None:
    reply = ask(server, form, accept)
    assert (reply.status, reply.media_type) == (200, media_type)


# --- format / output / results parameters ---

def wrapper_params(value: str, media_type: str) -> dict[str, list[str]]:
    """What SPARQLWrapper 2.0 puts in the URL for TSV, JSON-LD or RDF/XML: each of the three
    names twice, the short name then its Accept list (tested for real in test_clients.py)."""
    return {name: [value, media_type] for name in ("format", "output", "results")}


@pytest.mark.parametrize(("form", "params", "media_type"), [
    ("select", wrapper_params("tsv", "text/tab-separated-values"), "text/tab-separated-values"),
    ("ask", wrapper_params("tsv", "text/tab-separated-values"), "text/tab-separated-values"),
    ("construct", wrapper_params("json-ld", "application/ld+json,application/x-json+ld"),
     "application/ld+json"),
    ("describe", wrapper_params("rdf+xml", "application/rdf+xml"), "application/rdf+xml"),
    ("select", wrapper_params("json-ld", ""), None),  # JSON-LD cannot carry rows: a 406
    ("select", {"format": ["json"], "output": ["application/sparql-results+json"],
                "results": ["SRJ"]}, "application/sparql-results+json"),
    ("select", {"format": ["", "csv"]}, "text/csv"),
    ("construct", {"output": ["n3"]}, "text/turtle"),
    ("construct", {"results": ["nt"]}, "application/n-triples"),
], ids=["wrapper-tsv-select", "wrapper-tsv-ask", "wrapper-jsonld", "wrapper-rdfxml",
        "wrapper-jsonld-select", "three-spellings", "blank-ignored", "output-n3", "results-nt"])
def test_format_parameters_that_agree(server: str, expected: dict[str, object], form: str,
                                      params: dict[str, list[str]],
                                      media_type: str | None) -> None:
    reply = ask(server, form, "*/*", **params)
    if media_type is None:
        assert reply.status == 406 and reply.media_type == PROBLEM
        assert "json, xml, csv, tsv" in reply.json()["detail"]
        return
    assert (reply.status, reply.media_type) == (200, media_type), reply.body
    assert same(answer(reply, form), expected[form])


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(("params", "named"), [
    ({"format": ["json", "xml"]}, ("format=json", "format=xml")),
    ({"format": ["csv"], "output": ["text/tab-separated-values"]},
     ("format=csv", "output=text/tab-separated-values")),
    ({"format": ["json"], "results": ["srx"]}, ("format=json", "results=srx")),
], ids=["format-twice", "format-output", "format-results"])
def test_format_parameters_that_conflict_are_a_400_naming_them(
        server: str, method: str, params: dict[str, list[str]], named: tuple[str, ...]) -> None:
    encoded = urlencode({"query": SHARED, **params}, doseq=True)
    if method == "GET":
        reply = call(server, "/sparql?" + encoded)
    else:
        reply = call(server, "/sparql", {"Content-Type": "application/x-www-form-urlencoded"},
                     "POST", encoded.encode())
    assert reply.status == 400 and reply.media_type == PROBLEM
    detail = reply.json()["detail"]
    assert all(part in detail for part in named), detail


def test_graph_store_reads_the_same_parameters(server: str) -> None:
    graph = urlencode({"graph": "https://w3id.org/diplo-kg/graph/links", "format": "ttl",
                       "output": "text/turtle"})
    reply = call(server, "/store?" + graph)
    assert (reply.status, reply.media_type) == (200, "text/turtle")
    conflict = call(server, "/store?" + graph + "&results=nt")
    assert conflict.status == 400 and "results=nt" in conflict.json()["detail"]

