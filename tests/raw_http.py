"""HTTP without a client library in the way (raw query strings, any method or body): what the
endpoint, negotiation and client tests send when the exact request matters."""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def media_type(self) -> str:
        return self.headers.get_content_type()

    def json(self) -> Any:
        return json.loads(self.body)


def call(base: str, target: str, method: str = "GET", body: bytes | None = None,
         headers: dict[str, str] | None = None, source: str | None = None) -> Reply:
    """One request; a traceback in any answer fails the test (a client never sees one).
    ``source``, a loopback address (127.0.0.N), makes it come from another client."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60,
                                            source_address=(source, 0) if source else None)
    started = time.monotonic()
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    assert b"Traceback" not in data
    return Reply(response.status, response.headers, data, time.monotonic() - started)


@dataclass(frozen=True)
class Exchange:
    """What came back on one connection: every reply in order, and whether the server closed
    the connection after the last one (within the idle time waited for more)."""

    replies: list[tuple[int, bytes]]  # (status, body)
    closed: bool


def exchange(base: str, parts: Iterable[bytes], idle_s: float = 2.0) -> Exchange:
    """Send bytes as they are (a request no client library would write: smuggling forms, a
    body in chunks) on one connection, then read replies until it closes or goes idle. A
    server that stops reading part-way is an answer too: sending stops there."""
    parts_of = urlsplit(base)
    sock = socket.create_connection((parts_of.hostname or "", parts_of.port or 80), timeout=60)
    try:
        for part in parts:
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break
        reader = sock.makefile("rb")
        replies: list[tuple[int, bytes]] = []
        while True:
            sock.settimeout(idle_s if replies else 60)
            try:
                status_line = reader.readline()
            except (TimeoutError, ConnectionResetError):
                return Exchange(replies, False)
            if not status_line:
                return Exchange(replies, True)
            status = int(status_line.split()[1])
            length = 0
            while (line := reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = reader.read(length)
            assert b"Traceback" not in body
            replies.append((status, body))
    finally:
        sock.close()
