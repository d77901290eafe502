"""The native OWL 2 RL engine: the same closure as owlrl, by indexed joins on ints.

owlrl applies every rule to every triple of the graph in each cycle until a cycle adds nothing,
so each cycle re-derives everything the previous ones did. Here each triple is taken off a
queue once and joined, through the store's indexes, with what is already there (semi-naive
evaluation: only the delta joins). Schema triples go first, so by the time the data flows the
class and property hierarchies are closed and each data triple meets a compiled profile of
its property and class (see profiles.py) instead of a dozen look-ups.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
from owlrl.OWLRL import OWLRL_Annotation_properties
from owlrl.XsdDatatypes import OWL_Datatype_Subsumptions
from owlrl.XsdDatatypes import OWL_RL_Datatypes as _RL_DATATYPES
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDFS

from kg.reasoner.budget import Budget
from kg.reasoner.compiled import ClassProfile, PropertyProfile, compile_class, compile_property
from kg.reasoner.consistency import inconsistencies
from kg.reasoner.data_rules import class_rules, property_rules, replace_equals
from kg.reasoner.index import Triple, TripleStore
from kg.reasoner.result import ClosureResult, Derivation, RdfTriple
from kg.reasoner.schema_rules import HANDLERS, META_HANDLERS
from kg.reasoner.terms import (
    BLANK,
    BUILTIN,
    FIRST,
    LITERAL,
    META_CLASSES,
    NOTHING,
    OWL_CLASS,
    REST,
    SAME_AS,
    SCHEMA_PREDICATES,
    THING,
    TYPE,
    TermDictionary,
)

_CHECK_EVERY = 1024  # queue steps between two budget checks
OWL_RL_Datatypes = frozenset(_RL_DATATYPES)
_UNCOMPILED: Any = object()


class Engine:
    def __init__(self, budget: Budget, explain: bool = False,
                 terms: TermDictionary | None = None) -> None:
        self.terms = TermDictionary() if terms is None else terms
        self.store = TripleStore()
        self.index = self.store.sp  # for derive's check, the hottest line
        self.budget = budget
        self.schema_queue: list[Triple] = []
        self.data_queue: list[Triple] = []
        self.derived: list[Triple] = []
        self.why: dict[Triple, tuple[str, tuple[Triple, ...]]] | None = {} if explain else None
        self.input_lists: set[Triple] = set()
        self.pending: list[Triple] = []
        self.restated: set[Triple] = set()
        self.property_profiles: dict[int, PropertyProfile | None] = {}
        self.class_profiles: dict[int, ClassProfile | None] = {}
        self.started = time.perf_counter()

    def derive(self, s: int, p: int, o: int, rule: str, premises: tuple[Triple, ...]) -> None:
        """Add a rule's conclusion; new triples are queued for the rules in turn."""
        by_subject = self.index.get(p)
        if by_subject is not None:
            known = by_subject.get(s)
            if known is not None and o in known:
                return  # most derivations are repeats: keep this path short
        if self.terms.kinds[p] == LITERAL:
            return  # owlrl keeps no triple with a literal predicate
        self.store.add(s, p, o)
        t = (s, p, o)
        self.derived.append(t)
        if self.why is not None:
            self.why[t] = (rule, premises)
        self._queue(t)

    def _queue(self, t: Triple) -> None:
        p = t[1]
        if p in SCHEMA_PREDICATES or (p == TYPE and t[2] in META_CLASSES):
            self.schema_queue.append(t)
            self.property_profiles.clear()
            self.class_profiles.clear()
        else:
            self.data_queue.append(t)

    def load(self, triples: Iterable[RdfTriple]) -> list[Triple]:
        """Encode the input and store its schema triples; the rest waits for release()."""
        encode, iris = self.terms.encode, self.terms.iris
        text = str.__str__
        encoded: list[Triple] = []
        for s, p, o in triples:
            # IRIs inline (most terms are IRIs already seen); encode() does the rest
            si = iris.get(text(s)) if type(s) is URIRef else None
            pi = iris.get(text(p)) if type(p) is URIRef else None
            oi = iris.get(text(o)) if type(o) is URIRef else None
            encoded.append((encode(s) if si is None else si, encode(p) if pi is None else pi,
                            encode(o) if oi is None else oi))
        self.load_encoded(encoded)
        return encoded

    def load_encoded(self, triples: list[Triple]) -> None:
        """Store the schema triples of input already encoded in self.terms; the rest waits for
        release().

        While the schema closes, a new axiom joins with the data already in the store
        (``p rdfs:domain c`` types every subject of p). Data that is not in the store yet needs
        no such join: it meets the closed schema when it is taken off the queue itself. So the
        input's data enters the store only once the schema is closed."""
        add, pending = self.store.add, self.pending
        for t in triples:
            if t[1] in SCHEMA_PREDICATES or (t[1] == TYPE and t[2] in META_CLASSES):
                if add(*t):
                    self._queue(t)
                    if t[1] == FIRST or t[1] == REST:
                        self.input_lists.add(t)
            else:
                pending.append(t)

    def release(self) -> None:
        """Add the input's data triples (see load). Those the schema phase derived already
        were stated all along: they leave the derived ones."""
        new = self.store.add_all(self.pending)
        self.data_queue.extend(new)
        if len(new) < len(self.pending):
            derived = set(self.derived)
            self.restated = {t for t in self.pending if t in derived}
        self.pending = []

    def one_time_rules(self, triples: list[Triple]) -> None:
        """owlrl's rules that run once, on the input, before the cycles: cls-thing,
        cls-nothing1, prp-ap and its partial dt-type1, dt-type2 (only literals of the OWL 2 RL
        datatypes, and the datatype subsumptions)."""
        encode, decode, derive = self.terms.encode, self.terms.decode, self.derive
        # RULE cls-thing, cls-nothing1
        derive(THING, TYPE, OWL_CLASS, "cls-thing", ())
        derive(NOTHING, TYPE, OWL_CLASS, "cls-nothing1", ())
        for prop in OWLRL_Annotation_properties:
            # RULE prp-ap
            derive(encode(prop), TYPE, encode(OWL.AnnotationProperty), "prp-ap", ())
        datatype = encode(RDFS.Datatype)
        rl_datatypes = {encode(dt) for dt in OWL_RL_Datatypes}
        implicit: dict[int, int] = {}
        kinds, plain = self.terms.kinds, self.terms.is_plain_text
        # a literal read as plain text has no datatype: no need to make it an rdflib term
        for o in {o for _, _, o in triples if kinds[o] == LITERAL and not plain(o)}:
            term = decode(o)
            if isinstance(term, Literal) and term.datatype in OWL_RL_Datatypes:
                implicit[o] = encode(term.datatype)  # type: ignore[arg-type]
        used = set(implicit.values())
        for lt, dt in implicit.items():
            # RULE dt-type2
            derive(lt, TYPE, dt, "dt-type2", ())
        explicit: dict[int, set[int]] = {}
        for s, p, o in triples:
            if p == TYPE and o in rl_datatypes:
                used.add(o)
                if s not in implicit:
                    explicit.setdefault(s, set()).add(o)
        for s, p, o in triples:  # owlrl's reading of sameAs here, quirks included
            if p == SAME_AS:
                if o in implicit:
                    explicit.setdefault(s, set()).add(implicit[o])
                if o in explicit:
                    explicit.setdefault(s, set()).add(o)
                if s in explicit:
                    explicit.setdefault(o, set()).add(s)
        for dt in sorted(rl_datatypes) + [d for dts in explicit.values() for d in dts]:
            # RULE dt-type1
            derive(dt, TYPE, datatype, "dt-type1", ())
        for r, dts in [*explicit.items(), *((r, {dt}) for r, dt in implicit.items())]:
            for dt in dts:
                for wider in OWL_Datatype_Subsumptions.get(decode(dt), ()):
                    w = encode(wider)
                    derive(r, TYPE, w, "dt-type2", ((r, TYPE, dt),))
                    derive(w, TYPE, datatype, "dt-type1", ())
                    used.add(w)
        for left, pred, right in OWLRL_Datatypes_Disjointness:
            if encode(left) in used and encode(right) in used:
                derive(encode(left), encode(pred), encode(right), "dt-diff", ())

    def equal_reflexive(self) -> None:
        """eq-ref: owlrl states ``x owl:sameAs x`` for every term. Those triples are noise and
        change nothing unless owl:sameAs itself is described (a super-property, a domain …),
        so they are made only when the input mentions owl:sameAs other than as a predicate."""
        for term in range(len(self.terms)):
            # RULE eq-ref
            self.derive(term, SAME_AS, term, "eq-ref", ())

    def run(self) -> None:
        store, schema_queue, data_queue = self.store, self.schema_queue, self.data_queue
        property_profiles, class_profiles = self.property_profiles, self.class_profiles
        handlers, meta_handlers = HANDLERS, META_HANDLERS
        terms, check, started = self.terms, self.budget.check, self.started
        steps = 0
        while schema_queue or data_queue:
            t = schema_queue.pop() if schema_queue else data_queue.pop()
            steps += 1
            if steps % _CHECK_EVERY == 0:
                check(started, len(self.derived))
            s, p, o = t
            handler = handlers.get(p)
            if handler is not None:
                handler(self, t)
            prof = property_profiles.get(p, _UNCOMPILED)
            if prof is _UNCOMPILED:
                prof = property_profiles[p] = compile_property(store, terms, p)
            if prof is not None:
                property_rules(self, t, prof)
            if p == TYPE:
                meta = meta_handlers.get(o)
                if meta is not None:
                    meta(self, t)
                cprof = class_profiles.get(o, _UNCOMPILED)
                if cprof is _UNCOMPILED:
                    cprof = class_profiles[o] = compile_class(store, terms, o)
                if cprof is not None:
                    class_rules(self, t, cprof)
            same = store.sp.get(SAME_AS)
            if same and (s in same or o in same or p in same):
                replace_equals(self, t, same)
        check(started, len(self.derived))

    def inferred(self) -> tuple[RdfTriple, ...]:
        """The derived triples less the noise (kg.reason documents the filter) and less the
        triples with a blank-node predicate, which owlrl drops after its last cycle."""
        decode = self.terms.decode
        return tuple((decode(s), decode(p), decode(o)) for s, p, o in self.inferred_ids())

    def inferred_ids(self) -> list[Triple]:
        """inferred(), as ints of self.terms."""
        kinds, restated = self.terms.kinds, self.restated
        return [(s, p, o) for s, p, o in self.derived
                if (s, p, o) not in restated and kinds[s] != LITERAL and kinds[s] != BUILTIN
                and kinds[p] != BLANK and not (p == SAME_AS and s == o)]

    def explanations(self) -> dict[RdfTriple, Derivation]:
        assert self.why is not None
        decode = self.terms.decode

        def triple(t: Triple) -> RdfTriple:
            return decode(t[0]), decode(t[1]), decode(t[2])

        return {triple(t): Derivation(rule, tuple(triple(q) for q in premises))
                for t, (rule, premises) in self.why.items() if t not in self.restated}


