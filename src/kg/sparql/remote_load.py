"""`kg build` into a remote store: the dataset file's graphs sent graph by graph, in batches.

Each graph is replaced by its first batch (a Graph Store PUT, or DROP and INSERT DATA through
the update URL) and grown by the others (POST, or INSERT DATA), so no request carries more
than BATCH_TRIPLES triples and a progress bar moves per batch. Graphs under the base IRI that
the remote holds and the file does not (fact graphs of an earlier build) are dropped after,
so the remote holds what the file holds; graphs of anyone else are left alone. A failure
half-way leaves the remote part loaded: run `kg build` again (the file is written first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.dataset.io import check_dataset_file
from kg.errors import DataFileError, InputError
from kg.formats import RDF_FORMATS, from_extension
from kg.sparql.ops import GraphOp
from kg.sparql.oxigraph_execute import GRAPHS
from kg.sparql.remote_store import Endpoints, RemoteStore

Progress = Callable[[Iterable[Any]], Iterable[Any]]  # a progress bar over what it wraps
BATCH_TRIPLES = 10_000
LOAD_TIMEOUT_S = 600.0  # one batch: the remote's own work, not a client's query
Batch = tuple[str | None, bool, list[ox.Triple]]  # graph (None: default), first?, triples


def load(endpoints: Endpoints, dataset_file: Path, base_iri: str,
         progress: Progress = lambda xs: xs) -> None:
    if endpoints.update is None and endpoints.graph_store is None:
        raise InputError("kg build cannot load a read-only SPARQL store: the setting store "
                         "needs an UPDATE_URL or a GSP_URL (sparql:QUERY_URL,UPDATE_URL,GSP_URL)")
    store = RemoteStore(endpoints, base_iri)
    before = set(store.graph_names())
    batches = list(_batches(dataset_file))
    for graph, first, triples in progress(batches):
        ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        store.write(GraphOp("put" if first else "post", graph, ntriples.decode()),
                    LOAD_TIMEOUT_S)
    loaded = {graph for graph, _, _ in batches if graph}
    for stale in sorted(before - loaded):
        if stale.startswith(base_iri):
            store.write(GraphOp("delete", stale), LOAD_TIMEOUT_S)


def _batches(dataset_file: Path) -> Iterable[Batch]:
    """The file's triples by graph, in batches, graphs in the order the file names them."""
    check_dataset_file(dataset_file)
    fmt = from_extension(dataset_file.suffix.lstrip("."), RDF_FORMATS)
    if fmt is None or not fmt.quads or fmt.name not in GRAPHS:
        raise InputError(f"{dataset_file}: a dataset file is TriG (.trig) or N-Quads (.nq)")
    graphs: dict[str | None, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(path=str(dataset_file), format=GRAPHS[fmt.name]):
            name = quad.graph_name
            key = name.value if isinstance(name, ox.NamedNode) else None
            graphs.setdefault(key, []).append(quad.triple)
    except SyntaxError as exc:
        raise DataFileError(f"{dataset_file}: {exc}") from exc
    for graph, triples in graphs.items():
        for start in range(0, max(len(triples), 1), BATCH_TRIPLES):
            yield graph, start == 0, triples[start:start + BATCH_TRIPLES]
