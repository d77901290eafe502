"""Extraction benchmark: precision, recall and F1 against gold facts written by reading the texts.

    .venv/bin/python bench/extract.py                 # dev and test parts of bench/eval/
    .venv/bin/python bench/extract.py --split test --show-errors 20
    .venv/bin/python bench/extract.py --redocred ../shared/datasets/redocred-dev/dev_revised.json
    .venv/bin/python bench/extract.py --events --split dev   # PLOVER events (eval_events.py)

Scoring is per argument of a fact frame (bench/eval/README.md): a gold row (frame, type, role,
value) is found when the extractor made a node of that type whose role has that value; frames are
aligned one to one by the most arguments they share. Entities match by name after folding, through
the gazetteer's aliases ("U.S." is the United States); dates match as ISO strings; names of
treaties and summits match when one folded name contains the other. The test part is held out:
rules are never tuned on it, and its figures are the ones to report.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from eval_frames import FRAME_TYPES, frames_of  # noqa: E402

from kg.extract import Extractor  # noqa: E402
from kg.extract.nlp import for_parsing  # noqa: E402
from kg.inputs.gazetteer import Gazetteer  # noqa: E402
from kg.inputs.sources import MetadataValue, Source  # noqa: E402
from kg.settings import from_env  # noqa: E402
from kg.text import fold  # noqa: E402

EVAL = ROOT / "bench" / "eval"
NAMED_ROLES = {"name"}          # compared by containment, not equality
# Official forms the gazetteer may lack (issue: a bigger gazetteer from pycountry): compared
# by the short name they hold.
OFFICIAL = re.compile(r"^(?:the\s+)?(?:(?:people[’']s|democratic|socialist|federal|islamic|"
                      r"united|union)\s+)*(?:republic|kingdom|state|federation|commonwealth|"
                      r"sultanate|principality|grand duchy)\s+of\s+(?:the\s+)?", re.I)


@dataclass
class Frame:
    type: str
    args: set[tuple[str, str]] = field(default_factory=set)   # (role, normalised value)


@dataclass
class Tally:
    gold: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)            # predicted rows that are right
    recalled: Counter = field(default_factory=Counter)         # gold rows that were found
    errors: list[str] = field(default_factory=list)


def read_gold(path: Path) -> dict[str, Frame]:
    frames: dict[str, Frame] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            frame = frames.setdefault(row["frame"], Frame(row["type"]))
            if not row["value"].startswith("@"):  # links between frames are not scored yet
                frame.args.add((row["role"], row["value"].strip()))
    return frames


def read_source(path: Path) -> Source:
    meta_path = path.with_suffix(".meta.toml")
    meta = tomllib.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    metadata = {}
    date = meta.get("date", {})
    if isinstance(date, dict) and date.get("value"):
        metadata["date"] = MetadataValue(str(date["value"]), str(date.get("status", "observed")))
    return Source(id=path.stem, path=path, text=path.read_text(encoding="utf-8"),
                  metadata=metadata)


class Normaliser:
    """One comparable form per value: a gazetteer key for names it knows, else the folded name."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def __call__(self, role: str, value: str) -> str:
        value = for_parsing(value)  # "Ministers’" and "Ministers'" are one spelling
        if role in NAMED_ROLES:
            return " ".join(fold(value).replace("the ", " ").split())
        entry = self.gazetteer.find(value)
        bare = OFFICIAL.sub("", value)
        if entry is None and bare != value:  # "Republic of Montenegro": an official form
            entry = self.gazetteer.find(bare)
        return f"key:{entry.key}" if entry else " ".join(fold(value).split())


def _same(role: str, gold: str, found: str) -> bool:
    if role in NAMED_ROLES:
        return bool(gold) and bool(found) and (gold in found or found in gold)
    return gold == found


def _overlap(gold: Frame, found: Frame) -> int:
    return sum(1 for r, v in found.args for gr, gv in gold.args if r == gr and _same(r, gv, v))


