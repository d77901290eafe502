"""The four query forms, asked of the real server on each store, and their answers read back.

Shared by the negotiation and client tests: a body is read with a real parser for its media
type, into a set of organisations (SELECT), a boolean (ASK) or a graph (CONSTRUCT, DESCRIBE),
and compared with what the same server answers a client that says nothing.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.query import Result

from kg.formats import RDF_FORMATS, RESULT_FORMATS

from .helpers import ROOT
from .raw_http import Reply, call

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


def ask(base: str, form: str, accept: str | None, **params: str | list[str]) -> Reply:
    query = urlencode({"query": QUERIES[form], **params}, doseq=True)
    return call(base, "/sparql?" + query,
                headers={} if accept is None else {"Accept": accept})


def answer(media_type: str, body: bytes, form: str) -> object:
    """What a body says, read by a real parser for its media type."""
    if form in GRAPH_FORMS:
        dataset = Dataset()
        dataset.parse(data=body, format=RDF_PARSERS[media_type])
        graph = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    text = body.decode("utf-8")
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        if form == "ask":  # the one-column _askResult table (kg.sparql.execute.ask_table)
            assert rows[0] == ["_askResult"]
            return rows[1] == ["true"]
        org = rows[0].index("org")
        return {row[org] for row in rows[1:]}
    if media_type == "text/tab-separated-values" and form == "ask":
        lines = text.splitlines()
        assert lines[0] == "?_askResult"
        return lines[1] == "true"
    parser = {f.media_type: f.rdflib_name for f in RESULT_FORMATS}[media_type]
    result = Result.parse(io.BytesIO(body), format=parser)
    if form == "ask":
        return result.askAnswer
    return {str(row.org) for row in result}  # type: ignore[union-attr]


def same(found: object, expected: object) -> bool:
    if isinstance(expected, Graph):
        return isinstance(found, Graph) and isomorphic(found, expected)
    return found == expected


def default_answers(server: str) -> dict[str, object]:
    """Each form's answer in the default format (what a client that says nothing gets)."""
    out = {}
    for form in QUERIES:
        reply = ask(server, form, None)
        assert reply.status == 200, reply.body
        out[form] = answer(reply.media_type, reply.body, form)
    assert out["select"] == SHARED_ORGS and out["ask"] is True
    assert len(out["construct"]) > 10 and len(out["describe"]) > 3  # type: ignore[arg-type]
    return out
