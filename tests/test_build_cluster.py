"""`kg build --cluster`: extraction on a Dask cluster of two worker processes on loopback
writes the bytes a local build writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from distributed import LocalCluster

from .helpers import ROOT, invoke_kg, make_project


@pytest.mark.slow  # a cluster of two processes, each loading the model
def test_a_cluster_build_writes_the_bytes_of_a_local_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    sources = project / "data" / "sources"
    for path in sorted((ROOT / "bench" / "eval" / "dev").glob("*.txt"))[:8]:
        shutil.copy(path, sources / path.name)
        shutil.copy(path, sources / f"copy-{path.name}")  # 17 sources: two batches of work
    outputs = {}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        runs = {"cluster": ((), ("--cluster", cluster.scheduler_address)),
                "local": (("--set", "build_processes=1"), ())}
        for where, (before, after) in runs.items():
            data = tmp_path / where / "dataset.trig"
            result = invoke_kg("--project", str(project), "--data", str(data), *before,
                               "build", "-q", *after)
            assert result.exit_code == 0, result.stderr
            report = json.loads(data.with_suffix(".report.json").read_text(encoding="utf-8"))
            assert (report["sources"], report["extracted"], report["failed"]) == (17, 17, [])
            outputs[where] = data.read_bytes()
    assert outputs["cluster"] == outputs["local"]


def test_an_unreachable_scheduler_is_named(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    result = invoke_kg("--project", str(project), "--set", "build_cluster_timeout_s=1",
                       "build", "-q", "--cluster", "tcp://127.0.0.1:9")  # nothing listens
    assert result.exit_code == 3
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert not (project / "build" / "dataset.trig").exists()
