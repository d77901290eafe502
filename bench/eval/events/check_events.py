"""Validate the PLOVER event evaluation set (events.tsv) and print its counts.

Why: the set is coded by hand; a typo in a type, mode or country code would silently score
as an extractor error. Standard library only, so it runs anywhere (``python3 check_events.py``).
The type, mode and context tables are PLOVER's (ontology/events.ttl holds the same ones; a test
keeps the two equal). Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ["id", "sentence", "source_url", "source_date", "licence", "event_type", "mode",
           "context", "source_actor", "source_country", "target_actor", "target_country", "date",
           "stated", "split", "notes"]
_REQUEST_MODES = frozenset({"assist", "change", "yield", "meet"})
MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset(),
    "AID": frozenset(),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": _REQUEST_MODES,
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": _REQUEST_MODES,
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset({"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
                         "withhold", "misinformation", "cyber"}),
    "ASSAULT": frozenset({"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                          "firearms", "explosives", "suicide-attack", "aerial", "drone",
                          "heavy-weapons", "crowd-control", "unconventional"}),
}
NO_EVENT = "NONE"
CONTEXTS = frozenset("""military intelligence executive legislative election
    political_institutions pro_democracy pro_autocracy economic legal reparations human_rights
    rights_freedoms repression human_security gender lgbt religion_ethnicity inequality diplomatic
    territory peacekeeping health asylum migration disasters natural_resource environment
    technology terrorism cbrn cyber misinformation crime corruption illegal_drugs
    trafficking""".split())
_ID = re.compile(r"ev\d{3}")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def country_codes(path: Path = HERE / "countries.tsv") -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes plus PLOVER's international non-state codes (IGO, UNO, EUR …)."""
    lines = (line for line in path.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#"))
    return frozenset(line.split("\t")[0] for line in lines) - {"code"}


def _date_error(value: str) -> str | None:
    if not value:
        return None
    if not _DATE.fullmatch(value):
        return f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError:
        return f"{value!r} is not a calendar date"
    return None


def check_row(row: dict[str, str], codes: frozenset[str]) -> list[str]:
    """The problems of one coded sentence, as messages."""
    errors = []
    kind, mode, stated = row["event_type"], row["mode"], row["stated"]
    if not _ID.fullmatch(row["id"]):
        errors.append(f"id {row['id']!r} is not evNNN")
    if not row["sentence"].strip():
        errors.append("empty sentence")
    if not row["source_url"].startswith(("http://", "https://")):
        errors.append(f"source_url {row['source_url']!r} is not a URL")
    if not row["licence"].strip():
        errors.append("no licence")
    if kind != NO_EVENT and kind not in MODES:
        errors.append(f"unknown event type {kind!r}")
    elif mode and mode not in MODES.get(kind, frozenset()):
        errors.append(f"mode {mode!r} is not a PLOVER mode of {kind}")
    for context in filter(None, row["context"].split(";")):
        if context not in CONTEXTS:
            errors.append(f"unknown context {context!r}")
    for column in ("source_country", "target_country"):
        if row[column] and row[column] not in codes:
            errors.append(f"{column} {row[column]!r} is not ISO 3166-1 alpha-3 nor a PLOVER code")
    for column in ("source_date", "date"):
        problem = _date_error(row[column])
        if problem:
            errors.append(f"{column}: {problem}")
    if stated not in ("yes", "no"):
        errors.append(f"stated must be yes or no, not {stated!r}")
    if kind == NO_EVENT and stated != "no":
        errors.append("a sentence with no event must have stated=no")
    if stated == "yes" and not row["source_country"]:
        errors.append("a stated event needs its source country")
    if row["split"] not in ("dev", "test"):
        errors.append(f"split must be dev or test, not {row['split']!r}")
    return errors


def check(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    """The rows of the file and every problem found in it."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames != COLUMNS:
            return [], [f"columns are {reader.fieldnames}, expected {COLUMNS}"]
        rows = list(reader)
    codes = country_codes()
    errors = [f"{row['id']}: {message}" for row in rows for message in check_row(row, codes)]
    for column in ("id", "sentence"):
        seen = Counter(row[column] for row in rows)
        errors += [f"duplicate {column}: {value[:60]!r}" for value, n in seen.items() if n > 1]
    splits: dict[str, set[str]] = {}
    for row in rows:
        splits.setdefault(row["source_url"], set()).add(row["split"])
    errors += [f"{url} has sentences in both splits (split by document)"
               for url, found in splits.items() if len(found) > 1]
    return rows, errors


def report(rows: list[dict[str, str]]) -> str:
    """Counts by event type: stated events, unstated (negatives) and the test split."""
    stated = Counter(r["event_type"] for r in rows if r["stated"] == "yes")
    unstated = Counter(r["event_type"] for r in rows if r["stated"] == "no")
    test = Counter(r["event_type"] for r in rows if r["split"] == "test")
    lines = [f"{'type':<10} {'stated':>6} {'not':>4} {'test':>5}"]
    for kind in [*MODES, NO_EVENT]:
        lines.append(f"{kind:<10} {stated[kind]:>6} {unstated[kind]:>4} {test[kind]:>5}")
    splits = Counter(r["split"] for r in rows)
    lines.append(f"{len(rows)} sentences: {splits['dev']} dev, {splits['test']} test; "
                 f"{sum(stated.values())} stated events, {sum(unstated.values())} without one")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=HERE / "events.tsv")
    args = parser.parse_args(argv)
    rows, errors = check(args.path)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if rows:
        print(report(rows))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
