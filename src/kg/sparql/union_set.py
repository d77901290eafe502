"""The union default graph as a set on Oxigraph: each triples block read once per triple.

Oxigraph's union default graph (``use_default_graph_as_union``, and a default graph of several
graphs alike) is a bag: a triple stated in two named graphs matches twice (oxigraph#1919, fixed
upstream after 0.5.13, the newest release). rdflib's union is a set, and so is the RDF merge
that SPARQL 1.1 §13.2 names, so the same query counted differently on the two stores.

Copying every triple into one deduplicated default graph would double the store; instead the
query is rewritten: each triples block that is matched against the default graph becomes
``{ SELECT DISTINCT * WHERE { block } }``. A block's solutions are then the distinct bindings of
its variables, as on a set; the rest of the query (joins, aggregates) is unchanged. An OPTIONAL
whose blocks were wrapped goes inside ``LATERAL { … }`` (Oxigraph's SEP-0006), so that its
subqueries are still evaluated per row with the row's bindings, a lookup, as the plain
OPTIONAL was, instead of whole and joined after (15× slower on LUBM, bench/union_set.py).
The short form ``CONSTRUCT WHERE { triples }`` is first written out in full (its triples are
both template and pattern). Not rewritten: GRAPH and SERVICE groups (a named graph is a set
already; a remote one is not ours), EXISTS and MINUS (only whether a match exists counts),
VALUES data, CONSTRUCT templates, and ASK (one answer whatever the count), nor a block that
binds what no variable shows: a blank node (``[]``, ``_:b``), a collection, a path of several
steps (``p/q``, ``p|q``, ``!p``). Each of its hidden bindings counts on every engine, and
DISTINCT over its variables would drop them; so such a block keeps Oxigraph's bag (exact
unless one of its triples is stated in two graphs, where it counts twice).

A query whose answer cannot show how often a solution came is left as it is, since the
subqueries cost time (they are joined, not merged into the query's plan): a SELECT DISTINCT,
or a CONSTRUCT or DESCRIBE without LIMIT/OFFSET (its triples are written once each), when the
query has no aggregate and no subquery.

A ``bound`` gives each subquery a LIMIT no answer reaches: Virtuoso 7.2 drops a CONSTRUCT's own
LIMIT and OFFSET when its pattern holds a DISTINCT subquery without one (the remote store).

The rewrite reads tokens (lexical.py), not a grammar; text it cannot follow is left as it is.
"""

from __future__ import annotations

from kg.sparql.lexical import FORMS, Token, tokens

OPEN, CLOSE = "{ SELECT DISTINCT * WHERE { ", " } } "
_AGGREGATES = {"COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT", "SAMPLE", "GROUP"}
# Tokens of a triples block that bind what no variable shows (see the module).
_HIDDEN = {"[", "(", "/", "|", "!"}
# Keywords that end a triples block inside a group.
_ELEMENTS = {"OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES", "UNION"}


class _Unfollowed(Exception):
    """The tokens are not a query this reader can follow: leave the text as it is."""


def union_as_set(text: str, bound: int | None = None) -> str:
    """The query with each default-graph triples block read as a set (see the module)."""
    listed = tokens(text)
    if not _counts_show(listed):
        return text
    reader = _Reader(listed)
    try:
        spans = reader.query()
    except (_Unfollowed, IndexError, RecursionError):  # nesting too deep: the engine says so
        return text
    original = text
    # (offset, closes, text): at one offset a close goes before an open
    close = CLOSE if bound is None else f" }} LIMIT {bound} }} "
    inserts = [(start, False, OPEN) for start, _ in spans] + [
        (end, True, close) for _, end in spans] + [
        (start, False, "LATERAL { ") for start, _ in reader.laterals] + [
        (end, True, " } ") for _, end in reader.laterals]
    for offset, _, piece in sorted(inserts, key=lambda i: (i[0], not i[1]), reverse=True):
        text = text[:offset] + piece + text[offset:]
    if reader.short_form is not None:  # CONSTRUCT WHERE { t }: CONSTRUCT { t } WHERE { set t }
        where, start, end = reader.short_form  # the text before `start` is unchanged
        text = f"{text[:where]}{original[start:end]} WHERE {text[start:]}"
    return text


def _counts_show(listed: tuple[Token, ...]) -> bool:
    """Whether the answer can show a solution's multiplicity (see the module)."""
    words = [t.word for t in listed]
    if words.count("SELECT") > 1 or _AGGREGATES.intersection(words):
        return True
    form = next((i for i, w in enumerate(words) if w in FORMS), None)
    if form is None:
        return True
    if words[form] == "SELECT":
        return form + 1 >= len(words) or words[form + 1] != "DISTINCT"
    if words[form] in ("CONSTRUCT", "DESCRIBE"):
        return "LIMIT" in words or "OFFSET" in words
    return False  # ASK


