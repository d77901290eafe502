"""Read protocol parameters strictly: UTF-8 or a 400, and repeated parameters kept as lists.

Werkzeug replaces bad bytes silently; the protocol wants a clear error instead, so the raw query
string and form body are decoded here.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Request

from kg.errors import ProtocolError, UnsupportedMediaType

FORM = "application/x-www-form-urlencoded"


def _decode(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("ascii"), keep_blank_values=True, encoding="utf-8",
                         errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"{where} is not UTF-8 (percent-encoded UTF-8 expected)") from exc


def url_params(request: Request) -> dict[str, list[str]]:
    return _grouped(_decode(request.query_string, "the query string"))


def form_params(request: Request) -> dict[str, list[str]]:
    return _grouped(_decode(request.get_data(cache=True), "the form body"))


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        out.setdefault(name, []).append(value)
    return out


def body_text(request: Request) -> str:
    """A direct POST body (application/sparql-query or -update) as UTF-8 text."""
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset} is not supported; send UTF-8")
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"the request body is not UTF-8 (byte {exc.start})") from exc


def one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(f"exactly one {name} parameter is allowed, got {len(values)}")
    return values[0] if values else None


def post_params(request: Request, direct_type: str, field: str) -> tuple[str | None,
                                                                         dict[str, list[str]]]:
    """(operation text, other parameters) of a POST, by its media type."""
    if request.mimetype == FORM:
        params = form_params(request)
        for name, values in url_params(request).items():
            params.setdefault(name, []).extend(values)
        return one(params, field), params
    if request.mimetype == direct_type:
        params = url_params(request)
        if field in params:
            raise ProtocolError(f"a {direct_type} request carries the operation in its body, "
                                f"not in a {field} parameter")
        return body_text(request), params
    shown = request.mimetype or "no Content-Type"
    raise UnsupportedMediaType(f"{shown}: POST {FORM} or {direct_type}")
