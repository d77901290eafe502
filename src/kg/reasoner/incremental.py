"""Incremental reasoning: keep the closed native engine beside the dataset, and when a build
only adds stated triples (a new source), run the rules from those triples alone.

Semi-naive evaluation makes this exact: the saved store is closed, so every new conclusion
needs at least one new premise, and each new triple is joined with everything stored, just as
in a full run. A build that removes or changes any stated triple starts from zero.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.dataset.io import write_atomically
from kg.reasoner.budget import Budget
from kg.reasoner.consistency import inconsistencies
from kg.reasoner.engine import Engine, close
from kg.reasoner.result import ClosureResult, RdfTriple
from kg.reasoner.terms import META_CLASSES, SAME_AS, SCHEMA_PREDICATES, TYPE

FORMAT = 1  # bump when Engine's fields change: an old state is then ignored



@dataclass
class SavedState:
    format: int
    stated: frozenset[RdfTriple]
    engine: Engine


def _result(engine: Engine, input_triples: int, started: float) -> ClosureResult:
    derived = len(engine.derived) - len(engine.restated)
    return ClosureResult(engine="native", inferred=engine.inferred(), input_triples=input_triples,
                         derived_triples=derived, seconds=time.perf_counter() - started,
                         inconsistencies=inconsistencies(engine.store, engine.terms))


def full(triples: Iterable[RdfTriple], budget: Budget) -> tuple[ClosureResult, SavedState]:
    """A closure from zero, and the state to continue from."""
    started = time.perf_counter()
    # Sorted from the order given: triples that come sorted (kg.dataset.quads) cost one pass.
    ordered = sorted(dict.fromkeys(triples))
    stated = frozenset(ordered)
    engine = Engine(budget)
    close(engine, engine.load(ordered))
    return _result(engine, len(stated), started), SavedState(FORMAT, stated, engine)


def extend(state: SavedState, triples: Iterable[RdfTriple],
           budget: Budget) -> tuple[ClosureResult, SavedState] | None:
    """The closure of the saved input plus ``triples``, from the new triples only; None when
    the new input is not a superset of the saved one (then only a full run is right)."""
    stated = frozenset(triples)
    if not state.stated <= stated:
        return None
    new = sorted(stated - state.stated)
    engine = state.engine
    encoded = [(engine.terms.encode(s), engine.terms.encode(p), engine.terms.encode(o))
               for s, p, o in new]
    if any(t[1] in SCHEMA_PREDICATES or (t[1] == TYPE and t[2] in META_CLASSES)
           for t in encoded):
        return None  # a new axiom: the schema closes first in a full run; start afresh
    started = time.perf_counter()
    engine.budget, engine.started = budget, started
    engine.property_profiles.clear()
    engine.class_profiles.clear()
    added = []
    for t in encoded:
        if engine.store.add(*t):
            added.append(t)
            engine._queue(t)
        else:  # derived before, stated now: it leaves the inferred triples
            engine.restated.add(t)
    engine.one_time_rules(added)
    if engine.store.mentions(SAME_AS):
        engine.equal_reflexive()
    engine.run()
    return _result(engine, len(stated), started), SavedState(FORMAT, stated, engine)


def save(state: SavedState, path: Path) -> None:
    write_atomically(path, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))


def load(path: Path) -> SavedState | None:
    """The saved state, or None if there is none or it is of another format."""
    try:
        with path.open("rb") as data:
            state = pickle.load(data)  # our own file, written by save() beside the dataset
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return state if isinstance(state, SavedState) and state.format == FORMAT else None
