"""The format table: every name it accepts leads to one format, and every RDF format round-trips."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Literal, URIRef

from kg.errors import InputError, NotAcceptable
from kg.formats import (
    RDF_FORMATS,
    RESULT_FORMATS,
    Format,
    RdfFormat,
    from_extension,
    from_media_type,
    media_types,
    rdf_format,
    requested,
    result_format,
)

FAMILIES = pytest.mark.parametrize("family", [RDF_FORMATS, RESULT_FORMATS], ids=["rdf", "results"])
EX = "http://example.org/"
TRIPLE = (URIRef(EX + "turkey"), URIRef(EX + "label"), Literal("Türkiye", lang="en"))


@FAMILIES
def test_names_media_types_extensions_and_aliases_are_unique_per_family(
        family: tuple[Format, ...]) -> None:
    for field in ("name", "media_type", "extension", "title", "iri"):
        values = [getattr(fmt, field) for fmt in family]
        assert len(set(values)) == len(values), field
    every = [word for fmt in family for word in (fmt.name, fmt.media_type, *fmt.aliases)]
    assert len(set(every)) == len(every)


@FAMILIES
def test_every_name_alias_and_media_type_resolves(family: tuple[Format, ...]) -> None:
    for fmt in family:
        for word in (fmt.name, fmt.media_type, *fmt.aliases):
            assert requested(word, family) is fmt
            assert requested(f"  {word.upper()} ", family) is fmt
        for media in (fmt.media_type, *(a for a in fmt.aliases if "/" in a)):
            assert from_media_type(f"{media.upper()}; charset=utf-8", family) is fmt
        assert from_extension(fmt.extension, family) is fmt


@FAMILIES
def test_the_server_offers_canonical_media_types_first(family: tuple[Format, ...]) -> None:
    offers = media_types(family)
    assert offers[: len(family)] == [fmt.media_type for fmt in family]
    assert all(from_media_type(offer, family) for offer in offers)


def test_order_of_preference() -> None:
    assert [f.name for f in RDF_FORMATS] == ["ttl", "jsonld", "nt", "xml", "trig", "nq"]
    assert [f.name for f in RESULT_FORMATS] == ["json", "xml", "csv", "tsv"]


def test_lookup_by_short_name_takes_no_aliases() -> None:
    assert rdf_format("nq").quads and not rdf_format("nt").quads
    assert result_format("xml").media_type == "application/sparql-results+xml"
    for lookup, word in ((rdf_format, "turtle"), (rdf_format, "csv"), (result_format, "ttl")):
        with pytest.raises(InputError, match="unknown format"):
            lookup(word)


def test_what_no_format_names_is_not_acceptable() -> None:
    with pytest.raises(NotAcceptable, match="cannot carry an RDF graph; one of ttl, jsonld"):
        requested("csv", RDF_FORMATS)
    with pytest.raises(NotAcceptable, match="cannot carry a SELECT/ASK result"):
        requested("text/turtle", RESULT_FORMATS)
    assert from_media_type("turtle", RDF_FORMATS) is None  # a name, not a media type
    assert from_media_type("text/html", RDF_FORMATS) is None
    assert from_extension("html", RDF_FORMATS) is None


def test_the_same_word_means_one_thing_per_family() -> None:
    assert requested("xml", RDF_FORMATS).media_type == "application/rdf+xml"
    assert requested("xml", RESULT_FORMATS).media_type == "application/sparql-results+xml"
    assert requested("json", RDF_FORMATS).name == "jsonld"
    assert requested("application/json", RESULT_FORMATS).name == "json"


def test_service_description_iris_are_w3c_format_iris() -> None:
    for fmt in (*RDF_FORMATS, *RESULT_FORMATS):
        assert fmt.iri.startswith("http://www.w3.org/ns/formats/")
    assert rdf_format("xml").iri.endswith("/RDF_XML")


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_every_rdf_format_round_trips_through_rdflib(fmt: RdfFormat) -> None:
    dataset = Dataset()
    graph = dataset.graph(URIRef(EX + "graph")) if fmt.quads else dataset.default_graph
    graph.add(TRIPLE)
    data = (dataset if fmt.quads else graph).serialize(format=fmt.rdflib_name, encoding="utf-8")
    back = Dataset()
    back.parse(data=data, format=fmt.rdflib_name)
    holding = {str(g.identifier) for g in back.graphs() if TRIPLE in g}
    assert EX + "graph" in holding if fmt.quads else holding
