"""Queries and writes on an Oxigraph store, by Oxigraph's own engine on the query string.

The counterpart of execute.py and worker.apply_op for the Oxigraph store (its worker loop is
oxigraph_worker.py), with the same
contract: a QueryRequest in, a QueryAnswer out (capped at max_rows, QueryError for the query's
own faults). Results are written by pyoxigraph's serialisers. A SELECT is written once in
SPARQL TSV (one row a line, every term in full), which counts the rows and, when the result is
over max_rows, cuts it; it is read back and written in the wanted format: TSV is lossless,
so that one conversion is exact. The deadline is kept by the caller (the pool kills the
worker), as for rdflib: pyoxigraph offers no way to cancel a running query.

The default graph is the union of all graphs (``use_default_graph_as_union``), unless the
query has its own FROM / FROM NAMED or the protocol's default-graph-uri / named-graph-uri name
a dataset. Oxigraph's union is a bag (a triple stated in two graphs matches twice); a query on
a default graph of more than one graph is rewritten so that it reads a set, as rdflib's union
and SPARQL's RDF merge do (union_set.py), and a CONSTRUCT's triples are written once each.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import Forbidden, QueryError, QuerySyntaxError
from kg.formats import RESULT_FORMATS
from kg.sparql.execute import QueryAnswer, QueryRequest, ask_table
from kg.sparql.lexical import remote_calls, stream
from kg.sparql.ops import GraphOp, UpdateOp
from kg.sparql.parse import OPAQUE, remote_allowed
from kg.sparql.union_set import union_as_set

RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPHS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
          "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}
# The prefixes rdflib's parser declares by itself (rdf:, owl:, schema: …): the web layer
# accepts a query that uses them undeclared, so it must mean the same here.
PREFIXES = {prefix: str(ns) for prefix, ns in Graph().namespace_manager.namespaces()}
_FROM = re.compile(r"(?<![\w:?$-])FROM(?=[\s<])", re.I)


def has_dataset_clause(text: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED)."""
    return bool(_FROM.search(OPAQUE.sub(" ", text)))


def refuse_remote(text: str, allowed: tuple[str, ...]) -> None:
    """Forbidden for a SERVICE or LOAD that may reach an IRI not allow-listed.

    Oxigraph's engine makes its own HTTP calls, which the worker's audit hook does not see:
    this is the same guard for them, on the same tokens as the web layer and `kg query` read
    (lexical.py), which have refused such requests already. A target that is not a full IRI (a
    prefixed name, a variable) is refused, since it could name anything; an IRI's UCHAR escapes
    are decoded first, as Oxigraph decodes them.
    """
    for keyword, target in remote_calls(text):
        if not remote_allowed(target, allowed):
            raise Forbidden(f"{keyword} <{target}> is not allowed: no outbound request "
                            "leaves this store unless an operator lists its IRI in "
                            "service_allow")


def _dataset(request: QueryRequest) -> dict[str, Any]:
    """Keyword arguments of Store.query that pick the dataset the query runs on."""
    if not request.union_default:
        return {"default_graph": ox.DefaultGraph()}  # and every named graph, as by default
    if request.default_graphs or request.named_graphs:  # the protocol's choice wins
        return {"default_graph": [ox.NamedNode(g) for g in request.default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in request.named_graphs]}
    if has_dataset_clause(request.text):
        return {}
    return {"use_default_graph_as_union": True}


def merges_graphs(request: QueryRequest) -> bool:
    """Whether the query's default graph may hold one triple from several graphs."""
    if not request.union_default:
        return False
    if request.default_graphs or request.named_graphs:
        return len(request.default_graphs) > 1
    if not has_dataset_clause(request.text):
        return True  # the union of all graphs
    words = [t.word for t in stream(request.text)]
    return sum(1 for w, after in zip(words, words[1:], strict=False)
               if w == "FROM" and after != "NAMED") > 1


def _query(store: ox.Store, request: QueryRequest) -> Any:
    """Run the query, on a set when its default graph merges graphs. A syntax error is
    reported on the text the client sent, so that its line and column are theirs."""
    options: dict[str, Any] = {"base_iri": request.base, "prefixes": PREFIXES,
                               **_dataset(request)}
    text = union_as_set(request.text) if merges_graphs(request) else request.text
    try:
        return store.query(text, **options)
    except SyntaxError:
        if text == request.text:
            raise
    return store.query(request.text, **options)  # its own SyntaxError, or a rewrite's fault


def execute(store: ox.Store, request: QueryRequest) -> QueryAnswer:
    """Evaluate, cap and serialise one query; QueryError for the query's own faults."""
    try:
        return answer(_query(store, request), request)
    except SyntaxError as exc:
        raise syntax_error(exc) from exc
    except (OSError, ValueError) as exc:  # evaluation errors: SERVICE, bad IRIs …
        raise QueryError(f"query failed: {exc}") from exc


