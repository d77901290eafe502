"""The SPARQL 1.1 Graph Store HTTP Protocol at /store: whole graphs read and written by HTTP verb.

Indirect identification (/store?graph=IRI, /store?default) names any graph; direct identification
(/store/<path>) names the graph whose IRI is the request URL itself, so a graph that POST /store
creates can be fetched at its own IRI. Reads are always on, like queries; writes need update on
and the bearer token, like /update. A body's media type is checked here (a 415 at once); the
body itself is parsed by the store where the write runs, in a worker under the time limit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import Blueprint, Response, request

from kg.dataset.rdf_body import ABSOLUTE_IRI, RdfPart, check_media_type
from kg.errors import Forbidden, NotFound, ProtocolError
from kg.formats import rdf_format
from kg.sparql.ops import GraphOp
from kg.sparql.store import graph_bytes, has_graph
from kg.web import negotiate
from kg.web.context import admitted, read_timeout, settings, store
from kg.web.params import one, url_params
from kg.web.routes.sparql import check_token, timeout_seconds

bp = Blueprint("store", __name__)
MULTIPART = "multipart/form-data"
ACCEPTED = f"or {MULTIPART} with POST"
NAME_A_GRAPH = "?graph=IRI, ?default or a URL under /store/"


@dataclass(frozen=True)
class Target:
    """What a request names: one graph (None: the default graph), or the Graph Store itself."""

    graph: str | None
    whole_store: bool = False


def identify(params: dict[str, list[str]], rest: str | None) -> Target:
    """Direct identification (the request URL is the graph IRI) or indirect (?graph, ?default)."""
    graph = one(params, "graph")
    if rest is not None:
        if graph is not None or "default" in params:
            raise ProtocolError("a URL under /store/ is itself the graph IRI: "
                                "drop ?graph and ?default")
        return Target(request.base_url)
    if graph is not None and "default" in params:
        raise ProtocolError("name one graph: ?graph=IRI or ?default, not both")
    if "default" in params:
        return Target(None)
    if graph is None:
        return Target(None, whole_store=True)
    if not ABSOLUTE_IRI.fullmatch(graph):
        raise ProtocolError(f"graph must be an absolute IRI, not {graph!r}")
    return Target(graph)


@bp.route("/store", methods=["GET", "PUT", "POST", "DELETE"])
@bp.route("/store/<path:rest>", methods=["GET", "PUT", "POST", "DELETE"])
def graph_store(rest: str | None = None) -> Response:
    """One view for both kinds of identification: once the graph is named, the verb decides."""
    params = url_params(request)
    target = identify(params, rest)
    if request.method in ("GET", "HEAD"):
        return read(target, params)
    authorize()
    with admitted(timeout_seconds(params)) as turn:
        return write(target, turn.seconds_left)


def write(target: Target, timeout: float) -> Response:
    """PUT, POST, DELETE: the body read and the graph written within ``timeout`` seconds."""
    if target.whole_store:
        if request.method != "POST":
            raise ProtocolError(f"{request.method} needs a graph: {NAME_A_GRAPH}")
        return create(timeout)
    if request.method == "DELETE":
        if not has_graph(store(), target.graph):
            raise NotFound(f"the store has no graph <{target.graph}>")
        store().write(GraphOp("delete", target.graph), timeout)
        return empty(204)
    parts = body_parts()
    existed = has_graph(store(), target.graph)
    store().write(GraphOp(request.method.lower(), target.graph, body=parts,
                          base=target.graph or request.base_url), timeout)
    return empty(204 if existed else 201)


def read(target: Target, params: dict[str, list[str]]) -> Response:
    """GET/HEAD: the graph in the negotiated format (Flask drops the body for HEAD)."""
    if target.whole_store:
        raise ProtocolError(f"name the graph to read: {NAME_A_GRAPH}")
    if not has_graph(store(), target.graph):
        raise NotFound(f"the store has no graph <{target.graph}>")
    fmt = negotiate.choose(True, negotiate.format_parameter(params, True), request.accept_mimetypes)
    body = graph_bytes(store(), target.graph, rdf_format(fmt), settings().base_iri,
                       read_timeout())
    response = Response(body, content_type=negotiate.content_type(fmt, True))
    response.headers["Vary"] = "Accept"
    return response


def create(timeout: float) -> Response:
    """POST to the store itself makes a new graph and says where it is (GSP §5.5: 201 Location).

    The new IRI lies under /store/, so direct identification reaches the graph at its own name.
    """
    name = f"{request.base_url.rstrip('/')}/{uuid.uuid4().hex}"
    store().write(GraphOp("put", name, body=body_parts(), base=name), timeout)
    response = empty(201)
    response.headers["Location"] = name
    return response


def empty(status: int) -> Response:
    """A reply without a body, so without Flask's default text/html Content-Type."""
    response = Response(status=status)
    del response.headers["Content-Type"]
    return response


def authorize() -> None:
    """Writes are guarded exactly like /update: off unless turned on, then only with the token."""
    if not settings().allow_update:
        raise Forbidden("Graph Store writes are off: this endpoint is read-only "
                        "(an operator can start kg serve with --allow-update)")
    check_token(request, settings())


def body_parts() -> tuple[RdfPart, ...]:
    """The request body's RDF documents, their media types checked but not parsed: the store
    parses them where the write runs, under its time limit (dataset/rdf_body.py says why).
    A multipart/form-data POST carries several, merged into one graph (GSP §5.5)."""
    if request.mimetype == MULTIPART and request.method == "POST":
        files = [part for _, part in request.files.items(multi=True)]
        if request.form or not files:
            raise ProtocolError("each part of a multipart body must be an RDF document "
                                "with a filename and a Content-Type")
        for part in files:
            check_media_type(part.mimetype, part.mimetype_params.get("charset"), ACCEPTED)
        return tuple(RdfPart(part.read(), part.mimetype) for part in files)
    check_media_type(request.mimetype, request.mimetype_params.get("charset"), ACCEPTED)
    return (RdfPart(request.get_data(), request.mimetype),)
