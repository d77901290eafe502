"""The ontology as a resource: load its Turtle files, expand classes, list its concepts.

Extraction patterns name ontology classes (``ent = "Place"``); expanding a class to its
subclasses here keeps the patterns and the ontology from drifting apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.errors import DataFileError
from kg.vocab import DK

# Entity kinds extraction uses that are not ontology classes.
PSEUDO_CLASSES = ("Date", "Demonym")
CONCEPT_CLASSES = ("CooperationField", "PostKind")


@dataclass(frozen=True)
class Concept:
    """An ontology concept a word names, e.g. dk:education named by 'education'."""

    iri: str
    cls: str
    names: tuple[str, ...]


class Ontology:
    """The parsed ontology graph with the lookups extraction needs."""

    def __init__(self, graph: Graph):
        self.graph = graph

    @classmethod
    def load(cls, folder: Path) -> Ontology:
        files = sorted(p for p in folder.glob("*.ttl") if p.name != "shapes.ttl")
        if not files:
            raise DataFileError(f"no ontology files (*.ttl) in {folder}")
        graph = Graph()
        for path in files:
            try:
                graph.parse(path, format="turtle")
            except Exception as exc:  # rdflib raises many parser exception types
                raise DataFileError(f"{path.name}: {exc}") from exc
        return cls(graph)

    @cached_property
    def classes(self) -> set[str]:
        return {str(c)[len(str(DK)):] for c in self.graph.subjects(RDF.type, OWL.Class)
                if str(c).startswith(str(DK))}

    def expand_class(self, name: str) -> list[str]:
        """The class and all its subclasses (local names); DataFileError if unknown."""
        if name in PSEUDO_CLASSES:
            return [name]
        if name not in self.classes:
            raise DataFileError(f"unknown ontology class {name!r}")
        found = {name}
        frontier = [DK[name]]
        while frontier:
            for sub in self.graph.subjects(RDFS.subClassOf, frontier.pop()):
                local = str(sub)[len(str(DK)):]
                if isinstance(sub, URIRef) and str(sub).startswith(str(DK)) and local not in found:
                    found.add(local)
                    frontier.append(sub)
        return sorted(found)

    def concepts(self) -> list[Concept]:
        """Concepts that words in a text name directly (fields of cooperation, kinds of post)."""
        out = []
        for cls in CONCEPT_CLASSES:
            for iri in sorted(str(c) for c in self.graph.subjects(RDF.type, DK[cls])):
                concept = URIRef(iri)
                names = [str(self.graph.value(concept, RDFS.label))]
                names += sorted(str(n) for n in self.graph.objects(concept, SKOS.altLabel))
                out.append(Concept(iri, cls, tuple(names)))
        return out
