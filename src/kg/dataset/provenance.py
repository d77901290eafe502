"""Provenance: where every fact graph, mention and link comes from (NIF 2.0 + PROV-O).

Each source is a nif:Context holding its full text; each sentence a nif:Sentence whose
begin/end offsets slice exactly its nif:anchorOf from that text; each fact graph says which
sentence and which pattern produced it.
"""

from __future__ import annotations

import re
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.extract.model import Extraction, Span
from kg.inputs.gazetteer import GazetteerEntry
from kg.inputs.patterns import PatternSet
from kg.inputs.sources import Source
from kg.iris import Iris
from kg.vocab import DCTERMS, DK, ITSRDF, NIF, PROV, RDF, RDFS, XSD

# Metadata fields a source's .meta.toml may give, and the property each stands for.
METADATA_PROPERTIES = {
    "title": DCTERMS.title,
    "language": DCTERMS.language,
    "publisher": DCTERMS.publisher,
    "date": DCTERMS.date,
    "author": DCTERMS.creator,
    "interviewee": DCTERMS.contributor,
    "interviewee_post": DK.intervieweePost,
    "source_file": DCTERMS.source,
    "url": DCTERMS.source,
    "retrieved": DK.retrieved,
    "encoding": DK.encoding,
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Triples(Protocol):
    """Where the descriptions go: an rdflib Graph, or a plain set of triples."""

    def add(self, triple: tuple[Node, Node, Node], /) -> object: ...


def describe_source(graph: Triples, iris: Iris, source: Source) -> None:
    """The document, its metadata claims with their status, and its text as a NIF context."""
    doc = iris.document(source.id)
    graph.add((doc, RDF.type, DK[source.kind]))
    graph.add((doc, DCTERMS.identifier, Literal(source.id)))
    graph.add((doc, RDFS.label, Literal(source.meta("title") or source.id)))
    for field, item in source.metadata.items():
        prop = METADATA_PROPERTIES.get(field)
        if prop is None:
            continue
        value = _metadata_literal(item.value)
        claim = iris.claim(source.id, field)
        graph.add((claim, RDF.type, DK.MetadataClaim))
        graph.add((claim, DK.claimAbout, doc))
        graph.add((claim, DK.claimedProperty, prop))
        graph.add((claim, DK.claimedValue, value))
        graph.add((claim, DK.status, DK[item.status]))
        if item.note:
            graph.add((claim, RDFS.comment, Literal(item.note, lang="en")))
        if item.status == "observed":  # only what was seen is stated directly
            graph.add((doc, prop, value))
    context = iris.text_span(source.id, Span(0, len(source.text)))
    graph.add((context, RDF.type, NIF.Context))
    graph.add((context, NIF.isString, Literal(source.text)))
    graph.add((context, NIF.beginIndex, offset(0)))
    graph.add((context, NIF.endIndex, offset(len(source.text))))
    graph.add((context, NIF.sourceUrl, doc))


def offset(value: int) -> Literal:
    """A NIF offset, typed xsd:integer: NIF types offsets xsd:nonNegativeInteger, but Oxigraph
    (the default store) keeps every integer subtype as xsd:integer, so that tag would not
    survive the store and exports would differ by store. The value is the same; the
    constraint that it is not negative is checked by the SHACL shapes (sh:minInclusive 0)."""
    return Literal(value, datatype=XSD.integer)


def _metadata_literal(value: str) -> Literal:
    return Literal(value, datatype=XSD.date) if _ISO_DATE.match(value) else Literal(value)


def describe_text(graph: Triples, iris: Iris, source: Source, extraction: Extraction,
                  entity_iri: dict) -> None:
    """Sentences and mentions as NIF strings anchored in the source text."""
    context = iris.text_span(source.id, Span(0, len(source.text)))
    for sentence in extraction.sentences:
        _nif_string(graph, iris, source, sentence, NIF.Sentence, context)
    for mention in extraction.mentions:
        node = _nif_string(graph, iris, source, mention.span, NIF.Phrase, context)
        graph.add((node, NIF.sentence, iris.text_span(source.id, mention.sentence)))
        graph.add((node, ITSRDF.taIdentRef, entity_iri[mention.entity]))


def _nif_string(graph: Triples, iris: Iris, source: Source, span: Span, kind: URIRef,
                context: URIRef) -> URIRef:
    node = iris.text_span(source.id, span)
    graph.add((node, RDF.type, kind))
    graph.add((node, NIF.anchorOf, Literal(source.text[span.start:span.end])))
    graph.add((node, NIF.beginIndex, offset(span.start)))
    graph.add((node, NIF.endIndex, offset(span.end)))
    graph.add((node, NIF.referenceContext, context))
    return node


def describe_fact_graph(graph: Triples, iris: Iris, source_id: str, sentence: Span,
                        pattern_id: str, dated_by_document: bool = False,
                        context: tuple[Span, ...] = ()) -> URIRef:
    """A fact graph: from which document and sentence, made by which pattern; and whether a
    date in it was read against the document's own date ("on October 6", "today")."""
    name = iris.fact_graph(source_id, sentence, pattern_id)
    if dated_by_document:
        graph.add((name, DK.datedByDocument, Literal(True)))
    for earlier in context:  # "the two countries" named in an earlier sentence
        graph.add((name, DK.contextSentence, iris.text_span(source_id, earlier)))
    graph.add((name, RDF.type, PROV.Entity))
    graph.add((name, PROV.wasDerivedFrom, iris.document(source_id)))
    graph.add((name, DK.sentence, iris.text_span(source_id, sentence)))
    graph.add((name, PROV.wasGeneratedBy, iris.pattern(pattern_id)))
    return name


def describe_patterns(graph: Triples, iris: Iris, patterns: PatternSet, used: set[str]) -> None:
    """The patterns that produced facts, so a fact leads to the rule that made it."""
    for pattern_id, where, example in patterns.described():
        if pattern_id not in used:
            continue
        node = iris.pattern(pattern_id)
        graph.add((node, RDF.type, DK.ExtractionPattern))
        graph.add((node, DK.patternId, Literal(pattern_id)))
        graph.add((node, RDFS.label, Literal(pattern_id)))
        graph.add((node, DCTERMS.source, Literal(f"data/patterns/{where}")))
        if example:
            graph.add((node, RDFS.comment, Literal(f"Example: {example}", lang="en")))


def describe_gazetteer_entry(graph: Triples, iris: Iris, entry: GazetteerEntry) -> None:
    node = iris.gazetteer_entry(entry.key)
    graph.add((node, RDF.type, DK.GazetteerEntry))
    graph.add((node, RDFS.label, Literal(entry.label)))
    graph.add((node, DCTERMS.source, Literal(f"data/gazetteer/{entry.where}")))
    if entry.wikidata:
        graph.add((node, DK.wikidataSource, Literal(entry.wikidata_source)))
