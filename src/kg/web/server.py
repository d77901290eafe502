"""kg serve: the Flask app on waitress (a production WSGI server), stopped cleanly by signals."""

from __future__ import annotations

import logging
import signal
import sys
from types import FrameType

from waitress.server import create_server

from kg.settings import Settings
from kg.sparql.store import open_store
from kg.web import create_app

log = logging.getLogger("kg.serve")
BODY_ROOM = 16          # times max_request_bytes
HEADER_ROOM = 64 * 1024  # bytes of headers besides the query string


def serve(settings: Settings) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s",
                        stream=sys.stderr)
    store = open_store(settings)
    app = create_app(settings, store)
    # waitress answers its own limits in text/plain before the app runs. Its limits sit above
    # max_request_bytes so that the app's checks answer (413/414 problem+json); they stay as a
    # backstop against requests far over the limit.
    server = create_server(app, host=settings.host, port=settings.port, threads=settings.threads,
                           max_request_body_size=settings.max_request_bytes * BODY_ROOM,
                           max_request_header_size=settings.max_request_bytes + HEADER_ROOM,
                           ident="diplo-kg")

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
