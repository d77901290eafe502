"""Run SPARQL over the dataset and write results; rdflib's errors become KGErrors here.

The default graph of a query is the union of all named graphs (ontology, entities, links,
facts, provenance, inferred), so a plain query sees everything and GRAPH narrows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyparsing import ParseBaseException
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.query import Result

from .errors import NotBuiltError, QueryError, QuerySyntaxError
from .graph import new_dataset
from .serialize import RdfFormat, serialize_graph

RESULT_FORMATS = {"json": "application/sparql-results+json",
                  "xml": "application/sparql-results+xml",
                  "csv": "text/csv", "tsv": "text/tab-separated-values"}


@dataclass(frozen=True)
class QueryOutcome:
    """A query's result: kind is SELECT, ASK, CONSTRUCT or DESCRIBE."""

    kind: str
    result: Result

    @property
    def is_graph(self) -> bool:
        return self.kind in ("CONSTRUCT", "DESCRIBE")


def load_dataset(path: Path) -> Dataset:
    """Read a built dataset (TriG)."""
    if not path.exists():
        raise NotBuiltError(f"no dataset at {path}: run `kg build` first")
    dataset = new_dataset()
    with path.open("rb") as data:
        dataset.parse(source=data, format="trig")
    return dataset


def run_query(dataset: Dataset, text: str) -> QueryOutcome:
    """Parse and evaluate a query; QuerySyntaxError carries the parser's line and column."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(text)
    except ParseBaseException as exc:
        raise QuerySyntaxError(f"{exc.msg} at line {exc.lineno}, column {exc.col}",
                               exc.lineno, exc.col) from exc
    except Exception as exc:  # rdflib's algebra raises bare exceptions for bad queries
        raise QuerySyntaxError(str(exc)) from exc
    try:
        result = dataset.query(prepared)
    except Exception as exc:  # evaluation errors (bad function use …) are the query's fault
        raise QueryError(f"query failed: {exc}") from exc
    return QueryOutcome(result.type, result)


def result_bytes(outcome: QueryOutcome, fmt: str) -> bytes:
    """A SELECT/ASK result as SPARQL JSON, XML, CSV or TSV."""
    if fmt == "tsv":
        return _tsv(outcome.result)
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown result format {fmt!r}; one of {', '.join(RESULT_FORMATS)}")
    data = outcome.result.serialize(format=fmt, encoding="utf-8")
    return data if isinstance(data, bytes) else str(data).encode("utf-8")


def graph_bytes(outcome: QueryOutcome, fmt: RdfFormat, base_iri: str) -> bytes:
    """A CONSTRUCT/DESCRIBE result in an RDF format."""
    graph = Graph()
    for triple in outcome.result:
        graph.add(triple)  # type: ignore[arg-type]
    return serialize_graph(graph, fmt, base_iri)


def _tsv(result: Result) -> bytes:
    """SPARQL 1.1 TSV: '?var' headers, terms in N-Triples syntax (rdflib has no writer)."""
    if result.type == "ASK":
        return f"?_askResult\n{'true' if result.askAnswer else 'false'}\n".encode()
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


def table(outcome: QueryOutcome, prefixes: dict[str, str]) -> str:
    """A plain text table for the terminal: IRIs shortened with the given prefixes."""
    result = outcome.result
    if outcome.kind == "ASK":
        return "true" if result.askAnswer else "false"
    names = [str(v) for v in result.vars or []]
    by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    rows = [[_short(row[i], by_length) for i in range(len(names))]  # type: ignore[index]
            for row in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    out = [line(names), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(o.rstrip() for o in out)


def _short(term: object, prefixes: list[tuple[str, str]]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, namespace in prefixes:
            if str(term).startswith(namespace):
                return f"{prefix}:{str(term)[len(namespace):]}"
    return str(term)
