"""The native engine computes owlrl's closure, triple for triple after the noise filter.

On the built dataset's stated graphs, on one LUBM department, and on small random graphs that
mix every construct the engine has a rule for (seeded, so a failure names its seed)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.reasoner import closure
from kg.reasoner.result import RdfTriple

LUBM = Path(__file__).resolve().parent / "data" / "lubm"  # copied from shared/reference/lubm
EX = Namespace("http://example.org/")


def assert_same_closure(triples: list[RdfTriple]) -> None:
    expected = closure(triples, engine="owlrl")
    found = closure(triples, engine="native")
    missing = set(expected.inferred) - set(found.inferred)
    extra = set(found.inferred) - set(expected.inferred)
    assert not missing and not extra, (sorted(missing)[:20], sorted(extra)[:20])
    assert len(found.inferred) == len(set(found.inferred))
    assert found.input_triples == expected.input_triples
    assert bool(found.inconsistencies) == bool(expected.inconsistencies)


def test_built_dataset_equals_owlrl(built) -> None:
    dataset, _ = built
    stated = [t for g in dataset.graphs()
              if not str(g.identifier).endswith(("graph/provenance", "graph/inferred"))
              for t in g]
    assert_same_closure(stated)


@pytest.mark.slow  # owlrl's closure of a LUBM department, ~5 s
def test_lubm_one_department_equals_owlrl() -> None:
    graph = Graph()
    graph.parse(LUBM / "univ-bench.owl", format="xml")
    graph.parse(LUBM / "lubm_d1.nt", format="nt")
    assert_same_closure(list(graph))


def random_graph(seed: int) -> list[RdfTriple]:
    """A small ontology and data set drawing on every construct the rules read."""
    rng = random.Random(seed)
    classes = [EX[f"C{i}"] for i in range(6)]
    props = [EX[f"p{i}"] for i in range(6)]
    people = [EX[f"x{i}"] for i in range(7)]
    values = [*people, Literal("v"), Literal(1), Literal("w", lang="en")]
    g = Graph()

    def some(items: list, k: int) -> list:
        return rng.sample(items, k)

    def new_list(items: list) -> BNode:
        head = BNode()
        Collection(g, head, items)
        return head

    for _ in range(rng.randint(2, 6)):
        axiom = rng.choice([RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith])
        c1, c2 = some(classes, 2)
        g.add((c1, axiom, c2))
    for _ in range(rng.randint(2, 5)):
        axiom = rng.choice([RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf,
                            RDFS.domain, RDFS.range])
        p1, p2 = some(props, 2)
        g.add((p1, axiom, rng.choice(classes) if axiom in (RDFS.domain, RDFS.range) else p2))
    for p in some(props, rng.randint(0, 3)):
        g.add((p, RDF.type, rng.choice([OWL.SymmetricProperty, OWL.TransitiveProperty,
                                        OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
                                        OWL.ObjectProperty, OWL.DatatypeProperty])))
    for c in some(classes, rng.randint(0, 3)):
        g.add((c, RDF.type, OWL.Class))
    for i in range(rng.randint(1, 4)):
        r = EX[f"R{i}"] if rng.random() < 0.5 else BNode()
        g.add((r, OWL.onProperty, rng.choice(props)))
        kind = rng.choice(["svf", "avf", "hv", "maxc", "maxqc"])
        if kind == "svf":
            g.add((r, OWL.someValuesFrom, rng.choice([*classes, OWL.Thing])))
        elif kind == "avf":
            g.add((r, OWL.allValuesFrom, rng.choice(classes)))
        elif kind == "hv":
            g.add((r, OWL.hasValue, rng.choice(values)))
        elif kind == "maxc":
            g.add((r, OWL.maxCardinality, Literal(1, datatype=XSD.nonNegativeInteger)))
        else:
            g.add((r, OWL.maxQualifiedCardinality, Literal(1, datatype=XSD.nonNegativeInteger)))
            g.add((r, OWL.onClass, rng.choice([*classes, OWL.Thing])))
        g.add((rng.choice(classes), rng.choice([RDFS.subClassOf, OWL.equivalentClass]), r)
              if rng.random() < 0.5 else (r, RDFS.subClassOf, rng.choice(classes)))
    if rng.random() < 0.5:
        g.add((rng.choice(classes), rng.choice([OWL.intersectionOf, OWL.unionOf]),
               new_list(some(classes, rng.randint(1, 3)))))
    if rng.random() < 0.3:
        g.add((rng.choice(props), OWL.propertyChainAxiom, new_list(some(props, 2))))
    if rng.random() < 0.2:
        g.add((rng.choice(classes), OWL.oneOf, new_list(some(people, 2))))
    for _ in range(rng.randint(3, 12)):
        g.add((rng.choice(people), rng.choice(props), rng.choice(values)))
    for _ in range(rng.randint(1, 6)):
        g.add((rng.choice(people), RDF.type, rng.choice(classes)))
    for _ in range(rng.randint(0, 2)):
        x, y = some(people, 2)
        g.add((x, OWL.sameAs, y))
    return list(g)


@pytest.mark.parametrize("seed", range(60))
def test_random_graph_equals_owlrl(seed: int) -> None:
    assert_same_closure(random_graph(seed))


def _edge_cases() -> dict[str, list[RdfTriple]]:
    b, restriction, chain, members = BNode(), BNode(), BNode(), BNode()
    return {
        # eq-rep-p and prp-inv1 on a property that is the same as another one
        "sameas-on-properties": [(EX.p, OWL.sameAs, EX.q), (EX.a, EX.p, EX.b),
                                 (EX.q, RDFS.domain, EX.C), (EX.q, OWL.inverseOf, EX.r)],
        # eq-ref matters once owl:sameAs itself is described: every term is q-related to itself
        "sameas-described": [(OWL.sameAs, RDFS.subPropertyOf, EX.q), (EX.a, EX.p, EX.b)],
        # owlrl drops triples with a blank-node predicate after its last cycle
        "blank-node-predicate": [(EX.p, OWL.inverseOf, b), (EX.a, EX.p, EX.c),
                                 (b, RDFS.range, EX.C)],
        # a functional datatype property makes two literals the same
        "literal-sameas": [(EX.p, RDF.type, OWL.FunctionalProperty), (EX.a, EX.p, Literal("x")),
                           (EX.a, EX.p, Literal("y")), (EX.q, OWL.inverseOf, EX.p)],
        # dt-type2 and the datatype hierarchy, on literals and on a node typed as a datatype
        "datatypes": [(EX.a, EX.p, Literal(5)), (EX.n, RDF.type, XSD.int),
                      (EX.R, OWL.someValuesFrom, XSD.integer), (EX.R, OWL.onProperty, EX.p),
                      (EX.m, OWL.sameAs, Literal(7))],
        # a cycle of subclasses: owlrl's scm-sco makes no reflexive triple from it
        "subclass-cycle": [(EX.A, RDFS.subClassOf, EX.B), (EX.B, RDFS.subClassOf, EX.C),
                           (EX.C, RDFS.subClassOf, EX.A), (EX.a, RDF.type, EX.B)],
        # a chain whose head is in the chain (dk:location ∘ dk:locatedIn ⊑ dk:location)
        "recursive-chain": [(EX.loc, OWL.propertyChainAxiom, chain),
                            *_list(chain, [EX.loc, EX.inside]),
                            (EX.s, EX.loc, EX.x1), (EX.x1, EX.inside, EX.x2),
                            (EX.x2, EX.inside, EX.x3)],
        # a schema triple derived from data after the schema phase
        "late-schema": [(EX.makesSub, RDFS.subPropertyOf, RDFS.subClassOf),
                        (EX.A, EX.makesSub, EX.B), (EX.a, RDF.type, EX.A),
                        (EX.B, RDFS.subClassOf, EX.C)],
        # a restriction reached through an equivalence, as in univ-bench's Chair
        "defined-class": [(EX.Chair, OWL.equivalentClass, restriction),
                          (restriction, OWL.intersectionOf, members),
                          *_list(members, [EX.Person, EX.R]),
                          (EX.R, OWL.someValuesFrom, EX.Dept), (EX.R, OWL.onProperty, EX.headOf),
                          (EX.x, EX.headOf, EX.d), (EX.d, RDF.type, EX.Dept),
                          (EX.x, RDF.type, EX.Person)],
    }


def _list(head: BNode, items: list) -> list[RdfTriple]:
    graph = Graph()
    Collection(graph, head, items)
    return list(graph)


EDGE_CASES = _edge_cases()


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_edge_case_equals_owlrl(case: str) -> None:
    assert_same_closure(EDGE_CASES[case])
