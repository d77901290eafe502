"""kg build: sources → extraction → dataset → OWL 2 RL closure → one TriG file, atomically,
then the store (an oxigraph store is loaded from that file into a new folder, then swapped in).

A source that cannot be read is reported by name and skipped; anything else that fails
aborts the build before the output file is touched, so the previous graph stays intact.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from kg.dataset.assemble import Resources, assemble
from kg.dataset.graphs import stated_graphs
from kg.dataset.io import write_atomically
from kg.dataset.serialize import serialize
from kg.errors import KGError, SourceError
from kg.extract import Extractor
from kg.extract.model import Extraction
from kg.formats import rdf_format
from kg.inputs.ontology import Ontology
from kg.inputs.sources import Source, read_source, source_paths
from kg.iris import Iris
from kg.reasoner import Budget
from kg.reasoner import incremental as saved_reasoning
from kg.reasoner.materialize import ReasoningReport, closure
from kg.settings import Settings
from kg.sparql.store import load_store

Progress = Callable[[Iterable[Any]], Iterable[Any]]  # a progress bar over what it wraps


@dataclass
class BuildReport:
    output: Path
    sources: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    inconsistencies: list[str] = field(default_factory=list)
    reasoned_incrementally: bool = False  # the closure continued from the saved state
    state: saved_reasoning.SavedState | None = None
    fact_graphs: int = 0
    triples: int = 0
    reasoning: ReasoningReport | None = None
    seconds: float = 0.0


def load_extractor(settings: Settings) -> tuple[Extractor, Resources]:
    """The curated resources and an extractor over them."""
    ontology = Ontology.load(settings.path("ontology_dir"))
    extractor = Extractor.over(ontology, settings.path("gazetteer_dir"),
                               settings.path("patterns_dir"))
    return extractor, Resources(ontology.graph, extractor.gazetteer, extractor.patterns)


# Below this many sources one process is quicker: each worker first loads the model (~2 s).
PARALLEL_FROM = 16
CHUNK = 16  # sources a worker parses in one batch


def build_dataset(settings: Settings, progress: Progress = lambda xs: xs) -> tuple[
        Dataset, BuildReport]:
    """Build the whole dataset in memory; nothing is written."""
    started = time.perf_counter()
    report = BuildReport(settings.path("dataset_file"))
    extractor, resources = load_extractor(settings)
    kinds = Ontology(resources.ontology).expand_class("Document")
    sources: list[Source] = []
    for path in source_paths(settings.path("sources_dir")):
        try:
            source = read_source(path, kinds)
            if source.id in report.sources:
                raise SourceError(f"{path.name}: its id {source.id!r} is another file's too "
                                  "(file names that differ only in case or punctuation)")
        except SourceError as exc:
            report.failures.append(str(exc))
            continue
        sources.append(source)
        report.sources.append(source.id)
    extracted = list(zip(sources, progress(extract_all(settings, extractor, sources)),
                         strict=True))
    if not extracted:
        raise SourceError("no readable source in " + str(settings.path("sources_dir")))
    iris = Iris(settings.base_iri)
    dataset = assemble(resources, extracted, iris)
    report.fact_graphs = sum(len(e.facts) for _, e in extracted)
    if settings.reason:
        stated = stated_graphs(dataset, iris)
        budget = Budget(settings.reason_timeout_s, settings.reason_max_triples)
        if settings.reason_engine == "native" and settings.incremental:
            inferred, report.reasoning, report.state, report.reasoned_incrementally = (
                _reason_incremental(stated, budget, state_file(report.output)))
        else:
            inferred, report.reasoning = closure(stated, settings.reason_engine, budget)
        report.inconsistencies = list(report.reasoning.inconsistencies)
        target = dataset.graph(iris.graph("inferred"))
        for triple in inferred:
            target.add(triple)
    report.triples = sum(len(graph) for graph in dataset.graphs())  # quads: per graph
    report.seconds = time.perf_counter() - started
    return dataset, report


def extract_all(settings: Settings, extractor: Extractor,
                sources: list[Source]) -> Iterator[Extraction]:
    """Extractions in source order; on several processes when there are enough sources.

    Extracting one document is a pure function of the document and the curated data, so the
    result is the same whatever the number of processes (a test builds both ways)."""
    processes = min(settings.build_processes or os.cpu_count() or 1, len(sources))
    if processes < 2 or len(sources) < PARALLEL_FROM:
        yield from extractor.extract_many(sources)
        return
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker,
                             initargs=(settings,)) as pool:
        chunks = [sources[i:i + CHUNK] for i in range(0, len(sources), CHUNK)]
        for extractions in pool.map(_extract, chunks):
            yield from extractions


_worker_extractor: Extractor | None = None  # one per worker process, made by _start_worker


def _start_worker(settings: Settings) -> None:
    global _worker_extractor
    _worker_extractor, _ = load_extractor(settings)


def _extract(sources: list[Source]) -> list[Extraction]:
    assert _worker_extractor is not None, "worker started without its extractor"
    return list(_worker_extractor.extract_many(sources))


def build(settings: Settings, progress: Progress = lambda xs: xs,
          loading: Progress = lambda xs: xs) -> BuildReport:
    """Build and write the dataset file atomically (then the reasoner's state beside it),
    then load the store; ``loading``: a progress bar over a remote store's batches."""
    dataset, report = build_dataset(settings, progress)
    data = serialize(dataset, rdf_format("trig"), settings.base_iri)
    write_atomically(report.output, data)
    state = state_file(report.output)
    if report.state is not None:
        saved_reasoning.save(report.state, state)
    else:
        state.unlink(missing_ok=True)  # it would not match this dataset
    load_store(settings, loading)
    return report


def state_file(dataset_file: Path) -> Path:
    return dataset_file.with_name(dataset_file.name + ".reasoner")


def _reason_incremental(stated: list[Graph], budget: Budget, path: Path) -> tuple[
        Graph, ReasoningReport, saved_reasoning.SavedState, bool]:
    triples = [t for graph in stated for t in graph]
    previous = saved_reasoning.load(path) if path.exists() else None
    outcome = saved_reasoning.extend(previous, triples, budget) if previous else None
    used = outcome is not None
    result, state = outcome or saved_reasoning.full(triples, budget)
    inferred = Graph()
    for triple in result.inferred:
        inferred.add(triple)
    report = ReasoningReport(result.input_triples, len(result.inferred), result.seconds,
                             result.engine, result.inconsistencies)
    return inferred, report, state, used


__all__ = ["BuildReport", "KGError", "build", "build_dataset"]
