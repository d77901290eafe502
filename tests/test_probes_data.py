"""Regression tests for the bad-data-file probes (F17, F18) of
../shared/reviews/security-probes.md, each reproducing its failure first: a bad file ends the
command with exit 3 and a message naming it, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import invoke_kg, make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def test_f17_unknown_source_type_fails_the_build(project: Path) -> None:
    """F17: `type = "X Y"` in a source's .meta.toml gave a traceback ("…ontology#X Y does
    not look like a valid URI"), exit 1. Now exit 3 naming the file and the allowed types."""
    sources = project / "data" / "sources"
    (sources / "zz.txt").write_text("France and Germany established diplomatic relations.\n")
    (sources / "zz.meta.toml").write_text('type = "X Y"\n')
    result = invoke_kg("--project", str(project), "build", "-q")
    assert result.exit_code == 3, result.output
    assert "zz.meta.toml" in result.stderr and "Interview" in result.stderr
    assert "Traceback" not in result.output
    assert not (project / "build" / "dataset.trig").exists()
