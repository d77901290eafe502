"""Names news shortens when the other of a pair is named: "South Korea demanded the North
release them", "North Korea threatened to retaliate against the South". The short word is the
state only in a sentence that names one of the pair (``[names] elliptic`` in the pattern files),
so "the South" of a country's weather stays no one."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

POSSESSIVE = {"'s", "’s"}


def elliptic_names(doc: Doc, named: Iterable[tuple[int, int, str]],
                   pairs: Iterable[tuple[str, str, str]]) -> list[tuple[int, str]]:
    """(token index, state key) of each short word of ``pairs`` (word, its state, the other of
    the pair) in a sentence whose ``named`` spans (start, end, key) hold either of the pair:
    "the North", "the North's", "North's" (not "the North Atlantic", not inside a name)."""
    spans = list(named)
    taken = {i for start, end, _ in spans for i in range(start, end)}
    out = []
    for word, key, other in pairs:
        for token in doc:
            if token.text != word or token.i in taken:
                continue
            after = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if after is not None and (after.pos_ == "PROPN" and after.text not in POSSESSIVE
                                      or after.lower_ == "of"):
                continue  # "the North Atlantic", "South Africa", "the South of France"
            before = doc[token.i - 1].lower_ if token.i > 0 else ""
            if before != "the" and (after is None or after.text not in POSSESSIVE):
                continue
            sentence = token.sent
            if any(k in (key, other) and sentence.start <= start < sentence.end
                   for start, _, k in spans):
                out.append((token.i, key))
    return out
