"""The writes a store takes: a SPARQL Update, or a Graph Store Protocol operation.

Plain data, shared by every store and its workers, so a store on another engine needs nothing
of rdflib's worker to accept them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kg.dataset.rdf_body import RdfPart, to_ntriples


@dataclass(frozen=True)
class UpdateOp:
    """A SPARQL Update; USING graphs from the protocol's using-(named-)graph-uri."""

    text: str
    using: tuple[str, ...] = ()
    using_named: tuple[str, ...] = ()
    base: str | None = None


@dataclass(frozen=True)
class GraphOp:
    """A Graph Store Protocol write: graph None is the default graph. Its triples come as
    N-Triples, or as the request's body still to be read (``body``, relative IRIs against
    ``base``), which the store reads where the write runs: see ``parsed``."""

    action: str                  # put | post | delete
    graph: str | None
    ntriples: str = ""
    body: tuple[RdfPart, ...] = ()
    base: str = ""


def parsed(op: GraphOp) -> GraphOp:
    """The op with its body read as N-Triples: in a worker, under the write's time limit."""
    if not op.body:
        return op
    return replace(op, ntriples=to_ntriples(op.body, op.base), body=())


Quad = tuple[Any, Any, Any, Any]  # subject, predicate, object, graph: rdflib terms


@dataclass(frozen=True)
class QuadsOp:
    """What a write changed, as the worker that applied it saw it: the quads it removed and
    added. The memory store's other copies replay this, not the write: an update with RAND(),
    UUID() or NOW() would give each copy its own values (probe F21), and one with SERVICE would
    call the remote endpoint again from each (probe F3)."""

    removed: tuple[Quad, ...]
    added: tuple[Quad, ...]


Op = UpdateOp | GraphOp | QuadsOp