def closure(triples: Iterable[RdfTriple], budget: Budget, explain: bool = False) -> ClosureResult:
    """The OWL 2 RL closure of triples, as owlrl computes it, less input and noise."""
    with no_cyclic_gc():
        engine = Engine(budget, explain)
        close(engine, engine.load(triples))
        derived = len(engine.derived) - len(engine.restated)
        return ClosureResult(
            engine="native", inferred=engine.inferred(),
            input_triples=len(engine.store) - derived, derived_triples=derived,
            seconds=time.perf_counter() - engine.started,
            inconsistencies=inconsistencies(engine.store, engine.terms),
            explanations=engine.explanations() if explain else None)


def close_encoded(terms: TermDictionary, triples: list[Triple], budget: Budget) -> Engine:
    """The closed engine over triples already encoded in ``terms`` (kg.reasoner.files reads
    files so, without rdflib terms): its inferred_ids() are the closure less input and noise."""
    with no_cyclic_gc():
        engine = Engine(budget, terms=terms)
        engine.load_encoded(triples)
        close(engine, triples)
        return engine


def close(engine: Engine, stated: list[Triple]) -> None:
    """Run the rules over the loaded input (see Engine.load) to the fixpoint."""
    engine.one_time_rules(stated)
    engine.run()  # the schema, closed first
    engine.release()
    if engine.store.mentions(SAME_AS):
        engine.equal_reflexive()
    engine.run()  # the data


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The closure allocates millions of small sets and tuples and frees none of them until it
    returns: the cyclic garbage collector's passes would find nothing and cost a fifth of the
    time. It is switched back on (if it was on) however the closure ends."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
