"""The reads of the pages that look at the whole store (VoID, the timeline), written so that a
store of millions of quads answers them within the query time limit: VoID tells entities once
per distinct subject, the timeline reads only the statements of the vocabulary's properties.
Both read the store as it is, so a write shows at once (no answer is computed ahead of it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.dataset.io import load_dataset
from kg.dataset.reader import DatasetReader, Reader
from kg.settings import Settings
from kg.sparql.ops import UpdateOp
from kg.sparql.store import OxigraphStore, open_store
from kg.views.timeline import events
from kg.views.void import ServiceUrls, void_graph
from kg.vocab import DK, VOID
from kg.web.context import StoreReader

BASE = "https://w3id.org/diplo-kg/"
ID = f"{BASE}id/"
URLS = ServiceUrls("http://here/void", "http://here/sparql", (), lambda name: name)
# Four subjects (two of them entities: IRIs under id/, one in the unnamed graph), a blank one,
# and four objects; no statement through a property of the vocabulary.
DATA = f"""
<{ID}a> <urn:p> <{ID}b> .
<urn:g1> {{ <{ID}a> <urn:p> <{ID}b> . <urn:x> <urn:p> "1" . _:n a <urn:C> . }}
<urn:g2> {{ <{ID}c> <urn:p> <urn:x> . }}
"""
EVENT = URIRef(f"{ID}summit")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.trig"
    path.write_text(DATA, encoding="utf-8")
    return path


def oxigraph_on(settings: Settings, data: Path, folder: Path) -> OxigraphStore:
    """(read_keep_ms 0: every read is kept on disk, as a slow one is on a big store.)"""
    store = open_store(settings.with_overrides(dataset_file=data, read_keep_ms=0,
                                               store=f"oxigraph:{folder}"), workers=1)
    assert isinstance(store, OxigraphStore)
    return store


@pytest.fixture
def oxigraph(settings: Settings, data: Path, tmp_path: Path) -> Iterator[OxigraphStore]:
    store = oxigraph_on(settings, data, tmp_path / "store")
    yield store
    store.close()


def figures(reader: Reader) -> dict[str, int]:
    graph: Graph = void_graph(reader, BASE, URLS)
    whole = URIRef("http://here/void#diplo-kg")
    return {name: graph.value(whole, VOID[name]).toPython()
            for name in ("triples", "distinctSubjects", "distinctObjects", "entities")}


def test_void_tells_entities_from_other_subjects_on_both_stores(
        data: Path, oxigraph: OxigraphStore) -> None:
    expected = {"triples": 5, "distinctSubjects": 4, "distinctObjects": 4, "entities": 2}
    assert figures(DatasetReader(load_dataset(data))) == expected
    assert figures(StoreReader(oxigraph, 10)) == expected


def test_void_of_a_store_without_entities_or_types(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "none.trig"
    path.write_text("<urn:g> { <urn:a> <urn:p> <urn:b> . }\n", encoding="utf-8")
    expected = {"triples": 1, "distinctSubjects": 1, "distinctObjects": 1, "entities": 0}
    assert figures(DatasetReader(load_dataset(path))) == expected
    store = oxigraph_on(settings, path, tmp_path / "store")
    try:
        assert figures(StoreReader(store, 10)) == expected
    finally:
        store.close()


def test_the_timeline_shows_a_write_at_once(oxigraph: OxigraphStore) -> None:
    """No property of the vocabulary in the data: no event, and nothing else read. A dated
    statement written then is on the next read, not an answer kept from before the write."""
    reader = StoreReader(oxigraph, 10)
    assert events(reader, BASE) == []
    oxigraph.write(UpdateOp(f"INSERT DATA {{ GRAPH <{BASE}graph/stated> {{ "
                            f"{EVENT.n3()} {DK.date.n3()} "
                            f"{Literal('2001-09-15', datatype=XSD.date).n3()} ; "
                            f"{DK.participant.n3()} <{ID}a> }} }}"), 5)
    (event,) = events(reader, BASE)
    assert (event.iri, event.date, event.dates[0].property) == (str(EVENT), "2001-09-15",
                                                                str(DK.date))
    oxigraph.write(UpdateOp(f"DELETE WHERE {{ GRAPH ?g {{ {EVENT.n3()} ?p ?o }} }}"), 5)
    assert events(reader, BASE) == []


def test_a_date_through_another_vocabulary_is_no_event(oxigraph: OxigraphStore) -> None:
    oxigraph.write(UpdateOp(f"INSERT DATA {{ GRAPH <urn:g3> {{ {EVENT.n3()} <urn:date> "
                            f"{Literal('2001', datatype=XSD.gYear).n3()} }} }}"), 5)
    assert events(StoreReader(oxigraph, 10), BASE) == []
