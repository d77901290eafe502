"""Corpus builds: a re-run extracts only new or changed sources and writes the bytes a clean
build writes; a document whose extraction fails is named and left out, the rest kept.

Builds run in this process (click's CliRunner), each into its own dataset file, whose
extraction cache (dataset.extractions/) starts empty: that is a clean build.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.dataset.io import load_dataset

from .helpers import ROOT, invoke_kg, make_project

BASE = "https://w3id.org/diplo-kg/"
DEV = ROOT / "bench" / "eval" / "dev"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project's data with three sources: the interview and two evaluation texts."""
    folder = make_project(tmp_path / "project")
    for path in sorted(DEV.glob("*.txt"))[:2]:
        shutil.copy(path, folder / "data" / "sources" / path.name)
    return folder


def build(project: Path, data: Path, *args: str) -> dict:
    """`kg build` into ``data``; its report (dataset.report.json) and exit code."""
    result = invoke_kg("--project", str(project), "--data", str(data), "build", "-q", *args)
    report = json.loads(data.with_suffix(".report.json").read_text(encoding="utf-8"))
    return {**report, "exit_code": result.exit_code, "stderr": result.stderr,
            "stdout": result.stdout}


def test_a_rerun_extracts_only_the_changed_source(project: Path, tmp_path: Path) -> None:
    data = tmp_path / "kept" / "dataset.trig"
    first = build(project, data)
    assert (first["exit_code"], first["extracted"], first["from_cache"]) == (0, 3, 0)
    changed, touched = sorted((project / "data" / "sources").glob("*.txt"))[:2]
    os.utime(touched)  # a new modification time, the same content: not extracted again
    changed.write_text(changed.read_text(encoding="utf-8") + "\nJapan and Chile signed a "
                       "treaty of friendship on 3 May 1999.\n", encoding="utf-8")
    second = build(project, data)
    assert (second["exit_code"], second["extracted"], second["from_cache"]) == (0, 1, 2)
    assert "(1 extracted, 2 unchanged)" in second["stdout"]
    clean = tmp_path / "clean" / "dataset.trig"
    assert build(project, clean)["extracted"] == 3
    assert data.read_bytes() == clean.read_bytes()
    # the cache holds this build's three documents, not the changed one's old version
    assert len(list(data.with_suffix(".extractions").glob("*.json"))) == 3


def test_a_changed_gazetteer_extracts_everything_again(project: Path, tmp_path: Path) -> None:
    data = tmp_path / "dataset.trig"
    assert build(project, data)["extracted"] == 3
    unchanged = build(project, data)
    assert (unchanged["extracted"], unchanged["from_cache"]) == (0, 3)
    with (project / "data" / "gazetteer" / "people.tsv").open("a", encoding="utf-8") as out:
        out.write("# a comment changes no entry, but the gazetteer is not the same file\n")
    again = build(project, data)
    assert (again["exit_code"], again["extracted"], again["from_cache"]) == (0, 3, 0)


def test_a_document_the_extractor_refuses_is_named_and_left_out(project: Path,
                                                                  tmp_path: Path) -> None:
    """spaCy refuses a text over its max_length (a million characters) when it parses it:
    a real extraction failure, which costs that document and nothing else."""
    sources = project / "data" / "sources"
    (sources / "Huge Dump.txt").write_text("Japan and Chile signed a treaty. " * 31_000,
                                           encoding="utf-8")
    data = tmp_path / "dataset.trig"
    report = build(project, data)
    assert report["exit_code"] == 7
    assert [(f["file"], f["source"]) for f in report["failed"]] == [("Huge Dump.txt",
                                                                     "huge-dump")]
    assert "ValueError: [E088] Text of length 1023000 exceeds maximum" in report["failed"][0][
        "error"]
    assert "error: left out Huge Dump.txt: extraction failed: ValueError: [E088]" in report[
        "stderr"]
    assert "1 document(s) left out" in report["stderr"]
    assert (report["sources"], report["extracted"]) == (3, 3)
    dataset = load_dataset(data)
    documents = {str(s) for s in dataset.subjects(URIRef("http://purl.org/dc/terms/identifier"))}
    assert f"{BASE}source/huge-dump" not in documents
    assert {f"{BASE}source/turkey-kazakhstan-ulker-interview"} <= documents
    assert len(documents) == 3
