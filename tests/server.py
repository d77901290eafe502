"""Start the real `kg serve` in a subprocess on a free port, for tests over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .helpers import KG

TOKEN = "test-token-long-enough"


@contextmanager
def running_server(data: Path, *options: str, env: dict[str, str] | None = None,
                   startup_seconds: float = 120, log: list[str] | None = None,
                   store: str | None = None, pid: list[int] | None = None) -> Iterator[str]:
    """Yield the server's base URL (http://127.0.0.1:PORT); stop it with SIGTERM after.

    ``log``, if given, receives the server's stderr lines as they come; ``store`` is the
    global --store option (None: the default store); ``pid``, if given, receives the server's
    process id.
    """
    chosen = ["--store", store] if store else []
    command = [KG, "--data", str(data), *chosen, "serve", "--port", "0", *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, **(env or {})})
    assert process.stdout is not None and process.stderr is not None
    if pid is not None:
        pid.append(process.pid)
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(startup_seconds)
    if not line or not line[0].startswith("serving "):
        process.kill()
        process.wait()
        error = process.stderr.read()[-2000:]
        process.stdout.close()  # closed here too: a leaked pipe fails a later, unrelated test
        process.stderr.close()
        raise RuntimeError(f"kg serve did not start: {line} {error}")
    url = line[0].split()[1].removesuffix("/sparql")
    stderr: list[str] = [] if log is None else log
    drain = threading.Thread(target=lambda: stderr.extend(process.stderr), daemon=True)
    drain.start()
    try:
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code: int | None = process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            code = None
        drain.join(10)
        process.stdout.close()  # unclosed pipes are ResourceWarnings, errors under pytest
        process.stderr.close()
        if code is None:
            raise AssertionError("kg serve did not stop on SIGTERM")
        assert code == 0, "".join(stderr)[-3000:]
