"""GET /explain?s=&p=&o= : why a triple holds, as JSON or as Turtle (PROV-O), negotiated."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, request
from rdflib import URIRef
from rdflib.util import from_n3

from ..errors import ProtocolError
from ..explain import Explainer, to_json, to_prov
from ..iris import Iris
from ..serialize import rdf_format, serialize_graph
from ..settings import Settings
from . import negotiate
from .pages import per_dataset

bp = Blueprint("explain", __name__)


def explainer() -> Explainer:
    """The app's explainer (entity pages use it for their "why" too)."""
    return per_dataset("explainer",
                       lambda dataset, settings: Explainer(dataset, Iris(settings.base_iri)))


def _term(name: str) -> object:
    text = request.args.get(name, "").strip()
    if not text:
        raise ProtocolError(f"parameter {name} is required (an IRI or an N-Triples term)")
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    try:
        return from_n3(text)
    except Exception as exc:  # rdflib's term parser raises bare exceptions
        raise ProtocolError(f"parameter {name}: cannot read {text!r}") from exc


@bp.route("/explain")
def explain() -> Response:
    triple = (_term("s"), _term("p"), _term("o"))
    proof = explainer().explain(triple)  # type: ignore[arg-type]
    wanted = request.args.get("format")
    if wanted in (None, "json") and (wanted == "json" or request.accept_mimetypes.best_match(
            ["application/json", "text/turtle"]) != "text/turtle"):
        response = Response(json.dumps(to_json(proof), ensure_ascii=False, indent=2) + "\n",
                            content_type="application/json; charset=utf-8")
    else:
        fmt = negotiate.choose(True, wanted, request.accept_mimetypes)
        settings: Settings = current_app.config["KG_SETTINGS"]
        body = serialize_graph(to_prov(proof), rdf_format(fmt), settings.base_iri)
        response = Response(body, content_type=negotiate.content_type(fmt, True))
    response.headers["Vary"] = "Accept"
    return response
