"""The import boundary of the commands: only `kg build` (and `kg serve` without a dataset)
loads the extraction stack (spaCy and its model, kg.extract), whose import alone takes longer
than `kg reason` on a LUBM department; `kg --help` loads not even rdflib.

Each command runs in a fresh interpreter with `-X importtime`, which names on standard error
every module the process (and the worker processes it spawns) imports. No timing is asserted
here: bench/commands.py measures the times.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .helpers import ROOT

pytestmark = pytest.mark.slow  # every test starts interpreters

EXTRACTION_STACK = ("spacy", "thinc", "en_core_web_sm", "kg.extract")
LUBM = ROOT / "tests" / "data" / "lubm"
IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)\s*$", re.M)


def imported(stderr: str) -> set[str]:
    return set(IMPORTED.findall(stderr))


def run_python(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-X", "importtime", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


def run_kg(*args: str) -> set[str]:
    """The modules `kg ARGS` imports; the command must succeed."""
    ran = run_python("-m", "kg", *args)
    assert ran.returncode == 0, ran.stderr[-2000:]
    return imported(ran.stderr)


def stack_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in EXTRACTION_STACK
                  or m.startswith("kg.extract"))


def test_the_check_sees_the_stack_where_it_is_imported() -> None:
    ran = run_python("-c", "import kg.build")
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert {"spacy", "kg.extract"} <= set(stack_in(imported(ran.stderr)))


@pytest.mark.parametrize("args", [("--help",), ("settings",), ("reason", "--help")],
                         ids=["help", "settings", "reason-help"])
def test_help_and_settings_import_no_rdf_library(args: tuple[str, ...]) -> None:
    modules = run_kg(*args)
    assert not {m for m in modules if m.split(".")[0] in ("rdflib", "pyoxigraph", "spacy")}


def test_reason_on_a_lubm_department_imports_no_extraction(tmp_path: Path) -> None:
    output = tmp_path / "inferred.nt"
    modules = run_kg("reason", str(LUBM / "univ-bench.owl"), str(LUBM / "lubm_d1.nt"),
                     "-o", str(output))
    assert output.stat().st_size > 0
    assert stack_in(modules) == []


@pytest.mark.parametrize("args", [
    ("stats",), ("query", "queries/summits.rq"), ("export", "--format", "ttl"), ("validate",),
    ("explain", "kg:id/kazakhstan", "dk:hasDiplomaticRelationWith", "kg:id/turkey"),
], ids=["stats", "query", "export", "validate", "explain"])
def test_commands_on_a_built_dataset_import_no_extraction(built_file: Path,
                                                          args: tuple[str, ...]) -> None:
    assert stack_in(run_kg("--data", str(built_file), *args)) == []


def test_serve_imports_no_extraction(built_file: Path) -> None:
    """The server process and its query workers, up to answering: no extraction stack."""
    process = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "kg", "--data", str(built_file), "serve",
         "--port", "0", "--workers", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None and process.stderr is not None
    lines: list[str] = []  # drained all along: a full pipe would stop the server mid-import
    drain = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    drain.start()
    try:
        first = process.stdout.readline()
        assert first.startswith("serving "), first
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
        drain.join(60)
        process.stdout.close()
        process.stderr.close()
    stderr = "".join(lines)
    assert process.returncode == 0, stderr[-2000:]
    modules = imported(stderr)
    assert "kg.web" in modules
    assert stack_in(modules) == []
