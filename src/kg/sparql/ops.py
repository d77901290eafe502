"""The writes a store takes: a SPARQL Update, or a Graph Store Protocol operation.

Plain data, shared by every store and its workers, so a store on another engine needs nothing
of rdflib's worker to accept them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UpdateOp:
    """A SPARQL Update; USING graphs from the protocol's using-(named-)graph-uri."""

    text: str
    using: tuple[str, ...] = ()
    using_named: tuple[str, ...] = ()
    base: str | None = None


@dataclass(frozen=True)
class GraphOp:
    """A Graph Store Protocol write: graph None is the default graph."""

    action: str                  # put | post | delete
    graph: str | None
    ntriples: str = ""
