"""Rules fired by a new triple about a class expression: restrictions (owl:onProperty,
owl:hasValue, owl:someValuesFrom, owl:allValuesFrom, cardinalities), intersections, unions,
enumerations and keys — from the side of the axiom, and the scm-* rules on restrictions.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.reasoner.compiled import cardinality_one, rdf_list
from kg.reasoner.context import Deriver
from kg.reasoner.data_rules import all_same, chain_join, key_matches
from kg.reasoner.index import Triple
from kg.reasoner.terms import (
    ALL_VALUES_FROM,
    HAS_KEY,
    HAS_VALUE,
    INTERSECTION_OF,
    MAX_CARDINALITY,
    MAX_QUALIFIED_CARDINALITY,
    ON_CLASS,
    ON_PROPERTY,
    ONE_OF,
    PROPERTY_CHAIN,
    SOME_VALUES_FROM,
    SUB_CLASS_OF,
    SUB_PROPERTY_OF,
    THING,
    TYPE,
    UNION_OF,
)

Handler = Callable[[Deriver, Triple], None]
_RESTRICTION_KINDS = (HAS_VALUE, SOME_VALUES_FROM, ALL_VALUES_FROM)


def on_restriction(e: Deriver, t: Triple) -> None:
    """Any triple about a restriction r: the cls-* rules from r's side, and scm-hv/svf/avf."""
    r = t[0]
    derive, store = e.derive, e.store
    members = tuple(store.subjects(TYPE, r))
    for p in tuple(store.objects(r, ON_PROPERTY)):
        on = (r, ON_PROPERTY, p)
        for v in tuple(store.objects(r, HAS_VALUE)):
            for u in members:
                # RULE cls-hv1
                derive(u, p, v, "cls-hv1", ((u, TYPE, r), (r, HAS_VALUE, v), on))
            for u in tuple(store.subjects(p, v)):
                # RULE cls-hv2
                derive(u, TYPE, r, "cls-hv2", ((u, p, v), (r, HAS_VALUE, v), on))
        for y in tuple(store.objects(r, SOME_VALUES_FROM)):
            for u, v in store.pairs(p):
                # RULE cls-svf1, cls-svf2
                if y == THING:
                    derive(u, TYPE, r, "cls-svf2", ((u, p, v), (r, SOME_VALUES_FROM, y), on))
                elif y in store.objects(v, TYPE):
                    derive(u, TYPE, r, "cls-svf1", ((u, p, v), (v, TYPE, y),
                                                    (r, SOME_VALUES_FROM, y), on))
        for y in tuple(store.objects(r, ALL_VALUES_FROM)):
            for u in members:
                for v in tuple(store.objects(u, p)):
                    # RULE cls-avf
                    derive(v, TYPE, y, "cls-avf", ((u, TYPE, r), (u, p, v),
                                                   (r, ALL_VALUES_FROM, y), on))
        one = cardinality_one(store, e.terms, r, MAX_CARDINALITY)
        if one:
            for u in members:
                # RULE cls-maxc2
                all_same(e, [((u, p, y), y) for y in store.objects(u, p)], "cls-maxc2",
                          (one, on, (u, TYPE, r)))
        one = cardinality_one(store, e.terms, r, MAX_QUALIFIED_CARDINALITY)
        if one:
            for k in tuple(store.objects(r, ON_CLASS)):
                for u in members:
                    # RULE cls-maxqc3, cls-maxqc4
                    values = [((u, p, y), y) for y in store.objects(u, p)
                              if k == THING or k in store.objects(y, TYPE)]
                    all_same(e, values, "cls-maxqc4" if k == THING else "cls-maxqc3",
                              (one, on, (r, ON_CLASS, k), (u, TYPE, r)))
    _schema_restrictions(e, r)


