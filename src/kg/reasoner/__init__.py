"""OWL 2 RL reasoning engines behind one interface.

``closure(triples, budget, engine=...)`` returns the entailed triples that are neither stated
nor noise (kg.reason documents the filter). Two engines compute the same closure:

- ``native`` (the default): integer-encoded terms, schema closed first, then semi-naive
  evaluation of the data rules through per-predicate indexes (engine.py);
- ``owlrl``: the owlrl package, the reference the native engine is tested against triple for
  triple; one to two orders of magnitude slower.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kg.errors import ReasoningBudgetExceeded, UnknownEngine
from kg.reasoner import engine as _native
from kg.reasoner import owlrl_engine as _owlrl
from kg.reasoner.budget import UNLIMITED, Budget
from kg.reasoner.result import ClosureResult, Derivation, RdfTriple, is_noise

Run = Callable[[Iterable[RdfTriple], Budget, bool], ClosureResult]  # one engine's closure()

ENGINES: dict[str, Run] = {"native": _native.closure, "owlrl": _owlrl.closure}
DEFAULT_ENGINE = "native"


def closure(triples: Iterable[RdfTriple], budget: Budget = UNLIMITED, *,
            engine: str = DEFAULT_ENGINE, explain: bool = False) -> ClosureResult:
    """The OWL 2 RL closure of triples less the triples themselves and the noise.

    With ``explain``, the result maps every derived triple to the rule and premises that
    first derived it (the native engine only). Raises ReasoningBudgetExceeded past the
    budget and UnknownEngine for an engine name not in ENGINES."""
    try:
        run = ENGINES[engine]
    except KeyError:
        raise UnknownEngine(
            f"unknown reasoning engine {engine!r}; choose one of {', '.join(sorted(ENGINES))}"
        ) from None
    return run(triples, budget, explain)


__all__ = ["DEFAULT_ENGINE", "ENGINES", "Budget", "ClosureResult", "Derivation",
           "ReasoningBudgetExceeded", "UnknownEngine", "closure", "is_noise"]
