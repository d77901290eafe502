"""Regression tests for the bad-data-file probes (F17, F18) of
../shared/reviews/security-probes.md, each reproducing its failure first: a bad file ends the
command with exit 3 and a message naming it, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .helpers import KG, LOCAL_STORES, invoke_kg, make_project


@pytest.fixture(scope="module", params=LOCAL_STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    """Our own stores only: these probes are about the dataset file our stores read, which
    a remote store does not."""
    return request.param


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


def broken_files(good: bytes) -> dict[str, bytes]:
    """The probe's corrupt dataset files: cut short, random bytes, a syntax error, empty."""
    lines = good.split(b"\n")
    middle = len(lines) // 2
    return {"truncated": good[:50_000],
            "binary": bytes(range(7, 107)),
            "syntax": b"\n".join([*lines[:middle], b"<urn:a> <urn:b> ;;; .", *lines[middle:]]),
            "empty": b""}


@pytest.mark.parametrize("kind", ["truncated", "binary", "syntax", "empty"])
def test_f18_a_broken_dataset_file_stops_kg_query(built_file: Path, tmp_path: Path,
                                                  store_option: str, kind: str) -> None:
    """F18: a truncated, binary or broken dataset gave a traceback (IndexError,
    UnicodeDecodeError), exit 1, and an empty one was queried as an empty graph. Now exit 3
    with a message naming the file, on every store."""
    broken = tmp_path / "dataset.trig"
    broken.write_bytes(broken_files(built_file.read_bytes())[kind])
    result = invoke_kg("--data", str(broken), "--store", store_option,
                       "query", "ASK { ?s ?p ?o }")
    assert result.exit_code == 3, result.output
    assert str(broken) in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("kind", ["truncated", "empty"])
def test_f18_a_broken_dataset_file_stops_kg_serve(built_file: Path, tmp_path: Path,
                                                  kind: str) -> None:
    """F18: `kg serve` on a truncated dataset ended in an IndexError traceback, exit 1, and
    on an empty one started serving an empty graph. Now it does not start: exit 3, the file
    named."""
    broken = tmp_path / "dataset.trig"
    broken.write_bytes(broken_files(built_file.read_bytes())[kind])
    try:  # a server that starts does not end: the timeout is the failure
        result = subprocess.run([KG, "--data", str(broken), "serve", "--port", "0",
                                 "--workers", "1"], capture_output=True, text=True, timeout=60,
                                check=False)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"kg serve started on a {kind} dataset: {exc.stdout!r}") from exc
    assert result.returncode == 3, result.stdout + result.stderr
    assert str(broken) in result.stderr and "Traceback" not in result.stderr
    assert "serving" not in result.stdout
