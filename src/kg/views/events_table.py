"""The events as one flat table, the shape event-data users load (ICEWS, POLECAT): one row per
event and sentence stating it, with the actors' states as ISO 3166-1 alpha-3 codes.

Read through SPARQL (views/queries/events.rq) from whatever store holds the data, so `kg export
--format events-csv` and the /data/events.csv download write the same bytes. Rows are sorted, so
the bytes are stable from one build to the next.
"""

from __future__ import annotations

import csv
import io

from kg.dataset.reader import Reader
from kg.iris import Iris
from kg.views.reads import select

COLUMNS = ("date", "source_actor", "source_country", "event_type", "mode", "target_actor",
           "target_country", "sentence", "document", "event")


def event_rows(reader: Reader, iris: Iris) -> list[tuple[str, ...]]:
    """One row per event and stating sentence, in COLUMNS' order, sorted."""
    rows = select(reader, "events", ontology=iris.graph("ontology"),
                  provenance=iris.graph("provenance"))
    out = {(_text(date), _text(source), _text(source_code), _text(kind), _text(mode),
            _text(target), _text(target_code), _text(sentence), _text(document), _text(event))
           for (event, date, kind, mode, source, source_code, target, target_code, sentence,
                document) in rows}
    return sorted(out)


def events_csv(reader: Reader, iris: Iris) -> bytes:
    """The table as CSV (RFC 4180: a header line, CRLF line ends, quotes where needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(event_rows(reader, iris))
    return buffer.getvalue().encode("utf-8")


def _text(term: object) -> str:
    return "" if term is None else str(term)
