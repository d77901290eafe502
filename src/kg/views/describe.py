"""What the dataset says about one IRI: stated facts with their sentences, and inferred ones.

Entity pages and Linked Data descriptions both start here. A fact is *stated* when some graph
other than the inferred one holds it; a stated fact from a fact graph carries the sentence it
was extracted from and the mentions in that sentence, so a page can highlight them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from hashlib import sha1

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from kg.dataset.reader import Reader, Row
from kg.errors import NotFound
from kg.iris import Iris
from kg.views.reads import Terms, sayable, select
from kg.vocab import DCTERMS, DK, ITSRDF, OWL, PROV, RDF, RDFS, SKOS, WD

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
    """Descriptions read from the store, a few queries per description: nothing about the
    whole dataset is held here, so a page costs what it shows."""

    def __init__(self, reader: Reader, iris: Iris):
        self.reader = reader
        self.iris = iris
        self.inferred_name = iris.graph("inferred")
        self.provenance_name = iris.graph("provenance")

    def _select(self, name: str, **terms: Node | Terms) -> list[Row]:
        return select(self.reader, name, provenance=self.provenance_name, **terms)

    def describe(self, iri: URIRef) -> Description:
        """Everything about the IRI; NotFound if no graph mentions it and it names no graph."""
        out = Description(iri)
        if not sayable(iri):
            raise NotFound(f"nothing in the dataset is about <{iri}>")
        stated: dict[Triple, list[str]] = {}
        inferred: set[Triple] = set()
        mentions: set[Node] = set()
        for s, p, o, g in self._select("describe-quads", iri=iri):
            name = URIRef(str(g))
            triple = (s, p, o)
            if p == ITSRDF.taIdentRef and o == iri:
                mentions.add(s)
            elif name == self.inferred_name:
                inferred.add(triple)
            else:
                stated.setdefault(triple, []).append(str(name))
        out.graph_size = int(str(self._select("graph-size", graph=iri)[0][0]))
        by_graph = self._fact_graphs({URIRef(g) for names in stated.values() for g in names})
        in_sentences = {sentence for _, sentence in self._select(
            "mention-sentences", phrases=mentions)} if mentions else set()
        sentences = self.sentences({s for s, _ in by_graph.values()} | in_sentences)
        facts = [self._fact(t, tuple(sorted(g)), by_graph, sentences)
                 for t, g in sorted(stated.items())]
        out.stated = sorted(facts, key=lambda f: not f.sentences)  # extracted ones first
        out.inferred = [Fact(t, ()) for t in sorted(inferred - set(stated))
                        if not _trivial(t)]
        found = (sentences.get(s) for s in in_sentences if isinstance(s, URIRef))
        out.mentioned_in = sorted((s for s in found if s), key=lambda s: (s.document, s.start))
        if not out.found:
            raise NotFound(f"nothing in the dataset is about <{iri}>")
        self._summary(out, stated, inferred)
        return out

    def sentence(self, iri: URIRef) -> Sentence | None:
        return self.sentences({iri}).get(iri)

    def sentences(self, iris: set[Node]) -> dict[Node, Sentence]:
        """Sentences by IRI, each with the mentions inside it (two queries for them all)."""
        if not iris:
            return {}
        mentions: dict[Node, list[tuple[int, int, str]]] = {}
        for sentence, begin, end, entity in self._select("sentence-mentions", sentences=iris):
            mentions.setdefault(sentence, []).append((as_int(begin), as_int(end), str(entity)))
        out: dict[Node, Sentence] = {}
        for iri, text, start, document in self._select("sentences", sentences=iris):
            if iri in out:
                continue
            offset = as_int(start)
            inside = tuple(SentenceMention(b - offset, e - offset, entity)
                           for b, e, entity in sorted(mentions.get(iri, ())))
            out[iri] = Sentence(str(iri), str(text), str(document or ""), offset, inside)
        return out

    def _fact_graphs(self, names: set[URIRef]) -> dict[Node, tuple[Node, Node | None]]:
        """The sentence and the pattern of each fact graph among the names."""
        found: dict[Node, tuple[Node, Node | None]] = {}
        for name, sentence, pattern in self._select("fact-graphs", graphs=names) if names else []:
            found.setdefault(name, (sentence, pattern))
        return found

    @staticmethod
    def _fact(triple: Triple, graphs: tuple[str, ...],
              by_graph: dict[Node, tuple[Node, Node | None]],
              sentences: dict[Node, Sentence]) -> Fact:
        found, patterns = [], []
        for name in graphs:
            sentence_iri, pattern = by_graph.get(URIRef(name), (None, None))
            if isinstance(sentence_iri, URIRef):
                sentence = sentences.get(sentence_iri)
                if sentence is not None and sentence not in found:
                    found.append(sentence)
                if pattern is not None:
                    patterns.append(str(pattern))
        return Fact(triple, graphs, tuple(found), tuple(sorted(set(patterns))))

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

    def labels(self, terms: Iterable[Node] = ()) -> Labels:
        """The labels of the terms a page shows, asked for together."""
        return Labels(self.reader, terms)

    def provenance_of(self, subjects: Iterable[Node]) -> list[Triple]:
        """What the provenance graph says about the subjects."""
        return self._select("provenance-of", subjects=subjects)

    def mentions_of(self, iri: URIRef) -> list[Triple]:
        """What the provenance graph says about each mention of the IRI."""
        return self._select("mentions-of", iri=iri)


class Labels:
    """Resources' rdfs:labels (English or plain first, then the smallest: stable), looked up
    like a dict by the templates. The terms a page shows are asked for in one query; a term
    looked up that was not among them is asked for alone."""

    def __init__(self, reader: Reader, terms: Iterable[Node] = ()):
        self._reader = reader
        self._asked: set[Node] = set()
        self._found: dict[Node, str] = {}
        self.add(terms)

    def add(self, terms: Iterable[Node]) -> None:
        wanted = {t for t in terms if isinstance(t, URIRef) and t not in self._asked}
        if not wanted:
            return
        self._asked |= wanted
        found: dict[Node, list[tuple[bool, str]]] = {}
        for term, label in select(self._reader, "labels", terms=wanted):
            if isinstance(label, Literal):
                found.setdefault(term, []).append(
                    (label.language not in (None, "en"), str(label)))
        self._found.update({term: min(values)[1] for term, values in found.items()})

    def get(self, term: Node, default: str | None = None) -> str | None:
        if isinstance(term, URIRef) and term not in self._asked:
            self.add([term])
        return self._found.get(term, default)


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
    cited: set[Node] = set()
    for fact in description.stated:
        for name in fact.graphs:
            out.graph(URIRef(name)).add(fact.triple)
            cited.add(URIRef(name))
        cited.update(URIRef(sentence.iri) for sentence in fact.sentences)
    for triple in describer.provenance_of(cited) if cited else []:
        provenance.add(triple)
    inferred = out.graph(describer.inferred_name)
    for fact in description.inferred:
        inferred.add(fact.triple)
    for triple in describer.mentions_of(description.iri):
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
