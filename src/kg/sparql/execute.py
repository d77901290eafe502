"""The one SPARQL executor: `kg query` and the server's workers both answer through it.

A query is evaluated over a dataset whose default graph is the union of all named graphs
(ontology, entities, links, facts, provenance, inferred), so a plain query sees everything and
GRAPH narrows it. The result is capped at max_rows and written in the requested format; the
deadline is kept by the caller (a worker process that the pool kills), because rdflib cannot
interrupt a query in the middle.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import IO

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.results.xmlresults import SPARQLXMLWriter
from rdflib.query import Result

from kg.dataset.serialize import serialize_graph
from kg.errors import KGError, QueryError
from kg.formats import RESULT_FORMATS as RESULTS
from kg.formats import rdf_format
from kg.sparql.parse import prepare_query, prepared_query

RESULT_FORMATS = tuple(f.name for f in RESULTS)


@dataclass(frozen=True)
class QueryRequest:
    """A query and how to answer it; dataset IRIs override the query's FROM / FROM NAMED."""

    text: str
    result_format: str          # a SPARQL results format for SELECT/ASK, an RDF one for graphs
    base_iri: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000
    base: str | None = None
    # False for the read models (Store.select): the default graph is the store's unnamed one.
    union_default: bool = True


@dataclass(frozen=True)
class QueryAnswer:
    kind: str
    body: bytes
    count: int          # rows (SELECT), triples (CONSTRUCT/DESCRIBE), 1 (ASK)
    truncated: bool     # the row limit cut the result


def execute(dataset: Dataset, request: QueryRequest) -> QueryAnswer:
    """Evaluate, cap and serialise one query; QueryError for the query's own faults."""
    if request.default_graphs or request.named_graphs:
        prepared = prepare_query(request.text, request.base)  # a fresh copy: we change it
        prepared.algebra["datasetClause"] = (
            [CompValue("DatasetClause", default=URIRef(g)) for g in request.default_graphs]
            + [CompValue("DatasetClause", named=URIRef(g)) for g in request.named_graphs])
    else:
        prepared = prepared_query(request.text, request.base)
    try:
        result = dataset.query(prepared)
        # rdflib evaluates lazily: a bad REGEX or IRI fails while the rows are read, so they
        # are read here, where that failure is still the query's.
        triples = sorted(result.graph or []) if result.type in ("CONSTRUCT", "DESCRIBE") else []
        rows = list(result.bindings) if result.type == "SELECT" else []
    except (KGError, MemoryError):  # MemoryError: over worker_memory_mb, the worker's to say
        raise
    except Exception as exc:  # evaluation errors are the query's (type errors, bad IRIs …)
        raise QueryError(f"query failed: {exc}") from exc
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph()
        for triple in triples[: request.max_rows]:
            graph.add(triple)
        body = serialize_graph(graph, rdf_format(request.result_format), request.base_iri)
        return QueryAnswer(result.type, body, min(len(triples), request.max_rows),
                           len(triples) > request.max_rows)
    truncated = False
    if result.type == "SELECT":
        truncated = len(rows) > request.max_rows
        result.bindings = rows[: request.max_rows]
    count = len(result.bindings) if result.type == "SELECT" else 1
    if request.result_format not in RESULT_FORMATS:
        raise QueryError(f"{request.result_format!r} is not a format for a {result.type} result; "
                         f"one of {', '.join(RESULT_FORMATS)}")
    if result.type == "ASK" and request.result_format in ("csv", "tsv"):
        body = ask_table(bool(result.askAnswer), request.result_format)
    elif request.result_format == "tsv":
        body = _tsv(result)
    elif request.result_format == "xml":
        body = _xml(result)
    else:
        body = result.serialize(format=request.result_format, encoding="utf-8") or b""
    return QueryAnswer(result.type, body, count, truncated)


def ask_table(answer: bool, result_format: str) -> bytes:
    """An ASK answer in CSV or TSV, which SPARQL 1.1 defines for SELECT only: one column,
    _askResult, one row, true or false (what Jena and RDF4J write), so that the README's
    "CSV for SELECT/ASK" holds on every store."""
    value = "true" if answer else "false"
    if result_format == "csv":
        return f"_askResult\r\n{value}\r\n".encode()
    return f"?_askResult\n{value}\n".encode()


class _XmlWriter(SPARQLXMLWriter):
    """rdflib's SPARQL XML writer, but a literal whose value is false (0, 0.0, false) keeps its
    text: rdflib hands the term to XMLGenerator.characters, which skips falsy content, so
    COUNT(*) = 0 came out as an empty literal that clients (rdflib's SPARQLStore) cannot read."""

    def __init__(self, output: IO, encoding: str = "utf-8"):
        super().__init__(output, encoding)
        characters = self.writer.characters
        self.writer.characters = lambda content: characters(str(content))  # type: ignore[method-assign]


def _xml(result: Result) -> bytes:
    out = io.BytesIO()
    writer = _XmlWriter(out)
    if result.type == "ASK":
        writer.write_header([])
        writer.write_ask(bool(result.askAnswer))
    else:
        writer.write_header(result.vars or [])
        writer.write_results_header()
        for row in result.bindings:
            writer.write_start_result()
            for name, value in row.items():
                writer.write_binding(name, value)
            writer.write_end_result()
    writer.close()
    return out.getvalue()


def _tsv(result: Result) -> bytes:
    """SPARQL 1.1 TSV: '?var' headers, terms in N-Triples syntax (rdflib has no writer)."""
    names = [str(v) for v in result.vars or []]
    lines = ["\t".join(f"?{n}" for n in names)]
    for row in result:
        lines.append("\t".join(_n3(row[i]) for i in range(len(names))))  # type: ignore[index]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _n3(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, (URIRef, Literal)):
        return term.n3().replace("\t", "\\t").replace("\n", "\\n")
    return str(term.n3()) if hasattr(term, "n3") else str(term)  # blank nodes


def table(json_body: bytes, shorten: dict[str, str]) -> str:
    """A SPARQL JSON result as a plain text table for the terminal, IRIs shortened by prefix."""
    data = json.loads(json_body)
    if "boolean" in data:
        return "true" if data["boolean"] else "false"
    names = data["head"].get("vars", [])
    by_length = sorted(shorten.items(), key=lambda item: -len(item[1]))
    rows = [[_cell(binding.get(n), by_length) for n in names]
            for binding in data["results"]["bindings"]]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    out = [line(names), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(o.rstrip() for o in out)


def _cell(term: dict[str, str] | None, prefixes: list[tuple[str, str]]) -> str:
    if term is None:
        return ""
    value = term["value"]
    if term["type"] == "uri":
        for prefix, namespace in prefixes:
            if value.startswith(namespace):
                return f"{prefix}:{value[len(namespace):]}"
    if term["type"] == "bnode":
        return f"_:{value}"
    return value
