"""create_app(settings, store) → the Flask app. The factory only wires: blueprints do the work."""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

from flask import Flask, Response, g, jsonify, request

from kg.errors import PayloadTooLarge, UriTooLong
from kg.settings import Settings, from_env
from kg.sparql.store import Store, open_store
from kg.web import admission, context, errors, negotiate, pages
from kg.web.routes import (
    data,
    dyad,
    explain,
    graph_store,
    resources,
    search,
    sources,
    sparql,
    timeline,
    vocabulary,
    workbench,
)

access_log = logging.getLogger("kg.access")
# RFC 3986 pchar and "/": what a path may hold unencoded (no space, no control character).
PATH_SAFE = "/:@!$&'()*+,;=-._~"
# Pages run only this server's scripts (search.js, workbench.js, the bundled YASGUI) and
# talk only to it; YASGUI sets inline styles, hence 'unsafe-inline' for styles alone.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
               "form-action 'self'; frame-ancestors 'none'")
CORS_HEADERS = "Accept, Authorization, Content-Type"
CORS_METHODS = "GET, POST, PUT, DELETE, HEAD, OPTIONS"
# The protocol, exports, graph store and explanations, then the pages (resources last: its
# routes are the most general).
BLUEPRINTS = (sparql.bp, data.bp, graph_store.bp, explain.bp, workbench.bp, search.bp,
              timeline.bp, dyad.bp, resources.bp, sources.bp, vocabulary.bp)


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    settings = settings or from_env()
    app = Flask(__name__)
    app.request_class = type("Request", (negotiate.CappedAcceptRequest,),
                             {"max_accept_entries": settings.max_accept_entries})
    app.config["KG_SETTINGS"] = settings
    app.config["KG_STORE"] = store or open_store(settings)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.extensions["kg.admission"] = admission.Admission(settings.client_max_queries)
    app.extensions["kg.trusted_proxies"] = admission.trusted_networks(settings.trusted_proxies)
    errors.register(app)
    pages.register(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.before_request(_before)
    app.after_request(_after)
    app.add_url_rule("/health", "health", _health)
    return app


def _before() -> Response | None:
    g.started = time.perf_counter()
    settings = context.settings()
    if len(request.query_string) > settings.max_request_bytes:
        raise UriTooLong(f"query string over {settings.max_request_bytes} bytes",
                         "max_request_bytes")
    if (request.content_length or 0) > settings.max_request_bytes:
        raise PayloadTooLarge(f"request body over {settings.max_request_bytes} bytes",
                              "max_request_bytes")
    if request.method == "OPTIONS":  # CORS preflight
        return Response(status=204)
    return None


def _after(response: Response) -> Response:
    settings = context.settings()
    response.headers["Access-Control-Allow-Origin"] = settings.cors_origin
    response.headers["Access-Control-Expose-Headers"] = "KG-Result-Truncated, Content-Disposition"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = PAGE_POLICY
        response.headers["X-Frame-Options"] = "DENY"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    access_log.info("%s %s %d %.0fms", request.method, _logged(request.path),
                    response.status_code, elapsed)
    return response


def _logged(path: str) -> str:
    """The path percent-encoded again, as it came on the wire: a decoded %0a or space in it
    would let a client write a line of its own into the log."""
    return quote(path, safe=PATH_SAFE)


def _health() -> Response:
    """For load balancers: 200 while a worker is alive to answer queries, else 503; the
    workers as they are (probe F19: /health said ok while every query was a 503)."""
    store = context.store()
    workers = store.health()
    status = ("ok" if workers.alive == workers.size
              else "degraded" if workers.alive else "unavailable")
    response = jsonify({"status": status, "graphs": len(store.graph_names()),
                        "workers": {"size": workers.size, "alive": workers.alive,
                                    "restarts": workers.restarts,
                                    "last_error": workers.last_error}})
    response.status_code = 200 if workers.alive else 503
    return response
