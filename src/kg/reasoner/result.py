"""What every engine returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from kg.reasoner.terms import BUILTIN_NAMESPACES

RdfTriple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Derivation:
    """How a triple was first derived: the OWL 2 RL rule id and the premises it used."""

    rule: str
    premises: tuple[RdfTriple, ...]


@dataclass(frozen=True)
class ClosureResult:
    engine: str
    inferred: tuple[RdfTriple, ...]  # the closure less the input and the noise, no repeats
    input_triples: int
    derived_triples: int  # everything the rules added to the input, noise included
    seconds: float
    inconsistencies: tuple[str, ...] = ()
    # Every derived triple's first derivation, when asked for (noise included, so that each
    # premise that is not an input triple has its own entry and a proof can be unfolded).
    explanations: Mapping[RdfTriple, Derivation] | None = None


def is_noise(triple: RdfTriple) -> bool:
    """True for the triples the documented filter drops (see kg.reason):
    literal subjects, reflexive owl:sameAs, and statements about the rdf/rdfs/owl/xsd terms."""
    s, p, o = triple
    if isinstance(s, Literal):
        return True
    if p == OWL.sameAs and s == o:
        return True
    return isinstance(s, URIRef) and str(s).startswith(BUILTIN_NAMESPACES)
