"""The `kg` command: help, query, export, validate, stats, link, reason, explain.

Output and exit codes are checked in this process with click's CliRunner (the same command
code, without a new interpreter's imports); the few tests of what only a real process shows
(the exit code a shell sees, standard input) run the installed `kg` in a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from .helpers import ROOT, invoke_kg, make_project, run_kg

COMMANDS = ("build", "query", "export", "validate", "stats", "serve", "link", "reason",
            "explain")
SHARED = "PREFIX dk: <https://w3id.org/diplo-kg/ontology#> PREFIX kg: <https://w3id.org/diplo-kg/id/>"
FOUNDERS = SHARED + """ SELECT ?body ?founder WHERE { ?body dk:foundedBy ?founder
    FILTER(STRSTARTS(STR(?body), STR(kg:)) && STRSTARTS(STR(?founder), STR(kg:))) }
    ORDER BY ?body"""


@pytest.fixture(scope="module")
def data(built_file: Path) -> Path:
    """The session's built dataset (conftest.py); tests that break it work on copies."""
    return built_file


def kg(data: Path, *args: str, **kwargs):  # noqa: ANN201
    """`kg --data DATA ARGS` in this process."""
    return invoke_kg("--data", str(data), *args, **kwargs)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(command: str) -> None:
    result = invoke_kg(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and "Exit codes" in result.stdout


def test_query_table(data: Path) -> None:
    result = kg(data, "query", FOUNDERS)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["body", "|", "founder"]
    assert "kg:id/cica" in lines[2] and "kg:id/nursultan-nazarbayev" in lines[2]
    assert lines[-1] == "(2 rows)"


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_query_result_formats(data: Path, fmt: str) -> None:
    result = kg(data, "query", FOUNDERS, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt == "json":
        rows = json.loads(out)["results"]["bindings"]
        bodies = [r["body"]["value"] for r in rows]
    elif fmt == "csv":
        bodies = [r["body"] for r in csv.DictReader(io.StringIO(out))]
    elif fmt == "tsv":
        lines = out.splitlines()
        assert lines[0] == "?body\t?founder"
        bodies = [line.split("\t")[0].strip("<>") for line in lines[1:]]
    else:
        from rdflib.query import Result

        bodies = [str(r[0]) for r in Result.parse(io.BytesIO(out.encode()), format="xml")]
    assert bodies == ["https://w3id.org/diplo-kg/id/cica",
                      "https://w3id.org/diplo-kg/id/organization-of-turkic-states"]


def test_query_file_from_queries_folder(data: Path) -> None:
    files = sorted((ROOT / "queries").glob("*.rq"))
    assert len(files) >= 12
    result = kg(data, "query", str(files[0]), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"]["bindings"] != []


def test_construct_as_turtle(data: Path) -> None:
    query = SHARED + " CONSTRUCT { ?s dk:foundedBy ?o } WHERE { ?s dk:foundedBy ?o }"
    result = kg(data, "query", query, "--format", "ttl")
    assert result.exit_code == 0, result.stderr
    # 2 stated facts; owl:sameAs to Wikidata adds their copies on the wd: IRIs (CICA has none)
    assert len(Graph().parse(data=result.stdout, format="turtle")) == 6


def test_malformed_query_names_the_position(data: Path) -> None:
    result = kg(data, "query", "SELECT ?x WHERE { ?x ?y }")
    assert result.exit_code == 5
    assert result.stderr.startswith("error: ") and "line 1" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_missing_dataset_is_a_clear_error(tmp_path: Path) -> None:
    """In a real process: the exit code a shell sees, the message alone on stderr."""
    result = run_kg("--data", str(tmp_path / "none.trig"), "stats")
    assert result.returncode == 3
    assert "run `kg build` first" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


@pytest.mark.slow
def test_query_from_standard_input(data: Path) -> None:
    """`kg query -` reads the query from a real process's standard input."""
    result = run_kg("--data", str(data), "query", "-", "--format", "csv", input=FOUNDERS)
    assert result.returncode == 0, result.stderr
    assert [row["body"] for row in csv.DictReader(io.StringIO(result.stdout))] == [
        "https://w3id.org/diplo-kg/id/cica",
        "https://w3id.org/diplo-kg/id/organization-of-turkic-states"]


@pytest.mark.parametrize("fmt", ["trig", "nq", "ttl", "nt", "xml", "jsonld"])
def test_export_formats_parse_to_the_same_data(data: Path, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"export.{fmt}"
    result = kg(data, "export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rdflib_format = {"ttl": "turtle", "nt": "nt", "xml": "xml", "trig": "trig", "nq": "nquads",
                     "jsonld": "json-ld"}[fmt]
    if fmt in ("trig", "nq", "jsonld"):
        exported = Dataset()
        exported.parse(out, format=rdflib_format)
        reference = Dataset()
        reference.parse(data, format="trig")
        assert len(exported) == len(reference) and len(list(exported.quads())) == len(
            list(reference.quads()))
    else:
        merged = Graph()
        reference = Dataset(default_union=True)
        reference.parse(data, format="trig")
        for triple in reference.triples((None, None, None)):
            merged.add(triple)
        assert isomorphic(Graph().parse(out, format=rdflib_format), merged)


def test_export_one_graph(data: Path) -> None:
    result = kg(data, "export", "--format", "nt", "--graph", "links")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 11
    assert all("owl#sameAs> <http://www.wikidata.org/entity/Q" in line for line in lines)


def test_validate_conforms(data: Path) -> None:
    result = kg(data, "validate")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "conforms" in result.stdout


def test_validate_fails_on_a_broken_graph(data: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.trig"
    text = data.read_text(encoding="utf-8")
    summit = "<https://w3id.org/diplo-kg/id/summit/almaty_2011-10-21>"
    broken.write_text(text + f"\n<https://w3id.org/diplo-kg/graph/extra> {{ {summit} "
                      '<https://w3id.org/diplo-kg/ontology#startDate> "soon" . }\n',
                      encoding="utf-8")
    result = invoke_kg("--data", str(broken), "validate")
    assert result.exit_code == 4
    assert "summit/almaty_2011-10-21" in result.stdout
    assert "StartDateShape" in result.stdout
    assert "violation" in result.stderr


def test_stats(data: Path) -> None:
    result = kg(data, "stats")
    assert result.exit_code == 0, result.stderr
    counts = dict(line.split()[:2] for line in result.stdout.splitlines()
                  if line.startswith("  ") and line.split()[1].isdigit())
    assert counts["links"] == "11"
    assert counts["State"] == "2"
    assert counts["Summit"] == "2"
    assert "(in 35 graphs)" in result.stdout


def test_link_proposes_ids_for_names_the_gazetteer_knows_otherwise(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    (project / "data" / "sources" / "baku-meeting.txt").write_text(
        "The Turkic Speaking States Council met in Baku on 3 October 2009.\n", encoding="utf-8")
    assert invoke_kg("--project", str(project), "build", "-q").exit_code == 0
    out = tmp_path / "proposals.tsv"
    result = invoke_kg("--project", str(project), "link", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    proposed = {(r["entity_iri"].rsplit("/", 1)[-1], r["proposed_qid"]) for r in rows}
    assert ("turkic-speaking-states-council", "Q596850") in proposed


@pytest.mark.slow  # two reasoner runs over LUBM, ~8 s
def test_reason_on_any_rdf_files(tmp_path: Path) -> None:
    lubm = ROOT / "tests" / "data" / "lubm"
    out = tmp_path / "inferred.ttl"
    result = invoke_kg("reason", str(lubm / "univ-bench.owl"), str(lubm / "lubm_d1.nt"),
                       "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "inferred by native" in result.stderr
    inferred = Graph().parse(out, format="turtle")
    reference = invoke_kg("reason", "--engine", "owlrl", str(lubm / "univ-bench.owl"),
                          str(lubm / "lubm_d1.nt"))
    assert reference.exit_code == 0, reference.stderr
    assert isomorphic(inferred, Graph().parse(data=reference.stdout, format="nt"))


def test_reason_reports_a_file_it_cannot_parse(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    result = invoke_kg("reason", str(bad))
    assert result.exit_code == 3
    assert "bad.ttl" in result.stderr and "Traceback" not in result.stderr


def test_validate_reports_owl_inconsistencies(data: Path, tmp_path: Path) -> None:
    broken = tmp_path / "inconsistent.trig"
    broken.write_text(data.read_text(encoding="utf-8") + (
        "\n<https://w3id.org/diplo-kg/graph/extra> { <https://w3id.org/diplo-kg/id/turkey> a "
        "<https://w3id.org/diplo-kg/ontology#Person> . }\n"), encoding="utf-8")
    result = invoke_kg("--data", str(broken), "validate")
    assert result.exit_code == 4
    lines = [line for line in result.stdout.splitlines() if line.startswith("inconsistent")]
    assert lines and all("cax-dw" in line for line in lines)
    assert any("id/turkey" in line and "Person" in line and "State" in line for line in lines)


@pytest.mark.parametrize(("triple", "rule", "sentence"), [
    (("kg:id/kazakhstan", "dk:hasDiplomaticRelationWith", "kg:id/turkey"), "prp-symp",
     "Today marks the 20th anniversary of the establishment of diplomatic relations between "
     "Turkey and Kazakhstan."),
    (("kg:id/summit/istanbul_2010-09-15--2010-09-16", "dk:location", "kg:id/turkey"), "prp-spo2",
     "As a substantial result of these efforts, Turkic Speaking Countries Cooperation Council, "
     "whose founding father is President Nazarbayev, was institutionalized with the Summit "
     "organized in Istanbul on 15-16 September 2010."),
])
def test_explain_down_to_the_sentence(data: Path, triple: tuple[str, str, str], rule: str,
                                      sentence: str) -> None:
    result = kg(data, "explain", *triple)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith(f"[{rule}]")
    assert f'sentence: "{sentence}"' in [line.strip() for line in lines]


def test_explain_a_triple_that_does_not_hold(data: Path) -> None:
    result = kg(data, "explain", "kg:id/turkey", "dk:memberOf", "kg:id/nato")
    assert result.exit_code == 3
    assert "neither states nor entails" in result.stderr
