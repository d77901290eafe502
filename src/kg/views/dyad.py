"""Events between two states, as event-data researchers count them: who did what to whom,
when, by PLOVER type, cooperative or conflictual.

Which events join which states is read once per version of the store (`StateEvents`):
views/queries/state-events.rq says how an actor's state is found (the actor itself, the
reasoner's dk:sourceState / dk:targetState, an official's post) and why a visit is a CONSULT
from the visitor's state to the host's; state-meetings.rq adds consultations with no source
actor (meetings, summits) that both states took part in, with no direction. A dyad page then
asks for its own events' details and sentences (`dyad`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.dataset.reader import Reader
from kg.iris import Iris
from kg.text import fold
from kg.views.describe import Describer, Labels, Sentence
from kg.views.reads import select
from kg.views.timeline import date_key, is_date
from kg.vocab import DK, RDF, RDFS

COOPERATIVE = frozenset({str(DK.VerbalCooperation), str(DK.MaterialCooperation)})
# Directions of an event within a dyad (a, b): a to b, b to a, or both (no source actor).
AB, BA, BOTH = "ab", "ba", "both"
DIRECTIONS = (AB, BA, BOTH)


@dataclass(frozen=True)
class State:
    iri: str
    key: str  # the local id: /id/<key> is its page
    label: str


@dataclass(frozen=True)
class PloverType:
    iri: str
    notation: str  # AGREE, CONSULT …
    category: str  # one of the four quad categories (an IRI)

    @property
    def cooperative(self) -> bool:
        return self.category in COOPERATIVE


@dataclass(frozen=True)
class Link:
    """An event from one state to another; `mutual` when it has no direction."""

    event: str
    source: str
    target: str
    mutual: bool = False


class StateEvents:
    """The states, PLOVER's types and which events join which states: one read of the store."""

    def __init__(self, space: str, states: Iterable[State], links: Iterable[Link],
                 types: Iterable[PloverType], names: dict[str, set[str]]):
        self.space = space  # the entity space: a state's IRI is the space and its key
        self.states = {state.iri: state for state in states}
        self.links = tuple(sorted(set(links), key=lambda k: (k.event, k.source, k.target)))
        self.types = {t.iri: t for t in types}
        self._names = {name: iris for name, iris in names.items() if len(iris) == 1}

    @classmethod
    def from_reader(cls, reader: Reader, iris: Iris) -> StateEvents:
        space = Literal(iris.entity_space())
        names: dict[str, list[tuple[bool, bool, str]]] = {}  # (alias?, not English?, name)
        for state, name, is_label in select(reader, "states", space=space):
            found = names.setdefault(str(state), [])
            if isinstance(name, Literal):
                found.append((not (isinstance(is_label, Literal) and is_label.toPython()),
                              name.language not in (None, "en"), str(name)))
        start = len(iris.entity_space())
        states = [State(iri, iri[start:], min(found)[2] if found else iri[start:])
                  for iri, found in names.items()]
        by_name: dict[str, set[str]] = {}
        for iri, found in names.items():
            for *_, name in found:
                by_name.setdefault(fold(name), set()).add(iri)
        links = [Link(str(e), str(s), str(t))
                 for e, s, t in select(reader, "state-events", space=space)]
        taking_part: dict[str, set[str]] = {}
        for event, state in select(reader, "state-meetings", space=space):
            taking_part.setdefault(str(event), set()).add(str(state))
        links += [Link(event, one, other, True) for event, states in taking_part.items()
                  for one, other in combinations(sorted(states), 2)]
        types = [PloverType(str(t), str(n), str(c)) for t, n, c in
                 select(reader, "plover-types", ontology=iris.graph("ontology"))]
        return cls(iris.entity_space(), states, links, types, by_name)

    def resolve(self, segment: str) -> State | None:
        """The state a path segment names: its local id, else one of its names (folded; a
        name two states share names neither)."""
        found = self.states.get(self.space + segment)
        if found is not None:
            return found
        iris = self._names.get(fold(segment))
        return self.states.get(next(iter(iris))) if iris else None

    def between(self, a: str, b: str) -> list[tuple[str, str]]:
        """(event, direction) of each event between a and b; directed beats mutual."""
        found: dict[str, set[str]] = {}
        for link in self.links:
            if {link.source, link.target} == {a, b}:
                direction = BOTH if link.mutual else AB if link.source == a else BA
                found.setdefault(link.event, set()).add(direction)
        return sorted((event, _direction(ways)) for event, ways in found.items())

    def partners(self, state: str) -> list[tuple[State, int]]:
        """The states that state has events with, and how many, most first."""
        counts = Counter(other for event, other in {
            (link.event, link.target if link.source == state else link.source)
            for link in self.links if state in (link.source, link.target)})
        return sorted(((self.states[iri], n) for iri, n in counts.items() if iri in self.states),
                      key=lambda item: (-item[1], fold(item[0].label), item[0].iri))

    def pairs(self) -> list[tuple[State, State, int]]:
        """Every pair of states with events between them, most events first."""
        pairs = {(link.event, min(link.source, link.target), max(link.source, link.target))
                 for link in self.links}
        counts = Counter((a, b) for _, a, b in pairs)
        out = [(self.states[a], self.states[b], n) for (a, b), n in counts.items()
               if a in self.states and b in self.states]
        return sorted(out, key=lambda p: (-p[2], fold(p[0].label), fold(p[1].label)))

    def sorted_states(self) -> list[State]:
        return sorted(self.states.values(), key=lambda s: (fold(s.label), s.iri))


