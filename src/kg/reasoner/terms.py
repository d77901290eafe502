"""Integer encoding of RDF terms.

Every term gets a small int once; rules join ints, never rdflib objects (hashing a URIRef costs
several times more than hashing an int). The OWL, RDF and RDFS terms the rules name get fixed ids,
so the rule modules compare against module constants.
"""

from __future__ import annotations

from typing import Any

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
    """Two-way map between rdflib terms and dense ints, with each term's kind.

    A file read by Oxigraph (kg.reasoner.files) gives its IRIs, blank nodes and plain literals
    as text: they are kept as plain str, and made rdflib terms only if decoded (most never are:
    the closure is written from the text)."""

    def __init__(self) -> None:
        self.terms: list[Node | str] = []
        # rdflib hashes and compares its terms in Python; plain-str keys keep encoding in C.
        self.iris: dict[str, int] = {}
        self.blanks: dict[str, int] = {}
        self.literals: dict[tuple[str, str | None, str | None], int] = {}
        self.kinds = bytearray()
        for term in _NAMED:
            self.encode(term)

    def __len__(self) -> int:
        return len(self.terms)

    def _key(self, term: Node) -> tuple[dict[Any, int], Any, int]:
        kind = type(term)
        if kind is URIRef or (kind is not BNode and isinstance(term, URIRef)):
            text = str.__str__(term)
            return self.iris, text, BUILTIN if text.startswith(BUILTIN_NAMESPACES) else IRI
        if isinstance(term, BNode):
            return self.blanks, str.__str__(term), BLANK
        if isinstance(term, Literal):
            language = term.language.lower() if term.language else None
            datatype = str(term.datatype) if term.datatype is not None else None
            return self.literals, (str.__str__(term), datatype, language), LITERAL
        raise TypeError(f"not an RDF term: {term!r}")

    def encode(self, term: Node) -> int:
        if type(term) is URIRef:  # the common case, without the dispatch
            found = self.iris.get(str.__str__(term))
            if found is not None:
                return found
        table, key, kind = self._key(term)
        found = table.get(key)
        if found is not None:
            return found
        new = table[key] = len(self.terms)
        self.terms.append(term)
        self.kinds.append(kind)
        return new

    def encode_iri(self, text: str) -> int:
        found = self.iris.get(text)
        return found if found is not None else self._added(
            self.iris, text, BUILTIN if text.startswith(BUILTIN_NAMESPACES) else IRI)

    def encode_blank(self, label: str) -> int:
        found = self.blanks.get(label)
        return found if found is not None else self._added(self.blanks, label, BLANK)

    def encode_plain_literal(self, text: str) -> int:
        """A literal with neither datatype nor language (xsd:string, as rdflib reads it)."""
        key = (text, None, None)
        found = self.literals.get(key)
        if found is None:
            found = self.literals[key] = len(self.terms)
            self.terms.append(text)
            self.kinds.append(LITERAL)
        return found

    def _added(self, index: dict[str, int], text: str, kind: int) -> int:
        """A new id for a term read as plain text (an IRI, a blank node's label)."""
        new = index[text] = len(self.terms)
        self.terms.append(text)
        self.kinds.append(kind)
        return new

    def truncate(self, size: int) -> None:
        """Forget the terms encoded since there were ``size``."""
        tables: dict[int, dict[Any, int]] = {IRI: self.iris, BUILTIN: self.iris,
                                             BLANK: self.blanks, LITERAL: self.literals}
        for term_id in range(size, len(self.terms)):
            term, kind = self.terms[term_id], self.kinds[term_id]
            if type(term) is not str:
                table, key, _ = self._key(term)  # type: ignore[arg-type]
            else:
                table, key = tables[kind], (term, None, None) if kind == LITERAL else term
            del table[key]
        del self.terms[size:]
        del self.kinds[size:]

    def lookup(self, term: Node) -> int | None:
        table, key, _ = self._key(term)
        return table.get(key)

    def decode(self, term_id: int) -> Node:
        term = self.terms[term_id]
        if type(term) is str:  # read as text (see the class): made an rdflib term once
            kind = self.kinds[term_id]
            term = self.terms[term_id] = (
                BNode(term) if kind == BLANK else Literal(term) if kind == LITERAL
                else URIRef(term))
        return term  # type: ignore[return-value]

    def is_plain_text(self, term_id: int) -> bool:
        """Read as text and not decoded yet: an IRI, a blank node or a literal without
        datatype or language (encode_plain_literal)."""
        return type(self.terms[term_id]) is str

    def is_literal(self, term_id: int) -> bool:
        return self.kinds[term_id] == LITERAL
