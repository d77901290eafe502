"""PLOVER events (data/patterns/events.toml, extract/events.py): the rules on constructions, the
events in a built graph with their provenance, the CSV export and the event queries.

The sentences are written for these tests (tests/data/event-cases.toml and
tests/data/event-sources/), never taken from the evaluation set (bench/eval/events/).
"""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF

from kg.dataset.reader import DatasetReader
from kg.errors import DataFileError
from kg.extract import Extractor
from kg.extract.model import EntityRef, NodeRef
from kg.inputs.event_rules import EMPTY_LEXICON, NO_EVENT, event_construction
from kg.inputs.ontology import Ontology
from kg.iris import Iris
from kg.settings import Settings
from kg.views.events_table import COLUMNS, events_csv
from kg.vocab import DK

from .helpers import ROOT, invoke_kg, make_source, sparql

CASES = [(c["text"], set(c["events"])) for c in tomllib.loads(
    (ROOT / "tests" / "data" / "event-cases.toml").read_text(encoding="utf-8"))["case"]]
SOURCES = ROOT / "tests" / "data" / "event-sources"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
BASE = "https://w3id.org/diplo-kg/"


def events_of(extractor: Extractor, text: str) -> set[str]:
    """The events the extractor states in a text, as "Type source target [mode]"."""
    facts = extractor.extract(make_source(text, date="2024-05-06")).facts
    triples = [t for f in facts if f.pattern_id.startswith("event-") for t in f.triples]
    out = set()
    for node in {s for s, _, _ in triples if isinstance(s, NodeRef)}:
        said = {p.split("#")[-1]: o for s, p, o in triples if s == node}
        ends = [said.get(f"{end}State", said[f"{end}Actor"]) for end in ("source", "target")]
        mode = said.get("mode")
        out.add(" ".join([node.cls, *(e.key for e in ends if isinstance(e, EntityRef))]
                         + ([str(mode).rsplit("_", 1)[-1]] if mode else [])))
    return out


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_event_rule_on_its_sentence(extractor: Extractor, text: str, expected: set[str]) -> None:
    assert events_of(extractor, text) == expected


def test_every_mode_and_context_is_in_the_ontology(extractor: Extractor,
                                                   settings: Settings) -> None:
    ontology = Ontology.load(settings.path("ontology_dir")).graph
    lexicon = extractor.patterns.event_lexicon
    readings = [*lexicon.readings.values(), *(r for t in lexicon.turned.values()
                                              for r in t.values() if r != NO_EVENT)]
    for cls, mode in readings:
        assert (DK[cls], RDF.type, None) in ontology or (DK[cls], None, None) in ontology, cls
        if mode:
            concept = DK[f"mode_{cls.lower()}_{mode.replace('-', '_')}"]
            assert (concept, RDF.type, DK.EventMode) in ontology, concept
    for name, _ in lexicon.contexts:
        assert (DK[f"context_{name}"], RDF.type, DK.EventContext) in ontology, name


def test_a_built_graph_holds_events_with_their_sentence(news: tuple[Dataset, Settings]) -> None:
    dataset, settings = news
    iris = Iris(settings.base_iri)
    event = URIRef(BASE + "id/accuse/greece_turkey_condemn_2024-03-11")
    stated = {(s, p, o) for s, p, o, g in dataset.quads((event, None, None, None))
              if str(g).startswith(iris.fact_graph_prefix())}
    assert stated >= {(event, RDF.type, DK.Accuse),
                      (event, DK.sourceActor, URIRef(BASE + "id/greece")),
                      (event, DK.targetActor, URIRef(BASE + "id/turkey")),
                      (event, DK.sourceState, URIRef(BASE + "id/greece")),
                      (event, DK.mode, DK.mode_accuse_disapprove),
                      # "on Monday" counted back from the document's date, 12 March 2024
                      (event, DK.date, Literal("2024-03-11", datatype=URIRef(
                          "http://www.w3.org/2001/XMLSchema#date")))}
    inferred = set(dataset.graph(iris.graph("inferred")).objects(event, RDF.type))
    assert {DK.PloverEvent, DK.VerbalConflict} <= inferred
    graph = next(g for _, _, _, g in dataset.quads((event, RDF.type, DK.Accuse, None)))
    provenance = dataset.graph(iris.graph("provenance"))
    span = provenance.value(graph, DK.sentence)
    text = (SOURCES / "demo-news.txt").read_text(encoding="utf-8")
    begin = int(provenance.value(span, URIRef(NIF + "beginIndex")))
    end = int(provenance.value(span, URIRef(NIF + "endIndex")))
    assert text[begin:end] == "Greece condemned Turkey's naval exercises in the Aegean on Monday."
    assert str(provenance.value(span, URIRef(NIF + "anchorOf"))) == text[begin:end]


