"""Assemble the dataset: ontology, entities, links, one graph per (sentence, pattern), provenance.

Named graphs (under the base IRI): graph/ontology, graph/entities (what the gazetteer says of
the entities the sources mention), graph/links (owl:sameAs to Wikidata), graph/fact/… (facts,
one graph per sentence and pattern), graph/provenance (NIF + PROV-O), graph/inferred (reason.py).
Which graphs a name stands for is graphs.py's, which needs no extraction stack.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.nquads import _nq_row
from rdflib.term import Node

from kg.dataset import provenance
from kg.dataset.io import new_dataset
from kg.dataset.quads import Quads
from kg.extract.model import DocumentRef, EntityRef, Extraction, NodeRef, Term
from kg.inputs.gazetteer import Gazetteer, GazetteerEntry
from kg.inputs.patterns import PatternSet
from kg.inputs.sources import Source
from kg.iris import Iris
from kg.vocab import DK, OWL, PROV, RDF, RDFS, SKOS, WD


@dataclass(frozen=True)
class Resources:
    """The curated inputs every build uses."""

    ontology: Graph
    gazetteer: Gazetteer
    patterns: PatternSet


@dataclass(frozen=True)
class DocumentPart:
    """What one document adds to the dataset, in a form that outlives the process that made
    it: its quads as sorted N-Quads lines (its provenance and its fact graphs), and the
    gazetteer entities and patterns it used, which assemble() describes once for the corpus.
    A build keeps one per document on disk (the extraction cache) instead of in memory."""

    source_id: str
    quads: tuple[str, ...]
    entities: tuple[str, ...]
    patterns: tuple[str, ...]
    fact_graphs: int


def document_part(source: Source, extraction: Extraction, iris: Iris) -> DocumentPart:
    """The document's share of the dataset; a pure function of the source and the extraction."""
    # Sets of triples per graph, as rdflib's store would keep them, written as rdflib's N-Quads
    # serialiser writes them (its own row function): the same lines without its store.
    graphs: dict[URIRef, set[tuple[Node, Node, Node]]] = {}
    prov = graphs.setdefault(iris.graph("provenance"), set())
    mentioned = {m.entity for m in extraction.mentions}
    entity_iri = {ref: iris.entity(ref) for ref in mentioned}
    provenance.describe_source(prov, iris, source)
    provenance.describe_text(prov, iris, source, extraction, entity_iri)
    entities = {ref.key for ref in mentioned if ref.origin == "gazetteer"}
    for fact in extraction.facts:
        name = provenance.describe_fact_graph(prov, iris, source.id, fact.sentence,
                                              fact.pattern_id, fact.dated_by_document,
                                              fact.context)
        graph = graphs.setdefault(name, set())
        for s, p, o in fact.triples:
            graph.add((_term(s, iris), p, _term(o, iris)))
            entities |= {t.key for t in (s, o)
                         if isinstance(t, EntityRef) and t.origin == "gazetteer"}
    text = "".join(_nq_row(triple, name) for name, triples in graphs.items()
                   for triple in triples)
    lines = text.encode("utf-8", "replace").decode("utf-8").splitlines()
    return DocumentPart(source.id, tuple(sorted(line for line in lines if line.strip())),
                        tuple(sorted(entities)),
                        tuple(sorted({fact.pattern_id for fact in extraction.facts})),
                        len(extraction.facts))


def assemble(resources: Resources, parts: Iterable[DocumentPart], iris: Iris) -> Dataset:
    """Every graph but the inferred one, from the resources and the documents' parts (read one
    at a time: only the dataset itself grows with the corpus)."""
    dataset = new_dataset()
    dataset.bind("kg", iris.base)
    return assemble_quads(resources, parts, iris).to_dataset(dataset)


def assemble_quads(resources: Resources, parts: Iterable[DocumentPart], iris: Iris) -> Quads:
    """assemble()'s graphs without an rdflib store (quads.py: what `kg build` writes)."""
    quads = Quads()
    quads.add(iris.graph("ontology"), skolemized(resources.ontology, iris))
    entities: set[str] = set()
    used_patterns: set[str] = set()
    for part in parts:
        if part.quads:
            quads.add_nquads("\n".join(part.quads))
        entities.update(part.entities)
        used_patterns.update(part.patterns)
    described = Dataset()  # the patterns and entities the corpus uses: a few, by rdflib
    prov = described.graph(iris.graph("provenance"))
    provenance.describe_patterns(prov, iris, resources.patterns, used_patterns)
    _describe_entities(described, iris, resources.gazetteer, entities)
    for graph in described.graphs():
        if graph.identifier != DATASET_DEFAULT_GRAPH_ID:
            quads.add(URIRef(str(graph.identifier)), graph)
    return quads


def skolemized(graph: Graph, iris: Iris) -> Graph:
    """The graph with blank nodes (OWL lists, restrictions) replaced by stable IRIs.

    Canonical labelling first, so the same ontology always gives the same
    '.well-known/genid/' IRIs (RDF 1.1 skolem IRIs) and exports never carry random labels.
    """
    out = Graph()
    for s, p, o in to_canonical_graph(graph):
        out.add((_skolem(s, iris), p, _skolem(o, iris)))
    return out


def _skolem(term: Node, iris: Iris) -> Node:
    return iris.skolem(str(term)) if isinstance(term, BNode) else term


def _term(term: Term, iris: Iris) -> URIRef | Literal:
    if isinstance(term, EntityRef):
        return iris.entity(term)
    if isinstance(term, NodeRef):
        return iris.node(term)
    if isinstance(term, DocumentRef):
        return iris.document(term)
    return term


def _describe_entities(dataset: Dataset, iris: Iris, gazetteer: Gazetteer,
                       keys: set[str]) -> None:
    """Gazetteer knowledge of the entities the sources name, and of the states they lie in."""
    entities = dataset.graph(iris.graph("entities"))
    links = dataset.graph(iris.graph("links"))
    prov = dataset.graph(iris.graph("provenance"))
    todo = sorted(keys)
    done: set[str] = set()
    while todo:
        key = todo.pop()
        entry = gazetteer.get(key)
        if key in done or entry is None:
            continue
        done.add(key)
        todo += [k for k in (entry.country, entry.capital_of) if k]
        _describe_entry(entities, links, iris, entry)
        provenance.describe_gazetteer_entry(prov, iris, entry)


def _describe_entry(entities: Graph, links: Graph, iris: Iris, entry: GazetteerEntry) -> None:
    node = iris.entity_key(entry.key)
    entities.add((node, RDF.type, DK[entry.cls]))
    entities.add((node, RDFS.label, Literal(entry.label, lang="en")))
    for alias in entry.aliases:
        entities.add((node, SKOS.altLabel, Literal(alias, lang="en")))
    entities.add((node, PROV.wasDerivedFrom, iris.gazetteer_entry(entry.key)))
    if entry.country:
        prop = DK.citizenOf if entry.cls == "Person" else DK.country
        entities.add((node, prop, iris.entity_key(entry.country)))
    if entry.capital_of:
        entities.add((node, DK.capitalOf, iris.entity_key(entry.capital_of)))
    if entry.iso3:
        entities.add((node, DK.isoAlpha3, Literal(entry.iso3)))
    if entry.wikidata:
        links.add((node, OWL.sameAs, WD[entry.wikidata]))


__all__ = ["DocumentPart", "Resources", "assemble", "assemble_quads", "document_part"]