def _direction(ways: set[str]) -> str:
    directed = ways - {BOTH}
    if len(directed) == 1:
        return next(iter(directed))
    return BOTH  # only mutual, or both ways at once (two states as one event's source)


@dataclass(frozen=True)
class Actor:
    iri: str
    label: str


@dataclass(frozen=True)
class DyadEvent:
    iri: str
    label: str
    direction: str
    date: str | None
    type: PloverType | None
    type_label: str
    mode: str | None
    contexts: tuple[str, ...]
    sources: tuple[Actor, ...]
    targets: tuple[Actor, ...]
    sentences: tuple[Sentence, ...]

    @property
    def period(self) -> str | None:
        """The month of the event (YYYY-MM), or its year when the source gives no month."""
        if self.date is None:
            return None
        year, month, _, _ = date_key(self.date)
        return f"{year:04d}-{month:02d}" if month else f"{year:04d}"

    @property
    def cooperative(self) -> bool | None:
        return self.type.cooperative if self.type else None

    def to_json(self) -> dict:
        return {"iri": self.iri, "label": self.label, "direction": self.direction,
                "date": self.date, "period": self.period,
                "type": self.type.iri if self.type else None,
                "plover": self.type.notation if self.type else None,
                "typeLabel": self.type_label,
                "category": self.type.category if self.type else None,
                "cooperative": self.cooperative, "mode": self.mode,
                "contexts": list(self.contexts),
                "sourceActors": [{"iri": a.iri, "label": a.label} for a in self.sources],
                "targetActors": [{"iri": a.iri, "label": a.label} for a in self.targets],
                "sentences": [{"iri": s.iri, "text": s.text, "document": s.document}
                              for s in self.sentences]}


@dataclass(frozen=True)
class Dyad:
    a: State
    b: State
    events: tuple[DyadEvent, ...]

    def counts(self) -> dict[tuple[str, str, str], int]:
        """Events by (direction, period, PLOVER notation); undated ones are in no period."""
        return dict(Counter((e.direction, e.period, e.type.notation) for e in self.events
                            if e.period is not None and e.type is not None))

    def totals(self) -> dict[tuple[str, str], int]:
        """Dated events by (PLOVER notation, direction), for the table under the picture."""
        out: Counter[tuple[str, str]] = Counter()
        for (direction, _, notation), count in self.counts().items():
            out[(notation, direction)] += count
        return dict(out)

    def to_json(self) -> dict:
        def state(s: State) -> dict:
            return {"iri": s.iri, "id": s.key, "label": s.label}
        counts = [{"direction": d, "period": p, "plover": t, "count": n}
                  for (d, p, t), n in sorted(self.counts().items())]
        return {"a": state(self.a), "b": state(self.b), "counts": counts,
                "events": [e.to_json() for e in self.events]}


