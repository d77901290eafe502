"""PLOVER events from event-construction matches: type, mode, actors and the states behind them.

The frame machinery (frames.py) finds a trigger word with the fillers of its construction's
roles; which roles count for it (its type, the verb it is the object of, whether it has a
subject of its own, its voice) and what it *states* are decided here (the words around the
trigger: event_reading.py), as PLOVER codes it: a
negated or hedged trigger states nothing; one said as a promise, plan or condition is the act
to come (a sanction to come is a THREATEN, aid to come an AGREE), and one said as not to come
is refused ("will not withdraw": a REJECT); an act that is the content of another event's
trigger ("threatened to impose sanctions", "urged Russia to withdraw") is that event's, not one
of its own. An actor is the entity the text names; the state it acts for is itself for a state,
the state of a capital ("Moscow") or a seat of power ("the Kremlin"), for a person the state of
the post the sentence gives them, else their citizenship; a place that is the target of an
attack, aid or a withdrawal stands for the state it lies in. The words come from data
(inputs/event_rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from spacy.tokens import Doc, Token
from spacy.tokens import Span as TokenSpan

from kg.extract.dates import PartialDate
from kg.extract.event_reading import SUBJECTS, stated_as, turned, within
from kg.extract.facts import Match
from kg.extract.frames import governing_verb
from kg.extract.model import DateValue, EntityRef, FactGraph, NodeRef, Span, Term
from kg.extract.sentences import sentence_of
from kg.inputs.event_rules import NO_EVENT, EventConstruction, EventLexicon, Reading
from kg.inputs.gazetteer import Gazetteer
from kg.text import slug
from kg.vocab import DK

# "Both countries cooperate in …": a present tense says what they do, not an act of theirs
HABITUAL = {"VBP", "VBZ"}
# Clauses of a verb that tell another act than the one its object names
OTHER_CLAUSES = {"conj", "ccomp", "parataxis", "advcl", "nsubj", "nsubjpass", "csubj"}


class StateOf:
    """The state an actor that is not one acts for, as the gazetteer says: a capital's
    ("Moscow"), a seat of power's ("the Kremlin"), a person's citizenship; and, for a territory
    in ``territories``, the state PLOVER codes it under ("Gaza": Palestine). ``lying`` is the
    state a place lies in, for the target of an act done there ("strikes on Kharkiv")."""

    def __init__(self, gazetteer: Gazetteer, territories: dict[str, str] | None = None):
        self.gazetteer = gazetteer
        self.territories = territories or {}

    def __call__(self, entity: EntityRef) -> EntityRef | None:
        entry = self.gazetteer.get(entity.key)
        if entry is None:
            return None
        return self._state(entry.capital_of if entity.cls == "City" else (
            entry.country or self.territories.get(entry.key)))

    def lying(self, entity: EntityRef) -> EntityRef | None:
        entry = self.gazetteer.get(entity.key)
        if entry is None or entity.cls not in PLACES:
            return self(entity)
        return self._state(entry.country or self.territories.get(entry.key))

    def _state(self, key: str | None) -> EntityRef | None:
        state = self.gazetteer.entries.get(key) if key else None
        return EntityRef(state.key, "State", state.label) if state is not None else None


PLACES = ("City", "Place", "Region")
# a show of force at a border is aimed at the state across it ("massed troops at the border
# with Ukraine"); other acts there happen on either side (_after)
BORDER_TYPES = {"Mobilize"}


@dataclass(frozen=True)
class _Event:
    trigger: Token
    reading: Reading
    source: tuple[EntityRef, EntityRef]  # (actor, the state or body it acts for)
    target: tuple[EntityRef, EntityRef]
    match: Match
    reality: str  # "stated", "future" or "refused"


def event_facts(doc: Doc, matches: list[Match], constructions: tuple[EventConstruction, ...],
                lexicon: EventLexicon, others: list[Match], state_of: StateOf,
                document_date: PartialDate | None) -> list[FactGraph]:
    """One fact graph per event the matches state; ``others`` are the frame matches of the same
    document (the posts they give people say whom those people act for)."""
    by_id = {c.rule.id: c for c in constructions}
    offices = _offices(others)
    events = [e for m in matches if doc[m.trigger].pos_ in by_id[m.pattern.id].pos
              for e in [_event(doc[m.trigger], m, by_id[m.pattern.id], lexicon, offices,
                               state_of)] if e]
    # The content of another event is that event's ("threatened to impose", "urged to stop"),
    # but a promise is what it promises ("offered regrets" is a CONCEDE, "pledged aid" an AGREE).
    promises = {e.trigger.i for e in events if e.trigger.lemma_.lower() in lexicon.promising_verbs}
    # what a promise promises is to come; a stated act named after it ("threatened retaliation
    # following the U.S. seizure of …") leaves the promise an event of its own
    inner = {a.i for e in events if e.reality == "future" or e.trigger.lemma_.lower() in (
        lexicon.said) for a in within(e.trigger)}
    triggers = {e.trigger.i for e in events} - promises
    kept = [e for e in events if not any(a.i in triggers for a in within(e.trigger))
            and not (e.trigger.i in promises and e.trigger.i in inner)]
    return [_fact(e, lexicon, document_date) for e in kept]


def _event(trigger: Token, match: Match, construction: EventConstruction,
           lexicon: EventLexicon, offices: dict[tuple[tuple[int, int], EntityRef], EntityRef],
           state_of: StateOf) -> _Event | None:
    kind = "verb" if trigger.pos_ == "VERB" else "noun"
    reading = turned(trigger, lexicon) or lexicon.reading(kind, trigger.lemma_.lower()) or (
        lexicon.reading(kind, trigger.lower_))  # a plural the lexicon lists ("supplies")
    if reading is None or reading == NO_EVENT:
        return None
    reality = stated_as(trigger, lexicon)
    if reality is None or reality == "stated" and reading[0] in lexicon.covered:
        return None
    acted = reading[0]  # the type of the act itself, whether done, to come or refused
    if reality == "refused":
        refusal = lexicon.refused.get(reading[0])
        if refusal is None:
            return None
        reading = refusal
    if reality == "future":
        promised = lexicon.future.get(reading[0])
        if promised is None:
            return None
        reading = reading if promised == reading[0] else (promised, "")
    sentence = sentence_of(trigger)
    verb = governing_verb(trigger)
    verb_lemma = verb.lemma_.lower() if verb is not None and verb.i != trigger.i else None
    subject = any(c.dep_ in SUBJECTS for c in trigger.children)
    # a pronoun subject nothing resolved stands for the speaker of the clause the trigger is
    # said in ("Iran said it would …", "'We condemn …,' X said"); a noun's: its verb's
    pronoun = any(c.dep_ == "nsubj" and c.tag_ == "PRP" and not c._.values
                  for c in (verb or trigger).children)
    passive = trigger.tag_ == "VBN" and trigger.dep_ in ("acl", "relcl", "amod") or any(
        c.dep_ == "auxpass" for c in trigger.children)
    fillers = {end: construction.fillers(match.roles, end, acted, verb_lemma, subject, passive,
                                          pronoun)
               for end in ("source", "target")}
    sources = _actors([v for v in fillers["source"] if not (
        isinstance(v, EntityRef) and _in_dateline(v, sentence))],
        match.sentence, offices, state_of, sentence)
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children):
        # the passive's subject undergoes it ("Two Lebanese soldiers were wounded"), and what
        # a clause or phrase inside it names does not do it ("X's decision to expel Russian
        # diplomats", "Britain's promise to send tanks to Ukraine was welcomed")
        subjects = [c for c in trigger.children if c.dep_ == "nsubjpass"]
        subjects += [c for s in subjects for c in s.conjuncts]
        patients = {v for s in subjects for t in s.subtree for v in t._.values}
        agents = _actors([v for c in trigger.children if c.dep_ == "agent" for t in c.subtree
                          for v in t._.values], match.sentence, offices, state_of, sentence)
        sources = [s for s in sources if s in agents or s[0] not in patients
                   and s[1] not in patients]
    targets = _actors(fillers["target"], match.sentence, offices, state_of, sentence,
                      places=acted in lexicon.located)
    if reading[0] not in BORDER_TYPES:  # "killed militants along the border with Afghanistan"
        targets = [t for t in targets if not _at_border(t[0], sentence)]
    reciprocal = reading[0] in lexicon.reciprocal
    if not targets and reciprocal and trigger.tag_ not in HABITUAL:
        targets = sources[1:]  # "X and Y held joint drills": X towards Y
    if not sources:
        return None
    # a target is none of the sources ("X, Y and Z broke off their relations with W": their
    # is theirs), unless the sources name both parties of a reciprocal act ("joint exercises
    # between X and Y")
    acting = {sources[0][1]} if reciprocal else {s[1] for s in sources}
    target = next((t for t in targets if t[1] not in acting), None)
    if target is None and trigger.lemma_.lower() not in lexicon.denials:  # a denial names
        target = _after(trigger, sources[0][1], state_of, lexicon,  # what it denies
                        places=acted in lexicon.located, borders=reading[0] in BORDER_TYPES)
    if target is None and acted in DISASTER_TYPES:
        target = _stricken(sentence, sources[0][1], state_of, lexicon)
    return _Event(trigger, reading, sources[0], target, match, reality) if target else None


def _after(trigger: Token, source: EntityRef, state_of: StateOf, lexicon: EventLexicon,
           places: bool = False, borders: bool = False) -> tuple[EntityRef, EntityRef] | None:
    """The first other state a verb's own words name after it, when no path reached one
    ("Qatar recalled its ambassador to Tehran", the parser having made the title the filler);
    for a noun, the words after it in the clause of the verb it is the object of ("announced
    $100 million in assistance after the earthquake in Turkey", "expressed regret over the
    deaths of Pakistani soldiers"), not in another clause of that verb. A state a border is
    named by ("along the Afghan border", "its border with Afghanistan") is where the act took
    place, on either side, unless ``borders`` (a show of force at a border is aimed across
    it)."""
    verb = trigger if trigger.pos_ == "VERB" else governing_verb(trigger)
    if verb is None:
        return None
    other = set() if verb.i == trigger.i else {
        t.i for c in verb.children if c.dep_ in OTHER_CLAUSES and trigger not in c.subtree
        for t in c.subtree}
    for token in verb.subtree:
        if token.i <= trigger.i or token.dep_ in ("nsubj", "nsubjpass") or token.i in other:
            continue
        if token.dep_ == "compound" and token.head.lemma_.lower() in lexicon.geographic:
            continue  # "in the East China Sea": a sea, not China
        if not borders and _bordering(token):
            continue
        for value in token._.values:
            if not isinstance(value, EntityRef):
                continue
            state = value if value.cls == "State" else (
                state_of.lying(value) if places and value.cls in PLACES else
                state_of(value) if value.cls == "City" else None)
            if state is not None and state != source:
                return state, state
    return None


def _stricken(sentence: TokenSpan, source: EntityRef, state_of: StateOf,
              lexicon: EventLexicon) -> tuple[EntityRef, EntityRef] | None:
    """The state a disaster the sentence names struck, for aid that names no recipient: "In
    the wake of the earthquakes in Turkey and Syria, the United States announced $100 million
    in relief aid", "in response to the earthquake that struck Afghanistan, China dispatched
    …" (the words of the PLOVER context ``disasters``)."""
    cues = next((c for name, c in lexicon.contexts if name == DISASTERS), frozenset())
    for token in sentence:
        if token.lemma_.lower() not in cues and token.lower_ not in cues:
            continue
        struck = token.head.subtree if token.dep_ in ("nsubj", "nsubjpass") else token.subtree
        for near in struck:  # "the earthquake in Turkey", "the quake (that) struck Nepal"
            for value in near._.values:
                if not isinstance(value, EntityRef):
                    continue
                state = value if value.cls == "State" else (
                    state_of.lying(value) if value.cls in PLACES else None)
                if state is not None and state != source:
                    return state, state
    return None


# aid is for where a disaster struck (PLOVER context "disasters" in events.toml [contexts])
DISASTER_TYPES = {"Aid"}
DISASTERS = "disasters"


def _in_dateline(entity: EntityRef, sentence: TokenSpan) -> bool:
    """Whether a sentence names an entity only in its dateline ("Riyadh, 11 March 2023 (TDI):
    Iran and Saudi Arabia agreed …"), the place a report was filed from, whom the parser may
    make the subject."""
    start = sentence.start
    if not any(isinstance(v, EntityRef) and v.cls in PLACES for v in sentence[0]._.values):
        return False
    end = next((t.i for t in sentence[1:DATELINE_LONGEST] if t.text.endswith(DATELINE_ENDS)
                and t.i + 1 < sentence.end and sentence.doc[t.i + 1].text[:1].isupper()),
               None)
    tokens = [t.i for t in sentence if entity in t._.values]
    return end is not None and bool(tokens) and all(start <= i < end for i in tokens)


DATELINE_ENDS = (":", "—", "--", "–", "-")
DATELINE_LONGEST = 12  # tokens of a dateline before its colon or dash


def _at_border(entity: EntityRef, sentence: TokenSpan) -> bool:
    """Whether a sentence names an entity only as the state across a border."""
    tokens = [t for t in sentence if entity in t._.values]
    return bool(tokens) and all(_bordering(t) for t in tokens)


def _bordering(token: Token) -> bool:
    """Whether a word names the state on the other side of a border: "the Afghan border",
    "Ukraine's borders", "its border with Afghanistan"."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "with":  # the parser may hang "with" elsewhere
        head = head.nbor(-1) if head.i > 0 and head.nbor(-1).lemma_.lower() in BORDERS else (
            head.head)
    elif token.dep_ not in ("amod", "compound", "poss"):
        return False
    return head.lemma_.lower() in BORDERS


BORDERS = {"border", "borders", "frontier", "frontiers", "boundary"}
def _actors(values: list, where: tuple[int, int],
            offices: dict[tuple[tuple[int, int], EntityRef], EntityRef],
            state_of: StateOf, sentence: TokenSpan,
            places: bool = False) -> list[tuple[EntityRef, EntityRef]]:
    """The fillers of a role that act for a known state or body, each with that state; with
    ``places``, a place stands for the state it lies in (the target of an attack on a city)."""
    out = []
    for value in values:
        if not isinstance(value, EntityRef):
            continue
        if value.cls in ("State", "IntergovernmentalOrganization"):
            out.append((value, value))
            continue
        state = (offices.get((where, value)) if value.cls == "Person" else None) or (
            state_of.lying(value) if places else state_of(value)) or _named_with(
            value, sentence, state_of)
        if state is not None:  # a capital stands for its state ("Moscow said")
            out.append((state, state) if value.cls == "City" else (value, state))
    return out


def _named_with(value: EntityRef, sentence: TokenSpan,
                state_of: StateOf | None = None) -> EntityRef | None:
    """The state named in the modifiers of a person or body the gazetteer does not place
    ("Bolivia's Ministry of Foreign Affairs", "the Russian Federal Security Service",
    "Chinese President Hu"), one level of compounds down, or the state of a seat of power or
    body named there ("Pentagon spokesman John Kirby", "a Kremlin spokesman"); for a body,
    also the state it is "of" ("the Ministry of Foreign Affairs of Ukraine")."""
    for token in sentence:
        if value not in token._.values:
            continue
        near = [c for c in token.children if c.dep_ in MODIFIERS]
        near += [g for c in near if c.dep_ == "compound" for g in c.children
                 if g.dep_ in MODIFIERS]
        if value.cls != "Person":  # the parser may have kept "of" inside the body's name
            near += [c for c in token.children if c.dep_ == "pobj"]
            near += [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj"]
        for other in near:
            states = [v for v in other._.values if isinstance(v, EntityRef) and v.cls == "State"]
            states += [s for v in other._.values if isinstance(v, EntityRef) and state_of
                       and v.cls in SEATS for s in [state_of(v)] if s is not None]
            if states:
                return states[0]
    return None


# what a seat of power or national body is in the gazetteer (seats.tsv): a city names a
# correspondent's post as often as its government ("a Moscow correspondent")
SEATS = ("Place", "Organization")


MODIFIERS = ("amod", "compound", "poss", "nmod")


def _offices(matches: list[Match]) -> dict[tuple[tuple[int, int], EntityRef], EntityRef]:
    """(sentence, person) → the state or body of the post the sentence gives them."""
    out: dict[tuple[tuple[int, int], EntityRef], EntityRef] = {}
    for m in matches:
        bodies = [v for r in ("state", "body") for v in m.roles.get(r, [])
                  if isinstance(v, EntityRef) and v.cls in ("State",
                                                            "IntergovernmentalOrganization")]
        for holder in m.roles.get("holder", []):
            if isinstance(holder, EntityRef) and bodies:
                out.setdefault((m.sentence, holder), bodies[0])
    return out


def _fact(event: _Event, lexicon: EventLexicon, document_date: PartialDate | None) -> FactGraph:
    cls, mode = event.reading
    dates = [v for v in event.match.roles.get("date", []) if isinstance(v, DateValue)]
    when = dates[0].first if dates else document_date
    (source, source_state), (target, target_state) = event.source, event.target
    node = NodeRef(cls, (source.key, target.key, slug(event.trigger.lemma_))
                   + ((when.iso(),) if when else ()),
                   f"{cls} by {source.label} towards {target.label}")
    triples: list[tuple[Term, URIRef, Term]] = [
        (node, RDF.type, DK[cls]), (node, RDFS.label, Literal(node.label, lang="en")),
        (node, DK.sourceActor, source), (node, DK.targetActor, target)]
    for actor, state, link in ((source, source_state, DK.sourceState),
                               (target, target_state, DK.targetState)):
        if actor != state:
            triples.append((actor, DK.actsFor, state))
        if state.cls == "State":
            triples.append((node, link, state))
    if mode:
        triples.append((node, DK.mode, DK[f"mode_{cls.lower()}_{mode.replace('-', '_')}"]))
    triples += [(node, DK.context, DK[f"context_{c}"])
                for c in _contexts(event.trigger, lexicon)]
    if when is not None:
        triples.append((node, DK.date, when.to_literal()))
    anchored = bool(dates and dates[0].anchored) or (not dates and when is not None)
    return FactGraph(Span(*event.match.sentence), event.match.pattern.id, tuple(triples),
                     anchored, tuple(Span(*s) for s in event.match.context))


def _contexts(trigger: Token, lexicon: EventLexicon) -> list[str]:
    """The PLOVER contexts the sentence's words give (a phrase of words counts as written)."""
    sentence = sentence_of(trigger)
    words = {t.lower_ for t in sentence} | {t.lemma_.lower() for t in sentence}
    text = sentence.text.lower()
    return [name for name, cues in lexicon.contexts
            if any(c in words if " " not in c else c in text for c in cues)]
