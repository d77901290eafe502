"""Content negotiation: the Accept header (q-values, wildcards) or a `format` parameter.

A browser link can say ?format=csv; a client sends Accept. No Accept (or */*) gets the
default: SPARQL JSON for SELECT/ASK, Turtle for graphs.
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept

from ..errors import NotAcceptable
from ..serialize import FORMATS

RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
RESULT_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
                  "sparql-results+json": "json", "srj": "json", "srx": "xml"}
RDF_ORDER = ("ttl", "jsonld", "nt", "xml", "trig", "nq")
RDF_ALIASES = {"turtle": "ttl", "application/x-turtle": "ttl", "json-ld": "jsonld",
               "json": "jsonld", "application/json": "jsonld", "ntriples": "nt", "n-triples": "nt",
               "text/plain": "nt", "rdf": "xml", "rdfxml": "xml", "rdf+xml": "xml",
               "application/xml": "xml", "text/xml": "xml", "nquads": "nq", "n-quads": "nq"}


def media_type(name: str, graph: bool) -> str:
    return FORMATS[name].media_type if graph else RESULT_MEDIA[name]


def content_type(name: str, graph: bool) -> str:
    """The Content-Type header: every format here is UTF-8 text."""
    return f"{media_type(name, graph)}; charset=utf-8"


def choose(graph: bool, fmt: str | None, accept: MIMEAccept) -> str:
    """The format name for a result: RDF formats for graphs, SPARQL result formats otherwise."""
    names = RDF_ORDER if graph else tuple(RESULT_MEDIA)
    aliases = RDF_ALIASES if graph else RESULT_ALIASES
    by_media = {media_type(n, graph): n for n in names}
    if fmt:
        wanted = fmt.strip().lower()
        found = wanted if wanted in names else aliases.get(wanted) or by_media.get(wanted)
        if found is None:
            kind = "an RDF graph" if graph else "a SELECT/ASK result"
            raise NotAcceptable(f"format {fmt!r} cannot carry {kind}; one of {', '.join(names)}")
        return found
    if not accept or accept.best == "*/*" and len(accept) == 1:
        return names[0]
    offers = list(by_media) + [m for m in aliases if "/" in m]
    # Werkzeug matches parameters exactly, so `Accept: text/turtle; charset=utf-8` would miss
    # the bare type; every format here is UTF-8, so that parameter is always satisfied.
    offers += [f"{m}; charset=utf-8" for m in offers]
    best = accept.best_match(offers)
    if best is None:
        raise NotAcceptable(f"none of the accepted types ({accept}) can carry this result; "
                            f"offered: {', '.join(by_media)}")
    bare = best.split(";")[0]
    return by_media.get(bare) or aliases[bare]


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
    rdf_quality = max((q for value, q in accept if value.split(";")[0].strip()
                       in (FORMATS[rdf].media_type, *RDF_ALIASES)), default=0)
    return "html" if html_quality >= rdf_quality else rdf
