"""A large N-Triples or N-Quads file read by Oxigraph in two forked processes, one per half.

A line of these formats is a statement, so a file splits at any line into two that parse
alone. Each reader numbers the terms of its half in order of first appearance and sends them
(each described by its kind and text) with its triples as those numbers through a pipe;
kg.reasoner.oxigraph_read encodes the first half's terms, then the second's, so that ids come
out as one reading from start to end gives them.

Apart from the reasoner and from rdflib (this module imports pyoxigraph alone): `kg reason`
starts the readers before it imports them, so the file is read while they load.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
from array import array
from pathlib import Path
from typing import Any

import pyoxigraph as ox

SPLIT_FROM = 16 * 2**20  # bytes: below this, one process reads the file before two start
FORMATS = {".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# What a term is, in the description the reader sends: (IRI, text), (BLANK, label),
# (PLAIN, text) for a literal with neither datatype nor language, (LITERAL, text, datatype,
# language) for any other literal.
IRI, BLANK, PLAIN, LITERAL = range(4)
Described = tuple[list[tuple[Any, ...]], bytes]  # the terms, the triples as int64 numbers


def base_iri(path: Path) -> str:
    """Relative IRIs resolve against the file, as rdflib resolves them."""
    return path.resolve().as_uri()


def parse_lines(data: bytes | str, fmt: ox.RdfFormat, base: str) -> Any:
    """N-Triples or N-Quads read by Oxigraph without checking IRIs and language tags, twice
    as fast: the caller checks each term the first time it meets it (``check``)."""
    return ox.parse(data, format=fmt, base_iri=base, lenient=True)


def check(node: Any) -> None:
    """What Oxigraph's lenient reading leaves out for a term: its IRI (a literal's datatype)
    and language tag, as its strict reading checks them; SyntaxError if they are not valid."""
    kind = type(node)
    try:
        if kind is ox.NamedNode:
            ox.NamedNode(node.value)
        elif kind is ox.Literal:
            if node.language:
                ox.Literal(node.value, language=node.language)
            else:
                ox.NamedNode(node.datatype.value)
    except ValueError as exc:
        raise SyntaxError(f"{node}: {exc}") from exc


class Halves:
    """Forked readers of a file's two halves; ``results()`` or ``cancel()`` reaps them."""

    def __init__(self, readers: list[tuple[int, int]]) -> None:
        self.readers = readers  # (pid, pipe) of each half's reader, in file order
        self.done = False

    @classmethod
    def start(cls, path: Path) -> Halves | None:
        """The readers of the file's halves, if the file is worth two processes and this one
        can fork (no thread of its own that a fork would copy half-way)."""
        fmt = FORMATS.get(path.suffix.lower())
        if (fmt is None or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2
                or threading.active_count() > 1):
            return None
        try:
            size = path.stat().st_size
            if size < SPLIT_FROM:
                return None
            with path.open("rb") as data:
                data.seek(size // 2)
                data.readline()
                middle = data.tell()
        except OSError:
            return None  # the reading in one piece reports it
        return cls([_fork(path, begin, end, fmt) for begin, end in ((0, middle),
                                                                  (middle, size))])

    def results(self) -> list[Described] | None:
        """What the readers sent, in file order; None if either failed (a syntax error)."""
        sent, failed = [], False
        for pid, pipe in self.readers:
            with os.fdopen(pipe, "rb") as reading:
                data = reading.read()
            _, status = os.waitpid(pid, 0)
            failed = failed or status != 0 or not data
            sent.append(data)
        self.done = True
        return None if failed else [pickle.loads(data) for data in sent]  # our own forks'

    def cancel(self) -> None:
        if not self.done:
            self.done = True
            for pid, pipe in self.readers:
                os.close(pipe)  # a reader still writing gets EPIPE and ends
                os.waitpid(pid, 0)


def _fork(path: Path, begin: int, end: int, fmt: ox.RdfFormat) -> tuple[int, int]:
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (a forked reader; its result is what is tested)
        os.close(receive)
        gc.disable()  # a short life making a million objects, none of them in a cycle
        status = 1
        try:
            with os.fdopen(send, "wb") as pipe:
                pipe.write(_read(path, begin, end, fmt))
            status = 0
        finally:
            os._exit(status)
    os.close(send)
    return pid, receive


def _read(path: Path, begin: int, end: int, fmt: ox.RdfFormat) -> bytes:
    with path.open("rb") as data:
        data.seek(begin)
        text = data.read(end - begin)
    seen: dict[Any, int] = {}
    described: list[tuple[Any, ...]] = []
    add = described.append
    xsd_string = ox.NamedNode(XSD_STRING)

    def number(node: Any) -> int:
        check(node)
        kind = type(node)
        if kind is ox.NamedNode:
            add((IRI, node.value))
        elif kind is ox.BlankNode:
            add((BLANK, node.value))
        elif node.language or node.datatype != xsd_string:
            add((LITERAL, node.value, node.datatype.value, node.language))
        else:
            add((PLAIN, node.value))
        found = seen[node] = len(seen)
        return found

    get = seen.get
    numbers = array("q")
    append = numbers.append
    for quad in parse_lines(text, fmt, base_iri(path)):
        s, p, o = quad.subject, quad.predicate, quad.object
        si, pi, oi = get(s), get(p), get(o)
        append(number(s) if si is None else si)
        append(number(p) if pi is None else pi)
        append(number(o) if oi is None else oi)
    return pickle.dumps((described, numbers.tobytes()), protocol=pickle.HIGHEST_PROTOCOL)
