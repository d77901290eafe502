"""pyoxigraph alone, as the baseline of bench/serve_start.py: one job per process, so that its
wall time (interpreter start included, as for `kg serve`) and its memory are its own.

    python bench/oxigraph_baseline.py load FILE STORE      # bulk_load + optimize, a new store
    python bench/oxigraph_baseline.py open STORE [Q.rq …]  # open read-only, run each query once

It prints one line of JSON: seconds inside the process, and its peak RSS in MB.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import pyoxigraph as ox


def load(data: Path, store: Path) -> None:
    opened = ox.Store(str(store))
    opened.bulk_load(path=str(data), format=ox.RdfFormat.from_extension(data.suffix[1:]))
    opened.optimize()


def open_and_query(store: Path, queries: list[Path]) -> None:
    opened = ox.Store.read_only(str(store))
    for query in queries or [None]:
        text = query.read_text(encoding="utf-8") if query else "ASK {}"
        answer = opened.query(text, use_default_graph_as_union=True)
        if not isinstance(answer, ox.QueryBoolean):
            sum(1 for _ in answer)


def main(argv: list[str]) -> None:
    started = time.perf_counter()
    if argv[0] == "load":
        load(Path(argv[1]), Path(argv[2]))
    else:
        open_and_query(Path(argv[1]), [Path(p) for p in argv[2:]])
    print(json.dumps({"seconds": time.perf_counter() - started,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main(sys.argv[1:])
