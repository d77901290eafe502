"""Paths and small helpers the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kg.sources import MetadataValue, Source

ROOT = Path(__file__).resolve().parents[1]
INTERVIEW = ROOT / "data" / "sources" / "turkey-kazakhstan-ulker-interview.txt"
SECOND_SOURCE = ROOT / "tests" / "data" / "second-source" / "poland-lithuania-interview.txt"
KG = shutil.which("kg", path=str(Path(sys.executable).parent)) or "kg"


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


def make_project(folder: Path) -> Path:
    """A copy of the project's curated data and sources, to build and break freely."""
    shutil.copytree(ROOT / "ontology", folder / "ontology")
    for part in ("gazetteer", "patterns", "sources"):
        shutil.copytree(ROOT / "data" / part, folder / "data" / part)
    return folder
