"""The one small interface the web layer reaches data through.

``Store`` is what routes may use; ``DatasetStore`` implements it with rdflib: a copy of the
dataset in this process for exports and graph reads, and a WorkerPool for queries and writes
(so a runaway query can be killed). An on-disk Oxigraph store or a remote SPARQL store can
implement the same protocol later without touching the routes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
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


class ResultCache:
    """Answers of repeated queries, least recently used first out, bounded in count and bytes.

    The data only change by writes, and every write empties the cache, so a hit is always the
    answer the workers would give now.
    """

    def __init__(self, entries: int, max_bytes: int):
        self._entries = entries
        self._max_bytes = max_bytes
        self._items: OrderedDict[QueryRequest, QueryAnswer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, request: QueryRequest) -> QueryAnswer | None:
        with self._lock:
            answer = self._items.get(request)
            if answer is not None:
                self._items.move_to_end(request)
            return answer

    def put(self, request: QueryRequest, answer: QueryAnswer) -> None:
        if self._entries == 0 or len(answer.body) > self._max_bytes:
            return
        with self._lock:
            if request in self._items:
                return
            self._items[request] = answer
            self._bytes += len(answer.body)
            while len(self._items) > self._entries or self._bytes > self._max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


class DatasetStore:
    """rdflib-backed store: reads here, queries and writes through worker processes."""

    def __init__(self, dataset_path: Path | None, base_iri: str, workers: int,
                 allowed_services: tuple[str, ...] = (), cache_entries: int = 0,
                 cache_bytes: int = 64_000_000):
        self.base_iri = base_iri
        self._dataset = load_dataset(dataset_path) if dataset_path else new_dataset()
        self._lock = threading.Lock()
        self._exports: dict[tuple[str, tuple[str, ...] | None], bytes] = {}
        self._results = ResultCache(cache_entries, cache_bytes)
        self._pool = WorkerPool(dataset_path, workers, allowed_services)

    def query(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        cached = self._results.get(request)
        if cached is not None:
            return cached
        answer = self._pool.query(request, timeout)
        self._results.put(request, answer)
        return answer

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None:
        with self._lock:
            self._results.clear()
            try:
                self._pool.write(op, timeout)
                apply_op(self._dataset, op)
            finally:
                self._results.clear()
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
