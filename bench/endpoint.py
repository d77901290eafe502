"""Endpoint benchmark: `kg serve` beside rdflib-endpoint and Oxigraph, on the same dataset.

Each server gets one copy of the built TriG, with the union of its graphs as the default graph,
runs in its own process on 127.0.0.1 and is started and stopped here, one at a time so that
they never share the cores. First every queries/*.rq runs once on each server and its rows are
compared with ours (a peer that errs or answers differently is named, not skipped); then
--requests requests, cycling through the queries, run with 1, 4 and 16 keep-alive clients.
With --soak N, N more requests run against ours and the RSS of its process tree (server and
query workers) is printed before and after. Every loop has a count and a time limit.

    .venv/bin/python bench/endpoint.py [--requests N] [--soak N]

The peers come with the bench extra: .venv/bin/pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
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
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlencode

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
CLIENTS = (1, 4, 16)
SOAK_CLIENTS = 4
REQUEST_TIMEOUT_S = 60
READY_TIMEOUT_S = 120
RESULTS_JSON = "application/sparql-results+json"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class SetupError(Exception):
    """A server could not be started: the reason is printed and the server left out."""


@dataclass(frozen=True)
class Query:
    name: str
    body: bytes  # form-encoded, ready to POST

    @classmethod
    def read(cls, path: Path) -> Query:
        return cls(path.name, urlencode({"query": path.read_text(encoding="utf-8")}).encode())


@dataclass
class Server:
    name: str
    port: int
    path: str
    process: subprocess.Popen[bytes]
    log: Path


@dataclass
class Answer:
    """One query, once: its status (or the error) and its rows, normalised for comparison."""

    ms: float
    error: str | None = None
    rows: list[tuple[tuple[str, ...], ...]] = field(default_factory=list)


@dataclass
class Level:
    mix: str
    clients: int
    done: int
    seconds: float
    latencies: list[float]
    errors: Counter[str]
    cut: bool
    rss_mb: float


class Client:
    """One keep-alive connection, reopened after a failure or a server-side close."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.conn: http.client.HTTPConnection | None = None

    def post(self, body: bytes) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.server.port,
                                                   timeout=REQUEST_TIMEOUT_S)
        try:
            self.conn.request("POST", self.server.path, body, {
                "Content-Type": "application/x-www-form-urlencoded", "Accept": RESULTS_JSON})
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


# -- servers -------------------------------------------------------------------------------

def executable(name: str) -> str:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if found is None:
        raise SetupError(f"`{name}` not found; install the bench extra: "
                         ".venv/bin/pip install -e '.[bench]'")
    return str(found)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def tail(log: Path, lines: int = 5) -> str:
    return " | ".join(log.read_text(errors="replace").splitlines()[-lines:])


def launch(name: str, argv: list[str], path: str, port: int, workdir: Path) -> Server:
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    server = Server(name, port, path, process, log)
    deadline = time.monotonic() + READY_TIMEOUT_S
    probe = Client(server)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SetupError(f"exited with code {process.returncode}: {tail(log)}")
        try:
            if probe.post(urlencode({"query": "ASK {}"}).encode())[0] == 200:
                probe.close()
                return server
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    stop(server)
    raise SetupError(f"not answering ASK {{}} within {READY_TIMEOUT_S} s: {tail(log)}")


def start_ours(data: Path, workdir: Path) -> Server:
    port = free_port()
    return launch("ours", [executable("kg"), "--data", str(data), "serve", "--port", str(port)],
                  "/sparql", port, workdir)


def start_rdflib_endpoint(data: Path, workdir: Path) -> Server:
    # Its CLI loads the files into Dataset(default_union=True) and serves the root path.
    port = free_port()
    return launch("rdflib-endpoint", [executable("rdflib-endpoint"), "serve", "--host", HOST,
                                      "--port", str(port), str(data)], "/", port, workdir)


def start_oxigraph(data: Path, workdir: Path) -> Server:
    binary, location = executable("oxigraph"), workdir / "oxigraph"
    loaded = subprocess.run([binary, "load", "--location", str(location), "--file", str(data)],
                            capture_output=True, text=True, timeout=300, check=False)
    if loaded.returncode != 0:
        raise SetupError(f"oxigraph load failed ({loaded.returncode}): {loaded.stderr.strip()}")
    port = free_port()
    return launch("oxigraph", [binary, "serve-read-only", "--location", str(location),
                               "--bind", f"{HOST}:{port}", "--union-default-graph"],
                  "/query", port, workdir)


def stop(server: Server) -> None:
    """SIGTERM the server, then kill whatever of its own process tree is left, by pid."""
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
    _, alive = psutil.wait_procs(children, timeout=10)
    for child in alive:
        child.kill()


