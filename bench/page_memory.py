"""Memory of `kg serve`'s web process after its pages, beside what one rdflib copy costs it.

The pages (an entity, search, the timeline, VoID) ask the store for what they show; before,
each first built an rdflib copy of the whole dataset in the web process, as /data.nq still
does (a dump is the whole graph). Both are measured in one run, on one server: the RSS of
the web process (its query workers apart) at start, after the pages, and after /data.nq.
The ratio (pages' growth / the copy's growth) is the figure; 1.0 would mean the pages cost a
copy. Served from the Oxigraph store in a temporary folder:

    .venv/bin/python bench/page_memory.py --dataset build/dataset.trig --entity /id/turkey
    .venv/bin/python bench/page_memory.py --dataset lubm-1.nq --entity /id/u0/d0/FullProfessor0

The data must be under the base IRI for its entity page (LUBM's IRIs rewritten under id/).
Needs psutil (the bench extra).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psutil

KG = str(Path(sys.executable).with_name("kg"))
STARTUP_S = 600
REQUEST_S = 600


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, required=True, help="a TriG or N-Quads file")
    parser.add_argument("--entity", required=True, help="an entity page's path, /id/…")
    parser.add_argument("--search", default="a", help="a search for /search?q=")
    args = parser.parse_args(argv)
    pages = [args.entity, f"/search?q={quote(args.search)}", "/timeline", "/.well-known/void"]
    with tempfile.TemporaryDirectory() as folder:
        command = [KG, "--data", str(args.dataset), "--store", f"oxigraph:{folder}/store",
                   "serve", "--port", "0"]
        env = {**os.environ, "KG_RESULT_CACHE_ENTRIES": "0", "KG_QUERY_TIMEOUT_MS": "600000"}
        server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
        try:
            assert server.stdout is not None
            started = time.monotonic()
            line = server.stdout.readline()
            if not line.startswith("serving "):
                raise SystemExit(f"kg serve did not start: {line!r}")
            url = line.split()[1].removesuffix("/sparql")
            web = psutil.Process(server.pid)
            get(url, "/health")
            figures = [("started", rss(web), time.monotonic() - started)]
            for page in pages:
                began = time.monotonic()
                get(url, page)
                figures.append((page, rss(web), time.monotonic() - began))
            began = time.monotonic()
            get(url, "/data.nq")
            figures.append(("/data.nq (one rdflib copy)", rss(web), time.monotonic() - began))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(60)
    report(args.dataset, figures)
    return 0


def get(url: str, path: str) -> None:
    request = urllib.request.Request(url + path, headers={"Accept": "text/html, */*;q=0.1"})
    with urllib.request.urlopen(request, timeout=REQUEST_S) as response:
        response.read()


def rss(process: psutil.Process) -> int:
    return int(process.memory_info().rss)


def report(dataset: Path, figures: list[tuple[str, int, float]]) -> None:
    print(f"{dataset}: RSS of the web process of `kg serve` (Oxigraph store)")
    for name, size, seconds in figures:
        print(f"  {name:<40} {size / 1e6:8.1f} MB   {seconds:6.2f} s")
    start, pages, copy = figures[0][1], figures[-2][1], figures[-1][1]
    growth, copied = pages - start, copy - pages
    print(f"  pages' growth {growth / 1e6:.1f} MB, one rdflib copy's {copied / 1e6:.1f} MB: "
          f"ratio {growth / copied:.2f}" if copied > 0 else "  (the copy added nothing)")


if __name__ == "__main__":
    sys.exit(main())
