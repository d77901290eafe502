"""The gazetteer: curated names of states, cities, bodies and people, with Wikidata ids.

Rows live in ``data/gazetteer/*.tsv`` (see its README). Loading checks every row so that a
bad edit is reported with file and line instead of silently mislinking an entity.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from kg.errors import DataFileError
from kg.inputs.countries import iso_country
from kg.text import bare, fold

COLUMNS = ("key", "class", "label", "aliases", "demonyms", "country", "capital_of",
           "wikidata", "wikidata_source")
CLASSES = frozenset({"State", "City", "Region", "Place", "IntergovernmentalOrganization",
                     "Organization", "Person", "University", "School"})
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")


@dataclass(frozen=True)
class GazetteerEntry:
    """One gazetteer row; ``where`` is 'file.tsv:line' for provenance and error messages."""

    key: str
    cls: str
    label: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    country: str
    capital_of: str
    wikidata: str
    wikidata_source: str
    file: str
    line: int
    iso3: str = ""  # ISO 3166-1 alpha-3, for a state ISO knows (inputs/countries.py)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def names(self) -> list[str]:
        """Label and aliases, plus their accent-free forms, without duplicates."""
        return _with_plain_forms((self.label, *self.aliases))

    def demonym_forms(self) -> list[str]:
        """Demonyms and their plurals: 'Israeli' and 'Israelis', 'American' and 'Americans'."""
        plurals = [d + "s" for d in self.demonyms if d.endswith(("an", "i"))]
        return _with_plain_forms((*self.demonyms, *plurals))


class Gazetteer:
    """All entries by key, with lookups by name."""

    def __init__(self, entries: Iterable[GazetteerEntry]):
        self.entries: dict[str, GazetteerEntry] = {}
        for entry in entries:
            if entry.key in self.entries:
                first = self.entries[entry.key]
                raise DataFileError(
                    f"{entry.where}: key {entry.key!r} already used at {first.where}")
            self.entries[entry.key] = entry
        self._check_references()
        self._by_name = {fold(name): e for e in self.entries.values() for name in e.names()}

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries[k] for k in sorted(self.entries))

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: str) -> GazetteerEntry | None:
        return self.entries.get(key)

    def find(self, name: str) -> GazetteerEntry | None:
        """The entry with this label or alias, ignoring case and accents."""
        return self._by_name.get(fold(name))

    def _check_references(self) -> None:
        for entry in self.entries.values():
            for column in ("country", "capital_of"):
                target = getattr(entry, column)
                if target and getattr(self.entries.get(target), "cls", None) != "State":
                    raise DataFileError(f"{entry.where}: {column} {target!r} is not a State key")


def _with_plain_forms(names: Iterable[str]) -> list[str]:
    """The names, their accent-free forms, and each with the other apostrophe: texts write
    "People’s" as often as "People's" (and "Côte d’Ivoire")."""
    out: list[str] = []
    for name in names:
        for form in (name, bare(name)):
            for spelled in (form, form.replace("'", "’"), form.replace("’", "'")):
                if spelled and spelled not in out:
                    out.append(spelled)
    return out


def load_gazetteer(folder: Path) -> Gazetteer:
    """Load every ``*.tsv`` of a folder (sorted by name)."""
    files = sorted(folder.glob("*.tsv"))
    if not files:
        raise DataFileError(f"no gazetteer files (*.tsv) in {folder}")
    return Gazetteer(_with_iso_names(entry) for path in files for entry in _read_file(path))


def _with_iso_names(entry: GazetteerEntry) -> GazetteerEntry:
    """A state with ISO 3166-1's names for it as aliases, and its alpha-3 code."""
    if entry.cls != "State":
        return entry
    iso = iso_country((entry.label, *entry.aliases))
    if iso is None:
        return entry
    known = {fold(name) for name in (entry.label, *entry.aliases)}
    extra = tuple(name for name in iso.names if fold(name) not in known)
    return replace(entry, aliases=entry.aliases + extra, iso3=iso.alpha3)


def _read_file(path: Path) -> Iterator[GazetteerEntry]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path.name}: not UTF-8") from exc
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()
                and not line.startswith("#")]
    if not numbered:
        return
    reader = csv.reader((line for _, line in numbered), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = tuple(next(reader))
    if header != COLUMNS:
        raise DataFileError(f"{path.name}:{numbered[0][0]}: header must be {' '.join(COLUMNS)}")
    for (number, _), row in zip(numbered[1:], reader, strict=True):
        yield _entry(path.name, number, row)


def _entry(file: str, line: int, row: list[str]) -> GazetteerEntry:
    where = f"{file}:{line}"
    if len(row) != len(COLUMNS):
        raise DataFileError(f"{where}: {len(row)} columns, expected {len(COLUMNS)}")
    values = dict(zip(COLUMNS, (cell.strip() for cell in row), strict=True))
    if not _KEY.match(values["key"]):
        raise DataFileError(f"{where}: key {values['key']!r} must be lowercase words joined by '-'")
    if values["class"] not in CLASSES:
        raise DataFileError(f"{where}: class {values['class']!r} is not one of {sorted(CLASSES)}")
    if not values["label"]:
        raise DataFileError(f"{where}: empty label")
    if values["wikidata"]:
        if not _QID.match(values["wikidata"]):
            raise DataFileError(f"{where}: {values['wikidata']!r} is not a Wikidata item id")
        if not values["wikidata_source"]:
            raise DataFileError(f"{where}: a Wikidata id needs its wikidata_source")
    return GazetteerEntry(
        key=values["key"], cls=values["class"], label=values["label"],
        aliases=_split(values["aliases"]), demonyms=_split(values["demonyms"]),
        country=values["country"], capital_of=values["capital_of"],
        wikidata=values["wikidata"], wikidata_source=values["wikidata_source"],
        file=file, line=line)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())
