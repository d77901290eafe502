"""The Store: the only way from routes, pages and commands to the data.

``Store`` is the interface. ``DatasetStore`` implements it with rdflib: queries and writes go
through a WorkerPool (so a runaway query can be killed), and readers in this process get an
immutable ``Snapshot``, replaced (never changed) by each write and numbered by version, so read
models are rebuilt once per write and never see a write half-done. ``OxigraphStore``
(oxigraph_store.py, the default) implements the same interface on disk, and ``RemoteStore``
(remote_store.py) on another SPARQL server; ``open_store`` picks one from the ``store``
setting, and the tests run the routes on each. Each store
also reads a query before it runs (its form, for negotiation; its SERVICE/LOAD IRIs, for the
allow-list) as its engine will: rdflib's parser for rdflib, the query's tokens for Oxigraph,
whose engine takes queries that rdflib's parser rejects.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

from rdflib import Graph, URIRef

from kg.dataset.io import check_dataset_file, copy_dataset, load_dataset, new_dataset
from kg.dataset.reader import DatasetReader, Row
from kg.dataset.serialize import serialize_graph
from kg.errors import DataFileError, WorkerCrashed
from kg.formats import RdfFormat
from kg.settings import STORE_REMOTE, Settings
from kg.sparql import oxigraph_files, remote_load
from kg.sparql.cache import BoundedCache
from kg.sparql.execute import QueryAnswer, QueryRequest
from kg.sparql.ops import GraphOp, QuadsOp, UpdateOp
from kg.sparql.oxigraph_store import OxigraphStore
from kg.sparql.parse import ParsedQuery, parse_query, prepared_read
from kg.sparql.pool import NO_LIMITS, PoolHealth, PoolLimits, WorkerPool
from kg.sparql.remote_load import Progress
from kg.sparql.remote_store import Endpoints, RemoteStore
from kg.sparql.snapshot import EXPORTS_KEPT, ExportKey, Snapshot, export
from kg.sparql.worker import apply_op, worker_main

__all__ = ["DatasetStore", "OxigraphStore", "ReadsWithRdflib", "RemoteStore", "Snapshot", "Store",
           "load_store", "open_store"]


class ReadsWithRdflib:
    """Reading a query as a store whose engine is rdflib's: with rdflib's parser,
    so its syntax errors and its idea of the query form are the engine's own."""

    def parse_query(self, text: str) -> ParsedQuery:
        return parse_query(text)


class Store(Protocol):
    # Whether the default graph of ``select`` is a graph of its own (where an update without
    # GRAPH writes), apart from the named graphs; a remote server's is the union instead.
    unnamed_graph: bool

    def parse_query(self, text: str) -> ParsedQuery: ...

    def query(self, request: QueryRequest, timeout: float,
              long_only: bool = False) -> QueryAnswer:
        """``long_only``: the query may not take the worker kept for cheap queries (its
        client's queries ran long before)."""
        ...

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None: ...

    def select(self, text: str, timeout: float) -> list[Row]:
        """The rows of a SELECT that a read model (a page, search, VoID) asks, within
        ``timeout`` seconds: the store's own engine reads the data where it is, so a page
        never needs a copy of the whole dataset in this process."""
        ...

    def version(self) -> int:
        """Moves on with every write, so read models know when to ask again."""
        ...

    def snapshot(self) -> Snapshot:
        """The whole dataset as one rdflib copy: for exports and commands, not for pages."""
        ...

    def graph_names(self) -> list[str]:
        """The named graphs that hold triples, sorted (what /health counts): the same as
        ``snapshot().graph_names()``, without making a snapshot where that costs a copy."""
        ...

    def export(self, fmt: RdfFormat, graphs: list[str] | None) -> bytes: ...

    def health(self) -> PoolHealth:
        """The query workers, for /health: never waits for a worker or a write."""
        ...

    def close(self) -> None: ...


def open_store(settings: Settings, workers: int | None = None) -> Store:
    """The store the settings describe (the one place a store is made from settings)."""
    options = (settings.base_iri, workers or settings.workers, settings.allowed_services,
               settings.result_cache_entries, settings.result_cache_mb * 1_000_000)
    limits = PoolLimits(settings.cheap_query_ms / 1000, settings.worker_memory_mb * 1_000_000)
    if settings.store.startswith(STORE_REMOTE):
        return RemoteStore(Endpoints.parse(settings.store), settings.base_iri,
                           settings.allowed_services, settings.result_cache_entries,
                           settings.result_cache_mb * 1_000_000, settings.remote_refresh_s)
    path = settings.store_path()
    if path is None:
        return DatasetStore(settings.path("dataset_file"), *options, limits=limits)
    return OxigraphStore(path, settings.path("dataset_file"), *options, limits=limits,
                         keep_after_s=settings.read_keep_ms / 1000)


