"""OWL 2 RL syntactic profile checker over the RDF mapping of an ontology.

Why: the knowledge graph is closed with the OWL 2 RL/RDF rules, and those rules are only
complete for ontologies inside the OWL 2 RL profile (OWL 2 Profiles §4.3, Theorem PR1).
An axiom outside the profile does not fail loudly, it silently loses entailments, so the
ontology is checked syntactically against the grammar of OWL 2 Profiles §4.2 instead.

Class expressions are read through the OWL 2 RDF mapping (blank-node restrictions, RDF
lists) and judged by position: subClassExpression, superClassExpression or
equivClassExpression (§4.2.3). An OWL 1 style definition ``C owl:intersectionOf (...)``
with an IRI subject means EquivalentClasses(C, ...) and is reported under owl:equivalentClass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from itertools import chain
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node
from rdflib.util import guess_format

__all__ = ["ProfileViolation", "check_files", "check_owl2rl"]


@dataclass(frozen=True)
class ProfileViolation:
    """One axiom outside OWL 2 RL, as plain strings so reports and tests compare directly.

    ``subject`` is the IRI itself, or ``_:b<hash>`` for a blank node, where the hash is
    taken from the node's structure so that the label is stable across parses.
    """

    axiom: str
    subject: str
    reason: str


class _Pos(Enum):
    """The three class-expression grammars of OWL 2 RL (§4.2.3)."""

    SUB = "subClassExpression"
    SUPER = "superClassExpression"
    EQUIV = "equivClassExpression"


SUB, SUPER, EQUIV = _Pos.SUB, _Pos.SUPER, _Pos.EQUIV

_PREFIXES = {str(RDF): "rdf:", str(RDFS): "rdfs:", str(OWL): "owl:", str(XSD): "xsd:"}
# §4.2.1: RL has every OWL 2 datatype except these two.
_NON_RL_DATATYPES = frozenset({OWL.real, OWL.rational})
_BUILTIN_DATATYPES = _NON_RL_DATATYPES | {
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    RDF.langString,
    RDFS.Literal,
}
# Cardinalities that no OWL 2 RL grammar production contains (§4.2.3).
_NON_RL_CARDINALITIES = (
    OWL.minCardinality,
    OWL.cardinality,
    OWL.minQualifiedCardinality,
    OWL.qualifiedCardinality,
)
_CLASS_CONSTRUCTORS = (OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf)


def _qname(term: Node) -> str:
    """Short, stable name for vocabulary terms; anything else in N3 form."""
    if isinstance(term, URIRef):
        for ns, prefix in _PREFIXES.items():
            local = term[len(ns) :]
            if term.startswith(ns) and local and "/" not in local and "#" not in local:
                return prefix + local
    return term.n3()


def _int(value: Node) -> int | None:
    """Cardinality literal as an int, or None when it is not a number."""
    try:
        return int(str(value))
    except ValueError:
        return None


def _not_in(construct: str, pos: _Pos) -> str:
    return f"{construct} cannot appear in an OWL 2 RL {pos.value} (Profiles §4.2.3)."


class _Checker:
    """Walks the axioms of one graph and collects violations."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.found: set[ProfileViolation] = set()

    # -- helpers ---------------------------------------------------------------------------

    def report(self, axiom: Node, subject: Node, reasons: Iterable[str]) -> None:
        for reason in reasons:
            self.found.add(ProfileViolation(_qname(axiom), self.label(subject), reason))

    def label(self, node: Node) -> str:
        """IRI as-is; blank nodes get a label hashed from their structure (determinism)."""
        if isinstance(node, BNode):
            digest = hashlib.sha1(self._describe(node, frozenset()).encode()).hexdigest()
            return f"_:b{digest[:12]}"
        return str(node) if isinstance(node, URIRef) else node.n3()

    def _describe(self, node: Node, seen: frozenset[Node]) -> str:
        if not isinstance(node, BNode):
            return node.n3()
        if node in seen:
            return "_:cycle"
        inner = seen | {node}
        parts = sorted(
            f"{p.n3()} {self._describe(o, inner)}" for p, o in self.g.predicate_objects(node)
        )
        return "[" + "; ".join(parts) + "]"

    def items(self, head: Node | None) -> list[Node]:
        return [] if head is None else list(self.g.items(head))

    def has(self, node: Node, pred: URIRef) -> bool:
        return (node, pred, None) in self.g

    def is_datatype(self, node: Node) -> bool:
        return isinstance(node, URIRef) and (
            node in _BUILTIN_DATATYPES
            or node.startswith(str(XSD))
            or (node, RDF.type, RDFS.Datatype) in self.g
        )

    def looks_like_data_range(self, node: Node) -> bool:
        """True for datatypes and data-range blank nodes (OWL 2 mapping, Table 4)."""
        if self.is_datatype(node):
            return True
        if not isinstance(node, BNode):
            return False
        if (node, RDF.type, RDFS.Datatype) in self.g:
            return True
        if self.has(node, OWL.onDatatype) or self.has(node, OWL.datatypeComplementOf):
            return True
        members = self.items(self.g.value(node, OWL.oneOf))
        return bool(members) and all(isinstance(m, Literal) for m in members)

    def is_data_restriction(self, node: Node) -> bool:
        """Data restrictions take data ranges as fillers, object ones take class expressions."""
        g = self.g
        if self.has(node, OWL.onProperties) or self.has(node, OWL.onDataRange):
            return True
        prop = g.value(node, OWL.onProperty)
        if prop is not None and (prop, RDF.type, OWL.DatatypeProperty) in g:
            return True
        if isinstance(g.value(node, OWL.hasValue), Literal):
            return True
        filler = g.value(node, OWL.someValuesFrom)
        if filler is None:
            filler = g.value(node, OWL.allValuesFrom)
        return filler is not None and self.looks_like_data_range(filler)

    # -- §4.2.3 class expressions ----------------------------------------------------------

    def cls(self, node: Node, pos: _Pos) -> Iterator[str]:
        """Yield why ``node`` is not a class expression of grammar ``pos``."""
        if isinstance(node, Literal):
            yield f"The literal {node.n3()} is used where a class expression is required."
        elif node == OWL.Thing:
            yield (
                f"owl:Thing is not an OWL 2 RL {pos.value}, which admits any "
                "'Class other than owl:Thing' (Profiles §4.2.3)."
            )
        elif isinstance(node, BNode):
            yield from self.expr(node, pos)

    def expr(self, node: Node, pos: _Pos) -> Iterator[str]:
        """Judge the constructor on ``node`` (blank node, or IRI in OWL 1 style definitions)."""
        g = self.g
        if (head := g.value(node, OWL.intersectionOf)) is not None:
            # RULE sub/super/equivObjectIntersectionOf: members share the enclosing grammar.
            for member in self.items(head):
                yield from self.cls(member, pos)
        elif (head := g.value(node, OWL.unionOf)) is not None:
            # RULE subObjectUnionOf: unions only on the subclass side.
            if pos is not SUB:
                yield _not_in("owl:unionOf", pos)
            for member in self.items(head) if pos is SUB else []:
                yield from self.cls(member, SUB)
        elif (operand := g.value(node, OWL.complementOf)) is not None:
            # RULE superObjectComplementOf: complement of a subClassExpression, superclass side.
            if pos is not SUPER:
                yield _not_in("owl:complementOf", pos)
            else:
                yield from self.cls(operand, SUB)
        elif self.has(node, OWL.oneOf):
            # RULE ObjectOneOf: enumerations only on the subclass side.
            if pos is not SUB:
                yield _not_in("owl:oneOf", pos)
        elif self.has(node, OWL.onProperty) or self.has(node, OWL.onProperties):
            yield from self.restriction(node, pos)
        else:
            yield f"Blank node {self.label(node)} is not a recognisable OWL class expression."

    def restriction(self, node: Node, pos: _Pos) -> Iterator[str]:
        """Judge an owl:Restriction against the §4.2.3 productions for ``pos``."""
        g = self.g
        prop = g.value(node, OWL.onProperty)
        on = f" on {_qname(prop)}" if isinstance(prop, URIRef) else ""
        data = self.is_data_restriction(node)
        if self.has(node, OWL.hasSelf):
            # RULE ObjectHasSelf appears in no OWL 2 RL production.
            yield f"owl:hasSelf{on} (ObjectHasSelf) is not part of OWL 2 RL (Profiles §4.2.3)."
        elif self.has(node, OWL.hasValue):
            # RULE ObjectHasValue / DataHasValue: allowed in all three grammars.
            return
        elif (filler := g.value(node, OWL.someValuesFrom)) is not None:
            # RULE subObjectSomeValuesFrom / DataSomeValuesFrom: subclass side only.
            if pos is not SUB:
                yield _not_in(f"owl:someValuesFrom{on}", pos)
            elif data:
                yield from self.data_range(filler)
            elif filler != OWL.Thing:
                yield from self.cls(filler, SUB)
        elif (filler := g.value(node, OWL.allValuesFrom)) is not None:
            # RULE superObjectAllValuesFrom / DataAllValuesFrom: superclass side only.
            if pos is not SUPER:
                yield _not_in(f"owl:allValuesFrom{on}", pos)
            elif data:
                yield from self.data_range(filler)
            else:
                yield from self.cls(filler, SUPER)
        else:
            yield from self.cardinality(node, pos, on)

    def cardinality(self, node: Node, pos: _Pos, on: str) -> Iterator[str]:
        """RULE superObjectMaxCardinality / superDataMaxCardinality: max 0 or 1, right only."""
        g = self.g
        for pred in (OWL.maxCardinality, OWL.maxQualifiedCardinality):
            if (value := g.value(node, pred)) is None:
                continue
            if pos is not SUPER:
                yield _not_in(f"{_qname(pred)}{on}", pos)
            elif _int(value) not in (0, 1):
                yield (
                    f"{_qname(pred)} {value}{on} is not allowed: OWL 2 RL only has max "
                    "cardinality 0 or 1 (Profiles §4.2.3 superObjectMaxCardinality)."
                )
            else:
                on_class = g.value(node, OWL.onClass)
                if on_class is not None and on_class != OWL.Thing:
                    yield from self.cls(on_class, SUB)
                on_range = g.value(node, OWL.onDataRange)
                if on_range is not None:
                    yield from self.data_range(on_range)
            return
        for pred in _NON_RL_CARDINALITIES:
            if self.has(node, pred):
                yield (
                    f"{_qname(pred)}{on} is not part of OWL 2 RL: only max cardinality 0 or 1 "
                    "in a superClassExpression is (Profiles §4.2.3)."
                )
                return
        yield f"The owl:Restriction{on} has no constraint that OWL 2 RL recognises."

    # -- §4.2.4 data ranges -----------------------------------------------------------------

    def data_range(self, node: Node) -> Iterator[str]:
        """RULE DataRange := Datatype | DataIntersectionOf (§4.2.4), datatypes per §4.2.1."""
        g = self.g
        if isinstance(node, URIRef):
            if node in _NON_RL_DATATYPES:
                yield f"The datatype {_qname(node)} is not supported by OWL 2 RL (Profiles §4.2.1)."
            return
        if isinstance(node, Literal):
            yield f"The literal {node.n3()} is used where a data range is required."
            return
        if (head := g.value(node, OWL.intersectionOf)) is not None:
            for member in self.items(head):
                yield from self.data_range(member)
            return
        for pred, name in (
            (OWL.onDatatype, "A datatype restriction (owl:withRestrictions)"),
            (OWL.datatypeComplementOf, "owl:datatypeComplementOf"),
            (OWL.unionOf, "owl:unionOf of data ranges"),
            (OWL.oneOf, "owl:oneOf of literals"),
        ):
            if self.has(node, pred):
                yield (
                    f"{name} is not an OWL 2 RL data range: only datatypes and their "
                    "intersections are (Profiles §4.2.4)."
                )
                return
        yield f"Blank node {self.label(node)} is not a recognisable data range."

    # -- §4.2.5 axioms ---------------------------------------------------------------------

    def run(self) -> list[ProfileViolation]:
        g = self.g
        # RULE SubClassOf(subClassExpression superClassExpression)
        for s, o in g.subject_objects(RDFS.subClassOf):
            self.report(RDFS.subClassOf, s, chain(self.cls(s, SUB), self.cls(o, SUPER)))
        # RULE EquivalentClasses(equivClassExpression ...), or DatatypeDefinition(DT DataRange)
        for s, o in g.subject_objects(OWL.equivalentClass):
            if self.is_datatype(s) or self.looks_like_data_range(o):
                self.report(OWL.equivalentClass, s, self.data_range(o))
            else:
                reasons = chain(self.cls(s, EQUIV), self.cls(o, EQUIV))
                self.report(OWL.equivalentClass, s, reasons)
        # OWL 1 style "C owl:intersectionOf (...)" with an IRI C is EquivalentClasses(C, ...).
        for pred in _CLASS_CONSTRUCTORS:
            for s in g.subjects(pred):
                if isinstance(s, URIRef) and not self.is_datatype(s):
                    self.report(OWL.equivalentClass, s, self.expr(s, EQUIV))
        # RULE DisjointClasses(subClassExpression subClassExpression ...)
        for s, o in g.subject_objects(OWL.disjointWith):
            self.report(OWL.disjointWith, s, chain(self.cls(s, SUB), self.cls(o, SUB)))
        for s in g.subjects(RDF.type, OWL.AllDisjointClasses):
            members = self.items(g.value(s, OWL.members))
            reasons = chain.from_iterable(self.cls(m, SUB) for m in members)
            self.report(OWL.AllDisjointClasses, s, reasons)
        # RULE DisjointUnion and ReflexiveObjectProperty are the two OWL 2 axioms RL drops.
        for s in g.subjects(OWL.disjointUnionOf):
            reason = (
                "DisjointUnion (owl:disjointUnionOf) is not an OWL 2 RL axiom (Profiles §4.2.5)."
            )
            self.report(OWL.disjointUnionOf, s, [reason])
        for s in g.subjects(RDF.type, OWL.ReflexiveProperty):
            reason = "ReflexiveObjectProperty is not an OWL 2 RL axiom (Profiles §4.2.5)."
            self.report(OWL.ReflexiveProperty, s, [reason])
        # RULE Object/DataPropertyDomain(P superClassExpression); annotation domains are IRIs.
        for s, o in g.subject_objects(RDFS.domain):
            if (s, RDF.type, OWL.AnnotationProperty) not in g:
                self.report(RDFS.domain, s, self.cls(o, SUPER))
        # RULE ObjectPropertyRange(P superClassExpression) / DataPropertyRange(P DataRange)
        for s, o in g.subject_objects(RDFS.range):
            if (s, RDF.type, OWL.AnnotationProperty) in g:
                continue
            if (s, RDF.type, OWL.DatatypeProperty) in g or self.looks_like_data_range(o):
                self.report(RDFS.range, s, self.data_range(o))
            else:
                self.report(RDFS.range, s, self.cls(o, SUPER))
        # RULE HasKey(subClassExpression (OPE*) (DPE*))
        for s in g.subjects(OWL.hasKey):
            self.report(OWL.hasKey, s, self.cls(s, SUB))
        # RULE ClassAssertion(superClassExpression Individual): anonymous types only.
        for s, o in g.subject_objects(RDF.type):
            if isinstance(o, BNode):
                self.report(RDF.type, s, self.cls(o, SUPER))
        # RULE §4.2.1: owl:real and owl:rational must not be used, literals included.
        for s, p, o in g:
            if isinstance(o, Literal) and o.datatype in _NON_RL_DATATYPES:
                reason = (
                    f"Literals typed {_qname(o.datatype)} are not in OWL 2 RL (Profiles §4.2.1)."
                )
                self.report(p, s, [reason])
        return sorted(self.found, key=lambda v: (v.subject, v.axiom, v.reason))


def check_owl2rl(graph: Graph) -> list[ProfileViolation]:
    """Return every OWL 2 RL profile violation in ``graph``, sorted by subject, axiom, reason."""
    return _Checker(graph).run()


def check_files(paths: Iterable[Path]) -> list[ProfileViolation]:
    """Parse ontology files (Turtle, or any format rdflib guesses) into one graph and check it."""
    graph = Graph()
    for path in sorted(Path(p) for p in paths):
        graph.parse(path, format=guess_format(str(path)) or "turtle")
    return check_owl2rl(graph)
