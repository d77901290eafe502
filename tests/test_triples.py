"""kg.dataset.triples reads files with Oxigraph for speed: the triples must be the ones rdflib's
own parser gives, and so must the closure `kg reason` computes from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.term import Node
from rdflib.util import guess_format

from kg.dataset.triples import OXIGRAPH_PARSERS, read_triples
from kg.errors import RdfSyntaxError
from kg.reasoner.materialize import closure, reason_files

from .helpers import ROOT, as_graph

DATA = ROOT / "tests" / "data" / "triples"
LUBM = ROOT / "tests" / "data" / "lubm"


def rdflib_graph(path: Path) -> Graph:
    return Graph().parse(path, format=guess_format(str(path)))


def test_every_kind_of_term_is_read_as_rdflib_reads_it() -> None:
    path = DATA / "terms.ttl"
    assert guess_format(str(path)) in OXIGRAPH_PARSERS  # read by Oxigraph, not rdflib
    triples = read_triples(path)
    expected = rdflib_graph(path)
    assert len(triples) == len(expected)
    assert {t for t in triples if not any(isinstance(n, BNode) for n in t)} == {
        t for t in expected if not any(isinstance(n, BNode) for n in t)}
    # the same graph, blank nodes and the case of language tags aside (en-GB comes as en-gb)
    assert isomorphic(as_graph(triples), as_graph([tuple(map(_lower_tag, t)) for t in expected]))
    assert {o.language for _, _, o in triples if isinstance(o, Literal) and o.language} == {
        "en-gb"}


def _lower_tag(term: Node) -> Node:
    if isinstance(term, Literal) and term.language:
        return Literal(str(term), lang=term.language.lower())
    return term


def test_each_file_has_its_own_blank_nodes(tmp_path: Path) -> None:
    """Oxigraph keeps a file's labels: _:named in two files must still be two nodes."""
    copy = tmp_path / "copy.ttl"
    copy.write_bytes((DATA / "terms.ttl").read_bytes())
    first, second = read_triples(DATA / "terms.ttl"), read_triples(copy)
    blanks = [{n for t in triples for n in t if isinstance(n, BNode)} for triples in (first,
                                                                                       second)]
    assert len(blanks[0]) == 4 and not blanks[0] & blanks[1]


def test_a_lubm_department_is_the_same_set_of_triples() -> None:
    path = LUBM / "lubm_d1.nt"
    assert set(read_triples(path)) == set(rdflib_graph(path))


def test_what_oxigraph_refuses_is_read_by_rdflib() -> None:
    path = DATA / "lenient.nt"
    assert set(read_triples(path)) == set(rdflib_graph(path))


def test_a_malformed_file_is_an_error_naming_it() -> None:
    with pytest.raises(RdfSyntaxError, match="broken.ttl"):
        read_triples(DATA / "broken.ttl")


def test_the_closure_of_a_lubm_department_is_unchanged() -> None:
    files = (LUBM / "univ-bench.owl", LUBM / "lubm_d1.nt")
    inferred, report = reason_files(files)
    reference, reference_report = closure([rdflib_graph(path) for path in files])
    assert report.input_triples == reference_report.input_triples
    assert len(inferred) == len(reference) > 6000
    assert isomorphic(inferred, reference)
