"""SHACL validation: the real dataset conforms; each deliberately broken copy fails exactly where
it was broken, naming the node and the shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef

from kg.checks.shacl import ValidationReport, format_report, validate
from kg.dataset.io import copy_dataset
from kg.errors import DataFileError
from kg.settings import Settings
from kg.vocab import DK, NIF

# Plain Namespaces, not rdflib's DefinedNamespaces: those make pytest's fixture scan warn.
DKS = Namespace("https://w3id.org/diplo-kg/shapes#")
ID = Namespace("https://w3id.org/diplo-kg/id/")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OWL_SAMEAS = URIRef("http://www.w3.org/2002/07/owl#sameAs")
LINKS = URIRef("https://w3id.org/diplo-kg/graph/links")

SUMMIT = ID["summit/almaty_2011-10-21"]
MEMBERSHIP = ID["membership/turkey_osce"]
SENTENCE = URIRef("https://w3id.org/diplo-kg/source/turkey-kazakhstan-ulker-interview#char=0,119")


@pytest.fixture(scope="module")
def dataset(built: tuple[Dataset, object]) -> Dataset:
    """The session's built dataset (conftest.py); only ever read, never changed."""
    return built[0]


@pytest.fixture()
def broken(dataset: Dataset) -> Dataset:
    """A fresh copy of the built dataset, graph by graph, for one test to damage."""
    return copy_dataset(dataset)


def graph_holding(dataset: Dataset, node: URIRef, rdf_type: URIRef) -> Graph:
    """The (first) graph that states ``node a rdf_type``: where a damage belongs."""
    for graph in dataset.graphs():
        if (node, RDF_TYPE, rdf_type) in graph:
            return graph
    raise AssertionError(f"{node} is not a {rdf_type} in the built dataset")


def remove_everywhere(dataset: Dataset, subject: URIRef, predicate: URIRef) -> None:
    """Remove from every graph: the closure may restate what the fact graph says."""
    for graph in dataset.graphs():
        graph.remove((subject, predicate, None))


def results(report: ValidationReport) -> list[tuple[str, str, str | None, str | None]]:
    return [(v.focus_node, v.shape, v.path, v.value) for v in report.violations]


def test_built_dataset_conforms(dataset: Dataset, settings: Settings) -> None:
    report = validate(dataset, settings.path("shapes_file"))
    assert report.violations == ()
    assert report.conforms is True


def test_summit_without_location(broken: Dataset, settings: Settings) -> None:
    graph_holding(broken, SUMMIT, DK.Summit)
    # The closure holds locations of its own (property chain, sameAs): remove those too.
    remove_everywhere(broken, SUMMIT, DK.location)
    report = validate(broken, settings.path("shapes_file"))
    assert report.conforms is False
    assert results(report) == [
        (str(SUMMIT), str(DKS.SummitLocationShape), str(DK.location), None)]
    assert report.violations[0].severity == "Violation"
    assert report.violations[0].message == (
        "A summit needs a dk:location, and every location must be a dk:Place.")


def test_membership_with_two_members(broken: Dataset, settings: Settings) -> None:
    graph_holding(broken, MEMBERSHIP, DK.Membership).add((MEMBERSHIP, DK.member, ID.kazakhstan))
    report = validate(broken, settings.path("shapes_file"))
    assert report.conforms is False
    assert results(report) == [
        (str(MEMBERSHIP), str(DKS.MembershipMemberShape), str(DK.member), None)]


def test_start_date_that_is_not_a_date(broken: Dataset, settings: Settings) -> None:
    graph = graph_holding(broken, SUMMIT, DK.Summit)
    remove_everywhere(broken, SUMMIT, DK.startDate)  # every rule's reading of it
    graph.add((SUMMIT, DK.startDate, Literal("soon")))
    report = validate(broken, settings.path("shapes_file"))
    assert report.conforms is False
    # Both the summit's own shape and the shape for every dk:startDate catch it.
    assert results(report) == [
        (str(SUMMIT), str(DKS.StartDateShape), str(DK.startDate), '"soon"'),
        (str(SUMMIT), str(DKS.SummitStartDateShape), str(DK.startDate), '"soon"'),
    ]


@pytest.mark.parametrize("bad", [URIRef("http://www.wikidata.org/entity/P17"),
                                 URIRef("http://www.wikidata.org/entity/Q0123")])
def test_same_as_to_a_wikidata_iri_that_is_not_an_item(
        broken: Dataset, settings: Settings, bad: URIRef) -> None:
    broken.graph(LINKS).add((ID.turkey, OWL_SAMEAS, bad))
    report = validate(broken, settings.path("shapes_file"))
    assert report.conforms is False
    assert results(report) == [
        (str(ID.turkey), str(DKS.WikidataLinkShape), str(OWL_SAMEAS), str(bad))]


def test_sentence_without_anchor(broken: Dataset, settings: Settings) -> None:
    graph_holding(broken, SENTENCE, NIF.Sentence)
    remove_everywhere(broken, SENTENCE, NIF.anchorOf)
    report = validate(broken, settings.path("shapes_file"))
    assert report.conforms is False
    assert results(report) == [
        (str(SENTENCE), str(DKS.SentenceAnchorShape), str(NIF.anchorOf), None)]


def test_format_report_names_node_and_shape(broken: Dataset, settings: Settings) -> None:
    remove_everywhere(broken, SENTENCE, NIF.anchorOf)
    text = format_report(validate(broken, settings.path("shapes_file")))
    assert text.splitlines()[0] == "The dataset does not conform: 1 result(s) on 1 node(s)."
    assert str(SENTENCE) in text.splitlines()
    assert f"  Violation of {DKS.SentenceAnchorShape} on nif:anchorOf: " \
        "A sentence needs exactly one nif:anchorOf: its text." in text.splitlines()


def test_format_report_of_a_conforming_dataset() -> None:
    assert format_report(ValidationReport(True, ())) == "The dataset conforms to the shapes."


def test_missing_shapes_file(dataset: Dataset, tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="shapes file not found"):
        validate(dataset, tmp_path / "shapes.ttl")


def test_malformed_shapes_file(dataset: Dataset, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y", encoding="utf-8")
    with pytest.raises(DataFileError, match="shapes.ttl"):
        validate(dataset, shapes)


def test_shapes_file_without_shapes(dataset: Dataset, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="contains no SHACL shapes"):
        validate(dataset, shapes)


def test_shapes_file_that_is_not_valid_shacl(dataset: Dataset, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "<urn:s> a sh:NodeShape ; sh:targetNode <urn:a> ;\n"
                      "    sh:property [ sh:path <urn:p> ; sh:minCount \"many\" ] .\n",
                      encoding="utf-8")
    with pytest.raises(DataFileError, match="sh:minCount must be a literal"):
        validate(dataset, shapes)
