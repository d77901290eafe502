"""`kg validate`: the SHACL shapes and OWL 2 RL's inconsistency rules over one dataset."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from kg.checks.shacl import ValidationReport, format_report, validate
from kg.dataset.graphs import stated_graphs
from kg.iris import Iris
from kg.reasoner import Budget
from kg.reasoner.materialize import closure
from kg.settings import Settings


@dataclass(frozen=True)
class CheckReport:
    shapes: ValidationReport
    inconsistencies: tuple[str, ...]

    @property
    def problems(self) -> int:
        return len(self.shapes.violations) + len(self.inconsistencies)

    def lines(self) -> list[str]:
        """The report as `kg validate` prints it."""
        out = [format_report(self.shapes)]
        out += [f"inconsistent (OWL 2 RL {message})" for message in self.inconsistencies]
        if not self.inconsistencies:
            out.append("No OWL 2 RL inconsistency.")
        return out


def run_checks(dataset: Dataset, settings: Settings, shapes: Path | None = None) -> CheckReport:
    report = validate(dataset, shapes or settings.path("shapes_file"))
    budget = Budget(settings.reason_timeout_s, settings.reason_max_triples)
    _, reasoning = closure(stated_graphs(dataset, Iris(settings.base_iri)),
                           settings.reason_engine, budget)
    return CheckReport(report, tuple(reasoning.inconsistencies))
