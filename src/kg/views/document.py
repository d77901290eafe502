"""A source document as the dataset records it: its text, sentences, mentions and the facts
drawn from each sentence, read back from the provenance graph (NIF offsets) alone.

The source view is rebuilt from the graph rather than from data/sources/, so what a reader
sees is exactly what a SPARQL client can cite.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.dataset.reader import Reader
from kg.errors import NotFound
from kg.iris import Iris
from kg.views.describe import as_int
from kg.views.reads import sayable, select
from kg.vocab import DK, ITSRDF, NIF, PROV, RDF, RDFS

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class SentenceFacts:
    start: int
    end: int
    iri: str
    facts: tuple[tuple[str, Triple], ...]  # (pattern IRI, triple)

    @property
    def anchor(self) -> str:
        """The HTML id: the sentence IRI's own fragment, so `…#char=b,e` lands on it."""
        return self.iri.rsplit("#", 1)[-1]


@dataclass(frozen=True)
class Segment:
    """A stretch of one paragraph: plain text, or a mention linked to its entity."""

    text: str
    entity: str | None = None


@dataclass
class Document:
    iri: str
    source_id: str
    title: str
    text: str
    metadata: list[tuple[str, str, str]] = field(default_factory=list)  # property, value, status
    sentences: list[SentenceFacts] = field(default_factory=list)
    mentions: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def fact_count(self) -> int:
        return sum(len(s.facts) for s in self.sentences)

    def paragraphs(self) -> list[list[tuple[SentenceFacts | None, list[Segment]]]]:
        """Paragraphs, each a run of (sentence or None, segments), cut at line breaks."""
        out = []
        at = 0
        for line in self.text.split("\n"):
            start, end = at, at + len(line)
            at = end + 1
            if line.strip():
                out.append(self._runs(start, end))
        return out

    def _runs(self, start: int, end: int) -> list[tuple[SentenceFacts | None, list[Segment]]]:
        cuts = {start, end}
        for sentence in self.sentences:
            cuts |= {min(max(sentence.start, start), end), min(max(sentence.end, start), end)}
        runs: list[tuple[SentenceFacts | None, list[Segment]]] = []
        points = sorted(cuts)
        for begin, finish in zip(points, points[1:], strict=False):
            within = next((s for s in self.sentences if s.start <= begin and finish <= s.end),
                          None)
            runs.append((within, self._segments(begin, finish)))
        return runs

    def _segments(self, start: int, end: int) -> list[Segment]:
        out, at = [], start
        for begin, finish, entity in self.mentions:
            if begin < at or finish > end or begin < start:
                continue  # outside this stretch, or inside a mention already linked
            out.append(Segment(self.text[at:begin]))
            out.append(Segment(self.text[begin:finish], entity))
            at = finish
        out.append(Segment(self.text[at:end]))
        return [s for s in out if s.text]


def source_ids(reader: Reader, iris: Iris) -> list[tuple[str, str]]:
    """(id, title) of every source the dataset holds text for, by id."""
    found: dict[Node, tuple[str, str]] = {}
    for document, identifier, title in select(reader, "sources",
                                              provenance=iris.graph("provenance")):
        found.setdefault(document, (str(identifier), str(title or identifier)))
    return sorted(set(found.values()))


def read_document(reader: Reader, iris: Iris, source_id: str) -> Document:
    iri = iris.document(source_id)
    if not sayable(iri):
        raise NotFound(f"no source {source_id!r} in the dataset")
    provenance = Graph()  # the part of the provenance graph about this document
    for triple in select(reader, "document", document=iri, provenance=iris.graph("provenance")):
        provenance.add(triple)
    context = provenance.value(predicate=NIF.sourceUrl, object=iri)
    text = provenance.value(context, NIF.isString) if context is not None else None
    if text is None:
        raise NotFound(f"no source {source_id!r} in the dataset")
    title = provenance.value(iri, RDFS.label) or source_id
    document = Document(str(iri), source_id, str(title), str(text))
    document.metadata = _metadata(provenance, iri)
    facts = _facts_by_sentence(reader, provenance, iri)
    for sentence in provenance.subjects(NIF.referenceContext, context):
        if (sentence, RDF.type, NIF.Sentence) not in provenance:
            continue  # a mention: it shares the context
        begin = as_int(provenance.value(sentence, NIF.beginIndex))
        end = as_int(provenance.value(sentence, NIF.endIndex))
        document.sentences.append(SentenceFacts(begin, end, str(sentence),
                                                tuple(sorted(facts.get(sentence, [])))))
    document.sentences.sort(key=lambda s: (s.start, s.end))
    for phrase, _, entity in provenance.triples((None, ITSRDF.taIdentRef, None)):
        context_of = provenance.value(phrase, NIF.referenceContext)
        if context_of == context:
            begin = as_int(provenance.value(phrase, NIF.beginIndex))
            end = as_int(provenance.value(phrase, NIF.endIndex))
            document.mentions.append((begin, end, str(entity)))
    document.mentions.sort(key=lambda m: (m[0], -m[1], m[2]))
    return document


def _metadata(provenance: Graph, iri: URIRef) -> list[tuple[str, str, str]]:
    rows = []
    for claim in provenance.subjects(DK.claimAbout, iri):
        prop = provenance.value(claim, DK.claimedProperty)
        value = provenance.value(claim, DK.claimedValue)
        status = provenance.value(claim, DK.status)
        rows.append((str(prop), str(value) if isinstance(value, Literal) else str(value),
                     str(status).rsplit("#", 1)[-1]))
    return sorted(rows)


def _facts_by_sentence(reader: Reader, provenance: Graph,
                       document: URIRef) -> dict[Node, list[tuple[str, Triple]]]:
    names = {name for name in provenance.subjects(PROV.wasDerivedFrom, document)
             if isinstance(name, URIRef) and provenance.value(name, DK.sentence) is not None}
    found: dict[Node, list[tuple[str, Triple]]] = {}
    for name, s, p, o in select(reader, "graph-triples", graphs=names) if names else []:
        sentence = provenance.value(name, DK.sentence)
        if sentence is None:
            continue
        pattern = str(provenance.value(name, PROV.wasGeneratedBy) or "")
        found.setdefault(sentence, []).append((pattern, (s, p, o)))
    return found
