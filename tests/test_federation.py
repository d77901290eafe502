"""SERVICE reaches an operator's allow-listed endpoint, and nothing else.

Two servers of ours on loopback: B serves a second source, A serves the interview and lists B.
A runs on each store: on the oxigraph store, Oxigraph's own engine makes the SERVICE call.
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import ROOT, SECOND_SOURCE, invoke_kg
from .server import running_server

pytestmark = pytest.mark.slow  # real servers talking to each other

QUERY = """PREFIX dk: <https://w3id.org/diplo-kg/ontology#>
SELECT DISTINCT ?member ?org ?chair WHERE {
  ?member dk:memberOf ?org .
  FILTER(STRSTARTS(STR(?member), "https://w3id.org/diplo-kg/id/")
         && STRSTARTS(STR(?org), "https://w3id.org/diplo-kg/id/"))
  SERVICE <%s> { ?chair dk:chairs ?org . FILTER(STRSTARTS(STR(?chair), "https://w3id.org/")) }
} ORDER BY ?member"""


def ask(url: str, query: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{url}/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def datasets(built_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Ours: the session's build of the interview; theirs: a build of the second source."""
    folder = tmp_path_factory.mktemp("federation")
    sources = folder / "sources"
    sources.mkdir()
    shutil.copy(SECOND_SOURCE, sources)
    theirs = folder / "theirs.trig"
    result = invoke_kg("--project", str(ROOT), "--data", str(theirs), "build", "-q",
                       env={"KG_SOURCES_DIR": str(sources)})
    assert result.exit_code == 0, result.stderr
    return built_file, theirs


@pytest.fixture(scope="module")
def remote(datasets: tuple[Path, Path]) -> Iterator[str]:
    with running_server(datasets[1]) as url:
        yield url


def test_service_join_with_an_allow_listed_endpoint(datasets: tuple[Path, Path], remote: str,
                                                    store_option: str, store_kind: str) -> None:
    """On Virtuoso the join is refused (403): its SERVICE client follows redirects, so an
    allow-listed endpoint could send it anywhere (probe 2.6; remote_dialect.py)."""
    service = f"{remote}/sparql"
    with running_server(datasets[0], "--service-allow", service, store=store_option) as local:
        status, body = ask(local, QUERY % service)
    if store_kind == "virtuoso":
        assert status == 403 and "redirect" in body["detail"], body
        return
    assert status == 200, body
    rows = [(b["member"]["value"].rsplit("/", 1)[-1], b["org"]["value"].rsplit("/", 1)[-1],
             b["chair"]["value"].rsplit("/", 1)[-1]) for b in body["results"]["bindings"]]
    assert rows == [("kazakhstan", "osce", "lithuania"), ("turkey", "osce", "lithuania")]


def test_service_not_listed_is_refused(live_server: str, remote: str) -> None:
    status, body = ask(live_server, QUERY % f"{remote}/sparql")  # ours, with no service_allow
    assert status == 403
    assert "service_allow" in body["detail"]
