"""What a query's tokens say, read without a SPARQL parser: for the Oxigraph path, whose engine
parses the query itself (rdflib's parser rejects valid SPARQL, e.g. ``CONSTRUCT WHERE {…}``).

Three things are read before the engine runs a text: the query's form (by the web layer, to
negotiate a format), the IRIs SERVICE and LOAD would reach (to refuse them), and whether an
update names its own USING/WITH (by the worker that applies it, or the remote store that
forwards it). Tokens are enough for these, since strings, IRIs and comments are read
whole: a keyword inside them is never taken for one. Each answer errs on the safe side: a
SERVICE whose target is not a full IRI is reported as it is written, so the allow-list refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from kg.errors import QuerySyntaxError
from kg.sparql.parse import ParsedQuery, ParsedUpdate

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><(?:[^\s<>"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$]\w+)
  | (?P<bnode>_:\w(?:[\w.-]*\w)?)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:\.\d*)?[eE][+-]?\d+|\d+)
  | (?P<name>(?:[^\W\d]\w*(?:[.-]+\w+)*)?:(?:[\w:%-]|\\.|\.(?=[\w:%-]))*|[^\W\d][\w-]*)
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|.)
""", re.X | re.S)
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str       # a group name of _TOKEN
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        """The keyword this token would be (upper case), or '' for any other token."""
        return self.text.upper() if self.kind == "name" and ":" not in self.text else ""


def tokens(text: str) -> tuple[Token, ...]:
    """The query's tokens, without spaces and comments."""
    return tuple(stream(text))


def stream(text: str) -> Iterator[Token]:
    """The tokens one by one: reading a query of max_request_bytes this way holds one token at
    a time, not the tens of MB its list makes (so no list of tokens is kept either)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), match.start(), match.end())


@dataclass
class _Reading:
    """What one pass over a text's tokens finds (see _read)."""

    form: str | None = None
    calls: dict[tuple[str, str], None] = field(default_factory=dict)  # in order, once each
    words: set[str] = field(default_factory=set)

    def targets(self, keyword: str) -> tuple[str, ...]:
        return tuple(target for kind, target in self.calls if kind == keyword)


@lru_cache(maxsize=16)
def _read(text: str) -> _Reading:
    """The form, the (SERVICE or LOAD, target) calls and USING/WITH, in one pass. A target is
    the IRI (see iri), or the token as written when it is not a full IRI (a prefixed name, a
    variable), which no allow-list entry matches; a keyword at the end targets ''. Kept for
    the last 16 texts (at most 16 × max_request_bytes, with what was found in them): a remote
    store's query is read for its form and its calls four times, and a 390 KB text took
    0.25 s of the web process each time."""
    found = _Reading()
    pending: str | None = None  # SERVICE or LOAD, waiting for its target
    for token in stream(text):
        word = token.word
        if pending is not None:
            if word == "SILENT" and not pending.endswith(" SILENT"):
                pending += " SILENT"
                continue
            target = iri(token) if token.kind == "iri" else token.text
            found.calls[(pending.split()[0], target)] = None
            pending = None
        elif word in ("SERVICE", "LOAD"):
            pending = word
        elif word in FORMS and found.form is None:
            found.form = word
        elif word in ("USING", "WITH"):
            found.words.add(word)
    if pending is not None:
        found.calls[(pending.split()[0], "")] = None
    return found


def parse_query(text: str) -> ParsedQuery:
    """The query's form and SERVICE targets, from its tokens."""
    found = _read(text)
    if found.form is None:
        raise QuerySyntaxError("not a query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return ParsedQuery(found.form, found.targets("SERVICE"))


def parse_update(text: str) -> ParsedUpdate:
    """An update's LOAD and SERVICE targets and whether it has USING or WITH, from its tokens."""
    found = _read(text)
    return ParsedUpdate(found.targets("LOAD"), found.targets("SERVICE"), bool(found.words))


class ReadsByTokens:
    """Reading a query as a store whose engine is not rdflib's (Oxigraph, a remote
    server): from its tokens, so a query that engine takes is never refused by rdflib's parser;
    its syntax errors come from the engine."""

    def parse_query(self, text: str) -> ParsedQuery:
        return parse_query(text)


def remote_calls(text: str) -> tuple[tuple[str, str], ...]:
    """(SERVICE or LOAD, target) for each outbound call the text may make."""
    return tuple(_read(text).calls)


def iri(token: Token) -> str:
    """The IRI an IRI token names, its \\u escapes decoded as the engine decodes them (so
    ``<…/\\u002E\\u002E/>`` is checked as the ``/../`` it reaches)."""
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token.text[1:-1])