def dyad(reader: Reader, iris: Iris, model: StateEvents, a: State, b: State) -> Dyad:
    """The events between a and b with what a reader checks them by: type, date, mode,
    actors and the sentence each was extracted from; by date (undated last)."""
    ways = dict(model.between(a.iri, b.iri))
    if not ways:
        return Dyad(a, b, ())
    facts: dict[str, dict[str, set[Node]]] = {}
    graphs: dict[str, set[Node]] = {}
    inferred = iris.graph("inferred")
    for event, p, o, g in select(reader, "event-details", events={URIRef(e) for e in ways},
                                 provenance=iris.graph("provenance")):
        facts.setdefault(str(event), {}).setdefault(str(p), set()).add(o)
        if g != inferred:
            graphs.setdefault(str(event), set()).add(g)
    describer = Describer(reader, iris)
    names = {g for found in graphs.values() for g in found}
    sentence_of = {str(graph): sentence for graph, sentence, _ in select(
        reader, "fact-graphs", graphs=names, provenance=iris.graph("provenance"))} if names else {}
    sentences = describer.sentences({URIRef(s) for s in sentence_of.values()
                                     if isinstance(s, URIRef)})
    space = iris.entity_space()
    terms = {o for found in facts.values() for key in (str(DK.mode), str(DK.context),
             str(DK.sourceActor), str(DK.targetActor)) for o in found.get(key, ())}
    labels = describer.labels(terms | {URIRef(t) for t in model.types})
    out = []
    for event, direction in ways.items():
        found = facts.get(event, {})
        cited = sorted({sentence_of[str(g)] for g in graphs.get(event, ())
                        if str(g) in sentence_of}, key=str)
        out.append(_event(event, direction, found, model, labels, space,
                          tuple(sentences[s] for s in cited if s in sentences)))
    out.sort(key=lambda e: (e.date is None, date_key(e.date or ""), fold(e.label), e.iri))
    return Dyad(a, b, tuple(out))


def _event(iri: str, direction: str, found: dict[str, set[Node]], model: StateEvents,
           labels: Labels, space: str, sentences: tuple[Sentence, ...]) -> DyadEvent:
    def values(prop: URIRef) -> list[Node]:
        return sorted(found.get(str(prop), ()), key=str)

    kinds = sorted((model.types[str(t)] for t in values(RDF.type) if str(t) in model.types),
                   key=lambda t: t.notation)
    kind = kinds[0] if kinds else None  # one type per event; two would be the extractor's slip
    dates = [str(d) for d in values(DK.date) or values(DK.startDate)
             if isinstance(d, Literal) and is_date(str(d))]
    date = min(dates, key=date_key) if dates else None
    given = [str(x) for x in values(RDFS.label)]
    modes = [_short_mode(labels.get(m) or str(m)) for m in values(DK.mode)]

    def actors(prop: URIRef) -> tuple[Actor, ...]:
        return tuple(sorted((Actor(str(a), labels.get(a) or str(a)[len(space):])
                             for a in values(prop) if str(a).startswith(space)),
                            key=lambda x: (fold(x.label), x.iri)))

    return DyadEvent(
        iri, min(given) if given else iri[len(space):], direction, date, kind,
        (labels.get(URIRef(kind.iri)) or kind.notation.lower()) if kind else "event",
        min(modes) if modes else None,
        tuple(sorted({_short_mode(labels.get(c) or str(c)) for c in values(DK.context)})),
        actors(DK.sourceActor), actors(DK.targetActor), sentences)


def _short_mode(label: str) -> str:
    """'consult: phone' → 'phone': the type is shown beside it."""
    return label.split(": ", 1)[1] if ": " in label else label
