"""The values extraction produces: entity references, minted nodes and facts.

Extraction knows nothing of the base IRI: it names things by key (gazetteer key, slug of the
text, or ontology IRI for concepts) and graph.py turns keys into IRIs. That keeps the text
stage independent of where the graph is published.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef

from kg.extract.dates import PartialDate


@dataclass(frozen=True, order=True)
class EntityRef:
    """An entity named in a text. ``key`` is a gazetteer key, a slug or a concept IRI."""

    key: str
    cls: str
    label: str
    origin: str = "gazetteer"  # gazetteer | rule | model | concept | context

    @property
    def is_concept(self) -> bool:
        return self.key.startswith(("http://", "https://"))


@dataclass(frozen=True, order=True)
class Placeholder:
    """A phrase whose referent comes from the document, e.g. 'the two countries', 'our'."""

    resolve: str  # "pair" | "speaker-state"
    cls: str


@dataclass(frozen=True, order=True)
class NodeRef:
    """A node a pattern mints (an event, a membership …), identified by class and key parts."""

    cls: str
    key: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True, order=True)
class DocumentRef:
    """The source document itself."""

    source_id: str


@dataclass(frozen=True)
class DateValue:
    """A date or date range found in the text."""

    first: PartialDate
    last: PartialDate
    anchored: bool = False  # read against the document's date ("October 6", "today")

    @property
    def key(self) -> str:
        if self.first == self.last:
            return self.first.iso()
        return f"{self.first.iso()}--{self.last.iso()}"


Term = EntityRef | NodeRef | DocumentRef | URIRef | Literal


@dataclass(frozen=True, order=True)
class Span:
    """A character range of the source text: text[start:end]."""

    start: int
    end: int


def trimmed(text: str, start: int, end: int) -> Span:
    """The span without the white space at its ends (sentences keep none)."""
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    return Span(start + lead, end - trail)


@dataclass(frozen=True)
class Mention:
    """An entity mentioned at a span of a sentence."""

    span: Span
    sentence: Span
    text: str
    entity: EntityRef


@dataclass(frozen=True)
class FactGraph:
    """The facts one pattern drew from one sentence: one named graph in the dataset."""

    sentence: Span
    pattern_id: str
    triples: tuple[tuple[Term, URIRef, Term], ...]
    dated_by_document: bool = False  # a date in it took its year from the document's date
    context: tuple[Span, ...] = ()  # earlier sentences it needs ("the two countries")


@dataclass(frozen=True)
class Extraction:
    """Everything extraction found in one source."""

    source_id: str
    sentences: tuple[Span, ...]
    mentions: tuple[Mention, ...]
    facts: tuple[FactGraph, ...]
