"""Stable IRIs under one base IRI: the same key always gives the same IRI.

Nothing here is random: entities by gazetteer key or slug, minted nodes by class and key
parts, sentences and mentions by NIF character offsets (RFC 5147 style '#char=b,e').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from rdflib import URIRef


# What minting needs of extraction's records (kg.extract.model), stated here so that this
# bottom-floor module imports nothing above it.
class EntityRef(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def is_concept(self) -> bool: ...


class NodeRef(Protocol):
    @property
    def cls(self) -> str: ...
    @property
    def key(self) -> tuple[str, ...]: ...


class DocumentRef(Protocol):
    @property
    def source_id(self) -> str: ...


class Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


GRAPH_NAMES = ("ontology", "entities", "links", "provenance", "inferred")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


@dataclass(frozen=True)
class Iris:
    """Mints every IRI of the dataset from the base IRI."""

    base: str

    def entity(self, ref: EntityRef) -> URIRef:
        return URIRef(ref.key) if ref.is_concept else URIRef(f"{self.entity_space()}{ref.key}")

    def entity_key(self, key: str) -> URIRef:
        return URIRef(f"{self.entity_space()}{key}")

    def entity_space(self) -> str:
        """The namespace of every entity and minted node: nobody else spells base + 'id/'."""
        return f"{self.base}id/"

    def node(self, ref: NodeRef) -> URIRef:
        kind = _CAMEL.sub("-", ref.cls).lower()
        return URIRef(f"{self.entity_space()}{kind}/{'_'.join(ref.key)}")

    def document(self, ref: DocumentRef | str) -> URIRef:
        source_id = ref if isinstance(ref, str) else ref.source_id
        return URIRef(f"{self.base}source/{source_id}")

    def text_span(self, source_id: str, span: Span) -> URIRef:
        return URIRef(f"{self.base}source/{source_id}#char={span.start},{span.end}")

    def claim(self, source_id: str, field: str) -> URIRef:
        return URIRef(f"{self.base}source/{source_id}/metadata/{field}")

    def graph(self, name: str) -> URIRef:
        if name not in GRAPH_NAMES:
            raise ValueError(f"unknown graph {name!r}")
        return URIRef(f"{self.base}graph/{name}")

    def fact_graph(self, source_id: str, sentence: Span, pattern_id: str) -> URIRef:
        return URIRef(f"{self.base}graph/fact/{source_id}/{sentence.start}-{sentence.end}/"
                      f"{pattern_id}")

    def fact_graph_prefix(self) -> str:
        return f"{self.base}graph/fact/"

    def pattern(self, pattern_id: str) -> URIRef:
        return URIRef(f"{self.base}pattern/{pattern_id}")

    def skolem(self, label: str) -> URIRef:
        return URIRef(f"{self.base}.well-known/genid/{label}")

    def gazetteer_entry(self, key: str) -> URIRef:
        return URIRef(f"{self.base}gazetteer/{key}")
