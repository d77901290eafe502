"""GET /timeline: every dated event of the dataset, as a picture and a list, or as JSON."""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from kg.errors import NotAcceptable
from kg.web import negotiate
from kg.web.context import linker, timeline_events
from kg.web.draw.timeline_svg import draw
from kg.web.pages import render
from kg.web.params import one, url_params

bp = Blueprint("timeline", __name__)


def _wants_json() -> bool:
    fmt = one(url_params(request), "format")
    if fmt is not None:
        wanted = fmt.strip().lower()
        if wanted not in ("json", "html", "application/json", *negotiate.HTML_MEDIA):
            raise NotAcceptable(f"format {fmt!r}: the timeline is html or json")
        return wanted in ("json", "application/json")
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.route("/timeline")
def timeline() -> Response:
    found = timeline_events()
    if _wants_json():
        body = {"events": [event.to_json() for event in found]}
        response = Response(json.dumps(body, ensure_ascii=False, indent=2) + "\n",
                            content_type="application/json; charset=utf-8")
        response.headers["Vary"] = "Accept"
        return response
    return render("timeline.html", section="timeline", events=found,
                  picture=draw(found, linker().href))
