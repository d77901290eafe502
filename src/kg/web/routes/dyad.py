"""GET /dyad/<state>/<state>: the events between two states, as a picture and a list, or as
JSON; GET /dyad: pick two states.

A state is named by its local id, as its entity page is (/id/turkey → /dyad/turkey/…), or by
one of its names, which redirects to the ids. An unknown state is a 404; a segment no state
could be named by (a control character, over MAX_SEGMENT characters), the same state twice,
or a half-filled form is a 400.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from flask import Blueprint, Response, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from kg.errors import NotAcceptable, NotFound, ProtocolError
from kg.iris import Iris
from kg.views.dyad import State, StateEvents, dyad
from kg.web import negotiate
from kg.web.context import reader, settings, state_events
from kg.web.draw.dyad_svg import direction_label, directions, draw
from kg.web.pages import render
from kg.web.params import one, url_params

bp = Blueprint("dyad", __name__)
MAX_SEGMENT = 200


def _wants_json() -> bool:
    fmt = one(url_params(request), "format")
    if fmt is not None:
        wanted = fmt.strip().lower()
        if wanted not in ("json", "html", "application/json", *negotiate.HTML_MEDIA):
            raise NotAcceptable(f"format {fmt!r}: a dyad page is html or json")
        return wanted in ("json", "application/json")
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json")


def _state(model: StateEvents, segment: str) -> State:
    if (not segment.strip() or len(segment) > MAX_SEGMENT
            or any(ord(c) < 32 or ord(c) == 127 for c in segment)):
        shown = segment if len(segment) <= 40 else segment[:40] + "…"
        raise ProtocolError(f"{shown!r} names no state: give a state's id (as in /id/<id>) "
                            "or its name")
    found = model.resolve(segment)
    if found is None:
        raise NotFound(f"no state is named {segment!r}")
    return found


def _path(a: State, b: State) -> str:
    return f"/dyad/{quote(a.key, safe='')}/{quote(b.key, safe='')}"


@bp.route("/dyad")
def choose() -> BaseResponse:
    """The form: two states; filled in, it leads to their page."""
    params = url_params(request)
    first, second = one(params, "a"), one(params, "b")
    model = state_events()
    if first is not None or second is not None:
        if not first or not second:
            raise ProtocolError("choose two states (parameters a and b)")
        a, b = _state(model, first), _state(model, second)
        if a == b:
            raise ProtocolError("a dyad is two different states")
        return redirect(_path(a, b), 303)
    return render("dyad-choose.html", section="dyad", states=model.sorted_states(),
                  pairs=model.pairs(), path=_path)


@bp.route("/dyad/<first>/<second>")
def page(first: str, second: str) -> BaseResponse:
    model = state_events()
    a, b = _state(model, first), _state(model, second)
    if a == b:
        raise ProtocolError("a dyad is two different states")
    if (a.key, b.key) != (first, second):  # asked by name: the page lives at the ids
        target = _path(a, b) + (f"?{request.query_string.decode('ascii')}"
                                if request.query_string else "")
        return redirect(target, 302)  # names follow the data: not a permanent move
    found = dyad(reader(), Iris(settings().base_iri), model, a, b)
    if _wants_json():
        response = Response(json.dumps(found.to_json(), ensure_ascii=False, indent=2) + "\n",
                            content_type="application/json; charset=utf-8")
        response.headers["Vary"] = "Accept"
        return response
    types = list(model.types.values())
    bands = [(d, direction_label(found, d)) for d in directions(found)]
    totals = found.totals()
    return render("dyad.html", section="dyad", dyad=found, picture=draw(found, types),
                  bands=bands, totals=totals, notations=sorted({t for t, _ in totals}),
                  reverse=_path(b, a))
