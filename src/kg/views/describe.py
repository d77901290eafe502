"""What the dataset says about one IRI: stated facts with their sentences, and inferred ones.

Entity pages and Linked Data descriptions both start here. A fact is *stated* when some graph
other than the inferred one holds it; a stated fact from a fact graph carries the sentence it
was extracted from and the mentions in that sentence, so a page can highlight them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from hashlib import sha1

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from kg.errors import NotFound
from kg.iris import Iris
from kg.vocab import DCTERMS, DK, ITSRDF, NIF, OWL, PROV, RDF, RDFS, SKOS, WD

Triple = tuple[Node, Node, Node]
# Closure noise every individual has; a page that listed it would bury the facts.
TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource}


@dataclass(frozen=True)
class SentenceMention:
    """A mention inside a sentence, by offsets relative to the sentence's own text."""

    start: int
    end: int
    entity: str


@dataclass(frozen=True)
class Sentence:
    iri: str
    text: str
    document: str
    start: int
    mentions: tuple[SentenceMention, ...]

    def pieces(self) -> list[tuple[str, SentenceMention | None]]:
        """The text cut at mentions (outermost first), to mark them up without parsing HTML."""
        out: list[tuple[str, SentenceMention | None]] = []
        at = 0
        for mention in sorted(self.mentions, key=lambda m: (m.start, -m.end)):
            if mention.start < at:
                continue  # nested or overlapping: the outer mention is already marked
            out.append((self.text[at:mention.start], None))
            out.append((self.text[mention.start:mention.end], mention))
            at = mention.end
        out.append((self.text[at:], None))
        return [piece for piece in out if piece[0]]


@dataclass(frozen=True)
class Fact:
    triple: Triple
    graphs: tuple[str, ...]
    sentences: tuple[Sentence, ...] = ()
    patterns: tuple[str, ...] = ()

    @property
    def inferred(self) -> bool:
        return not self.graphs

    @property
    def ends(self) -> tuple[str, str]:
        """Subject and object as plain strings (rdflib terms never equal a str)."""
        return str(self.triple[0]), str(self.triple[2])


@dataclass
class Description:
    iri: URIRef
    label: str | None = None
    aliases: list[str] = field(default_factory=list)
    comment: str | None = None
    types: list[URIRef] = field(default_factory=list)
    inferred_types: list[URIRef] = field(default_factory=list)
    wikidata: list[URIRef] = field(default_factory=list)
    stated: list[Fact] = field(default_factory=list)
    inferred: list[Fact] = field(default_factory=list)
    mentioned_in: list[Sentence] = field(default_factory=list)  # sentences naming it
    graph_size: int = 0  # triples in the graph this IRI names, if it names one

    @property
    def key(self) -> str:
        return str(self.iri)

    @property
    def found(self) -> bool:
        return bool(self.stated or self.inferred or self.graph_size or self.mentioned_in)


class Describer:
    """Descriptions over one dataset, with the sentence and mention indexes built once."""

    def __init__(self, dataset: Dataset, iris: Iris):
        self.dataset = dataset
        self.iris = iris
        self.inferred_name = iris.graph("inferred")
        self.provenance = dataset.graph(iris.graph("provenance"))
        self._mentions = self._mentions_by_sentence()
        self.labels = _labels(dataset)

    def describe(self, iri: URIRef) -> Description:
        """Everything about the IRI; NotFound if no graph mentions it and it names no graph."""
        out = Description(iri)
        stated: dict[Triple, list[str]] = {}
        inferred: set[Triple] = set()
        mentions: set[Node] = set()
        for graph in self.dataset.graphs():
            name = URIRef(str(graph.identifier))
            if name == iri:
                out.graph_size = len(graph)
            for triple in [*graph.triples((iri, None, None)), *graph.triples((None, None, iri))]:
                if triple[1] == ITSRDF.taIdentRef and triple[2] == iri:
                    mentions.add(triple[0])
                elif name == self.inferred_name:
                    inferred.add(triple)
                else:
                    stated.setdefault(triple, []).append(str(name))
        facts = [self._fact(t, tuple(sorted(g))) for t, g in sorted(stated.items())]
        out.stated = sorted(facts, key=lambda f: not f.sentences)  # extracted ones first
        out.inferred = [Fact(t, ()) for t in sorted(inferred - set(stated))
                        if not _trivial(t)]
        sentences = {self.provenance.value(m, NIF.sentence) for m in mentions}
        found = (self.sentence(s) for s in sentences if isinstance(s, URIRef))
        out.mentioned_in = sorted((s for s in found if s), key=lambda s: (s.document, s.start))
        if not out.found:
            raise NotFound(f"nothing in the dataset is about <{iri}>")
        self._summary(out, stated, inferred)
        return out

    def sentence(self, iri: URIRef) -> Sentence | None:
        text = self.provenance.value(iri, NIF.anchorOf)
        start = self.provenance.value(iri, NIF.beginIndex)
        context = self.provenance.value(iri, NIF.referenceContext)
        if text is None or start is None:
            return None
        document = self.provenance.value(context, NIF.sourceUrl) if context else None
        offset = as_int(start)
        mentions = tuple(SentenceMention(b - offset, e - offset, entity)
                         for b, e, entity in self._mentions.get(iri, ()))
        return Sentence(str(iri), str(text), str(document or ""), offset, mentions)

    def _fact(self, triple: Triple, graphs: tuple[str, ...]) -> Fact:
        sentences, patterns = [], []
        for name in graphs:
            sentence_iri = self.provenance.value(URIRef(name), DK.sentence)
            if isinstance(sentence_iri, URIRef):
                sentence = self.sentence(sentence_iri)
                if sentence is not None and sentence not in sentences:
                    sentences.append(sentence)
                pattern = self.provenance.value(URIRef(name), PROV.wasGeneratedBy)
                if pattern is not None:
                    patterns.append(str(pattern))
        return Fact(triple, graphs, tuple(sentences), tuple(sorted(set(patterns))))

    def _summary(self, out: Description, stated: dict[Triple, list[str]],
                 inferred: set[Triple]) -> None:
        iri = out.iri
        about = [t for t in stated if t[0] == iri]
        labels = sorted(str(o) for _, p, o in about if p == RDFS.label)
        out.label = labels[0] if labels else None
        out.aliases = sorted({str(o) for _, p, o in about if p == SKOS.altLabel})
        comments = sorted(str(o) for _, p, o in about if p in (RDFS.comment, DCTERMS.description))
        out.comment = comments[0] if comments else None
        skolem = self.iris.skolem("")  # OWL restrictions: classes without a name to show
        out.types = sorted({o for _, p, o in about if p == RDF.type  # type: ignore[misc]
                            and not str(o).startswith(skolem)})
        out.inferred_types = sorted({o for s, p, o in inferred if s == iri and p == RDF.type
                                     and o not in out.types and o not in TRIVIAL_TYPES
                                     and isinstance(o, URIRef)
                                     and not str(o).startswith(skolem)})
        out.wikidata = sorted({o for _, p, o in about if p == OWL.sameAs  # type: ignore[misc]
                               and str(o).startswith(str(WD))})

    def _mentions_by_sentence(self) -> dict[Node, list[tuple[int, int, str]]]:
        found: dict[Node, list[tuple[int, int, str]]] = {}
        for phrase, _, entity in self.provenance.triples((None, ITSRDF.taIdentRef, None)):
            sentence = self.provenance.value(phrase, NIF.sentence)
            begin = self.provenance.value(phrase, NIF.beginIndex)
            end = self.provenance.value(phrase, NIF.endIndex)
            if sentence is None or begin is None or end is None:
                continue
            found.setdefault(sentence, []).append((as_int(begin), as_int(end), str(entity)))
        return {k: sorted(v) for k, v in found.items()}


