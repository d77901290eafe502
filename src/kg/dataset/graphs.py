"""The dataset's graphs by role: what reasoning starts from, and what a short name stands for.

Apart from assemble.py so that commands reading a built dataset (export, validate, explain,
the server) never import the extraction stack (spaCy) that assembling needs.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Graph, URIRef

from kg.iris import Iris


def stated_graphs(dataset: Dataset, iris: Iris, links: bool = True) -> list[Graph]:
    """The graphs reasoning starts from: all but provenance and the inferred graph itself."""
    skip = {str(iris.graph("provenance")), str(iris.graph("inferred"))}
    if not links:
        skip.add(str(iris.graph("links")))
    return [g for g in dataset.graphs() if str(g.identifier) not in skip]


def graph_name(names: Iterable[str], iris: Iris, name: str) -> list[URIRef]:
    """The graph IRIs a short name stands for: a GRAPH_NAMES entry, 'facts' (among the
    dataset's graph ``names``), or a full IRI."""
    if name == "facts":
        prefix = iris.fact_graph_prefix()
        return sorted(URIRef(g) for g in names if g.startswith(prefix))
    if name.startswith(("http://", "https://")):
        return [URIRef(name)]
    return [iris.graph(name)]
