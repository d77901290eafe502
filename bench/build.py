"""Build benchmark: wall time of `kg build`, stage by stage, beside a baseline in the same run.

The baseline is what any consumer pays to read the result: rdflib parsing the built TriG file.
Each measurement runs in a fresh process (imports and spaCy set-up included, as a user pays
them) and the median of --runs is printed.

    .venv/bin/python bench/build.py --runs 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STAGES = r"""
import json, sys, time
t0 = time.perf_counter()
from kg.settings import from_env
from kg.build import load_extractor
from kg.dataset.io import write_atomically
from kg.inputs.sources import read_source, source_paths
from kg.dataset.assemble import assemble, document_part
from kg.iris import Iris
from kg.reasoner.materialize import closure
from kg.dataset.serialize import serialize
from kg.formats import rdf_format
settings = from_env(project_dir=sys.argv[1], dataset_file=sys.argv[2], progress=False)
t1 = time.perf_counter()
extractor, resources = load_extractor(settings)
t2 = time.perf_counter()
iris = Iris(settings.base_iri)
parts = [document_part(s, extractor.extract(s), iris) for s in map(read_source,
         source_paths(settings.path("sources_dir")))]
t3 = time.perf_counter()
dataset = assemble(resources, parts, iris)
t4 = time.perf_counter()
inferred, report = closure([g for g in dataset.graphs()
                            if str(g.identifier) != str(iris.graph("provenance"))])
target = dataset.graph(iris.graph("inferred"))
for triple in inferred:
    target.add(triple)
t5 = time.perf_counter()
write_atomically(settings.path("dataset_file"), serialize(dataset, rdf_format("trig"),
                                                          settings.base_iri))
t6 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "resources": t2 - t1, "extract": t3 - t2,
                  "assemble": t4 - t3, "reason": t5 - t4, "write": t6 - t5, "total": t6 - t0,
                  "quads": len(list(dataset.quads())), "inferred": report.inferred_triples}))
"""

BASELINE = r"""
import json, sys, time
t0 = time.perf_counter()
from rdflib import Dataset
Dataset().parse(sys.argv[1], format="trig")
print(json.dumps({"total": time.perf_counter() - t0}))
"""


def run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        output = str(Path(folder) / "dataset.trig")
        ours = [run(STAGES, str(ROOT), output) for _ in range(args.runs)]
        baseline = [run(BASELINE, output)["total"] for _ in range(args.runs)]
    median = {key: statistics.median(r[key] for r in ours) for key in ours[0]}
    print(f"kg build (median of {args.runs} fresh processes): {median['quads']:.0f} quads, "
          f"{median['inferred']:.0f} inferred")
    for stage in ("import", "resources", "extract", "assemble", "reason", "write", "total"):
        print(f"  {stage:<10} {median[stage]:7.2f} s")
    base = statistics.median(baseline)
    print(f"baseline: rdflib parsing the built TriG {base:7.2f} s")
    print(f"ratio build / parse: {median['total'] / base:.1f}x")


if __name__ == "__main__":
    main()
