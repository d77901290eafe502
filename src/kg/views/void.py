"""A VoID description of the dataset (https://www.w3.org/TR/void/), served at /.well-known/void.

Triples are counted per named graph (as quads), so the graph subsets, the class and property
partitions and the whole agree with each other and with the N-Quads dump. Partition and subset
nodes are blank nodes with labels derived from sorted IRIs, so the same data always gives the
same description.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, XSD
from rdflib.term import Node

from kg.iris import Iris
from kg.vocab import DK, SD, VOID, WD

WIKIDATA_SPARQL = URIRef("https://query.wikidata.org/sparql")
WIKIDATA_HOME = URIRef("https://www.wikidata.org/")


@dataclass(frozen=True)
class ServiceUrls:
    """Where the server that publishes the description answers (the web layer knows)."""

    description: str                     # the VoID document itself
    sparql: str                          # the SPARQL endpoint
    dumps: tuple[str, ...]               # whole-dataset dumps, one per RDF format
    graph_dump: Callable[[str], str]     # a dump of one named graph


def void_graph(dataset: Dataset, base_iri: str, urls: ServiceUrls) -> Graph:
    """The dataset's VoID description, pointing at the server's endpoint and dumps."""
    doc = urls.description
    whole = URIRef(f"{doc}#diplo-kg")
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("sd", SD)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)

    quads = 0
    subjects: set[Node] = set()
    objects: set[Node] = set()
    class_members: dict[URIRef, set[Node]] = {}
    properties: Counter[Node] = Counter()
    graph_sizes: dict[URIRef, int] = {}
    for named in dataset.graphs():
        size = 0
        for s, p, o in named:
            size += 1
            subjects.add(s)
            objects.add(o)
            properties[p] += 1
            if p == RDF.type and isinstance(o, URIRef):
                class_members.setdefault(o, set()).add(s)
        quads += size
        if size and named.identifier != DATASET_DEFAULT_GRAPH_ID:
            graph_sizes[URIRef(str(named.identifier))] = size
    uri_space = Iris(base_iri).entity_space()
    entities = sum(1 for s in subjects if isinstance(s, URIRef) and str(s).startswith(uri_space))

    add = graph.add
    add((URIRef(doc), RDF.type, VOID.DatasetDescription))
    add((URIRef(doc), DCTERMS.title, Literal("VoID description of diplo-kg", lang="en")))
    add((URIRef(doc), FOAF.primaryTopic, whole))
    add((whole, RDF.type, VOID.Dataset))
    add((whole, DCTERMS.title, Literal("diplo-kg", lang="en")))
    add((whole, DCTERMS.description, Literal(
        "A knowledge graph of relations between states, built from text.", lang="en")))
    add((whole, VOID.sparqlEndpoint, URIRef(urls.sparql)))
    for url in urls.dumps:
        add((whole, VOID.dataDump, URIRef(url)))
    add((whole, VOID.uriSpace, Literal(uri_space)))
    add((whole, VOID.vocabulary, URIRef(str(DK))))
    for name, value in (("triples", quads), ("entities", entities),
                        ("classes", len(class_members)), ("properties", len(properties)),
                        ("distinctSubjects", len(subjects)), ("distinctObjects", len(objects))):
        add((whole, VOID[name], _count(value)))

    for index, cls in enumerate(sorted(class_members)):
        node = BNode(f"class{index}")
        add((whole, VOID.classPartition, node))
        add((node, VOID["class"], cls))
        add((node, VOID.entities, _count(len(class_members[cls]))))
    for index, prop in enumerate(sorted(properties, key=str)):
        node = BNode(f"property{index}")
        add((whole, VOID.propertyPartition, node))
        add((node, VOID.property, prop))
        add((node, VOID.triples, _count(properties[prop])))
    for index, name in enumerate(sorted(graph_sizes)):
        node = BNode(f"graph{index}")
        add((whole, VOID.subset, node))
        add((node, RDF.type, VOID.Dataset))
        add((node, SD.name, name))
        add((node, VOID.triples, _count(graph_sizes[name])))
        add((node, VOID.dataDump, URIRef(urls.graph_dump(str(name)))))

    _linkset(graph, dataset, Iris(base_iri), whole, URIRef(f"{doc}#wikidata"),
             URIRef(f"{doc}#wikidata-links"))
    return graph


def _linkset(graph: Graph, dataset: Dataset, iris: Iris, whole: URIRef, wikidata: URIRef,
             linkset: URIRef) -> None:
    """The owl:sameAs links to Wikidata (the links graph) as a void:Linkset."""
    links = dataset.graph(iris.graph("links"))
    count = sum(1 for _, _, o in links.triples((None, OWL.sameAs, None))
                if str(o).startswith(str(WD)))
    graph.add((wikidata, RDF.type, VOID.Dataset))
    graph.add((wikidata, DCTERMS.title, Literal("Wikidata", lang="en")))
    graph.add((wikidata, FOAF.homepage, WIKIDATA_HOME))
    graph.add((wikidata, VOID.uriSpace, Literal(str(WD))))
    graph.add((wikidata, VOID.sparqlEndpoint, WIKIDATA_SPARQL))
    graph.add((whole, VOID.subset, linkset))
    graph.add((linkset, RDF.type, VOID.Linkset))
    graph.add((linkset, VOID.linkPredicate, OWL.sameAs))
    for target in (whole, wikidata):
        graph.add((linkset, VOID.target, target))
    graph.add((linkset, VOID.subjectsTarget, whole))
    graph.add((linkset, VOID.objectsTarget, wikidata))
    graph.add((linkset, VOID.triples, _count(count)))


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)
