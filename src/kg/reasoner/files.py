"""`kg reason` on files: Oxigraph's parser straight into the engine's ints, and the closure
written as text, with no rdflib term or serialiser on the way for most of the data.

Through rdflib, one LUBM university spends most of its time outside the rules: building an
rdflib term for every term of every triple, adding the closure to a Graph, and serialising it.
Here Oxigraph's terms are encoded once each (oxigraph_read.py: an IRI from its text, a literal
as kg.dataset.triples reads it, so the closure is the same triple for triple; a large
N-Triples file on two cores). N-Triples and N-Quads are written line
by line in the bytes rdflib's serialiser writes, sorted as kg.dataset.serialize sorts them;
Turtle and TriG by Oxigraph's serialiser, from the same sorted triples. Blank nodes are named
by file and order of first appearance (``_:f0b3``), so the same input gives the same bytes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.compare import to_canonical_graph
from rdflib.term import Node
from rdflib.util import guess_format

from kg.dataset.halves import Halves
from kg.dataset.serialize import OxigraphTerms, oxigraph_turtle
from kg.dataset.triples import OXIGRAPH_PARSERS, read_triples
from kg.formats import RdfFormat
from kg.reasoner.budget import Budget
from kg.reasoner.consistency import inconsistencies
from kg.reasoner.engine import close_encoded, no_cyclic_gc
from kg.reasoner.index import Triple
from kg.reasoner.oxigraph_read import read_oxigraph
from kg.reasoner.terms import BLANK, LITERAL, TermDictionary


@dataclass(frozen=True)
class FileClosure:
    terms: TermDictionary
    inferred: list[Triple]  # the closure less input and noise, as ints of terms
    input_triples: int
    seconds: float  # the engine's, from taking in the parsed triples to the fixpoint
    inconsistencies: tuple[str, ...]


def reason_files(paths: Iterable[Path], budget: Budget,
                 readers: Sequence[Halves | None] = ()) -> FileClosure:
    """The native engine's closure of RDF files, each read by Oxigraph where it can (else by
    rdflib, as kg.dataset.triples.read_triples decides; RdfSyntaxError names a bad file).
    ``readers``: per file, the readers of its halves if they were started (Halves)."""
    terms = TermDictionary()
    triples: list[Triple] = []
    with no_cyclic_gc():  # as in the closure: millions of tuples, no cycle among them
        for number, (path, halves) in enumerate(zip_longest(paths, readers)):
            triples += read_encoded(path, terms, f"f{number}b", halves)
        engine = close_encoded(terms, triples, budget)
        derived = len(engine.derived) - len(engine.restated)
        inferred = engine.inferred_ids()
        return FileClosure(terms, inferred, len(engine.store) - derived,
                           time.perf_counter() - engine.started,
                           inconsistencies(engine.store, terms))


def read_encoded(path: Path, terms: TermDictionary, blank_prefix: str,
                 halves: Halves | None = None) -> list[Triple]:
    """The file's triples (graph names dropped) as ints of ``terms``."""
    parser = OXIGRAPH_PARSERS.get(_format_name(path))
    if parser is not None:
        try:
            return read_oxigraph(path, parser, terms, blank_prefix, halves)
        except (SyntaxError, OSError, ValueError):
            pass  # rdflib may accept what Oxigraph refuses; its error is the one reported
    elif halves is not None:
        halves.cancel()
    return _rdflib_encoded(read_triples(path), terms, blank_prefix)


def _rdflib_encoded(triples: list[tuple[Node, Node, Node]], terms: TermDictionary,
                    blank_prefix: str) -> list[Triple]:
    """Triples rdflib read, whose blank nodes it names at random: they are named after their
    canonical labels (rdflib.compare), in order, so that they too come out the same."""
    if any(isinstance(n, BNode) for t in triples for n in t):
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        triples = list(to_canonical_graph(graph))
        labels = sorted({str(n) for t in triples for n in t if isinstance(n, BNode)})
        blanks = {label: terms.encode_blank(f"{blank_prefix}{number}")
                  for number, label in enumerate(labels)}
    else:
        blanks = {}

    def encode(node: Node) -> int:
        return blanks[str(node)] if isinstance(node, BNode) else terms.encode(node)

    return [(encode(s), encode(p), encode(o)) for s, p, o in triples]


def _format_name(path: Path) -> str:
    return guess_format(str(path)) or "turtle"


def write(closure: FileClosure, fmt: RdfFormat, base_iri: str) -> bytes | None:
    """The inferred triples in N-Triples, N-Quads (the default graph), Turtle or TriG (the
    default graph: Turtle); None for another format (the caller serialises it with rdflib)."""
    with no_cyclic_gc():
        if fmt.name in ("nt", "nq"):
            lines = sorted(_lines(closure))
            return ("".join(lines) if lines else "\n").encode("utf-8")
        if fmt.name in ("ttl", "trig"):
            ordered = sorted(zip(_lines(closure), closure.inferred, strict=True))
            make, decode = OxigraphTerms(), closure.terms.decode
            triples = (ox.Triple(*make.triple((decode(s), decode(p), decode(o))))
                       for _, (s, p, o) in ordered)
            return oxigraph_turtle(triples, base_iri)
    return None


def decoded(closure: FileClosure) -> list[tuple[Node, Node, Node]]:
    decode = closure.terms.decode
    return [(decode(s), decode(p), decode(o)) for s, p, o in closure.inferred]


def _lines(closure: FileClosure) -> list[str]:
    """One N-Triples line per inferred triple, as rdflib's serialiser writes it."""
    text = _NTriples(closure.terms)
    done, term = text.done, text.term
    get = done.get  # most terms recur: their text is a look-up, not a call
    return [f"{get(s) or term(s)} {get(p) or term(p)} {get(o) or term(o)} .\n"
            for s, p, o in closure.inferred]


class _NTriples:
    """Each term's N-Triples text, made once."""

    def __init__(self, terms: TermDictionary) -> None:
        self.terms = terms
        self.done: dict[int, str] = {}

    def term(self, term_id: int) -> str:
        found = self.done.get(term_id)
        if found is None:
            found = self.done[term_id] = self._text(term_id)
        return found

    def _text(self, term_id: int) -> str:
        raw, kind = self.terms.terms[term_id], self.terms.kinds[term_id]
        if kind != LITERAL:
            if type(raw) is str:
                return f"_:{raw}" if kind == BLANK else f"<{raw}>"
            return self.terms.decode(term_id).n3()  # rdflib's: it refuses an unwritable IRI
        # plain text for a literal with neither datatype nor language (encode_plain_literal)
        literal = raw if type(raw) is str else self.terms.decode(term_id)
        assert isinstance(literal, str)
        # rdflib's N-Triples escaping (plugins/serializers/nt.py), for the same bytes
        quoted = '"{}"'.format(literal.replace("\\", "\\\\").replace("\n", "\\n")
                               .replace('"', '\\"').replace("\r", "\\r"))
        if not isinstance(literal, Literal):
            return quoted
        if literal.language:
            return f"{quoted}@{literal.language}"
        return f"{quoted}^^<{literal.datatype}>" if literal.datatype else quoted
