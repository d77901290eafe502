"""The data rules, fired once per new triple (the triple is the delta, the store the rest).

Each rule is written once per body atom a new triple can match; the other atoms are look-ups in
the store, which holds every triple derived so far. A combination of premises is therefore seen
when the last of them is taken off the queue, and never twice. Rule ids are those of the OWL 2
RL tables (https://www.w3.org/TR/owl2-profiles/#OWL_2_RL).
"""

from __future__ import annotations

from kg.reasoner.compiled import ClassProfile, PropertyProfile
from kg.reasoner.context import Deriver
from kg.reasoner.index import Triple
from kg.reasoner.terms import (
    ALL_VALUES_FROM,
    DOMAIN,
    FUNCTIONAL,
    HAS_VALUE,
    INVERSE_FUNCTIONAL,
    ON_CLASS,
    ON_PROPERTY,
    RANGE,
    SAME_AS,
    SOME_VALUES_FROM,
    SYMMETRIC,
    THING,
    TRANSITIVE,
    TYPE,
)


def property_rules(e: Deriver, t: Triple, prof: PropertyProfile) -> None:
    """Rules with a body atom ``s p o`` for a property p the schema says something about."""
    s, p, o = t
    derive, store = e.derive, e.store
    for q, axiom, rule in prof.supers:
        # RULE prp-spo1, prp-eqp1, prp-eqp2
        derive(s, q, o, rule, (t, axiom))
    for q, axiom, rule in prof.inverses:
        # RULE prp-inv1, prp-inv2
        derive(o, q, s, rule, (t, axiom))
    if prof.symmetric:
        # RULE prp-symp
        derive(o, p, s, "prp-symp", (t, (p, TYPE, SYMMETRIC)))
    if prof.transitive:
        # RULE prp-trp, with t as either premise
        for z in tuple(store.objects(o, p)):
            derive(s, p, z, "prp-trp", (t, (o, p, z), (p, TYPE, TRANSITIVE)))
        for x in tuple(store.subjects(p, s)):
            derive(x, p, o, "prp-trp", ((x, p, s), t, (p, TYPE, TRANSITIVE)))
    if prof.functional:
        # RULE prp-fp
        for y in tuple(store.objects(s, p)):
            if y != o:
                derive(o, SAME_AS, y, "prp-fp", (t, (s, p, y), (p, TYPE, FUNCTIONAL)))
                derive(y, SAME_AS, o, "prp-fp", ((s, p, y), t, (p, TYPE, FUNCTIONAL)))
    if prof.inverse_functional:
        # RULE prp-ifp
        for x in tuple(store.subjects(p, o)):
            if x != s:
                derive(s, SAME_AS, x, "prp-ifp", (t, (x, p, o), (p, TYPE, INVERSE_FUNCTIONAL)))
                derive(x, SAME_AS, s, "prp-ifp", ((x, p, o), t, (p, TYPE, INVERSE_FUNCTIONAL)))
    for c in prof.domains:
        # RULE prp-dom
        derive(s, TYPE, c, "prp-dom", (t, (p, DOMAIN, c)))
    for c in prof.ranges:
        # RULE prp-rng
        derive(o, TYPE, c, "prp-rng", (t, (p, RANGE, c)))
    if prof.has_value:
        # RULE cls-hv2
        for r in prof.has_value.get(o, ()):
            derive(s, TYPE, r, "cls-hv2", (t, (r, HAS_VALUE, o), (r, ON_PROPERTY, p)))
    for r, y in prof.some_values:
        # RULE cls-svf1, cls-svf2 (a filler of owl:Thing needs no type)
        if y == THING:
            derive(s, TYPE, r, "cls-svf2", (t, (r, SOME_VALUES_FROM, y), (r, ON_PROPERTY, p)))
        elif y in store.objects(o, TYPE):
            derive(s, TYPE, r, "cls-svf1",
                   (t, (o, TYPE, y), (r, SOME_VALUES_FROM, y), (r, ON_PROPERTY, p)))
    for r, y in prof.all_values:
        # RULE cls-avf, with t as the value
        if r in store.objects(s, TYPE):
            derive(o, TYPE, y, "cls-avf",
                   ((s, TYPE, r), t, (r, ALL_VALUES_FROM, y), (r, ON_PROPERTY, p)))
    for r, one in prof.max_one:
        # RULE cls-maxc2, with t as either value
        if r in store.objects(s, TYPE):
            for y in tuple(store.objects(s, p)):
                if y != o:
                    premises: tuple[Triple, ...] = (one, (r, ON_PROPERTY, p), (s, TYPE, r), t,
                                                    (s, p, y))
                    derive(o, SAME_AS, y, "cls-maxc2", premises)
                    derive(y, SAME_AS, o, "cls-maxc2", premises)
    for r, c, one in prof.max_one_qualified:
        # RULE cls-maxqc3, cls-maxqc4, with t as either value
        if r in store.objects(s, TYPE) and (c == THING or c in store.objects(o, TYPE)):
            for y in tuple(store.objects(s, p)):
                if y != o and (c == THING or c in store.objects(y, TYPE)):
                    premises = (one, (r, ON_PROPERTY, p), (r, ON_CLASS, c), (s, TYPE, r), t,
                                (s, p, y))
                    rule = "cls-maxqc4" if c == THING else "cls-maxqc3"
                    derive(o, SAME_AS, y, rule, premises)
                    derive(y, SAME_AS, o, rule, premises)
    for head, chain, position, axiom in prof.chains:
        # RULE prp-spo2, with t at one position of the chain
        chain_join(e, head, chain, position, t, axiom)
    for c, key, axiom in prof.keys:
        # RULE prp-key, with t as one key value
        if c in store.objects(s, TYPE):
            key_matches(e, s, c, key, axiom)


