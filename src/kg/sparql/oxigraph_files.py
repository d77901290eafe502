"""The Oxigraph store on disk: loaded from a dataset file into a new directory, then swapped in.

The store's PATH is a symbolic link to its current version, a sibling directory
``.NAME.v<ns>``. A load never touches the current version: it fills a new one, then replaces
the link in one rename (atomic), so a load that fails half-way leaves the previous store as it
was. Each version records the dataset file it was loaded from, so the store is reloaded only
when that file changed (load_stamp.py: by size and time, then by content); until then it
reopens in well under a second, with the writes made to it since. The version before the
current one is kept, for a server still reading it; older ones are deleted.

Oxigraph keeps a literal of a type derived from xsd:integer (xsd:nonNegativeInteger, xsd:int …)
by its value, as xsd:integer: the datatype IRI is lost. Our own build writes xsd:integer for
that reason (dataset/provenance.py); a dataset file that uses such types gets a warning naming
them when it is loaded, so the change is never silent.
"""

from __future__ import annotations

import fcntl
import logging
import mmap
import multiprocessing
import os
import re
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kg.dataset.io import check_dataset_file
from kg.errors import DataFileError, InputError, NotBuiltError
from kg.formats import RDF_FORMATS, from_extension
from kg.sparql import oxigraph_bulk
from kg.sparql.load_stamp import loaded_from, stamp_of, write_stamp
from kg.sparql.oxigraph_execute import GRAPHS

log = logging.getLogger("kg.store")
# Datatypes whose literals Oxigraph keeps as xsd:integer, as a full IRI or an xsd: name.
_FOLDED = re.compile(rb"(?:XMLSchema#|xsd:)(nonNegativeInteger|positiveInteger|nonPositiveInteger"
                     rb"|negativeInteger|long|int|short|byte|unsignedLong|unsignedInt"
                     rb"|unsignedShort|unsignedByte)\b")
OWN_PROCESS_BYTES = 32_000_000  # about 150k quads of TriG: a second of loading
KEPT = 2  # versions kept: the current one and the one before (and any a server pinned)
IN_USE = "kg-in-use.lock"


def prepare(path: Path, dataset_file: Path | None) -> Path:
    """The version directory to open: (re)loaded from dataset_file if that file changed."""
    with _locked(path):
        current = _current(path)
        if dataset_file is not None and dataset_file.exists():
            if current is None or not loaded_from(current, dataset_file):
                current = _load(path, dataset_file)
        if current is None:
            raise NotBuiltError(f"no store at {path} and no dataset at {dataset_file}: "
                                "run `kg build` first")
        return current


def _load(path: Path, dataset_file: Path) -> Path:
    """Load a dataset file (TriG or N-Quads, by suffix) into a new version, then swap it in."""
    if path.exists() and not path.is_symlink():
        raise InputError(f"{path} is a directory that kg did not make: choose another store "
                         "path or move it away")
    check_dataset_file(dataset_file)
    fmt = from_extension(dataset_file.suffix.lstrip("."), RDF_FORMATS)
    if fmt is None or not fmt.quads or fmt.name not in GRAPHS:
        raise InputError(f"{dataset_file}: a dataset file is TriG (.trig) or N-Quads (.nq)")
    path.parent.mkdir(parents=True, exist_ok=True)
    version = path.parent / f".{path.name}.v{time.time_ns()}"
    stamp = stamp_of(dataset_file)  # before the load reads it: a change meanwhile is seen
    try:
        bulk_load(version, dataset_file, fmt.name,
                  own_process=stamp.size > OWN_PROCESS_BYTES)
        write_stamp(version, stamp)
        link = path.parent / f".{path.name}.link-{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(version.name)
        os.replace(link, path)
    except SyntaxError as exc:
        shutil.rmtree(version, ignore_errors=True)
        raise DataFileError(f"{dataset_file}: {exc}") from exc
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)
        raise
    for old in _versions(path)[:-KEPT]:
        if not _in_use(old):
            shutil.rmtree(old, ignore_errors=True)
    folded = folded_types(dataset_file)
    if folded:
        log.warning("%s: Oxigraph keeps literals typed %s as xsd:integer (same value, datatype "
                    "IRI lost); --store memory keeps them as written", dataset_file,
                    ", ".join(f"xsd:{name}" for name in folded))
    return version


def bulk_load(version: Path, dataset_file: Path, fmt: str, own_process: bool) -> None:
    """Fill a new store from a file (``fmt``: trig or nq). A big file is loaded in a process
    of its own: the load's buffers (near 1 GB at 1 M quads) then go back to the system when it
    ends, instead of staying in the heap of the server that serves the store for days.
    SyntaxError if the file is not valid."""
    if not own_process:
        oxigraph_bulk.bulk_load(str(version), str(dataset_file), fmt)
        return
    # spawn: a fresh interpreter, neither a fork of a threaded server nor the query workers'
    # forkserver (which must first start with their modules preloaded)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as loader:
        loader.submit(oxigraph_bulk.bulk_load, str(version), str(dataset_file), fmt).result()


def folded_types(dataset_file: Path) -> list[str]:
    """The integer subtypes a dataset file names, which the store will keep as xsd:integer."""
    if dataset_file.stat().st_size == 0:
        return []
    with dataset_file.open("rb") as handle, mmap.mmap(handle.fileno(), 0,
                                                      access=mmap.ACCESS_READ) as data:
        # A file that names no XSD datatype (LUBM's) is passed over at memory speed; the
        # pattern's alternation would cost a second per 200 MB.
        if data.find(b"XMLSchema#") < 0 and data.find(b"xsd:") < 0:
            return []
        return sorted({match.group(1).decode() for match in _FOLDED.finditer(data)})


def pin(version: Path) -> IO[str]:
    """Keep a version from being deleted while a server reads it: its workers started later
    open that version, not the newest (probe F16). Held until the returned file is closed."""
    handle = (version / IN_USE).open("a")
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def _in_use(version: Path) -> bool:
    try:
        with (version / IN_USE).open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def _current(path: Path) -> Path | None:
    if path.is_symlink():
        target = path.resolve()
        return target if target.is_dir() else None
    return None


def _versions(path: Path) -> list[Path]:
    """Every version of the store, oldest first (names end in the time they were made)."""
    found = path.parent.glob(f".{path.name}.v*")
    return sorted((p for p in found if p.is_dir()), key=lambda p: int(p.name.rsplit("v", 1)[1]))


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process at a time checks and loads a store (two `kg serve` starting together)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / f".{path.name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
