"""A pool of query worker processes with a real time limit.

Each worker holds its own copy of the dataset (loaded from the dataset file, then every write
replayed in order). A query that outlives its limit gets its worker killed (SIGKILL) and a
fresh one started in the background; other queries go on in the other workers. Writes are
serialised: one worker applies a write first (a bad one stops there), then it joins the log,
and every other worker catches up on the log before its next query.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from kg.errors import KGError, LimitExceeded, WorkerCrashed
from kg.sparql.execute import QueryAnswer, QueryRequest
from kg.sparql.worker import GraphOp, UpdateOp, worker_main

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
    """``size`` worker processes; ``query`` and ``write`` are safe to call from many threads."""

    def __init__(self, dataset_path: Path | None, size: int, allowed: tuple[str, ...] = (),
                 start_timeout: float = 120.0):
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["kg.sparql.worker"])
        self._dataset_path = str(dataset_path) if dataset_path else None
        self._allowed = allowed
        self._start_timeout = start_timeout
        self._log: list[UpdateOp | GraphOp] = []
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._write_lock = threading.Lock()
        self._log_lock = threading.Lock()
        self._closed = False
        self._replacements: list[threading.Thread] = []
        self.size = size
        starters = [threading.Thread(target=self._add_worker) for _ in range(size)]
        for thread in starters:
            thread.start()
        for thread in starters:
            thread.join()
        if self._idle.qsize() != size:
            self.close()
            raise WorkerCrashed("query workers failed to start (see the log)")

    def _start(self, ops: list[UpdateOp | GraphOp]) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=worker_main, daemon=True, name="kg-worker",
                                        args=(child, self._dataset_path, ops, self._allowed))
        process.start()
        child.close()
        if not parent.poll(self._start_timeout):
            process.kill()
            raise WorkerCrashed("a query worker did not start in time")
        status, _ = parent.recv()
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
        deadline = time.monotonic() + timeout
        worker = self._checkout(timeout)
        status, payload = self._exchange(worker, ("query", request), deadline, timeout,
                                         "query")
        self._idle.put(worker)
        return self._unwrap(status, payload)

    def _catch_up(self, worker: _Worker) -> None:
        """Send the worker the writes it has not applied yet, in order."""
        with self._log_lock:
            missing = self._log[worker.applied:]
        for op in missing:
            worker.conn.send(("op", op))
            status, payload = worker.conn.recv()
            if status != "ok":
                raise WorkerCrashed(f"a logged write failed on replay: {payload}")
            worker.applied += 1

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None:
        """Apply a write on one worker; if it succeeds, log it for all the others."""
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

    @staticmethod
    def _error(status: str, payload: object) -> BaseException:
        if status == "error" and isinstance(payload, KGError):
            return payload
        return WorkerCrashed(f"query worker failed: {payload}")

    def _unwrap(self, status: str, payload: object) -> QueryAnswer:
        if status == "ok" and isinstance(payload, QueryAnswer):
            return payload
        raise self._error(status, payload)

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
