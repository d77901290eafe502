"""How long the `kg` commands take from a cold start, beside baselines measured in the same run.

Each command runs in a fresh process, `--repeat` times; the table gives the median wall time
and CPU time (of the process and the workers it starts).
Baselines: a bare interpreter (`python -c pass`), importing rdflib alone, and importing the
extraction stack (`import kg.build`: spaCy and its model), which only `kg build` should pay.
For `kg reason` on one LUBM department the engine's own reasoning time (as the command reports
it) is shown beside the wall time: the rest is start-up, parsing and writing. `kg export` runs
on build/dataset.trig when it exists.

    python bench/commands.py                 # the LUBM department in tests/data/lubm
    python bench/commands.py --repeat 9
    python bench/commands.py --lubm /work/shared/reference/lubm --importtime

`--importtime` also lists the slowest imports of `kg reason` (python -X importtime).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DATASET = ROOT / "build" / "dataset.trig"  # make build writes it
REASONED = re.compile(r"inferred by \S+ in ([0-9.]+) s")


def timed(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process and its children, standard error) of one
    run; the command must succeed. CPU time varies less than wall time on a shared machine."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    ran = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    if ran.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{ran.stderr[-2000:]}")
    return seconds, _children_cpu() - cpu_before, ran.stderr


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_times(command: list[str], repeat: int) -> tuple[float, float, list[str]]:
    """Median wall and CPU seconds of `repeat` runs, and each run's standard error."""
    runs = [timed(command) for _ in range(repeat)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            [r[2] for r in runs])


def slowest_imports(command: list[str], count: int = 12) -> list[tuple[int, str]]:
    """The modules with the largest cumulative import time (microseconds) in one run."""
    *_, stderr = timed([PYTHON, "-X", "importtime", *command[1:]])
    rows = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and len(match.group(2)) <= 3:  # top-level and one level down
            rows.append((int(match.group(1)), match.group(3)))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    parser.add_argument("--lubm", type=Path, default=ROOT / "tests" / "data" / "lubm",
                        help="folder with univ-bench.owl and lubm_d1.nt")
    parser.add_argument("--importtime", action="store_true",
                        help="also list the slowest imports of kg reason")
    args = parser.parse_args()
    kg = [PYTHON, "-m", "kg"]
    with tempfile.TemporaryDirectory() as scratch:
        output = str(Path(scratch) / "inferred.nt")
        reason = [*kg, "reason", str(args.lubm / "univ-bench.owl"), str(args.lubm / "lubm_d1.nt"),
                  "-o", output]
        rows: list[tuple[str, float, float, str]] = []
        for label, command in [
            ("baseline: python -c pass", [PYTHON, "-c", "pass"]),
            ("baseline: import rdflib", [PYTHON, "-c", "import rdflib"]),
            ("baseline: import kg.build (spaCy)", [PYTHON, "-c", "import kg.build"]),
            ("kg --help", [*kg, "--help"]),
            ("kg settings", [*kg, "settings"]),
        ]:
            seconds, cpu, _ = median_times(command, args.repeat)
            rows.append((label, seconds, cpu, ""))
        if DATASET.exists():  # a command on the built dataset, which once imported spaCy too
            export = [*kg, "--data", str(DATASET), "export", "--format", "nt", "-o",
                      str(Path(scratch) / "export.nt")]
            seconds, cpu, _ = median_times(export, args.repeat)
            rows.append(("kg export (built dataset)", seconds, cpu, ""))
        seconds, cpu, errors = median_times(reason, args.repeat)
        reasoning = statistics.median(float(REASONED.search(e).group(1))  # type: ignore[union-attr]
                                      for e in errors)
        rows.append(("kg reason, 1 LUBM department", seconds, cpu,
                     f"reasoning alone {reasoning:.2f} s; start-up, parse, write "
                     f"{seconds - reasoning:.2f} s"))
        print(f"median of {args.repeat} fresh processes; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'command':<36} {'wall':>9} {'CPU':>9}  note")
        for label, seconds, cpu, note in rows:
            print(f"{label:<36} {seconds:>7.3f} s {cpu:>7.3f} s  {note}")
        if args.importtime:
            print("\nslowest imports of kg reason (cumulative ms):")
            for micros, module in slowest_imports(reason):
                print(f"  {micros / 1000:>8.1f}  {module}")


if __name__ == "__main__":
    main()
