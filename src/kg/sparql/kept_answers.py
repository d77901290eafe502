"""Slow read-model answers of the Oxigraph store, kept in its version folder until a write.

Search's names, the properties the timeline reads and VoID's counts each read the whole store:
up to seconds per million quads, asked again by every server that starts on the same data. The
store keeps such an answer (one that took at least ``read_keep_ms``) as a file beside the data
it was read from, so a restart answers the first page from the file. Every write of the
server empties the folder before it changes the data, and a new load is a new version folder,
so a kept answer is only ever read on the data it came from. The folder keeps at most
``MAX_FILES`` answers of at most ``MAX_BYTES`` each, the least recently used going first.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from kg.dataset.io import write_atomically

FOLDER = "kg-kept-answers"
MAX_FILES = 32
MAX_BYTES = 16_000_000


class KeptAnswers:
    """Answers by key (the query's text and base) in ``version``'s folder; ``keep_after_s``:
    the evaluation time from which an answer is kept."""

    def __init__(self, version: Path, keep_after_s: float):
        self.folder = version / FOLDER
        self.keep_after_s = keep_after_s

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            body = path.read_bytes()
            os.utime(path)  # recently used
        except OSError:
            return None
        return body

    def put(self, key: str, body: bytes, seconds: float) -> None:
        """Keep an answer that cost ``seconds``; a folder that cannot be written keeps none."""
        if seconds < self.keep_after_s or len(body) > MAX_BYTES:
            return
        try:
            write_atomically(self._path(key), body)
            kept = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
            for old in kept[:-MAX_FILES]:
                old.unlink(missing_ok=True)
        except OSError:
            return

    def clear(self) -> None:
        """Before a write: no answer read before it may outlive it (a folder that cannot be
        emptied fails the write)."""
        try:
            shutil.rmtree(self.folder)
        except FileNotFoundError:
            pass

    def _path(self, key: str) -> Path:
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()}.json"
