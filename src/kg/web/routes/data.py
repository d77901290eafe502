"""Dumps and dataset metadata: /data.<ext>, /context.jsonld and /.well-known/void.

Dumps are exactly the bytes `kg export` writes, streamed in chunks, with a strong ETag (the
SHA-256 of the bytes) so clients can revalidate instead of downloading again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from urllib.parse import quote

from flask import Blueprint, Response, request
from rdflib import Graph

from kg.dataset.graphs import graph_name
from kg.dataset.serialize import jsonld_context, serialize_graph
from kg.errors import NotFound
from kg.formats import RDF_FORMATS, TABLE_FORMATS, from_extension, rdf_format
from kg.iris import Iris
from kg.views.events_table import events_csv
from kg.views.void import ServiceUrls, void_graph
from kg.web import negotiate
from kg.web.context import per_version, settings, store
from kg.web.pages import render
from kg.web.params import one, url_params

bp = Blueprint("data", __name__)
CHUNK = 64 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@bp.route("/data", methods=["GET"])
def downloads() -> Response:
    """The page that lists the dumps and the graphs one can download alone."""
    names = store().graph_names()  # asked of the store: no snapshot for a list of names
    facts = [n for n in names if n.startswith(Iris(settings().base_iri).fact_graph_prefix())]
    graphs = [n for n in names if n not in facts]
    return render("data.html", graphs=graphs, fact_graphs=len(facts), section="data",
                  table_formats=TABLE_FORMATS)


@bp.route("/data.<ext>", methods=["GET"])
def dump(ext: str) -> Response:
    fmt = from_extension(ext, RDF_FORMATS)
    if fmt is None:
        raise NotFound(f"no dump /data.{ext}; one of "
                       f"{', '.join('/data.' + f.extension for f in RDF_FORMATS)}")
    name = one(url_params(request), "graph")
    graphs = _graphs(name) if name else None
    body = store().export(fmt, graphs)
    response = _cacheable(body, negotiate.content_type(fmt.name, True), "no-cache")
    filename = f"diplo-kg-{_slug(name)}.{ext}" if name else f"diplo-kg.{ext}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/data/events.csv", methods=["GET"])
def events() -> Response:
    """The PLOVER events as a flat CSV table: the bytes `kg export --format events-csv` writes."""
    fmt = TABLE_FORMATS[0]
    body = per_version("events.csv", lambda read, current: events_csv(read, Iris(
        current.base_iri)))
    response = _cacheable(body, f"{fmt.media_type}; charset=utf-8", "no-cache")
    response.headers["Content-Disposition"] = 'attachment; filename="diplo-kg-events.csv"'
    return response


def _graphs(name: str) -> list[str]:
    """The graph IRIs a short name or IRI stands for, all of which must hold triples."""
    try:
        iris = graph_name(store().graph_names(), Iris(settings().base_iri), name)
    except ValueError:
        iris = []
    present = set(store().graph_names())
    if not iris or any(str(iri) not in present for iri in iris):
        raise NotFound(f"no graph {name!r}: a graph IRI, or one of ontology, entities, links, "
                       "provenance, inferred, facts")
    return [str(iri) for iri in iris]


def _slug(name: str) -> str:
    """A file-name-safe form of a graph name (an IRI becomes its path, dashed)."""
    tail = name.split("://", 1)[-1]
    return _UNSAFE.sub("-", tail).strip("-.") or "graph"


@bp.route("/context.jsonld", methods=["GET"])
def context() -> Response:
    body = json.dumps({"@context": jsonld_context(settings().base_iri)}, indent=2,
                      sort_keys=True).encode("utf-8") + b"\n"
    return _cacheable(body, "application/ld+json; charset=utf-8", "public, max-age=86400")


@bp.route("/.well-known/void", methods=["GET"])
def void() -> Response:
    fmt = negotiate.choose(True, one(url_params(request), "format"), request.accept_mimetypes)
    body = serialize_graph(_void(request.url_root), rdf_format(fmt), settings().base_iri)
    response = _cacheable(body, negotiate.content_type(fmt, True), "no-cache")
    response.headers["Vary"] = "Accept"
    return response


def _void(root_url: str) -> Graph:
    """The VoID graph, computed once per snapshot of the store (and per address served at)."""
    urls = ServiceUrls(
        description=f"{root_url}.well-known/void", sparql=f"{root_url}sparql",
        dumps=tuple(f"{root_url}data.{fmt.extension}" for fmt in RDF_FORMATS),
        graph_dump=lambda name: f"{root_url}data.nq?graph={quote(name, safe='')}")
    return per_version(f"void {root_url}", lambda read, current: void_graph(
        read, current.base_iri, urls))


def _cacheable(body: bytes, content_type: str, cache_control: str) -> Response:
    """A streamed response with a strong ETag; 304 when the client already has these bytes."""
    etag = hashlib.sha256(body).hexdigest()
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = Response(_chunks(body), content_type=content_type)
        response.headers["Content-Length"] = str(len(body))
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control
    return response


def _chunks(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), CHUNK):
        yield body[start:start + CHUNK]
