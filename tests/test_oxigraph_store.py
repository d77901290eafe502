"""The oxigraph store itself: its deadline, writes, exports, loading and reopening on disk.

The routes and the protocols run on it in test_store_seam, test_endpoint and test_w3c; here
is what only this store has: a store folder loaded from a dataset file, swapped in whole, and
reopened while that file is unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.dataset.io import load_dataset
from kg.dataset.serialize import serialize
from kg.errors import DataFileError, Forbidden, LimitExceeded, QuerySyntaxError
from kg.formats import RDF_FORMATS, rdf_format
from kg.settings import Settings
from kg.sparql.execute import QueryRequest
from kg.sparql.kept_answers import FOLDER as KEPT_FOLDER
from kg.sparql.load_stamp import STAMP, read_stamp, stamp_of
from kg.sparql.ops import GraphOp, UpdateOp
from kg.sparql.oxigraph_execute import has_dataset_clause, refuse_remote, with_using
from kg.sparql.oxigraph_files import bulk_load, folded_types
from kg.sparql.store import DatasetStore, OxigraphStore, open_store
from kg.vocab import NIF, XSD
from kg.web import create_app

from .helpers import SECOND_SOURCE, invoke_kg, make_project

BASE = "https://w3id.org/diplo-kg/"
# 43 triples to the 7th power: hours of counting, whatever the engine.
HUGE = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o ."
        " ?p ?q ?r . ?s ?t ?u }")
ALL = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def oxigraph(settings: Settings, folder: Path, data: Path, workers: int = 1) -> OxigraphStore:
    store = open_store(settings.with_overrides(dataset_file=data, store=f"oxigraph:{folder}"),
                       workers=workers)
    assert isinstance(store, OxigraphStore)
    return store


def ask(text: str, fmt: str = "json", **options: object) -> QueryRequest:
    return QueryRequest(text, fmt, BASE, **options)  # type: ignore[arg-type]


def boolean(store: OxigraphStore, text: str) -> bool:
    return json.loads(store.query(ask(text), 10).body)["boolean"]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A dataset file of three triples in two graphs, one of them in both."""
    path = tmp_path / "small.trig"
    path.write_text("<urn:g1> { <urn:a> <urn:p> <urn:b> . <urn:a> <urn:p> 1 . }\n"
                    "<urn:g2> { <urn:a> <urn:p> <urn:b> . <urn:c> <urn:p> \"x\"@en . }\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store(settings: Settings, built_file: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """A read-only oxigraph store on the built dataset, with two workers."""
    opened = oxigraph(settings, tmp_path_factory.mktemp("oxigraph") / "store", built_file, 2)
    yield opened
    opened.close()


# --- queries: Oxigraph's engine, its serialisers, the limits ---

def test_a_runaway_query_is_stopped_for_real(settings: Settings, small: Path,
                                             tmp_path: Path) -> None:
    """With one worker, the store can only take a write and answer again after a runaway
    query if that query's work was stopped (a write waits until it holds every worker)."""
    store = oxigraph(settings, tmp_path / "store", small)
    try:
        store.write(UpdateOp("INSERT { GRAPH <urn:big> { ?s ?p ?n } } WHERE { "
                             "VALUES ?n { 1 2 3 4 5 6 7 8 9 10 } GRAPH ?g { ?s ?p ?o } }"), 10)
        started = time.monotonic()
        with pytest.raises(LimitExceeded) as stopped:
            store.query(ask(HUGE), 1.0)
        assert stopped.value.setting == "query_timeout_ms"
        assert 0.9 <= time.monotonic() - started < 5
        # The replacement worker starts in the background: the write waits for it, well
        # inside its own limit, which is far below the runaway query's hours.
        store.write(UpdateOp("INSERT DATA { <urn:after> <urn:p> <urn:q> }"), 30)
        assert boolean(store, "ASK { <urn:after> <urn:p> <urn:q> }")
    finally:
        store.close()


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_is_cut_at_max_rows_in_every_format(store: OxigraphStore, fmt: str) -> None:
    answer = store.query(ask(ALL, fmt, max_rows=3), 10)
    assert (answer.kind, answer.count, answer.truncated) == ("SELECT", 3, True)
    body = answer.body.decode()
    if fmt == "json":
        rows = json.loads(body)["results"]["bindings"]
    elif fmt == "xml":
        rows = ElementTree.fromstring(body).findall(
            ".//{http://www.w3.org/2005/sparql-results#}result")
    else:
        delimiter = "," if fmt == "csv" else "\t"
        rows = list(csv.reader(io.StringIO(body), delimiter=delimiter))[1:]
    assert len(rows) == 3
    whole = store.query(ask(ALL + " LIMIT 3", fmt), 10)
    assert not whole.truncated and whole.count == 3


def test_select_rows_keep_every_term_through_the_cut(store: OxigraphStore) -> None:
    """The cut goes through TSV: language tags, datatypes and IRIs survive it."""
    text = ("SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER(isLiteral(?o) && "
            "(lang(?o) != '' || datatype(?o) != <http://www.w3.org/2001/XMLSchema#string>)) } }"
            " ORDER BY ?s ?o LIMIT 6")
    cut = json.loads(store.query(ask(text, max_rows=5), 10).body)["results"]["bindings"]
    whole = json.loads(store.query(ask(text, max_rows=6), 10).body)["results"]["bindings"]
    assert cut == whole[:5]
    assert any("xml:lang" in row["o"] or "datatype" in row["o"] for row in cut)


@pytest.mark.parametrize("fmt", [f.name for f in RDF_FORMATS])
def test_construct_in_every_rdf_format(store: OxigraphStore, built_file: Path, fmt: str) -> None:
    links = URIRef(BASE + "graph/links")
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{links}> {{ ?s ?p ?o }} }}"
    answer = store.query(ask(text, fmt), 10)
    got = Dataset()
    got.parse(data=answer.body, format=rdf_format(fmt).rdflib_name)
    expected = load_dataset(built_file).graph(links)
    graph = Graph()
    for s, p, o, _ in got.quads((None, None, None, None)):
        graph.add((s, p, o))
    assert answer.count == len(expected) > 0
    assert isomorphic(graph, expected)


