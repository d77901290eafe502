"""A second, minimal Store: the whole interface in one process, no workers, read-only.

It exists to prove the seam: every route and page must work on it unchanged, so none of them
reaches past the Store interface to the rdflib store behind DatasetStore.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from kg.dataset.io import load_dataset
from kg.dataset.reader import DatasetReader, Row
from kg.dataset.serialize import serialize
from kg.errors import Forbidden
from kg.formats import RdfFormat
from kg.sparql.execute import QueryAnswer, QueryRequest, execute
from kg.sparql.ops import GraphOp, UpdateOp
from kg.sparql.pool import PoolHealth
from kg.sparql.store import ReadsWithRdflib, Snapshot


class InProcessStore(ReadsWithRdflib):
    """Queries evaluated in this process with the one executor; writes refused."""

    unnamed_graph = True

    def __init__(self, path: Path, base_iri: str):
        self._snapshot = Snapshot(0, load_dataset(path))
        self._base_iri = base_iri
        self.queries = 0
        self.snapshots = 0  # snapshot() calls: what a page costs on a store where it is a copy

    def query(self, request: QueryRequest, timeout: float,
              long_only: bool = False) -> QueryAnswer:
        self.queries += 1
        return execute(self._snapshot.dataset, request)

    def select(self, text: str, timeout: float) -> list[Row]:
        return DatasetReader(self._snapshot.dataset).select(text)

    def version(self) -> int:
        return self._snapshot.version

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None:
        raise Forbidden("this store is read-only")

    def snapshot(self) -> Snapshot:
        self.snapshots += 1
        return self._snapshot

    def graph_names(self) -> list[str]:
        return self._snapshot.graph_names()

    def export(self, fmt: RdfFormat, graphs: list[str] | None) -> bytes:
        names = [URIRef(g) for g in graphs] if graphs is not None else None
        return serialize(self._snapshot.dataset, fmt, self._base_iri, names)

    def health(self) -> PoolHealth:
        return PoolHealth(size=1, alive=1, restarts=0, last_error=None)  # no workers: itself

    def close(self) -> None:
        pass
