"""A resource as a page or as RDF, whichever the request asks for (Linked Data pages and the
source pages share it).
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from rdflib import URIRef
from rdflib.term import Node

from kg.dataset.serialize import serialize
from kg.errors import NotFound
from kg.formats import RDF_FORMATS, rdf_format
from kg.iris import Iris
from kg.views.describe import Description, as_dataset, reified
from kg.views.explain import ProofStep
from kg.views.neighbourhood import neighbourhood
from kg.vocab import DK, WD, WDT
from kg.web import negotiate
from kg.web.context import describer, explainer, linker, state_events
from kg.web.draw.neighbourhood_svg import draw
from kg.web.pages import render
from kg.web.params import one, url_params

MAX_PROOF_DEPTH = 8


def respond(iri: URIRef, template: str = "resource.html", **context: Any) -> Response:
    """The IRI's description as a page or as RDF, whichever the request asks for."""
    fmt = negotiate.choose_page(one(url_params(request), "format"), request.accept_mimetypes)
    description = describer().describe(iri)
    if fmt != "html":
        return rdf_response(description, fmt)
    return page(description, template, **context)


def rdf_response(description: Description, fmt: str) -> Response:
    current = describer()
    dataset = as_dataset(description, current)
    chosen = rdf_format(fmt)
    if not chosen.quads:  # without graph names, say per triple which graph holds it
        dataset = reified(dataset, current.iris)
    body = serialize(dataset, chosen, current.iris.base)
    response = Response(body, content_type=negotiate.content_type(fmt, True))
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = _alternates(description.iri)
    return response


def page(description: Description, template: str, **context: Any) -> Response:
    current = describer()
    labels = current.labels(shown(description))
    edges = neighbourhood(description, current, labels)
    kind = next((str(t).rsplit("#", 1)[-1] for t in description.types), "")
    label = description.label or linker().short(str(description.iri))
    picture = draw(label, kind, edges, linker().href) if edges else None
    proofs = {fact.triple: _proof(fact.triple) for fact in description.inferred}
    labels.add(term for step in proofs.values() if step for term in proof_terms(step))
    aligned = [f for f in description.inferred if _wikidata_side(f.triple, current.iris)]
    ours = [f for f in description.inferred if f not in aligned]
    is_state = DK.State in (*description.types, *description.inferred_types)
    partners = state_events().partners(str(description.iri)) if is_state else []
    key = str(description.iri).removeprefix(current.iris.entity_space())
    response = render(template, d=description, label=label, labels=labels,
                      picture=picture, edges=edges, proofs=proofs, partners=partners,
                      state_key=key,
                      inferred_groups=[("ours", ours), ("wikidata", aligned)],
                      max_depth=MAX_PROOF_DEPTH, section=None, **context)
    response.headers["Link"] = _alternates(description.iri)
    return response


def shown(description: Description) -> set[Node]:
    """The terms a description's page names: its facts' and its types."""
    facts = [*description.stated, *description.inferred]
    return {term for fact in facts for term in fact.triple} | {
        *description.types, *description.inferred_types}


def proof_terms(step: ProofStep) -> set[Node]:
    terms = set(step.triple)
    for premise in step.premises:
        terms |= proof_terms(premise)
    return terms


def _wikidata_side(triple: tuple, iris: Iris) -> bool:
    """Inferred only to answer Wikidata-style queries: wdt: properties, copies of our facts
    onto wd: items through owl:sameAs, and membership of the restrictions that give P31."""
    s, p, o = (str(t) for t in triple)
    return (p.startswith(str(WDT)) or s.startswith(str(WD)) or o.startswith(str(WD))
            or o.startswith(str(iris.skolem(""))))


def _proof(triple: tuple) -> ProofStep | None:
    try:
        return explainer().explain(triple)
    except NotFound:  # a triple only the full closure has (e.g. through owl:sameAs copies)
        return None


def _alternates(iri: URIRef) -> str:
    """RFC 8288 links to the same description in every RDF format."""
    path = linker().href(str(iri))
    return ", ".join(f'<{path}?format={fmt.name}>; rel="alternate"; type="{fmt.media_type}"'
                     for fmt in RDF_FORMATS)
