"""Regression tests for the endpoint's security and reliability probes
(../shared/reviews/security-probes.md), each reproducing its failure first."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .server import running_server

CLIENTS = 16


@pytest.mark.slow
def test_f15_concurrent_first_queries_do_not_corrupt_the_parser(built_file: Path) -> None:
    """F15: pyparsing is not thread-safe; 16 first parses at once on a cold server broke the
    SPARQL parser for good (every later query a 400). Now every parse holds one lock."""
    with running_server(built_file, "--workers", "2") as url:
        def get(query: str) -> tuple[int, bytes]:
            try:
                with urllib.request.urlopen(f"{url}/sparql?{urlencode({'query': query})}",
                                            timeout=60) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read()

        queries = [f"SELECT ?s WHERE {{ ?s <urn:p{n}> ?o FILTER(?o != {n}) }} ORDER BY ?s"
                   for n in range(CLIENTS)]
        with ThreadPoolExecutor(CLIENTS) as pool:
            first = list(pool.map(get, queries))
        status, body = get("ASK { ?s ?p ?o }")
    assert [s for s, _ in first] == [200] * CLIENTS, [b[:200] for _, b in first]
    assert status == 200 and json.loads(body)["boolean"] is True
