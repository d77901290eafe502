"""The SPARQL 1.1 Protocol: queries at /sparql, updates at /update (off unless turned on)."""

from __future__ import annotations

import hmac

from flask import Blueprint, Request, Response, request

from kg.errors import Forbidden, ProtocolError, Unauthorized
from kg.settings import Settings
from kg.sparql.execute import QueryRequest
from kg.sparql.ops import UpdateOp
from kg.sparql.parse import GRAPH_KINDS, check_nesting, query_kind
from kg.web import negotiate
from kg.web.context import admitted, settings, store
from kg.web.params import FORM, form_params, one, post_params, url_params
from kg.web.service_description import service_description

bp = Blueprint("sparql", __name__)
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    if request.method == "GET":
        params = url_params(request)
        text = one(params, "query")
        if text is None:
            if "update" in params:
                raise ProtocolError("updates are sent with POST to /update")
            return service_description(request, settings(), store())
        return run_query(text, params)
    if request.mimetype == UPDATE_TYPE or (request.mimetype == FORM and "update" in
                                           form_params(request) and "query" not in
                                           form_params(request)):
        return update()
    text, params = post_params(request, QUERY_TYPE, "query")
    if text is None:
        raise ProtocolError("no query parameter")
    return run_query(text, params)


def timeout_seconds(params: dict[str, list[str]]) -> float:
    """The setting's limit, or less if the client asks (timeout=ms); never more, and never
    under min_query_timeout_ms (probe F7: timeout=1 stopped a worker per request)."""
    limit = settings().query_timeout_ms
    asked = one(params, "timeout")
    if asked:
        try:
            limit = min(limit, max(settings().min_query_timeout_ms, int(asked)))
        except ValueError:
            raise ProtocolError(f"timeout takes milliseconds, not {asked!r}") from None
    return limit / 1000


def run_query(text: str, params: dict[str, list[str]]) -> Response:
    """The worker parses the query under its time limit (and refuses a SERVICE that is not
    allow-listed); here only its kind is read, to choose the format."""
    check_nesting(text, settings().max_query_nesting)
    is_graph = query_kind(text) in GRAPH_KINDS
    fmt = negotiate.choose(is_graph, negotiate.format_parameter(params, is_graph),
                           request.accept_mimetypes)
    query = QueryRequest(
        text=text, result_format=fmt, base_iri=settings().base_iri,
        default_graphs=tuple(params.get("default-graph-uri", [])),
        named_graphs=tuple(params.get("named-graph-uri", [])),
        max_rows=settings().max_rows, base=request.base_url)
    with admitted(timeout_seconds(params)) as turn:
        answer = store().query(query, turn.seconds_left, long_only=turn.suspect)
    response = Response(answer.body, content_type=negotiate.content_type(fmt, is_graph))
    response.headers["Vary"] = "Accept"
    if answer.truncated:
        response.headers["KG-Result-Truncated"] = (
            f"true; limit={settings().max_rows}; setting=max_rows")
    return response


@bp.route("/update", methods=["POST"])
def update() -> Response:
    if not settings().allow_update:
        raise Forbidden("SPARQL Update is off: this endpoint is read-only "
                        "(an operator can start kg serve with --allow-update)")
    check_token(request, settings())
    text, params = post_params(request, UPDATE_TYPE, "update")
    if text is None:
        raise ProtocolError("no update parameter")
    check_nesting(text, settings().max_query_nesting)
    using = tuple(params.get("using-graph-uri", []))
    using_named = tuple(params.get("using-named-graph-uri", []))
    # Not read here: the store parses and checks it (USING, LOAD and SERVICE IRIs) where it
    # runs, in a worker under the time limit, so no update text can hold the web process.
    with admitted(timeout_seconds(params)) as turn:
        store().write(UpdateOp(text, using, using_named, request.base_url), turn.seconds_left)
    return Response(status=204)


def check_token(req: Request, config: Settings) -> None:
    """Writes need `Authorization: Bearer <update_token>`."""
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                            config.update_token.encode()):
        raise Unauthorized("writes need the bearer token given at start-up "
                           "(Authorization: Bearer <token>)")
