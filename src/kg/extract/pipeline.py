"""Text → sentences → entity tokens, with spaCy's rule-based parts (no statistical model).

A blank English pipeline gives the tokenizer and sentencizer; an EntityRuler fed from the
gazetteer and the ontology's concepts finds known names; entity rules (data) and the date
recogniser find the rest. Each entity, and each coordinated list of entities of one class
("Turkey and Kazakhstan"), is then merged into one token carrying its values, so relation
patterns can say ``{ent = "State"}`` whatever the name's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from .dates import find_dates
from .gazetteer import Gazetteer, strip_accents
from .model import DateValue, EntityRef, Placeholder
from .patterns import EntityRule

Value = EntityRef | Placeholder | DateValue
_LIST_WORDS = {",", "and", "or", "the", "&"}
_SLUG = re.compile(r"[^a-z0-9]+")

for _name, _default in (("cls", ""), ("values", ())):
    if not Token.has_extension(_name):
        Token.set_extension(_name, default=_default)


@dataclass(frozen=True)
class Concept:
    """An ontology concept a word names, e.g. dk:education named by 'education'."""

    iri: str
    cls: str
    names: tuple[str, ...]


@dataclass
class EntityToken:
    """An entity span before merging: where it is, its class and what it refers to."""

    start: int
    end: int
    cls: str
    values: list[Value] = field(default_factory=list)
    priority: int = 1  # equal spans: gazetteer names 2 > rules and dates 1 > words 0
    rule: str = ""  # the entity rule that found it, if any


def slug(text: str) -> str:
    """Lowercase ASCII words joined by '-': the key of a name the gazetteer lacks."""
    return _SLUG.sub("-", strip_accents(text).lower()).strip("-")


@Language.component("line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: titles and captions have no full stop."""
    for token in doc[:-1]:
        if "\n" in token.text_with_ws:
            doc[token.i + 1].is_sent_start = True
    return doc


class TextPipeline:
    """Finds sentences and entity tokens in a text; built once, used for every source."""

    def __init__(self, gazetteer: Gazetteer, concepts: Iterable[Concept],
                 rules: Iterable[EntityRule]):
        self.gazetteer = gazetteer
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("line_breaks")
        self.nlp.add_pipe("sentencizer")
        # Names match as written ("Turkey", not "turkey"); concept words in any case.
        ruler = self.nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
        ruler.add_patterns(_ruler_patterns(gazetteer, concepts))  # type: ignore[attr-defined]
        self.rules = {rule.id: rule for rule in rules}
        self.rule_matcher = Matcher(self.nlp.vocab)
        for rule in self.rules.values():
            self.rule_matcher.add(rule.id, [list(rule.tokens.specs)], greedy="LONGEST")
        self._concepts = {c.iri: c for c in concepts}

    def entity_doc(self, text: str) -> tuple[Doc, list[EntityToken]]:
        """Parse text and find its entities (not yet merged)."""
        doc = self.nlp(text)
        found = [self._ruler_entity(ent) for ent in doc.ents]
        return doc, _without_overlaps(found + self._date_entities(doc) + self._rule_entities(doc))

    def merge(self, doc: Doc, entities: list[EntityToken]) -> Doc:
        """Merge entities, and coordinated lists of one class, into single tokens."""
        groups = _coordinated(doc, entities)
        with doc.retokenize() as retokenizer:
            for group in groups:
                values = [v for e in group for v in e.values]
                span = doc[group[0].start:group[-1].end]
                retokenizer.merge(span, attrs={"_": {"cls": group[0].cls, "values": values}})
        return doc

    def _ruler_entity(self, ent: Span) -> EntityToken:
        key, label = ent.ent_id_, ent.label_
        if label == "Demonym":
            entry = self.gazetteer.entries[key]
            return EntityToken(ent.start, ent.end, "Demonym",
                               [EntityRef(key, "State", entry.label)], priority=0)
        if key in self._concepts:
            concept = self._concepts[key]
            return EntityToken(ent.start, ent.end, label,
                               [EntityRef(key, label, concept.names[0], "concept")], priority=0)
        entry = self.gazetteer.entries[key]
        return EntityToken(ent.start, ent.end, label, [EntityRef(key, entry.cls, entry.label)],
                           priority=2)

    def _date_entities(self, doc: Doc) -> list[EntityToken]:
        out = []
        for mention in find_dates(doc.text):
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                out.append(EntityToken(span.start, span.end, "Date",
                                       [DateValue(mention.first, mention.last)]))
        return out

    def _rule_entities(self, doc: Doc) -> list[EntityToken]:
        out = []
        matches = self.rule_matcher(doc, with_alignments=True)
        for match_id, start, end, alignment in matches:  # type: ignore[misc]
            rule = self.rules[self.nlp.vocab.strings[match_id]]
            if not rule.tokens.within_limits(alignment) or \
                    doc[start].sent.start != doc[end - 1].sent.start:
                continue
            named = [start + i for i, a in enumerate(alignment) if rule.tokens.roles[a] == "name"]
            first, last = (named[0], named[-1] + 1) if named else (start, end)
            span = doc[first:last]
            value: Value
            if rule.resolve:
                value = Placeholder(rule.resolve, rule.cls)
            else:
                entry = self.gazetteer.find(span.text)
                value = (EntityRef(entry.key, entry.cls, entry.label) if entry
                         else EntityRef(slug(span.text), rule.cls, span.text, "rule"))
            out.append(EntityToken(first, last, rule.cls, [value], rule=rule.id))
        return out


def _ruler_patterns(gazetteer: Gazetteer, concepts: Iterable[Concept]) -> list[dict]:
    patterns: list[dict] = []

    for entry in gazetteer:
        for name in entry.names():
            patterns.append({"label": entry.cls, "pattern": name, "id": entry.key})
        for name in entry.demonym_forms():
            patterns.append({"label": "Demonym", "pattern": name, "id": entry.key})
    for concept in concepts:
        for name in concept.names:
            tokens = [{"LOWER": word} for word in name.lower().split()]
            patterns.append({"label": concept.cls, "pattern": tokens, "id": concept.iri})
    return patterns


def _without_overlaps(candidates: list[EntityToken]) -> list[EntityToken]:
    """Keep the best of overlapping entities: longer, then higher priority, then earlier.

    Longest first lets "Ankara Yildirim Beyazit University" win over the city "Ankara";
    priority settles equal spans, so a gazetteer name beats a rule's guess at the same words.
    """
    chosen: list[EntityToken] = []
    used: set[int] = set()
    for entity in sorted(candidates, key=lambda e: (e.start - e.end, -e.priority, e.start)):
        tokens = set(range(entity.start, entity.end))
        if not tokens & used:
            chosen.append(entity)
            used |= tokens
    return sorted(chosen, key=lambda e: e.start)


def _coordinated(doc: Doc, entities: list[EntityToken]) -> list[list[EntityToken]]:
    """Group entities joined only by ',', 'and', 'or', 'the' or '-' into lists of one class."""
    groups: list[list[EntityToken]] = []
    for entity in entities:
        if groups and _joins(doc, groups[-1][-1], entity):
            groups[-1].append(entity)
        else:
            groups.append([entity])
    return groups


def _joins(doc: Doc, left: EntityToken, right: EntityToken) -> bool:
    if left.cls != right.cls or left.cls == "Date":
        return False
    between = [t.text.lower() for t in doc[left.end:right.start]]
    if left.cls == "Demonym":  # "Turkish-Kazakh"
        return between == ["-"]
    return bool(between) and all(w in _LIST_WORDS for w in between) and (
        "," in between or "and" in between or "or" in between)
