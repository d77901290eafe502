"""GET /explain?s=&p=&o= : why a triple holds, as JSON or as Turtle (PROV-O), negotiated."""

from __future__ import annotations

import json

from flask import Blueprint, Response, request
from rdflib import URIRef
from rdflib.term import _is_valid_uri
from rdflib.util import from_n3

from kg.dataset.serialize import serialize_graph
from kg.errors import ProtocolError
from kg.formats import rdf_format
from kg.views.explain import to_json, to_prov
from kg.web import negotiate
from kg.web.context import explainer, settings

bp = Blueprint("explain", __name__)


def _term(name: str) -> object:
    text = request.args.get(name, "").strip()
    if not text:
        raise ProtocolError(f"parameter {name} is required (an IRI or an N-Triples term)")
    if text.startswith(("http://", "https://")):
        term: object = URIRef(text)
    else:
        try:
            term = from_n3(text)
        except Exception as exc:  # rdflib's term parser raises bare exceptions
            raise ProtocolError(f"parameter {name}: cannot read {text!r}") from exc
    # rdflib accepts '<a b>' with a warning and fails later, when the term is written out.
    if isinstance(term, URIRef) and not _is_valid_uri(term):
        raise ProtocolError(f"parameter {name}: {text!r} is not a valid IRI")
    return term


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
        body = serialize_graph(to_prov(proof), rdf_format(fmt), settings().base_iri)
        response = Response(body, content_type=negotiate.content_type(fmt, True))
    response.headers["Vary"] = "Accept"
    return response
