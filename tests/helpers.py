"""Paths and small helpers the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

from click.testing import CliRunner, Result
from rdflib import Dataset, Graph
from rdflib.query import Result as QueryResult

from kg.cli import main
from kg.inputs.sources import MetadataValue, Source
from kg.sparql.execute import QueryRequest, execute

ROOT = Path(__file__).resolve().parents[1]
INTERVIEW = ROOT / "data" / "sources" / "turkey-kazakhstan-ulker-interview.txt"
SECOND_SOURCE = ROOT / "tests" / "data" / "second-source" / "poland-lithuania-interview.txt"
KG = shutil.which("kg", path=str(Path(sys.executable).parent)) or "kg"
LOCAL_STORES = ("memory", "oxigraph")  # the stores with our own workers and dataset file


def make_source(text: str, source_id: str = "test-text", **metadata: str) -> Source:
    """A source from a string, with observed metadata values."""
    meta = {k: MetadataValue(v, "observed") for k, v in metadata.items()}
    return Source(id=source_id, path=Path(f"{source_id}.txt"), text=text, metadata=meta)


def run_kg(*args: str, cwd: Path = ROOT, input: str | None = None,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `kg` command as a user would."""
    command = [KG, *args]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(command, cwd=cwd, input=input, capture_output=True, text=True,
                          env=full_env, timeout=300, check=False)


def invoke_kg(*args: str, cwd: Path = ROOT, input: str | None = None,
              env: dict[str, str] | None = None) -> Result:
    """Run the `kg` command in this process (click's CliRunner): the same command code, exit
    code, stdout and stderr as `run_kg`, without a new interpreter's seconds of imports. Use
    run_kg where the process boundary itself is under test."""
    with contextlib.chdir(cwd):
        return CliRunner().invoke(main, list(args), input=input, env=env,
                                  catch_exceptions=False)


def make_project(folder: Path) -> Path:
    """A copy of the project's curated data and sources, to build and break freely."""
    shutil.copytree(ROOT / "ontology", folder / "ontology")
    for part in ("gazetteer", "patterns", "sources"):
        shutil.copytree(ROOT / "data" / part, folder / "data" / part)
    return folder


def sparql(dataset: Dataset, text: str, max_rows: int = 100_000) -> QueryResult:
    """A query answered by the one executor (as the server's workers and `kg query` do), read
    back from its SPARQL JSON into rdflib terms."""
    answer = execute(dataset, QueryRequest(text, "json", "https://w3id.org/diplo-kg/",
                                           max_rows=max_rows))
    return QueryResult.parse(BytesIO(answer.body), format="json")


def as_graph(triples: list) -> Graph:
    """A graph of the triples (to compare with rdflib's own reading)."""
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph
