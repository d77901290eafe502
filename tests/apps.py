"""The real Flask app in process, on a dataset file, with its worker pool closed after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from kg.settings import Settings
from kg.sparql.store import DatasetStore
from kg.web import create_app


@contextmanager
def in_process_app(settings: Settings, data: Path | None) -> Iterator[Flask]:
    """create_app on a DatasetStore of `data` (None: an empty dataset) with one worker."""
    store = DatasetStore(data, settings.base_iri, 1)
    try:
        yield create_app(settings, store)
    finally:
        store.close()
