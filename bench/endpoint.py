"""Endpoint benchmark: `kg serve` beside rdflib-endpoint and Oxigraph, on the same dataset.

Each server gets one copy of the built TriG, with the union of its graphs as the default graph,
runs in its own process on 127.0.0.1 and is started and stopped here, one at a time so that
they never share the cores. First every queries/*.rq runs once on each server and its rows are
compared with ours (a peer that errs or answers differently is named, not skipped). Then
--requests requests, cycling through the queries, run with 1, 4 and 16 keep-alive clients,
each from its own loopback address (the server tells clients apart by address): once with
every query, once without those slower than --slow-ms (or failing) on ours, since
one slow query would otherwise be all that is measured. --soak N sends N more to ours and
prints the RSS of its process tree (server and query workers) before and after. Every loop has
a count and a time limit.

    .venv/bin/python bench/endpoint.py [--requests N] [--soak N]

The peers come with the bench extra: .venv/bin/pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlencode

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# "ours-uncached" is ours with the result cache off: every request is evaluated by a worker;
# "ours-oxigraph" is that on the oxigraph store (--store oxigraph:), so the two compare engines.
SERVERS = ("ours", "ours-uncached", "ours-oxigraph", "rdflib-endpoint", "oxigraph")
OURS = tuple(name for name in SERVERS if name.startswith("ours"))
CLIENTS = (1, 4, 16)
SOAK_CLIENTS = 4
REQUEST_TIMEOUT_S = 60
READY_TIMEOUT_S = 120
XSD = "http://www.w3.org/2001/XMLSchema#"
HEADERS = {"Content-Type": "application/x-www-form-urlencoded",
           "Accept": "application/sparql-results+json"}
Row = tuple[tuple[str, ...], ...]


class SetupError(Exception):
    """A server could not be started: the reason is printed and the server left out."""


@dataclass(frozen=True)
class Query:
    name: str
    body: bytes  # form-encoded, ready to POST


@dataclass
class Server:
    name: str
    port: int
    path: str
    process: subprocess.Popen[bytes]


@dataclass
class Answer:
    """One query, once: how long it took and its rows, or why it failed."""

    ms: float
    error: str | None = None
    rows: list[Row] = field(default_factory=list)


@dataclass
class Level:
    mix: str
    clients: int
    seconds: float
    latencies: list[float]
    errors: Counter[str]
    cut: bool
    rss_mb: float

    @property
    def done(self) -> int:
        return len(self.latencies)


@dataclass
class Run:
    """What one server did: the single pass, the load levels and (ours) the memory readings."""

    answers: dict[str, Answer]
    slow: list[str]
    levels: list[Level] = field(default_factory=list)
    memory: list[str] = field(default_factory=list)


class Client:
    """One keep-alive connection, reopened after a failure or a server-side close, from its
    own loopback address: N clients are N users, as the server tells clients apart by address
    (one address running more than `client_max_queries` at once is one client over its share)."""

    def __init__(self, server: Server, address: str = HOST) -> None:
        self.server = server
        self.address = address
        self.conn: http.client.HTTPConnection | None = None

    def post(self, body: bytes) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.server.port,
                                                   timeout=REQUEST_TIMEOUT_S,
                                                   source_address=(self.address, 0))
        try:
            self.conn.request("POST", self.server.path, body, HEADERS)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.will_close:
            self.close()
        return response.status, data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# -- servers ------------------------------------------------------------------------------

def executable(name: str) -> str:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if found is None:
        raise SetupError(f"`{name}` not found; install the bench extra: "
                         ".venv/bin/pip install -e '.[bench]'")
    return str(found)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
    return port


def start(name: str, data: Path, workdir: Path, again: bool = False) -> Server:
    """Start one server on a free loopback port and wait until it answers ASK {}. ``again``:
    a restart in the same workdir, where the Oxigraph server's store is loaded already (a
    second `oxigraph load` of the same file would read it all again and change nothing)."""
    port = free_port()
    env = dict(os.environ)
    if name.startswith("ours"):
        store = f"oxigraph:{workdir / 'kg-store'}" if name == "ours-oxigraph" else "memory"
        argv = [executable("kg"), "--data", str(data), "--store", store, "serve",
                "--port", str(port)]
        path = "/sparql"
        if name != "ours":
            env["KG_RESULT_CACHE_ENTRIES"] = "0"
    elif name == "rdflib-endpoint":
        # Its CLI loads the files into Dataset(default_union=True) and serves the root path.
        argv, path = [executable("rdflib-endpoint"), "serve", "--host", HOST, "--port", str(port),
                      str(data)], "/"
    else:
        binary, location = executable("oxigraph"), str(workdir / "oxigraph")
        if not again:
            loaded = subprocess.run([binary, "load", "--location", location, "--file",
                                     str(data)], capture_output=True, text=True, timeout=300,
                                    check=False)
            if loaded.returncode != 0:
                raise SetupError(f"oxigraph load exited with {loaded.returncode}: "
                                 f"{loaded.stderr}")
        argv, path = [binary, "serve-read-only", "--location", location, "--bind",
                      f"{HOST}:{port}", "--union-default-graph"], "/query"
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        server = Server(name, port, path, subprocess.Popen(argv, stdout=out, cwd=ROOT, env=env,
                                                           stderr=subprocess.STDOUT))
    probe, deadline = Client(server), time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline and server.process.poll() is None:
        try:
            if probe.post(urlencode({"query": "ASK {}"}).encode())[0] == 200:
                probe.close()
                return server
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    stop(server)
    last = " | ".join(log.read_text(errors="replace").splitlines()[-5:])
    raise SetupError(f"no answer to ASK {{}} within {READY_TIMEOUT_S} s "
                     f"(exit code {server.process.returncode}): {last}")


def stop(server: Server) -> None:
    """SIGTERM the server, then kill whatever is left of its own process tree, by pid."""
    try:
        children = psutil.Process(server.process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=15)
    for child in psutil.wait_procs(children, timeout=10)[1]:
        child.kill()


def rss(server: Server) -> list[float]:
    """RSS in MB of the server process and each descendant (kg's forkserver and workers)."""
    try:
        root = psutil.Process(server.process.pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []
    sizes = []
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            sizes.append(proc.memory_info().rss / 2**20)
    return sizes


# -- measuring ----------------------------------------------------------------------------

def normalise(data: bytes) -> list[Row]:
    """Sorted rows of (var, kind, value, lang, datatype); blank node labels and xsd:string
    do not count."""
    rows = []
    for binding in json.loads(data)["results"]["bindings"]:
        row = []
        for var, term in sorted(binding.items()):
            kind = term["type"].replace("typed-literal", "literal")
            datatype = term.get("datatype", "").replace(XSD, "xsd:")
            row.append((var, kind, "" if kind == "bnode" else term["value"],
                        term.get("xml:lang", ""), "" if datatype == "xsd:string" else datatype))
        rows.append(tuple(row))
    return sorted(rows)


def check(server: Server, queries: list[Query]) -> dict[str, Answer]:
    client, answers = Client(server), {}
    for query in queries:
        t0 = time.perf_counter()
        try:
            status, data = client.post(query.body)
            ms = (time.perf_counter() - t0) * 1000
            answers[query.name] = (Answer(ms, rows=normalise(data)) if status == 200 else
                                   Answer(ms, f"HTTP {status}: {data[:160]!r}"))
        except (OSError, http.client.HTTPException) as exc:
            answers[query.name] = Answer((time.perf_counter() - t0) * 1000,
                                         f"{type(exc).__name__}: {exc}")
    client.close()
    return answers


def load(server: Server, mix: str, queries: list[Query], clients: int, requests: int,
         seconds: float) -> Level:
    """`requests` requests (request i runs query i mod len) from `clients` threads."""
    lock, issued, deadline = threading.Lock(), 0, time.monotonic() + seconds
    latencies: list[float] = []
    errors: Counter[str] = Counter()

    def take() -> int | None:
        nonlocal issued
        with lock:
            if issued >= requests or time.monotonic() >= deadline:
                return None
            issued += 1
            return issued - 1

    def run(address: str) -> None:
        client = Client(server, address)
        while (index := take()) is not None:
            t0 = time.perf_counter()
            try:
                status, _ = client.post(queries[index % len(queries)].body)
                error = None if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
            with lock:
                latencies.append(time.perf_counter() - t0)
                errors.update([error] if error else [])
        client.close()

    threads = [threading.Thread(target=run, args=(f"127.0.0.{10 + i}",), daemon=True)
               for i in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT_S + 5)
    with lock:
        done, failed = list(latencies), Counter(errors)
    return Level(mix, clients, time.perf_counter() - t0, done, failed,
                 len(done) < requests, sum(rss(server)))


def exercise(server: Server, queries: list[Query], slow: list[str] | None,
             args: argparse.Namespace) -> Run:
    """`slow` comes from the first server run (ours); None means this is the first."""
    answers = check(server, queries)
    if slow is None:
        slow = [q.name for q in queries if answers[q.name].ms > args.slow_ms
                or answers[q.name].error]
    run = Run(answers, slow)
    fast = [q for q in queries if q.name not in slow]
    if server.name == "ours":
        sizes = rss(server)
        run.memory.append(f"after one pass {sum(sizes):.1f} MB in {len(sizes)} processes ("
                          + ", ".join(f"{s:.0f}" for s in sizes) + " MB)")
    for mix, chosen in (("all", queries), ("fast", fast if slow else [])):
        for clients in CLIENTS if chosen else ():
            print(f"{server.name}: {mix} mix, {plural(clients, 'client')}", file=sys.stderr,
                  flush=True)
            run.levels.append(load(server, mix, chosen, clients, args.requests,
                                   args.level_seconds))
    if server.name == "ours" and args.soak and fast:
        print(f"{server.name}: soak", file=sys.stderr, flush=True)
        before = sum(rss(server))
        level = load(server, "soak", fast, SOAK_CLIENTS, args.soak, args.soak_seconds)
        run.memory.append(f"after the load levels {before:.1f} MB; soak of {level.done} "
                          f"requests (fast mix, {SOAK_CLIENTS} clients, {level.seconds:.0f} s) "
                          f"from {before:.1f} to {level.rss_mb:.1f} MB, difference "
                          f"{level.rss_mb - before:+.1f} MB")
        run.levels.append(level)
    return run


# -- report -------------------------------------------------------------------------------

def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of seconds, in ms."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000 if ordered else math.nan


def difference(answer: Answer, ours: Answer) -> str | None:
    """None if the rows are ours, else how they differ."""
    if answer.rows == ours.rows:
        return None

    def untyped(row: Row) -> list[tuple[str, ...]]:
        return [term[:4] for term in row]

    pairs = list(zip(sorted(answer.rows, key=untyped), sorted(ours.rows, key=untyped),
                     strict=False))
    if len(answer.rows) != len(ours.rows) or any(untyped(a) != untyped(b) for a, b in pairs):
        return f"{len(answer.rows)} rows (ours {len(ours.rows)}) and the rows differ"
    swaps = sorted({f"?{a[0]} {a[4] or 'xsd:string'} for ours {b[4] or 'xsd:string'}"
                    for ra, rb in pairs for a, b in zip(ra, rb, strict=True) if a != b})
    return f"the same {len(ours.rows)} rows up to literal datatypes: " + "; ".join(swaps)


def print_answers(queries: list[Query], runs: dict[str, Run]) -> list[str]:
    print("\nEach query once, 1 client: ms, rows (! rows differ from ours, ~ only in literal "
          "datatypes, ERR not 200)")
    print(f"{'query':<31}" + "".join(f"{name:>20}" for name in runs))
    notes = []
    for query in queries:
        ours = runs["ours"].answers[query.name] if "ours" in runs else None
        cells = []
        for name, run in runs.items():
            answer = run.answers[query.name]
            if answer.error:
                cells.append("ERR")
                notes.append(f"{name} cannot answer {query.name}: {answer.error}")
                continue
            differs = None if ours is None or ours.error else difference(answer, ours)
            if differs:
                notes.append(f"{name} answers {query.name} with {differs}")
            mark = " " if not differs else "~" if "datatypes" in differs else "!"
            cells.append(f"{answer.ms:.0f} ms {len(answer.rows):>5}{mark}")
        print(f"{query.name:<31}" + "".join(f"{c:>20}" for c in cells))
    return notes


def print_levels(runs: dict[str, Run]) -> list[str]:
    print(f"{'server':<17}{'mix':>5}{'clients':>8}{'requests':>10}{'req/s':>9}{'p50 ms':>9}"
          f"{'p99 ms':>9}{'errors':>8}{'RSS MB':>8}")
    notes, rate = [], {}
    for name, run in runs.items():
        for lv in run.levels:
            p50, p99 = percentile(lv.latencies, 0.5), percentile(lv.latencies, 0.99)
            rate[name, lv.mix, lv.clients] = lv.done / lv.seconds
            print(f"{name:<17}{lv.mix:>5}{lv.clients:>8}{lv.done:>10}{lv.done / lv.seconds:>9.1f}"
                  f"{p50:>9.0f}{p99:>9.0f}{sum(lv.errors.values()):>8}{lv.rss_mb:>8.0f}")
            where = f"{name}, {lv.mix} mix, {plural(lv.clients, 'client')}"
            if lv.errors:
                notes.append(f"{where}: " + ", ".join(f"{error} x{count}"
                                                      for error, count in lv.errors.items()))
            if lv.cut:
                notes.append(f"{where}: stopped at the time limit after {lv.done} requests")
    pairs = [(ours, peer) for peer in SERVERS if peer not in OURS for ours in OURS]
    for ours, peer in [("ours-oxigraph", "ours-uncached"), *pairs]:
        for mix in ("all", "fast"):
            ratios = [f"{plural(c, 'client')} {rate[ours, mix, c] / rate[peer, mix, c]:.2f}x"
                      for c in CLIENTS if (ours, mix, c) in rate and (peer, mix, c) in rate]
            if ratios:
                print(f"{ours} / {peer} req/s, {mix} mix: " + ", ".join(ratios))
    return notes


def package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=32,
                        help="Requests per server, mix and number of clients (default 32).")
    parser.add_argument("--soak", type=int, default=0,
                        help="Requests of the memory soak against ours (default 0: none).")
    parser.add_argument("--slow-ms", type=float, default=3000,
                        help="Queries slower than this once on ours, or failing, are left out of "
                             "the fast mix and the soak (default 3000).")
    parser.add_argument("--level-seconds", type=float, default=120,
                        help="Time limit of each load level (default 120).")
    parser.add_argument("--soak-seconds", type=float, default=1200,
                        help="Time limit of the soak (default 1200).")
    parser.add_argument("--data", type=Path, default=ROOT / "build" / "dataset.trig",
                        help="Dataset to serve (default build/dataset.trig, built if missing).")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    started = time.perf_counter()
    if not args.data.exists():
        subprocess.run([executable("kg"), "build", "-q"], cwd=ROOT, check=True, timeout=600)
    queries = [Query(p.name, urlencode({"query": p.read_text(encoding="utf-8")}).encode())
               for p in sorted((ROOT / "queries").glob("*.rq"))]
    runs: dict[str, Run] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
        data = Path(folder) / "dataset.trig"
        shutil.copyfile(args.data, data)  # a concurrent `kg build` cannot change it mid-run
        size = data.stat().st_size
        for name in SERVERS:
            print(f"{name}: starting", file=sys.stderr, flush=True)
            try:
                server = start(name, data, Path(folder))
            except (SetupError, subprocess.SubprocessError, OSError) as exc:
                notes.append(f"{name} not set up: {exc}")
                continue
            try:
                first = next(iter(runs.values()), None)
                runs[name] = exercise(server, queries, first.slow if first else None, args)
            finally:
                stop(server)
    slow = next(iter(runs.values())).slow if runs else []
    print(f"dataset {args.data} ({size} bytes), {len(queries)} queries; {os.cpu_count()} cores "
          "shared by the clients and the one server under test")
    print(f"ours: kg serve {package('diplo-kg')} (waitress + query worker processes, its "
          f"defaults; ours-oxigraph on --store oxigraph:, pyoxigraph {package('pyoxigraph')}); "
          f"rdflib-endpoint {package('rdflib-endpoint')} (its CLI: uvicorn, one "
          f"process); oxigraph {package('oxigraph')} (serve-read-only --union-default-graph)")
    notes = print_answers(queries, runs) + notes
    print(f"\n{args.requests} requests per row, cycling through the queries; mix all = every "
          f"query, fast = all but {', '.join(slow) or 'none'} (over {args.slow_ms:.0f} ms or "
          "failed once on ours)")
    notes += print_levels(runs)
    if "ours" in runs and runs["ours"].memory:
        print("\nours, RSS of kg serve and its worker processes: "
              + "; ".join(runs["ours"].memory))
    if notes:
        print("\nnotes:")
        for note in notes:
            print(f"  - {note}")
    print(f"\ntook {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
