"""Source texts and what is known about them from outside the text.

A source is ``data/sources/<id>.txt`` (UTF-8) with an optional ``<id>.meta.toml`` beside it.
Unreadable sources raise SourceError naming the file, so a build can report and skip them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import DataFileError, SourceError

STATUSES = ("observed", "inferred", "unknown")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class MetadataValue:
    """One metadata value with how it is known (observed / inferred / unknown) and why."""

    value: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class Source:
    """A source text, its id (the file stem) and its metadata."""

    id: str
    path: Path
    text: str
    kind: str = "Document"
    metadata: dict[str, MetadataValue] = field(default_factory=dict)

    def meta(self, name: str) -> str | None:
        """The value of a metadata field that is not unknown, else None."""
        item = self.metadata.get(name)
        return item.value if item and item.status != "unknown" else None


def source_paths(folder: Path) -> list[Path]:
    """The source files of a folder, sorted so builds are deterministic."""
    if not folder.is_dir():
        raise SourceError(f"sources folder not found: {folder}")
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt" and p.is_file())


def read_source(path: Path) -> Source:
    """Read one source and its metadata; SourceError says what is wrong with which file."""
    source_id = path.stem
    if not _ID.match(source_id):
        raise SourceError(f"{path.name}: file name must be lowercase words joined by '-'")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path.name}: cannot read: {exc.strerror}") from exc
    if b"\x00" in raw:
        raise SourceError(f"{path.name}: binary file (NUL bytes), not a text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path.name}: not UTF-8 (byte {exc.start})") from exc
    if text.startswith("\ufeff"):
        raise SourceError(f"{path.name}: starts with a byte-order mark; save it as plain UTF-8")
    if not text.strip():
        raise SourceError(f"{path.name}: empty")
    kind, metadata = _read_metadata(path.with_suffix(".meta.toml"))
    return Source(id=source_id, path=path, text=text, kind=kind, metadata=metadata)


def _read_metadata(path: Path) -> tuple[str, dict[str, MetadataValue]]:
    if not path.exists():
        return "Document", {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path.name}: {exc}") from exc
    kind = str(data.pop("type", "Document"))
    metadata: dict[str, MetadataValue] = {}
    for name, item in sorted(data.items()):
        if not isinstance(item, dict) or "status" not in item:
            raise DataFileError(f"{path.name}: {name} needs a table with value and status")
        status = str(item["status"])
        if status not in STATUSES:
            raise DataFileError(f"{path.name}: {name}: status must be one of {STATUSES}")
        metadata[name] = MetadataValue(str(item.get("value", "")), status,
                                       str(item.get("note", "")))
    return kind, metadata
