"""create_app(settings, store) → the Flask app. The factory only wires: blueprints do the work."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, jsonify, request

from ..errors import PayloadTooLarge, UriTooLong
from ..settings import Settings, from_env
from ..store import DatasetStore, Store
from . import errors, pages
from .sparql import bp as sparql_bp

access_log = logging.getLogger("kg.access")
CORS_HEADERS = "Accept, Authorization, Content-Type"
CORS_METHODS = "GET, POST, PUT, DELETE, HEAD, OPTIONS"
# Each a module of kg.web with a `bp`: exports, graph store, explanations, then the pages.
BLUEPRINTS = ("data", "store", "explain", "workbench", "search", "timeline", "resources",
              "sources", "vocabulary")


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    settings = settings or from_env()
    app = Flask(__name__)
    app.config["KG_SETTINGS"] = settings
    app.config["KG_STORE"] = store or DatasetStore(
        settings.path("dataset_file"), settings.base_iri, settings.workers,
        settings.allowed_services, settings.result_cache_entries,
        settings.result_cache_mb * 1_000_000)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    errors.register(app)
    pages.register(app)
    app.register_blueprint(sparql_bp)
    for module in _optional_blueprints():
        app.register_blueprint(module)
    app.before_request(_before)
    app.after_request(_after)
    app.add_url_rule("/health", "health", _health)
    return app


def _optional_blueprints() -> list:
    """Blueprints of other concerns (exports, graph store, pages) once their modules exist."""
    found = []
    for name in BLUEPRINTS:
        try:
            module = __import__(f"kg.web.{name}", fromlist=["bp"])
        except ModuleNotFoundError as exc:
            if exc.name != f"kg.web.{name}":
                raise
            continue
        found.append(module.bp)
    return found


def _before() -> Response | None:
    g.started = time.perf_counter()
    settings: Settings = g_settings()
    if len(request.query_string) > settings.max_request_bytes:
        raise UriTooLong(f"query string over {settings.max_request_bytes} bytes",
                         "max_request_bytes")
    if (request.content_length or 0) > settings.max_request_bytes:
        raise PayloadTooLarge(f"request body over {settings.max_request_bytes} bytes",
                              "max_request_bytes")
    if request.method == "OPTIONS":  # CORS preflight
        return Response(status=204)
    return None


def g_settings() -> Settings:
    from flask import current_app

    return current_app.config["KG_SETTINGS"]


def _after(response: Response) -> Response:
    settings = g_settings()
    response.headers["Access-Control-Allow-Origin"] = settings.cors_origin
    response.headers["Access-Control-Expose-Headers"] = "KG-Result-Truncated, Content-Disposition"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    access_log.info("%s %s %d %.0fms", request.method, request.path, response.status_code, elapsed)
    return response


def _health() -> Response:
    from flask import current_app

    store = current_app.config["KG_STORE"]
    return jsonify({"status": "ok", "graphs": len(store.graph_names())})
