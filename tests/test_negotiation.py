"""Content negotiation over the whole matrix, against the real `kg serve` on each store.

Every query form (SELECT, ASK, CONSTRUCT, DESCRIBE) meets every Accept header that a real
client sends (tests/data/clients/accept-headers.tsv): the answer is 200 in a type the header
accepts, parsed by a real parser and equal to the answer in the default format, or a 406 that
lists the formats the server writes; never a 5xx. Then the format parameters: clients repeat
them under three names (format, output, results) and in several spellings, which must agree.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from rdflib.query import Result
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg.formats import RDF_FORMATS, RESULT_FORMATS, from_media_type

from .forms import (
    GRAPH_FORMS,
    PROBLEM,
    QUERIES,
    SHARED,
    accept_headers,
    answer,
    ask,
    default_answers,
    same,
)
from .raw_http import call
from .remote_server import VIRTUOSO_BOOLEANS

pytestmark = pytest.mark.slow  # every test here talks to a real server


HEADERS = accept_headers()



HEADERS = accept_headers()


@pytest.fixture(scope="module")
def expected(store_server: str) -> dict[str, object]:
    return default_answers(store_server)


# --- the matrix ---

@pytest.mark.parametrize("form", list(QUERIES))
@pytest.mark.parametrize(("client", "accept"), HEADERS, ids=[name for name, _ in HEADERS])
def test_every_form_with_every_client_accept(store_server: str, expected: dict[str, object],
                                             form: str, client: str, accept: str | None) -> None:
    reply = ask(store_server, form, accept)
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
    assert same(answer(reply.media_type, reply.body, form), expected[form])


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
def test_the_best_acceptable_format_wins(store_server: str, accept: str, form: str,
                                         media_type: str) -> None:
    reply = ask(store_server, form, accept)
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
def test_format_parameters_that_agree(store_server: str, expected: dict[str, object], form: str,
                                      params: dict[str, list[str]],
                                      media_type: str | None) -> None:
    reply = ask(store_server, form, "*/*", **params)
    if media_type is None:
        assert reply.status == 406 and reply.media_type == PROBLEM
        assert "json, xml, csv, tsv" in reply.json()["detail"]
        return
    assert (reply.status, reply.media_type) == (200, media_type), reply.body
    assert same(answer(reply.media_type, reply.body, form), expected[form])


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(("params", "named"), [
    ({"format": ["json", "xml"]}, ("format=json", "format=xml")),
    ({"format": ["csv"], "output": ["text/tab-separated-values"]},
     ("format=csv", "output=text/tab-separated-values")),
    ({"format": ["json"], "results": ["srx"]}, ("format=json", "results=srx")),
], ids=["format-twice", "format-output", "format-results"])
def test_format_parameters_that_conflict_are_a_400_naming_them(
        store_server: str, method: str, params: dict[str, list[str]],
        named: tuple[str, ...]) -> None:
    encoded = urlencode({"query": SHARED, **params}, doseq=True)
    if method == "GET":
        reply = call(store_server, "/sparql?" + encoded)
    else:
        reply = call(store_server, "/sparql", "POST", encoded.encode(),
                     {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 400 and reply.media_type == PROBLEM
    detail = reply.json()["detail"]
    assert all(part in detail for part in named), detail


def test_graph_store_reads_the_same_parameters(store_server: str) -> None:
    graph = urlencode({"graph": "https://w3id.org/diplo-kg/graph/links", "format": "ttl",
                       "output": "text/turtle"})
    reply = call(store_server, "/store?" + graph)
    assert (reply.status, reply.media_type) == (200, "text/turtle")
    conflict = call(store_server, "/store?" + graph + "&results=nt")
    assert conflict.status == 400 and "results=nt" in conflict.json()["detail"]



@pytest.mark.parametrize("fmt", [f.name for f in RESULT_FORMATS])
def test_false_values_keep_their_text_in_every_result_format(
        request: pytest.FixtureRequest, store_server: str, store_kind: str, fmt: str) -> None:
    """rdflib's XML writer left 0 and false empty, so rdflib's own SPARQLStore read COUNT(*)
    of an empty graph as an error (found by test_clients.py)."""
    if store_kind == "virtuoso":
        request.applymarker(pytest.mark.xfail(strict=True, reason=VIRTUOSO_BOOLEANS))
    query = "SELECT (0 AS ?zero) (false AS ?no) WHERE {}"
    reply = call(store_server, "/sparql?" + urlencode({"query": query, "format": fmt}))
    assert reply.status == 200
    parser = {f.media_type: f.rdflib_name for f in RESULT_FORMATS}[reply.media_type]
    rows = list(Result.parse(io.BytesIO(reply.body), format=parser))
    assert [tuple(str(term) for term in row) for row in rows] == [("0", "false")]
