"""What a rule may touch of the engine: the index, the terms, the input lists and derive().

Rules take this Protocol rather than the Engine, so the rule modules do not import the engine
that imports them.
"""

from __future__ import annotations

from typing import Protocol

from kg.reasoner.index import Triple, TripleStore
from kg.reasoner.terms import TermDictionary


class Deriver(Protocol):
    store: TripleStore
    terms: TermDictionary
    input_lists: set[Triple]

    def derive(self, s: int, p: int, o: int, rule: str, premises: tuple[Triple, ...]) -> None: ...
