"""Tests for the OWL 2 RL syntactic profile checker (kg.profile)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from kg.checks.owl2rl_profile import ProfileViolation, check_files, check_owl2rl

EX = "http://example.org/"
BLANK = "<blank>"  # expected subject placeholder: any structural "_:b<hash>" label
BLANK_LABEL = re.compile(r"_:b[0-9a-f]{12}")
LUBM = Path("/work/shared/reference/lubm/univ-bench.owl")
UB = "http://www.lehigh.edu/~zhp2/2004/0401/univ-bench.owl#"

PREFIXES = """\
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""


def check(body: str) -> list[ProfileViolation]:
    return check_owl2rl(Graph().parse(data=PREFIXES + body, format="turtle"))


def pairs(violations: list[ProfileViolation]) -> list[tuple[str, str]]:
    """(axiom, subject) with blank-node labels folded to BLANK after checking their shape."""
    out = []
    for v in violations:
        if v.subject.startswith("_:"):
            assert BLANK_LABEL.fullmatch(v.subject), v.subject
            out.append((v.axiom, BLANK))
        else:
            out.append((v.axiom, v.subject))
    return out


# --- constructs inside OWL 2 RL ----------------------------------------------------------

ALLOWED = {
    "plain_hierarchy": "ex:A a owl:Class ; rdfs:subClassOf ex:B . ex:B a owl:Class .",
    "some_values_from_on_left": """
        [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:B ]
            rdfs:subClassOf ex:C .""",
    "some_values_from_owl_thing_filler_on_left": """
        [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom owl:Thing ]
            rdfs:subClassOf ex:C .""",
    "some_values_from_inverse_property_on_left": """
        [ a owl:Restriction ; owl:onProperty [ owl:inverseOf ex:p ] ; owl:someValuesFrom ex:B ]
            rdfs:subClassOf ex:C .""",
    "has_value_both_sides": """
        [ a owl:Restriction ; owl:onProperty ex:p ; owl:hasValue ex:x ]
            rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:q ; owl:hasValue ex:y ] .""",
    "max_cardinality_1_on_right": """
        ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;
                               owl:maxCardinality "1"^^xsd:nonNegativeInteger ] .""",
    "max_cardinality_0_on_right": """
        ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;
                               owl:maxCardinality 0 ] .""",
    "max_qualified_cardinality_1_on_right": """
        ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;
                               owl:maxQualifiedCardinality 1 ; owl:onClass ex:B ] .""",
    "all_values_from_on_right": """
        ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;
                               owl:allValuesFrom ex:B ] .""",
    "complement_of_on_right": "ex:A rdfs:subClassOf [ a owl:Class ; owl:complementOf ex:B ] .",
    "union_and_one_of_on_left": """
        [ a owl:Class ; owl:unionOf ( ex:A [ a owl:Class ; owl:oneOf ( ex:x ex:y ) ] ) ]
            rdfs:subClassOf ex:C .""",
    "intersections_both_sides": """
        [ a owl:Class ; owl:intersectionOf ( ex:A ex:B ) ]
            rdfs:subClassOf [ a owl:Class ; owl:intersectionOf ( ex:C ex:D ) ] .""",
    "equivalent_class_has_value": """
        ex:A owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:p ;
                                   owl:hasValue ex:x ] .""",
    "equivalent_class_intersection_of_named_and_has_value": """
        ex:A owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( ex:B
            [ a owl:Restriction ; owl:onProperty ex:p ; owl:hasValue ex:x ] ) ] .""",
    "property_chain": "ex:uncle owl:propertyChainAxiom ( ex:parent ex:brother ) .",
    "property_characteristics": """
        ex:p a owl:ObjectProperty, owl:SymmetricProperty, owl:TransitiveProperty,
               owl:FunctionalProperty, owl:InverseFunctionalProperty .
        ex:q a owl:IrreflexiveProperty, owl:AsymmetricProperty ; owl:inverseOf ex:r .
        ex:p owl:propertyDisjointWith ex:q ; rdfs:subPropertyOf ex:s ;
             owl:equivalentProperty ex:t .""",
    "domain_range_named": "ex:p rdfs:domain ex:A ; rdfs:range ex:B .",
    "disjointness": """
        ex:A owl:disjointWith ex:B .
        [] a owl:AllDisjointClasses ; owl:members ( ex:A ex:B
            [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:C ] ) .""",
    "has_key": "ex:A owl:hasKey ( ex:p ex:q ) .",
    "data_property_range_and_some_values_from": """
        ex:age a owl:DatatypeProperty ; rdfs:range xsd:integer .
        [ a owl:Restriction ; owl:onProperty ex:age ; owl:someValuesFrom xsd:integer ]
            rdfs:subClassOf ex:Aged .""",
    "datatype_definition_intersection": """
        ex:Small a rdfs:Datatype ; owl:equivalentClass
            [ a rdfs:Datatype ; owl:intersectionOf ( xsd:integer xsd:nonNegativeInteger ) ] .""",
    "annotation_property_domain": """
        ex:note a owl:AnnotationProperty ; rdfs:domain ex:A ; rdfs:range owl:Thing .""",
    "class_assertion_all_values_from": """
        ex:i a [ a owl:Restriction ; owl:onProperty ex:p ; owl:allValuesFrom ex:B ] .""",
    "individual_axioms": """
        ex:i a ex:A, owl:NamedIndividual ; ex:p ex:j ;
             owl:sameAs ex:k ; owl:differentFrom ex:l .""",
}


