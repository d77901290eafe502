"""What a query worker of the Oxigraph store does: open the shared store, answer, write.

The counterpart of worker.py. Workers hold no copy of the data: they open the one store on
disk read-only (any number of processes may), and read-write only while one of them applies a
write, which the pool lets happen only while it holds every worker (pool.py). As in worker.py,
no outbound request leaves the process but to allow-listed IRIs.
"""

from __future__ import annotations

import time
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from kg.errors import DataFileError, KGError, QuerySyntaxError, WorkerCrashed
from kg.sparql import lexical
from kg.sparql.ops import GraphOp, UpdateOp, parsed
from kg.sparql.oxigraph_execute import apply_op, execute, refuse_remote
from kg.sparql.parse import check_update, prepare_query
from kg.sparql.worker import deny_network, serve


def worker_main(conn: Connection, ops: list[UpdateOp | GraphOp], directory: str,
                allowed: tuple[str, ...]) -> None:
    """The worker's loop; ``ops`` (the writes a copy would replay) is unused: they are in the
    store."""
    deny_network(allowed)
    try:
        store: ox.Store | None = _read_only(directory)
    except (OSError, RuntimeError) as exc:  # reported by the pool, which tries again
        conn.send(("error", DataFileError(f"cannot open the store at {directory}: {exc}")))
        return

    def handle(kind: str, payload: Any) -> tuple[str, Any] | None:
        nonlocal store
        if store is None:  # a reopen failed: try again before anything else
            store = _read_only(directory)
        if kind == "query":
            refuse_remote(payload.text, allowed)
            try:
                return "ok", execute(store, payload)
            except QuerySyntaxError:  # rdflib's parser says where (line, column), as on memory
                prepare_query(payload.text, payload.base)
                raise
        if kind == "dump":
            return "ok", store.dump(format=ox.RdfFormat.N_QUADS)
        if kind in ("op", "reopen"):
            # The old instance is closed before the store is opened again: one open
            # instance per process, so none reads files that a write has replaced.
            store = None
            failed = _write(directory, payload, allowed) if kind == "op" else None
            store = _read_only(directory)
            return ("error", failed) if failed else ("ok", None)
        return None

    serve(conn, handle)


def _write(directory: str, op: UpdateOp | GraphOp, allowed: tuple[str, ...]) -> KGError | None:
    """Apply one write on the store opened read-write for it alone. A failure is returned
    without its traceback, whose frames would keep the store open while others reopen it."""
    try:
        if isinstance(op, UpdateOp):  # read here, under the write's time limit
            check_update(lexical.parse_update(op.text), bool(op.using or op.using_named),
                         allowed)
        else:  # a Graph Store body: read here too, before the store is opened to write
            op = parsed(op)
        apply_op(ox.Store(directory), op)
        return None
    except KGError as exc:
        exc.__traceback__ = exc.__cause__ = exc.__context__ = None
        return exc
    except Exception as exc:  # a bug: reported like any other (a logged 500)
        return WorkerCrashed(f"{type(exc).__name__}: {exc}")


def _read_only(directory: str, attempts: int = 100) -> ox.Store:
    """Open the store read-only, waiting out a read-write open that is still closing.

    A read-only open fails while another process still holds the store open read-write and
    has merged away a file that the file list names. Writers close the store before they
    answer (see _write: an exception's frames once kept it open), so this is a safety net:
    such a failure is retried for up to 5 s.
    """
    for _ in range(attempts - 1):
        try:
            return ox.Store.read_only(directory)
        except (OSError, RuntimeError):
            time.sleep(0.05)
    return ox.Store.read_only(directory)
