"""The SPARQL 1.1 Graph Store HTTP Protocol at /store: whole graphs read and written by HTTP verb.

Indirect identification (/store?graph=IRI, /store?default) names any graph; direct identification
(/store/<path>) names the graph whose IRI is the request URL itself, so a graph that POST /store
creates can be fetched at its own IRI. Reads are always on, like queries; writes need update on
and the bearer token, like /update. Bodies are parsed here, in the web process, so a bad one is a
400 before anything reaches the workers, which only ever replay plain N-Triples (a GraphOp).
"""

from __future__ import annotations

import json
import re
import uuid
import xml.parsers.expat
from dataclasses import dataclass

from flask import Blueprint, Response, request
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import Forbidden, NotFound, ProtocolError, RdfSyntaxError, UnsupportedMediaType
from kg.formats import rdf_format
from kg.sparql.ops import GraphOp
from kg.sparql.store import graph_bytes, has_graph
from kg.web import negotiate
from kg.web.context import admitted, read_timeout, settings, store
from kg.web.params import one, url_params
from kg.web.routes.sparql import check_token, timeout_seconds

bp = Blueprint("store", __name__)
# Media type -> rdflib parser for a body that is one graph: not TriG or N-Quads, which name
# graphs; N3 is read too, though the server never writes it.
GRAPH_BODIES = ("ttl", "nt", "xml", "jsonld")
PARSERS = {f.media_type: f.rdflib_name for f in map(rdf_format, GRAPH_BODIES)} | {"text/n3": "n3"}
MULTIPART = "multipart/form-data"
# A scheme, then none of the characters RFC 3987 keeps out of IRIs: enough to refuse a relative
# or mangled ?graph= value before it becomes a graph name.
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")
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
    ntriples = body_ntriples(target.graph or request.base_url)
    existed = has_graph(store(), target.graph)
    store().write(GraphOp(request.method.lower(), target.graph, ntriples), timeout)
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
    store().write(GraphOp("put", name, body_ntriples(name)), timeout)
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


def body_ntriples(base: str) -> str:
    """The request body as N-Triples; relative IRIs in it resolve against the graph's IRI.

    A multipart/form-data POST carries several RDF documents, merged into one (GSP §5.5).
    """
    graph = Graph()
    if request.mimetype == MULTIPART and request.method == "POST":
        parts = [part for _, part in request.files.items(multi=True)]
        if request.form or not parts:
            raise ProtocolError("each part of a multipart body must be an RDF document "
                                "with a filename and a Content-Type")
        for part in parts:
            parse_into(graph, part.read(), part.mimetype, part.mimetype_params, base)
    else:
        parse_into(graph, request.get_data(), request.mimetype, request.mimetype_params, base)
    for triple in graph:
        for term in triple:
            check_term(term)
    return graph.serialize(format="nt")


def check_term(term: Node) -> None:
    """Refuse what rdflib's parsers let through but N-Triples cannot carry (and the workers
    could not replay): IRIs with spaces or relative ones, N3 formulas and variables."""
    iri = term.datatype if isinstance(term, Literal) else term
    if isinstance(term, BNode) or iri is None:
        return
    if not isinstance(iri, URIRef):
        raise RdfSyntaxError(f"the body holds a {type(term).__name__} (an N3 formula?), "
                             "which RDF cannot carry")
    if not ABSOLUTE_IRI.fullmatch(iri):
        raise RdfSyntaxError(f"<{iri}> is not an absolute IRI (a space, or a character IRIs "
                             "cannot hold?)")


def parse_into(graph: Graph, data: bytes, mimetype: str, options: dict[str, str],
               base: str) -> None:
    """Parse one RDF document by its media type; UTF-8 only, as Turtle and N-Triples require."""
    fmt = PARSERS.get(mimetype)
    if fmt is None:
        raise UnsupportedMediaType(f"{mimetype or 'no Content-Type'}: send RDF as one of "
                                   f"{', '.join(PARSERS)} (or {MULTIPART} with POST)")
    charset = options.get("charset", "utf-8").lower()
    if fmt != "xml" and charset not in ("utf-8", "utf8"):  # XML declares its own encoding
        raise UnsupportedMediaType(f"charset {charset} is not supported; send UTF-8")
    if fmt == "json-ld":
        refuse_remote_contexts(data)
    if fmt == "xml":
        refuse_dtd(data)
    try:
        graph.parse(data=data, format=fmt, publicID=base)
    except Exception as exc:
        # rdflib's parsers raise BadSyntax, SAX and JSON errors, but on malformed input also
        # TypeError, IndexError, AttributeError …; the only input here is the client's body
        # (in memory, no I/O: remote JSON-LD contexts are refused above), so each is a 400.
        raise RdfSyntaxError(f"the {mimetype} body does not parse: {exc}") from exc


class _Prolog(Exception):
    """The XML prolog is over (the first element began): no DTD in this document."""


def refuse_dtd(data: bytes) -> None:
    """A DTD in RDF/XML is refused before anything is parsed (probe F13): its entities, a few
    nested, expand 600 bytes into gigabytes, and rdflib joins text quadratically (715 s of a web
    thread). RDF/XML needs none. Only the prolog is read, in any encoding the XML declares."""
    def doctype(*_: object) -> None:
        raise RdfSyntaxError("RDF/XML with a DTD (<!DOCTYPE …>, entities) is refused: send "
                             "the document without one")

    def element(*_: object) -> None:
        raise _Prolog

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = element
    try:
        parser.Parse(data, True)
    except (_Prolog, xml.parsers.expat.ExpatError):  # malformed XML: rdflib's parser says how
        pass


def refuse_remote_contexts(data: bytes) -> None:
    """rdflib fetches a JSON-LD @context named by IRI (file: ones too) from this process."""
    try:
        stack = [json.loads(data)]
    except (ValueError, RecursionError) as exc:
        raise RdfSyntaxError(f"the application/ld+json body is not JSON: {exc}") from exc
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            contexts = value.get("@context")
            for context in contexts if isinstance(contexts, list) else [contexts]:
                if isinstance(context, str) or isinstance(context, dict) and "@import" in context:
                    raise Forbidden("JSON-LD contexts are not fetched from IRIs: "
                                    "inline the @context in the body")
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