@pytest.mark.parametrize("body", ALLOWED.values(), ids=list(ALLOWED))
def test_allowed_constructs_pass(body: str) -> None:
    assert check(body) == []


# --- constructs outside OWL 2 RL ---------------------------------------------------------

# name -> (turtle, [(axiom, subject)], word the single/first reason must contain)
REJECTED: dict[str, tuple[str, list[tuple[str, str]], str]] = {
    "some_values_from_on_right": (
        """ex:A rdfs:subClassOf
               [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:B ] .""",
        [("rdfs:subClassOf", EX + "A")],
        "owl:someValuesFrom on <http://example.org/p> cannot appear in an OWL 2 RL "
        "superClassExpression",
    ),
    "union_of_on_right": (
        "ex:A rdfs:subClassOf [ a owl:Class ; owl:unionOf ( ex:B ex:C ) ] .",
        [("rdfs:subClassOf", EX + "A")],
        "owl:unionOf cannot appear in an OWL 2 RL superClassExpression",
    ),
    "one_of_on_right": (
        "ex:A rdfs:subClassOf [ a owl:Class ; owl:oneOf ( ex:x ex:y ) ] .",
        [("rdfs:subClassOf", EX + "A")],
        "owl:oneOf cannot appear in an OWL 2 RL superClassExpression",
    ),
    "min_cardinality": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:minCardinality 1 ] .",
        [("rdfs:subClassOf", EX + "A")],
        "owl:minCardinality on <http://example.org/p> is not part of OWL 2 RL",
    ),
    "exact_cardinality_2": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:cardinality 2 ] .",
        [("rdfs:subClassOf", EX + "A")],
        "owl:cardinality on <http://example.org/p> is not part of OWL 2 RL",
    ),
    "qualified_cardinality": (
        """ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;
                                  owl:qualifiedCardinality 1 ; owl:onClass ex:B ] .""",
        [("rdfs:subClassOf", EX + "A")],
        "owl:qualifiedCardinality",
    ),
    "max_cardinality_2_on_right": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:maxCardinality 2 ] .",
        [("rdfs:subClassOf", EX + "A")],
        "only has max cardinality 0 or 1",
    ),
    "max_cardinality_on_left": (
        "[ a owl:Restriction ; owl:onProperty ex:p ; owl:maxCardinality 1 ] rdfs:subClassOf ex:A .",
        [("rdfs:subClassOf", BLANK)],
        "owl:maxCardinality on <http://example.org/p> cannot appear in an OWL 2 RL "
        "subClassExpression",
    ),
    "max_qualified_cardinality_with_superclass_only_filler": (
        """ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;
               owl:maxQualifiedCardinality 1 ;
               owl:onClass [ a owl:Restriction ; owl:onProperty ex:q ;
                             owl:allValuesFrom ex:B ] ] .""",
        [("rdfs:subClassOf", EX + "A")],
        "owl:allValuesFrom on <http://example.org/q> cannot appear in an OWL 2 RL "
        "subClassExpression",
    ),
    "disjoint_union_of": (
        "ex:A owl:disjointUnionOf ( ex:B ex:C ) .",
        [("owl:disjointUnionOf", EX + "A")],
        "DisjointUnion",
    ),
    "reflexive_property": (
        "ex:p a owl:ObjectProperty, owl:ReflexiveProperty .",
        [("owl:ReflexiveProperty", EX + "p")],
        "ReflexiveObjectProperty",
    ),
    "has_self": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:hasSelf true ] .",
        [("rdfs:subClassOf", EX + "A")],
        "owl:hasSelf",
    ),
    "complement_of_on_left": (
        "[ a owl:Class ; owl:complementOf ex:B ] rdfs:subClassOf ex:A .",
        [("rdfs:subClassOf", BLANK)],
        "owl:complementOf cannot appear in an OWL 2 RL subClassExpression",
    ),
    "all_values_from_on_left": (
        """[ a owl:Restriction ; owl:onProperty ex:p ; owl:allValuesFrom ex:B ]
               rdfs:subClassOf ex:A .""",
        [("rdfs:subClassOf", BLANK)],
        "owl:allValuesFrom on <http://example.org/p> cannot appear in an OWL 2 RL "
        "subClassExpression",
    ),
    "nested_some_values_from_in_all_values_from_on_right": (
        """ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:allValuesFrom
               [ a owl:Restriction ; owl:onProperty ex:q ; owl:someValuesFrom ex:B ] ] .""",
        [("rdfs:subClassOf", EX + "A")],
        "owl:someValuesFrom on <http://example.org/q> cannot appear in an OWL 2 RL "
        "superClassExpression",
    ),
    "owl_thing_on_right": (
        "ex:A rdfs:subClassOf owl:Thing .",
        [("rdfs:subClassOf", EX + "A")],
        "owl:Thing is not an OWL 2 RL superClassExpression",
    ),
    "equivalent_class_to_union_of": (
        "ex:A owl:equivalentClass [ a owl:Class ; owl:unionOf ( ex:B ex:C ) ] .",
        [("owl:equivalentClass", EX + "A")],
        "owl:unionOf cannot appear in an OWL 2 RL equivClassExpression",
    ),
    "equivalent_class_to_some_values_from": (
        """ex:A owl:equivalentClass
               [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:B ] .""",
        [("owl:equivalentClass", EX + "A")],
        "owl:someValuesFrom on <http://example.org/p> cannot appear in an OWL 2 RL "
        "equivClassExpression",
    ),
    "owl1_style_named_union": (
        "ex:A a owl:Class ; owl:unionOf ( ex:B ex:C ) .",
        [("owl:equivalentClass", EX + "A")],
        "owl:unionOf cannot appear in an OWL 2 RL equivClassExpression",
    ),
    "range_of_union_of": (
        "ex:p a owl:ObjectProperty ; rdfs:range [ a owl:Class ; owl:unionOf ( ex:A ex:B ) ] .",
        [("rdfs:range", EX + "p")],
        "owl:unionOf cannot appear in an OWL 2 RL superClassExpression",
    ),
    "domain_of_some_values_from": (
        """ex:p rdfs:domain
               [ a owl:Restriction ; owl:onProperty ex:q ; owl:someValuesFrom ex:B ] .""",
        [("rdfs:domain", EX + "p")],
        "owl:someValuesFrom on <http://example.org/q> cannot appear in an OWL 2 RL "
        "superClassExpression",
    ),
    "disjoint_with_all_values_from": (
        """ex:A owl:disjointWith
               [ a owl:Restriction ; owl:onProperty ex:p ; owl:allValuesFrom ex:B ] .""",
        [("owl:disjointWith", EX + "A")],
        "owl:allValuesFrom on <http://example.org/p> cannot appear in an OWL 2 RL "
        "subClassExpression",
    ),
    "all_disjoint_classes_with_complement": (
        "[] a owl:AllDisjointClasses ; owl:members ( ex:A [ owl:complementOf ex:B ] ) .",
        [("owl:AllDisjointClasses", BLANK)],
        "owl:complementOf cannot appear in an OWL 2 RL subClassExpression",
    ),
    "has_key_on_all_values_from": (
        """[ a owl:Restriction ; owl:onProperty ex:p ; owl:allValuesFrom ex:B ]
               owl:hasKey ( ex:q ) .""",
        [("owl:hasKey", BLANK)],
        "owl:allValuesFrom on <http://example.org/p> cannot appear in an OWL 2 RL "
        "subClassExpression",
    ),
    "class_assertion_some_values_from": (
        "ex:i a [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:B ] .",
        [("rdf:type", EX + "i")],
        "owl:someValuesFrom on <http://example.org/p> cannot appear in an OWL 2 RL "
        "superClassExpression",
    ),
    "range_owl_real": (
        "ex:size a owl:DatatypeProperty ; rdfs:range owl:real .",
        [("rdfs:range", EX + "size")],
        "The datatype owl:real is not supported by OWL 2 RL",
    ),
    "some_values_from_owl_rational": (
        """[ a owl:Restriction ; owl:onProperty ex:size ; owl:someValuesFrom owl:rational ]
               rdfs:subClassOf ex:Sized .""",
        [("rdfs:subClassOf", BLANK)],
        "The datatype owl:rational is not supported by OWL 2 RL",
    ),
    "range_datatype_restriction": (
        """ex:age a owl:DatatypeProperty ; rdfs:range [ a rdfs:Datatype ;
               owl:onDatatype xsd:integer ; owl:withRestrictions ( [ xsd:minInclusive 0 ] ) ] .""",
        [("rdfs:range", EX + "age")],
        "A datatype restriction (owl:withRestrictions) is not an OWL 2 RL data range",
    ),
    "range_data_one_of": (
        """ex:grade a owl:DatatypeProperty ;
               rdfs:range [ a rdfs:Datatype ; owl:oneOf ( "A" "B" ) ] .""",
        [("rdfs:range", EX + "grade")],
        "owl:oneOf of literals is not an OWL 2 RL data range",
    ),
    "literal_typed_owl_real": (
        'ex:i ex:size "1"^^owl:real .',
        [("<http://example.org/size>", EX + "i")],
        "Literals typed owl:real are not in OWL 2 RL",
    ),
}


