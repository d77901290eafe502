"""Scale benchmark (issue 12): synthetic corpora and LUBM, built, served and queried by
`kg serve` on each store, beside the Oxigraph server and rdflib-endpoint on the same data.

For each corpus of synthetic articles (bench/corpus.py's deterministic generator: for
throughput only, never for quality) it prints documents/s of extraction on 1 process and on
all cores (measured on the first --extract-sample documents, with the model loaded: the rate
per document does not depend on the corpus, and every corpus starts with the same documents,
so they are measured at the first size and printed at each), the time of `kg build`
(extraction on all cores into the default store, oxigraph:, then again into the memory store
with the extraction cached, where that store is served: see --rdflib-max-quads), and
for each server the time from start to its first answer (load), the RSS of its process tree
after the queries (kg serve: server and query workers), and the p50/p99 latency of the
queries/ files, each run --repeat times by one client. For LUBM (bench/lubm.py's generator,
seed 0) the build is `kg reason` (parse, closure, write), the served data are the generated
triples and their closure in two graphs, and the queries are LUBM's 14 (bench/lubm_queries/,
as published). Latencies are also printed as ratios to the two peers measured in the same
run, and answers are compared with the Oxigraph server's (a difference is named).

rdflib loads about 10k triples/s and holds each in about 1 kB: the rdflib servers (kg serve
on the memory store, rdflib-endpoint) are left out above --rdflib-max-quads, and a size is
skipped when the run so far predicts it would end past --budget-minutes. A query that is not
answered within --timeout-s is not repeated on that server (a peer that cannot cancel it is
restarted before the next query), nor is one whose runs took --repeat-budget-s in all (a
query of 15 s runs twice: the table counts the runs).

    .venv/bin/python bench/scale.py --quick                 # a few minutes
    .venv/bin/python bench/scale.py                         # 100/1,000/10,000 docs, LUBM 1/5/10
    .venv/bin/python bench/scale.py --sizes 100 --universities 1

The peers come with the bench extra (.venv/bin/pip install -e '.[bench]'); a peer that is not
installed is named and left out.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402
from endpoint import (  # noqa: E402
    HEADERS,
    HOST,
    Query,
    Server,
    SetupError,
    normalise,
    package,
    percentile,
    rss,
    start,
    stop,
)
from lubm import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BATCH = 16  # kg.build.extraction.BATCH: documents one process extracts together
ONTOLOGY = ROOT / "tests" / "data" / "lubm" / "univ-bench.owl"
LUBM_QUERIES = Path(__file__).resolve().parent / "lubm_queries"
LUBM_GRAPHS = ("https://w3id.org/diplo-kg/graph/lubm", "https://w3id.org/diplo-kg/graph/inferred")
# endpoint.py's names: kg serve on the memory store with the result cache off, on an oxigraph:
# store with it off, the Oxigraph server, rdflib-endpoint
SERVERS = {"ours-uncached": "kg serve, memory", "ours-oxigraph": "kg serve, oxigraph:",
           "oxigraph": "Oxigraph server", "rdflib-endpoint": "rdflib-endpoint"}
RDFLIB_SERVERS = ("ours-uncached", "rdflib-endpoint")
REFERENCE = "oxigraph"
GRACE_S = 10  # past --timeout-s, before a client gives up on an answer


@dataclass
class Served:
    """One server on one data set."""

    load_s: float = 0.0
    rss_mb: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)  # seconds, answered only
    failures: dict[str, str] = field(default_factory=dict)
    answers: dict[str, list] = field(default_factory=dict)
    skipped: str = ""
    seconds: float = 0.0  # all this server took, starts included


@dataclass(frozen=True)
class Spent:
    """What one size took: to predict the next, linearly (rdflib's servers apart: they are
    left out above --rdflib-max-quads)."""

    size: int
    quads: int
    seconds: float  # all but the rdflib servers
    rdflib_s: float

    def predict(self, size: int, rdflib_max_quads: int) -> float:
        scale = size / self.size
        rdflib_too = self.quads * scale <= rdflib_max_quads
        return self.seconds * scale + (self.rdflib_s * scale if rdflib_too else 0.0)


class Client:
    """One keep-alive connection with its own time limit."""

    def __init__(self, server: Server, timeout: float) -> None:
        self.server, self.timeout = server, timeout
        self.conn: http.client.HTTPConnection | None = None

    def post(self, body: bytes) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.server.port, timeout=self.timeout)
        try:
            self.conn.request("POST", self.server.path, body, HEADERS)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# -- data ---------------------------------------------------------------------------------

def run_timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MB) and stderr of a command that must succeed. The peak is
    sampled: the child's own ru_maxrss would count this process's pages, which it holds
    between fork and exec."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, cwd=ROOT,
                                   env={**os.environ, **(env or {})})
        peak, watched = 0, psutil.Process(process.pid)
        while process.poll() is None:
            with contextlib.suppress(psutil.NoSuchProcess):
                peak = max(peak, watched.memory_info().rss)
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        errors.seek(0)
        text = errors.read()
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{text[-2000:]}")
    return seconds, peak // 2**20, text


EXTRACT = r"""
import json, sys, time
from kg.build.cache import fingerprint
from kg.build.extraction import BATCH, extract_locally, extractor_over, load_resources
from kg.inputs.sources import read_source, source_paths
from kg.settings import from_env
processes, count = int(sys.argv[2]), int(sys.argv[3])
settings = from_env(project_dir=sys.argv[1], build_processes=processes, progress=False)
ontology, resources = load_resources(settings)
sources = [read_source(p) for p in source_paths(settings.path("sources_dir"))][:count]
warm = BATCH * processes  # each process's first batch pays its model's loading
started = time.perf_counter()
for n, _ in enumerate(extract_locally(settings, fingerprint(settings), sources,
                                      lambda: extractor_over(ontology, resources)), 1):
    if n == warm:
        warmed = time.perf_counter()
