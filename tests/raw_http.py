"""HTTP without a client library in the way (raw query strings, any method or body): what the
endpoint, negotiation and client tests send when the exact request matters."""

from __future__ import annotations

import http.client
import json
import time
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
         headers: dict[str, str] | None = None) -> Reply:
    """One request; a traceback in any answer fails the test (a client never sees one)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    started = time.monotonic()
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    assert b"Traceback" not in data
    return Reply(response.status, response.headers, data, time.monotonic() - started)
