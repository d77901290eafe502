"""kg.reasoner.files: `kg reason` reads files with Oxigraph straight into the engine's ints and
writes the closure as text. The closure must be the one of the rdflib path, triple for triple,
and its bytes those rdflib's serialiser writes, the same in every run."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.dataset.serialize import serialize_graph
from kg.formats import rdf_format
from kg.reasoner import Budget
from kg.reasoner import files as direct
from kg.reasoner.materialize import reason_files

from .helpers import ROOT, as_graph, run_kg

LUBM = ROOT / "tests" / "data" / "lubm"
TERMS = ROOT / "tests" / "data" / "triples" / "terms.ttl"
# RDF/XML (read by rdflib, blank nodes in its restrictions), N-Triples, Turtle with blank nodes
FILES = (LUBM / "univ-bench.owl", LUBM / "lubm_d1.nt", TERMS)
BASE = "https://w3id.org/diplo-kg/"


def test_the_closure_is_the_one_of_the_rdflib_path() -> None:
    result = direct.reason_files(FILES, Budget())
    reference, report = reason_files(FILES)
    assert result.input_triples == report.input_triples
    assert len(result.inferred) == len(reference) > 6000
    assert isomorphic(as_graph(direct.decoded(result)), reference)


def test_ntriples_are_the_bytes_rdflib_writes() -> None:
    result = direct.reason_files(FILES, Budget())
    expected = serialize_graph(as_graph(direct.decoded(result)), rdf_format("nt"), BASE)
    assert direct.write(result, rdf_format("nt"), BASE) == expected
    assert direct.write(result, rdf_format("nq"), BASE) == expected


def test_turtle_is_the_same_graph() -> None:
    result = direct.reason_files(FILES, Budget())
    data = direct.write(result, rdf_format("ttl"), BASE)
    assert data is not None
    turtle = Graph().parse(data=data, format="turtle")
    assert isomorphic(turtle, as_graph(direct.decoded(result)))


def test_formats_it_does_not_write_are_left_to_rdflib() -> None:
    result = direct.reason_files((LUBM / "lubm_d1.nt",), Budget())
    assert direct.write(result, rdf_format("xml"), BASE) is None


@pytest.mark.slow  # two kg processes
@pytest.mark.parametrize("suffix", ["nt", "ttl"])
def test_the_same_input_gives_the_same_bytes_in_every_process(tmp_path: Path,
                                                              suffix: str) -> None:
    """Blank nodes included: Oxigraph and rdflib name them at random in each process."""
    outputs = []
    for run in range(2):
        out = tmp_path / f"{run}.{suffix}"
        done = run_kg("reason", *map(str, FILES), "-o", str(out),
                      env={"PYTHONHASHSEED": str(run)})
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"_:f0b" in outputs[0] or suffix == "ttl"
