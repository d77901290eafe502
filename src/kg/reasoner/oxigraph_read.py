"""A file read by Oxigraph's parser straight into the engine's ints (kg.reasoner.files).

Oxigraph's terms are the keys of the look-up: they hash and compare in Rust, so a term seen
before costs one look-up and no Python string. A new one is encoded once: an IRI from its
text, a literal without datatype or language as text, any other literal as rdflib reads it
(its identity is rdflib's: "007"^^xsd:integer is 7), a blank node by its order of first
appearance in the file (Oxigraph names anonymous nodes at random).

A large N-Triples or N-Quads file is read in two halves on two cores, by forked processes
(kg.dataset.halves), whose terms are encoded here, the first half's then the second's. Ids
come out as a reading from start to end gives them, so the closure and its bytes are the
same. If either half fails to parse, the whole file is read again in one piece, whose error
(with its line) is the one reported.
"""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef

from kg.dataset.halves import (
    BLANK,
    IRI,
    PLAIN,
    XSD_STRING,
    Described,
    Halves,
    base_iri,
    check,
)
from kg.reasoner.index import Triple
from kg.reasoner.terms import TermDictionary

_LINE_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)


class _Reader:
    """The encoding of one file's terms into ``terms`` (see the module)."""

    def __init__(self, terms: TermDictionary, blank_prefix: str) -> None:
        self.terms, self.blank_prefix = terms, blank_prefix
        self.seen: dict[Any, int] = {}
        self.blanks: dict[str, int] = {}
        self.xsd_string = ox.NamedNode(XSD_STRING)

    def read(self, statements: Any, checked: bool = True) -> list[Triple]:
        """``checked``: False for statements read leniently (halves.parse_lines), whose new
        terms are checked here, all of a statement's before any is encoded (a bad line
        leaves the dictionary as a strict reading leaves it)."""
        get, encode = self.seen.get, self.encode
        out: list[Triple] = []
        append = out.append
        for quad in statements:
            s, p, o = quad.subject, quad.predicate, quad.object
            si, pi, oi = get(s), get(p), get(o)
            if si is None or pi is None or oi is None:
                if not checked:
                    for node, found in ((s, si), (p, pi), (o, oi)):
                        if found is None:
                            check(node)
                si = encode(s) if si is None else si
                pi = encode(p) if pi is None else pi
                oi = encode(o) if oi is None else oi
            append((si, pi, oi))
        return out

    def encode(self, node: Any) -> int:
        kind = type(node)
        if kind is ox.NamedNode:
            found = self.terms.encode_iri(node.value)
        elif kind is ox.BlankNode:
            found = self.blank(node.value)
        elif node.language or node.datatype != self.xsd_string:
            found = self.terms.encode(_literal(node.value, node.datatype.value, node.language))
        else:
            found = self.terms.encode_plain_literal(node.value)
        self.seen[node] = found
        return found

    def blank(self, label: str) -> int:
        found = self.blanks.get(label)
        if found is None:
            found = self.blanks[label] = self.terms.encode_blank(
                f"{self.blank_prefix}{len(self.blanks)}")
        return found

    def merge(self, sent: Described) -> list[Triple]:
        """A forked reader's triples (kg.dataset.halves), in this reader's ids."""
        described, packed = sent
        terms, ids = self.terms, []
        for kind, text, *literal in described:
            if kind == IRI:
                ids.append(terms.encode_iri(text))
            elif kind == BLANK:
                ids.append(self.blank(text))
            elif kind == PLAIN:
                ids.append(terms.encode_plain_literal(text))
            else:
                ids.append(terms.encode(_literal(text, *literal)))
        local = array("q")
        local.frombytes(packed)
        flat = [ids[i] for i in local]
        return list(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))


def _literal(value: str, datatype: str, language: str | None) -> Literal:
    """The literal rdflib's parser makes (kg.dataset.triples: plain for xsd:string)."""
    if language:
        return Literal(value, lang=language)
    return Literal(value) if datatype == XSD_STRING else Literal(
        value, datatype=URIRef(datatype))


def read_oxigraph(path: Path, parser: ox.RdfFormat, terms: TermDictionary,
                  blank_prefix: str, halves: Halves | None = None) -> list[Triple]:
    """The file's triples (graph names dropped) as ints of ``terms``; SyntaxError (or
    OSError, ValueError) when Oxigraph refuses it. ``halves``: the readers of its halves, if
    they were started (else they are started here when the file is large enough)."""
    base = base_iri(path)
    if halves is None and parser in _LINE_FORMATS:
        halves = Halves.start(path)
    if halves is not None:
        before = len(terms)
        try:
            return _read_halves(terms, blank_prefix, halves)
        except (SyntaxError, OSError, ValueError):
            terms.truncate(before)  # read again in one piece, from the same dictionary
        finally:
            halves.cancel()
    lines = parser in _LINE_FORMATS  # read leniently, each new term checked (parse_lines)
    return _Reader(terms, blank_prefix).read(
        ox.parse(path=str(path), format=parser, base_iri=base, lenient=lines), checked=not lines)


def _read_halves(terms: TermDictionary, blank_prefix: str, halves: Halves) -> list[Triple]:
    sent = halves.results()
    if sent is None:
        raise ValueError("a half was not read")
    reader = _Reader(terms, blank_prefix)
    return [t for half in sent for t in reader.merge(half)]
