"""The extraction cache: each document's part of the dataset, kept on disk between builds, so a
re-run extracts only the sources that are new or changed.

An entry is keyed by a hash of the source (id, kind, text, metadata) and of the fingerprint of
everything else extraction depends on: the curated data (ontology/, gazetteer, patterns), the
code that turns text into quads, the spaCy model's name and version, the package version and
the base IRI. Change any of them and every key changes: nothing stale is ever read.

Entries are JSON holding N-Quads lines (dataset/assemble.py's DocumentPart), never pickles:
loading a pickle from a folder others can write would run their code. Each entry is written
atomically and named by its key, so a build cut short leaves only complete entries, which the
next build uses. The folder sits beside the dataset file (``dataset.extractions/``), like the
reasoner's state and the store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import kg
from kg.dataset.assemble import DocumentPart
from kg.dataset.io import write_atomically
from kg.inputs.sources import Source
from kg.settings import Settings

FORMAT = 1  # of an entry; part of the fingerprint, so a new format never reads an old entry
# The code whose change can change a document's quads (the package version alone is not
# bumped by every edit of a rule).
_CODE = ("extract", "inputs", "dataset", "iris.py", "vocab.py", "text.py")


def cache_folder(dataset_file: Path) -> Path:
    return dataset_file.with_suffix(".extractions")


def fingerprint(settings: Settings) -> str:
    """A hash of everything but the source that one document's extraction depends on."""
    from kg.extract.nlp import MODEL, MODEL_VERSION  # the extraction stack, already loaded

    digest = hashlib.sha256()
    for label, value in (("format", str(FORMAT)), ("kg", kg.__version__),
                         ("model", f"{MODEL} {MODEL_VERSION} {_installed(MODEL)}"),
                         ("spacy", _installed("spacy")), ("base", settings.base_iri)):
        _add(digest, label, value.encode("utf-8"))
    for name in ("ontology_dir", "gazetteer_dir", "patterns_dir"):
        _add_files(digest, name, settings.path(name))
    package = Path(kg.__file__).parent
    for part in _CODE:
        _add_files(digest, part, package / part, "*.py")
    return digest.hexdigest()


def source_key(fingerprint: str, source: Source) -> str:
    """The cache key of a source: its content and metadata under the fingerprint."""
    content = {"id": source.id, "kind": source.kind, "text": source.text,
               "metadata": {name: [v.value, v.status, v.note]
                            for name, v in sorted(source.metadata.items())}}
    digest = hashlib.sha256(fingerprint.encode("ascii"))
    digest.update(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


class ExtractionCache:
    """Document parts by key, one JSON file each in a folder."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> DocumentPart | None:
        """The part stored under the key; None when there is none or it cannot be read (then
        the source is extracted again and the entry rewritten)."""
        try:
            data = json.loads(self._file(key).read_text(encoding="utf-8"))
            return DocumentPart(str(data["source"]), tuple(data["quads"]),
                                tuple(data["entities"]), tuple(data["patterns"]),
                                int(data["fact_graphs"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, part: DocumentPart) -> None:
        data = {"source": part.source_id, "quads": list(part.quads),
                "entities": list(part.entities), "patterns": list(part.patterns),
                "fact_graphs": part.fact_graphs}
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n"
        write_atomically(self._file(key), text.encode("utf-8"))

    def prune(self, keep: Iterable[str]) -> None:
        """Remove the entries of sources no longer built (or built from other data)."""
        wanted = {self._file(key).name for key in keep}
        if self.folder.is_dir():
            for path in self.folder.glob("*.json"):
                if path.name not in wanted:
                    path.unlink(missing_ok=True)


def _installed(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _add(digest: hashlib._Hash, label: str, data: bytes) -> None:
    # Length-prefixed, so no two different inputs run together into the same bytes.
    for piece in (label.encode("utf-8"), data):
        digest.update(len(piece).to_bytes(8, "big"))
        digest.update(piece)


def _add_files(digest: hashlib._Hash, label: str, where: Path, pattern: str = "*") -> None:
    files = [where] if where.is_file() else sorted(
        p for p in where.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        _add(digest, f"{label}/{path.relative_to(where).as_posix()}", path.read_bytes())
