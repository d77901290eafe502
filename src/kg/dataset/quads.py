"""The dataset as `kg build` assembles it: each term interned once, each graph a set of int
triples, with no rdflib store on the way.

A corpus build reads every document's part as N-Quads lines. rdflib's N-Quads parser and its
memory store took most of a cached build of 1,000 articles (14 of 26 s), and sorting its
terms for the TriG file (kg.dataset.serialize) most of the rest. Here the lines are read by
Oxigraph, each distinct term is made the rdflib term rdflib's parser makes (so the reasoner
and the tests see the same terms), and the file is written in the same order as before: the
terms are ranked once in rdflib's order (``term_order``) and the triples sorted by rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import _NUMERIC_LITERAL_TYPES, _TOTAL_ORDER_CASTERS, Node

from kg.dataset.serialize import OxigraphTerms, oxigraph_turtle
from kg.dataset.triples import XSD_STRING

Triple = tuple[Node, Node, Node]
IntTriple = tuple[int, int, int]
_XSD_STRING = URIRef(XSD_STRING)
_NODE_ORDER = {BNode: 10, URIRef: 30}  # rdflib.term._ORDERING; literals come last


class Quads:
    """Named graphs of triples; a term is an int, its rdflib term kept once."""

    def __init__(self) -> None:
        self.terms: list[Node] = []
        self._ids: dict[Node, int] = {}  # by rdflib's equality, as its store tells terms apart
        self._read: dict[Any, int] = {}  # Oxigraph's terms, hashed in Rust
        self.graphs: dict[URIRef, dict[IntTriple, None]] = {}  # a dict: a set in order
        self._ranked: tuple[int, list[int] | None] = (-1, None)  # for so many terms: ranks

    def __len__(self) -> int:
        return sum(len(triples) for triples in self.graphs.values())

    def ranks(self) -> list[int] | None:
        """term_ranks() of the terms, made again only when there are new terms."""
        if self._ranked[0] != len(self.terms):
            self._ranked = len(self.terms), term_ranks(self.terms)
        return self._ranked[1]

    def _id(self, node: Node) -> int:
        found = self._ids.get(node)
        if found is None:
            found = self._ids[node] = len(self.terms)
            self.terms.append(node)
        return found

    def _read_id(self, term: Any) -> int:
        found = self._read.get(term)
        if found is None:
            found = self._read[term] = self._id(_rdflib_term(term))
        return found

    def _graph(self, name: URIRef) -> dict[IntTriple, None]:
        found = self.graphs.get(name)
        if found is None:
            found = self.graphs[name] = {}
        return found

    def add(self, name: URIRef, triples: Iterable[Triple]) -> None:
        graph, term = self._graph(name), self._id
        for s, p, o in triples:
            graph[(term(s), term(p), term(o))] = None

    def add_nquads(self, text: str) -> None:
        """N-Quads lines, each in a named graph (as a document's part is)."""
        read, ids = self._read_id, self._read
        graph: dict[IntTriple, None] = {}
        last: Any = None
        for quad in ox.parse(text, format=ox.RdfFormat.N_QUADS):
            s, p, o, g = quad.subject, quad.predicate, quad.object, quad.graph_name
            if g != last:
                last, graph = g, self._graph(URIRef(g.value))
            si, pi, oi = ids.get(s), ids.get(p), ids.get(o)
            graph[(read(s) if si is None else si, read(p) if pi is None else pi,
                   read(o) if oi is None else oi)] = None

    def triples(self, names: Iterable[URIRef]) -> Iterator[Triple]:
        terms = self.terms
        for name in names:
            for s, p, o in self.graphs.get(name, ()):
                yield terms[s], terms[p], terms[o]

    def sorted_triples(self, names: Iterable[URIRef]) -> list[Triple]:
        """The distinct triples of the graphs, in rdflib's order where it is total (else in
        the graphs' order): the reasoner sorts its input, and a sorted list costs it one
        pass."""
        distinct = dict.fromkeys(t for name in names for t in self.graphs.get(name, ()))
        rank, terms = self.ranks(), self.terms
        ordered = sorted(distinct, key=lambda t: (rank[t[0]], rank[t[1]], rank[t[2]])) if (
            rank is not None) else distinct
        return [(terms[s], terms[p], terms[o]) for s, p, o in ordered]

    def to_dataset(self, dataset: Dataset) -> Dataset:
        """The graphs added to an rdflib dataset."""
        for name in self.graphs:
            target = dataset.graph(name)
            for triple in self.triples([name]):
                target.add(triple)
        return dataset

    def trig(self, base_iri: str) -> bytes:
        """What kg.dataset.serialize.serialize writes for the same graphs in an rdflib Dataset:
        the graphs that are not empty in IRI order, each graph's triples in rdflib's order."""
        rank = self.ranks()
        make, terms = OxigraphTerms(), self.terms
        as_ox: list[Any] = [None] * len(terms)

        def term(i: int) -> Any:
            found = as_ox[i]
            if found is None:
                found = as_ox[i] = make.term(terms[i])
            return found

        def ordered(triples: dict[IntTriple, None]) -> list[IntTriple]:
            if rank is None:  # rdflib's order is not a total one here: its own sort decides
                keyed = {(terms[s], terms[p], terms[o]): (s, p, o) for s, p, o in triples}
                return [keyed[t] for t in sorted(keyed)]
            return sorted(triples, key=lambda t: (rank[t[0]], rank[t[1]], rank[t[2]]))

        def quads() -> Iterator[ox.Quad]:
            for name in sorted(n for n, triples in self.graphs.items() if triples):
                graph = ox.NamedNode(str(name))
                for s, p, o in ordered(self.graphs[name]):
                    yield ox.Quad(term(s), term(p), term(o), graph)

        return oxigraph_turtle(quads(), base_iri, ox.RdfFormat.TRIG)


def _rdflib_term(term: Any) -> Node:
    """The term rdflib's N-Quads parser makes (kg.dataset.triples: plain for xsd:string)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return URIRef(term.value)
    if kind is ox.BlankNode:
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == XSD_STRING else Literal(
        term.value, datatype=URIRef(datatype))


def term_ranks(terms: list[Node]) -> list[int] | None:
    """Each term's place in rdflib's order of the terms (what sorted() of rdflib terms
    gives), or None when that order is not total on these terms: literals of two numeric
    datatypes (compared by value with each other, by datatype with the rest), a datatype whose
    literals have values and no values, or two distinct literals that compare equal. Then
    sorting by rank would not be sorting with rdflib, and the caller sorts with rdflib."""
    literals = [i for i, t in enumerate(terms) if isinstance(t, Literal)]
    keys = _literal_keys([t for t in terms if isinstance(t, Literal)])
    if keys is None:
        return None
    ordered = sorted(range(len(literals)), key=keys.__getitem__)
    for a, b in zip(ordered, ordered[1:], strict=False):
        # rdflib's own comparison: the keys must agree with it; and two values that are
        # equal make rdflib's comparison say each is less than the other
        if not terms[literals[a]] < terms[literals[b]] or (  # type: ignore[operator]
                keys[a][2] and keys[a][:3] == keys[b][:3]):
            return None
    ordered_literals = [literals[i] for i in ordered]
    others = sorted((i for i, t in enumerate(terms) if not isinstance(t, Literal)),
                    key=lambda i: (_NODE_ORDER.get(type(terms[i]), 0), str(terms[i])))
    if any(type(terms[i]) not in _NODE_ORDER for i in others):
        return None
    rank = [0] * len(terms)
    for place, i in enumerate(others + ordered_literals):
        rank[i] = place
    return rank


def _literal_keys(literals: list[Literal]) -> list[tuple[Any, ...]] | None:
    """Sort keys in rdflib's order of literals (Literal.__gt__), when there are such keys."""
    numeric = {lit.datatype for lit in literals if lit.datatype in _NUMERIC_LITERAL_TYPES}
    if len(numeric) > 1:
        return None
    valued: dict[tuple[Any, ...], set[Any]] = {}  # per datatype and language: the value types
    keys = []
    for lit in literals:
        datatype = str(lit.datatype or _XSD_STRING)
        language = (1, lit.language) if lit.language else (0, "")
        value = lit.value
        valued.setdefault((datatype, language), set()).add(
            None if value is None else type(value))
        caster = _TOTAL_ORDER_CASTERS.get(type(value))
        compared = () if value is None else ((caster(value) if caster else value),)
        keys.append((datatype, language, compared, str(lit), lit.datatype is not None))
    if any(len(types) > 1 for types in valued.values()):
        return None  # values and none, or of two types: not one order
    return keys
