"""Extraction for a build: sources in, each document's part of the dataset (or its failure) out.

Extracting one document is a pure function of the document, the curated data and the code
(the fingerprint), so the work can go to this process, to local worker processes or to a
cluster (cluster.py) and give the same parts. A document whose extraction raises becomes a
DocumentFailure naming it; the rest of its batch is extracted one by one and kept.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from kg.build.cache import fingerprint as fingerprint_of
from kg.build.report import DocumentFailure
from kg.dataset.assemble import DocumentPart, Resources, document_part
from kg.errors import InputError
from kg.extract import Extractor, load_gazetteer, load_patterns
from kg.inputs.ontology import Ontology
from kg.inputs.sources import Source
from kg.iris import Iris
from kg.settings import Settings

Outcome = DocumentPart | DocumentFailure

# Below this many sources to extract one process is quicker: each worker first loads the
# model (~2 s).
PARALLEL_FROM = 16
BATCH = 16  # sources the model parses together (one task of a worker)


def load_resources(settings: Settings) -> tuple[Ontology, Resources]:
    """The curated resources, without the spaCy model (a build that finds every document in
    the extraction cache never loads it)."""
    ontology = Ontology.load(settings.path("ontology_dir"))
    resources = Resources(ontology.graph, load_gazetteer(settings.path("gazetteer_dir")),
                          load_patterns(settings.path("patterns_dir"), ontology.expand_class))
    return ontology, resources


def extractor_over(ontology: Ontology, resources: Resources) -> Extractor:
    return Extractor(resources.gazetteer, resources.patterns, ontology.concepts())


def load_extractor(settings: Settings) -> tuple[Extractor, Resources]:
    """The curated resources and an extractor over them."""
    ontology, resources = load_resources(settings)
    return extractor_over(ontology, resources), resources


def batches(sources: list[Source]) -> list[list[Source]]:
    return [sources[i:i + BATCH] for i in range(0, len(sources), BATCH)]


def extract_batch(extractor: Extractor, sources: list[Source], iris: Iris) -> list[Outcome]:
    """The parts of a batch of sources, in order; the model parses the batch together."""
    try:
        return [document_part(source, extraction, iris) for source, extraction in
                zip(sources, extractor.extract_many(sources), strict=True)]
    except Exception:  # one document broke the batch: find it, keep the others
        return [_extract_one(extractor, source, iris) for source in sources]


def _extract_one(extractor: Extractor, source: Source, iris: Iris) -> Outcome:
    try:
        return document_part(source, extractor.extract(source), iris)
    except Exception as exc:
        # Whatever the cause (a text the model refuses, a bug a text reveals), one document
        # must not cost the corpus: it is named in the report and the build exits non-zero.
        return DocumentFailure(source.path.name, source.id, f"{type(exc).__name__}: {exc}")


# The extractor a worker process loaded, and for which settings and fingerprint (a build after
# the gazetteer changed needs a new one); a long-lived cluster worker keeps only the last.
_loaded: tuple[tuple[Settings, str], Extractor] | None = None
_loading = threading.Lock()  # also makes a worker's threads extract one batch at a time


def extract_sources(settings: Settings, fingerprint: str, sources: list[Source]) -> list[Outcome]:
    """A worker's task: the parts of a batch, with the extractor this process loaded once.

    The worker checks that its curated data and code are the build's (the fingerprint): a
    cluster worker reading another version of the gazetteer would give other facts."""
    global _loaded
    with _loading:
        if _loaded is None or _loaded[0] != (settings, fingerprint):
            found = fingerprint_of(settings)
            if found != fingerprint:
                raise InputError(
                    f"worker process {os.getpid()} sees other curated data or code than the "
                    f"build (fingerprint {found[:12]}, not {fingerprint[:12]}): every worker "
                    f"needs the same project folder at {settings.project_dir} and the same "
                    "diplo-kg")
            _loaded = None  # the old model goes before the new one comes
            _loaded = ((settings, fingerprint), load_extractor(settings)[0])
        return extract_batch(_loaded[1], sources, Iris(settings.base_iri))


def extract_locally(settings: Settings, fingerprint: str, sources: list[Source],
                    local: Callable[[], Extractor]) -> Iterator[Outcome]:
    """Outcomes in source order: in this process (with the extractor ``local`` makes), or on
    build_processes worker processes when there are enough sources to pay for their start."""
    processes = min(settings.build_processes or os.cpu_count() or 1, len(sources))
    if processes < 2 or len(sources) < PARALLEL_FROM:
        extractor, iris = local(), Iris(settings.base_iri)
        for batch in batches(sources):
            yield from extract_batch(extractor, batch, iris)
        return
    context = multiprocessing.get_context("forkserver")
    # The fork server imports the extraction stack once and each worker forks from it, instead
    # of each importing spaCy and rdflib anew (seconds each, while no document is extracted).
    context.set_forkserver_preload(["kg.build.extraction"])
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        for outcomes in pool.map(partial(extract_sources, settings, fingerprint),
                                 batches(sources)):
            yield from outcomes
