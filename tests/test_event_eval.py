"""The hand-coded PLOVER event evaluation set is valid, large and covers every type, and the
checker's tables of types and modes are the ontology's (ontology/events.ttl)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.vocab import DK

from .helpers import ROOT

EVENTS = ROOT / "bench" / "eval" / "events"
CHECKER = EVENTS / "check_events.py"


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_events", CHECKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_set_passes_its_checker() -> None:
    run = subprocess.run([sys.executable, str(CHECKER)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    assert "sentences:" in run.stdout


def test_size_coverage_negatives_and_split(checker: ModuleType) -> None:
    rows, errors = checker.check(EVENTS / "events.tsv")
    assert errors == []
    assert len(rows) >= 150
    stated = Counter(r["event_type"] for r in rows if r["stated"] == "yes")
    assert {kind for kind in checker.MODES if stated[kind] < 3} == set()
    assert sum(r["stated"] == "no" for r in rows) >= 10
    test_share = sum(r["split"] == "test" for r in rows) / len(rows)
    assert 0.3 <= test_share <= 0.36
    tested = Counter(r["event_type"] for r in rows if r["split"] == "test" and r["stated"] == "yes")
    assert {kind for kind in checker.MODES if tested[kind] < 2} == set()


def test_checker_keeps_a_document_in_one_split(checker: ModuleType, tmp_path: Path) -> None:
    lines = (EVENTS / "events.tsv").read_text(encoding="utf-8").splitlines()
    first = lines[1].split("\t")
    twin = list(first)
    twin[0], twin[1] = "ev999", "Another sentence of the same article."
    twin[14] = "test" if first[14] == "dev" else "dev"
    bad = tmp_path / "events.tsv"
    bad.write_text("\n".join([lines[0], lines[1], "\t".join(twin)]) + "\n", encoding="utf-8")
    _, errors = checker.check(bad)
    assert errors == [f"{first[2]} has sentences in both splits (split by document)"]


def test_checker_rejects_a_bad_row(checker: ModuleType, tmp_path: Path) -> None:
    lines = (EVENTS / "events.tsv").read_text(encoding="utf-8").splitlines()[:2]
    cells = lines[1].split("\t")
    cells[5], cells[6], cells[9], cells[12] = "CONSULT", "sign", "XXX", "2024-13-01"
    bad = tmp_path / "events.tsv"
    bad.write_text("\n".join([lines[0], "\t".join(cells)]) + "\n", encoding="utf-8")
    _, errors = checker.check(bad)
    assert len(errors) == 3
    assert checker.main([str(bad)]) == 1


def test_checker_tables_are_the_ontology(checker: ModuleType) -> None:
    graph = Graph().parse(ROOT / "ontology" / "events.ttl", format="turtle")
    modes: dict[str, set[str]] = {}
    for concept in graph.subjects(SKOS.inScheme, None):
        scheme = graph.value(concept, SKOS.inScheme)
        if scheme == DK.EventContexts:
            continue
        kind = graph.value(URIRef(str(scheme).removesuffix("Modes")), SKOS.notation)
        modes.setdefault(str(kind), set()).add(str(graph.value(concept, SKOS.notation)))
    expected = {kind: set(values) for kind, values in checker.MODES.items() if values}
    assert modes == expected
    contexts = {str(graph.value(c, SKOS.notation))
                for c in graph.subjects(SKOS.inScheme, DK.EventContexts)}
    assert contexts == set(checker.CONTEXTS)
