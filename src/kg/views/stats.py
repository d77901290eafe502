"""Counts for `kg stats`: triples per graph and entities per class."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.iris import GRAPH_NAMES, Iris
from kg.vocab import DK, RDF


@dataclass(frozen=True)
class Stats:
    graphs: dict[str, int]   # short graph name → triples ('facts' sums every fact graph)
    fact_graphs: int
    total_quads: int
    classes: dict[str, int]  # dk class → distinct entities under the base IRI (inferred types too)


def dataset_stats(dataset: Dataset, iris: Iris) -> Stats:
    graphs: Counter[str] = Counter()
    fact_graphs = 0
    total = 0
    names = {str(iris.graph(n)): n for n in GRAPH_NAMES}
    for graph in dataset.graphs():
        if graph.identifier == DATASET_DEFAULT_GRAPH_ID:
            continue
        size = len(graph)
        total += size
        name = names.get(str(graph.identifier))
        if name is None and str(graph.identifier).startswith(iris.fact_graph_prefix()):
            name = "facts"
            fact_graphs += 1
        graphs[name or str(graph.identifier)] += size
    members: dict[str, set[URIRef]] = {}
    for subject, _, cls in dataset.triples((None, RDF.type, None)):
        if isinstance(subject, URIRef) and str(subject).startswith(iris.base) \
                and not str(subject).startswith(str(DK)) and str(cls).startswith(str(DK)):
            members.setdefault(str(cls)[len(str(DK)):], set()).add(subject)
    classes = {cls: len(found) for cls, found in sorted(members.items())}
    return Stats(dict(sorted(graphs.items())), fact_graphs, total, classes)
