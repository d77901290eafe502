"""One entailment test per OWL 2 RL rule the reasoner implements, named after the rule id.

Each tests/data/rules/<rule-id>.trig holds the rule's input graph and the exact triples the
closure adds to it (after the noise filter). The native engine must produce exactly those,
record the rule among their derivations, and agree with owlrl — except where owlrl has a
known bug, listed in OWLRL_DIFFERS.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.reasoner import (
    ENGINES,
    Budget,
    ReasoningBudgetExceeded,
    UnknownEngine,
    closure,
    is_noise,
)
from kg.reasoner.materialize import is_noise as reason_is_noise
from kg.reasoner.result import RdfTriple

RULES = Path(__file__).parent / "data" / "rules"
EX = Namespace("http://example.org/")
# owlrl 7 compares all but the last key property (so with a two-property key, ex:c, which
# shares only the first, becomes the same as ex:a): the native engine follows the W3C rule.
OWLRL_DIFFERS = {"prp-key"}
# scm-eqc2 (scm-eqp2) states the reverse equivalence too, and from it cax-eqc1 (prp-eqp1) derives
# the same triple: either id may be the one recorded.
SAME_CONCLUSION = {"cax-eqc2": {"cax-eqc1"}, "prp-eqp2": {"prp-eqp1"}}


def fixture(rule: str) -> tuple[list[RdfTriple], set[RdfTriple]]:
    dataset = Dataset()
    dataset.parse(RULES / f"{rule}.trig", format="trig")
    stated = dataset.graph(URIRef("urn:input"))
    expected = dataset.graph(URIRef("urn:expected"))
    return list(stated), set(expected)


@pytest.mark.parametrize("rule", sorted(p.stem for p in RULES.glob("*.trig")))
def test_rule(rule: str) -> None:
    stated, expected = fixture(rule)
    result = closure(stated, explain=True)
    assert set(result.inferred) == expected
    assert result.explanations is not None
    recorded = {result.explanations[t].rule for t in expected}
    assert recorded & ({rule} | SAME_CONCLUSION.get(rule, set()))
    if rule not in OWLRL_DIFFERS:
        assert set(closure(stated, engine="owlrl").inferred) == expected


def test_every_rule_family_has_a_fixture() -> None:
    wanted = {"prp-symp", "prp-inv1", "prp-inv2", "prp-spo1", "prp-spo2", "prp-trp", "prp-dom",
              "prp-rng", "prp-eqp1", "cax-sco", "cax-eqc1", "cls-hv1", "cls-hv2", "cls-svf1",
              "cls-avf", "cls-int1", "cls-int2", "cls-uni", "eq-sym", "eq-trans", "eq-rep-s",
              "eq-rep-p", "eq-rep-o", "scm-sco", "scm-spo", "scm-eqc1", "scm-dom1", "scm-rng1"}
    assert wanted <= {p.stem for p in RULES.glob("*.trig")}


def test_explanation_premises_hold_in_the_closure() -> None:
    """Each premise of each derivation is stated or derived: a proof can be unfolded."""
    stated, _ = fixture("prp-spo2")
    result = closure(stated, explain=True)
    assert result.explanations is not None
    chain = result.explanations[(EX.a, EX.p, EX.d)]
    assert chain.rule == "prp-spo2"
    assert {(EX.a, EX.p1, EX.b), (EX.b, EX.p2, EX.c), (EX.c, EX.p3, EX.d)} <= set(chain.premises)
    known = set(stated) | set(result.explanations)
    for derivation in result.explanations.values():
        assert set(derivation.premises) <= known


def test_literal_subject_triples_feed_the_rules_but_are_filtered() -> None:
    """owlrl reasons over generalised triples: an inverse of a datatype property puts a literal
    in subject position, and that triple's range still types the individual."""
    stated: list[RdfTriple] = [(EX.p, OWL.inverseOf, EX.q), (EX.q, RDFS.range, EX.C),
                               (EX.a, EX.p, Literal("x"))]
    inferred = set(closure(stated).inferred)
    assert inferred == {(EX.a, RDF.type, EX.C)}
    assert set(closure(stated, engine="owlrl").inferred) == inferred


def test_noise_filter_is_the_documented_one() -> None:
    samples: list[RdfTriple] = [
        (Literal("x"), RDF.type, RDFS.Literal), (EX.a, OWL.sameAs, EX.a),
        (EX.a, OWL.sameAs, EX.b), (OWL.Thing, RDF.type, OWL.Class), (EX.a, RDF.type, OWL.Thing),
    ]
    assert [is_noise(t) for t in samples] == [reason_is_noise(t) for t in samples]
    assert [is_noise(t) for t in samples] == [True, True, False, True, False]


INCONSISTENT: dict[str, list[RdfTriple]] = {
    "cax-dw": [(EX.A, OWL.disjointWith, EX.B), (EX.a, RDF.type, EX.A), (EX.a, RDF.type, EX.B)],
    "prp-irp": [(EX.p, RDF.type, OWL.IrreflexiveProperty), (EX.a, EX.p, EX.a)],
    "eq-diff1": [(EX.a, OWL.sameAs, EX.b), (EX.a, OWL.differentFrom, EX.b)],
    "dt-not-type": [(EX.a, EX.p, Literal("many", datatype=XSD.integer))],
}


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize("rule", sorted(INCONSISTENT))
def test_inconsistencies_are_reported_not_inferred(rule: str, engine: str) -> None:
    result = closure(INCONSISTENT[rule], engine=engine)
    assert result.inconsistencies
    assert not any(t[1] == URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
                   for t in result.inferred)
    if engine == "native":
        assert all(message.startswith(f"{rule}: ") for message in result.inconsistencies)


def chain_graph(length: int) -> list[RdfTriple]:
    nodes = [EX[f"n{i}"] for i in range(length)]
    return [(EX.next, RDF.type, OWL.TransitiveProperty),
            *((a, EX.next, b) for a, b in zip(nodes, nodes[1:], strict=False))]


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize(("budget", "setting"), [(Budget(max_triples=100), "reason_max_triples"),
                                                 (Budget(seconds=0.0), "reason_timeout_s")])
def test_budget_names_its_setting(engine: str, budget: Budget, setting: str) -> None:
    with pytest.raises(ReasoningBudgetExceeded) as raised:
        closure(chain_graph(60), budget, engine=engine)
    assert raised.value.setting == setting
    assert setting in str(raised.value)


def test_budget_stops_a_long_closure_early() -> None:
    """The time check runs during the closure, not only at its end."""
    started = time.perf_counter()
    with pytest.raises(ReasoningBudgetExceeded):
        closure(chain_graph(400), Budget(seconds=0.2))
    assert time.perf_counter() - started < 5


def test_unknown_engine() -> None:
    with pytest.raises(UnknownEngine, match="native, owlrl"):
        closure([], engine="pellet")


def test_input_is_any_iterable_of_triples() -> None:
    graph = Graph()
    graph.add((EX.a, EX.p, EX.b))
    graph.add((EX.p, RDFS.domain, EX.C))
    result = closure(iter(graph))
    assert result.inferred == ((EX.a, RDF.type, EX.C),)
    assert result.input_triples == 2