end = time.perf_counter()
print(json.dumps({"warm": (count - warm) / (end - warmed), "total_s": end - started}))
"""


def extraction_rate(project: Path, processes: int, documents: int) -> float:
    """Documents/s once the model is loaded: after each process's first batch."""
    out = subprocess.run([sys.executable, "-c", EXTRACT, str(project), str(processes),
                          str(documents)], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["warm"])


def kg(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg", *args]


@functools.cache  # a data set is counted after its build, then asked for again
def quads(path: Path) -> int:
    import pyoxigraph as ox

    return sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TRIG))


def lubm_trig(folder: Path, universities: int, departments: int | None) -> tuple[
        Path, dict[str, str]]:
    """LUBM data and their closure (by `kg reason`) as one TriG file; the build's figures."""
    data = folder / "lubm.nt"
    with data.open("w", encoding="utf-8") as out:
        out.writelines(generate(universities, seed=0, departments=departments))
    inferred = folder / "inferred.nt"
    seconds, peak, stderr = run_timed(kg("reason", str(ONTOLOGY), str(data), "-o",
                                         str(inferred)))
    trig = folder / "lubm.trig"
    with trig.open("w", encoding="utf-8") as out:
        for graph, source in zip(LUBM_GRAPHS, (data, inferred), strict=True):
            out.write(f"<{graph}> {{\n")
            with source.open(encoding="utf-8") as lines:
                shutil.copyfileobj(lines, out)
            out.write("}\n")
    engine = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    return trig, {"kg reason (parse + closure + write)": f"{seconds:.1f} s, {peak} MB peak "
                  f"({engine})"}