@pytest.mark.parametrize(("body", "expected", "reason"), REJECTED.values(), ids=list(REJECTED))
def test_rejected_constructs_are_reported(
    body: str, expected: list[tuple[str, str]], reason: str
) -> None:
    violations = check(body)
    assert pairs(violations) == expected
    assert reason in violations[0].reason


def test_each_bad_member_of_an_intersection_is_reported() -> None:
    violations = check(
        """ex:A owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( ex:B
               [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:C ]
               [ a owl:Restriction ; owl:onProperty ex:q ; owl:allValuesFrom ex:D ] ) ] ."""
    )
    assert [(v.axiom, v.subject, v.reason) for v in violations] == [
        (
            "owl:equivalentClass",
            EX + "A",
            "owl:allValuesFrom on <http://example.org/q> cannot appear in an OWL 2 RL "
            "equivClassExpression (Profiles §4.2.3).",
        ),
        (
            "owl:equivalentClass",
            EX + "A",
            "owl:someValuesFrom on <http://example.org/p> cannot appear in an OWL 2 RL "
            "equivClassExpression (Profiles §4.2.3).",
        ),
    ]


def test_blank_node_labels_are_stable_across_parses() -> None:
    body = "[ a owl:Class ; owl:complementOf ex:B ] rdfs:subClassOf ex:A ."
    first, second = check(body), check(body)
    assert first == second
    assert len(first) == 1 and BLANK_LABEL.fullmatch(first[0].subject)