def test_construct_is_cut_at_max_rows(store: OxigraphStore) -> None:
    answer = store.query(ask("CONSTRUCT WHERE { ?s ?p ?o }", "nt", max_rows=4), 10)
    assert answer.truncated and answer.count == 4
    assert len(answer.body.decode().strip().splitlines()) == 4


def test_the_dataset_a_query_runs_on(settings: Settings, small: Path, tmp_path: Path) -> None:
    """Union by default (a set, as rdflib's), the query's FROM, or the protocol's."""
    store = oxigraph(settings, tmp_path / "store", small)
    count = "SELECT (COUNT(*) AS ?n) {} WHERE { ?s ?p ?o }"

    def rows(text: str, **options: object) -> int:
        body = json.loads(store.query(ask(text, **options), 10).body)
        return int(body["results"]["bindings"][0]["n"]["value"])

    try:
        assert rows(count.replace("{}", "")) == 3  # <a> <p> <b>, in both graphs, once
        assert rows(count.replace("{}", "FROM <urn:g1>")) == 2
        assert rows(count.replace("{}", "FROM <urn:g1> FROM <urn:g2>")) == 3  # an RDF merge
        assert rows(count.replace("{}", ""), default_graphs=("urn:g1", "urn:g2")) == 3
        assert rows(count.replace("{}", ""), default_graphs=("urn:g2",)) == 2
        assert rows(count.replace("{}", "FROM <urn:g1>"), default_graphs=("urn:g2",)) == 2
        assert rows("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                    named_graphs=("urn:g1",)) == 2
        assert rows("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == 4
    finally:
        store.close()


@pytest.mark.parametrize(("text", "has"), [
    ("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", True),
    ("select *\nfrom named <urn:g> { ?s ?p ?o }", True),
    ("SELECT ?from WHERE { ?from <urn:from> 'FROM <x>' } # FROM <y>", False),
    ("PREFIX from: <urn:x#> SELECT * { from:a ?p <urn:FROM> }", False),
])
def test_a_dataset_clause_is_found_outside_strings_iris_and_names(text: str, has: bool) -> None:
    assert has_dataset_clause(text) is has


def test_using_graphs_go_before_each_where_that_closes_a_template() -> None:
    text = "DELETE { ?s ?p '}where' } WHERE { ?s ?p ?o } ; DELETE WHERE { ?a ?b ?c }"
    assert with_using(text, ("urn:a",), ("urn:b",)) == (
        "DELETE { ?s ?p '}where' } USING <urn:a> USING NAMED <urn:b> WHERE { ?s ?p ?o } ; "
        "DELETE WHERE { ?a ?b ?c }")


ALLOWED = ("http://127.0.0.1:9999/sparql",)


@pytest.mark.parametrize(("text", "refused"), [
    ("SELECT * { SERVICE <http://127.0.0.1:9999/sparql> { ?s ?p ?o } }", False),
    ("SELECT * { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }", True),
    ("PREFIX ex: <http://127.0.0.1:9999/> SELECT * { SERVICE ex:sparql { ?s ?p ?o } }", True),
    ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", True),
    ("LOAD <http://example.org/data.ttl> INTO GRAPH <urn:g>", True),
    ("SELECT ?service { ?service <urn:p> 'SERVICE <http://example.org/>' } # LOAD <x:y>",
     False),
    # \u escapes in an IRI are decoded by Oxigraph: checked as what they reach
    (r"SELECT * { SERVICE <http://127.0.0.1:9999/sp\u0061rql> { ?s ?p ?o } }", False),
    (r"SELECT * { SERVICE <http://127.0.0.1:9999/sparql/\u002E\u002E/admin> { ?s ?p ?o } }",
     True),
    (r"LOAD <http://127.0.0.1:9999/sparql/\U0000002e\U0000002E/x> INTO GRAPH <urn:g>", True),
])
def test_only_allow_listed_iris_leave_the_store(text: str, refused: bool) -> None:
    """Oxigraph makes its own HTTP calls, past the worker's audit hook: the store refuses
    SERVICE and LOAD itself (for the command line; the web layer refused them already)."""
    if refused:
        with pytest.raises(Forbidden, match="service_allow"):
            refuse_remote(text, ALLOWED)
    else:
        refuse_remote(text, ALLOWED)


def test_the_store_refuses_a_service_call(store: OxigraphStore) -> None:
    with pytest.raises(Forbidden):
        store.query(ask("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"), 10)


def test_a_malformed_query_is_the_query_s_fault(store: OxigraphStore) -> None:
    with pytest.raises(QuerySyntaxError):
        store.query(ask("SELECT * WHERE { ?s ?p"), 10)


# --- writes, versions, persistence ---

def test_write_then_read(settings: Settings, small: Path, tmp_path: Path) -> None:
    store = oxigraph(settings, tmp_path / "store", small, workers=2)
    try:
        before = store.snapshot().version
        store.write(UpdateOp("INSERT DATA { GRAPH <urn:g3> { <urn:d> <urn:p> <urn:e> } }"), 5)
        assert boolean(store, "ASK { GRAPH <urn:g3> { <urn:d> <urn:p> <urn:e> } }")
        snapshot = store.snapshot()
        assert snapshot.version == before + 1 and "urn:g3" in snapshot.graph_names()
        store.write(GraphOp("put", "urn:g3", "<urn:f> <urn:p> <urn:g> ."), 5)
        assert boolean(store, "ASK { GRAPH <urn:g3> { <urn:f> <urn:p> <urn:g> } }")
        assert not boolean(store, "ASK { GRAPH <urn:g3> { <urn:d> <urn:p> <urn:e> } }")
        store.write(GraphOp("delete", "urn:g1"), 5)
        assert "urn:g1" not in store.snapshot().graph_names()
        store.write(UpdateOp("CLEAR GRAPH <urn:g2> ; INSERT DATA { GRAPH <urn:g2> { "
                             '<urn:c> <urn:p> "x"@en } }'), 5)
        store.write(UpdateOp("INSERT DATA { GRAPH <urn:g4> { <urn:a> <urn:p> 1 } } ; "
                             "CLEAR GRAPH <urn:g4>"), 5)  # Oxigraph keeps the empty graph
        assert store.graph_names() == store.snapshot().graph_names() == ["urn:g2", "urn:g3"]
        with pytest.raises(QuerySyntaxError):
            store.write(UpdateOp("INSERT DATA { <urn:x> <urn:y> }"), 5)
        assert store.snapshot().graph_names() == ["urn:g2", "urn:g3"]
    finally:
        store.close()
    reopened = oxigraph(settings, tmp_path / "store", small)
    try:  # the writes outlive the process, while the dataset file is unchanged
        assert reopened.snapshot().graph_names() == ["urn:g2", "urn:g3"]
    finally:
        reopened.close()


def loaded_folder(settings: Settings, small: Path, tmp_path: Path) -> Path:
    """Load the dataset file into a store once and close it: the version folder it filled."""
    store = oxigraph(settings, tmp_path / "store", small)
    store.close()
    return store.directory


def test_a_changed_dataset_file_is_loaded_again(settings: Settings, small: Path,
                                                tmp_path: Path) -> None:
    first = loaded_folder(settings, small, tmp_path)
    assert loaded_folder(settings, small, tmp_path) == first  # reopened, not loaded again
    small.write_text("<urn:g9> { <urn:z> <urn:p> <urn:z> . }\n", encoding="utf-8")
    changed = oxigraph(settings, tmp_path / "store", small)
    try:
        assert changed.directory != first
        assert changed.snapshot().graph_names() == ["urn:g9"]
    finally:
        changed.close()


def test_the_same_bytes_with_a_new_time_are_reopened(settings: Settings, small: Path,
                                                     tmp_path: Path) -> None:
    """`kg build` writing the same dataset again, or `touch`: no load, and the record takes
    the new time, so the start after reads none of the file."""
    first = loaded_folder(settings, small, tmp_path)
    small.write_bytes(small.read_bytes())
    later = small.stat().st_mtime_ns + 5_000_000_000
    os.utime(small, ns=(later, later))
    assert loaded_folder(settings, small, tmp_path) == first
    assert read_stamp(first) == stamp_of(small)
    assert sorted(p.name for p in tmp_path.glob(".store.v*")) == [first.name]


def test_a_copy_of_the_file_elsewhere_reopens_the_store(settings: Settings, small: Path,
                                                        tmp_path: Path) -> None:
    first = loaded_folder(settings, small, tmp_path)
    copy = tmp_path / "elsewhere" / "copy.trig"
    copy.parent.mkdir()
    shutil.copyfile(small, copy)
    assert loaded_folder(settings, copy, tmp_path) == first


def test_other_bytes_of_the_same_size_are_loaded_again(settings: Settings, small: Path,
                                                       tmp_path: Path) -> None:
    first = loaded_folder(settings, small, tmp_path)
    text = small.read_text(encoding="utf-8")
    small.write_text(text.replace("urn:c", "urn:d"), encoding="utf-8")
    assert len(small.read_bytes()) == len(text.encode())
    changed = oxigraph(settings, tmp_path / "store", small)
    try:
        assert changed.directory != first
        assert boolean(changed, 'ASK { GRAPH <urn:g2> { <urn:d> <urn:p> "x"@en } }')
        assert not boolean(changed, "ASK { GRAPH ?g { <urn:c> ?p ?o } }")
    finally:
        changed.close()


@pytest.mark.parametrize("record", ["", "not json", '{"dataset": "x", "size": 1}'])
def test_a_store_without_a_readable_record_is_loaded_again(settings: Settings, small: Path,
                                                           tmp_path: Path, record: str) -> None:
    """A record cut short, or one written before records held a hash: the store might not
    hold the file, so it is not served as if it did."""
    first = loaded_folder(settings, small, tmp_path)
    (first / STAMP).write_text(record, encoding="utf-8")
    assert loaded_folder(settings, small, tmp_path) != first


def test_a_failed_load_leaves_the_previous_store(settings: Settings, small: Path,
                                                 tmp_path: Path) -> None:
    first = loaded_folder(settings, small, tmp_path)
    small.write_text("<urn:g9> { <urn:z> <urn:p> ", encoding="utf-8")  # cut short
    with pytest.raises(DataFileError):
        oxigraph(settings, tmp_path / "store", small)
    assert (tmp_path / "store").resolve() == first
    assert sorted(p.name for p in tmp_path.glob(".store.v*")) == [first.name]


def test_a_load_in_a_process_of_its_own(small: Path, tmp_path: Path) -> None:
    """How a big file is loaded (its buffers leave with the process): the same store, and a
    syntax error comes back as one, for the caller to name the file."""
    bulk_load(tmp_path / "v1", small, "trig", own_process=True)
    loaded = ox.Store.read_only(str(tmp_path / "v1"))
    assert len(loaded) == 4
    del loaded
    small.write_text("<urn:g9> { <urn:z> <urn:p> ", encoding="utf-8")
    with pytest.raises(SyntaxError):
        bulk_load(tmp_path / "v2", small, "trig", own_process=True)


NAMES = "SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?o"


def kept_files(store: OxigraphStore) -> list[Path]:
    return sorted((store.directory / KEPT_FOLDER).glob("*.json"))


def test_a_slow_read_is_kept_for_the_next_start(settings: Settings, small: Path,
                                                tmp_path: Path) -> None:
    """(read_keep_ms 0: every read counts as slow.) The next server on the same data reads
    the answer from its file."""
    keeping = settings.with_overrides(read_keep_ms=0)
    first = oxigraph(keeping, tmp_path / "store", small)
    try:
        rows = first.select(NAMES, 10)
        assert len(kept_files(first)) == 1
    finally:
        first.close()
    again = oxigraph(keeping, tmp_path / "store", small)
    try:
        assert again.directory == first.directory
        assert again.select(NAMES, 10) == rows
        assert len(kept_files(again)) == 1
    finally:
        again.close()


def test_a_kept_read_does_not_outlive_a_write(settings: Settings, small: Path,
                                              tmp_path: Path) -> None:
    store = oxigraph(settings.with_overrides(read_keep_ms=0), tmp_path / "store", small)
    try:
        before = store.select(NAMES, 10)
        store.write(UpdateOp("INSERT DATA { GRAPH <urn:g3> { <urn:d> <urn:p> <urn:e> } }"), 5)
        assert kept_files(store) == []
        after = store.select(NAMES, 10)
        assert len(after) == len(before) + 1
    finally:
        store.close()
    reopened = oxigraph(settings.with_overrides(read_keep_ms=0), tmp_path / "store", small)
    try:  # what the next start reads is the answer after the write
        assert reopened.select(NAMES, 10) == after
    finally:
        reopened.close()


def test_a_kept_read_is_not_served_on_a_new_load(settings: Settings, small: Path,
                                                 tmp_path: Path) -> None:
    keeping = settings.with_overrides(read_keep_ms=0)
    first = oxigraph(keeping, tmp_path / "store", small)
    first.select(NAMES, 10)
    first.close()
    small.write_text("<urn:g9> { <urn:z> <urn:p> <urn:y> . }\n", encoding="utf-8")
    changed = oxigraph(keeping, tmp_path / "store", small)
    try:
        assert [tuple(map(str, row)) for row in changed.select(NAMES, 10)] == [
            ("urn:z", "urn:y")]
    finally:
        changed.close()


def test_a_fast_read_is_not_kept(settings: Settings, small: Path, tmp_path: Path) -> None:
    store = oxigraph(settings.with_overrides(read_keep_ms=60_000), tmp_path / "store", small)
    try:
        store.select(NAMES, 10)
        assert kept_files(store) == []
    finally:
        store.close()


def test_an_n_quads_dataset_file(settings: Settings, small: Path, tmp_path: Path) -> None:
    nquads = tmp_path / "small.nq"
    nquads.write_bytes(serialize(load_dataset(small), rdf_format("nq"), BASE))
    store = oxigraph(settings, tmp_path / "store", nquads)
    try:
        assert store.snapshot().graph_names() == ["urn:g1", "urn:g2"]
        assert boolean(store, 'ASK { GRAPH <urn:g2> { <urn:c> <urn:p> "x"@en } }')
    finally:
        store.close()


# --- exports: the same bytes as the rdflib store on the dataset as Oxigraph keeps it ---

@pytest.mark.parametrize("fmt", [f.name for f in RDF_FORMATS])
def test_export_in_every_format(store: OxigraphStore, settings: Settings, built_file: Path,
                                fmt: str) -> None:
    """Byte for byte the memory store's export of the same file: no literal changes type."""
    reference = DatasetStore(built_file, settings.base_iri, 1)
    try:
        assert store.export(rdf_format(fmt), None) == reference.export(rdf_format(fmt), None)
    finally:
        reference.close()


def test_integer_subtypes_come_back_as_xsd_integer(settings: Settings, tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """Oxigraph keeps a number's value, not its derived type: loading a file that has such
    types says so, naming them; the datatype that comes back is xsd:integer."""
    data = tmp_path / "typed.trig"
    data.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    '<urn:g> { <urn:a> <urn:p> "5"^^xsd:nonNegativeInteger , '
                    '"6"^^<http://www.w3.org/2001/XMLSchema#int> , 7 . }\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kg.store"):
        store = oxigraph(settings, tmp_path / "store", data)
    try:
        assert "xsd:int, xsd:nonNegativeInteger as xsd:integer" in caplog.text
        body = json.loads(store.query(ask("SELECT DISTINCT (DATATYPE(?o) AS ?t) "
                                          "WHERE { ?s ?p ?o }"), 10).body)
        assert [b["t"]["value"] for b in body["results"]["bindings"]] == [str(XSD.integer)]
    finally:
        store.close()


def test_the_build_types_no_literal_that_oxigraph_would_change(built_file: Path) -> None:
    """NIF offsets are written as xsd:integer, so both stores keep every literal as built."""
    assert folded_types(built_file) == []
    offsets = {o.datatype for _, _, o in load_dataset(built_file).triples(
        (None, NIF.beginIndex, None))}
    assert offsets == {XSD.integer}


# --- the command line ---

@pytest.mark.slow  # two builds
def test_build_loads_the_store_and_export_reads_it(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    store = "oxigraph:build/store"
    built = invoke_kg("--project", str(project), "--store", store, "build", "-q")
    assert built.exit_code == 0, built.output
    assert (project / "build" / "store").is_symlink()
    first = (project / "build" / "store").resolve()
    exported = invoke_kg("--project", str(project), "--store", store, "export", "-f", "nt")
    assert exported.exit_code == 0, exported.output
    expected = Graph()
    for s, p, o, _ in load_dataset(project / "build" / "dataset.trig").quads(
            (None, None, None, None)):
        expected.add((s, p, o))
    assert len(expected) > 1000
    assert isomorphic(Graph().parse(data=exported.stdout_bytes, format="nt"), expected)
    for fmt in ("nt", "trig"):  # the same bytes as the memory store's, offsets included
        on_disk = invoke_kg("--project", str(project), "--store", store, "export", "-f", fmt)
        memory = invoke_kg("--project", str(project), "--store", "memory", "export", "-f", fmt)
        assert on_disk.stdout_bytes == memory.stdout_bytes
    (project / "data" / "sources" / "broken.txt").write_bytes(b"")  # skipped, named
    rebuilt = invoke_kg("--project", str(project), "--store", store, "build", "-q")
    assert rebuilt.exit_code == 0 and "broken.txt" in rebuilt.stderr
    # the same dataset written again: reopened by its content, not loaded again
    assert (project / "build" / "store").resolve() == first
    shutil.copy(SECOND_SOURCE, project / "data" / "sources")
    grown = invoke_kg("--project", str(project), "--store", store, "build", "-q")
    assert grown.exit_code == 0, grown.output
    assert (project / "build" / "store").resolve() != first  # a new version, swapped in


def test_a_bad_store_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke_kg("--store", "postgres://x", "query", "ASK {}")
    assert result.exit_code == 3
    assert "setting store must be memory, oxigraph:PATH or sparql:QUERY_URL" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("target", [
    "http://127.0.0.1:9999/sparql/../../internal",
    r"http://127.0.0.1:9999/sparql/\u002E\u002E/\u002e\u002e/internal",  # decoded by Oxigraph
])
def test_the_server_refuses_a_service_that_escapes_the_allow_list(
        settings: Settings, built_file: Path, tmp_path: Path, target: str) -> None:
    """F2 on the Oxigraph store, whose queries rdflib no longer reads: the allow-list is matched
    on the IRI as Oxigraph will call it (escapes decoded, dot-segments removed)."""
    allowed = settings.with_overrides(dataset_file=built_file, service_allow=ALLOWED[0],
                                      store=f"oxigraph:{tmp_path / 'store'}")
    store = open_store(allowed, workers=1)
    try:
        response = create_app(allowed, store).test_client().get("/sparql", query_string={
            "query": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"})
    finally:
        store.close()
    assert response.status_code == 403, response.get_data(as_text=True)
    assert "service_allow" in response.get_json()["detail"]


def test_kg_query_takes_what_rdflib_cannot_parse(built_file: Path, tmp_path: Path) -> None:
    """`kg query` on the default store reads the query from its tokens: the empty short form,
    which rdflib's parser rejects, is an empty graph; a LIMIT on the short form counts
    distinct triples."""
    store = f"oxigraph:{tmp_path / 'store'}"
    empty = invoke_kg("--data", str(built_file), "--store", store, "query", "-f", "nt",
                      "CONSTRUCT WHERE { }")
    assert empty.exit_code == 0 and empty.stdout == "", empty.output
    limited = invoke_kg("--data", str(built_file), "--store", store, "query", "-f", "nt",
                        "CONSTRUCT WHERE { ?s owl:sameAs ?o } LIMIT 2")
    assert limited.exit_code == 0, limited.output
    assert len(set(Graph().parse(data=limited.stdout, format="nt"))) == 2
