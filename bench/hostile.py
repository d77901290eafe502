"""Hostile load: `kg serve` under mixed attack and faults, on loopback, for a bounded time.

One server (memory store by default, or --store oxigraph:PATH) on a copy of the built dataset.
First a baseline: cheap queries from one client on the idle server. Then --seconds of attack
by --clients clients, each from its own loopback address (127.0.0.N: the server tells clients
apart by address), in roles: cheap queries (most clients), heavy ones, runaway ones (killed at
the time limit), oversized ones (a 320 KB VALUES block), malformed ones, and tiny client
timeouts with a huge Accept header. Meanwhile the faults: kill -9 of a query worker, a corrupt
dataset file on disk, `kg build` while serving, then another kill -9 (so a worker starts after
the build). At the end: requests and outcomes by role, errors of the cheap queries, their p50
and p99 beside the idle baseline, the memory of the server's process tree before and after,
worker restarts, and whether the server ends healthy and serves one view of the data.

    .venv/bin/python bench/hostile.py [--seconds 180] [--clients 16] [--store memory]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
KG = str(Path(sys.executable).parent / "kg")
HOST = "127.0.0.1"
TIMEOUT_S = 120
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HEAVY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?r } GROUP BY ?p"
MALFORMED = ('SELECT ?s WHERE { ?s ?p ', 'SELECT ?o WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "(") }',
             "ASK { <a b> ?p ?o }")
HUGE_ACCEPT = "application/sparql-results+json," + ",".join(f"a/b{i};q=0.5" for i in range(20_000))


def oversized() -> bytes:
    values = " ".join(f'({n} "a{n}")' for n in range(20_000))
    return f"SELECT ?x ?y WHERE {{ VALUES (?x ?y) {{ {values} }} }} LIMIT 1".encode()


def cheap(n: int) -> str:
    """A cheap query, another text each time (no result-cache hit)."""
    return f"SELECT ?o WHERE {{ <https://w3id.org/diplo-kg/id/turkey> ?p ?o }} LIMIT 5 # {n}"


class Client:
    """One client: a keep-alive connection from its own loopback address."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address
        self.connection: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT_S,
                                                             source_address=(self.address, 0))
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response.status, response.read()
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def query(self, text: str, **params: str) -> tuple[int, bytes]:
        return self.send("GET", f"/sparql?{urlencode({'query': text, **params})}",
                         headers={"Accept": "application/sparql-results+json"})


