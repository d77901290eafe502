"""OWL 2 RL closure of the stated graphs, into its own named graph.

The asserted graphs are never modified: the closure runs on a copy and only the new triples,
less owlrl's noise, go to graph/inferred. The noise filter (applied to every engine alike):
- triples with a literal subject (owlrl's rdfs1/dt rules type literals; stores reject them);
- reflexive owl:sameAs (eq-ref gives every term 'x sameAs x');
- triples about the rdf/rdfs/owl/xsd vocabularies themselves (the axiomatic triples of the
  OWL 2 RL tables and their scm-* consequences on built-in terms).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.graph import _TripleType

from .vocab import OWL

BUILTIN_NAMESPACES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)


@dataclass(frozen=True)
class ReasoningReport:
    input_triples: int
    inferred_triples: int
    seconds: float


def is_noise(triple: _TripleType) -> bool:
    """True for the triples the documented filter drops."""
    s, p, o = triple
    if isinstance(s, Literal):
        return True
    if p == OWL.sameAs and s == o:
        return True
    return isinstance(s, URIRef) and str(s).startswith(BUILTIN_NAMESPACES)


def closure(graphs: Iterable[Graph]) -> tuple[Graph, ReasoningReport]:
    """The inferred triples (closure minus input minus noise) of the union of graphs."""
    started = time.perf_counter()
    work = Graph()
    for graph in graphs:
        for triple in graph:
            work.add(triple)
    asserted = set(work)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(work)
    inferred = Graph()
    for triple in work:
        if triple not in asserted and not is_noise(triple):
            inferred.add(triple)
    report = ReasoningReport(len(asserted), len(inferred), time.perf_counter() - started)
    return inferred, report
