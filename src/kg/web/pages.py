"""What every HTML page shares: the linker in templates, one way to render, Vary on Accept.

Pages are server-rendered and complete without JavaScript; scripts only add to them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Flask, Response, render_template

from kg.formats import RDF_FORMATS
from kg.web.context import linker

T = TypeVar("T")


def register(app: Flask) -> None:
    """Template globals (so imported macros see them too): `href` (where an IRI is served),
    `short` (its prefixed name), `named` (shown by its label), `rdf_formats` (what a page
    offers its data in) and `base_iri`."""
    app.jinja_env.globals.update(href=lambda iri: linker().href(str(iri)),
                                 short=lambda iri: linker().short(str(iri)),
                                 named=lambda iri: linker().named(str(iri)),
                                 rdf_formats=RDF_FORMATS)
    app.context_processor(lambda: {"base_iri": linker().base_iri})


def render(template: str, status: int = 200, **context: Any) -> Response:
    """An HTML page; it varies by Accept because the same URL also serves RDF or JSON."""
    response = Response(render_template(template, **context), status=status,
                        content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response
