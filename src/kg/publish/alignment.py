"""The Wikidata alignment table: every ontology term with its Wikidata form, or why it has none.

ontology/wikidata-alignment.tsv is the one source of the table: the README's Wikidata section
is rendered from it (tools/wikidata_table.py), and the tests hold it to the ontology (every term
has a row) and to ontology/wikidata.ttl (every form a row names is an axiom there, or reached
through a broader term's).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import DataFileError

ALIGNMENT_FILE = "wikidata-alignment.tsv"
COLUMNS = ("term", "wikidata", "how", "note")
# How a term reaches Wikidata: its own axiom in wikidata.ttl (sub-property, chain, inverse,
# instance-of by an owl:hasValue restriction on P31, exact-match for a SKOS concept), through a
# broader or inverse term of the ontology (via), or not at all (none, and the note says why).
HOWS = ("sub-property", "chain", "inverse", "instance-of", "exact-match", "via", "none")
TABLE_START = "<!-- wikidata-alignment: made from ontology/wikidata-alignment.tsv by " \
              "tools/wikidata_table.py -->"
TABLE_END = "<!-- /wikidata-alignment -->"


@dataclass(frozen=True)
class Alignment:
    """One ontology term (``dk:State``) and its Wikidata ids (``wd:Q…``, ``wdt:P…``)."""

    term: str
    wikidata: tuple[str, ...]
    hows: tuple[str, ...]
    note: str
    where: str

    @property
    def mapped(self) -> bool:
        return self.hows != ("none",)


def load_alignment(path: Path) -> list[Alignment]:
    """The rows of the table; a row without a note, or with an unknown way, is an error."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read the Wikidata alignment ({exc})") from exc
    rows: list[Alignment] = []
    header_seen = False
    for number, line in enumerate(lines, 1):
        where = f"{path.name}:{number}"
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if not header_seen:
            if tuple(cells) != COLUMNS:
                raise DataFileError(f"{where}: header must be {' '.join(COLUMNS)}")
            header_seen = True
            continue
        if len(cells) != len(COLUMNS) or not all(cells):
            raise DataFileError(f"{where}: {len(COLUMNS)} non-empty columns expected")
        term, ids, how, note = cells
        hows = tuple(h.strip() for h in how.split(","))
        wikidata = () if ids == "-" else tuple(ids.split())
        if any(h not in HOWS for h in hows) or (hows == ("none",)) != (not wikidata):
            raise DataFileError(f"{where}: how must be one or more of {', '.join(HOWS)}, "
                                f"and ids '-' exactly when it is none: {how!r}, {ids!r}")
        rows.append(Alignment(term, wikidata, hows, note, where))
    return rows


def markdown_table(rows: list[Alignment]) -> str:
    """The README's table, in the file's order, between its two marker comments."""
    lines = [TABLE_START, "| ours | Wikidata | how | note |", "|---|---|---|---|"]
    for row in rows:
        ids = ", ".join(f"`{i}`" for i in row.wikidata) or "—"
        lines.append(f"| `{row.term}` | {ids} | {', '.join(row.hows)} | {row.note} |")
    return "\n".join([*lines, TABLE_END])


def replace_table(readme: str, rows: list[Alignment]) -> str:
    """The README text with its table replaced by one made from ``rows``."""
    start, end = readme.find(TABLE_START), readme.find(TABLE_END)
    if start < 0 or end < start:
        raise DataFileError(f"the README has no {TABLE_START} … {TABLE_END} section")
    return readme[:start] + markdown_table(rows) + readme[end + len(TABLE_END):]
