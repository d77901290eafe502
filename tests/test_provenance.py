"""Every fact leads back to its exact sentence: NIF offsets slice the source text exactly."""

from __future__ import annotations

import pytest
from rdflib import BNode, Dataset, Literal, URIRef

from .helpers import INTERVIEW

NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
PROV = "http://www.w3.org/ns/prov#"
DK = "https://w3id.org/diplo-kg/ontology#"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
BASE = "https://w3id.org/diplo-kg/"
PROVENANCE = URIRef(BASE + "graph/provenance")


@pytest.fixture(scope="module")
def dataset(built) -> Dataset:
    return built[0]


def nif(name: str) -> URIRef:
    return URIRef(NIF + name)


def test_offsets_slice_the_source_exactly(dataset: Dataset) -> None:
    text = INTERVIEW.read_text(encoding="utf-8")
    strings = list(dataset.subjects(nif("anchorOf"), None))
    assert len(strings) > 100
    for node in strings:
        begin = int(dataset.value(node, nif("beginIndex")))
        end = int(dataset.value(node, nif("endIndex")))
        assert text[begin:end] == str(dataset.value(node, nif("anchorOf")))
        assert str(node).endswith(f"#char={begin},{end}")


def test_context_holds_the_whole_text(dataset: Dataset) -> None:
    text = INTERVIEW.read_text(encoding="utf-8")
    contexts = list(dataset.subjects(RDF_TYPE, nif("Context")))
    assert contexts == [URIRef(f"{BASE}source/turkey-kazakhstan-ulker-interview#char=0,"
                               f"{len(text)}")]
    assert dataset.value(contexts[0], nif("isString")) == Literal(text)


def test_every_fact_graph_has_sentence_document_and_pattern(dataset: Dataset) -> None:
    fact_graphs = [g.identifier for g in dataset.graphs()
                   if str(g.identifier).startswith(BASE + "graph/fact/")]
    assert len(fact_graphs) == 35
    for name in fact_graphs:
        sentence = dataset.value(name, URIRef(DK + "sentence"))
        assert (sentence, RDF_TYPE, nif("Sentence")) in dataset
        assert dataset.value(name, URIRef(PROV + "wasDerivedFrom")) == URIRef(
            BASE + "source/turkey-kazakhstan-ulker-interview")
        pattern = dataset.value(name, URIRef(PROV + "wasGeneratedBy"))
        pattern_id = str(dataset.value(pattern, URIRef(DK + "patternId")))
        assert str(name).endswith("/" + pattern_id)
        begin, end = str(name).split("/")[-2].split("-")
        assert str(sentence).endswith(f"#char={begin},{end}")


def test_fact_graph_names_the_sentence_it_came_from(dataset: Dataset) -> None:
    summit = URIRef(BASE + "id/summit/almaty_2011-10-21")
    graphs = {g for g, in dataset.query(
        "SELECT ?g WHERE { GRAPH ?g { ?s <https://w3id.org/diplo-kg/ontology#location> ?o } "
        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/diplo-kg/graph/fact/')) }",
        initBindings={"s": summit})}
    # a token pattern and a frame rule both read it; each of their graphs cites that sentence
    assert {str(g).rsplit("/", 1)[-1] for g in graphs} == {"body-summit-held", "summit-frame"}
    for graph in graphs:
        sentence = dataset.value(graph, URIRef(DK + "sentence"))
        assert str(dataset.value(sentence, nif("anchorOf"))) == (
            "Cooperation Council's first Summit was successfully held in Almaty on 21 October "
            "2011.")


def test_mentions_link_their_entity(dataset: Dataset) -> None:
    ulker = URIRef(BASE + "id/lale-ulker")
    mentions = set(dataset.subjects(URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef"), ulker))
    # the title line twice, the introduction, and "I would like to gladly note …"
    assert sorted(str(dataset.value(m, nif("anchorOf"))) for m in mentions) == [
        "I", "Lale Ülker", "Lale Ülker", "Lale Ülker"]


def test_metadata_keeps_its_status(dataset: Dataset) -> None:
    doc = URIRef(BASE + "source/turkey-kazakhstan-ulker-interview")
    claim = URIRef(BASE + "source/turkey-kazakhstan-ulker-interview/metadata/date")
    assert dataset.value(claim, URIRef(DK + "status")) == URIRef(DK + "inferred")
    assert dataset.value(doc, URIRef("http://purl.org/dc/terms/date")) is None
    assert str(dataset.value(doc, URIRef("http://purl.org/dc/terms/publisher"))) == \
        "eurodialogue.eu"
    assert (doc, RDF_TYPE, URIRef(DK + "Interview")) in dataset


def test_links_only_for_confirmed_ids(dataset: Dataset) -> None:
    same_as = URIRef("http://www.w3.org/2002/07/owl#sameAs")
    links = dataset.graph(URIRef(BASE + "graph/links"))
    linked = {str(s).rsplit("/", 1)[-1]: str(o).rsplit("/", 1)[-1]
              for s, _, o in links.triples((None, same_as, None))}
    assert linked["turkey"] == "Q43" and linked["kazakhstan"] == "Q232"
    assert linked["nursultan-nazarbayev"] == "Q57394"
    assert "lale-ulker" not in linked and "cica" not in linked


def test_no_blank_nodes_in_the_dataset(dataset: Dataset) -> None:
    assert [q for q in dataset.quads() if any(isinstance(t, BNode) for t in q[:3])] == []