def test_output_is_sorted_by_subject_axiom_reason() -> None:
    violations = check(
        """ex:Z owl:disjointUnionOf ( ex:B ex:C ) .
           ex:p a owl:ReflexiveProperty .
           ex:A rdfs:subClassOf [ a owl:Class ; owl:unionOf ( ex:B ex:C ) ] ."""
    )
    assert pairs(violations) == [
        ("rdfs:subClassOf", EX + "A"),
        ("owl:disjointUnionOf", EX + "Z"),
        ("owl:ReflexiveProperty", EX + "p"),
    ]


def test_check_files_merges_turtle_files(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text(PREFIXES + "ex:p a owl:ReflexiveProperty .\n")
    (tmp_path / "b.ttl").write_text(
        PREFIXES + "ex:A rdfs:subClassOf [ owl:onProperty ex:p ; owl:minCardinality 1 ] .\n"
    )
    violations = check_files([tmp_path / "b.ttl", tmp_path / "a.ttl"])
    assert pairs(violations) == [
        ("rdfs:subClassOf", EX + "A"),
        ("owl:ReflexiveProperty", EX + "p"),
    ]


@pytest.mark.skipif(not LUBM.exists(), reason="LUBM reference ontology not mounted")
def test_lubm_univ_bench_existentials_are_outside_rl() -> None:
    graph = Graph().parse(LUBM, format="xml")
    violations = check_owl2rl(graph)
    assert violations == check_owl2rl(graph)
    # Six OWL 1 style "C owl:intersectionOf (D [someValuesFrom])" definitions, read as
    # EquivalentClasses, and two subClassOf someValuesFrom on the right.
    expected = [
        ("owl:equivalentClass", "Chair", "headOf", "equivClassExpression"),
        ("owl:equivalentClass", "Dean", "headOf", "equivClassExpression"),
        ("owl:equivalentClass", "Director", "headOf", "equivClassExpression"),
        ("owl:equivalentClass", "Employee", "worksFor", "equivClassExpression"),
        ("rdfs:subClassOf", "GraduateStudent", "takesCourse", "superClassExpression"),
        ("rdfs:subClassOf", "ResearchAssistant", "worksFor", "superClassExpression"),
        ("owl:equivalentClass", "Student", "takesCourse", "equivClassExpression"),
        ("owl:equivalentClass", "TeachingAssistant", "teachingAssistantOf", "equivClassExpression"),
    ]
    assert violations == [
        ProfileViolation(
            axiom,
            UB + cls,
            f"owl:someValuesFrom on <{UB}{prop}> cannot appear in an OWL 2 RL {grammar} "
            "(Profiles §4.2.3).",
        )
        for axiom, cls, prop, grammar in expected
    ]
