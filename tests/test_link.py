"""kg link: Wikidata id proposals from the gazetteer (offline) and wbsearchentities (online).

The online tests talk only to an http.server on 127.0.0.1 that answers like wbsearchentities.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef

from kg.dataset.io import new_dataset
from kg.errors import DataFileError, InputError
from kg.inputs.gazetteer import Gazetteer, load_gazetteer
from kg.publish.wikidata import (
    TSV_COLUMNS,
    LinkProposal,
    accept_rows,
    propose_links,
    write_proposals,
)
from kg.vocab import DK, OWL, RDF, RDFS, SKOS, WD

from .helpers import ROOT

BASE = "https://w3id.org/diplo-kg/"
ID = Namespace(f"{BASE}id/")
FIXTURES = ROOT / "tests" / "data" / "link"
SEARCH_RESPONSE = FIXTURES / "wbsearchentities.json"


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy may carry the test requests off the machine."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def gazetteer() -> Gazetteer:
    return load_gazetteer(FIXTURES / "gazetteer")


def _entity(graph: Graph, key: str, cls: str, label: str, *alts: str) -> URIRef:
    node = ID[key]
    graph.add((node, RDF.type, DK[cls]))
    graph.add((node, RDFS.label, Literal(label, lang="en")))
    for alt in alts:
        graph.add((node, SKOS.altLabel, Literal(alt, lang="en")))
    return node


@pytest.fixture
def dataset() -> Dataset:
    """Entities as sources mint them: some under other names, some already linked."""
    ds = new_dataset()
    entities, links, inferred, facts = (ds.graph(URIRef(f"{BASE}graph/{name}")) for name in (
        "entities", "links", "inferred", "fact/text/0-99/pattern"))
    _entity(facts, "turkic-council", "IntergovernmentalOrganization", "Turkic Council",
            "the Turkic Council")
    baltic = _entity(facts, "the-baltic-sea-council", "IntergovernmentalOrganization",
                     "Baltic Sea Council")
    inferred.add((baltic, RDF.type, DK.Actor))
    _entity(facts, "republic-of-moldova", "State", "the Republic of Moldova")
    _entity(facts, "turksoy-organization", "IntergovernmentalOrganization", "Türksoy")
    _entity(facts, "lale-ulker", "Person", "Lale Ülker")
    # its own gazetteer row has an id the dataset lacks: not a link to propose
    _entity(entities, "organization-of-turkic-states", "IntergovernmentalOrganization",
            "Organization of Turkic States", "Turkic Council")
    links.add((_entity(entities, "turkey", "State", "Turkey"), OWL.sameAs, WD.Q43))
    # linked in the other direction, in another graph: still linked
    inferred.add((WD.Q217, OWL.sameAs, _entity(entities, "moldova", "State", "Moldova")))
    facts.add((ID["membership/turkey_turkic-council"], RDF.type, DK.Membership))
    return ds


def test_offline_proposals(dataset: Dataset, gazetteer: Gazetteer) -> None:
    proposals = propose_links(dataset, gazetteer, BASE)
    assert [(p.entity_iri.removeprefix(str(ID)), p.qid, p.score, p.reason, p.source)
            for p in proposals] == [
        ("republic-of-moldova", "Q217", 0.9,
         "label 'Moldova' of moldova, same words after normalising", "gazetteer:moldova"),
        ("the-baltic-sea-council", "Q900001", 0.6,
         "token overlap 0.75 with label 'Council of the Baltic Sea States' of "
         "council-of-the-baltic-sea-states", "gazetteer:council-of-the-baltic-sea-states"),
        ("turkic-council", "Q596850", 1.0,
         "alias 'Turkic Council' of organization-of-turkic-states, exact after folding",
         "gazetteer:organization-of-turkic-states"),
        ("turksoy-organization", "Q1993710", 1.0,
         "alias 'TURKSOY' of turksoy, exact after folding", "gazetteer:turksoy"),
    ]
    baltic = proposals[1]
    assert (baltic.entity_label, baltic.entity_class, baltic.label) == (
        "Baltic Sea Council", "IntergovernmentalOrganization", "Council of the Baltic Sea States")


def test_threshold_drops_weak_overlaps(dataset: Dataset, gazetteer: Gazetteer) -> None:
    keys = {p.entity_iri for p in propose_links(dataset, gazetteer, BASE, threshold=0.8)}
    assert str(ID["the-baltic-sea-council"]) not in keys
    assert str(ID["turkic-council"]) in keys


@pytest.mark.parametrize("threshold", [0, 1.5])
def test_threshold_out_of_range(dataset: Dataset, gazetteer: Gazetteer, threshold: float) -> None:
    with pytest.raises(InputError, match="threshold"):
        propose_links(dataset, gazetteer, BASE, threshold=threshold)


def test_proposals_tsv_is_deterministic(dataset: Dataset, gazetteer: Gazetteer,
                                        tmp_path: Path) -> None:
    first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
    write_proposals(propose_links(dataset, gazetteer, BASE), first)
    write_proposals(propose_links(dataset, gazetteer, BASE), second)
    lines = first.read_text(encoding="utf-8").splitlines()
    assert first.read_bytes() == second.read_bytes()
    assert lines[0].split("\t") == list(TSV_COLUMNS)
    assert lines[1].split("\t") == [
        str(ID["republic-of-moldova"]), "the Republic of Moldova", "State", "Q217", "Moldova",
        "0.90", "label 'Moldova' of moldova, same words after normalising", "gazetteer:moldova",
        ""]
    assert len(lines) == 5


# -- online -----------------------------------------------------------------------------------

@pytest.fixture
def api() -> Iterator[SimpleNamespace]:
    """A wbsearchentities look-alike on a free loopback port; /slow never answers in time."""
    seen: list[tuple[str, dict[str, list[str]], str]] = []
    release = threading.Event()
    body = SEARCH_RESPONSE.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            seen.append((url.path, parse_qs(url.query), self.headers.get("User-Agent", "")))
            if url.path == "/slow":
                release.wait(5)
                return
            self.send_response(503 if url.path == "/fail" else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", seen=seen)
    release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def treaty() -> Dataset:
    ds = new_dataset()
    _entity(ds.graph(URIRef(f"{BASE}graph/fact/text/0-99/treaty")),
            "strategic-cooperation-agreement", "Treaty", "Strategic Cooperation Agreement")
    return ds


def test_online_asks_wbsearchentities_once(api: SimpleNamespace, treaty: Dataset,
                                           gazetteer: Gazetteer, tmp_path: Path) -> None:
    cache = tmp_path / "wikidata-cache.json"
    def run() -> list[LinkProposal]:
        return propose_links(treaty, gazetteer, BASE, online=True,
                             api_url=f"{api.url}/w/api.php", cache_path=cache)

    proposals = run()
    source = f"wikidata:wbsearchentities {date.today().isoformat()}"
    assert proposals == [
        LinkProposal(str(ID["strategic-cooperation-agreement"]), "Strategic Cooperation Agreement",
                     "Treaty", "Q900101", "Strategic Cooperation Agreement", 1.0,
                     "wbsearchentities match: Strategic Cooperation Agreement — test fixture: a "
                     "treaty", source),
        LinkProposal(str(ID["strategic-cooperation-agreement"]), "Strategic Cooperation Agreement",
                     "Treaty", "Q900102", "Strategic Partnership Agreement", 0.4,
                     "wbsearchentities match: Strategic Partnership Agreement — test fixture: "
                     "another treaty", source),
    ]
    [(path, params, agent)] = api.seen
    assert path == "/w/api.php"
    assert params == {"action": ["wbsearchentities"], "search": ["Strategic Cooperation Agreement"],
                      "language": ["en"], "format": ["json"], "limit": ["5"]}
    assert agent.startswith("diplo-kg/")
    assert set(json.loads(cache.read_text(encoding="utf-8"))) == {"Strategic Cooperation Agreement"}
    assert run() == proposals
    assert len(api.seen) == 1  # the rerun came from the cache


def test_cached_answers_need_no_network(treaty: Dataset, gazetteer: Gazetteer,
                                        tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    response = json.loads(SEARCH_RESPONSE.read_text(encoding="utf-8"))
    cache.write_text(json.dumps({"Strategic Cooperation Agreement": {
        "fetched": "2024-01-02", "response": response}}), encoding="utf-8")
    proposals = propose_links(treaty, gazetteer, BASE, online=True, cache_path=cache,
                              api_url=f"http://127.0.0.1:{_closed_port()}/w/api.php")
    assert {p.source for p in proposals} == {"wikidata:wbsearchentities 2024-01-02"}


def test_online_timeout_is_a_clear_error(api: SimpleNamespace, treaty: Dataset,
                                         gazetteer: Gazetteer) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match=r"Wikidata API unreachable .*no answer within 0.3 s\): "
                                         r"run offline or check the network"):
        propose_links(treaty, gazetteer, BASE, online=True, api_url=f"{api.url}/slow",
                      timeout=0.3)
    assert time.monotonic() - started < 3


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_api_is_a_clear_error(treaty: Dataset, gazetteer: Gazetteer) -> None:
    with pytest.raises(InputError, match="Wikidata API unreachable .*run offline or check the "
                                         "network"):
        propose_links(treaty, gazetteer, BASE, online=True,
                      api_url=f"http://127.0.0.1:{_closed_port()}/w/api.php")


def test_api_error_status_is_a_clear_error(api: SimpleNamespace, treaty: Dataset,
                                           gazetteer: Gazetteer) -> None:
    with pytest.raises(InputError, match="Wikidata API answered HTTP 503"):
        propose_links(treaty, gazetteer, BASE, online=True, api_url=f"{api.url}/fail")


def test_offline_never_touches_the_network(treaty: Dataset, gazetteer: Gazetteer) -> None:
    closed = f"http://127.0.0.1:{_closed_port()}/w/api.php"  # would raise if it were asked
    assert propose_links(treaty, gazetteer, BASE, api_url=closed) == []


# -- accepting --------------------------------------------------------------------------------

@pytest.fixture
def gazetteer_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "gazetteer", tmp_path / "gazetteer"))


def _review(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    """A proposals file as a reviewer leaves it: (key, label, class, qid + source, accept)."""
    lines = ["\t".join(TSV_COLUMNS)]
    for key, label, cls, qid_source, mark in rows:
        qid, source = qid_source.split(" ", 1)
        lines.append("\t".join([str(ID[key]), label, cls, qid, label, "1.00", "test", source,
                                mark]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_accept_appends_the_accepted_rows(dataset: Dataset, gazetteer: Gazetteer,
                                          gazetteer_dir: Path, tmp_path: Path) -> None:
    tsv = tmp_path / "proposals.tsv"
    write_proposals(propose_links(dataset, gazetteer, BASE), tsv)
    marks = {"turkic-council": "yes", "the-baltic-sea-council": "no", "turksoy-organization": "YES"}
    lines = tsv.read_text(encoding="utf-8").splitlines()
    tsv.write_text("\n".join([lines[0]] + [
        line + marks.get(line.split("\t")[0].removeprefix(str(ID)), "") for line in lines[1:]]),
        encoding="utf-8")
    assert accept_rows(tsv, gazetteer_dir) == ["turkic-council", "turksoy-organization"]
    linked = (gazetteer_dir / "linked.tsv").read_text(encoding="utf-8").splitlines()
    assert linked[1:] == [
        "key\tclass\tlabel\taliases\tdemonyms\tcountry\tcapital_of\twikidata\twikidata_source",
        "turkic-council\tIntergovernmentalOrganization\tTurkic Council\t\t\t\t\tQ596850\t"
        "gazetteer:organization-of-turkic-states",
        "turksoy-organization\tIntergovernmentalOrganization\tTürksoy\t\t\t\t\tQ1993710\t"
        "gazetteer:turksoy"]
    entry = load_gazetteer(gazetteer_dir).get("turksoy-organization")
    assert entry is not None and (entry.wikidata, entry.where) == ("Q1993710", "linked.tsv:4")
    _review(tsv, [("baltic-council", "Baltic Council", "IntergovernmentalOrganization",
                   "Q900009 wikidata:wbsearchentities 2024-01-02", "yes")])
    assert accept_rows(tsv, gazetteer_dir) == ["baltic-council"]
    entry = load_gazetteer(gazetteer_dir).get("baltic-council")
    assert entry is not None and entry.where == "linked.tsv:5"


@pytest.mark.parametrize(("row", "message"), [
    (("turkic-union", "Turkic Union", "IntergovernmentalOrganization",
      "Q596850 wikidata:wbsearchentities 2024-01-02", "yes"),
     r"proposals.tsv:3: Q596850 is already the id of organization-of-turkic-states "
     r"\(organizations.tsv:4\)"),
    (("cica", "CICA", "IntergovernmentalOrganization",
      "Q900010 wikidata:wbsearchentities 2024-01-02", "yes"),
     r"proposals.tsv:3: cica already has a gazetteer row \(organizations.tsv:7\)"),
    (("strategic-cooperation-agreement", "Strategic Cooperation Agreement", "Treaty",
      "Q900101 wikidata:wbsearchentities 2024-01-02", "yes"),
     r"proposals.tsv:3: a gazetteer row needs a label, a class of .* not 'Treaty'"),
    (("baltic-council", "Baltic Council", "IntergovernmentalOrganization",
      "Q900009 wikidata:wbsearchentities 2024-01-02", "y"),
     r"proposals.tsv:3: accept must be yes, no or empty, not 'y'"),
])
def test_accept_refuses_a_bad_row_and_writes_nothing(
        gazetteer_dir: Path, tmp_path: Path, row: tuple[str, str, str, str, str],
        message: str) -> None:
    good = ("turkic-council", "Turkic Council", "IntergovernmentalOrganization",
            "Q596850 gazetteer:organization-of-turkic-states", "yes")
    tsv = _review(tmp_path / "proposals.tsv", [good, row])
    with pytest.raises(DataFileError, match=message):
        accept_rows(tsv, gazetteer_dir)
    assert not (gazetteer_dir / "linked.tsv").exists()


def test_accept_refuses_one_id_for_two_new_entities(gazetteer_dir: Path, tmp_path: Path) -> None:
    tsv = _review(tmp_path / "proposals.tsv", [
        ("baltic-council", "Baltic Council", "IntergovernmentalOrganization",
         "Q900009 wikidata:wbsearchentities 2024-01-02", "yes"),
        ("baltic-sea-council", "Baltic Sea Council", "IntergovernmentalOrganization",
         "Q900009 wikidata:wbsearchentities 2024-01-02", "yes")])
    with pytest.raises(DataFileError, match=r"Q900009 is already the id of baltic-council "
                                            r"\(linked.tsv:3\)"):
        accept_rows(tsv, gazetteer_dir)
