"""The Oxigraph store: the data on disk, queried by Oxigraph's own engine.

Queries run in worker processes that all open the one store on disk read-only (RocksDB lets
any number of processes read a store), so N workers cost one copy of the data on disk and a
block cache each, not N copies in memory. The deadline is the rdflib path's: a query over its
limit gets its worker killed (SIGKILL) and replaced. pyoxigraph has no way to cancel a query
from Python, and a thread cannot be stopped, so a killable process is the only sound stop; it
costs one process start (a read-only open, milliseconds) per runaway query. A killed writer
loses only its own transaction: Oxigraph applies an update in one RocksDB transaction.

Writes wait until the pool holds every worker, so no query reads while the store changes
(a read-only open is undefined while another process writes); see pool.py. That covers this
server's own workers only: another process reading the store (kg query, kg export) must not
run while a server with updates on writes to it.

The pages, search, timeline and VoID ask the store (``select``): a worker answers, so the
web process holds only the rows a page shows or an index keeps (search's names, the
timeline's dated events); a slow answer is kept on disk for the next start (kept_answers.py).
``snapshot()``, an rdflib copy of the whole data built from an N-Quads dump of the store, is
left to the exports and the commands that need a Dataset.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from kg.dataset.io import new_dataset
from kg.dataset.reader import Row, rows_from_json
from kg.errors import WorkerCrashed
from kg.formats import RdfFormat
from kg.sparql import lexical, oxigraph_files, oxigraph_worker
from kg.sparql.cache import BoundedCache
from kg.sparql.execute import QueryAnswer, QueryRequest
from kg.sparql.kept_answers import KeptAnswers
from kg.sparql.ops import GraphOp, UpdateOp
from kg.sparql.pool import NO_LIMITS, PoolHealth, PoolLimits, WorkerPool
from kg.sparql.snapshot import EXPORTS_KEPT, ExportKey, Snapshot, export

DUMP_TIMEOUT_S = 600.0  # the snapshot's dump is the store's own work, not a client's query
# Named graphs that hold a triple: an existence check per graph, not a scan of every quad.
GRAPH_NAMES = "SELECT ?g WHERE { GRAPH ?g { } FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }"


class OxigraphStore(lexical.ReadsByTokens):
    """A store on disk at ``path`` (a link kept by oxigraph_files), loaded from
    ``dataset_file`` when that file is newer than the store."""

    unnamed_graph = True

    def __init__(self, path: Path, dataset_file: Path | None, base_iri: str, workers: int,
                 allowed_services: tuple[str, ...] = (), cache_entries: int = 0,
                 cache_bytes: int = 64_000_000, limits: PoolLimits = NO_LIMITS,
                 keep_after_s: float = 1.0):
        self.base_iri = base_iri
        self.directory = oxigraph_files.prepare(path, dataset_file)
        self._pinned = oxigraph_files.pin(self.directory)
        self._kept = KeptAnswers(self.directory, keep_after_s)
        self._version = 0
        self._snapshot: Snapshot | None = None
        self._graph_names: tuple[int, list[str]] | None = None
        self._lock = threading.Lock()
        self._exports: BoundedCache[ExportKey, bytes] = BoundedCache(EXPORTS_KEPT, cache_bytes)
        self._results: BoundedCache[QueryRequest, QueryAnswer] = BoundedCache(
            cache_entries, cache_bytes)
        try:
            self._pool = WorkerPool(oxigraph_worker.worker_main,
                                    (str(self.directory), allowed_services), workers,
                                    shared_store=True, limits=limits)
        except BaseException:
            self._pinned.close()
            raise
        self.graph_names()

    def query(self, request: QueryRequest, timeout: float,
              long_only: bool = False) -> QueryAnswer:
        return self._results.through(
            request, lambda: self._pool.query(request, timeout, long_only),
            lambda answer: len(answer.body))

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None:
        with self._lock:
            self._results.clear()
            self._kept.clear()
            try:
                self._pool.write(op, timeout)
                self._version += 1
            finally:
                self._results.clear()
                self._exports.clear()

    def select(self, text: str, timeout: float) -> list[Row]:
        """Read by a worker, under the same deadline and writes' exclusion as a client's
        query; the rows cross the pipe as SPARQL JSON. A slow answer is kept on disk until a
        write (kept_answers.py)."""
        key = f"{self.base_iri}\n{text}"  # the base resolves the query's relative IRIs
        body = self._kept.get(key)
        if body is None:
            request = QueryRequest(text, "json", self.base_iri, max_rows=sys.maxsize,
                                   union_default=False)
            version, started = self._version, time.perf_counter()
            body = self._pool.query(request, timeout).body
            self._keep(key, body, time.perf_counter() - started, version)
        return rows_from_json(body)

    def _keep(self, key: str, body: bytes, seconds: float, version: int) -> None:
        """Only an answer of the data as they are: none while a write (or a dump) holds the
        store, none read before a write that has ended since."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            if version == self._version:
                self._kept.put(key, body, seconds)
        finally:
            self._lock.release()

    def version(self) -> int:
        return self._version

    def snapshot(self) -> Snapshot:
        with self._lock:
            if self._snapshot is None or self._snapshot.version != self._version:
                data = self._pool.call("dump", None, DUMP_TIMEOUT_S)
                if not isinstance(data, bytes):
                    raise WorkerCrashed("the store's dump was not bytes")
                dataset = new_dataset()
                dataset.parse(data=data, format="nquads")
                self._snapshot = Snapshot(self._version, dataset)
            return self._snapshot

    def graph_names(self) -> list[str]:
        """Asked of the store (once per version), so /health makes no rdflib copy; while a
        write holds the store, the names before it (/health never waits: probe F20)."""
        known = self._graph_names
        if not self._lock.acquire(blocking=known is None):
            return known[1] if known else []
        try:
            if self._graph_names is None or self._graph_names[0] != self._version:
                request = QueryRequest(GRAPH_NAMES, "tsv", self.base_iri, max_rows=sys.maxsize)
                rows = self._pool.query(request, DUMP_TIMEOUT_S).body.decode().splitlines()[1:]
                names = sorted(row[1:-1] for row in rows if row.startswith("<"))
                self._graph_names = (self._version, names)
            return self._graph_names[1]
        finally:
            self._lock.release()

    def export(self, fmt: RdfFormat, graphs: list[str] | None) -> bytes:
        return export(self.snapshot(), fmt, graphs, self.base_iri, self._exports)

    def health(self) -> PoolHealth:
        return self._pool.health()

    def close(self) -> None:
        self._pool.close()
        self._pinned.close()