def class_rules(e: Deriver, t: Triple, prof: ClassProfile) -> None:
    """Rules with a body atom ``x rdf:type c`` for a class c the schema says something about."""
    x, _, c = t
    derive, store = e.derive, e.store
    for d, axiom in prof.intersection_parts:
        # RULE cls-int2
        derive(x, TYPE, d, "cls-int2", (t, axiom))
    for u, axiom in prof.unions:
        # RULE cls-uni
        derive(x, TYPE, u, "cls-uni", (t, axiom))
    # (cls-int2 and cls-uni before cax-sco: scm-int and scm-uni make the same types follow
    # by cax-sco too, and an explanation names the more specific rule)
    for d, axiom, rule in prof.supers:
        # RULE cax-sco, cax-eqc1, cax-eqc2
        derive(x, TYPE, d, rule, (t, axiom))
    for p, v in prof.has_value:
        # RULE cls-hv1
        derive(x, p, v, "cls-hv1", (t, (c, HAS_VALUE, v), (c, ON_PROPERTY, p)))
    for p, y in prof.all_values:
        # RULE cls-avf, with t as the restriction's member
        for v in tuple(store.objects(x, p)):
            derive(v, TYPE, y, "cls-avf",
                   (t, (x, p, v), (c, ALL_VALUES_FROM, y), (c, ON_PROPERTY, p)))
    if prof.intersections:
        types = store.objects(x, TYPE)
        for i, members, axiom in prof.intersections:
            # RULE cls-int1
            if all(m in types for m in members):
                derive(x, TYPE, i, "cls-int1", (*((x, TYPE, m) for m in members), axiom))
    for r, p in prof.filler_of:
        # RULE cls-svf1, with t as the value's type
        for u in tuple(store.subjects(p, x)):
            derive(u, TYPE, r, "cls-svf1",
                   ((u, p, x), t, (r, SOME_VALUES_FROM, c), (r, ON_PROPERTY, p)))
    for p, one in prof.max_one:
        # RULE cls-maxc2, with t as the subject's type
        values = tuple(store.objects(x, p))
        for y1 in values:
            for y2 in values:
                if y1 != y2:
                    derive(y1, SAME_AS, y2, "cls-maxc2",
                           (one, (c, ON_PROPERTY, p), t, (x, p, y1), (x, p, y2)))
    for p, k, one in prof.max_one_qualified:
        # RULE cls-maxqc3, cls-maxqc4, with t as the subject's type
        values = tuple(y for y in store.objects(x, p) if k == THING or k in store.objects(y, TYPE))
        for y1 in values:
            for y2 in values:
                if y1 != y2:
                    derive(y1, SAME_AS, y2, "cls-maxqc4" if k == THING else "cls-maxqc3",
                           (one, (c, ON_PROPERTY, p), (c, ON_CLASS, k), t, (x, p, y1),
                            (x, p, y2)))
    for r, p, one in prof.on_class_of:
        # RULE cls-maxqc3, with t as a value's type
        for u in tuple(store.subjects(p, x)):
            if r in store.objects(u, TYPE):
                for y in tuple(store.objects(u, p)):
                    if y != x and c in store.objects(y, TYPE):
                        premises = (one, (r, ON_PROPERTY, p), (r, ON_CLASS, c), (u, TYPE, r),
                                    (u, p, x), (u, p, y))
                        derive(x, SAME_AS, y, "cls-maxqc3", premises)
                        derive(y, SAME_AS, x, "cls-maxqc3", premises)
    for key, axiom in prof.keys:
        # RULE prp-key, with t as the type
        key_matches(e, x, c, key, axiom)


