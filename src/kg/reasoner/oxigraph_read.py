"""A file read by Oxigraph's parser straight into the engine's ints (kg.reasoner.files).

Oxigraph's terms are the keys of the look-up: they hash and compare in Rust, so a term seen
before costs one look-up and no Python string. A new one is encoded once: an IRI from its
text, a literal without datatype or language as text, any other literal as rdflib reads it
(its identity is rdflib's: "007"^^xsd:integer is 7), a blank node by its order of first
appearance in the file (Oxigraph names anonymous nodes at random).

A large N-Triples or N-Quads file, whose lines are statements, is read in two halves on two
cores: a forked process reads the second half into ids of its own and sends them, with the
terms they stand for, back through a pipe; this process reads the first half meanwhile, then
encodes the second's terms in their order. Ids come out as a reading from start to end gives
them, so the closure and its bytes are the same. If either half fails to parse, the whole
file is read again in one piece, whose error (with its line) is the one reported.
"""

from __future__ import annotations

import os
import pickle
import threading
from array import array
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef

from kg.dataset.triples import XSD_STRING
from kg.reasoner.index import Triple
from kg.reasoner.terms import TermDictionary

SPLIT_FROM = 16 * 2**20  # bytes: below this one process reads the file before two start
_LINE_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)
# The kinds of term a forked reader sends back, each with its text (literal: and datatype,
# language)
_IRI, _BLANK, _PLAIN, _LITERAL = range(4)


class _Reader:
    """The encoding of one file's terms into ``terms`` (see the module)."""

    def __init__(self, terms: TermDictionary, blank_prefix: str) -> None:
        self.terms, self.blank_prefix = terms, blank_prefix
        self.seen: dict[Any, int] = {}
        self.blanks: dict[str, int] = {}
        self.xsd_string = ox.NamedNode(XSD_STRING)

    def read(self, statements: Any) -> list[Triple]:
        get, encode = self.seen.get, self.encode
        out: list[Triple] = []
        append = out.append
        for quad in statements:
            s, p, o = quad.subject, quad.predicate, quad.object
            si, pi, oi = get(s), get(p), get(o)
            append((encode(s) if si is None else si, encode(p) if pi is None else pi,
                    encode(o) if oi is None else oi))
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

    def merge(self, sent: tuple[list[tuple[Any, ...]], bytes]) -> list[Triple]:
        """A forked reader's triples (_read_second_half), in this reader's ids."""
        described, packed = sent
        terms, ids = self.terms, []
        for kind, text, *literal in described:
            if kind == _IRI:
                ids.append(terms.encode_iri(text))
            elif kind == _BLANK:
                ids.append(self.blank(text))
            elif kind == _PLAIN:
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
                  blank_prefix: str) -> list[Triple]:
    """The file's triples (graph names dropped) as ints of ``terms``; SyntaxError (or
    OSError, ValueError) when Oxigraph refuses it."""
    base = path.resolve().as_uri()  # relative IRIs resolve against the file, as rdflib does
    if (parser in _LINE_FORMATS and hasattr(os, "fork") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1 and path.stat().st_size >= SPLIT_FROM):
        before = len(terms)
        try:
            return _read_in_halves(path, parser, terms, blank_prefix, base)
        except (SyntaxError, OSError, ValueError):
            terms.truncate(before)  # read again in one piece, from the same dictionary
    return _Reader(terms, blank_prefix).read(ox.parse(path=str(path), format=parser,
                                                      base_iri=base))


def _read_in_halves(path: Path, parser: ox.RdfFormat, terms: TermDictionary,
                    blank_prefix: str, base: str) -> list[Triple]:
    with path.open("rb") as data:
        data.seek(path.stat().st_size // 2)
        data.readline()
        middle = data.tell()
        data.seek(0)
        first = data.read(middle)
    receive, send = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the forked reader; its work is checked by its result)
        os.close(receive)
        status = 1
        try:
            with os.fdopen(send, "wb") as pipe:
                pipe.write(_read_second_half(path, middle, parser, base))
            status = 0
        finally:
            os._exit(status)
    os.close(send)
    try:
        reader = _Reader(terms, blank_prefix)
        with os.fdopen(receive, "rb") as pipe:
            triples = reader.read(ox.parse(first, format=parser, base_iri=base))
            del first
            sent = pipe.read()
    finally:
        _, status = os.waitpid(child, 0)
    if status != 0 or not sent:
        raise ValueError(f"{path}: the second half was not read")
    return triples + reader.merge(pickle.loads(sent))  # our own fork's bytes


def _read_second_half(path: Path, middle: int, parser: ox.RdfFormat, base: str) -> bytes:
    """The forked reader: the terms of the file from ``middle`` on, described in order of
    first appearance, and its triples as their local numbers."""
    with path.open("rb") as data:
        data.seek(middle)
        text = data.read()
    seen: dict[Any, int] = {}
    described: list[tuple[Any, ...]] = []
    xsd_string = ox.NamedNode(XSD_STRING)

    def number(node: Any) -> int:
        kind = type(node)
        if kind is ox.NamedNode:
            described.append((_IRI, node.value))
        elif kind is ox.BlankNode:
            described.append((_BLANK, node.value))
        elif node.language or node.datatype != xsd_string:
            described.append((_LITERAL, node.value, node.datatype.value, node.language))
        else:
            described.append((_PLAIN, node.value))
        found = seen[node] = len(seen)
        return found

    get = seen.get
    local = array("q")
    append = local.append
    for quad in ox.parse(text, format=parser, base_iri=base):
        s, p, o = quad.subject, quad.predicate, quad.object
        si, pi, oi = get(s), get(p), get(o)
        append(number(s) if si is None else si)
        append(number(p) if pi is None else pi)
        append(number(o) if oi is None else oi)
    return pickle.dumps((described, local.tobytes()), protocol=pickle.HIGHEST_PROTOCOL)
