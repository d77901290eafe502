"""kg build: sources → extraction → dataset → OWL 2 RL closure → one TriG file, atomically,
then the store (an oxigraph store is loaded from that file into a new folder, then swapped in).

Each document's part of the dataset goes to the extraction cache (cache.py) as it comes, and
the dataset is assembled from there, one document at a time: a re-run extracts only new or
changed sources, and no document's extraction is held in memory past its own turn.

A source that cannot be read is reported by name and skipped; a source whose extraction
raises is reported by name and left out (the report says so, and `kg build` exits 7);
anything else that fails aborts the build before the output file is touched, so the previous
graph stays intact.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from rdflib import Dataset

from kg.build.cache import ExtractionCache, cache_folder, fingerprint, source_key
from kg.build.extraction import Outcome, extract_locally, extractor_over, load_resources
from kg.build.report import BuildReport, DocumentFailure, write_report
from kg.dataset.assemble import DocumentPart, Resources, assemble_quads
from kg.dataset.io import new_dataset, write_atomically
from kg.dataset.quads import Quads
from kg.errors import DocumentsFailed, KGError, SourceError
from kg.inputs.ontology import Ontology
from kg.inputs.sources import Source, read_source, source_paths
from kg.iris import Iris
from kg.reasoner import Budget
from kg.reasoner import incremental as saved_reasoning
from kg.reasoner.materialize import ReasoningReport, closure
from kg.reasoner.result import RdfTriple
from kg.settings import Settings
from kg.sparql.store import load_store

# A progress bar over what it wraps, told how many items will come.
Progress = Callable[[Iterable[Any], int], Iterable[Any]]


def _no_progress(items: Iterable[Any], total: int) -> Iterable[Any]:
    return items


def build_dataset(settings: Settings, progress: Progress = _no_progress) -> tuple[
        Dataset, BuildReport]:
    """Build the whole dataset in memory; only the extraction cache is written."""
    quads, report = build_quads(settings, progress)
    dataset = new_dataset()
    dataset.bind("kg", settings.base_iri)
    return quads.to_dataset(dataset), report


def build_quads(settings: Settings, progress: Progress = _no_progress) -> tuple[
        Quads, BuildReport]:
    """build_dataset() without an rdflib store (kg.dataset.quads): what `kg build` writes."""
    started = time.perf_counter()
    report = BuildReport(settings.path("dataset_file"))
    ontology, resources = load_resources(settings)
    sources, report.failures = read_sources(settings, ontology)
    cache = ExtractionCache(cache_folder(report.output))
    built_with = fingerprint(settings)
    keys = {source.id: source_key(built_with, source) for source in sources}
    missing = [source for source in sources if cache.get(keys[source.id]) is None]
    report.cached = len(sources) - len(missing)
    failed: set[str] = set()
    outcomes = _extract(settings, built_with, ontology, resources, missing)
    for source, outcome in zip(missing, progress(outcomes, len(missing)), strict=True):
        if isinstance(outcome, DocumentFailure):
            report.extraction_failures.append(outcome)
            failed.add(source.id)
        else:
            cache.put(keys[source.id], outcome)
            report.extracted += 1
    report.sources = [source.id for source in sources if source.id not in failed]
    if not report.sources and report.extraction_failures:
        raise DocumentsFailed("the extraction of every source failed, the first: "
                              f"{report.extraction_failures[0].file}: "
                              f"{report.extraction_failures[0].error}")
    if not report.sources:
        raise SourceError("no readable source in " + str(settings.path("sources_dir")))
    iris = Iris(settings.base_iri)
    report.cache_keys = [keys[source_id] for source_id in report.sources]
    dataset = assemble_quads(resources, _cached_parts(cache, report), iris)
    if settings.reason:
        skip = {iris.graph("provenance"), iris.graph("inferred")}  # as stated_graphs()
        stated = dataset.sorted_triples(name for name in dataset.graphs if name not in skip)
        budget = Budget(settings.reason_timeout_s, settings.reason_max_triples)
        inferred: Iterable[RdfTriple]
        if settings.reason_engine == "native" and settings.incremental:
            inferred, report.reasoning, report.state, report.reasoned_incrementally = (
                _reason_incremental(stated, budget, state_file(report.output)))
        else:
            inferred, report.reasoning = closure([stated], settings.reason_engine, budget)
        report.inconsistencies = list(report.reasoning.inconsistencies)
        dataset.add(iris.graph("inferred"), inferred)
    report.triples = len(dataset)  # quads: per graph
    report.seconds = time.perf_counter() - started
    return dataset, report


def read_sources(settings: Settings, ontology: Ontology) -> tuple[list[Source], list[str]]:
    """The readable sources in order, and a message for each that is not."""
    kinds = ontology.expand_class("Document")
    sources: list[Source] = []
    failures: list[str] = []
    seen: set[str] = set()
    for path in source_paths(settings.path("sources_dir")):
        try:
            source = read_source(path, kinds)
            if source.id in seen:
                raise SourceError(f"{path.name}: its id {source.id!r} is another file's too "
                                  "(file names that differ only in case or punctuation)")
        except SourceError as exc:
            failures.append(str(exc))
            continue
        sources.append(source)
        seen.add(source.id)
    return sources, failures


def _extract(settings: Settings, built_with: str, ontology: Ontology, resources: Resources,
             sources: list[Source]) -> Iterator[Outcome]:
    """Outcomes in source order, on the cluster when the settings name one."""
    if not sources:
        return iter(())
    if settings.build_cluster:
        from kg.build.cluster import extract_on_cluster  # Dask, only when asked for

        return extract_on_cluster(settings, built_with, sources)
    return extract_locally(settings, built_with, sources,
                           lambda: extractor_over(ontology, resources))


def _cached_parts(cache: ExtractionCache, report: BuildReport) -> Iterator[DocumentPart]:
    """The built sources' parts, read from the cache one at a time as assemble() asks."""
    for key in report.cache_keys:
        part = cache.get(key)
        if part is None:  # removed by another build into the same folder meanwhile
            raise KGError(f"extraction cache entry {cache.folder / key}.json vanished "
                             "during the build; build again")
        report.fact_graphs += part.fact_graphs
        yield part


