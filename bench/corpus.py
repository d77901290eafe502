"""Corpus build benchmark: extraction speed on 1 and 2 cores, a re-run after one changed
document against a full build, and the build's peak memory against holding its dataset.

The articles are synthetic, from a deterministic generator (same seed, same bytes): they are
for throughput only, never for quality (bench/extract.py measures that on real texts). Every
figure is a ratio to a baseline measured in the same run:

- documents/s on 2 processes ÷ documents/s on 1 (goal of issue 12: ≥ 1.8);
- a re-run with one changed document ÷ a full build of the same corpus (lower is better);
- the build's peak RSS ÷ the peak RSS of rdflib parsing the dataset the build wrote.

Each build runs in a fresh `kg` process, as a user runs it.

    .venv/bin/python bench/corpus.py --documents 200 --runs 3
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STATES = ("Japan", "Chile", "Kenya", "Poland", "Lithuania", "Turkey", "Kazakhstan", "Brazil",
          "Canada", "India", "Indonesia", "Vietnam", "Norway", "Peru", "Egypt", "Mexico",
          "Germany", "France", "Ghana", "Argentina", "Australia", "Spain", "Nigeria", "Finland")
ORGANIZATIONS = ("the United Nations", "NATO", "the European Union", "the African Union",
                 "the World Trade Organization", "ASEAN", "the OSCE")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SENTENCES = (
    "{a} and {b} established diplomatic relations on {date}.",
    "{a} recognized the independence of {b} on {date}.",
    "{a} and {b} signed a treaty of friendship and cooperation on {date}.",
    "The foreign ministers of {a} and {b} met in the capital of {a} on {date}.",
    "{a} opened an embassy in {b} in {year}.",
    "{a} and {b} are both members of {org}.",
    "{a} joined {org} in {year}.",
    "Trade between {a} and {b} grew steadily over the following decade.",
    "Officials of both countries discussed energy, tourism and education.",
)


def article(number: int) -> str:
    """Synthetic article ``number``: the same text for the same number, every time."""
    rng = random.Random(number)
    a, b = rng.sample(STATES, 2)
    lines = [f"Relations between {a} and {b}", ""]
    for _ in range(rng.randint(8, 14)):
        year = rng.randint(1950, 2020)
        date = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year}"
        lines.append(rng.choice(SENTENCES).format(a=a, b=b, date=date, year=year,
                                                  org=rng.choice(ORGANIZATIONS)))
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, documents: int) -> Path:
    """A project folder (the curated data) whose sources are ``documents`` synthetic articles."""
    for part in ("ontology", "data/gazetteer", "data/patterns"):
        shutil.copytree(ROOT / part, folder / part)
    sources = folder / "data" / "sources"
    sources.mkdir(parents=True)
    for number in range(documents):
        (sources / f"article-{number:05d}.txt").write_text(article(number), encoding="utf-8")
    return folder


def run(*command: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of a command; it must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read()[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def kg_build(project: Path, data: Path, *settings: str) -> tuple[float, int]:
    sets = [arg for setting in settings for arg in ("--set", setting)]
    return run(sys.executable, "-m", "kg", "--project", str(project), "--data", str(data),
               "--store", "memory", *sets, "build", "-q")


EXTRACT = r"""
import sys, time
from pathlib import Path
from kg.build.extraction import extract_locally, load_resources, extractor_over
from kg.build.cache import fingerprint
from kg.inputs.sources import read_source, source_paths
from kg.settings import from_env
settings = from_env(project_dir=sys.argv[1], build_processes=int(sys.argv[2]), progress=False)
ontology, resources = load_resources(settings)
sources = [read_source(p) for p in source_paths(settings.path("sources_dir"))]
started = time.perf_counter()
outcomes = list(extract_locally(settings, fingerprint(settings), sources,
                                lambda: extractor_over(ontology, resources)))
print(len(outcomes) / (time.perf_counter() - started))
"""


def documents_per_second(project: Path, processes: int) -> float:
    """Extraction alone (model loading included: a build pays it), on ``processes``."""
    out = subprocess.run([sys.executable, "-c", EXTRACT, str(project), str(processes)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


READ = "import sys; from rdflib import Dataset; Dataset().parse(sys.argv[1], format='trig')"


def measure(folder: Path, documents: int) -> dict[str, float]:
    """One run of every measurement, on a fresh corpus and build folder."""
    project = write_corpus(folder / "project", documents)
    one, two = (documents_per_second(project, n) for n in (1, 2))
    data = folder / "build" / "dataset.trig"
    full, peak = kg_build(project, data, "build_processes=1")
    changed = project / "data" / "sources" / "article-00000.txt"
    changed.write_text(article(0) + "Japan and Chile signed a treaty on 3 May 1999.\n",
                       encoding="utf-8")
    again, _ = kg_build(project, data, "build_processes=1")
    _, reading = run(sys.executable, "-c", READ, str(data))
    return {"one": one, "two": two, "full": full, "again": again, "peak": peak,
            "reading": reading}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="medians of this many runs")
    args = parser.parse_args()
    print(f"{args.documents} synthetic articles, "
          f"{sum(len(article(n)) for n in range(args.documents)):,} characters; "
          f"medians of {args.runs} runs")
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="corpus-bench-") as folder:
            runs.append(measure(Path(folder), args.documents))
    m = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print(f"extraction: {m['one']:.1f} documents/s on 1 process, {m['two']:.1f} on 2: "
          f"×{m['two'] / m['one']:.2f} (goal ≥ 1.8)")
    print(f"build: full {m['full']:.1f} s; re-run after one changed document "
          f"{m['again']:.1f} s: ×{m['again'] / m['full']:.2f} of a full build")
    print(f"peak memory: build {m['peak']:.0f} MB; rdflib holding the dataset it wrote "
          f"{m['reading']:.0f} MB: ×{m['peak'] / m['reading']:.2f}")


if __name__ == "__main__":
    main()
