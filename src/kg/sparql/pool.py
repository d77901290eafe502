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

The pool heals: a worker that dies or fails to start is started again, with a growing pause
between tries (probe F19: one failed start used to leave the endpoint 503 for good), and
``health()`` says how many workers are alive. With two workers or more, one is kept for cheap
queries: a query still running after ``cheap_seconds`` needs one of the other workers' "long"
slots, and is stopped if every one is taken (probe F6: two runaway queries held every worker
for the whole time limit); lanes.py says how long slots are counted and what "cheap" measures.
A query whose time ran out while it waited for a worker is answered 503 without costing a worker
(probe F7).
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from kg.errors import KGError, LimitExceeded, WorkerCrashed, WorkersBusy
from kg.sparql.execute import QueryAnswer, QueryRequest
from kg.sparql.lanes import LongSlots, cpu_seconds
from kg.sparql.ops import GraphOp, Op, QuadsOp, UpdateOp

# A worker's entry point: (pipe, writes to replay, *args); it answers ("ready", None) first.
WorkerMain = Callable[..., None]

log = logging.getLogger("kg.pool")
RETRY_FIRST_S = 0.5   # pause before starting a failed worker again, doubled each try …
RETRY_MAX_S = 30.0    # … up to this
REAP_EVERY_S = 1.0    # how often idle workers are checked for life


@dataclass(frozen=True)
class PoolLimits:
    """The pool's admission and memory limits (settings cheap_query_ms, worker_memory_mb)."""

    cheap_seconds: float = 0.0   # 0: no worker kept for cheap queries
    memory_bytes: int = 0        # 0: no cap


NO_LIMITS = PoolLimits()


@dataclass(frozen=True)
class PoolHealth:
    """What /health reports of a pool: workers alive of ``size``, restarts since it started."""

    size: int
    alive: int
    restarts: int
    last_error: str | None


