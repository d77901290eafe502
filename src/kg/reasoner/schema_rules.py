"""Rules fired by a new schema triple: the scm-* rules, and every data rule from the side of
its schema premise (a new ``c1 rdfs:subClassOf c2`` types all of c1's instances at once).

The conditions that look redundant (``c1 != c3`` in scm-sco, no scm-eqp2 for a property and
itself …) are owlrl's: they decide which reflexive schema triples the closure holds, and the
closure must equal owlrl's triple for triple.
"""

from __future__ import annotations

from kg.reasoner.class_rules import LIST_AXIOMS, Handler, on_list, on_restriction
from kg.reasoner.context import Deriver
from kg.reasoner.data_rules import all_same, same_as_rules
from kg.reasoner.index import Triple
from kg.reasoner.terms import (
    ALL_VALUES_FROM,
    DATATYPE_PROPERTY,
    DOMAIN,
    EQUIVALENT_CLASS,
    EQUIVALENT_PROPERTY,
    FIRST,
    FUNCTIONAL,
    HAS_VALUE,
    INVERSE_FUNCTIONAL,
    INVERSE_OF,
    MAX_CARDINALITY,
    MAX_QUALIFIED_CARDINALITY,
    NOTHING,
    OBJECT_PROPERTY,
    ON_CLASS,
    ON_PROPERTY,
    OWL_CLASS,
    RANGE,
    RDF_PROPERTY,
    REST,
    SAME_AS,
    SOME_VALUES_FROM,
    SUB_CLASS_OF,
    SUB_PROPERTY_OF,
    SYMMETRIC,
    THING,
    TRANSITIVE,
    TYPE,
)


def on_sub_class_of(e: Deriver, t: Triple) -> None:
    c1, _, c2 = t
    derive, store = e.derive, e.store
    if c1 != c2:
        for x in tuple(store.subjects(TYPE, c1)):
            # RULE cax-sco
            derive(x, TYPE, c2, "cax-sco", ((x, TYPE, c1), t))
        for c3 in tuple(store.objects(c2, SUB_CLASS_OF)):
            # RULE scm-sco, t first
            if c3 != c1:
                derive(c1, SUB_CLASS_OF, c3, "scm-sco", (t, (c2, SUB_CLASS_OF, c3)))
        for p in tuple(store.subjects(DOMAIN, c1)):
            # RULE scm-dom1
            derive(p, DOMAIN, c2, "scm-dom1", ((p, DOMAIN, c1), t))
        for p in tuple(store.subjects(RANGE, c1)):
            # RULE scm-rng1
            derive(p, RANGE, c2, "scm-rng1", ((p, RANGE, c1), t))
    for c0 in tuple(store.subjects(SUB_CLASS_OF, c1)):
        # RULE scm-sco, t second
        if c0 != c1 and c0 != c2:
            derive(c0, SUB_CLASS_OF, c2, "scm-sco", ((c0, SUB_CLASS_OF, c1), t))
    if c1 in store.objects(c2, SUB_CLASS_OF):
        # RULE scm-eqc2
        derive(c1, EQUIVALENT_CLASS, c2, "scm-eqc2", (t, (c2, SUB_CLASS_OF, c1)))
        derive(c2, EQUIVALENT_CLASS, c1, "scm-eqc2", ((c2, SUB_CLASS_OF, c1), t))
    for kind, rule in ((SOME_VALUES_FROM, "scm-svf1"), (ALL_VALUES_FROM, "scm-avf1")):
        # RULE scm-svf1, scm-avf1, t between the fillers
        for r1 in tuple(store.subjects(kind, c1)):
            for p in store.objects(r1, ON_PROPERTY):
                for r2 in tuple(store.subjects(kind, c2)):
                    if p in store.objects(r2, ON_PROPERTY):
                        derive(r1, SUB_CLASS_OF, r2, rule, ((r1, kind, c1), (r1, ON_PROPERTY, p),
                                                           (r2, kind, c2), (r2, ON_PROPERTY, p), t))