def _labels(dataset: Dataset) -> dict[Node, str]:
    """Every resource's rdfs:label (English or plain first, then the smallest: stable)."""
    found: dict[Node, list[tuple[bool, str]]] = {}
    for graph in dataset.graphs():
        for s, _, o in graph.triples((None, RDFS.label, None)):
            if isinstance(o, Literal):
                found.setdefault(s, []).append((o.language not in (None, "en"), str(o)))
    return {s: min(values)[1] for s, values in found.items()}


def as_int(value: Node | None) -> int:
    """An offset literal's value (NIF offsets, written as xsd:integer: provenance.offset)."""
    if not isinstance(value, Literal):
        raise ValueError(f"not an integer literal: {value!r}")
    return int(str(value))


def _trivial(triple: Triple) -> bool:
    s, p, o = triple
    return (p == RDF.type and o in TRIVIAL_TYPES) or (p == OWL.sameAs and s == o)


def as_dataset(description: Description, describer: Describer) -> Dataset:
    """The description as RDF: each triple in the graph that holds it, plus its provenance.

    The provenance graph gets what says where each fact graph came from (document, sentence
    with its text and offsets, pattern) and the mentions of the IRI, so a client can cite.
    """
    out = Dataset()
    provenance = out.graph(describer.iris.graph("provenance"))
    for fact in description.stated:
        for name in fact.graphs:
            out.graph(URIRef(name)).add(fact.triple)
            for triple in describer.provenance.triples((URIRef(name), None, None)):
                provenance.add(triple)
        for sentence in fact.sentences:
            for triple in describer.provenance.triples((URIRef(sentence.iri), None, None)):
                provenance.add(triple)
    inferred = out.graph(describer.inferred_name)
    for fact in description.inferred:
        inferred.add(fact.triple)
    for phrase in describer.provenance.subjects(ITSRDF.taIdentRef, description.iri):
        for triple in describer.provenance.triples((phrase, None, None)):
            provenance.add(triple)
    return out


def reified(dataset: Dataset, iris: Iris) -> Dataset:
    """For formats without graphs: each triple also as an rdf:Statement naming its graph.

    Statement nodes are blank nodes with labels hashed from the quad, so the same data give
    the same bytes.
    """
    out = Dataset()
    statements = out.graph(iris.graph("provenance"))
    for graph in dataset.graphs():
        name = URIRef(str(graph.identifier))
        target = out.graph(name)
        for triple in graph:
            target.add(triple)
            if name == iris.graph("provenance"):
                continue
            quad = " ".join(t.n3() for t in (*triple, name))
            node = BNode(f"s{sha1(quad.encode('utf-8')).hexdigest()[:16]}")
            statements.add((node, RDF.type, RDF.Statement))
            statements.add((node, RDF.subject, triple[0]))
            statements.add((node, RDF.predicate, triple[1]))
            statements.add((node, RDF.object, triple[2]))
            statements.add((node, PROV.wasDerivedFrom, name))
            sentence = dataset.graph(iris.graph("provenance")).value(name, DK.sentence)
            if sentence is not None:
                statements.add((node, PROV.wasQuotedFrom, sentence))
    return out
