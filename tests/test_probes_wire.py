"""Probes of ../shared/reviews/security-probes.md about bytes on the wire and the token check,
sent over a raw socket to the real `kg serve` (waitress in front of the app), as the review
sent them: 1.5 (a constant-time token check), 4.3 (a 10 MB body in chunks) and 4.9 (request
smuggling and malformed framing). What they test sits in front of every store (waitress, the
web layer), so one server on the memory store runs them.
"""

from __future__ import annotations

import ast
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import ROOT
from .raw_http import call, exchange
from .server import TOKEN, running_server

pytestmark = pytest.mark.slow

SRC = ROOT / "src" / "kg"
UPDATE = b"INSERT DATA { GRAPH <urn:probe:wire> { <urn:a> <urn:b> 1 } }"
HOST = b"Host: 127.0.0.1\r\n"
QUERY_TYPE = b"Content-Type: application/sparql-query\r\n"


@pytest.fixture(scope="module")
def server(built_file: Path) -> Iterator[str]:
    with running_server(built_file, "--allow-update", "--workers", "1",
                        env={"KG_UPDATE_TOKEN": TOKEN}, store="memory") as url:
        yield url


def healthy(base: str) -> bool:
    return call(base, "/sparql?query=ASK%7B%7D").status == 200


# --- 1.5: the token check ---

# Reading either of these is reading the secret or the credential a client sent for it.
SECRET_READS = ("update_token", "Authorization")
EQUALITY = (ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot)


def _reads_secret(node: ast.AST) -> bool:
    return any((isinstance(n, ast.Attribute) and n.attr == "update_token")
               or (isinstance(n, ast.Constant) and n.value == "Authorization")
               for n in ast.walk(node))


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def token_checks() -> dict[str, ast.FunctionDef]:
    """Every function in src/kg that reads the update token or the Authorization header."""
    found = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and _reads_secret(node):
                found[f"{path.relative_to(SRC)}:{node.name}"] = node
    return found


def test_probe_1_5_every_token_comparison_is_constant_time() -> None:
    """Probe 1.5, in the code rather than by the clock (a timing test over HTTP cannot see
    the nanoseconds an `==` leaks): in every function that reads the token or the header,
    the two meet only in hmac.compare_digest; no `==`, `in` or the like touches the secret,
    the header or a name bound from either. The settings check reads the token's length only."""
    checks = token_checks()
    assert set(checks) == {"web/routes/sparql.py:check_token", "settings.py:_checked"}, checks
    for where, function in checks.items():
        tainted = set()
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and _reads_secret(node.value):
                tainted |= {n.id for t in node.targets for n in ast.walk(t)
                            if isinstance(n, ast.Name)}
        for node in ast.walk(function):
            if isinstance(node, ast.Compare) and any(isinstance(op, EQUALITY)
                                                     for op in node.ops):
                operands = [node.left, *node.comparators]
                touched = [ast.unparse(o) for o in operands
                           if _reads_secret(o) or _names(o) & (tainted - {"scheme"})]
                assert not touched, f"{where}: {ast.unparse(node)}"
    digests = [node for node in ast.walk(checks["web/routes/sparql.py:check_token"])
               if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(
                   "compare_digest")]
    assert len(digests) == 1 and _reads_secret(digests[0]) and "token" in _names(digests[0])


def test_probe_1_5_a_wrong_token_costs_the_same_wherever_it_differs(server: str) -> None:
    """The coarse half of 1.5, as the review measured it: medians of wrong tokens differing
    at the first character, the last, or in length stay within a few milliseconds of each
    other (a check that did more work for a closer token would show here; nanoseconds would
    not, which is why the test above reads the code)."""
    wrong = {"first": "X" + TOKEN[1:], "last": TOKEN[:-1] + "X", "short": "X"}
    seconds: dict[str, list[float]] = {name: [] for name in wrong}
    for _ in range(60):
        for name, token in wrong.items():
            reply = call(server, "/update", "POST", UPDATE,
                         {"Authorization": f"Bearer {token}",
                          "Content-Type": "application/sparql-update"})
            assert reply.status == 401, reply.body
            seconds[name].append(reply.seconds)
    medians = {name: statistics.median(found) for name, found in seconds.items()}
    assert max(medians.values()) - min(medians.values()) < 0.005, medians


# --- 4.3: a 10 MB body sent in chunks ---

def chunked(body_bytes: int, chunk: int = 1 << 16) -> Iterator[bytes]:
    yield (b"POST /sparql HTTP/1.1\r\n" + HOST + QUERY_TYPE
           + b"Transfer-Encoding: chunked\r\n\r\n")
    sent = 0
    while sent < body_bytes:
        yield b"%x\r\n" % chunk + b"#" * chunk + b"\r\n"
        sent += chunk
    yield b"0\r\n\r\n"


def test_probe_4_3_a_chunked_10_mb_body_is_413(server: str) -> None:
    """Probe 4.3's chunked half (the Content-Length half is test_endpoint's): no length to
    refuse up front, so the body is counted as it comes; over max_request_bytes it is a 413
    naming the setting, and the server answers the next query."""
    found = exchange(server, chunked(10 * 1024 * 1024))
    assert [status for status, _ in found.replies] == [413], found
    assert b"max_request_bytes" in found.replies[0][1]
    assert healthy(server)


