"""Reading data as rows of a SPARQL SELECT: the one way the read models (pages, search,
timeline, VoID) reach the data, whatever store holds it.

A store answers ``select`` with its own engine (Oxigraph's in its workers, rdflib's on its
snapshot), so a page costs the rows it asks for, never a copy of the whole dataset in the web
process. ``DatasetReader`` reads an rdflib Dataset the same way, for commands and tests that
hold one already.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

_STRING = "http://www.w3.org/2001/XMLSchema#string"
# One value per projected variable, in the query's order: an rdflib term, or None where the
# variable is unbound. Typed Any: which term a column holds is the query's to say.
Row = tuple[Any, ...]
# (query text, the dataset's prefixes as sorted pairs) -> a query rdflib runs (a prepared one)
Prepare = Callable[[str, tuple[tuple[str, str], ...]], Any]


class Reader(Protocol):
    # Whether the store has a default graph of its own beside the named graphs; on a remote
    # SPARQL server the default graph is the union, and nothing is in it alone.
    unnamed_graph: bool

    def select(self, text: str) -> list[Row]:
        """The rows of a SELECT query. Unlike a client's query, whose default graph is the
        union of all graphs, its default graph is the store's own unnamed graph (where an
        update without GRAPH writes), so a read model can tell every graph apart."""
        ...


class DatasetReader:
    """SELECT queries on an rdflib Dataset in this process. ``prepare`` parses a query's text
    (with the dataset's prefixes): a server passes one that holds its process's parser lock,
    since pyparsing's grammar is not thread-safe and concurrent first parses break it for good
    (probe F15, met again on the memory store's pages); by default rdflib parses unlocked."""

    unnamed_graph = True

    def __init__(self, dataset: Dataset, prepare: Prepare | None = None):
        # A view of the same store whose default graph is the unnamed graph, not the union.
        self.dataset = Dataset(store=dataset.store, default_union=False)
        self._prepare = prepare

    def select(self, text: str) -> list[Row]:
        if self._prepare is not None:
            namespaces = tuple(sorted((p, str(ns)) for p, ns in self.dataset.namespaces()))
            result = self.dataset.query(self._prepare(text, namespaces))
        else:
            result = self.dataset.query(text)
        names = result.vars or []
        return [tuple(binding.get(name) for name in names) for binding in result.bindings]


def rows_from_json(body: bytes) -> list[Row]:
    """The rows of a SPARQL 1.1 JSON result (what another engine answered), as rdflib terms.
    A term met again is the same object: an index over many rows holds each term once."""
    data = json.loads(body)
    names = data["head"].get("vars", [])
    seen: dict[tuple[tuple[str, str], ...], Node] = {}
    rows = []
    for binding in data["results"]["bindings"]:
        row: list[Node | None] = []
        for name in names:
            value = binding.get(name)
            if value is None:
                row.append(None)
                continue
            key = tuple(value.items())
            term = seen.get(key)
            if term is None:
                term = seen[key] = _term(value)
            row.append(term)
        rows.append(tuple(row))
    return rows


def _term(value: dict[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):  # typed-literal: the 2008 form some servers send
        datatype = value.get("datatype")
        plain = datatype in (None, _STRING) or "xml:lang" in value  # RDF 1.1: one and the same
        return Literal(value["value"], lang=value.get("xml:lang"),
                       datatype=None if plain else URIRef(str(datatype)))
    raise ValueError(f"a result term of unknown type {kind!r}")
