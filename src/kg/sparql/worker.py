"""What a query worker process does: hold a copy of the dataset, answer queries, apply updates.

Queries run here, not in the web server, so a query over its time limit can be stopped for
real: the pool kills the process and starts another (rdflib cannot interrupt a query).
Workers never reach the network: FROM and the dataset parameters select local graphs only
(SPARQL_LOAD_GRAPHS off) and an audit hook refuses any outbound request not allow-listed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import rdflib.plugins.sparql
from rdflib import Dataset, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.evalutils import _fillTemplate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import QueryContext, Update
from rdflib.plugins.sparql.update import evalUpdate

from kg.dataset.io import load_dataset, new_dataset
from kg.errors import KGError, LimitExceeded, NotSupported, QueryError
from kg.sparql.execute import execute
from kg.sparql.ops import GraphOp, Op, QuadsOp, UpdateOp, parsed
from kg.sparql.parse import (
    check_update,
    describe_update,
    prepare_update,
    query_services,
    refuse_remote,
    remote_allowed,
)


def apply_op(dataset: Dataset, op: Op, allowed: tuple[str, ...] = ()) -> None:
    """Apply one write; the same ops in the same order give every worker the same data. An
    update is parsed and checked here, in the worker, under its time limit (``allowed``: the
    IRIs its LOAD and SERVICE may reach)."""
    if isinstance(op, QuadsOp):
        for s, p, o, g in op.removed:
            dataset.graph(g).remove((s, p, o))
        for s, p, o, g in op.added:
            dataset.graph(g).add((s, p, o))
        return
    if isinstance(op, GraphOp):
        op = parsed(op)  # a request's body: read here, under the time limit
        target = dataset.graph(URIRef(op.graph)) if op.graph else dataset.graph(
            DATASET_DEFAULT_GRAPH_ID)
        if op.action in ("put", "delete"):
            target.remove((None, None, None))
            if op.action == "delete" and op.graph:
                dataset.remove_graph(target)
        if op.action in ("put", "post") and op.ntriples:
            target.parse(data=op.ntriples, format="nt")
        return
    prepared = prepare_update(op.text, op.base)
    check_update(describe_update(prepared), bool(op.using or op.using_named), allowed)
    if any(part.name == "Load" for part in prepared.algebra):
        raise NotSupported("LOAD is not supported by the memory store (it would load nothing):"
                           " send the data to the Graph Store Protocol, PUT /store?graph=IRI")
    if op.using or op.using_named:
        using = ([CompValue("UsingClause", default=URIRef(g)) for g in op.using]
                 + [CompValue("UsingClause", named=URIRef(g)) for g in op.using_named])
        for part in prepared.algebra:
            if part.name == "Modify":
                part["using"] = using
    # rdflib adds INSERT DATA triples to the union view when it is the update's graph, which a
    # Dataset rejects: updates write to the real default graph (queries still see the union).
    # USING and LOAD select local graphs only, in whichever process applies the update.
    sparql = rdflib.plugins.sparql
    saved = sparql.SPARQL_DEFAULT_GRAPH_UNION, sparql.SPARQL_LOAD_GRAPHS
    sparql.SPARQL_DEFAULT_GRAPH_UNION, sparql.SPARQL_LOAD_GRAPHS = False, False
    try:
        for part in prepared.algebra:
            if part.name == "Modify" and part.using:
                _modify_using(dataset, part)
            else:
                evalUpdate(dataset, Update(prepared.prologue, [part]))
    except KGError:
        raise
    except Exception as exc:
        raise QueryError(f"update failed: {exc}") from exc
    finally:
        sparql.SPARQL_DEFAULT_GRAPH_UNION, sparql.SPARQL_LOAD_GRAPHS = saved


def _modify_using(dataset: Dataset, part: CompValue) -> None:
    """DELETE/INSERT … WHERE with USING / USING NAMED (or the protocol's using-graph-uri).

    rdflib's evalModify builds the USING default graph but leaves every named graph visible to
    GRAPH ?g; SPARQL 1.1 Update §3.1.3 makes the USING NAMED graphs the only named graphs (and,
    without USING, the default graph empty). So the WHERE runs on that dataset, as a query's
    FROM / FROM NAMED do, and the templates then write to the store: all deletes, then inserts.
    """
    where = QueryContext(dataset, initBindings={}, datasetClause=part.using)
    where.prologue = part.prologue
    solutions = list(evalPart(where, part.where))
    default = dataset.graph(part.withClause or DATASET_DEFAULT_GRAPH_ID)
    for template, add in ((part.delete, False), (part.insert, True)):
        for solution in solutions if template else []:
            named = {name: solution.get(name) if isinstance(name, Variable) else name
                     for name in template.quads}
            targets = [(default, template.triples)] + [
                (dataset.graph(named[name]), quads)
                for name, quads in template.quads.items() if named[name] is not None]
            for graph, triples in targets:
                for triple in _fillTemplate(triples or [], solution):
                    (graph.add if add else graph.remove)(triple)


def apply_recorded(dataset: Dataset, op: UpdateOp | GraphOp,
                   allowed: tuple[str, ...] = ()) -> QuadsOp:
    """Apply one write and say what it changed, for the other copies to replay (the whole
    dataset compared before and after: the memory store is for small datasets)."""
    before = set(dataset.quads((None, None, None, None)))
    apply_op(dataset, op, allowed)
    after = set(dataset.quads((None, None, None, None)))
    return QuadsOp(tuple(before - after), tuple(after - before))


def deny_network(allowed: tuple[str, ...]) -> None:
    """Refuse every outbound HTTP request but to allow-listed IRIs (defence in depth)."""

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "urllib.Request":
            url = str(args[0])
            # The query string is the protocol's (?query=...), not part of the service IRI.
            if not remote_allowed(url.split("#")[0].split("?")[0], allowed):
                raise PermissionError(f"outbound request to {url} refused")
        elif event == "socket.connect" and not allowed:
            address = args[1]
            if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
                raise PermissionError(f"outbound connection to {address[0]} refused")

    sys.addaudithook(hook)


def worker_main(conn: Connection, ops: list[Op], dataset_path: str | None,
                data: bytes | None, allowed: tuple[str, ...]) -> None:
    """The worker's loop: (kind, payload) in, (status, payload) out, until the pipe closes.

    ``data`` is the dataset file's bytes as the server read them at start, not the file now:
    a worker started after `kg build` or a corrupt file on disk serves what the pages serve
    (probes F16, F19)."""
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # this process only: FROM never fetches
    deny_network(allowed)
    try:
        dataset = load_dataset(Path(dataset_path), data) if dataset_path else new_dataset()
    except KGError as exc:  # a broken dataset file: the pool reports it, not a dead pipe
        conn.send(("error", exc))
        return
    for op in ops:
        apply_op(dataset, op)

    def handle(kind: str, payload: Any) -> tuple[str, Any] | None:
        if kind == "query":  # parsed here, under the time limit (probe F9)
            refuse_remote(query_services(payload.text, payload.base), "SERVICE", allowed)
            return "ok", execute(dataset, payload)
        if kind == "op":  # a write: what it changed goes back, for the others to replay
            return "ok", apply_recorded(dataset, payload, allowed)
        if kind == "sync":  # a change the pool logged
            apply_op(dataset, payload)
            return "ok", None
        return None

    serve(conn, handle)


def serve(conn: Connection, handle: Callable[[str, Any], tuple[str, Any] | None]) -> None:
    """A worker's side of the pipe: "ready", then (kind, payload) in and (status, payload) out
    until the pipe closes or ``handle`` answers None. A KGError is the client's ("error"); any
    other exception is reported as a crash, which the server logs and answers 500."""
    conn.send(("ready", None))
    while True:
        try:
            kind, payload = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = handle(kind, payload)
            if reply is None:
                return
            conn.send(reply)
        except KGError as exc:
            conn.send(("error", exc))
        except MemoryError:  # answered, then this process ends: its heap may be in pieces
            conn.send(("fatal", LimitExceeded("the query needed more memory than a worker "
                                              "may take (worker_memory_mb)",
                                              "worker_memory_mb")))
            return
        except Exception as exc:  # reported to the server, which logs it and answers 500
            conn.send(("crash", f"{type(exc).__name__}: {exc}"))