def _schema_restrictions(e: Deriver, r: int) -> None:
    """scm-hv, scm-svf1/2 and scm-avf1/2 with r as either restriction."""
    derive, store = e.derive, e.store
    objects, subjects = store.objects, store.subjects
    for kind in _RESTRICTION_KINDS:
        for y in tuple(objects(r, kind)):
            for p in tuple(objects(r, ON_PROPERTY)):
                # same filler, sub-property: scm-hv, scm-svf2, scm-avf2
                for r2 in tuple(subjects(kind, y)):
                    for p2 in tuple(objects(r2, ON_PROPERTY)):
                        for a, pa, b, pb in ((r, p, r2, p2), (r2, p2, r, p)):
                            if pb in objects(pa, SUB_PROPERTY_OF):
                                premises = ((a, kind, y), (a, ON_PROPERTY, pa), (b, kind, y),
                                            (b, ON_PROPERTY, pb), (pa, SUB_PROPERTY_OF, pb))
                                if kind == HAS_VALUE:
                                    derive(a, SUB_CLASS_OF, b, "scm-hv", premises)
                                elif kind == SOME_VALUES_FROM:
                                    derive(a, SUB_CLASS_OF, b, "scm-svf2", premises)
                                else:
                                    derive(b, SUB_CLASS_OF, a, "scm-avf2", premises)
                if kind == HAS_VALUE:
                    continue
                rule = "scm-svf1" if kind == SOME_VALUES_FROM else "scm-avf1"
                # same property, sub-class filler: scm-svf1, scm-avf1 (r first, then r second)
                for y2 in tuple(objects(y, SUB_CLASS_OF)):
                    for r2 in tuple(subjects(kind, y2)):
                        if p in objects(r2, ON_PROPERTY):
                            derive(r, SUB_CLASS_OF, r2, rule, ((r, kind, y), (r, ON_PROPERTY, p),
                                                               (r2, kind, y2), (r2, ON_PROPERTY, p),
                                                               (y, SUB_CLASS_OF, y2)))
                for y0 in tuple(subjects(SUB_CLASS_OF, y)):
                    for r0 in tuple(subjects(kind, y0)):
                        if p in objects(r0, ON_PROPERTY):
                            derive(r0, SUB_CLASS_OF, r, rule, ((r0, kind, y0), (r0, ON_PROPERTY, p),
                                                               (r, kind, y), (r, ON_PROPERTY, p),
                                                               (y0, SUB_CLASS_OF, y)))


def on_property_chain(e: Deriver, t: Triple) -> None:
    head, _, chain_list = t
    chain = tuple(rdf_list(e.store, chain_list))
    if chain and not e.terms.is_literal(head):
        for x, y in e.store.pairs(chain[0]):
            # RULE prp-spo2
            chain_join(e, head, chain, 0, (x, chain[0], y), t)


def on_intersection_of(e: Deriver, t: Triple) -> None:
    c, _, x = t
    derive, store = e.derive, e.store
    members = rdf_list(store, x)
    for m in members:
        # RULE scm-int
        derive(c, SUB_CLASS_OF, m, "scm-int", (t,))
    if members:
        for y in tuple(store.subjects(TYPE, members[0])):
            types = store.objects(y, TYPE)
            # RULE cls-int1
            if all(m in types for m in members[1:]):
                derive(y, TYPE, c, "cls-int1", (*((y, TYPE, m) for m in members), t))
    for y in tuple(store.subjects(TYPE, c)):
        for m in members:
            # RULE cls-int2
            derive(y, TYPE, m, "cls-int2", ((y, TYPE, c), t))


def on_union_of(e: Deriver, t: Triple) -> None:
    c, _, x = t
    derive, store = e.derive, e.store
    for m in rdf_list(store, x):
        # RULE scm-uni
        derive(m, SUB_CLASS_OF, c, "scm-uni", (t,))
        for y in tuple(store.subjects(TYPE, m)):
            # RULE cls-uni
            derive(y, TYPE, c, "cls-uni", ((y, TYPE, m), t))


def on_one_of(e: Deriver, t: Triple) -> None:
    c, _, x = t
    for y in rdf_list(e.store, x):
        # RULE cls-oo
        e.derive(y, TYPE, c, "cls-oo", (t,))


def on_has_key(e: Deriver, t: Triple) -> None:
    c, _, x = t
    key = tuple(rdf_list(e.store, x))
    for y in tuple(e.store.subjects(TYPE, c)):
        # RULE prp-key
        key_matches(e, y, c, key, t)


LIST_AXIOMS: dict[int, Handler] = {
    INTERSECTION_OF: on_intersection_of, UNION_OF: on_union_of, ONE_OF: on_one_of,
    HAS_KEY: on_has_key, PROPERTY_CHAIN: on_property_chain,
}


def on_list(e: Deriver, t: Triple) -> None:
    """A list cell derived during the closure (input lists are read by the axioms' own triggers)
    can change any list-valued axiom: evaluate them all again."""
    if t in e.input_lists:
        return
    for p, handler in LIST_AXIOMS.items():
        for s, o in e.store.pairs(p):
            handler(e, (s, p, o))
