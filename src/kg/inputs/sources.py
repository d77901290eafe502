"""Source texts and what is known about them from outside the text.

A source is any ``data/sources/*.txt`` with an optional ``<name>.meta.toml`` beside it; its id
is the slug of the file name ("01 Joint Statement.txt" → ``01-joint-statement``). Texts are read
by one documented rule, so a file re-saved in another encoding keeps its facts:
UTF-8 (a byte-order mark is dropped); UTF-16 or UTF-32 when a byte-order mark says so;
otherwise Windows-1252 (which covers Latin-1), recorded in the source's metadata as an
inferred encoding. Binary and empty files raise SourceError naming the file.
"""

from __future__ import annotations

import codecs
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import DataFileError, SourceError
from kg.text import slug

STATUSES = ("observed", "inferred", "unknown")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


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


def read_source(path: Path, kinds: Collection[str] | None = None) -> Source:
    """Read one source and its metadata; SourceError says what is wrong with which file.

    ``kinds`` are the ontology's classes of document a metadata ``type`` may name (the build
    passes them; None checks nothing): anything else would mint a class IRI nobody defined,
    or an invalid one ("X Y")."""
    source_id = slug(path.stem)
    if not source_id:
        raise SourceError(f"{path.name}: the file name has no letter or digit to name it by")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path.name}: cannot read: {exc.strerror}") from exc
    text, encoding = decode(raw, path.name)
    if not text.strip():
        raise SourceError(f"{path.name}: empty")
    kind, metadata = _read_metadata(path.with_suffix(".meta.toml"), kinds)
    if encoding != "utf-8" and "encoding" not in metadata:
        metadata["encoding"] = MetadataValue(
            encoding, "observed" if encoding.startswith("utf") else "inferred",
            "read by the rule of kg.inputs.sources: not UTF-8, " + (
                "a byte-order mark names the encoding" if encoding.startswith("utf")
                else "so read as Windows-1252"))
    return Source(id=source_id, path=path, text=text, kind=kind, metadata=metadata)


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text of a file and the encoding it was read with (the module docstring's rule)."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec.removesuffix("-sig")
            except UnicodeDecodeError as exc:
                raise SourceError(f"{name}: starts with a {codec} byte-order mark but is not "
                                  f"{codec} (byte {exc.start})") from exc
    if b"\x00" in raw:
        raise SourceError(f"{name}: binary file (NUL bytes), not a text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise SourceError(f"{name}: neither UTF-8 nor Windows-1252 (byte {exc.start})") from exc


def _read_metadata(path: Path,
                   kinds: Collection[str] | None) -> tuple[str, dict[str, MetadataValue]]:
    if not path.exists():
        return "Document", {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path.name}: {exc}") from exc
    kind = str(data.pop("type", "Document"))
    if kinds is not None and kind not in kinds:
        raise DataFileError(f"{path.name}: type {kind!r} is not a kind of document; "
                            f"one of {', '.join(sorted(kinds))}")
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