def article_trig(folder: Path, documents: int, sample: int,
                 rates: dict[int, tuple[float, float, int]],
                 rdflib_max_quads: int) -> tuple[Path, dict[str, str]]:
    """``rates``: the extraction rates measured so far, by sample size. Every corpus begins
    with the same documents (the generator's first ones), so a sample is measured once and its
    figures printed for each size that samples it. The build extracts into the default store
    (oxigraph:), then again into the memory store where that store is served."""
    project = write_corpus(folder / "project", documents)
    figures: dict[str, str] = {}
    cores = os.cpu_count() or 1
    count = min(documents, sample)
    if count < BATCH * (cores + 1):
        raise SystemExit(f"--extract-sample and the sizes must be ≥ {BATCH * (cores + 1)} "
                         f"documents: {BATCH} per process warm the model up")
    if count not in rates:
        one, every = (extraction_rate(project, n, count) for n in (1, cores))
        rates[count] = one, every, documents
    one, every, measured_at = rates[count]
    again = "" if measured_at == documents else (
        f" (the same documents as at {measured_at:,}: measured there)")
    figures[f"extraction, documents/s (first {count} documents)"] = (
        f"{one:.1f} on 1 process, {every:.1f} on {cores}: ×{every / one:.2f}{again}")
    data = folder / "build" / "dataset.trig"
    common = ["--project", str(project), "--data", str(data)]
    seconds, peak, _ = run_timed(kg(*common, "--store", f"oxigraph:{folder / 'built-store'}",
                                    "build", "-q"))
    figures["kg build, extraction on all cores (store oxigraph:)"] = (
        f"{seconds:.1f} s, {peak} MB peak of the kg process")
    size = quads(data)
    if size > rdflib_max_quads:  # as the memory store's server, kg serve on it
        figures["kg build again into memory (extraction cached)"] = (
            f"skipped: {size:,} quads, over --rdflib-max-quads")
        return data, figures
    seconds, peak, _ = run_timed(kg(*common, "--store", "memory", "build", "-q"))
    figures["kg build again into memory (extraction cached)"] = (
        f"{seconds:.1f} s, {peak} MB peak of the kg process")
    return data, figures


# -- serving ------------------------------------------------------------------------------

def exercise(name: str, data: Path, workdir: Path, queries: list[Query], repeat: int,
             timeout: float, budget: float) -> Served:
    """``budget``: seconds a query's runs may take in all before it is run again (it runs at
    least once): a query of 15 s runs twice, not --repeat times."""
    served = Served()
    started = time.perf_counter()
    server = start(name, data, workdir)
    served.load_s = time.perf_counter() - started
    try:
        for query in queries:
            # kg serve stops a query at its own limit (503): wait a little longer for that
            client, times = Client(server, timeout + GRACE_S), []
            for _ in range(repeat):
                if sum(times) >= budget:
                    break
                t0 = time.perf_counter()
                try:
                    status, body = client.post(query.body)
                except (OSError, http.client.HTTPException) as exc:
                    served.failures[query.name] = (f"no answer in {timeout + GRACE_S:.0f} s "
                                                   f"({exc})")
                    break
                if status != 200:
                    served.failures[query.name] = f"HTTP {status}"
                    break
                times.append(time.perf_counter() - t0)
                served.answers.setdefault(query.name, normalise(body))
            client.close()
            served.latencies[query.name] = times
            if query.name in served.failures and not name.startswith("ours"):
                stop(server)  # it may still be computing: a fresh one for the next query
                server = start(name, data, workdir, again=True)
        served.rss_mb = sum(rss(server))
    finally:
        stop(server)
    served.seconds = time.perf_counter() - started
    return served


