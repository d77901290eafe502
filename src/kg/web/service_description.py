"""The SPARQL 1.1 Service Description returned by GET /sparql without a query.

Its figures are asked of the store (a count by SPARQL, the graph names), never read from a
snapshot: on the Oxigraph store a snapshot is an rdflib copy of the whole graph, too much for
a request that any SPARQL client makes first.
"""

from __future__ import annotations

import json

from flask import Request, Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.formats import RDF_FORMATS, RESULT_FORMATS, rdf_format
from kg.iris import Iris
from kg.settings import Settings
from kg.sparql.execute import QueryRequest
from kg.sparql.store import Store
from kg.vocab import SD, VOID
from kg.web import negotiate

OWL_RL = URIRef("http://www.w3.org/ns/entailment/OWL-RL")
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"  # of the union: a set on every store


def description_graph(endpoint: str, settings: Settings, store: Store) -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.allow_update:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    if settings.allowed_services:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (*RESULT_FORMATS, *RDF_FORMATS):
        graph.add((service, SD.resultFormat, URIRef(fmt.iri)))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("defaultGraph")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(_triples(settings, store), datatype=XSD.integer)))
    inferred = str(Iris(settings.base_iri).graph("inferred"))
    for index, name in enumerate(store.graph_names()):
        named = BNode(f"named{index}")
        described = BNode(f"graph{index}")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        if name == inferred:
            graph.add((named, SD.entailmentRegime, OWL_RL))
    return graph


def _triples(settings: Settings, store: Store) -> int:
    answer = store.query(QueryRequest(TRIPLES, "json", settings.base_iri, max_rows=1),
                         settings.query_timeout_ms / 1000)
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def service_description(request: Request, settings: Settings, store: Store) -> Response:
    fmt = negotiate.choose(True, request.args.get("format"), request.accept_mimetypes)
    from kg.dataset.serialize import serialize_graph

    body = serialize_graph(description_graph(request.base_url, settings, store), rdf_format(fmt),
                           settings.base_iri)
    response = Response(body, content_type=negotiate.content_type(fmt, True))
    response.headers["Vary"] = "Accept"
    return response
