"""KGError → HTTP, in one place. Every error has one body shape (RFC 9457 problem+json):
{"type", "title", "status", "detail"} plus "line"/"column" for query syntax and "setting" for
limits. Unexpected exceptions are logged with their trace and answered as a bare 500.
"""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from kg.errors import KGError, LimitExceeded, QuerySyntaxError, Unauthorized

log = logging.getLogger("kg.web")
PROBLEM = "application/problem+json"


# Machine interfaces answer errors as problem+json whatever the Accept header says.
API_PATHS = ("/sparql", "/update", "/store", "/api/", "/explain", "/data.", "/health")


def problem(status: int, title: str, detail: str, **extra: object) -> Response:
    if _wants_page():
        try:
            return _page(status, title, detail)
        except Exception:  # the page itself failed: the plain shape still reaches the client
            log.exception("error page failed")
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(json.dumps(body, ensure_ascii=False) + "\n", status=status,
                    content_type=f"{PROBLEM}; charset=utf-8")


def kg_error(exc: KGError) -> Response:
    extra: dict[str, object] = {}
    if isinstance(exc, QuerySyntaxError):
        extra = {"line": exc.line, "column": exc.column}
    if isinstance(exc, LimitExceeded):
        extra = {"setting": exc.setting}
    response = problem(exc.http_status, exc.title, str(exc), **extra)
    if isinstance(exc, Unauthorized):
        response.headers["WWW-Authenticate"] = 'Bearer realm="diplo-kg"'
    return response


def http_error(exc: HTTPException) -> Response:
    response = problem(exc.code or 500, exc.name, exc.description or exc.name)
    if exc.code == 405 and exc.response is None:
        allowed = getattr(exc, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(sorted(allowed))
    return response


def unexpected(exc: Exception) -> Response:
    log.exception("unexpected error")
    return problem(500, "Internal error", "The server failed; the error is logged.")


def _wants_page() -> bool:
    """A person in a browser on a page URL: the same error, as a page they can read."""
    if request.path.startswith(API_PATHS):
        return False
    accept = request.accept_mimetypes
    return accept.quality("text/html") > accept.quality("application/json") and any(
        value == "text/html" for value, _ in accept)


def _page(status: int, title: str, detail: str) -> Response:
    body = render_template("error.html", status=status, title=title, detail=detail,
                           section=None)
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def register(app: Flask) -> None:
    app.register_error_handler(KGError, kg_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)
