"""The entities one hop from an IRI, for the small picture on its page.

Edges come from the description's facts through our own properties (dk:), to resources we
mint under id/: types, sameAs copies and Wikidata-aligned duplicates would only add noise.
Stated edges win over inferred ones between the same two nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.views.describe import Describer, Description, Labels
from kg.views.reads import select
from kg.vocab import DK

MAX_NEIGHBOURS = 16


@dataclass(frozen=True)
class Edge:
    other: str
    other_label: str
    other_kind: str          # local name of the most telling dk: class, or ""
    properties: tuple[str, ...]
    outgoing: bool
    inferred: bool


def neighbourhood(description: Description, describer: Describer, labels: Labels,
                  limit: int = MAX_NEIGHBOURS) -> list[Edge]:
    """At most ``limit`` neighbours: named entities before minted nodes (a membership node
    says less than the organisation it leads to), stated before inferred, then by label."""
    own = describer.iris.entity_space()
    found: dict[str, dict] = {}
    for fact in [*description.stated, *description.inferred]:
        s, p, o = fact.triple
        outgoing = s == description.iri
        other = o if outgoing else s
        if (not isinstance(other, URIRef) or other == description.iri
                or not str(other).startswith(own) or not str(p).startswith(str(DK))):
            continue
        entry = found.setdefault(str(other), {"out": [], "in": [], "inferred": True})
        name = labels.get(p) or str(p)[len(str(DK)):]
        side = entry["out" if outgoing else "in"]
        if name not in side:
            side.append(name)
        entry["inferred"] = entry["inferred"] and fact.inferred
    # One node per neighbour: its outgoing properties name the edge (an inverse only repeats
    # them), the incoming ones when there are none.
    labels.add(URIRef(other) for other in found)
    kinds = _kinds(describer, [URIRef(other) for other in found])
    edges = [Edge(other, labels.get(URIRef(other)) or other.rsplit("/", 1)[-1],
                  kinds.get(other, ""),
                  tuple(sorted(entry["out"] or entry["in"])), bool(entry["out"]),
                  entry["inferred"])
             for other, entry in found.items()]
    edges.sort(key=lambda e: ("/" in e.other[len(own):], e.inferred, e.other_label.casefold(),
                              e.other, not e.outgoing))
    return edges[:limit]


def _kinds(describer: Describer, nodes: list[URIRef]) -> dict[str, str]:
    """A stated dk: type of each node (inferred ones are its superclasses: less telling)."""
    types: dict[str, list[str]] = {}
    found = select(describer.reader, "stated-types", nodes=nodes,
                   inferred=describer.inferred_name) if nodes else []
    for node, kind in found:
        if str(kind).startswith(str(DK)):
            types.setdefault(str(node), []).append(str(kind)[len(str(DK)):])
    return {node: min(kinds) for node, kinds in types.items()}
