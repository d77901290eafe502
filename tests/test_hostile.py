"""Regression tests for the endpoint's security and reliability probes
(../shared/reviews/security-probes.md), each reproducing its failure first."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .raw_http import call
from .server import running_server

CLIENTS = 16


@pytest.mark.slow
def test_f15_concurrent_first_queries_do_not_corrupt_the_parser(built_file: Path) -> None:
    """F15: pyparsing is not thread-safe; 16 first parses at once on a cold server broke the
    SPARQL parser for good (every later query a 400). Now every parse holds one lock."""
    with running_server(built_file, "--workers", "2") as url:
        def get(query: str, n: int = 0) -> tuple[int, bytes]:
            """The query from client n, on its own loopback address (127.0.0.N)."""
            reply = call(url, f"/sparql?{urlencode({'query': query})}",
                         source=f"127.0.0.{10 + n}")
            return reply.status, reply.body

        queries = [f"SELECT ?s WHERE {{ ?s <urn:p{n}> ?o FILTER(?o != {n}) }} ORDER BY ?s"
                   for n in range(CLIENTS)]
        with ThreadPoolExecutor(CLIENTS) as pool:
            first = list(pool.map(get, queries, range(CLIENTS)))
        status, body = get("ASK { ?s ?p ?o }")
    assert [s for s, _ in first] == [200] * CLIENTS, [b[:200] for _, b in first]
    assert status == 200 and json.loads(body)["boolean"] is True
