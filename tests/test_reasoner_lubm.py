"""bench/lubm.py generates UBA-shaped data deterministically, and the native engine draws the
inferences the LUBM queries rely on from it."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from kg.reasoner import closure

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "tests" / "data" / "lubm" / "univ-bench.owl"  # copied from shared/reference
UB = Namespace("http://www.lehigh.edu/~zhp2/2004/0401/univ-bench.owl#")


@pytest.fixture(scope="module")
def lubm() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lubm", ROOT / "bench" / "lubm.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def department(lubm: ModuleType) -> Graph:
    graph = Graph()
    graph.parse(data="".join(lubm.generate(1, seed=0, departments=1)), format="nt")
    return graph


def test_generator_is_deterministic(lubm: ModuleType) -> None:
    first = list(lubm.generate(1, seed=3, departments=2))
    assert first == list(lubm.generate(1, seed=3, departments=2))
    assert first != list(lubm.generate(1, seed=4, departments=2))


def test_department_follows_uba_ranges(lubm: ModuleType, department: Graph) -> None:
    types = Counter(o for o in department.objects(None, RDF.type))
    for kind, (low, high) in lubm.FACULTY.items():
        assert low <= types[UB[kind]] <= high
    faculty = sum(types[UB[kind]] for kind in lubm.FACULTY)
    assert 8 * faculty <= types[UB.UndergraduateStudent] <= 14 * faculty
    assert 3 * faculty <= types[UB.GraduateStudent] <= 4 * faculty
    assert 10 <= types[UB.ResearchGroup] <= 20
    assert len(set(department.subjects(UB.headOf, None))) == 1


def test_closure_answers_the_lubm_inferences(department: Graph) -> None:
    ontology = Graph()
    ontology.parse(ONTOLOGY, format="xml")
    inferred = set(closure([*ontology, *department]).inferred)
    everything = set(department) | inferred

    def members(cls: object) -> set:
        return {s for s, p, o in everything if p == RDF.type and o == cls}

    # Q6/Q14: every student is a Student; Q12: the head of the department is a Chair
    assert members(UB.Student) >= members(UB.UndergraduateStudent) | members(UB.GraduateStudent)
    assert members(UB.Chair) == set(department.subjects(UB.headOf, None))
    # Q5: members of the department through worksFor ⊑ memberOf, and the inverse member
    for person in department.subjects(UB.worksFor, None):
        assert (person, UB.memberOf, next(department.objects(person, UB.worksFor))) in everything
    assert all((o, UB.member, s) in everything
               for s, o in ((s, o) for s, p, o in everything if p == UB.memberOf))
    # Q11: subOrganizationOf is transitive (research group → department → university)
    group = next(department.subjects(RDF.type, UB.ResearchGroup))
    assert (group, UB.subOrganizationOf, URIRef("http://www.University0.edu")) in inferred