def rss(server: Server) -> list[float]:
    """RSS in MB of the server process and each of its descendants (kg's forkserver, workers)."""
    try:
        root = psutil.Process(server.process.pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []
    sizes = []
    for proc in procs:
        try:
            sizes.append(proc.memory_info().rss / 2**20)
        except psutil.NoSuchProcess:
            pass
    return sizes


def rss_mb(server: Server) -> float:
    sizes = rss(server)
    return sum(sizes) if sizes else math.nan


# -- measuring ----------------------------------------------------------------------------

def normalise(data: bytes) -> list[tuple[tuple[str, ...], ...]]:
    """Rows as sorted tuples; blank node labels and the xsd:string datatype do not count."""
    rows = []
    for binding in json.loads(data)["results"]["bindings"]:
        row = []
        for var, term in sorted(binding.items()):
            if term["type"] == "bnode":
                row.append((var, "_:"))
            else:
                datatype = term.get("datatype", "")
                row.append((var, term["value"], term.get("xml:lang", ""),
                            "" if datatype == XSD_STRING else datatype))
        rows.append(tuple(row))
    return sorted(rows)


def check(server: Server, queries: list[Query]) -> dict[str, Answer]:
    client, answers = Client(server), {}
    for query in queries:
        t0 = time.perf_counter()
        try:
            status, data = client.post(query.body)
        except (OSError, http.client.HTTPException) as exc:
            answers[query.name] = Answer((time.perf_counter() - t0) * 1000,
                                         f"{type(exc).__name__}: {exc}")
            continue
        ms = (time.perf_counter() - t0) * 1000
        if status != 200:
            answers[query.name] = Answer(ms, f"HTTP {status}: {data[:160]!r}")
        else:
            answers[query.name] = Answer(ms, rows=normalise(data))
    client.close()
    return answers


def load(server: Server, mix: str, queries: list[Query], clients: int, requests: int,
         seconds: float) -> Level:
    """`requests` requests (request i runs query i mod len) from `clients` threads."""
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    deadline = time.monotonic() + seconds

    def take() -> int | None:
        nonlocal issued
        with lock:
            if issued >= requests or time.monotonic() >= deadline:
                return None
            issued += 1
            return issued - 1

    def run() -> None:
        client = Client(server)
        while (index := take()) is not None:
            t0 = time.perf_counter()
            try:
                status, _ = client.post(queries[index % len(queries)].body)
                error = None if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
            with lock:
                latencies.append(time.perf_counter() - t0)
                if error:
                    errors[error] += 1
        client.close()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT_S + 5)
    elapsed = time.perf_counter() - t0
    with lock:
        done = list(latencies)
    return Level(mix, clients, len(done), elapsed, done, Counter(errors), len(done) < requests,
                 rss_mb(server))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile, in ms."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))] * 1000


# -- report -------------------------------------------------------------------------------

def package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def datatypes(rows: list[tuple[tuple[str, ...], ...]]) -> set[str]:
    return {term[3].replace(XSD_STRING[:-6], "xsd:") for row in rows for term in row
            if len(term) > 3 and term[3]}


def difference(answer: Answer, ours: Answer) -> str | None:
    """None if the rows are ours, else how they differ."""
    if answer.rows == ours.rows:
        return None
    untyped = [sorted(tuple(term[:3] for term in row) for row in a.rows) for a in (answer, ours)]
    if untyped[0] == untyped[1]:
        return (f"the same {len(ours.rows)} rows up to literal datatypes: "
                f"{', '.join(sorted(datatypes(answer.rows) - datatypes(ours.rows)))} where ours "
                f"has {', '.join(sorted(datatypes(ours.rows) - datatypes(answer.rows)))}")
    return f"{len(answer.rows)} rows (ours {len(ours.rows)}) and the rows differ"


def print_answers(queries: list[Query], answers: dict[str, dict[str, Answer]]) -> list[str]:
    names = list(answers)
    print("\nEach query once, 1 client: ms, rows (! rows differ from ours, ~ only in literal "
          "datatypes, ERR not 200)")
    print(f"{'query':<31}" + "".join(f"{n:>20}" for n in names))
    notes = []
    for query in queries:
        ours = answers.get("ours", {}).get(query.name)
        cells = []
        for name in names:
            answer = answers[name][query.name]
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


def print_levels(levels: dict[str, list[Level]]) -> list[str]:
    print(f"{'server':<17}{'mix':>5}{'clients':>8}{'requests':>10}{'req/s':>9}{'p50 ms':>9}"
          f"{'p99 ms':>9}{'errors':>8}{'RSS MB':>8}")
    notes = []
    for name, rows in levels.items():
        for level in rows:
            p50, p99 = percentile(level.latencies, 0.5), percentile(level.latencies, 0.99)
            print(f"{name:<17}{level.mix:>5}{level.clients:>8}{level.done:>10}"
                  f"{level.done / level.seconds:>9.1f}{p50:>9.0f}{p99:>9.0f}"
                  f"{sum(level.errors.values()):>8}{level.rss_mb:>8.0f}")
            where = f"{name}, {level.mix} mix, {level.clients} clients"
            if level.errors:
                notes.append(f"{where}: " + ", ".join(f"{k} x{v}"
                                                      for k, v in level.errors.most_common()))
            if level.cut:
                notes.append(f"{where}: stopped at the time limit after {level.done} requests")
    rate = {(n, lv.mix, lv.clients): lv.done / lv.seconds for n, rows in levels.items()
            for lv in rows}
    for peer in ("rdflib-endpoint", "oxigraph"):
        for mix in ("all", "fast"):
            ratios = [f"{c} clients {rate[('ours', mix, c)] / rate[(peer, mix, c)]:.2f}x"
                      for c in CLIENTS if ("ours", mix, c) in rate and (peer, mix, c) in rate]
            if ratios:
                print(f"ours / {peer} req/s, {mix} mix: " + ", ".join(ratios))
    return notes


