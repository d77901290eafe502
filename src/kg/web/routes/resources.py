"""Linked Data: every IRI we mint under the base IRI dereferences here.

One URL, two readers: a browser (Accept: text/html) gets a page, an RDF client the IRI's
description (its triples in the graphs that hold them, their provenance and the inferred ones)
in the negotiated format; `?format=` overrides Accept, and `Vary: Accept` tells caches so.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from rdflib import URIRef

from kg.web.context import linker
from kg.web.resource_page import respond

bp = Blueprint("resources", __name__)


@bp.route("/id/<path:rest>", methods=["GET"])
@bp.route("/graph/<path:rest>", methods=["GET"])
@bp.route("/pattern/<path:rest>", methods=["GET"])
@bp.route("/gazetteer/<path:rest>", methods=["GET"])
@bp.route("/.well-known/genid/<path:rest>", methods=["GET"])
@bp.route("/source/<path:source_id>/metadata/<field>", methods=["GET"])
def resource(**_: str) -> Response:
    return respond(URIRef(linker().iri(request.path)))
