"""The read models' questions to the store: one SPARQL file each in views/queries/, with
``$name`` placeholders that are filled with terms written in N-Triples syntax, so a term from
a request (an IRI in a path) can never change the query around it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from string import Template

from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node, _is_valid_uri

from kg.dataset.reader import Reader, Row

Terms = Iterable[Node]


def select(reader: Reader, name: str, **terms: Node | Terms) -> list[Row]:
    """The rows of views/queries/<name>.rq with its placeholders filled.

    A single term fills ``$name``; a collection fills a VALUES block, blank nodes left out
    (a query cannot name one: blank node labels are the store's own). ``$default`` is the
    name a row gives the store's unnamed graph, rdflib's, as the pages always showed it;
    ``$unnamed`` turns the branch that reads that graph off on a store without one.
    """
    return reader.select(_template(name).substitute(
        {"default": DATASET_DEFAULT_GRAPH_ID.n3(),
         "unnamed": "" if reader.unnamed_graph else "FILTER(false)",
         **{key: _written(value) for key, value in terms.items()}}))


def sayable(term: Node) -> bool:
    """Whether a query can name the term: no blank node, no IRI that N-Triples cannot write."""
    return not isinstance(term, BNode) and (not isinstance(term, URIRef)
                                            or _is_valid_uri(term))


def _written(value: Node | Terms) -> str:
    if isinstance(value, (URIRef, Literal)):
        if not sayable(value):
            raise ValueError(f"cannot write {value!r} in a query")
        return value.n3()
    if isinstance(value, Node):
        raise ValueError(f"cannot write {value!r} in a query")
    return " ".join(sorted({term.n3() for term in value if sayable(term)}))


@cache
def _template(name: str) -> Template:
    return Template((files("kg.views") / "queries" / f"{name}.rq").read_text(encoding="utf-8"))
