"""A dataset file bulk-loaded into a new Oxigraph store: what a loading process runs.

Kept apart from oxigraph_files.py so that the process that runs it imports pyoxigraph alone,
not rdflib and the rest of the store's modules (half a second, against a load of seconds).
"""

from __future__ import annotations

import pyoxigraph as ox


def bulk_load(version: str, dataset_file: str, extension: str) -> None:
    """``extension``: the file's format by its extension (trig, nq)."""
    store = ox.Store(version)
    store.bulk_load(path=dataset_file, format=ox.RdfFormat.from_extension(extension))
    store.optimize()
    del store  # closed: the workers open it read-only
