"""Parse SPARQL queries and updates before running them: kind, dataset clauses, remote IRIs.

A query is parsed in the worker that runs it, under its time limit: rdflib's parser takes
seconds on a large query (a 390 KB VALUES block: 20 s), which in the web process no limit
stopped (probe F9). The web process needs only the query's kind, to negotiate a format, and
reads it lexically (``query_kind``, linear in the text). An update is parsed by the worker
that applies it, under the same limit, and checked there (``check_update``): a hostile update
cannot hold the web process either. pyparsing's grammar objects are not thread-safe
(rdflib#1282, pyparsing#89): two first parses at once in waitress's threads corrupt the grammar
for good, so every parse holds one lock (the memory store's page reads too: prepared_read).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from pyparsing import ParseBaseException
from rdflib.plugins.sparql import prepareQuery, prepareUpdate
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query, Update

from kg.errors import Forbidden, ProtocolError, QueryError, QuerySyntaxError

_PARSER_LOCK = threading.Lock()

# Strings, IRIs and comments, skipped when looking for a keyword.
OPAQUE = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\""
                     r"|<[^\s<>\"{}|^`\\]*>|#[^\n]*", re.S)
_KIND = re.compile(r"(?<![\w:?$-])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])", re.I)
GRAPH_KINDS = ("CONSTRUCT", "DESCRIBE")
QUERY_KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
               "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class ParsedQuery:
    kind: str                       # SELECT, ASK, CONSTRUCT or DESCRIBE
    services: tuple[str, ...]       # SERVICE IRIs the query would call

    @property
    def is_graph(self) -> bool:
        return self.kind in GRAPH_KINDS


@dataclass(frozen=True)
class ParsedUpdate:
    loads: tuple[str, ...]          # LOAD source IRIs
    services: tuple[str, ...]
    has_using: bool                 # USING / USING NAMED / WITH present


def syntax_error(exc: Exception) -> QuerySyntaxError:
    """The parser's message with its line and column, as the protocol's 400 carries it."""
    if isinstance(exc, ParseBaseException):
        return QuerySyntaxError(f"{exc.msg} at line {exc.lineno}, column {exc.col}",
                                exc.lineno, exc.col)
    return QuerySyntaxError(str(exc) or type(exc).__name__)


def prepare_query(text: str, base: str | None = None) -> Query:
    try:
        with _PARSER_LOCK:
            return prepareQuery(text, base=base)
    except Exception as exc:  # rdflib raises ParseException and bare Exceptions for bad queries
        raise syntax_error(exc) from exc


@lru_cache(maxsize=256)
def prepared_query(text: str, base: str | None = None) -> Query:
    """A cached parse (rdflib's parser costs 100+ ms a query); callers must not mutate it."""
    return prepare_query(text, base)


@lru_cache(maxsize=256)
def prepared_read(text: str, namespaces: tuple[tuple[str, str], ...]) -> Query:
    """A read model's SELECT parsed under the lock, with the dataset's prefixes (as
    ``Graph.query`` would parse it, but not unlocked); cached like prepared_query."""
    try:
        with _PARSER_LOCK:
            return prepareQuery(text, initNs=dict(namespaces))
    except Exception as exc:
        raise syntax_error(exc) from exc


def prepare_update(text: str, base: str | None = None) -> Update:
    """Relative IRIs in the update resolve against base (the protocol: the endpoint's URL)."""
    try:
        with _PARSER_LOCK:
            return prepareUpdate(text, base=base)
    except Exception as exc:
        raise syntax_error(exc) from exc


def query_kind(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside strings, IRIs and
    comments (a subquery's SELECT comes after its query's own keyword). Not a parse: a
    malformed query gets its 400 from the worker that parses it."""
    found = _KIND.search(OPAQUE.sub(" ", text))
    return found.group(1).upper() if found else "SELECT"


_NESTING = re.compile(r"[{}()\[\]]")


def check_nesting(text: str, limit: int) -> None:
    """QueryError for a query or update nested deeper than ``limit`` (braces, parentheses,
    brackets, outside strings, IRIs and comments): a linear scan, before any parser sees it.
    Parsers recurse per level: rdflib's stops with a RecursionError, Oxigraph's overflows its
    stack and kills the process (2,000 to 3,000 levels: a worker, or the web process that
    reads a remote store's syntax error)."""
    depth = deepest = 0
    for bracket in _NESTING.findall(OPAQUE.sub(" ", text)):
        depth = depth + 1 if bracket in "{([" else max(0, depth - 1)
        deepest = max(deepest, depth)
        if deepest > limit:
            raise QueryError(f"the text is nested more than {limit} levels deep "
                             "(max_query_nesting)")


def query_services(text: str, base: str | None = None) -> tuple[str, ...]:
    """The SERVICE IRIs of a query, from the cached parse that executing it uses."""
    return _services(prepared_query(text, base).algebra)


@lru_cache(maxsize=256)
def parse_query(text: str) -> ParsedQuery:
    prepared = prepared_query(text)
    kind = QUERY_KINDS.get(prepared.algebra.name, prepared.algebra.name)
    return ParsedQuery(kind, _services(prepared.algebra))


def describe_update(prepared: Update) -> ParsedUpdate:
    """What check_update needs of a parsed update."""
    loads = tuple(str(op.iri) for op in prepared.algebra if op.name == "Load")
    has_using = any(op.name == "Modify" and (op.using or op.withClause)
                    for op in prepared.algebra)
    services = tuple(s for op in prepared.algebra for s in _services(op))
    return ParsedUpdate(loads, services, has_using)


def check_update(parsed: ParsedUpdate, protocol_using: bool, allowed: tuple[str, ...]) -> None:
    """Refuse an update before it runs: USING/WITH beside the protocol's using-graph-uri or
    using-named-graph-uri (``protocol_using``), or a LOAD or SERVICE IRI not allow-listed.
    Every store calls it where it reads the update (a worker, for our own stores)."""
    if protocol_using and parsed.has_using:
        raise ProtocolError("using-graph-uri / using-named-graph-uri cannot be combined with "
                            "USING, USING NAMED or WITH in the update")
    refuse_remote(parsed.loads, "LOAD", allowed)
    refuse_remote(parsed.services, "SERVICE", allowed)


def remote_allowed(iri: str, allowed: tuple[str, ...]) -> bool:
    """Whether SERVICE or LOAD may reach ``iri``: an allow-listed IRI or one below it.

    Both sides are normalised first, so ``<allowed/sparql/../../internal>`` (which a server
    resolves to ``/internal``) is matched as what it reaches, not as what it starts with.
    """
    target = normalise_iri(iri)
    for entry in allowed:
        base = normalise_iri(entry)
        if target == base or target.startswith(base.rstrip("/") + "/"):
            return True
    return False



def refuse_remote(iris: tuple[str, ...], what: str, allowed: tuple[str, ...]) -> None:
    """Forbidden for the first SERVICE or LOAD IRI not allow-listed: the server and the
    command line refuse alike, before any worker (or its engine) could make the request."""
    for iri in iris:
        if not remote_allowed(iri, allowed):
            raise Forbidden(f"{what} <{iri}> is not allowed: no outbound request is made "
                            "unless an operator lists the IRI in service_allow")


_DOT = re.compile("%2e", re.I)


def normalise_iri(iri: str) -> str:
    """RFC 3986 6.2.2: scheme and host in lower case, %2E decoded, dot-segments removed."""
    parts = urlsplit(iri)
    path = remove_dot_segments(_DOT.sub(".", parts.path))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query,
                       parts.fragment))


def remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4, as a server resolves the path it is sent."""
    output: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./"):
            path = path[2:]
        elif path.startswith("/./") or path == "/.":
            path = "/" + path[3:]
        elif path.startswith("/../") or path == "/..":
            path = "/" + path[4:]
            if output:
                output.pop()
        elif path in (".", ".."):
            path = ""
        else:
            cut = path.find("/", 1)
            segment, path = (path, "") if cut < 0 else (path[:cut], path[cut:])
            output.append(segment)
    return "".join(output)


def _services(algebra: object) -> tuple[str, ...]:
    found: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            found.append(str(node.term))

    traverse(algebra, visitPre=visit)
    return tuple(dict.fromkeys(found))
