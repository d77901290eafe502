"""owlrl behind the engine interface: the reference the native engine is tested against."""

from __future__ import annotations

import time
from collections.abc import Iterable

import owlrl
from owlrl.Namespaces import ERRNS
from rdflib import Graph
from rdflib.namespace import RDF

from kg.reasoner.budget import Budget
from kg.reasoner.result import ClosureResult, RdfTriple, is_noise


class _BudgetedSemantics(owlrl.OWLRL_Semantics):
    """owlrl's OWL 2 RL semantics, checking the budget as triples are stored."""

    budget: Budget = Budget()
    started = 0.0
    stored = 0

    def store_triple(self, t: RdfTriple) -> None:
        before = len(self.added_triples)
        super().store_triple(t)
        if len(self.added_triples) > before:
            self.stored += 1
            if self.stored % 64 == 0:
                self.budget.check(self.started, self.stored)

    def closure(self) -> None:
        super().closure()
        self.budget.check(self.started, self.stored)


def closure(triples: Iterable[RdfTriple], budget: Budget, explain: bool = False) -> ClosureResult:
    """owlrl's closure less input and noise; owlrl's error messages become inconsistencies.
    owlrl records no derivations, so ``explain`` leaves explanations empty."""
    started = time.perf_counter()
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    asserted = set(graph)
    semantics = type("Semantics", (_BudgetedSemantics,), {"budget": budget, "started": started})
    owlrl.DeductiveClosure(semantics).expand(graph)
    messages = set(graph.subjects(RDF.type, ERRNS.ErrorMessage))
    inconsistencies = tuple(sorted(str(m) for b in messages for m in graph.objects(b, ERRNS.error)))
    derived = [t for t in graph if t not in asserted and t[0] not in messages]
    return ClosureResult(
        engine="owlrl", inferred=tuple(t for t in derived if not is_noise(t)),
        input_triples=len(asserted), derived_triples=len(derived),
        seconds=time.perf_counter() - started, inconsistencies=inconsistencies,
        explanations={} if explain else None)
