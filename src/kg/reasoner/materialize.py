"""OWL 2 RL closure of the stated graphs, into its own named graph.

The asserted graphs are never modified: only the new triples, less owlrl's noise, go to
graph/inferred. The noise filter (applied to every engine alike, kg.reasoner.result.is_noise):
- triples with a literal subject (owlrl's rdfs1/dt rules type literals; stores reject them);
- reflexive owl:sameAs (eq-ref gives every term 'x sameAs x');
- triples about the rdf/rdfs/owl/xsd vocabularies themselves (the axiomatic triples of the
  OWL 2 RL tables and their scm-* consequences on built-in terms).
Engines: ``native`` (kg.reasoner, the default) and ``owlrl`` (the reference); tests prove
their closures equal triple for triple.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.dataset.halves import Halves
from kg.dataset.serialize import serialize_graph
from kg.dataset.triples import Triple, read_triples
from kg.formats import RdfFormat
from kg.reasoner import DEFAULT_ENGINE, Budget, files, is_noise  # noqa: F401 (re-exported)
from kg.reasoner import closure as run_closure


@dataclass(frozen=True)
class ReasoningReport:
    input_triples: int
    inferred_triples: int
    seconds: float
    engine: str = DEFAULT_ENGINE
    inconsistencies: tuple[str, ...] = ()


def closure(graphs: Iterable[Iterable[Triple]], engine: str = DEFAULT_ENGINE,
            budget: Budget | None = None) -> tuple[Graph, ReasoningReport]:
    """The inferred triples (closure minus input minus noise) of the union of graphs (or of
    lists of triples)."""
    result = run_closure((t for g in graphs for t in g), budget or Budget(), engine=engine)
    inferred = Graph()
    for triple in result.inferred:
        inferred.add(triple)
    return inferred, ReasoningReport(result.input_triples, len(result.inferred),
                                     result.seconds, result.engine, result.inconsistencies)


def reason_files(paths: Iterable[Path], engine: str = DEFAULT_ENGINE,
                 budget: Budget | None = None) -> tuple[Graph, ReasoningReport]:
    """kg reason: the closure of RDF files in any format rdflib reads (by suffix)."""
    return closure([read_triples(path) for path in paths], engine, budget)


def closure_of_files(paths: Iterable[Path], fmt: RdfFormat, base_iri: str,
                     engine: str = DEFAULT_ENGINE, budget: Budget | None = None,
                     readers: Sequence[Halves | None] = ()) -> tuple[
                         bytes, ReasoningReport]:
    """kg reason: the inferred triples of RDF files, written in ``fmt``. The native engine
    reads and writes without rdflib's parsers and serialisers where it can (reasoner.files;
    ``readers``: per file, the readers of its halves if they were started); other engines
    and formats go through reason_files and serialize_graph."""
    if engine == "native":
        result = files.reason_files(paths, budget or Budget(), readers)
        report = ReasoningReport(result.input_triples, len(result.inferred), result.seconds,
                                 engine, result.inconsistencies)
        data = files.write(result, fmt, base_iri)
        if data is not None:
            return data, report
        inferred = Graph()
        for triple in files.decoded(result):
            inferred.add(triple)
    else:
        inferred, report = reason_files(paths, engine, budget)
    return serialize_graph(inferred, fmt, base_iri), report
