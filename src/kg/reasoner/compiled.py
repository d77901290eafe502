"""What the closed schema says about one property or one class, compiled once.

A data triple ``s p o`` needs to know p's super-properties, inverses, characteristics, domains,
ranges, the restrictions on p and the chains and keys p takes part in; a type triple
``x rdf:type c`` needs c's superclasses, the restrictions c is and the intersections and unions
c belongs to. Looking these up in the store for every data triple would repeat the same dozen
look-ups; the engine compiles them per term and throws the compiled profiles away whenever a
schema triple is added, so a profile always says what the store says.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal

from kg.reasoner.index import Triple, TripleStore
from kg.reasoner.terms import (
    ALL_VALUES_FROM,
    DOMAIN,
    EQUIVALENT_CLASS,
    EQUIVALENT_PROPERTY,
    FIRST,
    FUNCTIONAL,
    HAS_KEY,
    HAS_VALUE,
    INTERSECTION_OF,
    INVERSE_FUNCTIONAL,
    INVERSE_OF,
    MAX_CARDINALITY,
    MAX_QUALIFIED_CARDINALITY,
    ON_CLASS,
    ON_PROPERTY,
    PROPERTY_CHAIN,
    RANGE,
    REST,
    SOME_VALUES_FROM,
    SUB_CLASS_OF,
    SUB_PROPERTY_OF,
    SYMMETRIC,
    TRANSITIVE,
    TYPE,
    UNION_OF,
    TermDictionary,
)


@dataclass(frozen=True, slots=True)
class PropertyProfile:
    # Each derived term comes with the schema triples that license it (for explanations).
    supers: tuple[tuple[int, Triple, str], ...]  # prp-spo1, prp-eqp1, prp-eqp2: (q, axiom, rule)
    inverses: tuple[tuple[int, Triple, str], ...]  # prp-inv1, prp-inv2
    symmetric: bool  # prp-symp
    transitive: bool  # prp-trp
    functional: bool  # prp-fp
    inverse_functional: bool  # prp-ifp
    domains: tuple[int, ...]  # prp-dom
    ranges: tuple[int, ...]  # prp-rng
    has_value: dict[int, tuple[int, ...]]  # cls-hv2: value → restrictions
    some_values: tuple[tuple[int, int], ...]  # cls-svf1/2: (restriction, filler)
    all_values: tuple[tuple[int, int], ...]  # cls-avf: (restriction, filler)
    max_one: tuple[tuple[int, Triple], ...]  # cls-maxc2: (restriction, its cardinality triple)
    max_one_qualified: tuple[tuple[int, int, Triple], ...]  # cls-maxqc3/4: (restriction, class, …)
    # prp-spo2: (head, chain, position of the property, axiom)
    chains: tuple[tuple[int, tuple[int, ...], int, Triple], ...]
    keys: tuple[tuple[int, tuple[int, ...], Triple], ...]  # prp-key: (class, properties, axiom)


@dataclass(frozen=True, slots=True)
class ClassProfile:
    supers: tuple[tuple[int, Triple, str], ...]  # cax-sco, cax-eqc1, cax-eqc2
    has_value: tuple[tuple[int, int], ...]  # cls-hv1: (property, value)
    all_values: tuple[tuple[int, int], ...]  # cls-avf: (property, filler)
    intersection_parts: tuple[tuple[int, Triple], ...]  # cls-int2
    intersections: tuple[tuple[int, tuple[int, ...], Triple], ...]  # cls-int1: (class, members, …)
    unions: tuple[tuple[int, Triple], ...]  # cls-uni
    filler_of: tuple[tuple[int, int], ...]  # cls-svf1: (restriction, property)
    max_one: tuple[tuple[int, Triple], ...]  # cls-maxc2: (property, cardinality triple)
    max_one_qualified: tuple[tuple[int, int, Triple], ...]  # cls-maxqc3/4: (property, class, …)
    on_class_of: tuple[tuple[int, int, Triple], ...]  # cls-maxqc3: (restriction, property, …)
    keys: tuple[tuple[tuple[int, ...], Triple], ...]  # prp-key: (properties, axiom)


def rdf_list(store: TripleStore, head: int) -> list[int]:
    """The members of an rdf:List, as rdflib's Graph.items reads them (owlrl does)."""
    members: list[int] = []
    seen = {head}
    node: int | None = head
    while node is not None:
        first = store.first_object(node, FIRST)
        if first is not None:
            members.append(first)
        node = store.first_object(node, REST)
        if node in seen:
            break
        if node is not None:
            seen.add(node)
    return members


