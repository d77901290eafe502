"""The SPARQL workbench at / and its example questions at /api/examples.

The page is a plain form that GETs /sparql, complete without JavaScript; when the YASGUI bundle
(copied into static/vendor/ by `make assets`) is there, workbench.js swaps the form for it.
Every query goes through /sparql like any client's, so the page adds no query path of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from kg.errors import DataFileError
from kg.formats import RDF_FORMATS, RESULT_FORMATS, Format
from kg.inputs.query_files import Example, find_example, load_examples
from kg.iris import Iris
from kg.vocab import ONTOLOGY_IRI, PREFIXES
from kg.web.context import settings
from kg.web.pages import render
from kg.web.params import one, url_params

bp = Blueprint("workbench", __name__)
# The prefixes the editor starts with; `id` and `kg` depend on the base IRI.
EDITOR_PREFIXES = ("dk", "id", "kg", "rdfs", "skos", "owl", "wd", "wdt", "prov", "nif", "xsd",
                   "dct")
VENDOR_FILES = ("yasgui.min.js", "yasgui.min.css")


@bp.route("/", methods=["GET"])
def workbench() -> Response:
    """The page; ?query= (a share link) or ?example=<id> fills the editor and runs at once."""
    params = url_params(request)
    examples, examples_error = _examples_or_error()
    asked = one(params, "example")
    example = find_example(examples, asked) if asked else None
    unknown = asked if asked and example is None and examples_error is None else None
    query = one(params, "query") or (example.query if example else None)
    prefixes = editor_prefixes(settings().base_iri)
    return render(
        "workbench.html", status=404 if unknown else 200, section="query", examples=examples,
        examples_error=examples_error, example=example, unknown_example=unknown,
        query=query or "", autorun=query is not None, prefix_lines=prefix_lines(prefixes),
        has_yasgui=has_vendor_files(), result_formats=RESULT_FORMATS,
        config={"endpoint": "/sparql", "searchApi": "/api/search", "baseIri": settings().base_iri,
                "ontologyIri": ONTOLOGY_IRI, "prefixes": prefixes,
                "examples": [e.as_json() for e in examples],
                "example": example.id if example and not one(params, "query") else None,
                "formats": {"results": _offered(RESULT_FORMATS), "graph": _offered(RDF_FORMATS)}})


@bp.route("/api/examples", methods=["GET"])
def examples_api() -> Response:
    return jsonify([example.as_json() for example in load_examples(settings().path(
        "queries_dir"))])


def _offered(formats: tuple[Format, ...]) -> list[dict[str, str]]:
    """What workbench.js needs of a format to make its download link."""
    return [{"name": f.name, "title": f.title, "extension": f.extension} for f in formats]


def _examples_or_error() -> tuple[list[Example], str | None]:
    """The page still works without its examples; it says why they are missing."""
    try:
        return load_examples(settings().path("queries_dir")), None
    except DataFileError as exc:
        return [], str(exc)


def editor_prefixes(base_iri: str) -> dict[str, str]:
    own = {"id": Iris(base_iri).entity_space(), "kg": base_iri}
    return {name: own.get(name) or str(PREFIXES[name]) for name in EDITOR_PREFIXES}


def prefix_lines(prefixes: dict[str, Any]) -> str:
    """PREFIX declarations with their IRIs aligned, as the query files write them."""
    width = max(len(name) for name in prefixes) + 2
    return "".join(f"PREFIX {name + ':':<{width}}<{iri}>\n" for name, iri in prefixes.items())


def has_vendor_files() -> bool:
    """Whether `make assets` has copied the YASGUI bundle in (a plain pip install has not)."""
    folder = Path(current_app.static_folder or "") / "vendor"
    return all((folder / name).is_file() for name in VENDOR_FILES)
