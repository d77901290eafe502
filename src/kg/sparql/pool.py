"""A pool of query worker processes with a real time limit.

A query that outlives its limit gets its worker killed (SIGKILL) and a fresh one started in
the background; other queries go on in the other workers. Workers come in two kinds, and the
pool knows only which one by ``shared_store``:

- each worker holds its own copy of the data (rdflib: loaded from the dataset file, then every
  write replayed in order). Writes are serialised: one worker applies a write first (a bad one
  stops there), then it joins the log, and every other worker catches up on the log before
  its next query;
- the workers share one store on disk (Oxigraph). A write waits until it holds every worker,
  so no query reads while the store changes; one worker applies it, and the others are told to
  reopen the store before they are handed out again.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from kg.errors import KGError, LimitExceeded, WorkerCrashed
from kg.sparql.execute import QueryAnswer, QueryRequest
from kg.sparql.ops import GraphOp, UpdateOp

# A worker's entry point: (pipe, writes to replay, *args); it answers ("ready", None) first.
WorkerMain = Callable[..., None]

log = logging.getLogger("kg.pool")


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    applied: int = 0  # how much of the write log this worker has applied

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` processes running ``target(conn, ops, *args)``; ``query``, ``call`` and
    ``write`` are safe to call from many threads."""

    def __init__(self, target: WorkerMain, args: tuple[Any, ...], size: int,
                 start_timeout: float = 120.0, shared_store: bool = False):
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([target.__module__])
        self._target = target
        self._args = args
        self._shared = shared_store
        self._start_timeout = start_timeout
        self._log: list[UpdateOp | GraphOp] = []
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._write_lock = threading.Lock()
        self._log_lock = threading.Lock()
        self._closed = False
        self._replacements: list[threading.Thread] = []
        self.size = size
        self._start_error: KGError | None = None
        self._started = False
        starters = [threading.Thread(target=self._add_worker) for _ in range(size)]
        for thread in starters:
            thread.start()
        for thread in starters:
            thread.join()
        if self._idle.qsize() != size:
            self.close()
            if self._start_error is not None:  # the user's to fix (a broken dataset file)
                raise self._start_error
            raise WorkerCrashed("query workers failed to start (see the log)")
        self._started = True

    def _start(self, ops: list[UpdateOp | GraphOp]) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=self._target, daemon=True, name="kg-worker",
                                        args=(child, ops, *self._args))
        process.start()
        child.close()
        if not parent.poll(self._start_timeout):
            process.kill()
            raise WorkerCrashed("a query worker did not start in time")
        status, payload = parent.recv()
        if status == "error" and isinstance(payload, KGError):
            process.join(self._start_timeout)
            raise payload
        if status != "ready":
            raise WorkerCrashed("a query worker failed to start")
        return _Worker(process, parent, len(ops))

    def _add_worker(self) -> None:
        try:
            with self._log_lock:
                ops = list(self._log)
            worker = self._start(ops)
        except (WorkerCrashed, EOFError, OSError) as exc:
            log.error("query worker failed to start: %s", exc)
            return
        except KGError as exc:
            self._start_error = exc
            if self._started:  # at start the caller raises it: no second message
                log.error("query worker failed to start: %s", exc)
            return
        if self._closed:
            worker.stop()
        else:
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        if not self._closed:
            thread = threading.Thread(target=self._add_worker, daemon=True)
            self._replacements = [t for t in self._replacements if t.is_alive()] + [thread]
            thread.start()

    def _checkout(self, timeout: float) -> _Worker:
        try:
            return self._idle.get(timeout=timeout)
        except queue.Empty:
            raise LimitExceeded(f"every query worker stayed busy for {timeout:g} s; try again",
                                "query_timeout_ms") from None

    def _exchange(self, worker: _Worker, message: tuple[str, object], deadline: float,
                  limit: float, what: str) -> tuple[str, object]:
        """Send one message and wait for the answer until the deadline; past it, or if the
        worker dies, the worker is replaced and the error raised (the caller's worker is gone)."""
        try:
            self._catch_up(worker)
            worker.conn.send(message)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise LimitExceeded(f"{what} stopped after the time limit of {limit:g} s",
                                    "query_timeout_ms")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._replace(worker)
            raise WorkerCrashed(f"query worker died: {exc}") from exc
        return status, payload

    def query(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        """Answer within ``timeout`` seconds (waiting for a free worker counts) or raise."""
        answer = self.call("query", request, timeout)
        if not isinstance(answer, QueryAnswer):
            raise WorkerCrashed(f"query worker answered a {type(answer).__name__}")
        return answer

    def call(self, kind: str, payload: object, timeout: float) -> object:
        """Any read the workers answer (a query, a dump), under the same time limit."""
        deadline = time.monotonic() + timeout
        worker = self._checkout(timeout)
        status, payload = self._exchange(worker, (kind, payload), deadline, timeout, kind)
        self._idle.put(worker)
        if status != "ok":
            raise self._error(status, payload)
        return payload

    def _catch_up(self, worker: _Worker) -> None:
        """Send the worker the writes it has not applied yet, in order."""
        with self._log_lock:
            missing = self._log[worker.applied:]
        for op in missing:
            worker.conn.send(("sync", op))
            status, payload = worker.conn.recv()
            if status != "ok":
                raise WorkerCrashed(f"a logged write failed on replay: {payload}")
            worker.applied += 1

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None:
        """Apply a write on one worker; if it succeeds, log it for all the others."""
        if self._shared:
            return self._write_shared(op, timeout)
        with self._write_lock:
            deadline = time.monotonic() + timeout
            worker = self._checkout(timeout)
            status, payload = self._exchange(worker, ("op", op), deadline, timeout, "update")
            if status != "ok":
                self._idle.put(worker)
                raise self._error(status, payload)
            with self._log_lock:
                self._log.append(op)
            worker.applied = len(self._log)
            self._idle.put(worker)

    def _write_shared(self, op: UpdateOp | GraphOp, timeout: float) -> None:
        """Hold every worker, apply the write on one, then have the others reopen the store
        (a worker that was killed is replaced by one that opens the store afresh)."""
        with self._write_lock:
            deadline = time.monotonic() + timeout
            held: list[_Worker] = []
            try:
                for _ in range(self.size):
                    held.append(self._checkout(max(0.0, deadline - time.monotonic())))
                writer = held.pop()
                status, payload = self._exchange(writer, ("op", op), deadline, timeout,
                                                 "update")
                held.append(writer)
                if status != "ok":
                    raise self._error(status, payload)
            finally:
                for worker in held:
                    self._reopen(worker)

    def _reopen(self, worker: _Worker) -> None:
        try:
            worker.conn.send(("reopen", None))
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as exc:
            status, payload = "crash", str(exc)
        if status == "ok":
            self._idle.put(worker)
        else:
            log.error("query worker failed to reopen the store: %s", payload)
            self._replace(worker)

    @staticmethod
    def _error(status: str, payload: object) -> BaseException:
        if status == "error" and isinstance(payload, KGError):
            return payload
        return WorkerCrashed(f"query worker failed: {payload}")

    def close(self) -> None:
        """Stop every worker, waiting for replacements being started (they stop themselves)."""
        self._closed = True
        for thread in self._replacements:
            thread.join(self._start_timeout)
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return