def serve_all(data: Path, queries: list[Query], args: argparse.Namespace) -> dict[str, Served]:
    size = quads(data)
    results: dict[str, Served] = {}
    for name in args.servers:
        if name in RDFLIB_SERVERS and size > args.rdflib_max_quads:
            results[name] = Served(skipped=f"{size:,} quads, over --rdflib-max-quads")
            continue
        with tempfile.TemporaryDirectory(prefix="kg-scale-serve-") as workdir:
            copy = Path(workdir) / data.name  # the stores' files go beside it, then away
            shutil.copyfile(data, copy)
            print(f"  {name}: serving {data.name}", file=sys.stderr, flush=True)
            try:
                results[name] = exercise(name, copy, Path(workdir), queries, args.repeat,
                                         args.timeout_s, args.repeat_budget_s)
            except (SetupError, subprocess.SubprocessError, OSError) as exc:
                results[name] = Served(skipped=f"not set up: {exc}")
            print(f"  {name}: {results[name].seconds:.0f} s", file=sys.stderr, flush=True)
    return results


# -- printing -----------------------------------------------------------------------------

def all_latencies(served: Served) -> list[float]:
    return [t for times in served.latencies.values() for t in times]


def ratio(ours: float, peer: float) -> str:
    return f"{ours / peer:.2f}" if peer and ours == ours and peer == peer else ""


def print_data_set(title: str, quad_count: int, figures: dict[str, str],
                   results: dict[str, Served], queries: list[Query]) -> None:
    print(f"\n### {title}: {quad_count:,} quads served\n")
    for what, figure in figures.items():
        print(f"- {what}: {figure}")
    p50 = {name: percentile(all_latencies(s), 0.5) for name, s in results.items()
           if not s.skipped}
    print(f"\n| server | load s | RSS MB | runs | p50 ms | p99 ms | not answered "
          f"| p50 ÷ {REFERENCE} | p50 ÷ rdflib-endpoint |")
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|")
    for name, served in results.items():
        if served.skipped:
            print(f"| {SERVERS[name]} | | | | | | skipped: {served.skipped} | | |")
            continue
        times = all_latencies(served)
        failed = ", ".join(f"{q.removesuffix('.rq')} ({why.split(' (')[0]})"
                           for q, why in served.failures.items()) or "0"
        print(f"| {SERVERS[name]} | {served.load_s:.1f} | {served.rss_mb:.0f} | {len(times)} "
              f"| {percentile(times, 0.5):.1f} | {percentile(times, 0.99):.1f} | {failed} "
              f"| {ratio(p50[name], p50.get(REFERENCE, float('nan')))} "
              f"| {ratio(p50[name], p50.get('rdflib-endpoint', float('nan')))} |")
    reference = results.get(REFERENCE)
    if reference is None or reference.skipped:
        return
    per_query = []
    for query in queries:
        peer = statistics.median(reference.latencies.get(query.name) or [float("nan")])
        ours = results.get("ours-oxigraph")
        if ours is not None and not ours.skipped and ours.latencies.get(query.name):
            per_query.append(f"{query.name.removesuffix('.rq')} "
                             f"{ratio(statistics.median(ours.latencies[query.name]), peer)}")
    if per_query:
        print(f"\nper query, p50 of kg serve on oxigraph: ÷ {SERVERS[REFERENCE]}: "
              + ", ".join(per_query))
    for name, served in results.items():
        differ = [q for q, rows in served.answers.items()
                  if q in reference.answers and rows != reference.answers[q]]
        if differ and name != REFERENCE:
            print(f"\n{SERVERS[name]} answers differently from {SERVERS[REFERENCE]} on: "
                  + ", ".join(differ))


def load_queries(folder: Path) -> list[Query]:
    return [Query(p.name, urlencode({"query": p.read_text(encoding="utf-8")}).encode())
            for p in sorted(folder.glob("*.rq"), key=_natural)]


