"""Admission control: how many queries and writes one client may have running at once.

Without it, one client with a few parallel runaway queries held every worker for the whole
time limit and every other client waited, then failed (probe F6). A client over its share
waits for one of its own to end, within its own time limit (the wait counts against it), so a
client that sends queries one after another is never refused. Clients are told apart by their
IP address: behind a proxy every client has the proxy's, so there the proxy should do this.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from kg.errors import TooManyRequests


class Admission:
    """At most ``per_client`` requests at once per client; the others wait their turn."""

    def __init__(self, per_client: int):
        self._per_client = per_client
        self._running: dict[str, int] = {}
        self._changed = threading.Condition()

    @contextmanager
    def slot(self, client: str, timeout: float) -> Iterator[float]:
        """Hold one of the client's slots; yields the time left of ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._running.get(client, 0) >= self._per_client:
                left = deadline - time.monotonic()
                if left <= 0 or not self._changed.wait(left) and (
                        self._running.get(client, 0) >= self._per_client):
                    raise TooManyRequests(
                        f"this client already has {self._per_client} queries or writes running "
                        f"and none ended within {timeout:g} s (client_max_queries)",
                        "client_max_queries")
            self._running[client] = self._running.get(client, 0) + 1
        try:
            yield max(0.0, deadline - time.monotonic())
        finally:
            with self._changed:
                left_running = self._running[client] - 1
                if left_running:
                    self._running[client] = left_running
                else:
                    del self._running[client]
                self._changed.notify_all()
