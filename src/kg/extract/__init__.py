"""Extraction: source text → mentions and facts, each tied to its sentence and pattern."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from spacy.tokens import Doc, Token

from kg.errors import DataFileError
from kg.extract.antecedents import DESCRIBED, Antecedents
from kg.extract.consolidate import consolidate
from kg.extract.dates import parse_iso
from kg.extract.events import StateOf, event_facts
from kg.extract.facts import (
    Match,
    find_matches,
    has_placeholders,
    instantiate,
    pattern_matcher,
    resolved,
)
from kg.extract.frames import HEADS, find_frames, states_told
from kg.extract.model import (
    DateValue,
    EntityRef,
    Extraction,
    FactGraph,
    Mention,
    NodeRef,
    Placeholder,
    Span,
    Term,
    trimmed,
)
from kg.extract.nlp import for_parsing
from kg.extract.pipeline import TextPipeline
from kg.extract.sentences import sentence_of
from kg.extract.sentences import sentences as sentence_spans
from kg.extract.turns import Turns
from kg.inputs.gazetteer import Gazetteer, load_gazetteer
from kg.inputs.ontology import Concept, Ontology
from kg.inputs.patterns import PatternSet, load_patterns
from kg.inputs.sources import Source
from kg.text import slug
from kg.vocab import DK

_DATE_TYPES = (XSD.date, XSD.gYearMonth, XSD.gYear)

__all__ = ["Extractor", "Extraction", "load_gazetteer", "load_patterns"]


class Extractor:
    """Holds the gazetteer, the patterns and the spaCy pipeline; extracts one source at a time."""

    def __init__(self, gazetteer: Gazetteer, patterns: PatternSet, concepts: list[Concept],
                 described: dict[str, tuple[str, ...]] | None = None):
        self.gazetteer = gazetteer
        self.patterns = patterns
        # "the agreement" stands for the last document of any kind ("Reciprocal Access
        # Agreement" is an Agreement, a kind of Treaty): the classes with their subclasses
        self._described = described or DESCRIBED
        self.pipeline = TextPipeline(gazetteer, concepts, patterns.entities,
                                     patterns.recognizers, patterns.names)
        self._matcher = pattern_matcher(self.pipeline.nlp.vocab, patterns.relations)
        self._offices = dict(patterns.offices)
        self._acts_for = StateOf(gazetteer, patterns.event_lexicon.territories)
        for title, key in self._offices.items():
            if key not in gazetteer.entries:
                raise DataFileError(f"[offices] {title!r}: {key!r} is not in the gazetteer")
        for place, key in patterns.event_lexicon.territories.items():
            if place not in gazetteer.entries or key not in gazetteer.entries:
                raise DataFileError(f"[territories] {place!r} → {key!r}: not in the gazetteer")

    @classmethod
    def from_folders(cls, gazetteer_dir: Path, patterns_dir: Path, ontology_dir: Path) -> Extractor:
        return cls.over(Ontology.load(ontology_dir), gazetteer_dir, patterns_dir)

    @classmethod
    def over(cls, ontology: Ontology, gazetteer_dir: Path, patterns_dir: Path) -> Extractor:
        """An extractor for an ontology already loaded (the build loads it once)."""
        return cls(load_gazetteer(gazetteer_dir),
                   load_patterns(patterns_dir, ontology.expand_class), ontology.concepts(),
                   {resolve: tuple(sub for c in classes for sub in ontology.expand_class(c))
                    for resolve, classes in DESCRIBED.items()})

    def extract(self, source: Source) -> Extraction:
        return self._extract(source, self.pipeline.nlp(for_parsing(source.text)))

    def extract_many(self, sources: Iterable[Source], batch: int = 16) -> Iterator[Extraction]:
        """Extractions in order, the model parsing the texts in batches (faster than one by
        one; the result is the same)."""
        first, second = itertools.tee(sources)
        texts = (for_parsing(source.text) for source in first)
        for source, doc in zip(second, self.pipeline.nlp.pipe(texts, batch_size=batch),
                               strict=True):
            yield self._extract(source, doc)

    def _extract(self, source: Source, parsed: Doc) -> Extraction:
        doc, entities = self.pipeline.entity_doc(parsed, parse_iso(source.meta("date")))
        sentences = tuple(trimmed(source.text, s.start_char, s.end_char)
                          for s in sentence_spans(doc) if s.text.strip())
        raw_mentions = []
        rule_facts: list[FactGraph] = []
        for entity in entities:
            span = doc[entity.start:entity.end]
            sent = sentence_of(doc[entity.start])
            sentence = trimmed(source.text, sent.start_char, sent.end_char)
            raw_mentions.append((Span(span.start_char, span.end_char), sentence,
                                 source.text[span.start_char:span.end_char], entity.values))
            rule_facts.extend(_rule_fact(sentence, entity.rule, v) for v in entity.values
                              if isinstance(v, EntityRef) and v.origin in ("rule", "model"))
        merged = self.pipeline.merge(doc, entities)
        matches = find_matches(merged, self.patterns.relations, self._matcher)
        events = tuple(e.rule for e in self.patterns.events)
        framed = find_frames(merged, self.patterns.frames + events, self._country, self._office)
        event_ids = {rule.id for rule in events}  # one pass: the frames share the doc's state
        told = [m for m in framed if m.pattern.id in event_ids]
        matches += [m for m in framed if m.pattern.id not in event_ids]
        context = self._context(source, matches)
        people = _PairFinder(sentences, raw_mentions, "Person", _leaders(matches),
                             resolve="people")
        # "the two leaders discussed X with Egyptian officials": the leaders' states come first
        with_people = [(span, sentence, text, [
            person for v in values for person in (
                people.before(sentence)[0] if isinstance(v, Placeholder) and v.resolve == "people"
                else [v])]) for span, sentence, text, values in raw_mentions]
        of_state = states_told(matches)  # "Kenyan President William Ruto": Kenya's
        pairs = _PairFinder(sentences, with_people, "State",
                            citizens=lambda v: self._country(v) or of_state.get(v))
        speakers = _Speakers(self, source, matches, sentences, raw_mentions)
        described = {resolve: Antecedents(source.text, sentences, raw_mentions, resolve, classes)
                     for resolve, classes in self._described.items()}  # "the treaty"
        mentions = tuple(Mention(span, sentence, text, entity)
                         for span, sentence, text, values in raw_mentions
                         for entity in _resolve_values(values, {
                             **context, **speakers.at(sentence)[0],
                             "pair": pairs.before(sentence)[0],
                             "people": people.before(sentence)[0],
                             **{r: a.before(sentence)[0] for r, a in described.items()}}))
        facts = []
        for m in matches:
            pair, antecedent = pairs.before(Span(*m.sentence))
            two, named_before = people.before(Span(*m.sentence))
            speaking, label = speakers.at(Span(*m.sentence))
            things = {r: a.before(Span(*m.sentence)) for r, a in described.items()}
            resolves = {v.resolve for values in m.roles.values() for v in values
                        if isinstance(v, Placeholder)}
            uses_pair = "pair" in resolves or any(
                "?pair" in part for t in m.pattern.templates for triple in t.emit
                for part in triple)
            cited = tuple(span for span, used in (
                (antecedent, uses_pair), (named_before, "people" in resolves),
                (label, bool(resolves & {"speaker", "speaker-state"})),
                *((where, r in resolves) for r, (_, where) in things.items()))
                if span and used)
            facts.append(FactGraph(
                Span(*m.sentence), m.pattern.id,
                tuple(instantiate(resolved(m, {**context, **speaking, "pair": pair,
                                                "people": two,
                                                **{r: v for r, (v, _) in things.items()}}),
                                  source.id)),
                any(isinstance(v, DateValue) and v.anchored
                    for values in m.roles.values() for v in values),
                cited + tuple(Span(*span) for span in m.context)))
        places = _PairFinder(sentences, raw_mentions, "Region")
        lead = sentences[LEAD_SENTENCES - 1].end if len(sentences) >= LEAD_SENTENCES else (
            sentences[-1].end if sentences else 0)
        facts = _officials_of_the_host(
            _offices_from_pairs(_senders_from_pairs(facts, pairs), pairs, places), self._country,
            lead)
        places_told = frozenset(sentence.start for _, sentence, _, values in raw_mentions
                                if any(getattr(v, "cls", "") in ("City", "Place")
                                       for v in values))
        rule_facts += event_facts(merged, told, self.patterns.events, self.patterns.event_lexicon,
                                  matches, self._acts_for, parse_iso(source.meta("date")))
        return Extraction(source.id, sentences, mentions,
                          _merge_graphs(rule_facts + _finest_dates(consolidate(
                              _finest_dates(facts), self._country_key, places_told))))

    def _country(self, place: EntityRef) -> EntityRef | None:
        """The state a place lies in, as the gazetteer says (a state: itself)."""
        if place.cls == "State":
            return place
        entry = self.gazetteer.get(place.key)
        if entry is None or not entry.country:
            return None
        state = self.gazetteer.entries[entry.country]
        return EntityRef(state.key, "State", state.label)

    def _country_key(self, key: str) -> str:
        """The key of the state the gazetteer places an entity in ('' when it does not)."""
        entry = self.gazetteer.get(key)
        return entry.country if entry is not None else ""

    def _office(self, title: Token) -> EntityRef | None:
        """The state or body whose office a title names when the text names none ("Secretary
        of State": the United States; "the Secretary-General": the United Nations), unless the
        text goes on to say which ("Secretary of State for Foreign Affairs")."""
        key = self._offices.get(" ".join(title.text.lower().split()))
        following = title.doc[title.i + 1] if title.i + 1 < len(title.doc) else None
        if key is None or following is not None and following.lower_ in ("for", "of"):
            return None
        state = self.gazetteer.entries[key]
        return EntityRef(state.key, state.cls, state.label)

    def _context(self, source: Source, matches: list[Match]) -> dict[str, list[EntityRef]]:
        """What 'our' and 'I' refer to in this document ('the two countries': _PairFinder)."""
        context: dict[str, list[EntityRef]] = {}
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


class _Speakers:
    """Who "I" and "our country" are in each turn of a transcript, or in a signed article
    (turns.py): the labelled speaker or the author, whose label's or byline's sentence a fact
    about them cites; elsewhere the source's interviewee."""

    def __init__(self, extractor: Extractor, source: Source, matches: list[Match],
                 sentences: tuple[Span, ...], mentions: list) -> None:
        named = [(span, v) for span, _, _, values in mentions for v in values
                 if isinstance(v, EntityRef) and v.cls == "Person"]
        self.turns = Turns(source.text, named)
        self.sentences = sentences
        self._states: dict[EntityRef, list[EntityRef]] = {}
        self._extractor, self._matches, self._source_id = extractor, matches, source.id

    def at(self, sentence: Span) -> tuple[dict[str, list[EntityRef]], Span | None]:
        turn = self.turns.at(sentence.start)
        if turn is None or turn.speaker is None:
            return {}, None
        if turn.speaker not in self._states:
            self._states[turn.speaker] = self._extractor._speaker_state(
                turn.speaker, self._matches, self._source_id)
        said = next((s for s in self.sentences if s.start <= turn.label.start < s.end), None)
        return ({"speaker": [turn.speaker], "speaker-state": self._states[turn.speaker]},
                said if said != sentence else None)


class _PairFinder:
    """'The two countries', 'both sides': the nearest pair of states before them.

    The sentence itself first, then the sentences before it, nearest first: the first that
    names two different states gives the pair (in the order it names them), and a fact that
    takes its pair from an earlier sentence cites that sentence too. Never document-wide
    counts: in a text about several pairs the nearest one is meant.
    """

    def __init__(self, sentences: tuple[Span, ...], mentions: list, cls: str,
                 only: set[EntityRef] | None = None,
                 citizens: Callable[[EntityRef], EntityRef | None] | None = None,
                 resolve: str | None = None) -> None:
        self.sentences = sentences
        self.states: dict[Span, list[EntityRef]] = {}  # (or people: "the two leaders")
        # with ``resolve``, in the phrase's own sentence only what is named before it ("The two
        # Presidents welcomed the signing … by Secretary X and Minister Y": not X and Y)
        phrase_at = {sentence: span.start for span, sentence, _, values in reversed(mentions)
                     if any(isinstance(v, Placeholder) and v.resolve == resolve for v in values)}
        for span, sentence, _, values in mentions:
            if span.start > phrase_at.get(sentence, span.start):
                continue
            for value in values:
                if citizens is not None and isinstance(value, EntityRef) and (
                        value.cls == "Person"):  # "Bush and Moldovan President Snegur"
                    value = citizens(value) or value
                if isinstance(value, EntityRef) and value.cls == cls and (
                        only is None or value in only):
                    found = self.states.setdefault(sentence, [])
                    if value not in found:
                        found.append(value)

    def before(self, sentence: Span) -> tuple[list[EntityRef], Span | None]:
        earlier = [s for s in self.sentences if s.start <= sentence.start]
        for candidate in sorted(earlier, key=lambda s: -s.start):
            states = self.states.get(candidate, [])
            if len(states) >= 2:
                return states[:2], (candidate if candidate != sentence else None)
        return [], None


def _leaders(matches: list[Match]) -> set[EntityRef]:
    """The people the text gives a leader's post (head of state or government, foreign
    minister): "the two leaders" are two of them, not the Secretary-General who welcomed what
    they signed."""
    out: set[EntityRef] = set()
    for m in matches:
        if m.roles.get("former"):
            continue  # "the two ministers" are not the former ministers just named
        kinds = [v for v in m.roles.get("kind", []) if isinstance(v, EntityRef)]
        if any(k.key.rsplit("#", 1)[-1] in HEADS for k in kinds):
            out.update(v for v in m.roles.get("holder", []) if isinstance(v, EntityRef))
    return out


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

    triples: tuple[tuple[Term, URIRef, Term], ...] = (
        (entity, RDF.type, DK[entity.cls]), (entity, RDFS.label, Literal(entity.label, lang="en")))
    return FactGraph(sentence, rule_id, triples)


ENVOYS = {"Ambassador", "ChargeDAffaires", "Envoy", "ConsulGeneral", "Counsellor",
          "DiplomaticOfficer"}


def _senders_from_pairs(facts: list[FactGraph], pairs: _PairFinder) -> list[FactGraph]:
    """"Ambassador X presented his credentials to the Government of Kenya" in a passage about
    the United States and Kenya: a diplomat accredited to one state of the nearest pair, whom
    the text gives no sending state, is the other's (citing the sentence naming the pair)."""
    placed = {s for f in facts for s, p, _ in f.triples if p in (DK.sentBy, DK.postOf)}
    kinds = {s: str(getattr(o, "key", o)).rsplit("#", 1)[-1] for f in facts
             for s, p, o in f.triples if p == DK.postKind}
    out = []
    for fact in facts:
        extra: list[tuple] = []
        pair, antecedent = pairs.before(fact.sentence)
        for s, p, o in fact.triples:
            if p == DK.accreditedTo and s not in placed and kinds.get(s) in ENVOYS and (
                    len(pair) == 2 and o in pair):
                extra.append((s, DK.sentBy, pair[1] if o == pair[0] else pair[0]))
                placed.add(s)
        out.append(FactGraph(fact.sentence, fact.pattern_id, fact.triples + tuple(extra),
                             fact.dated_by_document,
                             fact.context + ((antecedent,) if antecedent else ()))
                   if extra else fact)
    return out


def _offices_from_pairs(facts: list[FactGraph], pairs: _PairFinder,
                        regions: _PairFinder) -> list[FactGraph]:
    """"President Bush and Moldovan President Snegur agreed …" in a passage about the United
    States and Moldova: a leader whose office the text gives no state, named in one sentence
    with the holder of the same office of one state of the nearest pair (and none of the
    other), holds the other state's (citing the sentence naming the pair). Not across offices
    ("Secretary of State Kissinger met President Ford" names two offices of one state), nor
    where the sentence names a state or region outside the pair ("Abkhaz President X")."""
    placed = {s: o for f in facts for s, p, o in f.triples if p in (DK.sentBy, DK.postOf)}
    kinds = {s: str(getattr(o, "key", o)).rsplit("#", 1)[-1] for f in facts
             for s, p, o in f.triples if p == DK.postKind}
    in_sentence: dict[tuple[int, int], set] = {}
    for fact in facts:
        posts = in_sentence.setdefault((fact.sentence.start, fact.sentence.end), set())
        posts.update(s for s, p, _ in fact.triples if p == DK.postKind)
    out = []
    for fact in facts:
        extra: list[tuple] = []
        for s, p, _ in fact.triples:
            if p != DK.postKind or s in placed or kinds.get(s) not in LEADERS:
                continue
            pair, antecedent = pairs.before(fact.sentence)
            if set(pairs.states.get(fact.sentence, [])) - set(pair) or regions.states.get(
                    fact.sentence):
                continue
            others = {placed[o] for o in in_sentence[(fact.sentence.start, fact.sentence.end)]
                      if o != s and o in placed and kinds.get(o) == kinds[s]}
            if len(pair) == 2 and len(others) == 1 and others < set(pair):
                state = pair[1] if others == {pair[0]} else pair[0]
                extra.append((s, DK.postOf, state))
                placed[s] = state
        out.append(FactGraph(fact.sentence, fact.pattern_id, fact.triples + tuple(extra),
                             fact.dated_by_document,
                             fact.context + ((antecedent,) if antecedent else ()))
                   if extra else fact)
    return out


# Offices of a government below its head (a head of state or government is named with the
# state, or known: "President Hamid Karzai" in a report on a visit to Japan is not Japan's)
NATIONAL_OFFICES = {"ForeignMinister", "Minister", "Legislator", "SeniorOfficial"}


LEAD_SENTENCES = 3  # a report's lead (a dateline, a heading, the first sentence): what it is about


def _officials_of_the_host(facts: list[FactGraph],
                           country: Callable[[EntityRef], EntityRef | None],
                           lead_end: int = 0) -> list[FactGraph]:
    """"President Duterte paid an official visit to Japan. … Mr. Taro Kono, Minister for
    Foreign Affairs, also attended": in a text whose visits all go to one state, or whose lead
    tells one visit (the report's subject, whatever earlier visits it recalls later), a
    minister's, legislator's or official's office the text gives no state, held by someone who
    is not a visitor, is the host state's (citing the sentence telling that visit)."""
    visitors: set[Term] = set()
    hosts: dict[Term, FactGraph] = {}
    for fact in sorted(facts, key=lambda f: f.sentence.start):
        for _, p, o in fact.triples:
            if p == DK.visitor:
                visitors.add(o)
            elif p == DK.destination and isinstance(o, EntityRef):
                state = o if o.cls == "State" else country(o)
                if state is not None:
                    hosts.setdefault(state, fact)
    in_lead = {state: fact for state, fact in hosts.items() if fact.sentence.end <= lead_end}
    if len(hosts) != 1 and len(in_lead) != 1:
        return facts
    ((host, told),) = (hosts if len(hosts) == 1 else in_lead).items()
    placed = {s for f in facts for s, p, _ in f.triples if p in (DK.sentBy, DK.postOf)}
    holders = {o: s for f in facts for s, p, o in f.triples if p == DK.holdsPost}
    out = []
    for fact in facts:
        extra = [(s, DK.postOf, host) for s, p, o in fact.triples if p == DK.postKind
                 and s not in placed and str(getattr(o, "key", o)).rsplit("#", 1)[-1] in (
                     NATIONAL_OFFICES) and s in holders and holders[s] not in visitors]
        placed.update(s for s, _, _ in extra)
        cite = (told.sentence,) if extra and told.sentence != fact.sentence else ()
        out.append(FactGraph(fact.sentence, fact.pattern_id, fact.triples + tuple(extra),
                             fact.dated_by_document, fact.context + cite) if extra else fact)
    return out


LEADERS = {"President", "PrimeMinister", "Monarch", "Chancellor", "ForeignMinister",
           "VicePresident"}


def _finest_dates(facts: list[FactGraph]) -> list[FactGraph]:
    """One date told at two precisions ("in 1922", "on July 28, 1922") is the finer one: a
    coarser date of the same thing and property that the finer one falls in is dropped. A post
    begins once: of the start dates a text gives it (appointed, then presenting credentials),
    the earliest is its start (the later one stays as dk:credentialsDate)."""
    dates: dict[tuple, set[str]] = {}
    for fact in facts:
        for s, p, o in fact.triples:
            if isinstance(o, Literal) and o.datatype in _DATE_TYPES:
                dates.setdefault((s, p), set()).add(str(o))
    coarse = {(key, d) for key, found in dates.items() for d in found
              if any(other != d and other.startswith(d + "-") for other in found)}
    coarse |= {(key, d) for key, found in dates.items() for d in found
               if key[1] == DK.startDate and isinstance(key[0], NodeRef)
               and key[0].cls == "Post" and any(other[:len(d)] < d[:len(other)]
                                                for other in found)}
    out = []
    for fact in facts:
        kept = tuple(t for t in fact.triples if not (
            isinstance(t[2], Literal) and ((t[0], t[1]), str(t[2])) in coarse))
        if kept:
            out.append(FactGraph(fact.sentence, fact.pattern_id, kept, fact.dated_by_document,
                                 fact.context))
    return out


def _merge_graphs(facts: list[FactGraph]) -> tuple[FactGraph, ...]:
    """One graph per (sentence, pattern): a pattern matching twice in a sentence adds to it."""
    merged: dict[tuple[Span, str], list] = {}
    dated: set[tuple[Span, str]] = set()
    context: dict[tuple[Span, str], set[Span]] = {}
    for fact in facts:
        key = (fact.sentence, fact.pattern_id)
        merged.setdefault(key, []).extend(fact.triples)
        context.setdefault(key, set()).update(fact.context)
        if fact.dated_by_document:
            dated.add(key)
    return tuple(FactGraph(key[0], key[1], tuple(dict.fromkeys(triples)), key in dated,
                           tuple(sorted(context[key])))
                 for key, triples in sorted(merged.items()))