def _natural(path: Path) -> tuple[str, int]:
    """q2 before q10; other names in their own order."""
    stem = path.stem
    digits = stem.lstrip("abcdefghijklmnopqrstuvwxyz")
    return (stem[:len(stem) - len(digits)], int(digits)) if digits.isdigit() else (stem, 0)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000],
                        help="corpora of synthetic articles, in documents")
    parser.add_argument("--universities", type=int, nargs="*", default=[1, 5, 10])
    parser.add_argument("--departments", type=int, nargs="*", default=[],
                        help="LUBM data sets of one university's first N departments")
    parser.add_argument("--quick", action="store_true",
                        help="a trial in minutes: 64 articles, LUBM 1 department, 3 repeats")
    parser.add_argument("--servers", nargs="+", default=list(SERVERS), choices=list(SERVERS))
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query per server")
    parser.add_argument("--repeat-budget-s", type=float,
                        help="a query is not run again once its runs took this long in all "
                             "(default: --timeout-s)")
    parser.add_argument("--timeout-s", type=float, default=20.0,
                        help="per query, also kg serve's query_timeout_ms")
    parser.add_argument("--extract-sample", type=int, default=200)
    parser.add_argument("--rdflib-max-quads", type=int, default=400_000)
    parser.add_argument("--budget-minutes", type=float, default=25.0)
    args = parser.parse_args()
    if args.repeat_budget_s is None:
        args.repeat_budget_s = args.timeout_s
    if args.quick:
        args.sizes, args.universities, args.departments = [BATCH * 4], [], [1]
        args.repeat, args.extract_sample = 3, BATCH * 4
    return args


def main() -> None:
    args = arguments()
    os.environ["KG_QUERY_TIMEOUT_MS"] = str(int(args.timeout_s * 1000))  # for the kg servers
    started = time.perf_counter()
    print(f"## bench/scale.py: {os.cpu_count()} cores; kg serve {package('diplo-kg')} "
          f"(pyoxigraph {package('pyoxigraph')}), oxigraph {package('oxigraph')} "
          f"(serve-read-only --union-default-graph), rdflib-endpoint "
          f"{shutil.which('rdflib-endpoint') or 'not installed'}"
          f"; {args.repeat} runs of each query (fewer once its runs took "
          f"{args.repeat_budget_s:.0f} s: see the runs column), one client, time limit "
          f"{args.timeout_s:.0f} s")
    plan = ([("articles", n) for n in args.sizes] + [("departments", n) for n in args.departments]
            + [("universities", n) for n in args.universities])
    spent: dict[str, Spent] = {}  # per kind, its last size's
    rates: dict[int, tuple[float, float, int]] = {}  # article_trig's
    for kind, size in plan:
        last = spent.get(kind)
        if last is not None:
            predicted = last.predict(size, args.rdflib_max_quads)
            if time.perf_counter() - started + predicted > args.budget_minutes * 60:
                print(f"\n### {size} {kind}: skipped, predicted to end past --budget-minutes "
                      f"({predicted / 60:.0f} min, from {last.size} {kind})")
                continue
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="kg-scale-") as folder:
            print(f"{size} {kind}: building", file=sys.stderr, flush=True)
            built = time.perf_counter()
            if kind == "articles":
                data, figures = article_trig(Path(folder), size, args.extract_sample, rates,
                                             args.rdflib_max_quads)
                queries, title = load_queries(ROOT / "queries"), f"{size:,} synthetic articles"
            else:
                universities, departments = (1, size) if kind == "departments" else (size, None)
                data, figures = lubm_trig(Path(folder), universities, departments)
                queries = load_queries(LUBM_QUERIES)
                noun = {"departments": "department", "universities": "university"}[kind]
                title = f"LUBM {size} {noun if size == 1 else kind}"
            print(f"  built in {time.perf_counter() - built:.0f} s", file=sys.stderr,
                  flush=True)
            results = serve_all(data, queries, args)
            count = quads(data)
            print_data_set(title, count, figures, results, queries)
        rdflib_s = sum(results[name].seconds for name in RDFLIB_SERVERS if name in results)
        spent[kind] = Spent(size, count, time.perf_counter() - t0 - rdflib_s, rdflib_s)
    print(f"\ntook {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