def cardinality_one(store: TripleStore, terms: TermDictionary, r: int,
                    p: int) -> Triple | None:
    """``r p 1`` (p a max cardinality property) if r has it: owlrl compares the literal's value."""
    for n in store.objects(r, p):
        term = terms.decode(n)
        if isinstance(term, Literal) and term.value == 1:
            return (r, p, n)
    return None


Found = tuple[int, Triple, str]  # a term, the axiom that makes it follow, the rule


def _first_seen(found: list[Found], exclude: int) -> tuple[Found, ...]:
    kept: dict[int, Found] = {}
    for item in found:
        if item[0] != exclude:
            kept.setdefault(item[0], item)
    return tuple(kept.values())


def _minimal(store: TripleStore, found: tuple[Found, ...] | list[Found], order: int,
             owner: int | None = None) -> tuple[Found, ...]:
    """Drop each term that another one found lies strictly under (by order, rdfs:subClassOf or
    rdfs:subPropertyOf): deriving the lower one derives it too, when the lower one's own
    profile fires. Most derivations are repeats, and most repeats come from closed hierarchies
    (every domain's superclasses are domains too, up to owl:Thing).

    For the supers of an owner (a class or property), a term equivalent to the owner is no
    delegate: its profile may delegate back, and the triple it fires on may be done already.
    Delegating only strictly upwards ends at a profile that derives the term itself."""
    if len(found) < 2:
        return tuple(found)
    terms = {item[0] for item in found}
    if owner is not None:
        terms -= set(store.subjects(order, owner))
    kept = []
    for item in found:
        term = item[0]
        below = store.subjects(order, term)
        if not any(other != term and other in below and term not in store.subjects(order, other)
                   for other in terms):
            kept.append(item)
    return tuple(kept)


def compile_property(store: TripleStore, terms: TermDictionary, p: int) -> PropertyProfile | None:
    """p's profile, or None when no data rule fires on p."""
    objects, subjects = store.objects, store.subjects
    literal = terms.is_literal
    # The most specific rule first: the one named in an explanation.
    supers = _first_seen(
        [(q, (p, EQUIVALENT_PROPERTY, q), "prp-eqp1") for q in objects(p, EQUIVALENT_PROPERTY)]
        + [(q, (q, EQUIVALENT_PROPERTY, p), "prp-eqp2")
           for q in subjects(EQUIVALENT_PROPERTY, p)]
        + [(q, (p, SUB_PROPERTY_OF, q), "prp-spo1") for q in objects(p, SUB_PROPERTY_OF)], p)
    inverses = _first_seen(
        [(q, (p, INVERSE_OF, q), "prp-inv1") for q in objects(p, INVERSE_OF)]
        + [(q, (q, INVERSE_OF, p), "prp-inv2") for q in subjects(INVERSE_OF, p)], -1)
    types = objects(p, TYPE)
    has_value: dict[int, list[int]] = {}
    some: list[tuple[int, int]] = []
    every: list[tuple[int, int]] = []
    max_one: list[tuple[int, Triple]] = []
    max_one_qualified: list[tuple[int, int, Triple]] = []
    for r in subjects(ON_PROPERTY, p):
        for v in objects(r, HAS_VALUE):
            has_value.setdefault(v, []).append(r)
        some += [(r, y) for y in objects(r, SOME_VALUES_FROM)]
        every += [(r, y) for y in objects(r, ALL_VALUES_FROM)]
        one = cardinality_one(store, terms, r, MAX_CARDINALITY)
        if one:
            max_one.append((r, one))
        one = cardinality_one(store, terms, r, MAX_QUALIFIED_CARDINALITY)
        if one:
            max_one_qualified += [(r, c, one) for c in objects(r, ON_CLASS)]
    chains = []
    for head, chain_list in store.pairs(PROPERTY_CHAIN):
        if literal(head):
            continue
        chain = tuple(rdf_list(store, chain_list))
        axiom = (head, PROPERTY_CHAIN, chain_list)
        chains += [(head, chain, i, axiom) for i, q in enumerate(chain) if q == p]
    keys = []
    for c, key_list in store.pairs(HAS_KEY):
        key = tuple(rdf_list(store, key_list))
        if p in key:
            keys.append((c, key, (c, HAS_KEY, key_list)))
    profile = PropertyProfile(
        _minimal(store, [s for s in supers if not literal(s[0])], SUB_PROPERTY_OF, p),
        tuple(i for i in inverses if not literal(i[0])),
        SYMMETRIC in types, TRANSITIVE in types, FUNCTIONAL in types, INVERSE_FUNCTIONAL in types,
        tuple(d[0] for d in _minimal(store, [(c, (p, DOMAIN, c), "") for c in objects(p, DOMAIN)],
                                     SUB_CLASS_OF)),
        tuple(r[0] for r in _minimal(store, [(c, (p, RANGE, c), "") for c in objects(p, RANGE)],
                                     SUB_CLASS_OF)),
        {v: tuple(rs) for v, rs in has_value.items()}, tuple(some), tuple(every), tuple(max_one),
        tuple(max_one_qualified), tuple(chains), tuple(keys))
    return profile if profile != _EMPTY_PROPERTY else None


