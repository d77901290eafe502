"""Admission control: how many queries and writes one client may have running at once.

Without it, one client with a few parallel runaway queries held every worker for the whole
time limit and every other client waited, then failed (probe F6). A client over its share
waits for one of its own to end, within its own time limit (the wait counts against it), so a
client that sends queries one after another is never refused. As many may wait as run; past
that a request is refused at once: each waiting request holds one of the server's request
threads, and ten slow ones from one client held all eight, /health included (probe 3.8).
Clients are told apart by their IP address (``client_address``). Behind a reverse proxy every
request comes from the proxy's address, so all its clients would share one client's share: an
operator lists the proxy in ``trusted_proxies``, and the client is then the address the proxy
appends to X-Forwarded-For.
The header is read only from a listed proxy (off by default), since any client can write one.

A client whose query was stopped at a limit (time, the cheap worker, memory) is "suspect" for
SUSPECT_S: its queries then wait for a long-query slot before they take a worker, so it cannot
make the worker kept for cheap queries restart again and again.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kg.errors import LimitExceeded, TooManyRequests, WorkersBusy

SUSPECT_S = 300.0
# The limits that stop a query that ran long (not, say, a request too large to read).
RUNAWAY_LIMITS = ("query_timeout_ms", "cheap_query_ms", "worker_memory_mb")


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(setting: str) -> tuple[Network, ...]:
    """The ``trusted_proxies`` setting: addresses or networks (CIDR), space-separated."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in setting.split())


def _trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str, forwarded_for: Iterable[str],
                   trusted: tuple[Network, ...]) -> str:
    """Who a request comes from: the peer, unless the peer is a trusted proxy; then the
    nearest address in X-Forwarded-For (read right to left: each proxy appends the address it
    was reached from) that is not a trusted proxy itself. Whatever a client wrote to the left
    of that is never read, so it cannot pose as another client."""
    if not trusted or not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
    for hop in reversed(hops):
        if not hop:
            continue
        if not _trusted(hop, trusted):
            return hop if _valid(hop) else peer
    return peer


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Turn:
    """A request's turn: the time left of its limit, and whether its client is suspect."""

    seconds_left: float
    suspect: bool


class Admission:
    """At most ``per_client`` requests at once per client; the others wait their turn."""

    def __init__(self, per_client: int):
        self._per_client = per_client
        self._running: dict[str, int] = {}
        self._waiting: dict[str, int] = {}
        self._suspect_until: dict[str, float] = {}
        self._changed = threading.Condition()

    @contextmanager
    def slot(self, client: str, timeout: float) -> Iterator[Turn]:
        """Hold one of the client's slots for a request of ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            if (self._running.get(client, 0) >= self._per_client
                    and self._waiting.get(client, 0) >= self._per_client):
                raise TooManyRequests(
                    f"this client already has {self._per_client} queries or writes running and "
                    f"{self._per_client} waiting their turn (client_max_queries)",
                    "client_max_queries")
            self._waiting[client] = self._waiting.get(client, 0) + 1
            try:
                while self._running.get(client, 0) >= self._per_client:
                    left = deadline - time.monotonic()
                    if left <= 0 or not self._changed.wait(left) and (
                            self._running.get(client, 0) >= self._per_client):
                        raise TooManyRequests(
                            f"this client already has {self._per_client} queries or writes "
                            f"running and none ended within {timeout:g} s (client_max_queries)",
                            "client_max_queries")
            finally:
                self._waiting[client] -= 1
                if not self._waiting[client]:
                    del self._waiting[client]
            self._running[client] = self._running.get(client, 0) + 1
            suspect = self._suspect_until.get(client, 0.0) > time.monotonic()
        try:
            yield Turn(max(0.0, deadline - time.monotonic()), suspect)
        except LimitExceeded as exc:
            if exc.setting in RUNAWAY_LIMITS and not isinstance(exc, WorkersBusy):
                with self._changed:
                    self._suspect_until[client] = time.monotonic() + SUSPECT_S
                    self._forget_old()
            raise
        finally:
            with self._changed:
                left_running = self._running[client] - 1
                if left_running:
                    self._running[client] = left_running
                else:
                    del self._running[client]
                self._changed.notify_all()

    def _forget_old(self) -> None:
        now = time.monotonic()
        for client in [c for c, until in self._suspect_until.items() if until <= now]:
            del self._suspect_until[client]
