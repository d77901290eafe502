"""Extraction: source text → mentions and facts, each tied to its sentence and pattern."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rdflib import URIRef

from kg.extract.facts import Match, find_matches, has_placeholders, instantiate, resolved
from kg.extract.frames import find_frames
from kg.extract.model import (
    EntityRef,
    Extraction,
    FactGraph,
    Mention,
    Placeholder,
    Span,
    Term,
    trimmed,
)
from kg.extract.pipeline import TextPipeline, slug
from kg.inputs.gazetteer import Gazetteer, load_gazetteer
from kg.inputs.ontology import Concept, Ontology
from kg.inputs.patterns import PatternSet, load_patterns
from kg.inputs.sources import Source
from kg.vocab import DK

__all__ = ["Extractor", "Extraction", "load_gazetteer", "load_patterns"]


class Extractor:
    """Holds the gazetteer, the patterns and the spaCy pipeline; extracts one source at a time."""

    def __init__(self, gazetteer: Gazetteer, patterns: PatternSet, concepts: list[Concept]):
        self.gazetteer = gazetteer
        self.patterns = patterns
        self.pipeline = TextPipeline(gazetteer, concepts, patterns.entities,
                                     patterns.recognizers, patterns.names)

    @classmethod
    def from_folders(cls, gazetteer_dir: Path, patterns_dir: Path, ontology_dir: Path) -> Extractor:
        return cls.over(Ontology.load(ontology_dir), gazetteer_dir, patterns_dir)

    @classmethod
    def over(cls, ontology: Ontology, gazetteer_dir: Path, patterns_dir: Path) -> Extractor:
        """An extractor for an ontology already loaded (the build loads it once)."""
        return cls(load_gazetteer(gazetteer_dir),
                   load_patterns(patterns_dir, ontology.expand_class), ontology.concepts())

    def extract(self, source: Source) -> Extraction:
        doc, entities = self.pipeline.entity_doc(source.text)
        sentences = tuple(trimmed(source.text, s.start_char, s.end_char)
                          for s in doc.sents if s.text.strip())
        raw_mentions = []
        rule_facts: list[FactGraph] = []
        for entity in entities:
            span = doc[entity.start:entity.end]
            sentence = trimmed(source.text, span.sent.start_char, span.sent.end_char)
            raw_mentions.append((Span(span.start_char, span.end_char), sentence, span.text,
                                 entity.values))
            rule_facts.extend(_rule_fact(sentence, entity.rule, v) for v in entity.values
                              if isinstance(v, EntityRef) and v.origin in ("rule", "model"))
        merged = self.pipeline.merge(doc, entities)
        matches = find_matches(merged, self.patterns.relations)
        matches += find_frames(merged, self.patterns.frames)
        context = self._context(source, raw_mentions, matches)
        mentions = tuple(Mention(span, sentence, text, entity)
                         for span, sentence, text, values in raw_mentions
                         for entity in _resolve_values(values, context))
        facts = [FactGraph(Span(*m.sentence), m.pattern.id,
                           tuple(instantiate(resolved(m, context), source.id))) for m in matches]
        return Extraction(source.id, sentences, mentions,
                          _merge_graphs(rule_facts + [f for f in facts if f.triples]))

    def _context(self, source: Source, mentions: list, matches: list[Match]) -> dict[
            str, list[EntityRef]]:
        """What 'the two countries', 'our' and 'I' refer to in this document."""
        states: Counter[EntityRef] = Counter()
        first_seen: dict[EntityRef, int] = {}
        for span, _, _, values in mentions:
            for value in values:
                if isinstance(value, EntityRef) and value.cls == "State":
                    states[value] += 1
                    first_seen.setdefault(value, span.start)
        ranked = sorted(states, key=lambda e: (-states[e], first_seen[e]))
        context: dict[str, list[EntityRef]] = {"pair": ranked[:2] if len(ranked) >= 2 else []}
        name = source.meta("interviewee")
        if name:
            entry = self.gazetteer.find(name)
            speaker = (EntityRef(entry.key, entry.cls, entry.label) if entry
                       else EntityRef(slug(name), "Person", name, "rule"))
            context["speaker"] = [speaker]
            context["speaker-state"] = self._speaker_state(speaker, matches, source.id)
        return context

    def _speaker_state(self, speaker: EntityRef, matches: list[Match],
                       source_id: str) -> list[EntityRef]:
        """The state the speaker's post represents, as the text says; else the gazetteer's."""
        triples = [t for m in matches if not has_placeholders(m) for t in instantiate(m, source_id)]
        posts = {o for s, p, o in triples if s == speaker and p == DK.holdsPost}
        senders = sorted({o for s, p, o in triples if s in posts and p == DK.sentBy
                          and isinstance(o, EntityRef)})
        if senders:
            return senders
        entry = self.gazetteer.get(speaker.key)
        if entry and entry.country:
            state = self.gazetteer.entries[entry.country]
            return [EntityRef(state.key, "State", state.label)]
        return []


def _resolve_values(values: list, context: dict[str, list[EntityRef]]) -> list[EntityRef]:
    out: list[EntityRef] = []
    for value in values:
        if isinstance(value, Placeholder):
            out.extend(context.get(value.resolve, []))
        elif isinstance(value, EntityRef):
            out.append(value)
    return out


def _rule_fact(sentence: Span, rule_id: str, entity: EntityRef) -> FactGraph:
    from rdflib import Literal
    from rdflib.namespace import RDF, RDFS

    triples: tuple[tuple[Term, URIRef, Term], ...] = (
        (entity, RDF.type, DK[entity.cls]), (entity, RDFS.label, Literal(entity.label, lang="en")))
    return FactGraph(sentence, rule_id, triples)


def _merge_graphs(facts: list[FactGraph]) -> tuple[FactGraph, ...]:
    """One graph per (sentence, pattern): a pattern matching twice in a sentence adds to it."""
    merged: dict[tuple[Span, str], list] = {}
    for fact in facts:
        merged.setdefault((fact.sentence, fact.pattern_id), []).extend(fact.triples)
    return tuple(FactGraph(sentence, pid, tuple(dict.fromkeys(triples)))
                 for (sentence, pid), triples in sorted(merged.items()))
