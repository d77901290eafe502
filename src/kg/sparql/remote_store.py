"""A store on another SPARQL 1.1 server: ``sparql:QUERY_URL[,UPDATE_URL][,GSP_URL]``.

Queries, updates and Graph Store writes are forwarded with the W3C protocols (form-encoded
POSTs; the Graph Store's PUT/POST/DELETE when a GSP_URL is given, else the same write as an
update); this server keeps its own features in front (limits, negotiation, pages). The remote
server must take the union of its graphs as the default graph (Oxigraph:
``--union-default-graph``; Virtuoso does by default), as our stores do. A remote union may be a
bag (a triple in two graphs matches twice), so a client's query is rewritten to read a set, as
on the Oxigraph store (union_set.py).

Answers are read back (SPARQL JSON, N-Triples) and written here, capped at max_rows, by the
same code as the Oxigraph store's. The deadline is the HTTP client's: a connection refused
is a 503 naming the setting ``store``, no answer in time a 503 naming query_timeout_ms, as a
query over its limit on our other stores. Giving up does not stop the remote's work: that is
the remote's own limit (Oxigraph's --timeout-s, Virtuoso's MaxQueryExecutionTime), whose
error answer (a 5xx, a 408 or 504) is passed on as the same 503.

The read models' queries read the named graphs (GRAPH ?g) and, on our other stores, the
unnamed graph apart; a remote's default graph is the union, so that branch is turned off
(``unnamed_graph``: an update without GRAPH is seen there through the graph it went to). Writes by
other clients of the remote are seen by SPARQL at once, by the read models (search, timeline)
at this server's next write or restart.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from kg.dataset.io import new_dataset
from kg.dataset.reader import Row, rows_from_json
from kg.errors import (
    Forbidden,
    InputError,
    KGError,
    QueryError,
    QuerySyntaxError,
    StoreTimeout,
    StoreUnavailable,
)
from kg.formats import RdfFormat
from kg.settings import STORE_REMOTE
from kg.sparql import lexical
from kg.sparql.cache import BoundedCache
from kg.sparql.execute import QueryAnswer, QueryRequest
from kg.sparql.ops import GraphOp, UpdateOp, parsed
from kg.sparql.oxigraph_execute import (
    PREFIXES,
    answer,
    graph_update,
    has_dataset_clause,
    merges_graphs,
    refuse_remote,
    syntax_error,
)
from kg.sparql.parse import GRAPH_KINDS, check_update
from kg.sparql.pool import PoolHealth
from kg.sparql.remote_dialect import (
    ACCEPT,
    NO_GRAPH,
    OUT_OF_TIME,
    PARTIAL,
    QUERY_FAULT,
    SERVICE_SAFE_SERVERS,
    form,
    portable_update,
    read_answer,
    with_base,
)
from kg.sparql.snapshot import EXPORTS_KEPT, ExportKey, Snapshot, export
from kg.sparql.union_set import union_as_set

DUMP_TIMEOUT_S = 600.0  # reading every quad for an export is the store's work, not a client's
HEALTH_TIMEOUT_S = 2.0
SIZES_TIMEOUT_S = 30.0  # counting every graph: a full scan on a large store
SUBQUERY_BOUND = 1_000_000_000  # see union_set.py: more solutions than any answer we write
READ_CHUNK = 1 << 16
ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
# Not SELECT DISTINCT ?g: Virtuoso answers that from its graph list, private graphs included.
GRAPH_NAMES = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str | None = None
    graph_store: str | None = None

    @classmethod
    def parse(cls, setting: str) -> Endpoints:
        """QUERY_URL[,UPDATE_URL][,GSP_URL] after the ``sparql:`` prefix (an empty field
        skips one: ``sparql:Q,,G``)."""
        urls = [u.strip() or None for u in setting.removeprefix(STORE_REMOTE).split(",")]
        if not urls[0] or len(urls) > 3 or not all(
                u.startswith(("http://", "https://")) for u in urls if u):
            raise InputError(f"setting store: {STORE_REMOTE}QUERY_URL[,UPDATE_URL][,GSP_URL] "
                             f"with http(s) URLs, not {setting!r}")
        return cls(*urls)  # type: ignore[arg-type]


class RemoteStore(lexical.ReadsByTokens):
    """The Store interface over HTTP to a SPARQL 1.1 server."""

    unnamed_graph = False

    def __init__(self, endpoints: Endpoints, base_iri: str, allowed_services: tuple[str, ...] = (),
                 cache_entries: int = 0, cache_bytes: int = 64_000_000,
                 refresh_s: float = 5.0):
        self.endpoints = endpoints
        self.base_iri = base_iri
        self._allowed = allowed_services
        self._version = 0
        self._lock = threading.Lock()  # one write or snapshot at a time
        self._state = threading.Lock()  # the version and the caches that hang on it
        self._refresh_s = refresh_s
        self._checking = threading.Lock()
        self._sizes: tuple[float, frozenset[tuple[str, str]] | None] = (-refresh_s - 1, None)
        self._server: str | None = None  # the remote's Server header, read once when needed
        self._snapshot: Snapshot | None = None
        self._graph_names: tuple[int, list[str]] | None = None
        self._exports: BoundedCache[ExportKey, bytes] = BoundedCache(EXPORTS_KEPT, cache_bytes)
        self._results: BoundedCache[QueryRequest, QueryAnswer] = BoundedCache(
            cache_entries, cache_bytes)

    def query(self, request: QueryRequest, timeout: float,
              long_only: bool = False) -> QueryAnswer:
        self._refresh()
        return self._results.through(request, lambda: self._query(request, timeout),
                                     lambda found: len(found.body))

    def _query(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        refuse_remote(request.text, self._allowed)  # the remote would make the call for us
        self._refuse_unsafe_service(request.text)
        request = with_dataset_clause(request)
        bound = SUBQUERY_BOUND if form(request.text) in GRAPH_KINDS else None
        text = union_as_set(request.text, bound) if merges_graphs(request) else request.text
        try:
            try:
                body, media_type = self._ask(request, text, timeout)
            except QueryError:
                if text == request.text:
                    raise
                body, media_type = self._ask(request, request.text, timeout)  # the rewrite's
        except QueryError as refused:
            raise where(request.text) or refused from None
        try:
            return answer(read_answer(body, media_type, form(request.text)), request)
        except (SyntaxError, ValueError, OSError) as exc:  # read lazily, row by row
            # A remote that fails after it started its answer (a SERVICE it calls, a limit)
            # can only break the stream: a 200 whose body is not a result to the end.
            raise StoreUnavailable(f"the SPARQL store's answer broke off: {exc} (setting "
                                   "store)", "store") from None

    def _ask(self, request: QueryRequest, text: str, timeout: float) -> tuple[bytes, str]:
        if "\x00" in text:  # no SPARQL text holds one; a remote may fail on it (Virtuoso: 500)
            raise QueryError("the query holds a NUL character")
        fields: list[tuple[str, str]] = [("query", with_base(text, request.base))]
        fields += [("default-graph-uri", g) for g in request.default_graphs]
        fields += [("named-graph-uri", g) for g in request.named_graphs]
        return send(self.endpoints.query, "POST", urlencode(fields).encode(),
                    "application/x-www-form-urlencoded", timeout,
                    ACCEPT[form(request.text)])

    def _refuse_unsafe_service(self, text: str) -> None:
        """Forbidden for an (allow-listed) SERVICE that the remote's own client would call,
        unless that client is known not to follow a redirect (remote_dialect.py says why)."""
        if not any(keyword == "SERVICE" for keyword, _ in lexical.remote_calls(text)):
            return
        if self._server is None:
            self._server = server_software(self.endpoints.query, HEALTH_TIMEOUT_S)
        if not self._server.startswith(SERVICE_SAFE_SERVERS):
            raise Forbidden(f"SERVICE is not sent to this store: its SERVICE client "
                            f"({self._server or 'unnamed'}) may follow a redirect from an "
                            "allow-listed endpoint to any host (service_allow)")

    def select(self, text: str, timeout: float) -> list[Row]:
        request = QueryRequest(text, "json", self.base_iri, max_rows=sys.maxsize,
                               union_default=False)
        body, _ = self._ask(request, text, timeout)
        return rows_from_json(body)

    def version(self) -> int:
        self._refresh()
        return self._version

    def _refresh(self) -> None:
        """What this process keeps (results, exports, the read models built per version) holds
        until the remote's data changes, which another copy of kg serve, or any client of the
        remote, may do. At most every refresh_s a request starts a check in the background
        (never waited on: a slow remote slows no request) that reads the size of each graph
        again; a change starts a new version, seen by the requests after. (A write that keeps
        every size, one triple replaced by another, is seen at the next change of size.)"""
        if (time.monotonic() - self._sizes[0] < self._refresh_s
                or not self._checking.acquire(blocking=False)):
            return  # fresh enough, or a check is running
        threading.Thread(target=self._check, name="kg-remote-check", daemon=True).start()

    def _check(self) -> None:
        try:
            now, (_, sizes) = time.monotonic(), self._sizes
            try:
                found = frozenset((str(g), str(n)) for g, n in self.select(
                    GRAPH_SIZES, SIZES_TIMEOUT_S))
            except KGError:
                self._sizes = (now, sizes)  # the remote's trouble is each request's to report
                return
            with self._state:
                if sizes is not None and found != sizes and self._sizes[1] is not None:
                    self._bump()
                self._sizes = (now, found)
        finally:
            self._checking.release()

    def _bump(self) -> None:
        self._version += 1
        self._results.clear()
        self._exports.clear()

    def write(self, op: UpdateOp | GraphOp, timeout: float) -> None:
        with self._lock:
            try:
                self._write(op, timeout)
            finally:
                with self._state:  # a failed write may have changed part of the remote
                    self._bump()
                    self._sizes = (-self._refresh_s - 1, None)  # the next reading: a baseline

    def _write(self, op: UpdateOp | GraphOp, timeout: float) -> None:
        if isinstance(op, GraphOp):
            op = parsed(op)  # here, in the web process: a remote store has no workers
        if isinstance(op, GraphOp) and self.endpoints.graph_store:
            target = (f"{self.endpoints.graph_store}?{urlencode({'graph': op.graph})}"
                      if op.graph else f"{self.endpoints.graph_store}?default")
            body = op.ntriples.encode() if op.action != "delete" else None
            send(target, op.action.upper(), body, "application/n-triples", timeout)
            return
        if self.endpoints.update is None:
            raise Forbidden("this store is read-only: the setting store names no UPDATE_URL "
                            f"({STORE_REMOTE}QUERY_URL,UPDATE_URL)")
        if isinstance(op, UpdateOp):
            # Read here, in the web process (a remote store has no workers): a linear pass
            # over at most max_request_bytes of tokens, no parser.
            check_update(lexical.parse_update(op.text), bool(op.using or op.using_named),
                         self._allowed)
            self._refuse_unsafe_service(op.text)
            fields = [("update", with_base(portable_update(op.text, self._every_graph()),
                                           op.base)),
                      *[("using-graph-uri", g) for g in op.using],
                      *[("using-named-graph-uri", g) for g in op.using_named]]
        else:
            fields = [("update", portable_update(graph_update(op), ()))]
        if fields[0][1]:
            send(self.endpoints.update, "POST", urlencode(fields).encode(),
                 "application/x-www-form-urlencoded", timeout)

    def _every_graph(self) -> Iterable[str]:
        """The graphs an update's ALL or NAMED means, read when it is sent."""
        for (graph,) in self.select(GRAPH_NAMES, SIZES_TIMEOUT_S):
            yield str(graph)

    def snapshot(self) -> Snapshot:
        """Every quad of the named graphs, read once per version (for the exports)."""
        self._refresh()
        with self._lock:
            if self._snapshot is None or self._snapshot.version != self._version:
                dataset = new_dataset()
                for s, p, o, g in self.select(ALL_QUADS, DUMP_TIMEOUT_S):
                    dataset.graph(g).add((s, p, o))
                self._snapshot = Snapshot(self._version, dataset)
            return self._snapshot

    def graph_names(self) -> list[str]:
        known = self._graph_names
        if known is not None and known[0] == self._version:
            return known[1]
        try:
            names = sorted(str(g) for (g,) in self.select(GRAPH_NAMES, HEALTH_TIMEOUT_S))
        except KGError:
            return known[1] if known else []  # /health never waits on a slow remote
        self._graph_names = (self._version, names)
        return names

    def export(self, fmt: RdfFormat, graphs: list[str] | None) -> bytes:
        return export(self.snapshot(), fmt, graphs, self.base_iri, self._exports)

    def health(self) -> PoolHealth:
        """One ASK with a short deadline: the remote is the only worker there is."""
        try:
            self.select("SELECT * WHERE { } LIMIT 1", HEALTH_TIMEOUT_S)
        except KGError as exc:
            return PoolHealth(size=1, alive=0, restarts=0, last_error=str(exc))
        return PoolHealth(size=1, alive=1, restarts=0, last_error=None)

    def close(self) -> None:
        pass


