"""`kg query` runs through the server's executor: the same deadline, row cap and errors."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from .helpers import invoke_kg

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.slow  # waits out the 1.5 s limit
def test_a_runaway_query_is_stopped_at_the_limit(built_file: Path) -> None:
    started = time.monotonic()
    result = invoke_kg("--data", str(built_file), "--set", "query_timeout_ms=1500", "query",
                       RUNAWAY)
    elapsed = time.monotonic() - started
    assert result.exit_code == 6, result.stderr
    assert "time limit of 1.5 s" in result.stderr and "query_timeout_ms" in result.stderr
    assert elapsed < 30  # stopped, not run to the end (which takes hours)
    assert "Traceback" not in result.stderr


def test_rows_are_capped_by_max_rows_and_the_cut_is_said(built_file: Path) -> None:
    result = invoke_kg("--data", str(built_file), "--set", "max_rows=3", "query", "--format",
                       "json", "SELECT ?s WHERE { ?s ?p ?o }")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 3
    assert "cut at 3 rows (setting max_rows)" in result.stderr