def on_sub_property_of(e: Deriver, t: Triple) -> None:
    p1, _, p2 = t
    derive, store = e.derive, e.store
    if p1 != p2:
        for x, y in store.pairs(p1):
            # RULE prp-spo1
            derive(x, p2, y, "prp-spo1", ((x, p1, y), t))
        for p3 in tuple(store.objects(p2, SUB_PROPERTY_OF)):
            # RULE scm-spo, t first
            if p3 != p1:
                derive(p1, SUB_PROPERTY_OF, p3, "scm-spo", (t, (p2, SUB_PROPERTY_OF, p3)))
        if p1 in store.objects(p2, SUB_PROPERTY_OF):
            # RULE scm-eqp2
            derive(p1, EQUIVALENT_PROPERTY, p2, "scm-eqp2", (t, (p2, SUB_PROPERTY_OF, p1)))
            derive(p2, EQUIVALENT_PROPERTY, p1, "scm-eqp2", ((p2, SUB_PROPERTY_OF, p1), t))
        for c in tuple(store.objects(p2, DOMAIN)):
            # RULE scm-dom2
            derive(p1, DOMAIN, c, "scm-dom2", ((p2, DOMAIN, c), t))
        for c in tuple(store.objects(p2, RANGE)):
            # RULE scm-rng2
            derive(p1, RANGE, c, "scm-rng2", ((p2, RANGE, c), t))
    for p0 in tuple(store.subjects(SUB_PROPERTY_OF, p1)):
        # RULE scm-spo, t second
        if p0 != p1 and p0 != p2:
            derive(p0, SUB_PROPERTY_OF, p2, "scm-spo", ((p0, SUB_PROPERTY_OF, p1), t))
    for kind, rule in ((HAS_VALUE, "scm-hv"), (SOME_VALUES_FROM, "scm-svf2"),
                       (ALL_VALUES_FROM, "scm-avf2")):
        # RULE scm-hv, scm-svf2, scm-avf2, t between the restrictions' properties
        for r1 in tuple(store.subjects(ON_PROPERTY, p1)):
            for y in tuple(store.objects(r1, kind)):
                for r2 in tuple(store.subjects(kind, y)):
                    if p2 in store.objects(r2, ON_PROPERTY):
                        premises = ((r1, kind, y), (r1, ON_PROPERTY, p1), (r2, kind, y),
                                    (r2, ON_PROPERTY, p2), t)
                        if kind == ALL_VALUES_FROM:
                            derive(r2, SUB_CLASS_OF, r1, rule, premises)
                        else:
                            derive(r1, SUB_CLASS_OF, r2, rule, premises)


def on_equivalent_class(e: Deriver, t: Triple) -> None:
    c1, _, c2 = t
    if c1 == c2:
        return
    derive, store = e.derive, e.store
    for x in tuple(store.subjects(TYPE, c1)):
        # RULE cax-eqc1
        derive(x, TYPE, c2, "cax-eqc1", ((x, TYPE, c1), t))
    for x in tuple(store.subjects(TYPE, c2)):
        # RULE cax-eqc2
        derive(x, TYPE, c1, "cax-eqc2", ((x, TYPE, c2), t))
    # RULE scm-eqc1
    derive(c1, SUB_CLASS_OF, c2, "scm-eqc1", (t,))
    derive(c2, SUB_CLASS_OF, c1, "scm-eqc1", (t,))


def on_equivalent_property(e: Deriver, t: Triple) -> None:
    p1, _, p2 = t
    if p1 == p2:
        return
    derive, store = e.derive, e.store
    for x, y in store.pairs(p1):
        # RULE prp-eqp1
        derive(x, p2, y, "prp-eqp1", ((x, p1, y), t))
    for x, y in store.pairs(p2):
        # RULE prp-eqp2
        derive(x, p1, y, "prp-eqp2", ((x, p2, y), t))
    # RULE scm-eqp1
    derive(p1, SUB_PROPERTY_OF, p2, "scm-eqp1", (t,))
    derive(p2, SUB_PROPERTY_OF, p1, "scm-eqp1", (t,))


def on_domain(e: Deriver, t: Triple) -> None:
    p, _, c = t
    for x, objects in list(e.store.sp.get(p, {}).items()):
        # RULE prp-dom
        e.derive(x, TYPE, c, "prp-dom", ((x, p, next(iter(objects))), t))
    _widen_declaration(e, t, DOMAIN, "scm-dom1", "scm-dom2")


def on_range(e: Deriver, t: Triple) -> None:
    p, _, c = t
    for y, subjects in list(e.store.po.get(p, {}).items()):
        # RULE prp-rng
        e.derive(y, TYPE, c, "prp-rng", ((next(iter(subjects)), p, y), t))
    _widen_declaration(e, t, RANGE, "scm-rng1", "scm-rng2")


