"""Deterministic serialisation: the same dataset always gives the same bytes.

rdflib writes terms in store order, and owlrl inserts in set order, which varies between
processes. So every export first copies graphs and triples in sorted order into a fresh
store, and the line formats (N-Triples, N-Quads) are sorted outright. TriG, the format of
the built dataset, is written by Oxigraph from graphs and triples in sorted order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.dataset.rdfxml import to_rdfxml
from kg.formats import RdfFormat
from kg.vocab import PREFIXES

_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# The prefixes Oxigraph writes with. Not kg: (the base IRI): its local names have slashes, which
# Oxigraph escapes (kg:id\/turkey); the IRI in full reads better.
TURTLE_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def jsonld_context(base_iri: str) -> dict:
    """The compact JSON-LD @context diplo-kg publishes (also served at /context.jsonld)."""
    context: dict[str, str] = {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}
    context["kg"] = base_iri
    return context


def _sorted_dataset(dataset: Dataset, graphs: list[URIRef] | None, base_iri: str) -> Dataset:
    out = _prefixed_dataset(base_iri)
    for name in _wanted(dataset, graphs):
        target = out.graph(name)
        for triple in sorted(dataset.graph(name)):
            target.add(triple)
    return out


def _prefixed_dataset(base_iri: str) -> Dataset:
    out = Dataset()
    for prefix, namespace in sorted(PREFIXES.items()):
        out.bind(prefix, namespace, replace=True)
    out.bind("kg", base_iri, replace=True)
    return out


def _wanted(dataset: Dataset, graphs: list[URIRef] | None) -> list[URIRef]:
    """The graphs to write, in IRI order: those named, or every graph that is not empty."""
    return sorted(graphs) if graphs is not None else sorted(
        URIRef(str(g.identifier)) for g in dataset.graphs()
        if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g))


def _merged_graph(dataset: Dataset, base_iri: str) -> Graph:
    union = Graph()
    for _, graph in _graph_items(dataset):
        for triple in graph:
            union.add(triple)
    return _merged_graph_of(union, base_iri)


def _graph_items(dataset: Dataset) -> list[tuple[URIRef, Graph]]:
    return sorted((URIRef(str(g.identifier)), g) for g in dataset.graphs()
                  if g.identifier != DATASET_DEFAULT_GRAPH_ID)


def serialize(dataset: Dataset, fmt: RdfFormat, base_iri: str,
              graphs: list[URIRef] | None = None) -> bytes:
    """The dataset (or some of its graphs) in a format; triple formats merge the graphs."""
    if fmt.name == "trig":  # graph by graph: no second copy of a large dataset in memory
        return _trig(((name, sorted(dataset.graph(name))) for name in _wanted(dataset, graphs)),
                     base_iri)
    selected = _sorted_dataset(dataset, graphs, base_iri)
    if fmt.quads:
        return _quads(selected, fmt, base_iri)
    merged = _merged_graph(selected, base_iri)
    if fmt.name == "nt":
        return _sorted_lines(merged.serialize(format="nt", encoding="utf-8"))
    if fmt.name == "xml":
        return to_rdfxml(merged)
    return merged.serialize(format=fmt.rdflib_name, encoding="utf-8")


def serialize_graph(graph: Graph, fmt: RdfFormat, base_iri: str) -> bytes:
    """One plain graph (a CONSTRUCT result, a description), as the default graph in any format."""
    merged = _merged_graph_of(graph, base_iri)
    if fmt.name in ("nt", "nq"):  # an N-Quads line without a graph term is in the default graph
        return _sorted_lines(merged.serialize(format="nt", encoding="utf-8"))
    if fmt.name == "xml":
        return to_rdfxml(merged)
    if fmt.name == "jsonld":
        text = merged.serialize(format="json-ld", context=jsonld_context(base_iri),
                                auto_compact=True, encoding="utf-8")
        return (json.dumps(_sorted_json(json.loads(text)), ensure_ascii=False, indent=2,
                           sort_keys=True) + "\n").encode("utf-8")
    return merged.serialize(format="turtle", encoding="utf-8")  # Turtle is also TriG


def _merged_graph_of(graph: Graph, base_iri: str) -> Graph:
    out = Graph()
    for prefix, namespace in sorted(PREFIXES.items()):
        out.bind(prefix, namespace, replace=True)
    out.bind("kg", base_iri, replace=True)
    for triple in sorted(graph):
        out.add(triple)
    return out


def _quads(dataset: Dataset, fmt: RdfFormat, base_iri: str) -> bytes:
    """N-Quads or JSON-LD (TriG is written graph by graph, by serialize())."""
    if fmt.name == "nq":
        return _sorted_lines(dataset.serialize(format="nquads", encoding="utf-8"))
    text = dataset.serialize(format="json-ld", context=jsonld_context(base_iri),
                             auto_compact=True, encoding="utf-8")
    return (json.dumps(_sorted_json(json.loads(text)), ensure_ascii=False, indent=2,
                       sort_keys=True) + "\n").encode("utf-8")


def _sorted_json(value: Any, in_list: bool = False) -> Any:
    """JSON-LD arrays are sets (but for @list): sort them for stable output."""
    if isinstance(value, dict):
        return {k: _sorted_json(v, k == "@list") for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return items if in_list else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _trig(graphs: Iterable[tuple[URIRef, list[tuple[Node, Node, Node]]]],
          base_iri: str) -> bytes:
    """TriG by Oxigraph's serialiser, graphs in IRI order, each graph's triples in the order
    given (sorted). rdflib's Turtle serialiser took most of a build's time past extraction
    (37 of 45 s for 100 articles, profiled). The prefix lines are written here, sorted:
    Oxigraph writes them in an order of its own."""
    make = OxigraphTerms()
    quads = (ox.Quad(*make.triple(triple), ox.NamedNode(str(name)))
             for name, triples in graphs for triple in triples)
    return oxigraph_turtle(quads, base_iri, ox.RdfFormat.TRIG)


def oxigraph_turtle(statements: Iterable[ox.Quad] | Iterable[ox.Triple], base_iri: str,
                    fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> bytes:
    """Turtle or TriG of statements in the order given, by Oxigraph, with sorted prefix lines
    (never empty: a dataset file with no byte is a write cut short, io.check_dataset_file).
    kg: is declared (readers such as kg explain take it from the file) but not written."""
    body = ox.serialize(statements, format=fmt, prefixes=TURTLE_PREFIXES) or b""
    lines = body.split(b"\n")
    start = 0
    while start < len(lines) and lines[start].startswith(b"@prefix"):
        start += 1
    declared = {**TURTLE_PREFIXES, "kg": base_iri}
    head = "".join(f"@prefix {prefix}: <{namespace}> .\n"
                   for prefix, namespace in sorted(declared.items()))
    return head.encode("utf-8") + b"\n" + b"\n".join(lines[start:])


class OxigraphTerms:
    """rdflib terms made Oxigraph's, each once (files repeat their terms)."""

    def __init__(self) -> None:
        self.done: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def triple(self, triple: tuple[Node, Node, Node]) -> tuple[Any, Any, Any]:
        return self.term(triple[0]), self.term(triple[1]), self.term(triple[2])

    def term(self, node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = self.done.get(node)
        if found is None:
            found = self.done[node] = _oxigraph_term(node)
        return found


def _oxigraph_term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, BNode):
        try:
            return ox.BlankNode(str(node))
        except ValueError:  # a label rdflib allows and Oxigraph does not: the same one, spelled
            return ox.BlankNode("x" + str(node).encode("utf-8").hex())
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        datatype = node.datatype
        return ox.Literal(str(node), datatype=None if datatype is None or str(datatype) == (
            _LANG_STRING) else ox.NamedNode(str(datatype)))
    return ox.NamedNode(str(node))


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(line for line in data.decode("utf-8").splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")