def score_document(gold: dict[str, Frame], found: list[Frame], tally: Tally, doc: str) -> None:
    for frame in gold.values():
        for _role, _ in frame.args:
            tally.gold[frame.type] += 1
    for frame in found:
        tally.found[frame.type] += len(frame.args)
    pairs = sorted(((_overlap(g, f), gid, i) for gid, g in gold.items()
                    for i, f in enumerate(found) if g.type == f.type), reverse=True)
    used_gold: set[str] = set()
    used_found: set[int] = set()
    for overlap, gid, i in pairs:
        if overlap == 0 or gid in used_gold or i in used_found:
            continue
        used_gold.add(gid)
        used_found.add(i)
        g, f = gold[gid], found[i]
        tally.right[f.type] += sum(1 for r, v in f.args
                                   if any(r == gr and _same(r, gv, v) for gr, gv in g.args))
        tally.recalled[g.type] += sum(1 for gr, gv in g.args
                                      if any(r == gr and _same(r, gv, v) for r, v in f.args))
        for r, v in sorted(f.args - {a for a in f.args
                                     if any(a[0] == gr and _same(gr, gv, a[1])
                                            for gr, gv in g.args)}):
            tally.errors.append(f"{doc}\t{f.type}\twrong {r}={v}\t(gold {sorted(g.args)})")
        for gr, gv in sorted(g.args):
            if not any(r == gr and _same(r, gv, v) for r, v in f.args):
                tally.errors.append(f"{doc}\t{g.type}\tmissed {gr}={gv}\t(gold {sorted(g.args)})")
    for gid, g in gold.items():
        if gid not in used_gold:
            tally.errors.append(f"{doc}\t{g.type}\tmissed frame {sorted(g.args)}")
    for i, f in enumerate(found):
        if i not in used_found:
            tally.errors.append(f"{doc}\t{f.type}\tspurious frame {sorted(f.args)}")


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def report(name: str, tally: Tally, docs: int, seconds: float, words: int) -> None:
    print(f"\n## {name}: {docs} documents, {words} words, {docs / seconds:.1f} documents/s "
          f"({words / seconds:.0f} words/s, one process)")
    print(f"{'relation':20} {'gold':>5} {'found':>5} {'P':>6} {'R':>6} {'F1':>6}")
    types = [t for t in FRAME_TYPES if tally.gold[t] or tally.found[t]]
    for t in types + ["all"]:
        gold = sum(tally.gold.values()) if t == "all" else tally.gold[t]
        found = sum(tally.found.values()) if t == "all" else tally.found[t]
        right = sum(tally.right.values()) if t == "all" else tally.right[t]
        recalled = sum(tally.recalled.values()) if t == "all" else tally.recalled[t]
        p, r = _ratio(right, found), _ratio(recalled, gold)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{t:20} {gold:5} {found:5} {p:6.1%} {r:6.1%} {f1:6.1%}")


def run_split(split: str, extractor: Extractor, normalise: Normaliser, show: int) -> None:
    tally = Tally()
    paths = sorted((EVAL / split).glob("*.txt"))
    sources = [read_source(path) for path in paths]
    words = sum(len(source.text.split()) for source in sources)
    started = time.perf_counter()
    extractions = list(extractor.extract_many(sources))  # as kg build extracts
    seconds = time.perf_counter() - started
    for path, extraction in zip(paths, extractions, strict=True):
        found = [Frame(t, {(r, normalise(r, v)) for r, v in args})
                 for t, args in frames_of(extraction)]
        gold = read_gold(path.with_suffix(".gold.tsv"))
        for frame in gold.values():
            frame.args = {(r, normalise(r, v)) for r, v in frame.args}
        score_document(gold, found, tally, path.stem)
    report(split, tally, len(paths), seconds or 1e-9, words)
    for line in tally.errors[:show]:
        print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["dev", "test", "both"], default="both")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N",
                        help="print the first N errors of each part (never look at test's "
                             "while writing rules)")
    parser.add_argument("--redocred", type=Path, help="also score this Re-DocRED JSON file")
    parser.add_argument("--events", action="store_true",
                        help="score PLOVER events on bench/eval/events/events.tsv instead")
    args = parser.parse_args()
    settings = from_env(project_dir=ROOT, progress=False)
    started = time.perf_counter()
    extractor = Extractor.from_folders(settings.path("gazetteer_dir"),
                                       settings.path("patterns_dir"),
                                       settings.path("ontology_dir"))
    print(f"extractor loaded in {time.perf_counter() - started:.1f} s")
    if args.events:
        from eval_events import run_events

        for split in (["dev", "test"] if args.split == "both" else [args.split]):
            run_events(split, extractor, args.show_errors)
        return
    normalise = Normaliser(extractor.gazetteer)
    for split in (["dev", "test"] if args.split == "both" else [args.split]):
        run_split(split, extractor, normalise, args.show_errors)
    if args.redocred:
        from redocred import score_redocred

        score_redocred(args.redocred, extractor)


if __name__ == "__main__":
    main()
