"""Real SPARQL servers on loopback, for the remote store `sparql:QUERY_URL,UPDATE_URL,GSP_URL`
in front of them: the Oxigraph server (the `oxigraph` package of the dev extra) and OpenLink
Virtuoso (Debian's virtuoso-opensource, which .ci/run installs)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.sparql.ops import GraphOp
from kg.sparql.remote_store import Endpoints, RemoteStore

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
VIRTUOSO_CONFIG = Path(__file__).parent / "data" / "virtuoso"
STARTUP_S = 60
# What Virtuoso 7.2 answers otherwise, which no adapter can undo (tests xfail strictly on it).
VIRTUOSO_BOOLEANS = ("Virtuoso 7.2 has no boolean value: true, false and every test (isIRI, "
                     "=, …) in a projection are the xsd:integer 1 and 0")
VIRTUOSO_DEFAULT_GRAPH = ("Virtuoso keeps no triple outside a named graph: a write to the "
                          "default graph (Graph Store ?default, an INSERT without GRAPH) is "
                          "refused")
VIRTUOSO_SERVICE = ("kg serve sends no SERVICE to Virtuoso: its SERVICE client follows a "
                    "redirect from an allow-listed endpoint to any host (remote_dialect.py)")
TIMEOUT_S = 60  # the server's own limit: it stops a query the remote store gave up on


@contextmanager
def running_oxigraph(folder: Path) -> Iterator[str]:
    """Yield the store setting of an Oxigraph server keeping its data in ``folder``, whose
    default graph is the union of its graphs (as the remote store asks); stopped after."""
    port = _free_port()
    process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(folder), "--bind",
                                f"127.0.0.1:{port}", "--union-default-graph",
                                "--timeout-s", str(TIMEOUT_S)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(port, process, "oxigraph serve")
        url = f"http://127.0.0.1:{port}"
        yield f"sparql:{url}/query,{url}/update,{url}/store"
    finally:
        _stop(process, 30)


@contextmanager
def running_virtuoso(folder: Path, timeout_s: int = TIMEOUT_S) -> Iterator[str]:
    """Yield the store setting of a new Virtuoso keeping its database in ``folder``, set up
    as tests/data/virtuoso/ says a deployer does (updates granted, its own graphs private);
    stopped after. Its default graph is the union of the graphs, Virtuoso's own default."""
    virtuoso, isql = _tool("virtuoso-t"), _tool("isql-vt")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = _free_port(), _free_port()
    config = (VIRTUOSO_CONFIG / "virtuoso.ini").read_text(encoding="utf-8").format(
        folder=folder, sql_port=sql_port, http_port=http_port, timeout=timeout_s)
    (folder / "virtuoso.ini").write_text(config, encoding="utf-8")
    process = subprocess.Popen([virtuoso, "+configfile", str(folder / "virtuoso.ini"),
                                "+foreground"], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(http_port, process, "virtuoso-t")
        _wait_for(sql_port, process, "virtuoso-t")
        subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba",
                        str(VIRTUOSO_CONFIG / "setup.sql")], check=True, timeout=STARTUP_S,
                       capture_output=True)
        url = f"http://127.0.0.1:{http_port}"
        yield f"sparql:{url}/sparql,{url}/sparql,{url}/sparql-graph-crud"
    finally:
        _stop(process, 60)


def _stop(process: subprocess.Popen, seconds: float) -> None:
    process.terminate()
    process.wait(seconds)
    assert process.stderr is not None
    process.stderr.close()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed: .ci/run installs virtuoso-opensource")
    return found


def _free_port() -> int:
    """A port free now (neither server says which port it took for port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            assert process.stderr is not None
            raise RuntimeError(f"{name} stopped: {process.stderr.read()[-2000:]!r}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on port {port} in {STARTUP_S} s")


def empty_remote(setting: str, base_iri: str) -> None:
    """Drop every graph the remote lists (a server shared by several modules)."""
    store = RemoteStore(Endpoints.parse(setting), base_iri)
    for graph in store.graph_names():
        store.write(GraphOp("delete", graph), STARTUP_S)
