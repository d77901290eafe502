"""What a query's tokens say, read without a SPARQL parser: for the Oxigraph path, whose engine
parses the query itself (rdflib's parser rejects valid SPARQL, e.g. ``CONSTRUCT WHERE {…}``).

The web layer needs three things before any worker runs: the query's form (to negotiate a
format), the IRIs SERVICE and LOAD would reach (to refuse them), and whether an update names
its own USING/WITH. Tokens are enough for these, since strings, IRIs and comments are read
whole: a keyword inside them is never taken for one. Each answer errs on the safe side: a
SERVICE whose target is not a full IRI is reported as it is written, so the allow-list refuses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Token:
    kind: str       # a group name of _TOKEN
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        """The keyword this token would be (upper case), or '' for any other token."""
        return self.text.upper() if self.kind == "name" and ":" not in self.text else ""


@lru_cache(maxsize=256)
def tokens(text: str) -> tuple[Token, ...]:
    """The query's tokens, without spaces and comments."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind not in ("space", "comment"):
            found.append(Token(kind, match.group(), match.start(), match.end()))
    return tuple(found)


def parse_query(text: str) -> ParsedQuery:
    """The query's form and SERVICE targets, from its tokens."""
    words = [t.word for t in tokens(text)]
    kind = next((w for w in words if w in FORMS), None)
    if kind is None:
        raise QuerySyntaxError("not a query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return ParsedQuery(kind, remote_targets(text, "SERVICE"))


def parse_update(text: str) -> ParsedUpdate:
    """An update's LOAD and SERVICE targets and whether it has USING or WITH, from its tokens."""
    words = {t.word for t in tokens(text)}
    return ParsedUpdate(remote_targets(text, "LOAD"), remote_targets(text, "SERVICE"),
                        bool(words & {"USING", "WITH"}))


def remote_targets(text: str, keyword: str) -> tuple[str, ...]:
    """What each SERVICE (or LOAD) would reach: the IRI, or the target as written when it is
    not a full IRI (a prefixed name, a variable), which no allow-list entry matches."""
    found: list[str] = []
    listed = tokens(text)
    for index, token in enumerate(listed):
        if token.word != keyword:
            continue
        rest = listed[index + 1:index + 3]
        target = rest[1] if rest and rest[0].word == "SILENT" and len(rest) > 1 else (
            rest[0] if rest else None)
        if target is None:
            found.append("")
        else:
            found.append(iri(target) if target.kind == "iri" else target.text)
    return tuple(dict.fromkeys(found))


def iri(token: Token) -> str:
    """The IRI an IRI token names, its \\u escapes decoded as the engine decodes them (so
    ``<…/\\u002E\\u002E/>`` is checked as the ``/../`` it reaches)."""
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token.text[1:-1])