def answer(result: Any, request: QueryRequest) -> QueryAnswer:
    """A pyoxigraph result (of this store, or parsed from another server's answer) capped at
    max_rows and written in the requested format."""
    if isinstance(result, ox.QueryBoolean):
        fmt = _results(request, "ASK")
        if request.result_format in ("csv", "tsv"):  # Oxigraph writes a bare "true"
            return QueryAnswer("ASK", ask_table(bool(result), request.result_format), 1, False)
        return QueryAnswer("ASK", result.serialize(format=fmt) or b"", 1, False)
    if isinstance(result, ox.QuerySolutions):
        return _select(result, request)
    return _graph(result, request)


_POSITION = re.compile(r"error at (\d+):(\d+): ", re.S)


def syntax_error(exc: SyntaxError) -> QuerySyntaxError:
    """Oxigraph's message with its position said as rdflib's parser says it ("… at line L,
    column C"), and the line and column for the error body, so both stores report alike."""
    message = str(exc)
    found = _POSITION.match(message)
    if found is None:
        return QuerySyntaxError(message)
    line, column = int(found.group(1)), int(found.group(2))
    return QuerySyntaxError(f"{message[found.end():]} at line {line}, column {column}", line,
                            column)


def _results(request: QueryRequest, kind: str) -> ox.QueryResultsFormat:
    found = RESULTS.get(request.result_format)
    if found is None:
        raise QueryError(f"{request.result_format!r} is not a format for a {kind} result; "
                         f"one of {', '.join(f.name for f in RESULT_FORMATS)}")
    return found


def _select(solutions: ox.QuerySolutions, request: QueryRequest) -> QueryAnswer:
    fmt = _results(request, "SELECT")
    tsv = solutions.serialize(format=ox.QueryResultsFormat.TSV) or b""
    lines = tsv.split(b"\n")[:-1]  # header, then one line a row, each ended by a newline
    rows = len(lines) - 1
    truncated = rows > request.max_rows
    if truncated:
        tsv = b"\n".join(lines[: request.max_rows + 1]) + b"\n"
    if fmt == ox.QueryResultsFormat.TSV:
        return QueryAnswer("SELECT", tsv, min(rows, request.max_rows), truncated)
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    body = parsed.serialize(format=fmt) or b""
    return QueryAnswer("SELECT", body, min(rows, request.max_rows), truncated)


def _graph(triples: Iterable[ox.Triple], request: QueryRequest) -> QueryAnswer:
    fmt = GRAPHS.get(request.result_format)
    if fmt is None:
        raise QueryError(f"{request.result_format!r} is not a format for an RDF graph; "
                         f"one of {', '.join(GRAPHS)}")
    # Oxigraph writes a triple once per solution that makes it; a graph is a set (oxigraph#525).
    kept = list(itertools.islice(_unique(triples), request.max_rows + 1))
    truncated = len(kept) > request.max_rows
    kept = kept[: request.max_rows]
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    body = ox.serialize(kept, format=fmt, prefixes=prefixes) or b""
    return QueryAnswer("CONSTRUCT", body, len(kept), truncated)


def _unique(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    seen: set[ox.Triple] = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


def apply_op(store: ox.Store, op: UpdateOp | GraphOp) -> None:
    """Apply one write as one SPARQL Update (one transaction: all of it or nothing)."""
    if isinstance(op, UpdateOp):
        text = with_using(op.text, op.using, op.using_named)
    else:
        text = graph_update(op)
    if not text:
        return
    try:
        store.update(text, base_iri=op.base if isinstance(op, UpdateOp) else None,
                     prefixes=PREFIXES)
    except SyntaxError as exc:
        raise syntax_error(exc) from exc
    except (OSError, ValueError) as exc:
        raise QueryError(f"update failed: {exc}") from exc


def with_using(text: str, using: tuple[str, ...], using_named: tuple[str, ...]) -> str:
    """The protocol's using-graph-uri / using-named-graph-uri as USING clauses in the update.

    pyoxigraph takes no such arguments, so each DELETE/INSERT … WHERE operation gets the
    clauses before its WHERE (a WHERE at brace depth 0 that closes a template; the route has
    refused an update that has USING or WITH of its own). DELETE WHERE takes no USING.
    """
    if not using and not using_named:
        return text
    clauses = " ".join([f"USING <{g}>" for g in using]
                       + [f"USING NAMED <{g}>" for g in using_named]) + " "
    plain = OPAQUE.sub(lambda m: " " * len(m.group()), text)
    inserts, depth = [], 0
    for match in re.finditer(r"[{}]|(?<![\w:?$-])WHERE\b", plain, re.I):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and plain[: match.start()].rstrip().endswith("}"):
            inserts.append(match.start())
    for position in reversed(inserts):
        text = text[:position] + clauses + text[position:]
    return text


def graph_update(op: GraphOp) -> str:
    """A Graph Store operation as an update; the graph IRI was checked by the route."""
    graph = f"GRAPH <{op.graph}>" if op.graph else "DEFAULT"
    parts = []
    if op.action in ("put", "delete"):
        parts.append(f"DROP SILENT {graph}" if op.graph else "CLEAR SILENT DEFAULT")
    if op.action in ("put", "post") and op.ntriples.strip():
        body = f"GRAPH <{op.graph}> {{ {op.ntriples} }}" if op.graph else op.ntriples
        parts.append(f"INSERT DATA {{ {body} }}")
    return " ;\n".join(parts)  # empty: a POST of no triples changes nothing

