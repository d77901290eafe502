#!/usr/bin/env python3
"""Validate the hand-annotated evaluation set in bench/eval/ and print its counts.

Standard library only (Python 3.11+). Usage:

    python3 bench/eval/check_gold.py             # validate, print counts as text
    python3 bench/eval/check_gold.py --markdown  # validate, print counts as Markdown tables

Exit status 0 when every file is valid, 1 otherwise (every error is printed).
See bench/eval/README.md for the formats being checked.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = ("dev", "test")
HEADER = ["frame", "type", "role", "value", "evidence"]
EVIDENCE_JOIN = " ||| "

ROLES: dict[str, set[str]] = {
    "DiplomaticRelation": {"party", "startDate"},
    "Recognition": {"recognizingState", "recognizedState", "date"},
    "Visit": {"visitor", "destination", "host", "startDate", "endDate"},
    "Meeting": {"participant", "location", "date"},
    "Treaty": {
        "name",
        "treatyType",
        "party",
        "signatory",
        "signingPlace",
        "signingDate",
        "signedDuring",
        "ratifiedBy",
        "ratificationDate",
    },
    "DiplomaticMission": {
        "missionType",
        "sendingState",
        "location",
        "receivingState",
        "openingDate",
    },
    "Membership": {"member", "organization", "startDate"},
    "Summit": {
        "name",
        "ordinal",
        "organization",
        "location",
        "startDate",
        "endDate",
        "participant",
    },
    "Founding": {"organization", "founder"},
    "Chairmanship": {"chair", "organization", "startDate", "endDate"},
    "Post": {"holder", "postKind", "of", "to", "startDate"},
}
DATE_ROLES = {"startDate", "endDate", "date", "signingDate", "ratificationDate", "openingDate"}
NUMBER_ROLES = {"ordinal"}
REFERENCE_ROLES = {"signedDuring"}
ENUMS: dict[tuple[str, str], set[str]] = {
    ("Treaty", "treatyType"): {
        "treaty",
        "agreement",
        "convention",
        "protocol",
        "declaration",
        "joint statement",
        "memorandum",
        "communiqué",
        "action plan",
        "other",
    },
    # "legation" extends the brief's list: historical texts name legations (see README).
    ("DiplomaticMission", "missionType"): {
        "embassy",
        "consulate",
        "consulate-general",
        "permanent mission",
        "honorary consulate",
        "liaison office",
        "legation",
    },
    ("Post", "postKind"): {
        "ambassador",
        "president",
        "prime minister",
        "foreign minister",
        "chancellor",
        "secretary-general",
        "chair",
        "king",
        "vice president",
        "deputy foreign minister",
        "minister",
        "consul general",
        "envoy",
        "other",
    },
}
# Roles a frame of the type must have (a frame without them is not a fact of that kind).
REQUIRED: dict[str, set[str]] = {
    "DiplomaticRelation": {"party"},
    "Recognition": {"recognizingState", "recognizedState"},
    "Visit": {"visitor", "destination"},
    "Meeting": {"participant"},
    "Treaty": {"treatyType"},
    "DiplomaticMission": {"missionType", "sendingState"},
    "Membership": {"member", "organization"},
    "Summit": set(),  # a summit may be known by its name only (checked below)
    "Founding": {"organization", "founder"},
    "Chairmanship": {"chair", "organization"},
    "Post": {"holder", "postKind"},
}
META_TYPES = {
    "NewsArticle",
    "Interview",
    "OpEd",
    "JointStatement",
    "FactSheet",
    "PressRelease",
    "UNNote",
    "EncyclopediaArticle",
    "AnniversaryReport",
}
META_TABLES = ("title", "date", "url", "licence", "retrieved", "excerpt", "pairs")
STATUSES = {"observed", "inferred", "unknown"}
ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HONORIFICS = re.compile(r"^(H\.E\.|His Excellency|Her Excellency|Mr\.|Mrs\.|Ms\.|Dr\.|Hon\.)\s")
ORGANISATIONS = {"United Nations", "European Union", "NATO"}


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")


def check_meta(path: Path, rep: Report) -> dict | None:
    where = str(path.relative_to(HERE))
    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        rep.error(where, f"cannot read TOML: {exc}")
        return None
    if meta.get("type") not in META_TYPES:
        rep.error(where, f"type {meta.get('type')!r} is not one of {sorted(META_TYPES)}")
    if not isinstance(meta.get("genre"), str) or not meta.get("genre"):
        rep.error(where, "genre missing")
    for name in META_TABLES:
        table = meta.get(name)
        if not isinstance(table, dict) or "value" not in table or "status" not in table:
            rep.error(where, f"[{name}] with value and status missing")
            continue
        if table["status"] not in STATUSES:
            rep.error(where, f"[{name}] status {table['status']!r} not in {sorted(STATUSES)}")
        if table["status"] != "unknown" and table["value"] in ("", []):
            rep.error(where, f"[{name}] has an empty value but status {table['status']!r}")
        if table["status"] == "unknown" and table["value"] not in ("", []):
            rep.error(where, f"[{name}] has status unknown but a value")
    date = meta.get("date", {}).get("value", "")
    if date and not ISO_DATE.match(date):
        rep.error(where, f"[date] value {date!r} is not ISO YYYY[-MM[-DD]]")
    retrieved = str(meta.get("retrieved", {}).get("value", ""))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", retrieved) or not ISO_DATE.match(retrieved):
        rep.error(where, "[retrieved] value should be the full ISO date (YYYY-MM-DD) the text "
                         "was copied")
    url = meta.get("url", {}).get("value", "")
    if url and not url.startswith(("http://", "https://")):
        rep.error(where, f"[url] {url!r} is not an http(s) address")
    pairs = meta.get("pairs", {}).get("value", [])
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) and x for x in p)
        for p in pairs
    ):
        rep.error(where, "[pairs] value must be a list of two-element lists of names")
    return meta


def check_gold(path: Path, text: str, rep: Report) -> list[dict]:
    where = str(path.relative_to(HERE))
    rows: list[dict] = []
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        rep.error(where, f"cannot read: {exc}")
        return rows
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if not lines or lines[0].split("\t") != HEADER:
        rep.error(where, f"first line must be the header {HEADER}")
        return rows
    for number, line in enumerate(lines[1:], start=2):
        here = f"{where}:{number}"
        cells = line.split("\t")
        if len(cells) != 5:
            rep.error(here, f"{len(cells)} tab-separated cells, expected 5")
            continue
        frame, type_, role, value, evidence = cells
        if not re.fullmatch(r"f[1-9]\d*", frame):
            rep.error(here, f"frame id {frame!r} is not f1, f2, ...")
        if type_ not in ROLES:
            rep.error(here, f"unknown frame type {type_!r}")
        elif role not in ROLES[type_]:
            rep.error(here, f"role {role!r} is not a role of {type_} ({sorted(ROLES[type_])})")
        if not value.strip() or value != value.strip():
            rep.error(here, "value is empty or has surrounding spaces")
        if HONORIFICS.match(value):
            rep.error(here, f"value {value!r} starts with an honorific")
        if role in DATE_ROLES and not ISO_DATE.match(value):
            rep.error(here, f"{role} value {value!r} is not ISO YYYY[-MM[-DD]]")
        if role in NUMBER_ROLES and not value.isdigit():
            rep.error(here, f"{role} value {value!r} is not a number written in digits")
        if (role in REFERENCE_ROLES) != value.startswith("@"):
            rep.error(
                here, f"only {sorted(REFERENCE_ROLES)} take @f references (got {role}={value!r})"
            )
        enum = ENUMS.get((type_, role))
        if enum is not None and value not in enum:
            rep.error(here, f"{type_}.{role} value {value!r} not in {sorted(enum)}")
        if not evidence.strip():
            rep.error(here, "evidence is empty")
        for part in evidence.split(EVIDENCE_JOIN):
            if not part.strip():
                rep.error(here, "an evidence part is empty")
            elif part not in text:
                rep.error(here, f"evidence part not found in the text: {part[:90]!r}")
        rows.append(
            dict(frame=frame, type=type_, role=role, value=value, evidence=evidence, where=here)
        )
    frames: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        frames[row["frame"]].append(row)
    for frame, frows in frames.items():
        types = {r["type"] for r in frows}
        if len(types) > 1:
            rep.error(where, f"frame {frame} mixes types {sorted(types)}")
            continue
        type_ = types.pop()
        roles = Counter(r["role"] for r in frows)
        missing = REQUIRED.get(type_, set()) - set(roles)
        if missing:
            rep.error(where, f"frame {frame} ({type_}) lacks {sorted(missing)}")
        if type_ == "Summit" and not ({"name", "organization"} & set(roles)):
            rep.error(where, f"frame {frame} (Summit) has neither name nor organization")
        for role in (
            "treatyType",
            "missionType",
            "postKind",
            "date",
            "name",
            "holder",
            "recognizingState",
            "recognizedState",
            "sendingState",
            "ordinal",
            "ratificationDate",
            "signingDate",
            "openingDate",
        ):
            if roles[role] > 1:
                rep.error(where, f"frame {frame} ({type_}) has {roles[role]} {role} rows")
        seen = Counter((r["role"], r["value"]) for r in frows)
        for (role, value), n in seen.items():
            if n > 1:
                rep.error(where, f"frame {frame} repeats {role}={value!r}")
    signatures = Counter(
        tuple(sorted((r["type"], r["role"], r["value"]) for r in frows))
        for frows in frames.values()
    )
    for sig, n in signatures.items():
        if n > 1:
            rep.error(where, f"{n} frames have identical rows: {sig[:3]}...")
    for row in rows:
        if row["value"].startswith("@") and row["value"][1:] not in frames:
            rep.error(row["where"], f"reference {row['value']} names no frame of this document")
        elif row["value"].startswith("@") and row["value"][1:] == row["frame"]:
            rep.error(row["where"], "a frame refers to itself")
    numbers = sorted(int(f[1:]) for f in frames if re.fullmatch(r"f[1-9]\d*", f))
    if numbers != list(range(1, len(numbers) + 1)):
        rep.error(where, "frame ids are not numbered f1..fN without gaps")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the counts as Markdown")
    args = parser.parse_args()
    rep = Report()
    docs: dict[str, dict[str, dict]] = {s: {} for s in SPLITS}
    for split in SPLITS:
        folder = HERE / split
        if not folder.is_dir():
            rep.error(split, "folder missing")
            continue
        stems = set()
        for f in folder.iterdir():
            name = f.name
            for suffix in (".txt", ".meta.toml", ".gold.tsv", ".notes.md"):
                if name.endswith(suffix):
                    stems.add(name[: -len(suffix)])
                    break
            else:
                rep.error(f"{split}/{name}", "unexpected file")
        for stem in sorted(stems):
            where = f"{split}/{stem}"
            if not SLUG.match(stem):
                rep.error(where, "id is not a lowercase slug")
            txt, meta_p, gold_p = (
                folder / f"{stem}{s}" for s in (".txt", ".meta.toml", ".gold.tsv")
            )
            for p in (txt, meta_p, gold_p):
                if not p.is_file():
                    rep.error(where, f"{p.name} missing")
            if not (txt.is_file() and meta_p.is_file() and gold_p.is_file()):
                continue
            try:
                text = txt.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                rep.error(f"{where}.txt", f"not UTF-8: {exc}")
                continue
            words = len(text.split())
            if not 130 <= words <= 1300:
                rep.error(f"{where}.txt", f"{words} words, outside roughly 150-1200")
            meta = check_meta(meta_p, rep)
            rows = check_gold(gold_p, text, rep)
            if not rows:
                rep.error(f"{where}.gold.tsv", "no gold rows")
            docs[split][stem] = dict(meta=meta or {}, rows=rows, words=words)
    overlap = set(docs["dev"]) & set(docs["test"])
    for stem in sorted(overlap):
        rep.error(stem, "id is in both dev and test")
    urls = defaultdict(list)
    for split in SPLITS:
        for stem, d in docs[split].items():
            urls[d["meta"].get("url", {}).get("value")].append(f"{split}/{stem}")
    for url, where in urls.items():
        if url and len(where) > 1:
            rep.error(", ".join(where), f"the same URL {url} is used twice")
        if url and {w.split("/")[0] for w in where} == set(SPLITS):
            rep.error(", ".join(where), "dev and test share a source")
    print_counts(docs, args.markdown)
    if rep.errors:
        print(f"\n{len(rep.errors)} error(s):", file=sys.stderr)
        for e in rep.errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("\nOK: every file is valid.")
    return 0


def print_counts(docs: dict[str, dict[str, dict]], markdown: bool) -> None:
    def table(title: str, header: list[str], body: list[list[object]]) -> None:
        print(f"\n{'### ' if markdown else ''}{title}\n")
        if markdown:
            print("| " + " | ".join(header) + " |")
            print("|" + "|".join("---" for _ in header) + "|")
            for r in body:
                print("| " + " | ".join(str(c) for c in r) + " |")
        else:
            widths = [max(len(str(x)) for x in col) for col in zip(header, *body, strict=False)]
            for r in [header] + body:
                print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False)))

    genres = sorted({d["meta"].get("genre", "?") for s in SPLITS for d in docs[s].values()})
    body = []
    for g in genres:
        body.append(
            [g]
            + [sum(1 for d in docs[s].values() if d["meta"].get("genre") == g) for s in SPLITS]
            + [sum(1 for s in SPLITS for d in docs[s].values() if d["meta"].get("genre") == g)]
        )
    body.append(
        ["all texts"] + [len(docs[s]) for s in SPLITS] + [sum(len(docs[s]) for s in SPLITS)]
    )
    body.append(
        ["words"]
        + [sum(d["words"] for d in docs[s].values()) for s in SPLITS]
        + [sum(d["words"] for s in SPLITS for d in docs[s].values())]
    )
    table("Texts per genre and split", ["genre", *SPLITS, "total"], body)

    pairs: dict[frozenset, set[str]] = defaultdict(set)
    for s in SPLITS:
        for _stem, d in docs[s].items():
            for pr in d["meta"].get("pairs", {}).get("value", []):
                if isinstance(pr, list) and len(pr) == 2:
                    pairs[frozenset(pr)].add(s)
    state_pairs = {p for p in pairs if not (p & ORGANISATIONS)}
    body = [
        [
            " – ".join(sorted(p)),
            ", ".join(sorted(pairs[p])),
            "state–organisation" if p & ORGANISATIONS else "states",
        ]
        for p in sorted(pairs, key=sorted)
    ]
    table(
        f"Pairs ({len(state_pairs)} distinct pairs of states, {len(pairs)} pairs in all)",
        ["pair", "splits", "kind"],
        body,
    )

    types = list(ROLES)
    body = []
    for t in types:
        per = []
        for s in SPLITS:
            frames = sum(
                len({r["frame"] for r in d["rows"] if r["type"] == t}) for d in docs[s].values()
            )
            rows = sum(1 for d in docs[s].values() for r in d["rows"] if r["type"] == t)
            per += [frames, rows]
        body.append([t, *per, per[0] + per[2], per[1] + per[3]])
    tot = [sum(r[i] for r in body) for i in range(1, 7)]
    body.append(["all types", *tot])
    table(
        "Frames and rows per type and split",
        ["type", "dev frames", "dev rows", "test frames", "test rows", "frames", "rows"],
        body,
    )


if __name__ == "__main__":
    sys.exit(main())
