"""QuickStatements export: Wikidata-aligned facts between linked entities, with references."""

from __future__ import annotations

from kg.publish.quickstatements import quickstatements

TITLE = ('en:"Turkey and Kazakhstan have similar approaches on many international and regional '
         'issues - Turkish Ambassador Lale Ülker"')


def test_statements_with_references(built, settings) -> None:
    lines = quickstatements(built[0], settings.base_iri).decode("utf-8").splitlines()
    statements = {tuple(line.split("\t")[:3]) for line in lines}
    assert statements == {
        ("Q43", "P530", "Q232"), ("Q232", "P530", "Q43"),
        *{(state, "P463", org) for state in ("Q43", "Q232")
          for org in ("Q1065", "Q47543", "Q81299", "Q225950")},
        ("Q596850", "P112", "Q57394"),
        ("Q57394", "P27", "Q232"),  # the President of Kazakhstan is its citizen
    }
    for line in lines:
        assert line.split("\t")[3:] == ["S1476", TITLE, "S813", "+2026-11-26T00:00:00Z/11"]


def test_cli_export(built_file) -> None:
    from .helpers import invoke_kg

    result = invoke_kg("--data", str(built_file), "export", "--format", "quickstatements")
    assert result.exit_code == 0, result.stderr
    assert "Q596850\tP112\tQ57394\tS1476\t" in result.stdout
    assert len(result.stdout.splitlines()) == 12
