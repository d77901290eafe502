"""A real HTTP server on 127.0.0.1 that records every path it is asked for and answers what a
test gives it: the far side of SERVICE, LOAD and fetch probes."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Answer = Callable[[str], tuple[bytes, str]]  # path → (body, content type)


@contextmanager
def recording_server(answer: Answer) -> Iterator[tuple[str, list[str]]]:
    """Yield the server's base URL and the list of paths it heard, in order."""
    heard: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802  (http.server's naming)
            heard.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body, kind = answer(self.path)
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    with _serving(Handler) as url:
        yield url, heard


@contextmanager
def redirecting_server(location: str, status: int = 302) -> Iterator[str]:
    """Yield the base URL of a server that answers every request with a redirect to
    ``location`` (the probe of an allow-listed endpoint that sends its caller elsewhere)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    with _serving(Handler) as url:
        yield url


@contextmanager
def _serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free loopback port in a thread; yield its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
