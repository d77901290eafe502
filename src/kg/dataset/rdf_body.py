"""A Graph Store request body (one RDF document, or the parts of a multipart POST) read as
N-Triples: what a store's workers do with it, under the write's time limit.

It was read in the web process, bounded by max_request_bytes only: an RDF/XML body of nested
entities pinned a web thread for 715 s (probe F13; DTDs are refused now, below), and any
parser's worst case there still held a thread with no limit. Parsed in a worker, a body the
parser is slow on is stopped at the limit like a query (the remote store, which has no
workers, still reads it in the web process).
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import Forbidden, RdfSyntaxError, UnsupportedMediaType
from kg.formats import rdf_format

# Media type -> rdflib parser for a body that is one graph: not TriG or N-Quads, which name
# graphs; N3 is read too, though the server never writes it.
GRAPH_BODIES = ("ttl", "nt", "xml", "jsonld")
PARSERS = {f.media_type: f.rdflib_name for f in map(rdf_format, GRAPH_BODIES)} | {"text/n3": "n3"}
# A scheme, then none of the characters RFC 3987 keeps out of IRIs: enough to refuse a relative
# or mangled IRI before it becomes a graph name or a term N-Triples cannot carry.
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")


@dataclass(frozen=True)
class RdfPart:
    """One RDF document of a request body, its media type checked (check_media_type)."""

    data: bytes
    media_type: str


def check_media_type(media_type: str, charset: str | None, accepted: str) -> None:
    """UnsupportedMediaType unless the body is RDF we parse, in UTF-8 (as Turtle and N-Triples
    require; XML declares its own encoding). Read before the body is: a 415 costs nothing."""
    fmt = PARSERS.get(media_type)
    if fmt is None:
        raise UnsupportedMediaType(f"{media_type or 'no Content-Type'}: send RDF as one of "
                                   f"{', '.join(PARSERS)} ({accepted})")
    if fmt != "xml" and (charset or "utf-8").lower() not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset} is not supported; send UTF-8")


def to_ntriples(parts: tuple[RdfPart, ...], base: str) -> str:
    """The parts merged into one graph, as N-Triples; relative IRIs resolve against ``base``
    (the graph's IRI)."""
    graph = Graph()
    for part in parts:
        parse_into(graph, part, base)
    for triple in graph:
        for term in triple:
            check_term(term)
    return graph.serialize(format="nt")


def parse_into(graph: Graph, part: RdfPart, base: str) -> None:
    fmt = PARSERS[part.media_type]
    if fmt == "json-ld":
        refuse_remote_contexts(part.data)
    if fmt == "xml":
        refuse_dtd(part.data)
    try:
        graph.parse(data=part.data, format=fmt, publicID=base)
    except Exception as exc:
        # rdflib's parsers raise BadSyntax, SAX and JSON errors, but on malformed input also
        # TypeError, IndexError, AttributeError …; the only input here is the client's body
        # (in memory, no I/O: remote JSON-LD contexts are refused above), so each is a 400.
        raise RdfSyntaxError(f"the {part.media_type} body does not parse: {exc}") from exc


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
