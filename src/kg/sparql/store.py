"""The Store: the only way from routes, pages and commands to the data.

``Store`` is the interface; ``DatasetStore`` implements it with rdflib: queries and writes go
through a WorkerPool (so a runaway query can be killed), and readers in this process get an
immutable ``Snapshot``, replaced (never changed) by each write and numbered by version, so read
models are rebuilt once per write and never see a write half-done. Another store (on disk,
remote) implements the same five methods; the tests run the routes on a second one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.dataset.io import copy_dataset, load_dataset, new_dataset
from kg.dataset.serialize import serialize, serialize_graph
from kg.errors import NotBuiltError
from kg.formats import RdfFormat
from kg.settings import Settings
from kg.sparql.cache import BoundedCache
from kg.sparql.execute import QueryAnswer, QueryRequest
from kg.sparql.pool import WorkerPool
from kg.sparql.worker import GraphOp, UpdateOp, apply_op

EXPORTS_KEPT = 16  # exports of one version kept in memory (formats × graph selections)


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


class Store(Protocol):
    def query(self, request: QueryRequest, timeout: float) -> QueryAnswer: ...

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None: ...

    def snapshot(self) -> Snapshot: ...

    def export(self, fmt: RdfFormat, graphs: list[str] | None) -> bytes: ...

    def close(self) -> None: ...


def open_store(settings: Settings, workers: int | None = None) -> DatasetStore:
    """The store the settings describe (the one place a store is made from settings)."""
    return DatasetStore(settings.path("dataset_file"), settings.base_iri,
                        workers or settings.workers, settings.allowed_services,
                        settings.result_cache_entries, settings.result_cache_mb * 1_000_000)


def graph_bytes(store: Store, name: str | None, fmt: RdfFormat, base_iri: str) -> bytes:
    """One graph of a store (None: the default graph) in a triple format."""
    return serialize_graph(store.snapshot().graph(name), fmt, base_iri)


def has_graph(store: Store, name: str | None) -> bool:
    return name is None or name in store.snapshot().graph_names()


class DatasetStore:
    """rdflib-backed store: queries and writes through worker processes, reads on a snapshot.

    The in-process copy is read from the file on first use, so a command that only queries
    (``kg query``) loads the data once, in its worker.
    """

    def __init__(self, dataset_path: Path | None, base_iri: str, workers: int,
                 allowed_services: tuple[str, ...] = (), cache_entries: int = 0,
                 cache_bytes: int = 64_000_000):
        if dataset_path is not None and not dataset_path.exists():
            raise NotBuiltError(f"no dataset at {dataset_path}: run `kg build` first")
        self.base_iri = base_iri
        self._path = dataset_path
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._exports: BoundedCache[tuple[str, tuple[str, ...] | None], bytes] = BoundedCache(
            EXPORTS_KEPT, cache_bytes)
        self._results: BoundedCache[QueryRequest, QueryAnswer] = BoundedCache(
            cache_entries, cache_bytes)
        self._pool = WorkerPool(dataset_path, workers, allowed_services)

    def query(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        cached = self._results.get(request)
        if cached is not None:
            return cached
        answer = self._pool.query(request, timeout)
        self._results.put(request, answer, len(answer.body))
        return answer

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None:
        with self._lock:
            current = self._current()
            self._results.clear()
            try:
                self._pool.write(op, timeout)
                updated = copy_dataset(current.dataset)
                apply_op(updated, op)
                self._snapshot = Snapshot(current.version + 1, updated)
            finally:
                self._results.clear()
                self._exports.clear()

    def snapshot(self) -> Snapshot:
        with self._lock:
            return self._current()

    def _current(self) -> Snapshot:
        if self._snapshot is None:
            dataset = load_dataset(self._path) if self._path else new_dataset()
            self._snapshot = Snapshot(0, dataset)
        return self._snapshot

    def export(self, fmt: RdfFormat, graphs: list[str] | None) -> bytes:
        """Same bytes as `kg export` (kept until the next write)."""
        snapshot = self.snapshot()
        key = (f"{snapshot.version}:{fmt.name}", tuple(graphs) if graphs is not None else None)
        found = self._exports.get(key)
        if found is None:
            names = [URIRef(g) for g in graphs] if graphs is not None else None
            found = serialize(snapshot.dataset, fmt, self.base_iri, names)
            self._exports.put(key, found, len(found))
        return found

    def close(self) -> None:
        self._pool.close()
