"""Regression tests for the client-mistake and logging probes (F11, F12) of
../shared/reviews/security-probes.md, each reproducing its failure first."""

from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from flask.testing import FlaskClient

from .helpers import invoke_kg

BAD_REGEX = 'SELECT ?o WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "(") }'


@pytest.mark.parametrize("media_type", ["text/csv", "text/tab-separated-values"])
def test_f11_ask_as_csv_or_tsv_is_a_table(client: FlaskClient, media_type: str) -> None:
    """F11: ASK with Accept: text/csv was a 500 ("CSVSerializer can only serialize select
    query results"), though the README offers CSV for SELECT/ASK. Now one _askResult column."""
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                          headers={"Accept": media_type})
    assert response.status_code == 200, response.data
    assert response.mimetype == media_type
    delimiter = "," if media_type == "text/csv" else "\t"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)), delimiter=delimiter))
    assert [row[0].lstrip("?") for row in rows] == ["_askResult", "true"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_f11_ask_as_csv_or_tsv_on_every_store(built_file: Path, store_option: str,
                                              fmt: str) -> None:
    """F11: the same table from `kg query` on each store (Oxigraph wrote a bare 'false')."""
    result = invoke_kg("--data", str(built_file), "--store", store_option,
                       "query", "--format", fmt, "ASK { <urn:none> ?p ?o }")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["_askResult" if fmt == "csv" else "?_askResult", "false"]


def test_f11_bad_regex_is_a_query_error(client: FlaskClient) -> None:
    """F11: FILTER REGEX(STR(?o), "(") was a 500: rdflib evaluates it lazily, when the rows
    are read, outside the executor's error handling. Now a 400 naming the fault."""
    response = client.get("/sparql", query_string={"query": BAD_REGEX})
    assert response.status_code == 400, response.data
    body = json.loads(response.data)
    assert body["status"] == 400 and "unterminated" in body["detail"]


def test_f11_bad_regex_is_a_query_error_in_the_cli(built_file: Path, store_option: str,
                                                  store_kind: str) -> None:
    """F11: the same query through `kg query` is a query error (exit 5) on rdflib, no
    traceback, and on Virtuoso (its 500 with SQLSTATE 2201B). Oxigraph's engine follows SPARQL
    1.1 §17.3: the REGEX error makes the FILTER false, so no row passes (exit 0)."""
    result = invoke_kg("--data", str(built_file), "--store", store_option, "query", BAD_REGEX)
    assert "Traceback" not in result.output
    if store_kind in ("memory", "virtuoso"):
        assert result.exit_code == 5, result.output
    else:
        assert result.exit_code == 0 and "(0 rows)" in result.output, result.output


def test_f11_explain_with_a_malformed_iri_is_a_400(client: FlaskClient) -> None:
    """F11: /explain?s=<a b> was a 500 with a traceback in the log (rdflib accepts the IRI
    with a warning and fails when writing it). Now a 400 naming the parameter."""
    response = client.get("/explain?s=%3Ca%20b%3E&p=y&o=z")
    assert response.status_code == 400, response.data
    assert "parameter s" in json.loads(response.data)["detail"]


FORGED = "/id/x\n2026-11-30 14:50:00,000 kg.access POST /update 204 1ms"


def test_f12_access_log_lines_cannot_be_forged(client: FlaskClient,
                                               caplog: pytest.LogCaptureFixture) -> None:
    """F12: a %0a in the path wrote a second, fake access line (POST /update 204). Now the
    path is logged percent-encoded: one request, one line, no space or control character."""
    with caplog.at_level(logging.INFO, logger="kg.access"):
        client.get(quote(FORGED))
        client.get("/health")
    lines = [r.getMessage() for r in caplog.records if r.name == "kg.access"]
    assert len(lines) == 2 and all("\n" not in line and "\r" not in line for line in lines)
    method, path, status, _ = lines[0].split(" ")
    assert (method, status) == ("GET", "404") and unquote(path) == FORGED
    assert lines[1].startswith("GET /health 200 ")
