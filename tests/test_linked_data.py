"""Linked Data over HTTP: every IRI we mint dereferences, to a page or to RDF, as asked.

Requests go to the real `kg serve` (the `site` fixture) with curl, as a Linked Data client
or a person at a terminal would send them.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from kg.vocab import DK, ITSRDF, NIF, OWL, PROV, RDF, RDFS, WD

BASE = "https://w3id.org/diplo-kg/"
TURKEY = URIRef(BASE + "id/turkey")
KAZAKHSTAN = URIRef(BASE + "id/kazakhstan")
SOURCE = "turkey-kazakhstan-ulker-interview"
MEDIA = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
         "xml": "application/rdf+xml", "trig": "application/trig", "nq": "application/n-quads"}
pytestmark = pytest.mark.slow  # curl against the shared real server

RDFLIB = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "xml": "xml", "trig": "trig",
          "nq": "nquads"}


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()


def curl(url: str, *headers: str) -> Reply:
    """One GET with the real curl binary: status, headers (lower-case names) and body."""
    found = shutil.which("curl")
    assert found, "curl is missing (.ci/run installs it)"
    command = [found, "-s", "-D", "-", "--max-time", "60", url]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run(command, capture_output=True, check=True, timeout=90).stdout
    head, _, body = output.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return Reply(status, {k.lower(): v for k, v in fields.items()}, body)


def quads(reply: Reply, fmt: str) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(data=reply.body, format=RDFLIB[fmt])
    return dataset


def minted_iris(dataset: Dataset) -> list[str]:
    """Every IRI under the base IRI the dataset uses, fragments cut (they stay in the client)."""
    found = {str(g.identifier) for g in dataset.graphs() if str(g.identifier).startswith(BASE)}
    for graph in dataset.graphs():
        for triple in graph:
            found |= {str(t).split("#")[0] for t in triple if str(t).startswith(BASE)}
    return sorted(found)


def test_a_browser_gets_a_page_and_a_client_gets_turtle(site: str) -> None:
    page = curl(f"{site}/id/turkey", "Accept: text/html,application/xhtml+xml,*/*;q=0.8")
    assert page.status == 200 and page.media_type == "text/html"
    assert page.headers["vary"] == "Accept"
    assert b"<h1>Turkey</h1>" in page.body
    data = curl(f"{site}/id/turkey", "Accept: text/turtle")
    assert data.status == 200 and data.media_type == "text/turtle"
    assert data.headers["vary"] == "Accept"
    graph = Graph().parse(data=data.body, format="turtle")
    assert (TURKEY, OWL.sameAs, WD.Q43) in graph


def test_curl_without_accept_gets_data_not_markup(site: str) -> None:
    reply = curl(f"{site}/id/kazakhstan")
    assert reply.status == 200 and reply.media_type == "text/turtle"


@pytest.mark.parametrize("fmt", sorted(MEDIA))
def test_every_rdf_format_by_accept_and_by_format_parameter(site: str, fmt: str) -> None:
    by_accept = curl(f"{site}/id/kazakhstan", f"Accept: {MEDIA[fmt]}")
    by_param = curl(f"{site}/id/kazakhstan?format={fmt}", "Accept: text/html")
    for reply in (by_accept, by_param):
        assert reply.status == 200 and reply.media_type == MEDIA[fmt]
    assert by_accept.body == by_param.body
    dataset = quads(by_accept, fmt)
    assert (KAZAKHSTAN, RDFS.label, Literal("Kazakhstan", lang="en")) in dataset


def test_quad_formats_keep_each_fact_in_its_graph_with_provenance(site: str) -> None:
    dataset = quads(curl(f"{site}/id/turkey?format=trig"), "trig")
    fact = (TURKEY, DK.hasDiplomaticRelationWith, KAZAKHSTAN)
    holding = [g.identifier for g in dataset.graphs() if fact in g]
    assert holding and all(str(g).startswith(BASE + "graph/fact/") for g in holding)
    provenance = dataset.graph(URIRef(BASE + "graph/provenance"))
    sentence = provenance.value(holding[0], DK.sentence)
    assert "diplomatic relations between Turkey and Kazakhstan" in str(
        provenance.value(sentence, NIF.anchorOf))
    assert provenance.value(holding[0], PROV.wasDerivedFrom) == URIRef(BASE + "source/" + SOURCE)
    mentions = set(provenance.subjects(ITSRDF.taIdentRef, TURKEY))
    assert mentions, "the mentions of Turkey in the text are part of its description"
    inferred = dataset.graph(URIRef(BASE + "graph/inferred"))
    assert (KAZAKHSTAN, DK.hasDiplomaticRelationWith, TURKEY) in inferred


def test_triple_formats_say_per_triple_where_it_came_from(site: str) -> None:
    graph = Graph().parse(data=curl(f"{site}/id/turkey?format=ttl").body, format="turtle")
    fact = (TURKEY, DK.hasDiplomaticRelationWith, KAZAKHSTAN)
    statements = [s for s in graph.subjects(RDF.subject, TURKEY)
                  if graph.value(s, RDF.predicate) == fact[1] and graph.value(s, RDF.object)
                  == fact[2]]
    assert statements
    assert any(str(graph.value(s, PROV.wasDerivedFrom)).startswith(BASE + "graph/fact/")
               for s in statements)
    assert any(graph.value(s, PROV.wasQuotedFrom) is not None for s in statements)


def test_the_description_is_the_same_bytes_each_time(site: str) -> None:
    first = curl(f"{site}/id/turkey?format=ttl").body
    assert first == curl(f"{site}/id/turkey?format=ttl").body


def test_link_header_lists_the_alternates(site: str) -> None:
    links = curl(f"{site}/id/turkey", "Accept: text/html").headers["link"]
    for fmt, media in MEDIA.items():
        assert f'</id/turkey?format={fmt}>; rel="alternate"; type="{media}"' in links


def test_unknown_iri_is_404_page_for_people_and_problem_for_programs(site: str) -> None:
    page = curl(f"{site}/id/atlantis", "Accept: text/html")
    assert page.status == 404 and page.media_type == "text/html"
    assert b"atlantis" in page.body
    data = curl(f"{site}/id/atlantis", "Accept: text/turtle")
    assert data.status == 404 and data.media_type == "application/problem+json"


def test_unsupported_format_is_406(site: str) -> None:
    reply = curl(f"{site}/id/turkey", "Accept: image/png")
    assert reply.status == 406


def test_every_minted_iri_dereferences(site: str, built: tuple[Dataset, object]) -> None:
    iris = minted_iris(built[0])  # the dataset the site serves: the same sources, built here
    assert len(iris) > 100
    failed = []
    for iri in iris:
        path = "/" + iri[len(BASE):]
        for accept in ("text/html", "application/n-triples"):
            reply = curl(site + path, f"Accept: {accept}")
            if reply.status != 200 or reply.media_type != accept:
                failed.append((path, accept, reply.status))
    assert not failed


def test_source_document_serves_rdf_too(site: str) -> None:
    reply = curl(f"{site}/source/{SOURCE}", "Accept: application/n-triples")
    graph = Graph().parse(data=reply.body, format="nt")
    assert (URIRef(BASE + "source/" + SOURCE), RDF.type, DK.Interview) in graph


def test_ontology_terms_have_anchors_and_rdf(site: str) -> None:
    page = curl(f"{site}/ontology", "Accept: text/html")
    assert b'id="State"' in page.body and b'id="hasDiplomaticRelationWith"' in page.body
    graph = Graph().parse(data=curl(f"{site}/ontology").body, format="turtle")
    assert (DK.State, RDF.type, OWL.Class) in graph
