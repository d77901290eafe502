"""What reading Oxigraph's union default graph as a set costs (src/kg/sparql/union_set.py).

Per query, the median time of Oxigraph's own union (a bag: the baseline, what the store did
before) beside the rewritten query (a set), with the rows each returns, measured in the same
run on the same store: the built interview dataset (build/dataset.trig) and a generated LUBM
university (bench/lubm.py) loaded twice over, into two named graphs, its type triples into a
third, so that every type triple is stated in two graphs.

    .venv/bin/python bench/union_set.py [--repeat 5] [--universities 1]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kg.sparql.oxigraph_execute import PREFIXES
from kg.sparql.union_set import union_as_set

ROOT = Path(__file__).resolve().parents[1]
UB = "PREFIX ub: <http://www.lehigh.edu/~zhp2/2004/0401/univ-bench.owl#> "
# LUBM's queries 1, 2, 4 and 14 (on the types UBA states), an OPTIONAL (its block becomes a
# subquery joined after, not a lookup per row), and two that count everything.
LUBM = {
    "lubm-q1": UB + "SELECT ?x WHERE { ?x a ub:GraduateStudent . ?x ub:takesCourse "
                    "<http://www.Department0.University0.edu/GraduateCourse0> }",
    "lubm-q2": UB + "SELECT ?x ?y ?z WHERE { ?x a ub:GraduateStudent . ?y a ub:University . "
                    "?z a ub:Department . ?x ub:memberOf ?z . ?z ub:subOrganizationOf ?y . "
                    "?x ub:undergraduateDegreeFrom ?y }",
    "lubm-q4": UB + "SELECT ?x ?n ?e ?t WHERE { ?x a ub:FullProfessor . ?x ub:worksFor "
                    "<http://www.Department0.University0.edu> . ?x ub:name ?n . "
                    "?x ub:emailAddress ?e . ?x ub:telephone ?t }",
    "lubm-q14": UB + "SELECT ?x WHERE { ?x a ub:UndergraduateStudent }",
    "lubm-optional": UB + "SELECT ?x ?n WHERE { ?x a ub:FullProfessor "
                          "OPTIONAL { ?x ub:name ?n } }",
    "lubm-count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "lubm-types": "SELECT ?t (COUNT(?s) AS ?n) WHERE { ?s a ?t } GROUP BY ?t",
}


def median_seconds(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def rows(store: ox.Store, text: str) -> int:
    result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    return 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)


def compare(store: ox.Store, queries: dict[str, str], repeat: int) -> None:
    for name, text in queries.items():
        bag, bag_rows = median_seconds(lambda t=text: rows(store, t), repeat)
        rewritten = union_as_set(text)
        as_set, set_rows = median_seconds(lambda t=rewritten: rows(store, t), repeat)
        print(f"{name:32} {bag * 1000:9.1f} {bag_rows:8} {as_set * 1000:9.1f} {set_rows:8} "
              f"{as_set / bag if bag else float('nan'):6.2f}x")


def lubm_store(folder: Path, universities: int) -> ox.Store:
    data = folder / "lubm.nt"
    subprocess.run([sys.executable, str(ROOT / "bench" / "lubm.py"), "--universities",
                    str(universities), "-o", str(data)], check=True)
    store = ox.Store(str(folder / "lubm-store"))
    triples = list(ox.parse(path=str(data), format=ox.RdfFormat.N_TRIPLES))
    for graph in ("urn:g:one", "urn:g:two"):
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
                          for t in triples)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("urn:g:types"))
                      for t in triples if t.predicate.value.endswith("#type"))
    print(f"LUBM {universities}: {len(triples)} triples, {len(store)} quads")
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--universities", type=int, default=1)
    options = parser.parse_args()
    header = f"{'query':32} {'bag ms':>9} {'rows':>8} {'set ms':>9} {'rows':>8} {'ratio':>7}"
    interview = ox.Store()
    interview.bulk_load(path=str(ROOT / "build" / "dataset.trig"), format=ox.RdfFormat.TRIG)
    print(f"interview: {len(interview)} quads (build/dataset.trig)")
    print(header)
    compare(interview, {path.stem: path.read_text(encoding="utf-8")
                        for path in sorted((ROOT / "queries").glob("*.rq"))}, options.repeat)
    with tempfile.TemporaryDirectory() as folder:
        store = lubm_store(Path(folder), options.universities)
        print(header)
        compare(store, LUBM, options.repeat)
        del store


if __name__ == "__main__":
    main()
