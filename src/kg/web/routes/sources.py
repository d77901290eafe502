"""/source/ lists the documents; /source/<id> shows one with every mention linked to its
entity and every sentence linked to the facts drawn from it (RDF clients get its description).
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from rdflib import URIRef

from kg.views.document import read_document, source_ids
from kg.web import negotiate
from kg.web.context import describer
from kg.web.pages import render
from kg.web.params import one, url_params
from kg.web.resource_page import respond

bp = Blueprint("sources", __name__)


@bp.route("/source/", methods=["GET"])
def index() -> Response:
    current = describer()
    documents = [read_document(current.reader, current.iris, source_id)
                 for source_id, _ in source_ids(current.reader, current.iris)]
    return render("sources.html", documents=documents, section="sources")


@bp.route("/source/<source_id>", methods=["GET"])
def source(source_id: str) -> Response:
    current = describer()
    fmt = negotiate.choose_page(one(url_params(request), "format"), request.accept_mimetypes)
    if fmt != "html":
        return respond(URIRef(current.iris.document(source_id)))
    document = read_document(current.reader, current.iris, source_id)
    labels = current.labels(term for sentence in document.sentences
                            for _, triple in sentence.facts for term in triple)
    return render("source.html", doc=document, labels=labels, section="sources")
