"""Read an RDF file as rdflib triples, with Oxigraph's parsers where they apply.

Oxigraph parses N-Triples, N-Quads, Turtle and TriG several times faster than rdflib (one LUBM
department: 0.05 s against 0.3 s), which is most of `kg reason`'s time beyond the reasoning.
Its terms are made the terms rdflib's own parser makes, so the closure is the same triple for
triple: a literal without a language is built from its lexical form as rdflib's parser builds
it, and one of type xsd:string is plain (RDF 1.1's one term, which Oxigraph always spells
^^xsd:string and rdflib keeps apart); blank nodes are fresh for each file (Oxigraph keeps a
file's own labels, so two files' _:b0 would otherwise be one node). One difference remains:
language tags come lower-cased (en-gb for en-GB), as Oxigraph keeps them; BCP 47 tags are
case-insensitive, and rdflib's literals compare equal either way.
Oxigraph is strict where rdflib is lenient (an IRI with a brace), so a file it refuses is read
by rdflib, which decides. Other formats (RDF/XML, JSON-LD, N3) are read by rdflib.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.util import guess_format

from kg.errors import RdfSyntaxError

Triple = tuple[Node, Node, Node]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# rdflib's format name (guess_format, by suffix) -> Oxigraph's parser for it
OXIGRAPH_PARSERS = {"nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
                    "turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}


def read_triples(path: Path) -> list[Triple]:
    """Every triple of the file (graph names dropped), in any format rdflib reads by suffix;
    RdfSyntaxError naming the file for a malformed one."""
    rdflib_format = guess_format(str(path)) or "turtle"
    parser = OXIGRAPH_PARSERS.get(rdflib_format)
    if parser is not None:
        try:
            return _oxigraph_triples(path, parser)
        except (SyntaxError, OSError, ValueError):
            pass  # rdflib may accept what Oxigraph refuses; its error is the one reported
    try:
        return list(Graph().parse(path, format=rdflib_format))
    except Exception as exc:  # rdflib's parsers raise many exception types
        raise RdfSyntaxError(f"{path}: {exc}") from exc


def _oxigraph_triples(path: Path, parser: ox.RdfFormat) -> list[Triple]:
    iris: dict[str, URIRef] = {}  # one URIRef per IRI: files repeat their IRIs many times
    blanks: dict[str, BNode] = {}  # Oxigraph keeps a file's own labels (_:b0 in every file)

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        if isinstance(node, ox.NamedNode):
            found = iris.get(node.value)
            if found is None:
                found = iris[node.value] = URIRef(node.value)
            return found
        if isinstance(node, ox.BlankNode):  # fresh for each file, as an RDF merge wants
            found_blank = blanks.get(node.value)
            if found_blank is None:
                found_blank = blanks[node.value] = BNode()
            return found_blank
        if node.language:
            return Literal(node.value, lang=node.language)
        datatype = node.datatype.value
        return Literal(node.value) if datatype == XSD_STRING else Literal(
            node.value, datatype=URIRef(datatype))

    base = path.resolve().as_uri()  # relative IRIs resolve against the file, as rdflib does
    return [(term(quad.subject), term(quad.predicate), term(quad.object))
            for quad in ox.parse(path=str(path), format=parser, base_iri=base)]
