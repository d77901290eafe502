"""Integer encoding of RDF terms.

Every term gets a small int once; rules join ints, never rdflib objects (hashing a URIRef costs
several times more than hashing an int). The OWL, RDF and RDFS terms the rules name get fixed ids,
so the rule modules compare against module constants.
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

BUILTIN_NAMESPACES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)

# Term kinds, kept in one bytearray indexed by id.
IRI, BLANK, LITERAL, BUILTIN = 0, 1, 2, 3

_NAMED: tuple[URIRef, ...] = (
    RDF.type, OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass,
    OWL.equivalentProperty, RDFS.domain, RDFS.range, OWL.inverseOf, OWL.propertyChainAxiom,
    OWL.onProperty, OWL.hasValue, OWL.someValuesFrom, OWL.allValuesFrom, OWL.intersectionOf,
    OWL.unionOf, OWL.oneOf, OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.onClass,
    OWL.hasKey, RDF.first, RDF.rest, RDF.nil, OWL.Class, OWL.Thing, OWL.Nothing,
    OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, OWL.TransitiveProperty,
    OWL.SymmetricProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
)
(TYPE, SAME_AS, SUB_CLASS_OF, SUB_PROPERTY_OF, EQUIVALENT_CLASS, EQUIVALENT_PROPERTY, DOMAIN,
 RANGE, INVERSE_OF, PROPERTY_CHAIN, ON_PROPERTY, HAS_VALUE, SOME_VALUES_FROM, ALL_VALUES_FROM,
 INTERSECTION_OF, UNION_OF, ONE_OF, MAX_CARDINALITY, MAX_QUALIFIED_CARDINALITY, ON_CLASS, HAS_KEY,
 FIRST, REST, NIL, OWL_CLASS, THING, NOTHING, OBJECT_PROPERTY, DATATYPE_PROPERTY, RDF_PROPERTY,
 TRANSITIVE, SYMMETRIC, FUNCTIONAL, INVERSE_FUNCTIONAL) = range(len(_NAMED))

# Triples with these predicates change what the data rules do; they are closed first.
SCHEMA_PREDICATES = frozenset({
    SUB_CLASS_OF, SUB_PROPERTY_OF, EQUIVALENT_CLASS, EQUIVALENT_PROPERTY, DOMAIN, RANGE,
    INVERSE_OF, PROPERTY_CHAIN, ON_PROPERTY, HAS_VALUE, SOME_VALUES_FROM, ALL_VALUES_FROM,
    INTERSECTION_OF, UNION_OF, ONE_OF, MAX_CARDINALITY, MAX_QUALIFIED_CARDINALITY, ON_CLASS,
    HAS_KEY, FIRST, REST,
})
# ... and so do rdf:type triples with one of these objects.
META_CLASSES = frozenset({
    OWL_CLASS, OBJECT_PROPERTY, DATATYPE_PROPERTY, RDF_PROPERTY, TRANSITIVE, SYMMETRIC,
    FUNCTIONAL, INVERSE_FUNCTIONAL,
})


class TermDictionary:
    """Two-way map between rdflib terms and dense ints, with each term's kind."""

    def __init__(self) -> None:
        self.terms: list[Node] = []
        self.ids: dict[Node, int] = {}
        self.kinds = bytearray()
        for term in _NAMED:
            self.encode(term)

    def __len__(self) -> int:
        return len(self.terms)

    def encode(self, term: Node) -> int:
        found = self.ids.get(term)
        if found is not None:
            return found
        new = len(self.terms)
        self.ids[term] = new
        self.terms.append(term)
        if isinstance(term, Literal):
            self.kinds.append(LITERAL)
        elif isinstance(term, BNode):
            self.kinds.append(BLANK)
        elif isinstance(term, URIRef) and str(term).startswith(BUILTIN_NAMESPACES):
            self.kinds.append(BUILTIN)
        else:
            self.kinds.append(IRI)
        return new

    def lookup(self, term: Node) -> int | None:
        return self.ids.get(term)

    def decode(self, term_id: int) -> Node:
        return self.terms[term_id]

    def is_literal(self, term_id: int) -> bool:
        return self.kinds[term_id] == LITERAL