def _widen_declaration(e: Deriver, t: Triple, declared: int, to_super_class: str,
                       to_sub_property: str) -> None:
    """scm-dom1/2 and scm-rng1/2, alike but for the declaring property: a domain (range) holds
    for every super-class of its class, and for every sub-property of its property."""
    p, _, c = t
    derive, store = e.derive, e.store
    for c2 in tuple(store.objects(c, SUB_CLASS_OF)):
        # RULE scm-dom1, scm-rng1
        if c2 != c:
            derive(p, declared, c2, to_super_class, (t, (c, SUB_CLASS_OF, c2)))
    for p1 in tuple(store.subjects(SUB_PROPERTY_OF, p)):
        # RULE scm-dom2, scm-rng2
        if p1 != p:
            derive(p1, declared, c, to_sub_property, (t, (p1, SUB_PROPERTY_OF, p)))


def on_inverse_of(e: Deriver, t: Triple) -> None:
    p1, _, p2 = t
    derive, store = e.derive, e.store
    for x, y in store.pairs(p1):
        # RULE prp-inv1
        derive(y, p2, x, "prp-inv1", ((x, p1, y), t))
    for x, y in store.pairs(p2):
        # RULE prp-inv2
        derive(y, p1, x, "prp-inv2", ((x, p2, y), t))


def on_type(e: Deriver, t: Triple) -> None:
    """rdf:type triples whose object is a meta-class (owl:Class, owl:TransitiveProperty …)."""
    s, _, o = t
    derive, store = e.derive, e.store
    if o == OWL_CLASS:
        # RULE scm-cls
        derive(s, SUB_CLASS_OF, s, "scm-cls", (t,))
        derive(s, EQUIVALENT_CLASS, s, "scm-cls", (t,))
        derive(s, SUB_CLASS_OF, THING, "scm-cls", (t,))
        derive(NOTHING, SUB_CLASS_OF, s, "scm-cls", (t,))
    elif o in (OBJECT_PROPERTY, DATATYPE_PROPERTY, RDF_PROPERTY):
        # RULE scm-op, scm-dp (owlrl extends them to rdf:Property)
        rule = "scm-dp" if o == DATATYPE_PROPERTY else "scm-op"
        derive(s, SUB_PROPERTY_OF, s, rule, (t,))
        derive(s, EQUIVALENT_PROPERTY, s, rule, (t,))
    elif o == SYMMETRIC:
        for x, y in store.pairs(s):
            # RULE prp-symp
            derive(y, s, x, "prp-symp", ((x, s, y), t))
    elif o == TRANSITIVE:
        for x, y in store.pairs(s):
            for z in tuple(store.objects(y, s)):
                # RULE prp-trp
                derive(x, s, z, "prp-trp", ((x, s, y), (y, s, z), t))
    elif o == FUNCTIONAL:
        for x, values in list(store.sp.get(s, {}).items()):
            # RULE prp-fp
            all_same(e, [((x, s, y), y) for y in values], "prp-fp", (t,))
    elif o == INVERSE_FUNCTIONAL:
        for y, subjects in list(store.po.get(s, {}).items()):
            # RULE prp-ifp
            all_same(e, [((x, s, y), x) for x in subjects], "prp-ifp", (t,))


# Which rules a new triple fires besides its property's and class's profiles, by predicate
# (and, for rdf:type, by object).
HANDLERS: dict[int, Handler] = {
    SUB_CLASS_OF: on_sub_class_of, SUB_PROPERTY_OF: on_sub_property_of,
    EQUIVALENT_CLASS: on_equivalent_class, EQUIVALENT_PROPERTY: on_equivalent_property,
    DOMAIN: on_domain, RANGE: on_range, INVERSE_OF: on_inverse_of, SAME_AS: same_as_rules,
    ON_PROPERTY: on_restriction, HAS_VALUE: on_restriction, SOME_VALUES_FROM: on_restriction,
    ALL_VALUES_FROM: on_restriction, MAX_CARDINALITY: on_restriction,
    MAX_QUALIFIED_CARDINALITY: on_restriction, ON_CLASS: on_restriction,
    FIRST: on_list, REST: on_list, **LIST_AXIOMS,
}
META_HANDLERS: dict[int, Handler] = {
    o: on_type for o in (OWL_CLASS, OBJECT_PROPERTY, DATATYPE_PROPERTY, RDF_PROPERTY, SYMMETRIC,
                         TRANSITIVE, FUNCTIONAL, INVERSE_FUNCTIONAL)
}
