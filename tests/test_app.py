"""The Flask app in-process (test client): protocol semantics, negotiation, writes, dataset.

The real server over HTTP is tested in test_endpoint.py and test_w3c.py; here the same app
runs in this process (its query workers are still real processes).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef

from kg.settings import Settings

from .apps import in_process_app
from .helpers import ROOT

SD = "http://www.w3.org/ns/sparql-service-description#"
TOKEN = "in-process-token"
SMALL = """
<http://example.org/g1> { <http://example.org/a> <http://example.org/p> "in g1" . }
<http://example.org/g2> { <http://example.org/b> <http://example.org/p> "in g2" . }
"""


@pytest.fixture
def writable(settings: Settings, tmp_path: Path) -> Iterator[Flask]:
    path = tmp_path / "small.trig"
    path.write_text(SMALL, encoding="utf-8")
    config = settings.with_overrides(allow_update=True, update_token=TOKEN, dataset_file=path)
    with in_process_app(config, path) as app:
        yield app


def rows(response) -> list[dict[str, str]]:  # noqa: ANN001
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in response.get_json(force=True)[
        "results"]["bindings"]]


def test_default_graph_is_the_union(client: FlaskClient) -> None:
    query = ("SELECT ?g WHERE { GRAPH ?g { <https://w3id.org/diplo-kg/id/turkey> ?p ?o } }"
             " GROUP BY ?g ORDER BY ?g")
    response = client.get("/sparql", query_string={"query": query})
    graphs = {r["g"].rsplit("/graph/", 1)[-1] for r in rows(response)}
    assert {"entities", "inferred", "links"} <= graphs
    union = ("ASK { <https://w3id.org/diplo-kg/id/turkey> "
             "<http://www.w3.org/2002/07/owl#sameAs> ?x }")
    assert client.get("/sparql", query_string={"query": union}).get_json()["boolean"] is True


def test_dataset_parameters_narrow_the_default_graph(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
    links = "https://w3id.org/diplo-kg/graph/links"
    found = rows(client.get("/sparql", query_string={"query": query, "default-graph-uri": links}))
    assert found == [{"p": "http://www.w3.org/2002/07/owl#sameAs"}]


def test_protocol_parameters_override_from(client: FlaskClient) -> None:
    query = ("SELECT DISTINCT ?p FROM <https://w3id.org/diplo-kg/graph/entities> "
             "WHERE { ?s ?p ?o }")
    links = "https://w3id.org/diplo-kg/graph/links"
    found = rows(client.get("/sparql", query_string={"query": query, "default-graph-uri": links}))
    assert found == [{"p": "http://www.w3.org/2002/07/owl#sameAs"}]


def test_named_graph_uri_limits_graph_patterns(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    wanted = ["https://w3id.org/diplo-kg/graph/links", "https://w3id.org/diplo-kg/graph/entities"]
    found = rows(client.get("/sparql", query_string={"query": query, "named-graph-uri": wanted}))
    assert sorted(r["g"] for r in found) == sorted(wanted)


def test_missing_graph_is_empty_not_fetched(client: FlaskClient) -> None:
    query = "SELECT * FROM <http://example.org/not-here> WHERE { ?s ?p ?o }"
    assert rows(client.get("/sparql", query_string={"query": query})) == []


@pytest.mark.parametrize(("accept", "fmt", "expected"), [
    (None, None, "application/sparql-results+json"),
    ("text/csv", None, "text/csv"),
    ("text/csv;q=0.4, application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", None, "application/sparql-results+json"),
    ("application/json", None, "application/sparql-results+json"),
    ("text/csv", "tsv", "text/tab-separated-values"),
])
def test_select_negotiation(client: FlaskClient, accept: str | None, fmt: str | None,
                            expected: str) -> None:
    params = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"} | ({"format": fmt} if fmt else {})
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string=params, headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{expected}; charset=utf-8"
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
])
def test_construct_negotiation(client: FlaskClient, accept: str, rdflib_format: str) -> None:
    query = ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/diplo-kg/graph/links> "
             "{ ?s ?p ?o } }")
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert len(Graph().parse(data=response.get_data(as_text=True), format=rdflib_format)) == 11


def test_select_cannot_be_turtle(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * {?s ?p ?o}",
                                                   "format": "ttl"})
    assert response.status_code == 406
    assert response.get_json(force=True)["title"] == "Not acceptable"


def test_service_description(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    endpoint = URIRef("http://localhost/sparql")
    assert (endpoint, URIRef(SD + "endpoint"), endpoint) in graph
    regimes = {(str(graph.value(n, URIRef(SD + "name"))), str(r))
               for n, r in graph.subject_objects(URIRef(SD + "entailmentRegime"))}
    assert regimes == {("https://w3id.org/diplo-kg/graph/inferred",
                        "http://www.w3.org/ns/entailment/OWL-RL")}
    assert (endpoint, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Update")) \
        not in graph


def test_update_is_off_by_default(client: FlaskClient) -> None:
    response = client.post("/update", data={"update": "CLEAR ALL"})
    assert response.status_code == 403
    assert "read-only" in response.get_json(force=True)["detail"]


def test_update_needs_the_token(writable: Flask) -> None:
    client = writable.test_client()
    update = {"update": "INSERT DATA { <http://example.org/c> <http://example.org/p> 1 }"}
    assert client.post("/update", data=update).status_code == 401
    wrong = client.post("/update", data=update, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
    ok = client.post("/update", data=update, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 204
    ask = client.get("/sparql", query_string={"query": "ASK { <http://example.org/c> ?p 1 }"})
    assert ask.get_json()["boolean"] is True


def test_update_direct_post_and_using(writable: Flask) -> None:
    client = writable.test_client()
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    update = ("INSERT { GRAPH <http://example.org/copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }")
    response = client.post("/update?using-graph-uri=http://example.org/g2", data=update,
                           headers=auth)
    assert response.status_code == 204
    query = "SELECT ?o WHERE { GRAPH <http://example.org/copy> { ?s ?p ?o } }"
    assert rows(client.get("/sparql", query_string={"query": query})) == [{"o": "in g2"}]


def test_using_parameters_conflict_with_using_clauses(writable: Flask) -> None:
    client = writable.test_client()
    update = "DELETE { ?s ?p ?o } USING <http://example.org/g1> WHERE { ?s ?p ?o }"
    response = client.post("/update", data={"update": update,
                                            "using-graph-uri": "http://example.org/g2"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400


def test_load_of_a_remote_graph_is_refused(writable: Flask) -> None:
    client = writable.test_client()
    response = client.post("/update", data={"update": "LOAD <http://example.org/data.ttl>"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403
    assert "service_allow" in response.get_json(force=True)["detail"]


def test_bad_update_is_400_and_changes_nothing(writable: Flask) -> None:
    client = writable.test_client()
    response = client.post("/update", data={"update": "INSERT DATA { <a> }"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400
    body = json.loads(response.get_data(as_text=True))
    assert body["line"] == 1
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert rows(client.get("/sparql", query_string={"query": count})) == [{"n": "2"}]


def test_readme_documents_every_route(app: Flask) -> None:
    """Every route the app serves appears in the README (up to its first variable part)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    routes = {rule.rule.split("<", 1)[0] for rule in app.url_map.iter_rules()
              if rule.endpoint != "static"}
    assert {"/sparql", "/", "/id/", "/source/", "/api/search", "/timeline"} <= routes
    missing = sorted(route for route in routes if f"`{route}" not in readme)
    assert not missing