def with_dataset_clause(request: QueryRequest) -> QueryRequest:
    """The query's dataset as the protocol's two graph parameters, both always sent.

    The FROM / FROM NAMED IRIs become parameters, which a server whose default graph is the
    union honours where it may ignore the clauses (Oxigraph's --union-default-graph does). A
    dataset is both halves: naming default graphs only means no named graph, and the reverse
    (SPARQL 1.1 Query 13.2). Virtuoso reads a missing half as every graph, so a query over an
    unknown default graph was answered from every named one: the missing half is sent as
    NO_GRAPH, which names no graph. A clause naming a prefixed name is left to the server."""
    graphs: dict[bool, tuple[str, ...]] = {False: request.default_graphs,
                                           True: request.named_graphs}
    if not graphs[False] and not graphs[True] and has_dataset_clause(request.text):
        # the protocol's choice wins, as on every store
        found: dict[bool, list[str]] = {False: [], True: []}
        words = list(lexical.stream(request.text))
        for at, token in enumerate(words[:-1]):
            if token.word != "FROM":
                continue
            named = words[at + 1].word == "NAMED"
            target = words[at + 2] if named and at + 2 < len(words) else words[at + 1]
            if target.kind != "iri":
                return request
            found[named].append(lexical.iri(target))
        graphs = {named: tuple(iris) for named, iris in found.items()}
    if not graphs[False] and not graphs[True]:
        return request
    return replace(request, default_graphs=graphs[False] or (NO_GRAPH,),
                   named_graphs=graphs[True] or (NO_GRAPH,))