def compile_class(store: TripleStore, terms: TermDictionary, c: int) -> ClassProfile | None:
    """c's profile, or None when no data rule fires on instances of c."""
    objects, subjects = store.objects, store.subjects
    supers = _first_seen(
        [(d, (c, EQUIVALENT_CLASS, d), "cax-eqc1") for d in objects(c, EQUIVALENT_CLASS)]
        + [(d, (d, EQUIVALENT_CLASS, c), "cax-eqc2") for d in subjects(EQUIVALENT_CLASS, c)]
        + [(d, (c, SUB_CLASS_OF, d), "cax-sco") for d in objects(c, SUB_CLASS_OF)], c)
    on = objects(c, ON_PROPERTY)
    has_value = tuple((q, v) for q in on if not terms.is_literal(q) for v in objects(c, HAS_VALUE))
    all_values = tuple((q, y) for q in on for y in objects(c, ALL_VALUES_FROM))
    parts = tuple(dict.fromkeys((m, (c, INTERSECTION_OF, x)) for x in objects(c, INTERSECTION_OF)
                                for m in rdf_list(store, x)))
    intersections = []
    for i, x in store.pairs(INTERSECTION_OF):
        members = tuple(rdf_list(store, x))
        if c in members:
            intersections.append((i, members, (i, INTERSECTION_OF, x)))
    unions = tuple(dict.fromkeys((u, (u, UNION_OF, x)) for u, x in store.pairs(UNION_OF)
                                 if c in rdf_list(store, x)))
    filler_of = tuple((r, q) for r in subjects(SOME_VALUES_FROM, c)
                      for q in objects(r, ON_PROPERTY))
    one = cardinality_one(store, terms, c, MAX_CARDINALITY)
    max_one = tuple((q, one) for q in on) if one else ()
    one = cardinality_one(store, terms, c, MAX_QUALIFIED_CARDINALITY)
    max_one_qualified = tuple((q, k, one) for q in on for k in objects(c, ON_CLASS)) if one else ()
    on_class_of = []
    for r in subjects(ON_CLASS, c):
        one = cardinality_one(store, terms, r, MAX_QUALIFIED_CARDINALITY)
        if one:
            on_class_of += [(r, q, one) for q in objects(r, ON_PROPERTY)]
    keys = tuple((tuple(rdf_list(store, x)), (c, HAS_KEY, x)) for x in objects(c, HAS_KEY))
    profile = ClassProfile(_minimal(store, supers, SUB_CLASS_OF, c), has_value, all_values, parts,
                           tuple(intersections), unions, filler_of, max_one, max_one_qualified,
                           tuple(on_class_of), keys)
    return profile if profile != _EMPTY_CLASS else None


_EMPTY_PROPERTY = PropertyProfile((), (), False, False, False, False, (), (), {}, (), (), (), (),
                                  (), ())
_EMPTY_CLASS = ClassProfile((), (), (), (), (), (), (), (), (), (), ())
