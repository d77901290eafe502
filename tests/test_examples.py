"""The example questions: read from queries/*.rq headers, served as JSON at /api/examples."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from kg.errors import DataFileError
from kg.inputs.query_files import Example, find_example, load_examples, parse_header, read_example
from kg.settings import Settings

from .apps import in_process_app
from .helpers import ROOT

QUERIES = ROOT / "queries"


def write_query(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_lines_before_the_sparql_are_read() -> None:
    text = ("# Question: Who signed it?\n#Expected:  Turkey and Kazakhstan. \n"
            "# Answer columns: a, b\n\nPREFIX dk: <x#>\n# Question: not this one?\nSELECT * {}")
    assert parse_header(text) == {"question": "Who signed it?",
                                  "expected": "Turkey and Kazakhstan.",
                                  "answer columns": "a, b"}


def test_folder_is_read_sorted_by_id_with_the_whole_text(tmp_path: Path) -> None:
    write_query(tmp_path, "b-second.rq", "# Question: Second?\nASK {}\n")
    first = write_query(tmp_path, "a-first.rq",
                        "# Question: First?\n# Expected: yes\nASK { ?s ?p ?o }\n")
    write_query(tmp_path, "notes.txt", "# Question: not a query?\n")
    examples = load_examples(tmp_path)
    assert [e.id for e in examples] == ["a-first", "b-second"]
    assert examples[0] == Example("a-first", "First?", "yes", first.read_text(encoding="utf-8"))
    assert examples[1].expected == ""
    assert find_example(examples, "b-second") is examples[1]
    assert find_example(examples, "missing") is None


def test_a_file_without_a_question_is_named(tmp_path: Path) -> None:
    path = write_query(tmp_path, "bare.rq", "PREFIX dk: <x#>\n# Question: too late?\nASK {}\n")
    with pytest.raises(DataFileError, match="bare.rq has no '# Question"):
        read_example(path)


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "latin.rq"
    path.write_bytes("# Question: Ülker?\nASK {}\n".encode("latin-1"))
    with pytest.raises(DataFileError, match="latin.rq"):
        load_examples(tmp_path)


def test_a_missing_folder_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="setting queries_dir"):
        load_examples(tmp_path / "nowhere")


def test_every_query_file_of_the_project_is_an_example() -> None:
    examples = load_examples(QUERIES)
    assert [e.id for e in examples] == sorted(p.stem for p in QUERIES.glob("*.rq"))
    for example in examples:
        assert example.question.endswith("?"), example.id
        assert example.expected, example.id
        assert example.query == (QUERIES / f"{example.id}.rq").read_text(encoding="utf-8")


def test_api_examples_over_http(site: str) -> None:
    with urllib.request.urlopen(f"{site}/api/examples", timeout=30) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "application/json"
        body = json.load(response)
    assert body == [example.as_json() for example in load_examples(QUERIES)]
    assert set(body[0]) == {"id", "question", "expected", "query"}


@pytest.fixture
def broken_client(settings: Settings, tmp_path: Path) -> Iterator[FlaskClient]:
    with in_process_app(settings.with_overrides(queries_dir=tmp_path / "gone"), None) as app:
        yield app.test_client()


def test_api_examples_of_an_unreadable_folder_is_a_problem(broken_client: FlaskClient) -> None:
    response = broken_client.get("/api/examples")
    assert response.status_code == DataFileError.http_status
    assert response.mimetype == "application/problem+json"
    assert "setting queries_dir" in response.get_json()["detail"]


def test_the_page_works_without_its_examples(broken_client: FlaskClient) -> None:
    response = broken_client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "No examples: cannot read the example queries" in page
    assert 'action="/sparql"' in page