def where(text: str) -> QuerySyntaxError | None:
    """The syntax error of a query the remote refused, with its line and column as our other
    stores report it (Oxigraph's parser, on an empty store here); None if it parses."""
    try:
        ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        return syntax_error(exc)
    except (OSError, ValueError):
        return None
    return None


def send(url: str, method: str, body: bytes | None, content_type: str, timeout: float,
         accept: str = "*/*") -> tuple[bytes, str]:
    """One request to the remote: (body, media type) of a 2xx, else the error it means."""
    if timeout <= 0:  # a socket timeout of 0 is no wait at all: the connect itself fails
        raise StoreTimeout(f"no time was left to ask the SPARQL store at {url}: the request "
                           "waited its turn for all of its limit (query_timeout_ms)",
                           "query_timeout_ms")
    headers = {"Accept": accept}
    if body is not None:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            media_type = response.headers.get_content_type()
            answer_body = _read_by(response, deadline, url, timeout)
            state = response.headers.get("X-SQL-State", "")
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:500].decode("utf-8", "replace").strip()
        exc.close()
        if exc.code == 400 or QUERY_FAULT.match(detail):
            raise QueryError(f"the SPARQL store refused the request: {detail}") from None
        if exc.code in (408, 504) or OUT_OF_TIME.match(detail):
            raise StoreTimeout(f"the SPARQL store at {url} ran out of time ({exc.code}): "
                               f"{detail}", "query_timeout_ms") from None
        raise StoreUnavailable(f"the SPARQL store at {url} answered {exc.code}: {detail} "
                               "(setting store)", "store") from None
    except TimeoutError:
        raise StoreTimeout(f"the SPARQL store at {url} did not answer within {timeout:g} s "
                           "(query_timeout_ms)", "query_timeout_ms") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise StoreTimeout(f"the SPARQL store at {url} did not answer within {timeout:g} s "
                               "(query_timeout_ms)", "query_timeout_ms") from None
        raise StoreUnavailable(f"the SPARQL store at {url} cannot be reached: {reason} "
                               "(setting store)", "store") from None
    if state.startswith(PARTIAL):
        raise StoreTimeout(f"the SPARQL store at {url} stopped the query at its own time limit "
                           f"and answered in part ({state}): raise the remote's limit above "
                           "query_timeout_ms", "query_timeout_ms")
    return answer_body, media_type


def server_software(url: str, timeout: float) -> str:
    """The remote's Server header ('' if it sends none), from its answer to an empty ASK."""
    request = urllib.request.Request(
        url, data=urlencode({"query": "ASK {}"}).encode(), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT["ASK"]})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return str(response.headers.get("Server", ""))
    except urllib.error.HTTPError as exc:
        exc.close()
        return str(exc.headers.get("Server", ""))
    except (urllib.error.URLError, OSError) as exc:
        raise StoreUnavailable(f"the SPARQL store at {url} cannot be reached: "
                               f"{getattr(exc, 'reason', exc)} (setting store)", "store") from None


def _read_by(response: Any, deadline: float, url: str, timeout: float) -> bytes:
    """The whole body by the deadline. The socket's timeout bounds each read only: a remote
    that sends a little at a time (rows as a slow FILTER passes them) kept a request open
    far past the limit, with no bound but the remote's own."""
    chunks: list[bytes] = []
    while chunk := response.read1(READ_CHUNK):
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise StoreTimeout(f"the SPARQL store at {url} did not answer within {timeout:g} s "
                               "(query_timeout_ms)", "query_timeout_ms")
    return b"".join(chunks)