def load_store(settings: Settings, progress: Progress = lambda xs: xs) -> None:
    """Bring the settings' store up to date with the dataset file, as `kg build` does after
    writing it (the memory store reads the file whenever it is opened: nothing to do)."""
    if settings.store.startswith(STORE_REMOTE):
        remote_load.load(Endpoints.parse(settings.store), settings.path("dataset_file"),
                         settings.base_iri, progress)
        return
    path = settings.store_path()
    if path is not None:
        oxigraph_files.prepare(path, settings.path("dataset_file"))


def graph_bytes(store: Store, name: str | None, fmt: RdfFormat, base_iri: str,
                timeout: float) -> bytes:
    """One graph of a store (None: the default graph, the union) in a triple format."""
    text = (f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH {URIRef(name).n3()} {{ ?s ?p ?o }} }}"
            if name else "SELECT DISTINCT ?s ?p ?o WHERE { { GRAPH ?g { ?s ?p ?o } } UNION "
            "{ ?s ?p ?o } }")
    graph = Graph()
    for triple in store.select(text, timeout):
        graph.add(triple)
    return serialize_graph(graph, fmt, base_iri)


def has_graph(store: Store, name: str | None) -> bool:
    return name is None or name in store.graph_names()


class DatasetStore(ReadsWithRdflib):
    """rdflib-backed store: queries and writes through worker processes, reads on a snapshot.

    The file is read once, at start: the workers (every one started later too) and the
    in-process copy load those bytes, so all serve one version whatever happens to the file
    (probe F16: after `kg build`, restarted workers served the new data, pages the old). The
    in-process copy is parsed on first use, so a command that only queries (``kg query``)
    parses the data once, in its worker. Readers never wait for a write (probe F20): a write
    swaps in a new snapshot when it is done.
    """

    unnamed_graph = True

    def __init__(self, dataset_path: Path | None, base_iri: str, workers: int,
                 allowed_services: tuple[str, ...] = (), cache_entries: int = 0,
                 cache_bytes: int = 64_000_000, limits: PoolLimits = NO_LIMITS):
        if dataset_path is not None:
            check_dataset_file(dataset_path)
        self.base_iri = base_iri
        self._path = dataset_path
        self._data = _read(dataset_path) if dataset_path else None
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()        # loads the in-process copy once
        self._write_lock = threading.Lock()  # one write at a time
        self._exports: BoundedCache[ExportKey, bytes] = BoundedCache(EXPORTS_KEPT, cache_bytes)
        self._results: BoundedCache[QueryRequest, QueryAnswer] = BoundedCache(
            cache_entries, cache_bytes)
        self._pool = WorkerPool(worker_main, (str(dataset_path) if dataset_path else None,
                                              self._data, allowed_services), workers,
                                limits=limits)

    def query(self, request: QueryRequest, timeout: float,
              long_only: bool = False) -> QueryAnswer:
        return self._results.through(
            request, lambda: self._pool.query(request, timeout, long_only),
            lambda answer: len(answer.body))

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None:
        with self._write_lock:
            current = self.snapshot()
            self._results.clear()
            try:
                change = self._pool.write(op, timeout)
                if not isinstance(change, QuadsOp):
                    raise WorkerCrashed(f"a write answered a {type(change).__name__}")
                updated = copy_dataset(current.dataset)
                apply_op(updated, change)  # what the worker did, not the write again
                self._snapshot = Snapshot(current.version + 1, updated)
            finally:
                self._results.clear()
                self._exports.clear()

    def select(self, text: str, timeout: float) -> list[Row]:
        """Read in this process, on the snapshot that the pages have always read (rdflib
        cannot stop a query: pages ask only what they show, or build an index once)."""
        return DatasetReader(self.snapshot().dataset, prepared_read).select(text)

    def version(self) -> int:
        return self.snapshot().version

    def snapshot(self) -> Snapshot:
        found = self._snapshot  # one read: a write replaces it whole
        if found is not None:
            return found
        with self._lock:
            if self._snapshot is None:
                dataset = load_dataset(self._path, self._data) if self._path else new_dataset()
                self._snapshot = Snapshot(0, dataset)
            return self._snapshot

    def graph_names(self) -> list[str]:
        return self.snapshot().graph_names()

    def health(self) -> PoolHealth:
        return self._pool.health()

    def export(self, fmt: RdfFormat, graphs: list[str] | None) -> bytes:
        return export(self.snapshot(), fmt, graphs, self.base_iri, self._exports)

    def close(self) -> None:
        self._pool.close()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read the dataset: {exc.strerror}") from exc
