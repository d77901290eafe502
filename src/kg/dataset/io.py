"""Reading and writing dataset files: a built dataset in, bytes out all-or-nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset

from kg.errors import DataFileError, NotBuiltError
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


def load_dataset(path: Path, data: bytes | None = None) -> Dataset:
    """Read a built dataset (TriG); DataFileError naming the file if it is broken or empty.
    ``data``: the file's bytes as read before (a server's workers all load the same ones)."""
    if data is None:
        check_dataset_file(path)
    elif not data:
        raise DataFileError(f"{path}: the dataset file is empty; rebuild it with `kg build`")
    dataset = new_dataset()
    try:
        if data is not None:
            dataset.parse(data=data, format="trig")
            return dataset
        with path.open("rb") as source:
            dataset.parse(source=source, format="trig")
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read the dataset: {exc.strerror}") from exc
    except Exception as exc:  # rdflib's parsers raise anything (IndexError on a cut file …)
        raise DataFileError(f"{path}: not a valid TriG dataset ({type(exc).__name__}: "
                            f"{_one_line(exc)}); rebuild it with `kg build`") from exc
    return dataset


def check_dataset_file(path: Path) -> None:
    """NotBuiltError if the dataset file is missing, DataFileError if it has no byte: that is
    a write cut short, never data (an empty dataset on purpose says so, even in a comment)."""
    if not path.exists():
        raise NotBuiltError(f"no dataset at {path}: run `kg build` first")
    if path.is_file() and path.stat().st_size == 0:
        raise DataFileError(f"{path}: the dataset file is empty; rebuild it with `kg build`")


def _one_line(exc: Exception) -> str:
    """The parser's message on one line (rdflib's spans three and names no file: "of <>")."""
    return " ".join(str(exc).replace(" of <>", "").split(" at ^ in:")[0].split())[:300]


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