@dataclass(eq=False)  # each worker is itself (kept in a set)
class _Worker:
    process: BaseProcess
    conn: Connection
    applied: int = 0  # how much of the write log this worker has applied
    retired: bool = False  # stopped and replaced: never handed out again

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` processes running ``target(conn, ops, *args)``; ``query``, ``call`` and
    ``write`` are safe to call from many threads."""

    def __init__(self, target: WorkerMain, args: tuple[Any, ...], size: int,
                 start_timeout: float = 120.0, shared_store: bool = False,
                 limits: PoolLimits = NO_LIMITS):
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([target.__module__, __name__])
        self._target = target
        self._memory_bytes = limits.memory_bytes
        self._args = args
        self._shared = shared_store
        self._start_timeout = start_timeout
        self._log: list[Op] = []
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._write_lock = threading.Lock()
        self._log_lock = threading.Lock()
        self._closed = False
        self._closing = threading.Event()
        self._replacements: list[threading.Thread] = []
        self.size = size
        self._start_error: KGError | None = None
        self._started = False
        self._cheap_seconds = limits.cheap_seconds if size > 1 else 0.0
        self._long = LongSlots(self._long_capacity)
        self._alive: set[_Worker] = set()
        self._alive_lock = threading.Lock()
        self.restarts = 0
        self.last_error: str | None = None
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
        self._reaper = threading.Thread(target=self._reap, daemon=True, name="kg-pool-reaper")
        self._reaper.start()

    def _start(self, ops: list[Op]) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_capped, daemon=True, name="kg-worker",
                                        args=(self._memory_bytes, self._target, child, ops,
                                              *self._args))
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
        """Start one worker; once the pool is up, try again until it starts (or the pool
        closes), pausing longer after each failure."""
        pause = RETRY_FIRST_S
        while not self._closed:
            try:
                with self._log_lock:
                    ops = list(self._log)
                worker = self._start(ops)
            except (KGError, EOFError, OSError) as exc:
                self.last_error = str(exc) or f"{type(exc).__name__} (the worker ended)"
                users = isinstance(exc, KGError) and not isinstance(exc, WorkerCrashed)
                if isinstance(exc, KGError) and users:  # the user's to fix (a broken file)
                    self._start_error = exc
                if not self._started:  # the constructor raises it, or says to see this
                    if not users:
                        log.error("query worker failed to start: %s", exc)
                    return
                log.error("query worker failed to start (next try in %g s): %s", pause, exc)
                self._closing.wait(pause)
                pause = min(pause * 2, RETRY_MAX_S)
                continue
            if self._closed:
                worker.stop()
                return
            with self._alive_lock:
                self._alive.add(worker)
                if self._started:
                    self.restarts += 1
            self.last_error = None
            self._idle.put(worker)
            self._long.changed()  # one more worker: one more long slot
            return

    def health(self) -> PoolHealth:
        with self._alive_lock:
            alive = sum(1 for worker in self._alive if worker.process.is_alive())
        return PoolHealth(self.size, alive, self.restarts, self.last_error)

    def _reap(self) -> None:
        """Replace idle workers that died (kill -9, the OOM killer) before a query meets them."""
        while not self._closing.wait(REAP_EVERY_S):
            for _ in range(self._idle.qsize()):
                try:
                    worker = self._idle.get_nowait()
                except queue.Empty:
                    break
                if worker.process.is_alive():
                    self._idle.put(worker)
                else:
                    log.error("query worker %s died while idle; starting another",
                              worker.process.pid)
                    self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        """Stop the worker and start another (once, however many callers saw it fail)."""
        with self._alive_lock:
            if worker.retired:
                return
            worker.retired = True
            self._alive.discard(worker)
        worker.stop()
        if not self._closed:
            thread = threading.Thread(target=self._add_worker, daemon=True)
            self._replacements = [t for t in self._replacements if t.is_alive()] + [thread]
            thread.start()

    def _release(self, worker: _Worker) -> None:
        """Hand a worker back, unless it was replaced meanwhile."""
        if not worker.retired:
            self._idle.put(worker)

    def _checkout(self, timeout: float) -> _Worker:
        """An idle worker that is alive (a dead one is replaced, and the wait goes on)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise WorkersBusy(f"every query worker stayed busy for {timeout:g} s; "
                                  "try again", "query_timeout_ms") from None
            if worker.process.is_alive():
                return worker
            self._replace(worker)

    def _exchange(self, worker: _Worker, message: tuple[str, object], deadline: float,
                  limit: float, what: str, holding: bool = False) -> tuple[str, object]:
        """Send one message and wait for the answer until the deadline; past it, or if the
        worker dies, the worker is replaced and the error raised (the caller's worker is gone).
        A time limit that ran out before the worker got the message costs no worker."""
        try:
            self._catch_up(worker)
        except (EOFError, OSError, WorkerCrashed) as exc:
            self._replace(worker)
            raise WorkerCrashed(f"query worker failed to catch up: {exc}") from exc
        if deadline - time.monotonic() <= 0:
            self._release(worker)
            raise WorkersBusy(f"{what} waited for a worker for its whole time limit of "
                              f"{limit:g} s", "query_timeout_ms")
        try:
            worker.conn.send(message)
            if not self._answered(worker, deadline, message[0] == "query" and not holding):
                self._replace(worker)
                raise LimitExceeded(f"{what} stopped after the time limit of {limit:g} s",
                                    "query_timeout_ms")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            worker.process.join(1)  # its exit code says why it died
            error = self._died(worker, exc)
            self._replace(worker)
            raise error from exc
        if status == "fatal":  # the worker answered, then ended (it ran out of memory)
            self._replace(worker)
            status = "error"
        return status, payload

    def _answered(self, worker: _Worker, deadline: float, may_be_cheap: bool) -> bool:
        """Whether the worker answered before the deadline. A query (that holds no long slot)
        still running after cheap_seconds, having used half of that in CPU (or after four
        times that), takes one; with none left it is stopped (a LimitExceeded naming
        cheap_query_ms), so one worker stays free for cheap queries."""
        if not may_be_cheap or not self._cheap_seconds:
            return worker.conn.poll(max(0.0, deadline - time.monotonic()))
        pid = worker.process.pid or 0
        cpu_start, wall_end = cpu_seconds(pid), time.monotonic() + self._cheap_seconds * 4
        wait = self._cheap_seconds
        while True:
            if worker.conn.poll(max(0.0, min(deadline - time.monotonic(), wait))):
                return True
            if deadline - time.monotonic() <= 0:
                return False
            used = cpu_seconds(pid) - cpu_start  # nan or inf without /proc: wall time only
            if not used < self._cheap_seconds / 2 or time.monotonic() >= wall_end:
                break
            # Starved, not costly (a loaded machine): a query that used less than half its
            # budget in CPU gets more time, up to four times cheap_seconds in all.
            wait = max(0.01, self._cheap_seconds / 2 - used)
        if not self._long.take(0.0):
            self._replace(worker)
            raise LimitExceeded(
                f"the query ran past cheap_query_ms ({self._cheap_seconds * 1000:g} ms) while "
                "every other worker held a long query: one worker is kept for cheap queries; "
                "try again later", "cheap_query_ms")
        try:
            return worker.conn.poll(max(0.0, deadline - time.monotonic()))
        finally:
            self._long.give()

    def _long_capacity(self) -> int:
        with self._alive_lock:
            alive = sum(1 for worker in self._alive if not worker.retired)
        return max(0, alive - 1)

    @staticmethod
    def _died(worker: _Worker, exc: BaseException) -> KGError:
        """A worker that died mid-query: a memory cap kills Oxigraph's (Rust aborts when an
        allocation fails), rdflib's raise MemoryError and answer ("fatal")."""
        if worker.process.exitcode == -signal.SIGABRT:
            return LimitExceeded("the query needed more memory than a worker may take "
                                 "(worker_memory_mb)", "worker_memory_mb")
        return WorkerCrashed(f"query worker died: {exc}")

    def query(self, request: QueryRequest, timeout: float,
              long_only: bool = False) -> QueryAnswer:
        """Answer within ``timeout`` seconds (waiting for a free worker counts) or raise.
        ``long_only``: take a long slot first, never the worker kept for cheap queries."""
        answer = self.call("query", request, timeout, long_only)
        if not isinstance(answer, QueryAnswer):
            raise WorkerCrashed(f"query worker answered a {type(answer).__name__}")
        return answer

    def call(self, kind: str, payload: object, timeout: float, long_only: bool = False) -> object:
        """Any read the workers answer (a query, a dump), under the same time limit."""
        deadline = time.monotonic() + timeout
        holding = long_only and bool(self._cheap_seconds)
        if holding and not self._long.take(timeout):
            raise WorkersBusy(f"long queries held every worker but the one kept for cheap "
                              f"queries for {timeout:g} s (cheap_query_ms); try again later",
                              "cheap_query_ms")
        try:
            for attempt in (1, 2):  # a read is asked again once if its worker died under it
                worker = self._checkout(max(0.0, deadline - time.monotonic()))
                try:
                    status, answer = self._exchange(worker, (kind, payload), deadline, timeout,
                                                    kind, holding)
                    break
                except WorkerCrashed:
                    if attempt == 2 or deadline <= time.monotonic():
                        raise
                    log.error("query worker died under a %s; asking another", kind)
        finally:
            if holding:
                self._long.give()
        self._release(worker)
        if status != "ok":
            raise self._error(status, answer)
        return answer

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

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> object:
        """Apply a write on one worker; if it succeeds, log what the others replay: what the
        write changed (a QuadsOp, the worker's answer), else the write itself. Returns the
        worker's answer."""
        if self._shared:
            self._write_shared(op, timeout)
            return None
        with self._write_lock:
            deadline = time.monotonic() + timeout
            worker = self._checkout(timeout)
            status, payload = self._exchange(worker, ("op", op), deadline, timeout, "update")
            if status != "ok":
                self._release(worker)
                raise self._error(status, payload)
            with self._log_lock:
                self._log.append(payload if isinstance(payload, QuadsOp) else op)
            worker.applied = len(self._log)
            self._release(worker)
            return payload

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
            self._release(worker)
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
        self._closing.set()
        if self._started:
            self._reaper.join(REAP_EVERY_S * 2)
        for thread in self._replacements:
            thread.join(self._start_timeout)
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return


def _capped(memory_bytes: int, target: WorkerMain, *args: Any) -> None:
    """A worker's process: its data segment capped (RLIMIT_DATA: the heap and anonymous
    maps, where a query's values live; not the files it maps), then its loop. Probe F8: one
    query grew a worker by 2.4 GB."""
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    target(*args)
