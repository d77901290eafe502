"""/ontology: the ontology every dk: IRI belongs to, as a page (a term per #anchor, so
`…/ontology#State` lands on State) or as the RDF of the ontology graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, request
from rdflib import Graph, URIRef

from kg.dataset.serialize import serialize_graph
from kg.errors import NotFound
from kg.formats import rdf_format
from kg.views.reads import select
from kg.vocab import DK, OWL, RDF, RDFS, WDT
from kg.web import negotiate
from kg.web.context import describer
from kg.web.pages import render
from kg.web.params import one, url_params

bp = Blueprint("vocabulary", __name__)
KINDS = (("Classes", OWL.Class), ("Relations between things", OWL.ObjectProperty),
         ("Values", OWL.DatatypeProperty))


@dataclass(frozen=True)
class TermRow:
    iri: URIRef
    anchor: str
    label: str
    comment: str
    parents: tuple[URIRef, ...]
    aligned: tuple[URIRef, ...]   # Wikidata properties it is a sub-property of
    domain: URIRef | None
    range: URIRef | None


@bp.route("/ontology", methods=["GET"])
@bp.route("/ontology/<version>", methods=["GET"])
def ontology(version: str | None = None) -> Response:
    current = describer()
    graph = Graph()
    for _, s, p, o in select(current.reader, "graph-triples",
                             graphs=[current.iris.graph("ontology")]):
        graph.add((s, p, o))
    if version is not None and (None, OWL.versionIRI, URIRef(request.base_url.replace(
            request.host_url, current.iris.base))) not in graph:
        raise NotFound(f"no ontology version {version!r}; the current one is at /ontology")
    fmt = negotiate.choose_page(one(url_params(request), "format"), request.accept_mimetypes)
    if fmt != "html":
        body = serialize_graph(graph, rdf_format(fmt), current.iris.base)
        response = Response(body, content_type=negotiate.content_type(fmt, True))
        response.headers["Vary"] = "Accept"
        return response
    sections = [(title, _rows(graph, kind)) for title, kind in KINDS]
    labels = current.labels(term for _, rows in sections for row in rows
                            for term in (*row.parents, row.domain, row.range) if term)
    return render("ontology.html", sections=sections, labels=labels, section="ontology")


def _rows(graph: Graph, kind: URIRef) -> list[TermRow]:
    rows = []
    for term in set(graph.subjects(RDF.type, kind)):
        if not isinstance(term, URIRef) or not str(term).startswith(str(DK)):
            continue
        parents = sorted(p for p in graph.objects(term, RDFS.subClassOf) if isinstance(p, URIRef)
                         and str(p).startswith(str(DK)))
        parents += sorted(p for p in graph.objects(term, RDFS.subPropertyOf)
                          if isinstance(p, URIRef) and str(p).startswith(str(DK)))
        aligned = sorted(p for p in graph.objects(term, RDFS.subPropertyOf)
                         if isinstance(p, URIRef) and str(p).startswith(str(WDT)))
        domain, range_ = graph.value(term, RDFS.domain), graph.value(term, RDFS.range)
        rows.append(TermRow(term, str(term)[len(str(DK)):], str(graph.value(term, RDFS.label)
                                                                 or ""),
                            str(graph.value(term, RDFS.comment) or ""), tuple(parents),
                            tuple(aligned),
                            domain if isinstance(domain, URIRef) else None,
                            range_ if isinstance(range_, URIRef) else None))
    return sorted(rows, key=lambda row: row.anchor.casefold())
