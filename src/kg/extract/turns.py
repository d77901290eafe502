"""Who speaks each turn of a transcript, or the whole of a signed article.

Interviews and press briefings label their turns ("SECRETARY CLINTON: I went to Yogyakarta.",
"QUESTION: …"): the "I" of a turn is the person its label names. A label names a person when,
its titles left out, its last word is the surname of exactly one person the text names in full
("Hillary Rodham Clinton" in the heading); "QUESTION" or "MODERATOR" names nobody. An op-ed with
no labels but a byline near its top ("By Terry Branstad") is one turn, its author's.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from kg.extract.model import EntityRef, Span

BYLINE = re.compile(r"^[ \t]*By[ \t]+\S", re.MULTILINE)
BYLINE_LINES = 6  # a byline stands among the first lines of the text
# A line opening with one to five capitalised words and a colon ("SECRETARY CLINTON:", "MR.
# KERRY:", "Secretary Clinton:", "Q:"): a speaker's label.
LABEL = re.compile(r"^[ \t]*([A-Z][A-Za-z.'’-]*(?:[ \t]+[A-Z][A-Za-z.'’-]*){0,4})[ \t]*:[ \t]",
                   re.MULTILINE)
NOBODY = {"QUESTION", "Q", "MODERATOR", "PARTICIPANT", "AUDIENCE", "OPERATOR", "INTERVIEWER",
          "HOST", "REPORTER", "STAFF", "ANSWER", "A", "NOTE", "SOURCE", "PHOTO"}
# A headline's kind before a colon ("Op-Ed: Forty years of friendship"): no turn at all
KINDS_OF_PIECE = {"OP-ED", "OPINION", "EDITORIAL", "COMMENTARY", "ANALYSIS", "UPDATE",
                  "BREAKING", "EXCLUSIVE", "INTERVIEW", "READOUT", "STATEMENT", "FACT SHEET"}
TITLES = {"SECRETARY", "PRESIDENT", "MINISTER", "PRIME", "FOREIGN", "MR.", "MRS.", "MS.", "DR.",
          "MR", "MRS", "MS", "DR", "AMBASSADOR", "AMB.", "SENATOR", "GENERAL", "DEPUTY", "UNDER",
          "ASSISTANT", "SPOKESPERSON", "SPOKESMAN", "CHANCELLOR", "KING", "QUEEN", "MADAM",
          "VICE", "ACTING", "ADMIRAL", "STATE", "OF"}


@dataclass(frozen=True)
class Turn:
    start: int                 # where the turn's label begins
    end: int                   # where the next label begins (or the text ends)
    label: Span                # the label itself, without its colon
    speaker: EntityRef | None  # the person the label names, if the text names them


class Turns:
    """The labelled turns of a text, found once; ``at`` finds the turn holding an offset."""

    def __init__(self, text: str, people: list[tuple[Span, EntityRef]]) -> None:
        found = [m for m in LABEL.finditer(text)
                 if " ".join(m.group(1).upper().split()) not in KINDS_OF_PIECE]
        named = [person for _, person in people]
        self.turns = [
            Turn(m.start(1), found[i + 1].start(1) if i + 1 < len(found) else len(text),
                 Span(m.start(1), m.end(1)), _named(m.group(1), named))
            for i, m in enumerate(found)]
        if not self.turns:
            self.turns = _byline(text, people)
        self._starts = [t.start for t in self.turns]

    def at(self, offset: int) -> Turn | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.turns[i] if i >= 0 and offset < self.turns[i].end else None


def _named(label: str, people: list[EntityRef]) -> EntityRef | None:
    words = label.upper().split()
    if " ".join(words) in NOBODY or not words:
        return None
    names = [w for w in words if w not in TITLES]
    if not names:
        return None
    surname = names[-1].strip(".'’-").casefold()
    found = {p.key: p for p in people
             if p.cls == "Person" and p.label.split() and
             p.label.split()[-1].strip(".,").casefold() == surname}
    return next(iter(found.values())) if len(found) == 1 else None


def _byline(text: str, people: list[tuple[Span, EntityRef]]) -> list[Turn]:
    """The whole text as its author's turn, when a line among its first ones is a byline
    naming one person ("By Terry Branstad, U.S. Ambassador to China")."""
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()][:BYLINE_LINES]
    for line in lines:
        if not BYLINE.match(line.group()):
            continue
        authors = {person for span, person in people
                   if line.start() <= span.start < line.end() and person.cls == "Person"}
        if len(authors) == 1:
            return [Turn(0, len(text), Span(line.start(), line.end()), authors.pop())]
    return []
