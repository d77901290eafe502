"""'The treaty', 'the alliance': the thing of that kind the text named last before the phrase.

A definite description that names no one stands for the nearest entity of its class before it,
in its own sentence or the few before ("… acceded to the North Atlantic Treaty. The treaty …");
a fact that takes it from an earlier sentence cites that sentence too. A phrase that goes on to
say which one it means ("the agreement on fisheries", "the treaty signed in 1990") is a new
description, not a reference back, and stands for nothing.
"""

from __future__ import annotations

import re

from kg.extract.model import EntityRef, Placeholder, Span

DESCRIBED = {"treaty": ("Treaty",),  # resolve → the classes it may stand for
             "organization": ("IntergovernmentalOrganization",)}
ANTECEDENT_REACH = 3  # sentences back where "the treaty" may find what it refers to
# "the agreement on fisheries" says which; "the body for the month" (a span of time) does not
RESTRICTED = re.compile(
    r"\s+(of|on|between|for(?!\s+(?:the|this|that|a)\s+(?:month|year|week|day|term|period)\b)"
    r"|to|with|that|signed|concluded|reached|under|among)\b", re.I)


class Antecedents:
    """For each sentence, what a phrase resolving to ``resolve`` stands for there."""

    def __init__(self, text: str, sentences: tuple[Span, ...], mentions: list,
                 resolve: str, classes: tuple[str, ...]) -> None:
        self.sentences = sentences
        self.named: list[tuple[Span, Span, EntityRef]] = sorted(
            ((span, sentence, value) for span, sentence, _, values in mentions
             for value in values if isinstance(value, EntityRef) and value.cls in classes),
            key=lambda item: item[0].start)
        self.phrases: dict[Span, Span] = {}  # sentence → the first such phrase in it
        for span, sentence, _, values in mentions:
            if any(isinstance(v, Placeholder) and v.resolve == resolve for v in values) and (
                    sentence not in self.phrases or span.start < self.phrases[sentence].start):
                self.phrases[sentence] = span
        self.restricted = {sentence for sentence, span in self.phrases.items()
                           if RESTRICTED.match(text, span.end)}

    def before(self, sentence: Span) -> tuple[list[EntityRef], Span | None]:
        phrase = self.phrases.get(sentence)
        if phrase is None or sentence in self.restricted:
            return [], None
        earlier = [s for s in self.sentences if s.start <= sentence.start]
        reach = earlier[-(ANTECEDENT_REACH + 1):]
        if not reach:
            return [], None
        found = [(span, named_in, value) for span, named_in, value in self.named
                 if span.start < phrase.start and named_in.start >= reach[0].start]
        if not found:
            return [], None
        _, named_in, value = found[-1]
        return [value], (named_in if named_in != sentence else None)