def test_explain_json(client: FlaskClient) -> None:
    response = client.get("/explain", query_string={
        "s": "https://w3id.org/diplo-kg/id/kazakhstan",
        "p": "https://w3id.org/diplo-kg/ontology#hasDiplomaticRelationWith",
        "o": "https://w3id.org/diplo-kg/id/turkey"})
    assert response.status_code == 200
    proof = response.get_json()
    assert proof["rule"] == "prp-symp" and proof["stated"] is False
    stated = next(p for p in proof["premises"] if p["stated"] and "evidence" in p
                  and "sentence" in p["evidence"][0])
    assert stated["evidence"][0]["sentence"].startswith("Today marks the 20th anniversary")


def test_explain_turtle_with_prov(client: FlaskClient) -> None:
    response = client.get("/explain", headers={"Accept": "text/turtle"}, query_string={
        "s": "<https://w3id.org/diplo-kg/id/summit/almaty_2011-10-21>",
        "p": "<https://w3id.org/diplo-kg/ontology#location>",
        "o": "<https://w3id.org/diplo-kg/id/kazakhstan>"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    prov = "http://www.w3.org/ns/prov#"
    labels = {str(o) for o in graph.objects(None, URIRef(
        "http://www.w3.org/2000/01/rdf-schema#label"))}
    assert "OWL 2 RL rule prp-spo2" in labels
    quoted = {str(o) for o in graph.objects(None, URIRef(prov + "wasQuotedFrom"))}
    assert "https://w3id.org/diplo-kg/source/turkey-kazakhstan-ulker-interview#char=3094,3180" \
        in quoted


def test_explain_unknown_triple_is_404(client: FlaskClient) -> None:
    response = client.get("/explain", query_string={
        "s": "https://w3id.org/diplo-kg/id/turkey",
        "p": "https://w3id.org/diplo-kg/ontology#memberOf",
        "o": "https://w3id.org/diplo-kg/id/nato"})
    assert response.status_code == 404
    assert response.get_json(force=True)["title"] == "Not found"
