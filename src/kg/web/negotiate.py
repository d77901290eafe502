"""Content negotiation: the Accept header (q-values, wildcards) or a `format` parameter.

A browser link can say ?format=csv; a client sends Accept. No Accept (or */*) gets the
default: SPARQL JSON for SELECT/ASK, Turtle for graphs. Endpoints never agreed on the
parameter's name, so clients send `format`, `output` and `results` alike, sometimes each twice
(SPARQLWrapper: `format=tsv&format=text/tab-separated-values`): all are read, and they must
name one format.
"""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header
from werkzeug.utils import cached_property

from kg.errors import NotAcceptable, ProtocolError
from kg.formats import (
    RDF_FORMATS,
    RESULT_FORMATS,
    Format,
    from_media_type,
    media_types,
    rdf_format,
    requested,
    result_format,
)


class CappedAcceptRequest(Request):
    """A request whose Accept header is read only up to its first ``max_accept_entries``
    media types: Werkzeug parses and sorts every entry, so 60,000 of them cost seconds of CPU
    a request (probe F10). create_app sets the limit from the setting."""

    max_accept_entries = 64

    @cached_property
    def accept_mimetypes(self) -> MIMEAccept:
        header = self.headers.get("Accept", "")
        kept = header.split(",", self.max_accept_entries)[:self.max_accept_entries]
        return parse_accept_header(",".join(kept), MIMEAccept)


def content_type(name: str, graph: bool) -> str:
    """The Content-Type header: every format here is UTF-8 text."""
    fmt = rdf_format(name) if graph else result_format(name)
    return f"{fmt.media_type}; charset=utf-8"


FORMAT_PARAMETERS = ("format", "output", "results")


def format_parameter(params: dict[str, list[str]], graph: bool) -> str | None:
    """The short name of the format that the format/output/results parameters name, or None.

    A blank value says nothing (SPARQLWrapper sends one in place of `*/*`); a value with commas
    lists alternatives, as SPARQLWrapper copies its Accept list into the parameter, and names
    the first one the server writes. Values naming two formats are a 400 that says which.
    """
    family: tuple[Format, ...] = RDF_FORMATS if graph else RESULT_FORMATS
    named: dict[str, str] = {}  # format name -> the parameter that first named it
    for parameter in FORMAT_PARAMETERS:
        for value in params.get(parameter, []):
            if value.strip():
                named.setdefault(_named_format(value, family).name, f"{parameter}={value}")
    if len(named) > 1:
        raise ProtocolError("the format parameters disagree: " + ", ".join(
            f"{given} asks for {name}" for name, given in named.items())
            + "; send one format (format, output and results are the same parameter)")
    return next(iter(named), None)


def _named_format(value: str, family: tuple[Format, ...]) -> Format:
    alternatives = [item for item in value.split(",") if item.strip()]
    for item in alternatives[:-1]:
        try:
            return requested(item, family)
        except NotAcceptable:
            continue
    return requested(alternatives[-1] if alternatives else value, family)


def choose(graph: bool, fmt: str | None, accept: MIMEAccept) -> str:
    """The format name for a result: RDF formats for graphs, SPARQL result formats otherwise."""
    family: tuple[Format, ...] = RDF_FORMATS if graph else RESULT_FORMATS
    if fmt:
        return requested(fmt, family).name
    if not accept or accept.best == "*/*" and len(accept) == 1:
        return family[0].name
    offers = media_types(family)
    # Werkzeug matches parameters exactly, so `Accept: text/turtle; charset=utf-8` would miss
    # the bare type; every format here is UTF-8, so that parameter is always satisfied.
    offers += [f"{m}; charset=utf-8" for m in offers]
    best = accept.best_match(offers)
    found = from_media_type(best, family) if best else None
    if found is None:
        # The header is not echoed: it is the client's to know, and may be huge.
        raise NotAcceptable("none of the types in the Accept header can carry this result; "
                            f"offered: {', '.join(f.media_type for f in family)}")
    return found.name


HTML_MEDIA = ("text/html", "application/xhtml+xml")


def choose_page(fmt: str | None, accept: MIMEAccept) -> str:
    """'html' for a person, else the RDF format name, for a resource that has both.

    ?format=html (or an RDF name) decides outright. A browser lists text/html, so it gets the
    page; a client that lists RDF types gets RDF; `*/*` alone (curl) or nothing gets Turtle, as
    a Linked Data client that says nothing expects data, not markup.
    """
    if fmt and fmt.strip().lower() in ("html", *HTML_MEDIA):
        return "html"
    if fmt:
        return choose(True, fmt, accept)
    html_quality = max(accept.quality(m) for m in HTML_MEDIA) if accept else 0
    explicit_html = any(value in HTML_MEDIA for value, _ in accept) if accept else False
    if not explicit_html:
        return choose(True, None, accept)
    try:
        rdf = choose(True, None, accept)
    except NotAcceptable:
        return "html"
    naming = (rdf_format(rdf).media_type, *(alias for f in RDF_FORMATS for alias in f.aliases))
    rdf_quality = max((q for value, q in accept if value.split(";")[0].strip() in naming),
                      default=0)
    return "html" if html_quality >= rdf_quality else rdf
