"""Start and memory of `kg serve` on the Oxigraph store at about 1 M quads (issue 12's goal:
start ≤ 5 s and memory ≤ 1 GB), beside pyoxigraph on the same file and store in the same run.

The data are LUBM (bench/lubm.py, seed 0) and their closure by `kg reason`, in two graphs of
one TriG file, as in bench/scale.py (5 universities: about 1.09 M quads), or --data FILE. One
thing runs at a time:

- first start: `kg serve` on a store that does not exist yet, until it answers ASK {}: the file
  is bulk-loaded once, then served. Baseline: pyoxigraph's bulk_load and optimize of the same
  file into a new store, in a process of its own.
- restart, file unchanged: `kg serve` again (what `kg build` then `kg serve` does). Baseline: a
  new Python process that opens the same store read-only with pyoxigraph and answers ASK {}
  (interpreter start included on both sides).
- restart after the file was written again with the same bytes (a new modification time, as
  when `kg build` writes the same dataset again): reopened by content, not loaded again.
- memory: the RSS of kg serve's process tree (server, forkserver, resource tracker, query
  workers; summed, so the store's pages that the workers share count once per worker) when it
  first answers, at its peak while it starts (sampled), and after LUBM's 14 queries and the
  first hit of each page. Baseline: the peak RSS of the pyoxigraph process that ran the same
  queries on the same store.
- the first hit of the pages whose read model reads the whole store (search, timeline, VoID),
  after the load and after a restart (which may answer them from kept answers), each beside
  the query time limit (query_timeout_ms) and beside one pass of pyoxigraph over every quad
  of the same store (COUNT(*) in a new process, less the process's open alone): the page's
  cost in passes over the data.

    .venv/bin/python bench/serve_start.py                 # LUBM 5 universities
    .venv/bin/python bench/serve_start.py --universities 1
    .venv/bin/python bench/serve_start.py --data build/dataset.trig
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from endpoint import HOST, Client, Server, executable, free_port, rss, stop  # noqa: E402
from scale import LUBM_QUERIES, load_queries, lubm_trig, quads  # noqa: E402

BASELINE = Path(__file__).resolve().parent / "oxigraph_baseline.py"
ONE_PASS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }\n"
LIMIT_S = 10.0  # query_timeout_ms's default: a page's read over it answers 503
POLL_S = 0.05
READY_TIMEOUT_S = 600
# The pages whose first hit builds a read model of the whole store (search's names, the
# timeline's events, VoID's counts), and the home page.
PAGES = {"/": "text/html", "/search?q=University0": "text/html", "/timeline": "text/html",
         "/.well-known/void": "text/turtle"}


@dataclass
class Start:
    """One start of kg serve: until its first answer, and what it held then and after."""

    seconds: float
    ready_mb: float
    peak_mb: float
    after_mb: float = 0.0
    failed: list[str] = field(default_factory=list)
    pages: dict[str, float] = field(default_factory=dict)  # path: seconds of its first hit


def tree_mb(server: Server) -> float:
    return sum(rss(server))


def serve(data: Path, store: Path, log: Path) -> tuple[Server, Start]:
    """Start kg serve; the wall time until it answers ASK {}, with the tree's RSS sampled."""
    port = free_port()
    argv = [executable("kg"), "--data", str(data), "--store", f"oxigraph:{store}", "serve",
            "--port", str(port)]
    env = {**os.environ, "KG_RESULT_CACHE_ENTRIES": "0"}
    started = time.perf_counter()
    with log.open("ab") as out:
        server = Server("kg serve", port, "/sparql", subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, env=env))
    probe, peak = Client(server), 0.0
    body = urlencode({"query": "ASK {}"}).encode()
    while time.perf_counter() - started < READY_TIMEOUT_S and server.process.poll() is None:
        peak = max(peak, tree_mb(server))
        try:
            if probe.post(body)[0] == 200:
                seconds = time.perf_counter() - started
                probe.close()
                ready = tree_mb(server)
                return server, Start(seconds, ready, max(peak, ready))
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(POLL_S)
    stop(server)
    raise SystemExit(f"kg serve did not answer: {log.read_text(errors='replace')[-2000:]}")


def exercise(server: Server, start: Start, queries: bool) -> None:
    """LUBM's 14 queries once (if ``queries``), then the first hit of each page; the tree's
    RSS after."""
    client = Client(server)
    for query in load_queries(LUBM_QUERIES) if queries else []:
        try:
            status, _ = client.post(query.body)
        except (OSError, http.client.HTTPException) as exc:
            status, _ = 0, str(exc)
        if status != 200:
            start.failed.append(f"{query.name} ({status})")
    client.close()
    for path, accept in PAGES.items():
        conn = http.client.HTTPConnection(HOST, server.port, timeout=READY_TIMEOUT_S)
        t0 = time.perf_counter()
        conn.request("GET", path, headers={"Accept": accept})
        response = conn.getresponse()
        response.read()
        start.pages[path] = time.perf_counter() - t0
        if response.status != 200:
            start.failed.append(f"{path} ({response.status})")
        conn.close()
    start.after_mb = tree_mb(server)