def chain_join(e: Deriver, head: int, chain: tuple[int, ...], position: int, t: Triple,
               axiom: Triple) -> None:
    """prp-spo2 for t at chain[position]: walk left to the chain's start and right to its end
    (keeping one path per node, for the explanation) and link every start to every end."""
    store = e.store
    s, _, o = t
    starts: dict[int, tuple[Triple, ...]] = {s: (t,)}
    for q in reversed(chain[:position]):
        starts = {x: ((x, q, y), *path) for y, path in starts.items() for x in store.subjects(q, y)}
        if not starts:
            return
    ends: dict[int, tuple[Triple, ...]] = {o: ()}
    for q in chain[position + 1:]:
        ends = {z: (*path, (y, q, z)) for y, path in ends.items() for z in store.objects(y, q)}
        if not ends:
            return
    for start, left in starts.items():
        for end, right in ends.items():
            e.derive(start, head, end, "prp-spo2", (axiom, *left, *right))


def key_matches(e: Deriver, x: int, c: int, key: tuple[int, ...], axiom: Triple) -> None:
    """prp-key for x, an instance of c: every other instance with the same key values.

    The W3C rule compares every key property; owlrl 7 compares all but the last one (and so
    makes every two instances of a class with a one-property key the same), which is a bug
    this engine does not copy."""
    store = e.store
    if not key:
        return
    first, rest = key[0], key[1:]
    for z in tuple(store.objects(x, first)):
        for y in tuple(store.subjects(first, z)):
            if y == x or c not in store.objects(y, TYPE):
                continue
            if all(store.objects(x, q) & store.objects(y, q) for q in rest):
                premises = (axiom, (x, TYPE, c), (y, TYPE, c), (x, first, z), (y, first, z))
                e.derive(x, SAME_AS, y, "prp-key", premises)
                e.derive(y, SAME_AS, x, "prp-key", premises)


def same_as_rules(e: Deriver, t: Triple) -> None:
    """The equality rules with ``x owl:sameAs y`` as the new triple."""
    x, _, y = t
    if x == y:
        return  # eq-ref's triples add nothing to the rules below
    derive, store = e.derive, e.store
    store.index_terms()
    # RULE eq-sym
    derive(y, SAME_AS, x, "eq-sym", (t,))
    # RULE eq-trans, with t as either premise
    for z in tuple(store.objects(y, SAME_AS)):
        derive(x, SAME_AS, z, "eq-trans", (t, (y, SAME_AS, z)))
    for w in tuple(store.subjects(SAME_AS, x)):
        derive(w, SAME_AS, y, "eq-trans", ((w, SAME_AS, x), t))
    # RULE eq-rep-s
    for u in store.with_subject(x):
        derive(y, u[1], u[2], "eq-rep-s", (t, u))
    # RULE eq-rep-o
    for u in store.with_object(x):
        derive(u[0], u[1], y, "eq-rep-o", (t, u))
    # RULE eq-rep-p
    if not e.terms.is_literal(y):
        for s, o in store.pairs(x):
            derive(s, y, o, "eq-rep-p", (t, (s, x, o)))


def replace_equals(e: Deriver, t: Triple, same: dict[int, set[int]]) -> None:
    """eq-rep-s, eq-rep-p and eq-rep-o with t as the triple whose term is replaced."""
    s, p, o = t
    derive = e.derive
    for s2 in tuple(same.get(s, ())):
        # RULE eq-rep-s
        derive(s2, p, o, "eq-rep-s", ((s, SAME_AS, s2), t))
    for o2 in tuple(same.get(o, ())):
        # RULE eq-rep-o
        derive(s, p, o2, "eq-rep-o", ((o, SAME_AS, o2), t))
    for p2 in tuple(same.get(p, ())):
        # RULE eq-rep-p
        if not e.terms.is_literal(p2):
            derive(s, p2, o, "eq-rep-p", ((p, SAME_AS, p2), t))


def all_same(e: Deriver, found: list[tuple[Triple, int]], rule: str,
              premises: tuple[Triple, ...]) -> None:
    """Each term found (with the triple it was found in) is the same as every other."""
    for premise_a, a in found:
        for premise_b, b in found:
            if a != b:
                e.derive(a, SAME_AS, b, rule, (*premises, premise_a, premise_b))
