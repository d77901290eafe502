"""A real Oxigraph server (the `oxigraph` package of the dev extra) on loopback, for the
remote store: `sparql:QUERY_URL,UPDATE_URL,GSP_URL` in front of it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
STARTUP_S = 60
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
        _wait_for(port, process)
        url = f"http://127.0.0.1:{port}"
        yield f"sparql:{url}/query,{url}/update,{url}/store"
    finally:
        process.terminate()
        process.wait(30)
        assert process.stderr is not None
        process.stderr.close()


def _free_port() -> int:
    """A port free now (oxigraph serve does not say which port it took for port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            assert process.stderr is not None
            raise RuntimeError(f"oxigraph serve stopped: {process.stderr.read()[-2000:]!r}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"oxigraph serve did not listen on port {port} in {STARTUP_S} s")