def once(data: Path, store: Path, log: Path, queries: bool = False) -> Start:
    server, start = serve(data, store, log)
    try:
        exercise(server, start, queries)
    finally:
        stop(server)
    return start


def baseline(*args: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB, its own count: too short-lived to sample) of
    bench/oxigraph_baseline.py in a process of its own."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(BASELINE), *args], capture_output=True,
                          text=True, check=True)
    seconds = time.perf_counter() - started
    return seconds, round(json.loads(done.stdout)["peak_mb"])


def rewrite_same_bytes(data: Path) -> None:
    """The same bytes under a new modification time, by a rename, as `kg build` writes."""
    copy = data.with_name(f".{data.name}.copy")
    shutil.copyfile(data, copy)
    later = data.stat().st_mtime_ns + 2_000_000_000
    os.utime(copy, ns=(later, later))
    os.replace(copy, data)


def row(what: str, ours: str, peer: str, ratio: float | None) -> str:
    return f"| {what} | {ours} | {peer} | {'' if ratio is None else f'{ratio:.2f}'} |"


def report(count: int, first: Start, restart: Start, same: Start, load: tuple[float, int],
           reopen: tuple[float, int], queried: tuple[float, int], one_pass: float) -> None:
    print(f"\n### kg serve on the Oxigraph store: {count:,} quads\n")
    print("| | kg serve | pyoxigraph, same file and store | ratio |")
    print("|---|---:|---:|---:|")
    print(row("first start: load, then first answer (s)", f"{first.seconds:.2f}",
              f"{load[0]:.2f} (bulk_load + optimize)", first.seconds / load[0]))
    print(row("restart, file unchanged (s)", f"{restart.seconds:.2f}",
              f"{reopen[0]:.2f} (new process: open + ASK)", restart.seconds / reopen[0]))
    print(row("restart, same bytes written again (s)", f"{same.seconds:.2f}",
              f"{reopen[0]:.2f}", same.seconds / reopen[0]))
    print(row("peak RSS while loading (MB)", f"{first.peak_mb:.0f}",
              f"{load[1]} (bulk_load process)", first.peak_mb / load[1]))
    print(row("RSS at first answer after a load / a restart (MB)",
              f"{first.ready_mb:.0f} / {restart.ready_mb:.0f}", f"{reopen[1]} (open + ASK)",
              restart.ready_mb / reopen[1]))
    print(row("RSS after the 14 LUBM queries and the pages (MB)", f"{first.after_mb:.0f}",
              f"{queried[1]} (the 14 queries)", first.after_mb / queried[1]))
    print(f"\nfirst hit of each page (limit {LIMIT_S:.0f} s; pyoxigraph's one pass over every "
          f"quad: {one_pass:.2f} s)\n")
    print("| page | after the load (s) | after a restart (s) | passes, after the load |")
    print("|---|---:|---:|---:|")
    for path in first.pages:
        print(f"| {path} | {first.pages[path]:.2f} | {restart.pages.get(path, 0):.2f} | "
              f"{first.pages[path] / one_pass:.1f} |")
    print(f"pyoxigraph ran the 14 queries in {queried[0]:.2f} s (open included)")
    for when, start in (("after the load", first), ("after a restart", restart),
                        ("after a rewrite", same)):
        if start.failed:
            print(f"not answered 200 {when}: {', '.join(start.failed)}")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--universities", type=int, default=5)
    parser.add_argument("--data", type=Path, help="a TriG or N-Quads file instead of LUBM")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    with tempfile.TemporaryDirectory(prefix="kg-serve-start-") as work:
        folder = Path(work)
        if args.data is None:
            print(f"LUBM {args.universities}: generating and reasoning", file=sys.stderr)
            data = lubm_trig(folder, args.universities, None)[0]
        else:
            data = folder / args.data.name  # a copy: the run rewrites it
            shutil.copyfile(args.data, data)
        count = quads(data)
        log = folder / "kg-serve.log"
        print("pyoxigraph: load", file=sys.stderr, flush=True)
        load = baseline("load", str(data), str(folder / "oxigraph-store"))
        print("kg serve: first start, restart, restart after a rewrite", file=sys.stderr,
              flush=True)
        store = folder / "kg-store"
        first = once(data, store, log, queries=True)
        restart = once(data, store, log)
        rewrite_same_bytes(data)
        same = once(data, store, log)
        version = str(store.resolve())
        reopen = baseline("open", version)
        queries = sorted(str(p) for p in LUBM_QUERIES.glob("*.rq"))
        queried = baseline("open", version, *queries)
        scan = folder / "one-pass.rq"
        scan.write_text(ONE_PASS, encoding="utf-8")
        one_pass = baseline("open", version, str(scan))[0] - reopen[0]
        if len(list(folder.glob(".kg-store.v*"))) != 1:
            print("note: the store was loaded more than once", file=sys.stderr)
    report(count, first, restart, same, load, reopen, queried, one_pass)


if __name__ == "__main__":
    main()
