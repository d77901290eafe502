"""The ontology parses, stays inside OWL 2 RL, and documents every term."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from kg.checks.owl2rl_profile import check_files
from kg.vocab import DK

from .helpers import ROOT

ONTOLOGY_FILES = sorted(p for p in (ROOT / "ontology").glob("*.ttl") if p.name != "shapes.ttl")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
COMMENT = URIRef("http://www.w3.org/2000/01/rdf-schema#comment")
OWL = "http://www.w3.org/2002/07/owl#"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in ONTOLOGY_FILES:
        graph.parse(path, format="turtle")
    return graph


def test_ontology_files_exist() -> None:
    assert [p.name for p in ONTOLOGY_FILES] == ["diplo.ttl", "events.ttl", "wikidata.ttl"]


def test_inside_owl2_rl_profile() -> None:
    assert check_files(ONTOLOGY_FILES) == []


def test_every_term_has_label_and_comment(ontology: Graph) -> None:
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(str(DK))}
    missing = sorted(str(t) for t in terms
                     if not (ontology.value(t, LABEL) and ontology.value(t, COMMENT)))
    assert missing == []
    assert len(terms) > 80


def test_version_and_license(ontology: Graph) -> None:
    header = URIRef("https://w3id.org/diplo-kg/ontology")
    assert (header, RDF_TYPE, URIRef(OWL + "Ontology")) in ontology
    assert ontology.value(header, URIRef(OWL + "versionInfo")) == Literal("0.1.0")
    assert ontology.value(header, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/")


@pytest.mark.parametrize(("axiom", "subject", "obj"), [
    ("SymmetricProperty", "hasDiplomaticRelationWith", None),
    ("TransitiveProperty", "locatedIn", None),
    ("inverseOf", "foundedBy", "founderOf"),
    ("subPropertyOf", "foundedOnInitiativeOf", "foundedBy"),
])
def test_domain_axioms(ontology: Graph, axiom: str, subject: str, obj: str | None) -> None:
    if obj is None:
        assert (DK[subject], RDF_TYPE, URIRef(OWL + axiom)) in ontology
    else:
        namespace = OWL if axiom == "inverseOf" else "http://www.w3.org/2000/01/rdf-schema#"
        assert (DK[subject], URIRef(namespace + axiom), DK[obj]) in ontology


def test_summit_in_city_chain(ontology: Graph) -> None:
    chain = ontology.value(DK.location, URIRef(OWL + "propertyChainAxiom"))
    from rdflib.collection import Collection

    assert list(Collection(ontology, chain)) == [DK.location, DK.locatedIn]


def test_required_classes(ontology: Graph) -> None:
    required = {"State", "IntergovernmentalOrganization", "Treaty", "Summit", "Visit", "Person",
                "Post", "DiplomaticRelation", "Recognition", "Membership", "Chairmanship",
                "University", "School", "Place", "City", "Region", "Document", "Interview"}
    declared = {str(s)[len(str(DK)):] for s in ontology.subjects(RDF_TYPE, URIRef(OWL + "Class"))}
    assert required - declared == set()
