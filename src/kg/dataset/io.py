"""Reading and writing dataset files: a built dataset in, bytes out all-or-nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset

from kg.errors import NotBuiltError
from kg.vocab import PREFIXES


def new_dataset() -> Dataset:
    """An empty dataset whose default graph is the union of its named graphs."""
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, replace=True)
    return dataset


def copy_dataset(dataset: Dataset) -> Dataset:
    """A copy that shares no store with the original (a new version of the data)."""
    out = new_dataset()
    for graph in dataset.graphs():
        target = out.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
    return out


def load_dataset(path: Path) -> Dataset:
    """Read a built dataset (TriG)."""
    if not path.exists():
        raise NotBuiltError(f"no dataset at {path}: run `kg build` first")
    dataset = new_dataset()
    with path.open("rb") as data:
        dataset.parse(source=data, format="trig")
    return dataset


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; exports are for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
