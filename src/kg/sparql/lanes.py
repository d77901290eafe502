"""The pool's two lanes: long slots, and the CPU time that decides a query is not cheap.

With two workers or more, one is kept for cheap queries: a query that used ``cheap_query_ms``
of CPU needs a long slot to go on. There are as many long slots as workers alive, less one, so
while a worker is replaced (a memory-store worker loads the data for a second or so) the one
left is still kept for cheap queries; before, a long query waiting its turn took the only
worker there was and held it for the whole time limit while every cheap query waited. The
budget is wall time, but a query that used less than half of it in CPU is starved (a loaded
machine), not costly, and gets more, up to four times the budget (pool.py).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

REAP_EVERY_S = 1.0  # how often a waiter re-checks the capacity (workers die without a word)
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class LongSlots:
    """A counter of long queries running, bounded by ``capacity()`` (workers alive, less one)."""

    def __init__(self, capacity: Callable[[], int]):
        self._capacity = capacity
        self._running = 0
        self._changed = threading.Condition()

    def take(self, timeout: float) -> bool:
        """A long slot within ``timeout`` seconds (0: now or never)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._running >= self._capacity():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, REAP_EVERY_S))
            self._running += 1
            return True

    def give(self) -> None:
        with self._changed:
            self._running -= 1
            self._changed.notify_all()

    def changed(self) -> None:
        """The capacity may have grown (a worker joined): waiters look again."""
        with self._changed:
            self._changed.notify_all()


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used, user and system, from /proc; where there is none (not
    Linux), infinite: a budget is then wall time."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("inf")
    return (int(fields[11]) + int(fields[12])) / _TICKS
