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


def _read(path: Path, split_from: int, monkeypatch: pytest.MonkeyPatch) -> tuple[
        list[tuple[int, int, int]], list[object]]:
    from kg.dataset import halves
    from kg.reasoner.terms import TermDictionary

    monkeypatch.setattr(halves, "SPLIT_FROM", split_from)
    terms = TermDictionary()
    triples = direct.read_encoded(path, terms, "f0b")
    return triples, [terms.decode(i) for i in range(len(terms))]


def test_a_file_read_in_halves_gives_the_ids_of_one_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Terms first met in the second half, blank nodes in both halves, typed and plain
    literals: the same ids in the same order as a reading from start to end."""
    path = tmp_path / "data.nt"
    lines = (LUBM / "lubm_d1.nt").read_text(encoding="utf-8").splitlines()
    half = len(lines) // 2
    blanks = [f'_:x <http://example.org/p> "{n}"^^<http://www.w3.org/2001/XMLSchema#integer> .'
              for n in ("007", "7")] + ['_:y <http://example.org/q> _:x .',
                                        '_:x <http://example.org/r> "plain" .',
                                        '_:x <http://example.org/r> "tagged"@en-GB .']
    path.write_text("\n".join([*blanks[:2], *lines[:half], *blanks[2:], *lines[half:]]) + "\n",
                    encoding="utf-8")
    whole = _read(path, path.stat().st_size + 1, monkeypatch)
    halves = _read(path, 1, monkeypatch)
    assert halves == whole
    assert len(whole[0]) == len(lines) + len(blanks)
    assert whole[0][0] == whole[0][1]  # "007" is 7, as rdflib reads it


def test_a_bad_line_in_either_half_is_reported_as_in_one_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.errors import RdfSyntaxError

    lines = (LUBM / "lubm_d1.nt").read_text(encoding="utf-8").splitlines()
    bad = ("<a> <b> .",  # and an IRI that only Oxigraph's strict reading refuses
           '<http://example.org/a b> <http://example.org/p> "x"@en .')
    for number, (where, line) in enumerate(
            (w, b) for w in (10, len(lines) - 10) for b in bad):
        path = tmp_path / f"bad{number}.nt"
        path.write_text("\n".join([*lines[:where], line, *lines[where:]]) + "\n",
                        encoding="utf-8")
        with pytest.raises(RdfSyntaxError) as whole:
            _read(path, path.stat().st_size + 1, monkeypatch)
        with pytest.raises(RdfSyntaxError) as halves:
            _read(path, 1, monkeypatch)
        assert str(halves.value) == str(whole.value)
