"""The one small interface the web layer reaches data through.

``Store`` is what routes may use; ``DatasetStore`` implements it with rdflib: a copy of the
dataset in this process for exports and graph reads, and a WorkerPool for queries and writes
(so a runaway query can be killed). An on-disk Oxigraph store or a remote SPARQL store can
implement the same protocol later without touching the routes.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .graph import new_dataset
from .pool import WorkerPool
from .query import load_dataset
from .serialize import RdfFormat, serialize, serialize_graph
from .worker import GraphOp, QueryAnswer, QueryRequest, UpdateOp, apply_op


class Store(Protocol):
    def query(self, request: QueryRequest, timeout: float) -> QueryAnswer: ...

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None: ...

    def graph_names(self) -> list[str]: ...

    def has_graph(self, name: str | None) -> bool: ...

    def graph_bytes(self, name: str | None, fmt: RdfFormat) -> bytes: ...

    def export(self, fmt: RdfFormat, graphs: list[str] | None) -> bytes: ...

    def dataset(self) -> Dataset: ...

    def close(self) -> None: ...


class DatasetStore:
    """rdflib-backed store: reads here, queries and writes through worker processes."""

    def __init__(self, dataset_path: Path | None, base_iri: str, workers: int,
                 allowed_services: tuple[str, ...] = ()):
        self.base_iri = base_iri
        self._dataset = load_dataset(dataset_path) if dataset_path else new_dataset()
        self._lock = threading.Lock()
        self._exports: dict[tuple[str, tuple[str, ...] | None], bytes] = {}
        self._pool = WorkerPool(dataset_path, workers, allowed_services)

    def query(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        return self._pool.query(request, timeout)

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None:
        with self._lock:
            self._pool.write(op, timeout)
            apply_op(self._dataset, op)
            self._exports.clear()

    def graph_names(self) -> list[str]:
        with self._lock:
            return sorted(str(g.identifier) for g in self._dataset.graphs()
                          if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g))

    def has_graph(self, name: str | None) -> bool:
        if name is None:
            return True
        return name in self.graph_names()

    def graph_bytes(self, name: str | None, fmt: RdfFormat) -> bytes:
        """One graph (None: the default graph, i.e. the union of all) in a triple format."""
        with self._lock:
            source = self._dataset.graph(URIRef(name)) if name else self._dataset
            graph = Graph()
            for triple in source.triples((None, None, None)):
                graph.add(triple)
        return serialize_graph(graph, fmt, self.base_iri)

    def export(self, fmt: RdfFormat, graphs: list[str] | None) -> bytes:
        """Same bytes as `kg export` (cached until the next write)."""
        key = (fmt.name, tuple(graphs) if graphs is not None else None)
        with self._lock:
            if key not in self._exports:
                names = [URIRef(g) for g in graphs] if graphs is not None else None
                self._exports[key] = serialize(self._dataset, fmt, self.base_iri, names)
            return self._exports[key]

    def dataset(self) -> Dataset:
        return self._dataset

    def close(self) -> None:
        self._pool.close()
