"""A store's data as of one version, for the read models (pages, search, timeline, VoID).

Every store hands out the same kind of snapshot, an rdflib Dataset that nobody changes (a write
makes a new one), and writes its exports from it, so the bytes of an export are the same
whatever store is behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.dataset.serialize import serialize
from kg.formats import RdfFormat
from kg.sparql.cache import BoundedCache

EXPORTS_KEPT = 16  # exports of one version kept in memory (formats × graph selections)
ExportKey = tuple[str, tuple[str, ...] | None]


@dataclass(frozen=True)
class Snapshot:
    """The data as of one version. Nobody changes ``dataset``: a write makes a new snapshot."""

    version: int
    dataset: Dataset

    def graph_names(self) -> list[str]:
        """The named graphs that hold triples, sorted."""
        return sorted(str(g.identifier) for g in self.dataset.graphs()
                      if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g))

    def graph(self, name: str | None) -> Graph:
        """A copy of one graph (None: the default graph, the union of all)."""
        source = self.dataset.graph(URIRef(name)) if name else self.dataset
        graph = Graph()
        for triple in source.triples((None, None, None)):
            graph.add(triple)
        return graph


def export(snapshot: Snapshot, fmt: RdfFormat, graphs: list[str] | None, base_iri: str,
           kept: BoundedCache[ExportKey, bytes]) -> bytes:
    """Same bytes as `kg export`, kept until the next write."""
    key = (f"{snapshot.version}:{fmt.name}", tuple(graphs) if graphs is not None else None)
    found = kept.get(key)
    if found is None:
        names = [URIRef(g) for g in graphs] if graphs is not None else None
        found = serialize(snapshot.dataset, fmt, base_iri, names)
        kept.put(key, found, len(found))
    return found
