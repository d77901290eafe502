"""What every HTML page shares: the linker in templates, one way to render, Vary on Accept.

Pages are server-rendered and complete without JavaScript; scripts only add to them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, render_template

from ..settings import Settings
from .links import Linker

T = TypeVar("T")
# How the RDF formats are named on pages, in the order pages list them.
FORMAT_TITLES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "xml": "RDF/XML",
                 "trig": "TriG", "nq": "N-Quads"}


def linker() -> Linker:
    settings: Settings = current_app.config["KG_SETTINGS"]
    return Linker(settings.base_iri)


def register(app: Flask) -> None:
    """Template globals (so imported macros see them too): `href` (where an IRI is served),
    `short` (its prefixed name), `named` (shown by its label) and `base_iri`."""
    app.jinja_env.globals.update(href=lambda iri: linker().href(str(iri)),
                                 short=lambda iri: linker().short(str(iri)),
                                 named=lambda iri: linker().named(str(iri)))
    app.context_processor(lambda: {"base_iri": linker().base_iri})


def render(template: str, status: int = 200, **context: Any) -> Response:
    """An HTML page; it varies by Accept because the same URL also serves RDF or JSON."""
    response = Response(render_template(template, **context), status=status,
                        content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def per_dataset(name: str, factory: Callable[[Any, Settings], T]) -> T:
    """An object computed from the dataset (an index, an explainer), built once per app.

    With writes allowed the data may change under it, so then it is rebuilt per request.
    """
    settings: Settings = current_app.config["KG_SETTINGS"]
    store = current_app.config["KG_STORE"]
    if settings.allow_update:
        return factory(store.dataset(), settings)
    cache: dict[str, Any] = current_app.extensions.setdefault("kg.per_dataset", {})
    if name not in cache:
        cache[name] = factory(store.dataset(), settings)
    return cache[name]