def soak(server: Server, queries: list[Query], args: argparse.Namespace) -> tuple[str, list[str]]:
    before = rss_mb(server)
    level = load(server, "soak", queries, SOAK_CLIENTS, args.soak, args.soak_seconds)
    after = rss_mb(server)
    line = (f"soak of {level.done} requests (fast mix, {SOAK_CLIENTS} clients, "
            f"{level.seconds:.0f} s, {sum(level.errors.values())} errors): before "
            f"{before:.1f} MB, after {after:.1f} MB, difference {after - before:+.1f} MB")
    notes = [f"soak stopped at the time limit ({args.soak_seconds} s)"] if level.cut else []
    if level.errors:
        notes.append("soak errors: " + ", ".join(f"{k} x{v}" for k, v in level.errors.items()))
    return line, notes


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=32,
                        help="Requests per server, mix and number of clients (default 32).")
    parser.add_argument("--soak", type=int, default=0,
                        help="Requests of the memory soak against ours (default 0: none).")
    parser.add_argument("--slow-ms", type=float, default=1000,
                        help="Queries slower than this once on ours are left out of the fast mix "
                             "and the soak (default 1000).")
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
    queries = [Query.read(p) for p in sorted((ROOT / "queries").glob("*.rq"))]
    starters: dict[str, Callable[[Path, Path], Server]] = {
        "ours": start_ours, "rdflib-endpoint": start_rdflib_endpoint, "oxigraph": start_oxigraph}
    answers: dict[str, dict[str, Answer]] = {}
    levels: dict[str, list[Level]] = {}
    slow: list[str] | None = None  # from the first server up, ours unless it failed
    notes: list[str] = []
    memory: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
        workdir = Path(folder)
        data = workdir / "dataset.trig"
        shutil.copyfile(args.data, data)  # a concurrent `kg build` cannot change it mid-run
        size = data.stat().st_size
        for name, start in starters.items():
            print(f"{name}: starting", file=sys.stderr, flush=True)
            try:
                server = start(data, workdir)
            except (SetupError, subprocess.SubprocessError, OSError) as exc:
                notes.append(f"{name} not set up: {exc}")
                continue
            try:
                answers[name] = check(server, queries)
                if slow is None:
                    slow = [q.name for q in queries if answers[name][q.name].ms > args.slow_ms]
                fast = [q for q in queries if q.name not in slow]
                if name == "ours":
                    sizes = rss(server)
                    memory.append(f"after one pass {sum(sizes):.1f} MB in {len(sizes)} processes ("
                                  + ", ".join(f"{s:.0f}" for s in sizes) + " MB)")
                levels[name] = []
                for mix, chosen in (("all", queries), ("fast", fast if slow else [])):
                    for clients in CLIENTS if chosen else ():
                        print(f"{name}: {mix} mix, {clients} clients", file=sys.stderr, flush=True)
                        levels[name].append(load(server, mix, chosen, clients, args.requests,
                                                 args.level_seconds))
                if name == "ours":
                    memory.append(f"after the load levels {rss_mb(server):.1f} MB")
                    if args.soak:
                        print(f"{name}: soak", file=sys.stderr, flush=True)
                        line, soak_notes = soak(server, fast, args)
                        memory.append(line)
                        notes.extend(soak_notes)
            finally:
                stop(server)
    print(f"dataset {args.data} ({size} bytes), {len(queries)} queries; {os.cpu_count()} cores "
          "shared by the clients and the one server under test")
    print(f"ours: kg serve {package('diplo-kg')} (waitress + query worker processes, its "
          f"defaults); rdflib-endpoint {package('rdflib-endpoint')} (its CLI: uvicorn, one "
          f"process); oxigraph {package('oxigraph')} (serve-read-only --union-default-graph)")
    notes = print_answers(queries, answers) + notes
    print(f"\n{args.requests} requests per row, cycling through the queries; mix all = every "
          f"query, fast = all but {', '.join(slow or []) or 'none'} (over {args.slow_ms:.0f} ms "
          "once on ours)")
    notes += print_levels(levels)
    if memory:
        print("\nours, RSS of kg serve and its worker processes: " + "; ".join(memory))
    if notes:
        print("\nnotes:")
        for note in notes:
            print(f"  - {note}")
    print(f"\ntook {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
