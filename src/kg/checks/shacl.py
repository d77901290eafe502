"""SHACL validation of a built dataset against ontology/shapes.ttl (``kg validate``).

The shapes see the union of every graph, the OWL 2 RL closure included, so a constraint can
rely on inferred types; pySHACL's own inference stays off because kg.reason already ran.
Results come back as plain frozen values so the CLI and web layers never touch pySHACL.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from pyshacl.errors import ConstraintLoadError, ShapeLoadError
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

from kg.errors import DataFileError
from kg.vocab import PREFIXES


@dataclass(frozen=True)
class Violation:
    """One SHACL result. IRIs are plain strings; literals and blank nodes are in N3 form."""

    focus_node: str
    shape: str
    path: str | None
    message: str
    severity: str
    value: str | None


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]


def load_shapes(path: Path) -> Graph:
    """Parse the shapes file; DataFileError if it is missing, malformed or has no shapes."""
    if not path.is_file():
        raise DataFileError(f"shapes file not found: {path}")
    shapes = Graph()
    try:
        shapes.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        raise DataFileError(f"{path.name}: {exc}") from exc
    if not any(str(predicate).startswith(str(SH)) for predicate in shapes.predicates()):
        # A graph without shapes would make every dataset "conform".
        raise DataFileError(f"{path.name}: contains no SHACL shapes")
    return shapes


def validate(dataset: Dataset, shapes_path: Path) -> ValidationReport:
    """Validate the union of all graphs of ``dataset`` against the shapes file."""
    shapes = load_shapes(shapes_path)
    data = Graph()
    for graph in dataset.graphs():
        data += graph
    try:
        conforms, results, _ = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=None, inference="none", advanced=False)
    except (ShapeLoadError, ConstraintLoadError) as exc:
        raise DataFileError(f"{shapes_path.name}: {exc}") from exc
    violations = [_violation(results, shapes, result)
                  for result in results.objects(None, SH.result)]
    violations.sort(key=lambda v: (v.focus_node, v.shape, v.path or "", v.value or "",
                                   v.message))
    return ValidationReport(bool(conforms), tuple(violations))


def format_report(report: ValidationReport) -> str:
    """Readable text for the CLI: one block per focus node, one line per broken shape."""
    if not report.violations:
        return "The dataset conforms to the shapes."
    by_node: dict[str, list[Violation]] = defaultdict(list)
    for violation in report.violations:
        by_node[violation.focus_node].append(violation)
    verdict = "conforms, with remarks" if report.conforms else "does not conform"
    lines = [f"The dataset {verdict}: {len(report.violations)} result(s) "
             f"on {len(by_node)} node(s)."]
    for node, violations in by_node.items():
        lines += ["", _compact(node)]
        for v in violations:
            where = "".join([f" on {_compact(v.path)}" if v.path else "",
                             f", value {_compact(v.value)}" if v.value is not None else ""])
            lines.append(f"  {v.severity} of {_compact(v.shape)}{where}: {v.message}")
    return "\n".join(lines)


def _compact(text: str) -> str:
    """dk:party rather than the full IRI; literals and unknown namespaces stay as they are."""
    for prefix, namespace in PREFIXES.items():
        if text.startswith(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)):]}"
    return text


def _violation(results: Graph, shapes: Graph, result: Node) -> Violation:
    shape = results.value(result, SH.sourceShape)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    severity = results.value(result, SH.resultSeverity)
    # Several sh:message values (one per language) are possible; take a stable one.
    messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
    component = results.value(result, SH.sourceConstraintComponent)
    return Violation(
        focus_node=_term(results.value(result, SH.focusNode)),
        shape=_shape_name(shapes, shape),
        path=None if path is None else _term(path),
        message=messages[0] if messages else _local_name(component),
        severity=_local_name(severity),
        value=None if value is None else _term(value),
    )


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    """A named shape by its IRI; an anonymous one by its rdfs:label (blank ids mean nothing)."""
    if isinstance(shape, URIRef):
        return str(shape)
    label = shapes.value(shape, RDFS.label) if shape is not None else None
    return str(label) if label is not None else "(anonymous shape)"


def _term(node: Node | None) -> str:
    if node is None:
        return ""
    return str(node) if isinstance(node, URIRef) else node.n3()


def _local_name(node: Node | None) -> str:
    if node is None:
        return ""
    text = str(node)
    return text[max(text.rfind("#"), text.rfind("/")) + 1:]