class _Reader:
    """Walks a query's tokens; ``spans`` collects the (start, end) text offsets of blocks."""

    def __init__(self, listed: tuple[Token, ...]):
        self.tokens = listed
        self.at = 0
        self.spans: list[tuple[int, int]] = []
        self.laterals: list[tuple[int, int]] = []  # OPTIONALs that hold a wrapped block
        # CONSTRUCT WHERE's short form: offsets of WHERE, of its '{' and past its '}'.
        self.short_form: tuple[int, int, int] | None = None

    def query(self) -> list[tuple[int, int]]:
        self.at = next((i for i, t in enumerate(self.tokens) if t.word in FORMS), -1)
        if self.at < 0:
            raise _Unfollowed
        form = self._word()
        self.at += 1
        if form == "ASK":
            return []
        if form == "CONSTRUCT":
            if self._word() == "WHERE":  # the short form: its pattern is its template
                where = self.tokens[self.at].start
                self.at += 1
                start = self.tokens[self.at].start
                self.group()
                self.short_form = (where, start, self.tokens[self.at - 1].end)
                return self.spans
            self._skip_braces()  # the template
        while self.at < len(self.tokens) and self._text() != "{":
            self._skip_one()  # projection, DESCRIBE's terms, FROM …: no pattern before the group
        if self.at < len(self.tokens):
            self.group()
        return self.spans

    def _text(self) -> str:
        return self.tokens[self.at].text

    def _word(self) -> str:
        return self.tokens[self.at].word

    def group(self) -> None:
        """A group graph pattern from its '{' to past its '}', rewriting its blocks."""
        self._expect("{")
        if self._word() == "SELECT":  # a subquery: its own WHERE group, then its modifiers
            while self._text() != "{":
                self._skip_one()
            self.group()
            while self._text() != "}":
                self._skip_one()
            self.at += 1
            return
        while self._text() != "}":
            word, text = self._word(), self._text()
            if text == "{":
                self.group()
            elif word == "OPTIONAL":
                start, wrapped = self.tokens[self.at].start, len(self.spans)
                self.at += 1
                self.group()
                if len(self.spans) > wrapped:
                    self.laterals.append((start, self.tokens[self.at - 1].end))
            elif word == "UNION":
                self.at += 1
            elif word in ("GRAPH", "SERVICE", "VALUES"):  # left as written: up to their block
                while self._text() != "{":
                    self.at += 1
                self._skip_braces()
            elif word == "MINUS":
                self.at += 1
                self._skip_braces()
            elif word == "FILTER":
                self.at += 1
                self._constraint()
            elif word == "BIND":
                self.at += 1
                self._skip_brackets()
            else:
                self._triples()
        self.at += 1

    def _triples(self) -> None:
        """A triples block: up to the next group element at bracket depth 0."""
        first = self.at
        depth = 0
        while True:
            token = self.tokens[self.at]
            if token.text in ("[", "("):
                depth += 1
            elif token.text in ("]", ")"):
                depth -= 1
            elif depth == 0 and (token.text in ("{", "}") or token.word in _ELEMENTS):
                break
            self.at += 1
        block = list(self.tokens[first:self.at])
        while block and block[0].text == ".":  # a '.' after a FILTER or group stays outside
            block.pop(0)
        if block and not any(t.text in _HIDDEN or t.kind == "bnode" for t in block):
            self.spans.append((block[0].start, block[-1].end))

    def _constraint(self) -> None:
        """FILTER's constraint: (expression), EXISTS {…}, NOT EXISTS {…} or a function call."""
        if self._word() == "NOT":
            self.at += 1
        if self._word() == "EXISTS":
            self.at += 1
            self._skip_braces()
            return
        if self._text() != "(":
            self.at += 1  # a function's name: its arguments follow
        self._skip_brackets()

    def _skip_brackets(self) -> None:
        """From '(' to past its ')'; braces inside (EXISTS) are skipped whole."""
        self._expect("(")
        depth = 1
        while depth:
            text = self._text()
            if text == "{":
                self._skip_braces()
                continue
            depth += {"(": 1, ")": -1}.get(text, 0)
            self.at += 1

    def _skip_braces(self) -> None:
        """From '{' to past its '}', nothing inside rewritten."""
        self._expect("{")
        depth = 1
        while depth:
            depth += {"{": 1, "}": -1}.get(self._text(), 0)
            self.at += 1

    def _skip_one(self) -> None:
        if self._text() == "(":
            self._skip_brackets()
        elif self._text() == "{":
            self._skip_braces()
        else:
            self.at += 1

    def _expect(self, text: str) -> None:
        if self._text() != text:
            raise _Unfollowed
        self.at += 1
