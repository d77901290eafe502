"""Incremental reasoning: continuing a closed engine from new facts gives the full closure."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.reasoner import Budget, incremental

LUBM = Path(__file__).resolve().parent / "data" / "lubm"


def lubm_halves() -> tuple[list, list]:
    schema = list(Graph().parse(LUBM / "univ-bench.owl", format="xml"))
    data = sorted(Graph().parse(LUBM / "lubm_d1.nt", format="nt"))
    return schema + data[: len(data) // 2], schema + data


def test_extend_equals_full_on_lubm(tmp_path: Path) -> None:
    first, both = lubm_halves()
    _, state = incremental.full(first, Budget())
    incremental.save(state, tmp_path / "state")
    loaded = incremental.load(tmp_path / "state")
    assert loaded is not None
    extended = incremental.extend(loaded, both, Budget())
    assert extended is not None
    from_zero, _ = incremental.full(both, Budget())
    assert set(extended[0].inferred) == set(from_zero.inferred)
    assert len(from_zero.inferred) > 4000


def test_removed_or_schema_facts_need_a_full_run() -> None:
    first, both = lubm_halves()
    _, state = incremental.full(both, Budget())
    assert incremental.extend(state, first, Budget()) is None  # something removed
    _, state = incremental.full(first[100:], Budget())
    assert incremental.extend(state, first, Budget()) is None  # schema triples added


def test_a_foreign_state_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "state").write_bytes(b"not a pickle")
    assert incremental.load(tmp_path / "state") is None
