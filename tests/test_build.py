"""kg build as a user runs it: deterministic, atomic, tolerant of bad sources, open to new ones.

Builds run in this process (click's CliRunner) except where separate processes are the point:
byte-identical output across interpreters with different hash seeds.
"""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.dataset.io import load_dataset
from kg.vocab import DK, NIF

from .helpers import ROOT, SECOND_SOURCE, invoke_kg, make_project, run_kg

BASE = "https://w3id.org/diplo-kg/"

FORMATS = ("trig", "nq", "ttl", "nt", "xml", "jsonld")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.mark.slow
def test_builds_are_byte_identical(tmp_path: Path, built_file: Path) -> None:
    """Builds and exports in separate processes with different hash seeds give the same bytes,
    and the same bytes as the session's build in this process (a third, random seed)."""

    def build(seed: str) -> dict[str, bytes]:
        data = tmp_path / f"build-{seed}.trig"
        result = run_kg("--data", str(data), "build", "-q", env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        assert re.search(r": 1 source\(s\) \(1 extracted, 0 unchanged\), \d+ fact graphs, ",
                         result.stdout), result.stdout
        return {"trig": data.read_bytes()}

    def export(seed: str, fmt: str) -> bytes:
        data = tmp_path / f"build-{seed}.trig"
        exported = run_kg("--data", str(data), "export", "--format", fmt,
                          env={"PYTHONHASHSEED": seed})
        assert exported.returncode == 0, exported.stderr
        return exported.stdout.encode()

    seeds = ("1", "2")
    with ThreadPoolExecutor(4) as pool:  # the processes are independent: run them side by side
        outputs = dict(zip(seeds, pool.map(build, seeds), strict=True))
        jobs = {(seed, fmt): pool.submit(export, seed, fmt) for seed in seeds for fmt in FORMATS}
        for (seed, fmt), job in jobs.items():
            outputs[seed][fmt] = job.result()
    for fmt in ("trig", *FORMATS):
        assert outputs["1"][fmt] == outputs["2"][fmt], f"{fmt} differs between builds"
    assert len(outputs["1"]["trig"]) > 10_000
    assert outputs["1"]["trig"] == built_file.read_bytes(), "differs from this process's build"


def test_failed_build_leaves_previous_output(project: Path) -> None:
    first = invoke_kg("--project", str(project), "build", "-q")
    assert first.exit_code == 0, first.stderr
    output = project / "build" / "dataset.trig"
    before = output.read_bytes()
    store = project / "build" / "dataset.oxigraph"  # the default store, loaded by the build
    version = store.resolve()
    (project / "data" / "patterns" / "relations.toml").write_text("[[pattern]]\nid = 'x'\n",
                                                                   encoding="utf-8")
    second = invoke_kg("--project", str(project), "build", "-q")
    assert second.exit_code == 3
    assert "missing 'tokens'" in second.stderr
    assert output.read_bytes() == before
    assert store.resolve() == version
    # no temporary file left behind; the reasoner state, report and extraction cache of the
    # first build stay beside it, and the store's one version with its lock (hidden)
    assert sorted(p.name for p in output.parent.iterdir()) == [
        ".dataset.oxigraph.lock", version.name, "dataset.extractions", "dataset.oxigraph",
        "dataset.report.json", "dataset.trig", "dataset.trig.reasoner"]


def test_unreadable_sources_are_named_and_skipped(project: Path) -> None:
    sources = project / "data" / "sources"
    (sources / "binary-file.txt").write_bytes(b"\x00\x01\x02PNG")
    (sources / "empty-file.txt").write_text("  \n", encoding="utf-8")
    (sources / "twin.txt").write_text("Japan and Chile.", encoding="utf-8")
    (sources / "Twin.txt").write_text("Japan and Peru.", encoding="utf-8")
    result = invoke_kg("--project", str(project), "build", "-q")
    assert result.exit_code == 0, result.stderr
    assert "binary-file.txt: binary file" in result.stderr
    assert "empty-file.txt: empty" in result.stderr
    assert "twin.txt: its id 'twin' is another file's too" in result.stderr.lower()
    assert "2 source(s)" in result.stdout
    report = json.loads((project / "build" / "dataset.report.json").read_text("utf-8"))
    assert len(report["unreadable"]) == 3 and report["failed"] == []


@pytest.mark.parametrize(("encoding", "read_as"), [
    ("cp1252", "windows-1252"), ("latin-1", "windows-1252"), ("utf-16", "utf-16"),
    ("utf-8-sig", "utf-8")])
def test_a_source_in_another_encoding_keeps_its_facts(project: Path, encoding: str,
                                                       read_as: str) -> None:
    """A text re-saved in another encoding is read by the documented rule, never dropped."""
    text = "Japan and Panama established diplomatic relations on 1 May 1904. Café, naïve."
    (project / "data" / "sources" / "01 Re-saved Text.txt").write_bytes(text.encode(encoding))
    result = invoke_kg("--project", str(project), "build", "-q")
    assert result.exit_code == 0, result.stderr
    dataset = load_dataset(project / "build" / "dataset.trig")
    source = URIRef(BASE + "source/01-re-saved-text")
    assert any(dataset.triples((source, None, None)))
    relation = URIRef(BASE + "id/diplomatic-relation/japan-and-panama_1904-05-01")
    assert (relation, DK.startDate, Literal("1904-05-01", datatype=XSD.date)) in dataset
    context = URIRef(f"{source}#char=0,{len(text)}")
    assert (context, NIF.isString, Literal(text)) in dataset
    claimed = (source, DK.encoding, Literal(read_as))
    assert (claimed in dataset) == (read_as.startswith("utf") and read_as != "utf-8")


def test_no_readable_source_fails(project: Path) -> None:
    sources = project / "data" / "sources"
    for path in sources.iterdir():
        path.unlink()
    (sources / "empty-file.txt").write_text("", encoding="utf-8")
    result = invoke_kg("--project", str(project), "build", "-q")
    assert result.exit_code == 3
    assert "no readable source" in result.stderr


def test_new_source_needs_no_code_change(project: Path) -> None:
    shutil.copy(SECOND_SOURCE, project / "data" / "sources")
    assert invoke_kg("--project", str(project), "build", "-q").exit_code == 0
    query = """
        PREFIX dk: <https://w3id.org/diplo-kg/ontology#>
        PREFIX kg: <https://w3id.org/diplo-kg/id/>
        SELECT ?org WHERE { kg:lithuania dk:memberOf ?org . kg:poland dk:memberOf ?org .
                            FILTER(STRSTARTS(STR(?org), STR(kg:))) } ORDER BY ?org"""
    result = invoke_kg("--project", str(project), "query", query, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["org", "https://w3id.org/diplo-kg/id/european-union",
                                     "https://w3id.org/diplo-kg/id/nato"]
    dataset = load_dataset(project / "build" / "dataset.trig")
    treaty = URIRef("https://w3id.org/diplo-kg/id/"
                    "treaty-of-friendship-and-good-neighbourly-cooperation")
    signed = {str(o) for o in dataset.objects(treaty, URIRef(
        "https://w3id.org/diplo-kg/ontology#signingDate"))}
    assert signed == {"1994-04-26"}
    summits = set(dataset.subjects(URIRef("https://w3id.org/diplo-kg/ontology#location"),
                                   URIRef("https://w3id.org/diplo-kg/id/lithuania")))
    assert URIRef("https://w3id.org/diplo-kg/id/summit/vilnius_2023-07-11--2023-07-12") in summits


@pytest.mark.slow  # two or three full builds
def test_both_engines_build_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for engine in ("native", "owlrl"):
        data = tmp_path / f"{engine}.trig"
        result = invoke_kg("--data", str(data), "build", "-q", "--engine", engine)
        assert result.exit_code == 0, result.stderr
        outputs.append(data.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.slow  # two or three full builds
def test_adding_a_source_re_reasons_from_the_new_facts(project: Path, tmp_path: Path) -> None:
    first = invoke_kg("--project", str(project), "build", "-q")
    assert first.exit_code == 0 and "re-reasoned" not in first.stdout
    shutil.copy(SECOND_SOURCE, project / "data" / "sources")
    second = invoke_kg("--project", str(project), "build", "-q")
    assert second.exit_code == 0, second.stderr
    assert "2 source(s)" in second.stdout and "re-reasoned from the new facts" in second.stdout
    full = tmp_path / "full.trig"
    from_zero = invoke_kg("--project", str(project), "--data", str(full), "build", "-q")
    assert "re-reasoned" not in from_zero.stdout
    assert (project / "build" / "dataset.trig").read_bytes() == full.read_bytes()


@pytest.mark.slow  # two or three full builds
def test_removing_a_source_reasons_from_zero(project: Path) -> None:
    shutil.copy(SECOND_SOURCE, project / "data" / "sources")
    assert invoke_kg("--project", str(project), "build", "-q").exit_code == 0
    (project / "data" / "sources" / SECOND_SOURCE.name).unlink()
    again = invoke_kg("--project", str(project), "build", "-q")
    assert again.exit_code == 0 and "re-reasoned" not in again.stdout
    assert "1 source(s)" in again.stdout


@pytest.mark.slow
def test_a_build_on_two_processes_gives_the_same_bytes(project: Path) -> None:
    """Extraction of one document is a pure function: a corpus built on two processes is the
    same dataset, byte for byte, as one built on one."""
    sources = project / "data" / "sources"
    text = (ROOT / "bench" / "eval" / "dev").glob("*.txt")
    for path in sorted(text)[:8]:  # with the interview, 17 ≥ PARALLEL_FROM = 16
        shutil.copy(path, sources / path.name)
        shutil.copy(path, sources / f"copy-{path.name}")
    outputs = {}
    for processes in ("1", "2"):
        out = project / "build" / f"dataset-{processes}.trig"
        result = invoke_kg("--project", str(project), "--data", str(out), "--set",
                           f"build_processes={processes}", "--set", "incremental=false",
                           "build", "-q")
        assert result.exit_code == 0, result.stderr
        assert "17 source(s)" in result.stdout
        outputs[processes] = out.read_bytes()
    assert outputs["1"] == outputs["2"]
