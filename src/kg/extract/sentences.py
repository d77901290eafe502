"""The sentence of a token, found once per document.

spaCy's ``Token.sent`` scans the document's sentence boundaries on every call; the frame rules
ask it for nearly every token they look at, which made it the costliest step of extraction.
The boundaries are read once here and kept in ``doc.user_data`` (read again when merging
entities changed the tokens).
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

_CACHE = "kg.sentences"


def sentences(doc: Doc) -> list[Span]:
    """The document's sentences, in order."""
    cached = doc.user_data.get(_CACHE)
    if cached is None or cached[0] != len(doc):
        spans = list(doc.sents)
        cached = (len(doc), spans, [s.start for s in spans])
        doc.user_data[_CACHE] = cached
    return cached[1]


def sentence_of(token: Token) -> Span:
    """The sentence a token is in (as ``token.sent``, without the scan)."""
    spans = sentences(token.doc)
    starts = token.doc.user_data[_CACHE][2]
    return spans[bisect_right(starts, token.i) - 1]
