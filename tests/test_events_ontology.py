"""The PLOVER event branch: every codebook type is a class, and the reasoner derives the
general type from our specific events (a visit is a CONSULT; a recognition and, as the
codebook says, a signing are SUPPORT)."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.reasoner import closure
from kg.reasoner.result import RdfTriple
from kg.vocab import DK

from .helpers import ROOT

PLOVER_TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                "COERCE", "ASSAULT"]


@pytest.fixture(scope="module")
def schema() -> list[RdfTriple]:
    graph = Graph()
    for name in ("diplo.ttl", "events.ttl"):
        graph.parse(ROOT / "ontology" / name, format="turtle")
    return list(graph)


def derived(schema: list[RdfTriple], data: list[RdfTriple]) -> set[RdfTriple]:
    return set(closure(schema + data).inferred)


def test_every_plover_type_is_a_class_with_its_notation(schema: list[RdfTriple]) -> None:
    graph = Graph()
    for t in schema:
        graph.add(t)
    notations = {str(graph.value(c, SKOS.notation)) for c in graph.subjects(RDFS.subClassOf, None)
                 if graph.value(c, SKOS.notation) is not None}
    assert set(PLOVER_TYPES) <= notations


def test_visit_is_a_consult_by_visit(schema: list[RdfTriple]) -> None:
    visit, visitor = URIRef("urn:ex:visit"), URIRef("urn:ex:president")
    inferred = derived(schema, [(visit, RDF.type, DK.Visit), (visit, DK.visitor, visitor)])
    assert (visit, RDF.type, DK.Consult) in inferred
    assert (visit, RDF.type, DK.VerbalCooperation) in inferred
    assert (visit, DK.mode, DK.mode_consult_visit) in inferred
    assert (visit, DK.sourceActor, visitor) in inferred


def test_recognition_is_a_support_between_states(schema: list[RdfTriple]) -> None:
    rec, turkey, kazakhstan = URIRef("urn:ex:rec"), URIRef("urn:ex:TUR"), URIRef("urn:ex:KAZ")
    inferred = derived(schema, [(rec, RDF.type, DK.Recognition), (rec, DK.recognizingState, turkey),
                                (rec, DK.recognizedState, kazakhstan)])
    assert (rec, RDF.type, DK.Support) in inferred
    assert (rec, DK.sourceActor, turkey) in inferred
    assert (rec, DK.targetActor, kazakhstan) in inferred


def test_signing_is_a_support_and_officials_count_for_their_state(schema: list[RdfTriple]) -> None:
    signing, minister, state = BNode(), URIRef("urn:ex:minister"), URIRef("urn:ex:state")
    inferred = derived(schema, [(signing, RDF.type, DK.TreatySigning),
                                (signing, DK.sourceActor, minister), (minister, DK.actsFor, state)])
    assert (signing, RDF.type, DK.Support) in inferred
    assert (signing, RDF.type, DK.Agree) not in inferred
    assert (signing, DK.sourceState, state) in inferred
    assert (signing, RDF.type, DK.Consult) not in inferred


def test_a_protest_is_material_conflict(schema: list[RdfTriple]) -> None:
    protest = URIRef("urn:ex:protest")
    inferred = derived(schema, [(protest, RDF.type, DK.Protest)])
    assert (protest, RDF.type, DK.MaterialConflict) in inferred