def test_a_body_acting_for_a_state_links_to_it(news: tuple[Dataset, Settings]) -> None:
    dataset, _ = news
    kremlin, russia = URIRef(BASE + "id/kremlin"), URIRef(BASE + "id/russia")
    assert (kremlin, DK.actsFor, russia, None) in {(s, p, o, None) for s, p, o, _ in
                                                   dataset.quads((kremlin, DK.actsFor, None))}


def test_events_csv_has_a_row_per_event_and_sentence(news: tuple[Dataset, Settings]) -> None:
    dataset, settings = news
    rows = list(csv.DictReader(io.StringIO(events_csv(DatasetReader(dataset), Iris(
        settings.base_iri)).decode("utf-8"))))
    got = {(r["date"], r["source_actor"], r["source_country"], r["event_type"], r["mode"],
            r["target_actor"], r["target_country"]) for r in rows}
    assert got == {
        ("2024-03-11", "Greece", "GRC", "ACCUSE", "disapprove", "Turkey", "TUR"),
        ("2024-03-12", "European Union", "", "SANCTION", "", "Iran", "IRN"),
        ("2024-03-12", "Japan", "JPN", "AGREE", "", "Ukraine", "UKR"),
        ("2024-03-12", "the Kremlin", "RUS", "ACCUSE", "allege", "Poland", "POL"),
        ("2012", "United States", "USA", "SANCTION", "", "Syria", "SYR"),
    }
    assert all(r["document"] == BASE + "source/demo-news" and r["sentence"] for r in rows)


def test_kg_export_writes_the_events_csv(news: tuple[Dataset, Settings],
                                         tmp_path: Path) -> None:
    from kg.dataset.serialize import serialize
    from kg.formats import rdf_format

    dataset, settings = news
    data = tmp_path / "dataset.trig"
    data.write_bytes(serialize(dataset, rdf_format("trig"), settings.base_iri))
    out = tmp_path / "events.csv"
    result = invoke_kg("--data", str(data), "export", "--format", "events-csv", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == events_csv(DatasetReader(dataset), Iris(settings.base_iri))
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)


def test_events_csv_download(client) -> None:  # noqa: ANN001  (the conftest's Flask client)
    response = client.get("/data/events.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    header, *rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(header) == COLUMNS
    # the interview's recognition is a SUPPORT by Turkey towards Kazakhstan
    assert any(r[2:4] == ["TUR", "SUPPORT"] and r[6] == "KAZ" for r in rows)


def test_sanctions_query_on_news(news: tuple[Dataset, Settings]) -> None:
    dataset, _ = news
    rows = list(sparql(dataset, (ROOT / "queries" / "sanctions-by-state.rq").read_text(
        encoding="utf-8")))
    assert [(str(r[0]), str(r[1])) for r in rows] == [(BASE + "id/syria", "2012")]


def test_quad_counts_on_news(news: tuple[Dataset, Settings]) -> None:
    dataset, _ = news
    rows = sparql(dataset, (ROOT / "queries" / "cooperation-conflict-by-year.rq").read_text(
        encoding="utf-8"))
    got = {(str(r[0]), str(r[1]).rsplit("#", 1)[-1], int(r[2])) for r in rows}
    assert got == {("2012", "MaterialConflict", 1), ("2024", "MaterialConflict", 1),
                   ("2024", "VerbalConflict", 2), ("2024", "VerbalCooperation", 1)}


def test_extracted_events_reach_the_dyad_view(news: tuple[Dataset, Settings]) -> None:
    """The dyad pages read what the extractor writes, not only a hand-written fixture."""
    from kg.views.dyad import StateEvents, dyad

    dataset, _ = news
    iris = Iris(BASE)
    model = StateEvents.from_reader(DatasetReader(dataset), iris)
    links = {(link.source.removeprefix(BASE + "id/"), link.target.removeprefix(BASE + "id/"))
             for link in model.links}
    assert {("greece", "turkey"), ("united-states", "syria")} <= links
    greece, turkey = model.states[BASE + "id/greece"], model.states[BASE + "id/turkey"]
    between = dyad(DatasetReader(dataset), iris, model, greece, turkey)
    assert between.events and all(e.sentences for e in between.events)


@pytest.mark.parametrize(("spec", "message"), [
    ({"governed_by": []}, "governed_by lists no verb"),
    ({"types": ["Nonsense"]}, "Nonsense"),
])
def test_a_bad_role_guard_is_reported(settings: Settings, spec: dict, message: str) -> None:
    ontology = Ontology.load(settings.path("ontology_dir"))
    item = {"id": "event-bad", "pos": "noun", "roles": {
        "source": {"ent": "State", "paths": ["amod"], **spec},
        "target": {"ent": "State", "paths": ["prep:on"]}}}
    with pytest.raises(DataFileError, match=message):
        event_construction(item, "events.toml", ontology.expand_class, EMPTY_LEXICON)