def build(settings: Settings, progress: Progress = _no_progress,
          loading: Callable[[Iterable[Any]], Iterable[Any]] = lambda xs: xs) -> BuildReport:
    """Build and write the dataset file atomically (then the reasoner's state and the report
    beside it), then load the store; the cache keeps only this build's documents.
    ``loading``: a progress bar over a remote store's batches."""
    dataset, report = build_quads(settings, progress)
    data = dataset.trig(settings.base_iri)
    del dataset  # the reasoner's state and the store's load need the memory more
    write_atomically(report.output, data)
    state = state_file(report.output)
    if report.state is not None:
        saved_reasoning.save(report.state, state)
    else:
        state.unlink(missing_ok=True)  # it would not match this dataset
    write_report(report)
    ExtractionCache(cache_folder(report.output)).prune(report.cache_keys)
    load_store(settings, loading)
    return report


def state_file(dataset_file: Path) -> Path:
    return dataset_file.with_name(dataset_file.name + ".reasoner")


def _reason_incremental(triples: list[RdfTriple], budget: Budget, path: Path) -> tuple[
        tuple[RdfTriple, ...], ReasoningReport, saved_reasoning.SavedState, bool]:
    """The inferred triples as the engine gives them: the caller adds them to the dataset
    (a Graph of their own first would be one more copy, and most of the time of a large
    closure's hand-over)."""
    previous = saved_reasoning.load(path) if path.exists() else None
    outcome = saved_reasoning.extend(previous, triples, budget) if previous else None
    used = outcome is not None
    result, state = outcome or saved_reasoning.full(triples, budget)
    report = ReasoningReport(result.input_triples, len(result.inferred), result.seconds,
                             result.engine, result.inconsistencies)
    return result.inferred, report, state, used


__all__ = ["BuildReport", "build", "build_dataset", "build_quads"]
