"""Which dataset file a version of the Oxigraph store was loaded from, so a restart reopens it.

A version records the file's path, size, modification time and SHA-256. A restart with the
same path, size and time reopens the store without reading the file. When only the time or
path differs (a `kg build` that wrote the same bytes again, a copy, a checkout, `touch`), the
file is hashed (a fraction of a second per 100 MB, against seconds per 100 MB for a load): the
same bytes reopen the store and the record takes the new time; other bytes are loaded again. A
different size is a different file, without reading it. The record is taken before the load
reads the file, so a file changed during a load is loaded again at the next start.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from kg.dataset.io import write_atomically

STAMP = "kg-loaded-from.json"
CHUNK = 1 << 20


@dataclass(frozen=True)
class LoadStamp:
    dataset: str
    size: int
    mtime_ns: int
    sha256: str


def stamp_of(dataset_file: Path) -> LoadStamp:
    """The file as it is now (its status is read before its bytes)."""
    status = dataset_file.stat()
    return LoadStamp(str(dataset_file.resolve()), status.st_size, status.st_mtime_ns,
                     sha256_of(dataset_file))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_stamp(version: Path, stamp: LoadStamp) -> None:
    write_atomically(version / STAMP, json.dumps(asdict(stamp)).encode())


def read_stamp(version: Path) -> LoadStamp | None:
    """The record of a version; None if it has none or one that cannot be read (an older
    record without a hash, too: that version is loaded again once)."""
    try:
        return LoadStamp(**json.loads((version / STAMP).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def loaded_from(version: Path, dataset_file: Path) -> bool:
    """Whether ``version`` holds what ``dataset_file`` holds now; when it does by content
    alone, the record takes the file's new path and time (the next start reads no byte)."""
    stamp = read_stamp(version)
    if stamp is None:
        return False
    status = dataset_file.stat()
    if status.st_size != stamp.size:
        return False
    here = str(dataset_file.resolve())
    if (here, status.st_mtime_ns) == (stamp.dataset, stamp.mtime_ns):
        return True
    if sha256_of(dataset_file) != stamp.sha256:
        return False
    if os.access(version, os.W_OK):  # a read-only store is reopened all the same
        write_stamp(version, replace(stamp, dataset=here, mtime_ns=status.st_mtime_ns))
    return True
