"""A plain ('striped') RDF/XML writer with subjects and predicates in sorted order.

rdflib's RDF/XML serialisers order subjects and namespaces by set iteration (so output
changes between processes), and its pretty writer drops triples on list nodes. This writes
one rdf:Description per subject, which every RDF/XML parser reads.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF
from rdflib.term import Node

_RDF_NS = str(RDF)


def _split(iri: str) -> tuple[str, str]:
    """Namespace and local name of a predicate IRI (local part must be an XML name)."""
    cut = len(iri)
    while cut > 0 and (iri[cut - 1].isalnum() or iri[cut - 1] in "_-."):
        cut -= 1
    while cut < len(iri) and not (iri[cut].isalpha() or iri[cut] == "_"):
        cut += 1
    if cut >= len(iri):
        raise ValueError(f"predicate {iri} cannot be written in RDF/XML")
    return iri[:cut], iri[cut:]


def to_rdfxml(graph: Graph) -> bytes:
    bound = {str(ns): prefix for prefix, ns in graph.namespaces()}
    prefixes: dict[str, str] = {_RDF_NS: "rdf"}
    triples = sorted(graph)
    for _, predicate, _ in triples:
        namespace, _ = _split(str(predicate))
        if namespace not in prefixes:
            prefix = bound.get(namespace) or f"ns{len(prefixes)}"
            taken = prefix in prefixes.values()
            prefixes[namespace] = f"ns{len(prefixes)}" if taken else prefix
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"   xmlns:{prefix}={quoteattr(ns)}" for ns, prefix in
              sorted(prefixes.items(), key=lambda item: item[1])]
    lines[-1] += ">"
    current = None
    for subject, predicate, obj in triples:
        if subject != current:
            if current is not None:
                lines.append("  </rdf:Description>")
            lines.append(f"  <rdf:Description {_node_attr(subject, 'about')}>")
            current = subject
        namespace, local = _split(str(predicate))
        tag = f"{prefixes[namespace]}:{local}"
        if isinstance(obj, Literal):
            attrs = ""
            if obj.language:
                attrs = f" xml:lang={quoteattr(obj.language)}"
            elif obj.datatype:
                attrs = f" rdf:datatype={quoteattr(str(obj.datatype))}"
            lines.append(f"    <{tag}{attrs}>{escape(str(obj))}</{tag}>")
        else:
            lines.append(f"    <{tag} {_node_attr(obj, 'resource')}/>")
    if current is not None:
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _node_attr(node: Node, kind: str) -> str:
    if isinstance(node, BNode):
        return f"rdf:nodeID={quoteattr('b' + str(node))}"
    return f"rdf:{kind}={quoteattr(str(node))}"
