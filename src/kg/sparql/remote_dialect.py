"""What the remote store (remote_store.py) says and reads so that any SPARQL 1.1 server gives the
answers our own stores give: the points where servers, Virtuoso 7.2 above all, differ.

- Accept by the query's form: a server may answer a CONSTRUCT asked for in a results format as
  a table of ?s ?p ?o (Virtuoso does), so results are asked for only for SELECT and ASK.
- An ASK answered as a one-row, one-column table of 1 or 0 (Virtuoso's ``__ASK_RETVAL``, in
  every results format) is read as the boolean it stands for.
- Errors: a 500 whose text starts with an SQLSTATE of class 22 (ISO SQL's data exception, e.g.
  2201B, an invalid REGEX pattern) or 37 (the query compiler's refusal, e.g. "transitive start
  not given" for a ``*`` path with neither end bound, which Virtuoso cannot evaluate) is the
  query's: asking again cannot help, so it is a 400, not a store down. One of class S1T
  (S1T00, "Transaction timed out") is the remote's own time limit, as is a 200 marked
  ``X-SQL-State: S1TAT`` (an answer in part, which is never passed on as the answer).
- Updates: ``DROP`` becomes ``CLEAR`` (Virtuoso refuses to DROP a graph made by inserting into
  it, "not explicitly created"), and ``CLEAR``/``DROP`` of ``ALL`` or ``NAMED`` become a CLEAR
  of each graph the remote lists (Virtuoso answers them with success and changes nothing).
  Through the Store, where a graph is the triples it holds, both mean the same.
- SERVICE is forwarded only to a server whose own SERVICE client is known not to follow a
  redirect (``Server`` header in SERVICE_SAFE_SERVERS): the allow-list is checked here, on
  the IRI, but the call is the remote's, and Virtuoso's client follows a 3xx from an
  allow-listed endpoint to any host. Checking that endpoint first would be a check-then-use
  race (it may redirect on the next request), so an unknown client gets no SERVICE at all.
- Relative IRIs are resolved against the request's URL, as on our stores, by a BASE put before
  the text (Virtuoso leaves them relative, and writes ``<s>`` in N-Triples, which no parser
  takes); an answer that still cannot be read is the remote's fault, a 503 naming ``store``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kg.errors import QuerySyntaxError, StoreUnavailable
from kg.sparql import lexical

ACCEPT = {"SELECT": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
          "CONSTRUCT": "application/n-triples, text/turtle;q=0.9"}
ACCEPT["ASK"], ACCEPT["DESCRIBE"] = ACCEPT["SELECT"], ACCEPT["CONSTRUCT"]
QUERY_FAULT = re.compile(r"Virtuoso (22|37)[0-9A-Z]{3} Error ")
OUT_OF_TIME = re.compile(r"Virtuoso S1T[0-9A-Z]{2} Error ")
PARTIAL = "S1T"  # the X-SQL-State of an answer cut by the remote's own time limit
NO_GRAPH = "urn:x-diplo-kg:no-graph"  # names no graph
# Servers whose SERVICE client does not follow redirects (test_probe_2_6 checks Oxigraph's).
SERVICE_SAFE_SERVERS = ("Oxigraph/",)


def form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; a text that is none is the remote's to refuse."""
    try:
        return lexical.parse_query(text).kind
    except QuerySyntaxError:
        return "SELECT"


def read_answer(body: bytes, media_type: str, query_form: str) -> Any:
    """The remote's answer as pyoxigraph reads its own results."""
    results = ox.QueryResultsFormat.from_media_type(media_type)
    if results is not None:
        try:
            parsed = ox.parse_query_results(body, format=results)
        except SyntaxError as exc:
            raise StoreUnavailable(f"the SPARQL store answered {media_type} that cannot be "
                                   f"read: {exc} (setting store)", "store") from exc
        if query_form == "ASK" and isinstance(parsed, ox.QuerySolutions):
            return _boolean(parsed)
        return parsed
    graph = ox.RdfFormat.from_media_type(media_type)
    if graph is None:
        raise StoreUnavailable(f"the SPARQL store answered in {media_type}, which is neither "
                               "a SPARQL result nor RDF (setting store)", "store")
    try:
        return [quad.triple for quad in ox.parse(body, format=graph)]
    except SyntaxError as exc:
        raise StoreUnavailable(f"the SPARQL store answered {media_type} that cannot be read: "
                               f"{exc} (setting store)", "store") from exc


def with_base(text: str, base: str | None) -> str:
    """The text with its relative IRIs resolved against ``base`` (see the module)."""
    return f"BASE <{base}>\n{text}" if base else text


def _boolean(solutions: ox.QuerySolutions) -> ox.QueryBoolean:
    values = [term.value for row in solutions for term in row if term is not None]
    truth = b"true" if values and values[0] in ("1", "true") else b"false"
    boolean = ox.parse_query_results(b'{"head": {}, "boolean": %s}' % truth,
                                     format=ox.QueryResultsFormat.JSON)
    assert isinstance(boolean, ox.QueryBoolean)
    return boolean


def portable_update(text: str, graphs: Iterable[str]) -> str:
    """The update with DROP as CLEAR, and ALL or NAMED as each of ``graphs`` (see the module).
    ``graphs`` is read only when the update clears them all."""
    words = lexical.tokens(text)
    edits: list[tuple[int, int, str]] = []
    for at, token in enumerate(words):
        if token.word not in ("DROP", "CLEAR"):
            continue
        target = at + 1 + (at + 1 < len(words) and words[at + 1].word == "SILENT")
        if target >= len(words):
            continue
        if words[target].word in ("ALL", "NAMED"):
            clears = [f"CLEAR SILENT GRAPH <{g}>" for g in graphs] or [
                f"CLEAR SILENT GRAPH <{NO_GRAPH}>"]
            edits.append((token.start, words[target].end, " ;\n".join(clears)))
        elif token.word == "DROP" and words[target].word == "GRAPH":
            edits.append((token.start, token.end, "CLEAR"))
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text
