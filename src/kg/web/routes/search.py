"""GET /api/search (JSON, for the completion box and the workbench) and GET /search (a page).

Both read one index per dataset state; the page is complete without script.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from kg.errors import ProtocolError
from kg.views.search import Hit
from kg.vocab import DK, PREFIXES
from kg.web.context import linker, search_index, settings
from kg.web.pages import render
from kg.web.params import one, url_params

bp = Blueprint("search", __name__)
DEFAULT_LIMIT = 10
PAGE_LIMIT = 25


def _limit(params: dict[str, list[str]], default: int) -> int:
    """The limit parameter, cut to search_max_results; a bad one is the client's error."""
    limit = settings().search_max_results
    text = one(params, "limit")
    if text is None or not text.strip():
        return min(default, limit)
    try:
        value = int(text)
    except ValueError:
        raise ProtocolError(f"parameter limit takes a whole number, not {text!r}") from None
    if value < 1:
        raise ProtocolError("parameter limit must be at least 1")
    return min(value, limit)


def _types(params: dict[str, list[str]]) -> list[str] | None:
    """type= values as IRIs: a full IRI, a prefixed name (dk:State) or a bare class (State)."""
    values = [v.strip() for v in params.get("type", []) if v.strip()]
    if not values:
        return None
    out = []
    for value in values:
        prefix, _, local = value.partition(":")
        if value.startswith(("http://", "https://")):
            out.append(value)
        elif not local:
            out.append(str(DK) + value)
        elif prefix in PREFIXES:
            out.append(str(PREFIXES[prefix]) + local)
        else:
            raise ProtocolError(f"parameter type: unknown prefix in {value!r}")
    return out


def _hits(params: dict[str, list[str]], default_limit: int) -> tuple[str, list[Hit]]:
    query = (one(params, "q") or "").strip()
    limit = _limit(params, default_limit)
    types = _types(params)
    return query, search_index().search(query, limit, types) if query else []


def _as_json(hit: Hit) -> dict:
    links = linker()
    return {"iri": hit.iri, "label": hit.label, "href": links.href(hit.iri),
            "types": [links.short(t) for t in hit.types], "matched": hit.matched,
            "score": hit.score}


@bp.route("/api/search")
def api_search() -> Response:
    params = url_params(request)
    query, hits = _hits(params, DEFAULT_LIMIT)
    if not query:
        raise ProtocolError("parameter q is required: the text to search for")
    body = {"query": query, "results": [_as_json(hit) for hit in hits]}
    return Response(json.dumps(body, ensure_ascii=False) + "\n",
                    content_type="application/json; charset=utf-8")


@bp.route("/search")
def search_page() -> Response:
    params = url_params(request)
    query, hits = _hits(params, PAGE_LIMIT)
    return render("search.html", section=None, search_query=query, hits=hits,
                  types=params.get("type", []))
