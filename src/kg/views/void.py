"""A VoID description of the dataset (https://www.w3.org/TR/void/), served at /.well-known/void.

Triples are counted per named graph (as quads), so the graph subsets, the class and property
partitions and the whole agree with each other and with the N-Quads dump. Partition and subset
nodes are blank nodes with labels derived from sorted IRIs, so the same data always gives the
same description.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, XSD
from rdflib.term import Node

from kg.dataset.reader import Reader
from kg.iris import Iris
from kg.views.reads import select
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


def void_graph(reader: Reader, base_iri: str, urls: ServiceUrls) -> Graph:
    """The dataset's VoID description, pointing at the server's endpoint and dumps."""
    doc = urls.description
    whole = URIRef(f"{doc}#diplo-kg")
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("sd", SD)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)

    uri_space = Iris(base_iri).entity_space()
    sizes = {URIRef(str(g)): count(n) for g, n in select(reader, "void-graphs")}
    quads = sum(sizes.values())  # the unnamed graph's too
    graph_sizes = {name: size for name, size in sizes.items()
                   if size and name != DATASET_DEFAULT_GRAPH_ID}
    ((subjects, objects, entities),) = select(reader, "void-distinct", space=Literal(uri_space))
    # (rdflib answers a GROUP BY over no row with one row of nothing: no class, no property)
    class_members = {c: count(n) for c, n in select(reader, "void-classes") if c is not None}
    properties = {p: count(n) for p, n in select(reader, "void-properties") if p is not None}

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
    for name, value in (("triples", quads), ("entities", count(entities)),
                        ("classes", len(class_members)), ("properties", len(properties)),
                        ("distinctSubjects", count(subjects)),
                        ("distinctObjects", count(objects))):
        add((whole, VOID[name], _count(value)))

    for index, cls in enumerate(sorted(class_members)):
        node = BNode(f"class{index}")
        add((whole, VOID.classPartition, node))
        add((node, VOID["class"], cls))
        add((node, VOID.entities, _count(class_members[cls])))
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

    _linkset(graph, reader, Iris(base_iri), whole, URIRef(f"{doc}#wikidata"),
             URIRef(f"{doc}#wikidata-links"))
    return graph


def _linkset(graph: Graph, reader: Reader, iris: Iris, whole: URIRef, wikidata: URIRef,
             linkset: URIRef) -> None:
    """The owl:sameAs links to Wikidata (the links graph) as a void:Linkset."""
    ((links,),) = select(reader, "void-links", links=iris.graph("links"), space=Literal(str(WD)))
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
    graph.add((linkset, VOID.triples, _count(count(links))))


def count(value: Node | None) -> int:
    """A COUNT's value, as the store answered it."""
    return int(str(value))


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)
