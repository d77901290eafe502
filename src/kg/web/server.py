"""kg serve: the Flask app on waitress (a production WSGI server), stopped cleanly by signals."""

from __future__ import annotations

import logging
import signal
import sys
from types import FrameType

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import BaseWSGIServer, create_server

from kg.settings import Settings
from kg.sparql.store import open_store
from kg.web import create_app

log = logging.getLogger("kg.serve")
BODY_ROOM = 16          # times max_request_bytes
HEADER_ROOM = 64 * 1024  # bytes of headers besides the query string


class OneFramingParser(HTTPRequestParser):
    """waitress's request parser, refusing a body framed two ways at once.

    With both Content-Length and Transfer-Encoding, waitress read the chunks and kept the
    connection open for what came after them. A proxy in front that reads the Content-Length
    instead sees that rest as part of this body, where waitress answers it as a request of its
    own: a smuggled request (probe 4.9). RFC 9112 (6.3) lets a server refuse such a message,
    and says it must close the connection after: waitress's 400 for a ParsingError does both.
    An HTTP/1.0 request with Transfer-Encoding, which waitress framed by its Content-Length
    and kept open on keep-alive, has faulty framing by the same RFC (6.1): refused too.
    """

    def parse_header(self, header_plus: bytes) -> None:
        super().parse_header(header_plus)
        if self.chunked and "CONTENT_LENGTH" in self.headers:
            raise ParsingError("a request with both Content-Length and Transfer-Encoding")
        if "TRANSFER_ENCODING" in self.headers:  # left by waitress on HTTP/1.0 only
            raise ParsingError("an HTTP/1.0 request with Transfer-Encoding")


class OneFramingChannel(HTTPChannel):
    parser_class = OneFramingParser


def serve(settings: Settings) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s",
                        stream=sys.stderr)
    store = open_store(settings)
    app = create_app(settings, store)
    # waitress answers its own limits in text/plain before the app runs. Its limits sit above
    # max_request_bytes so that the app's checks answer (413/414 problem+json); they stay as a
    # backstop against requests far over the limit.
    sockets: dict[int, object] = {}  # waitress's map of its sockets, to set their channel
    server = create_server(app, map=sockets, host=settings.host, port=settings.port,
                           threads=settings.threads,
                           max_request_body_size=settings.max_request_bytes * BODY_ROOM,
                           max_request_header_size=settings.max_request_bytes + HEADER_ROOM,
                           ident="diplo-kg")
    for listener in list(sockets.values()):  # one, or one per address of the host
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = OneFramingChannel

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: stopping", signum)
        server.close()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    host, port = server.getsockname()[:2]
    # One line a supervisor (or a test) can wait for; the port is the real one when 0 was asked.
    print(f"serving http://{host}:{port}/sparql", flush=True)
    print(f"open http://{host}:{port}/ in a browser: the query workbench, search, timeline "
          "and a page for every entity", flush=True)
    try:
        server.run()
    except OSError:  # the listening socket was closed by stop()
        pass
    finally:
        store.close()
        log.info("stopped")