# --- 4.9: smuggling and malformed framing ---

SMUGGLED = b"GET /smuggled HTTP/1.1\r\n" + HOST + b"\r\n"
FRAMINGS = {
    # A body framed two ways: the chunks end it at once, a Content-Length reader takes the
    # smuggled request as body. Refused, and the connection closed: /smuggled never answered.
    "CL.TE": (b"POST /sparql HTTP/1.1\r\n" + HOST + QUERY_TYPE + b"Content-Length: %d\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" % (5 + len(SMUGGLED))) + SMUGGLED,
    "TE.CL": (b"POST /sparql HTTP/1.1\r\n" + HOST + QUERY_TYPE + b"Transfer-Encoding: chunked"
              b"\r\nContent-Length: 4\r\n\r\n6\r\nASK{}\n\r\n0\r\n\r\n") + SMUGGLED,
    "TE obfuscated": (b"POST /sparql HTTP/1.1\r\n" + HOST + QUERY_TYPE + b"Content-Length: 6"
                      b"\r\nTransfer-Encoding: xchunked\r\n\r\nASK{}\n") + SMUGGLED,
    "TE identity, chunked": (b"POST /sparql HTTP/1.1\r\n" + HOST + QUERY_TYPE
                             + b"Transfer-Encoding: identity, chunked\r\n\r\n"
                             b"6\r\nASK{}\n\r\n0\r\n\r\n") + SMUGGLED,
    "TE with a space before the colon": (b"POST /sparql HTTP/1.1\r\n" + HOST + QUERY_TYPE
                                         + b"Transfer-Encoding : chunked\r\n"
                                         b"Content-Length: 6\r\n\r\nASK{}\n") + SMUGGLED,
    "HTTP/1.0 TE.CL kept alive": (b"POST /sparql HTTP/1.0\r\n" + HOST + QUERY_TYPE
                                  + b"Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n"
                                  b"Content-Length: 6\r\n\r\nASK{}\n") + SMUGGLED,
    "bad chunk size": (b"POST /sparql HTTP/1.1\r\n" + HOST + QUERY_TYPE
                       + b"Transfer-Encoding: chunked\r\n\r\nZZ\r\nASK{}\r\n0\r\n\r\n"),
    "negative Content-Length": (b"POST /sparql HTTP/1.1\r\n" + HOST + QUERY_TYPE
                                + b"Content-Length: -1\r\n\r\nASK{}\n"),
    "two Content-Lengths": (b"POST /sparql HTTP/1.1\r\n" + HOST + QUERY_TYPE
                            + b"Content-Length: 6\r\nContent-Length: 40\r\n\r\nASK{}\n"),
}


@pytest.mark.parametrize("name", FRAMINGS)
def test_probe_4_9_an_ambiguous_body_is_refused_and_the_connection_closed(server: str,
                                                                          name: str) -> None:
    """Probe 4.9, each form over a raw socket. At c648e8a+ a CL.TE request was answered by
    its chunks (a 400 for the empty query) and the connection kept: /smuggled then got its
    own 404, the smuggling a Content-Length-reading proxy in front would not see. Now each
    form gets one 4xx/501 and the connection is closed (RFC 9112, 6.3)."""
    found = exchange(server, [FRAMINGS[name]])
    assert len(found.replies) == 1 and found.closed, found
    status, body = found.replies[0]
    assert status in (400, 501), (status, body)
    assert healthy(server)


def test_probe_4_9_a_chunked_body_alone_still_works(server: str) -> None:
    """The framing refused above is the ambiguous one only: chunks alone are a query."""
    found = exchange(server, [b"POST /sparql HTTP/1.1\r\n" + HOST + QUERY_TYPE
                              + b"Accept: application/sparql-results+json\r\n"
                              b"Transfer-Encoding: chunked\r\n\r\n6\r\nASK{}\n\r\n0\r\n\r\n"])
    assert [status for status, _ in found.replies] == [200], found
    assert b'"boolean": true' in found.replies[0][1] or b'"boolean":true' in found.replies[0][1]


@pytest.mark.parametrize("count, expected", [(10_000, 200), (120_000, 431)])
def test_probe_4_9_many_headers_are_bounded(server: str, count: int, expected: int) -> None:
    """10,000 headers (about 110 KB) fit under the header limit and are answered; 120,000
    (1.4 MB) are over it (max_request_bytes plus room) and refused by waitress."""
    headers = b"".join(b"X-H%d: v\r\n" % n for n in range(count))
    found = exchange(server, [b"GET /health HTTP/1.1\r\n" + HOST + headers + b"\r\n"])
    assert [status for status, _ in found.replies] == [expected], found.replies[:1]
    assert healthy(server)


def test_probe_4_9_http_0_9_and_trace(server: str) -> None:
    """An HTTP/0.9 request line gets an HTTP/1.x answer and a closed connection (never a
    bare body); TRACE is a 405 that echoes no header back (a credential, say)."""
    old = exchange(server, [b"GET /health\r\n\r\n"])
    assert [status for status, _ in old.replies] == [200] and old.closed, old
    trace = exchange(server, [b"TRACE / HTTP/1.1\r\n" + HOST
                              + b"Authorization: Bearer secret-in-a-header\r\n\r\n"])
    assert [status for status, _ in trace.replies] == [405], trace
    assert b"secret-in-a-header" not in trace.replies[0][1]
