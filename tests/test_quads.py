"""kg.dataset.quads: the build's dataset without an rdflib store. Its TriG must be the bytes
kg.dataset.serialize writes for the same graphs in an rdflib Dataset, whatever the terms: the
terms are ranked in rdflib's order, and sorted by rdflib itself where that order is not total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

from kg.dataset.quads import Quads, term_ranks
from kg.dataset.serialize import serialize
from kg.formats import rdf_format

BASE = "https://w3id.org/diplo-kg/"
EX = "http://example.org/"
G1, G2 = URIRef(EX + "g/b"), URIRef(EX + "g/a")
S, P, Q = URIRef(EX + "s"), URIRef(EX + "p"), URIRef(EX + "q")

ONE_ORDER = [Literal("b"), Literal("a"), Literal("a", lang="en"), Literal("a", lang="de"),
             Literal(10), Literal(9), Literal("2020-01-02", datatype=XSD.date),
             Literal("1999-12-31", datatype=XSD.date), Literal("1992", datatype=XSD.gYear),
             Literal("x", datatype=XSD.string), URIRef(EX + "o"), BNode("n1")]
TWO_NUMERIC_TYPES = [Literal(3), Literal(Decimal("2.5")), Literal("1992", datatype=XSD.gYear)]


def _graphs(objects: list) -> list[tuple[URIRef, tuple]]:
    quads = [(G1, (S, P, o)) for o in objects] + [(G2, (o, Q, S)) for o in objects
                                                  if not isinstance(o, Literal)]
    return quads + [(G2, (S, Q, o)) for o in reversed(objects)]


@pytest.mark.parametrize("objects", [ONE_ORDER, TWO_NUMERIC_TYPES],
                         ids=["ranked", "sorted-by-rdflib"])
def test_trig_is_what_serialize_writes_for_an_rdflib_dataset(objects: list) -> None:
    dataset, quads = Dataset(), Quads()
    for name, triple in _graphs(objects):
        dataset.graph(name).add(triple)
        quads.add(name, [triple])
    assert quads.trig(BASE) == serialize(dataset, rdf_format("trig"), BASE)
    assert len(quads) == sum(len(g) for g in dataset.graphs())


def test_nquads_lines_read_as_rdflib_reads_them() -> None:
    quads = Quads()
    quads.add_nquads(f'<{S}> <{P}> "007"^^<{XSD.integer}> <{G1}> .\n'
                     f'<{S}> <{P}> "7"^^<{XSD.integer}> <{G1}> .\n'
                     f'<{S}> <{P}> "x"^^<{XSD.string}> <{G1}> .\n')
    assert set(quads.triples([G1])) == {(S, P, Literal(7)), (S, P, Literal("x"))}


def test_ranks_follow_rdflib_or_are_refused() -> None:
    rank = term_ranks(ONE_ORDER)
    assert rank is not None
    assert [ONE_ORDER[i] for i in sorted(range(len(ONE_ORDER)), key=rank.__getitem__)] == (
        sorted(ONE_ORDER))
    assert term_ranks(TWO_NUMERIC_TYPES) is None  # by value with each other, by type with gYear
    assert term_ranks([Literal("1", datatype=XSD.integer),
                       Literal("01", datatype=XSD.integer, normalize=False)]) is None
