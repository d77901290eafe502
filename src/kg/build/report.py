"""What a build did, document by document: for the CLI, for tests, and as a JSON file beside
the dataset (``dataset.report.json``) that scripts read instead of parsing stderr."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.dataset.io import write_atomically
from kg.reasoner import incremental as saved_reasoning
from kg.reasoner.materialize import ReasoningReport


@dataclass(frozen=True)
class DocumentFailure:
    """A source whose extraction raised: left out of the dataset, the rest built without it."""

    file: str  # the source's file name, as the user knows it
    source: str  # its id
    error: str  # the exception's type and message


@dataclass
class BuildReport:
    output: Path
    sources: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # unreadable sources, skipped
    extraction_failures: list[DocumentFailure] = field(default_factory=list)
    extracted: int = 0  # documents extracted by this build
    cached: int = 0  # documents whose part came from the extraction cache
    cache_keys: list[str] = field(default_factory=list)  # the built sources' cache entries
    inconsistencies: list[str] = field(default_factory=list)
    reasoned_incrementally: bool = False  # the closure continued from the saved state
    state: saved_reasoning.SavedState | None = None
    fact_graphs: int = 0
    triples: int = 0
    reasoning: ReasoningReport | None = None
    seconds: float = 0.0


def report_file(dataset_file: Path) -> Path:
    return dataset_file.with_suffix(".report.json")


def write_report(report: BuildReport) -> Path:
    """The report as JSON beside the dataset, written atomically; its path."""
    failed = [{"file": f.file, "source": f.source, "error": f.error}
              for f in report.extraction_failures]
    data = {
        "dataset": str(report.output),
        "sources": len(report.sources),
        "extracted": report.extracted,
        "from_cache": report.cached,
        "unreadable": report.failures,
        "failed": failed,
        "fact_graphs": report.fact_graphs,
        "quads": report.triples,
        "inferred": report.reasoning.inferred_triples if report.reasoning else 0,
        "inconsistencies": report.inconsistencies,
        "seconds": round(report.seconds, 3),
    }
    path = report_file(report.output)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomically(path, text.encode("utf-8"))
    return path
