"""The Store: the only way from routes, pages and commands to the data.

``Store`` is the interface. ``DatasetStore`` implements it with rdflib: queries and writes go
through a WorkerPool (so a runaway query can be killed), and readers in this process get an
immutable ``Snapshot``, replaced (never changed) by each write and numbered by version, so read
models are rebuilt once per write and never see a write half-done. ``OxigraphStore``
(oxigraph_store.py, the default) implements the same interface on disk; ``open_store`` picks
one from the ``store`` setting, and the tests run the routes on both and on a third. Each store
also reads a query before it runs (its form, for negotiation; its SERVICE/LOAD IRIs, for the
allow-list) as its engine will: rdflib's parser for rdflib, the query's tokens for Oxigraph,
whose engine takes queries that rdflib's parser rejects.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

from kg.dataset.io import copy_dataset, load_dataset, new_dataset
from kg.dataset.serialize import serialize_graph
from kg.errors import NotBuiltError
from kg.formats import RdfFormat
from kg.settings import Settings
from kg.sparql import oxigraph_files
from kg.sparql.cache import BoundedCache
from kg.sparql.execute import QueryAnswer, QueryRequest
from kg.sparql.ops import GraphOp, UpdateOp
from kg.sparql.oxigraph_store import OxigraphStore
from kg.sparql.parse import ParsedQuery, ParsedUpdate, parse_query, parse_update
from kg.sparql.pool import WorkerPool
from kg.sparql.snapshot import EXPORTS_KEPT, ExportKey, Snapshot, export
from kg.sparql.worker import apply_op, worker_main

__all__ = ["DatasetStore", "OxigraphStore", "Snapshot", "Store", "load_store", "open_store"]


class Store(Protocol):
    def parse_query(self, text: str) -> ParsedQuery: ...

    def parse_update(self, text: str) -> ParsedUpdate: ...

    def query(self, request: QueryRequest, timeout: float) -> QueryAnswer: ...

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None: ...

    def snapshot(self) -> Snapshot: ...

    def graph_names(self) -> list[str]:
        """The named graphs that hold triples, sorted (what /health counts): the same as
        ``snapshot().graph_names()``, without making a snapshot where that costs a copy."""
        ...

    def export(self, fmt: RdfFormat, graphs: list[str] | None) -> bytes: ...

    def close(self) -> None: ...


def open_store(settings: Settings, workers: int | None = None) -> Store:
    """The store the settings describe (the one place a store is made from settings)."""
    options = (settings.base_iri, workers or settings.workers, settings.allowed_services,
               settings.result_cache_entries, settings.result_cache_mb * 1_000_000)
    path = settings.store_path()
    if path is None:
        return DatasetStore(settings.path("dataset_file"), *options)
    return OxigraphStore(path, settings.path("dataset_file"), *options)


def load_store(settings: Settings) -> None:
    """Bring the settings' store up to date with the dataset file, as `kg build` does after
    writing it (the memory store reads the file whenever it is opened: nothing to do)."""
    path = settings.store_path()
    if path is not None:
        oxigraph_files.prepare(path, settings.path("dataset_file"))


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
        self._exports: BoundedCache[ExportKey, bytes] = BoundedCache(EXPORTS_KEPT, cache_bytes)
        self._results: BoundedCache[QueryRequest, QueryAnswer] = BoundedCache(
            cache_entries, cache_bytes)
        self._pool = WorkerPool(worker_main, (str(dataset_path) if dataset_path else None,
                                              allowed_services), workers)

    def parse_query(self, text: str) -> ParsedQuery:
        return parse_query(text)

    def parse_update(self, text: str) -> ParsedUpdate:
        return parse_update(text)

    def query(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        return self._results.through(request, lambda: self._pool.query(request, timeout),
                                     lambda answer: len(answer.body))

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

    def graph_names(self) -> list[str]:
        return self.snapshot().graph_names()

    def _current(self) -> Snapshot:
        if self._snapshot is None:
            dataset = load_dataset(self._path) if self._path else new_dataset()
            self._snapshot = Snapshot(0, dataset)
        return self._snapshot

    def export(self, fmt: RdfFormat, graphs: list[str] | None) -> bytes:
        return export(self.snapshot(), fmt, graphs, self.base_iri, self._exports)

    def close(self) -> None:
        self._pool.close()