def start(data: Path, store: str, workers: int) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen([KG, "--data", str(data), "--store", store, "serve", "--port",
                                "0", "--workers", str(workers)], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("serving "):
        process.kill()
        raise SystemExit(f"kg serve did not start: {line!r}")
    return process, int(line.split()[1].rsplit(":", 1)[1].split("/")[0])


def tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def rss_mb(pid: int) -> float:
    total = 0
    for member in tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def workers_of(pid: int) -> list[int]:
    for child in tree(pid)[1:]:
        try:
            if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                return tree(child)[1:]
        except OSError:
            continue
    return []


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def outcome(status: int, body: bytes) -> str:
    if status < 400:
        return str(status)
    try:
        setting = json.loads(body).get("setting")
    except ValueError:
        setting = None
    return f"{status} {setting}" if setting else str(status)


def attack(port: int, clients: int, seconds: float, tally: Counter[tuple[str, str]],
           cheap_ms: list[float], cheap_errors: Counter[str]) -> list[threading.Thread]:
    """Start the clients; each runs its role until ``seconds`` have passed."""
    end = time.monotonic() + seconds
    big = oversized()
    roles = ["cheap"] * max(1, clients - 8) + ["heavy", "runaway", "runaway", "oversized",
                                               "oversized", "malformed", "tiny-timeout",
                                               "heavy"]
    lock = threading.Lock()

    def run(role: str, client: Client) -> None:
        n = 0
        while time.monotonic() < end:
            n += 1
            started = time.perf_counter()
            try:
                if role == "cheap":
                    status, body = client.query(cheap(n))
                elif role == "heavy":
                    status, body = client.query(f"{HEAVY} # {n}")
                elif role == "runaway":
                    status, body = client.query(f"{RUNAWAY} # {n}")
                elif role == "oversized":
                    status, body = client.send("POST", "/sparql", big + f"# {n}".encode(),
                                               {"Content-Type": "application/sparql-query"})
                elif role == "malformed":
                    status, body = client.query(MALFORMED[n % len(MALFORMED)])
                else:
                    status, body = client.send(
                        "GET", f"/sparql?{urlencode({'query': f'ASK {{}} # {n}', 'timeout': '1'})}",
                        headers={"Accept": HUGE_ACCEPT})
                result = outcome(status, body)
            except (OSError, http.client.HTTPException) as exc:
                result = type(exc).__name__
            with lock:
                tally[(role, result)] += 1
                if role == "cheap":
                    cheap_ms.append((time.perf_counter() - started) * 1000)
                    if result != "200":
                        cheap_errors[result] += 1

    threads = [threading.Thread(target=run, args=(role, Client(port, f"127.0.0.{10 + i}")),
                                daemon=True)
               for i, role in enumerate(roles[:clients])]
    for thread in threads:
        thread.start()
    return threads


def faults(pid: int, data: Path, store: str, seconds: float, log: list[str]) -> None:
    """kill -9 a worker, corrupt the dataset file, rebuild it, kill -9 again: spread over the
    attack."""
    good = data.read_bytes()
    steps: list[tuple[float, str, Callable[[], object]]] = [
        (0.2, "kill -9 a query worker", lambda: kill_one(pid)),
        (0.4, "dataset file cut short on disk", lambda: data.write_bytes(good[: len(good) // 3])),
        (0.55, "kg build while serving", lambda: rebuild(data, store)),
        (0.8, "kill -9 a query worker (after the build)", lambda: kill_one(pid)),
    ]
    started = time.monotonic()
    for at, what, act in steps:
        time.sleep(max(0.0, started + at * seconds - time.monotonic()))
        act()
        log.append(f"{time.monotonic() - started:6.1f} s  {what}")


def kill_one(pid: int) -> None:
    found = workers_of(pid)
    if found:
        os.kill(found[0], signal.SIGKILL)


def rebuild(data: Path, store: str) -> None:
    subprocess.run([KG, "--data", str(data), "--store", store, "build", "-q"], cwd=ROOT,
                   check=True, capture_output=True, timeout=600)


def health(port: int) -> dict[str, object]:
    status, body = Client(port, HOST).send("GET", "/health")
    found = json.loads(body)
    found["http_status"] = status
    return found


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180, help="length of the attack")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--store", default="memory", help="memory or oxigraph:PATH")
    parser.add_argument("--baseline", type=int, default=200, help="cheap queries when idle")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    built = ROOT / "build" / "dataset.trig"
    if not built.exists():
        raise SystemExit("build the dataset first: make build")
    folder = Path(tempfile.mkdtemp(prefix="kg-hostile-"))
    data = folder / "dataset.trig"
    shutil.copyfile(built, data)
    store = args.store if args.store == "memory" else f"oxigraph:{folder / 'store'}"
    process, port = start(data, store, args.workers)
    try:
        idle = Client(port, HOST)
        idle.query(cheap(0))
        baseline = []
        for n in range(args.baseline):
            started = time.perf_counter()
            idle.query(cheap(100_000 + n))
            baseline.append((time.perf_counter() - started) * 1000)
        before = rss_mb(process.pid)
        tally: Counter[tuple[str, str]] = Counter()
        cheap_ms: list[float] = []
        cheap_errors: Counter[str] = Counter()
        fault_log: list[str] = []
        threads = attack(port, args.clients, args.seconds, tally, cheap_ms, cheap_errors)
        peak = before
        fault_thread = threading.Thread(target=faults, daemon=True,
                                        args=(process.pid, data, store, args.seconds, fault_log))
        fault_thread.start()
        while any(t.is_alive() for t in threads):
            peak = max(peak, rss_mb(process.pid))
            time.sleep(1)
        fault_thread.join(600)
        deadline = time.monotonic() + 120
        final = health(port)
        while final.get("status") != "ok" and time.monotonic() < deadline:
            time.sleep(1)
            final = health(port)
        after = rss_mb(process.pid)
        view = Client(port, HOST).query("ASK { ?s ?p ?o }")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)
    report(args, tally, cheap_ms, cheap_errors, baseline, before, peak, after, final, view,
           fault_log)


def report(args: argparse.Namespace, tally: Counter[tuple[str, str]], cheap_ms: list[float],
           cheap_errors: Counter[str], baseline: list[float], before: float, peak: float,
           after: float, final: dict[str, object], view: tuple[int, bytes],
           fault_log: list[str]) -> None:
    workers = final.get("workers", {})
    print(f"kg serve --store {args.store} --workers {args.workers}: {args.clients} clients "
          f"for {args.seconds:g} s on loopback")
    print("faults:")
    for line in fault_log:
        print(f"  {line}")
    print(f"requests: {sum(tally.values())}")
    for role in dict.fromkeys(role for role, _ in sorted(tally)):
        outcomes = ", ".join(f"{result} ×{count}" for (r, result), count in sorted(tally.items())
                             if r == role)
        print(f"  {role:13} {outcomes}")
    kinds = ", ".join(f"{k} ×{v}" for k, v in cheap_errors.items())
    print(f"cheap queries: {len(cheap_ms)}, errors {sum(cheap_errors.values())}"
          f"{f' ({kinds})' if kinds else ''}")
    print(f"  {'':14}{'p50':>9}{'p99':>9}")
    for name, values in (("idle baseline", baseline), ("under attack", cheap_ms)):
        print(f"  {name:14}{percentile(values, 0.5):7.0f}ms{percentile(values, 0.99):7.0f}ms")
    print(f"memory (RSS of the server's process tree): before {before:.0f} MB, peak {peak:.0f} MB, "
          f"after {after:.0f} MB")
    print(f"worker restarts: {workers.get('restarts') if isinstance(workers, dict) else '?'}")
    print(f"end: /health {final.get('http_status')} {final.get('status')}, workers {workers}; "
          f"a query after: {view[0]}")


if __name__ == "__main__":
    main()
