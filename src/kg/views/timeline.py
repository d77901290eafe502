"""The dataset's dated events, found generically so that a new source's events need no code.

An event is any resource minted under the base IRI that carries a date literal (xsd:date,
xsd:gYear, xsd:gYearMonth, xsd:dateTime) through a property of our ontology, in a stated or the
inferred graph. The provenance graph is left out: when a source was published or retrieved is
metadata about the text, not something the text reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Literal, URIRef

from kg.dataset.reader import Reader
from kg.iris import Iris
from kg.views.reads import select
from kg.views.search import Named, Tier, named_resources, transitive
from kg.vocab import DK, XSD

DATE_TYPES = (XSD.date, XSD.gYear, XSD.gYearMonth, XSD.dateTime)
# PLOVER's quad categories (ontology/events.ttl): an interaction event is shown with its own.
CATEGORIES = (str(DK.VerbalCooperation), str(DK.MaterialCooperation), str(DK.VerbalConflict),
              str(DK.MaterialConflict))
_DATE = re.compile(r"^(-?\d{4,})(?:-(\d\d))?(?:-(\d\d))?")


@dataclass(frozen=True)
class Dated:
    """One date an event carries, and through which property."""

    value: str
    datatype: str
    property: str
    property_label: str


@dataclass(frozen=True)
class Participant:
    """A labelled resource the event links to (or that links to the event), and how."""

    iri: str
    label: str
    roles: tuple[str, ...]
    incoming: bool = False


@dataclass(frozen=True)
class Event:
    iri: str
    label: str
    type: str | None
    type_label: str
    dates: tuple[Dated, ...]
    participants: tuple[Participant, ...]
    category: str | None = None  # a PLOVER event's quad category (dk:VerbalConflict …)
    category_label: str | None = None

    @property
    def date(self) -> str:
        """The earliest date (a year, a month or a day, as the source gave it)."""
        return self.dates[0].value

    @property
    def end(self) -> str | None:
        """The latest date, when it differs from the earliest."""
        last = self.dates[-1].value
        return last if last != self.date else None

    @property
    def date_label(self) -> str:
        """What the earliest date is: 'start date', 'signing date' …"""
        return self.dates[0].property_label

    @property
    def year(self) -> int:
        return date_key(self.date)[0]

    def to_json(self) -> dict:
        return {"iri": self.iri, "label": self.label, "type": self.type,
                "typeLabel": self.type_label, "category": self.category,
                "categoryLabel": self.category_label, "date": self.date, "end": self.end,
                "dateProperty": self.dates[0].property, "dateLabel": self.date_label,
                "dates": [{"value": d.value, "datatype": d.datatype, "property": d.property,
                           "propertyLabel": d.property_label} for d in self.dates],
                "participants": [{"iri": p.iri, "label": p.label, "roles": list(p.roles),
                                  "incoming": p.incoming} for p in self.participants]}


def date_key(value: str) -> tuple[int, int, int, str]:
    """(year, month, day, rest) for sorting; a bare year sorts before that year's days."""
    found = _DATE.match(value)
    if found is None:
        return (0, 0, 0, value)
    year, month, day = found.groups()
    return (int(year), int(month or 0), int(day or 0), value[found.end():])


def is_date(value: str) -> bool:
    """Whether a date literal's text reads as a date ("circa 1990" does not)."""
    return _DATE.match(value) is not None


def events(reader: Reader, base_iri: str) -> list[Event]:
    """Every dated resource of the data graphs, by date then label (an ill-formed date, such
    as "circa 1990"^^xsd:gYear, dates nothing)."""
    iris = Iris(base_iri)
    ours = str(DK)
    dated: dict[str, set[tuple[str, str, str]]] = {}
    links: dict[str, set[tuple[str, str, bool]]] = {}
    supers: dict[str, set[str]] = {}
    for s, o in select(reader, "subproperties"):
        supers.setdefault(str(s), set()).add(str(o))
    properties = [p for (p,) in select(reader, "predicates")
                  if isinstance(p, URIRef) and str(p).startswith(ours)]
    if not properties:
        return []  # nothing of the vocabulary dates or links anything
    rows = select(reader, "dated", base=Literal(base_iri), properties=properties,
                  provenance=iris.graph("provenance"), ontology=iris.graph("ontology"))
    for s, p, o in rows:
        if not isinstance(s, URIRef):
            continue
        subject, prop = str(s), str(p)
        if (isinstance(o, Literal) and o.datatype in DATE_TYPES and prop.startswith(ours)
                and _minted(subject, base_iri) and _DATE.match(str(o))):
            dated.setdefault(subject, set()).add((str(o), str(o.datatype), prop))
        elif (isinstance(o, URIRef) and prop.startswith(ours) and _minted(str(o), base_iri)
              and _minted(subject, base_iri)):
            links.setdefault(subject, set()).add((str(o), prop, False))
            links.setdefault(str(o), set()).add((subject, prop, True))
    if not dated:
        return []  # no names to read
    named = named_resources(reader, base_iri)
    above = transitive(supers)
    order = _precedence(dated.values())
    out = [_event(iri, values, links.get(iri, set()), named, above, order)
           for iri, values in dated.items()]
    return sorted(out, key=lambda e: (date_key(e.date), e.label.casefold(), e.iri))


def _precedence(dated: Iterable[set[tuple[str, str, str]]]) -> dict[str, int]:
    """How often each property gives an event's earliest date rather than its latest one.

    When a visit starts and ends in the same year, the data themselves say which property
    opens events (a summit from 15 to 16 September), so no property name is written here.
    """
    score: dict[str, int] = {}
    for values in dated:
        keys = sorted((date_key(value), prop) for value, _, prop in values)
        for key, prop in keys:
            score[prop] = score.get(prop, 0) + (key == keys[0][0]) - (key == keys[-1][0])
    return score


def _minted(iri: str, base_iri: str) -> bool:
    return iri.startswith(base_iri) and not iri.startswith(str(DK))


def _is_data(resource: Named | None) -> bool:
    return resource is not None and resource.tier is Tier.DATA


def _event(iri: str, values: set[tuple[str, str, str]],
           links: set[tuple[str, str, bool]], named: dict[str, Named],
           supers: dict[str, set[str]], order: dict[str, int]) -> Event:
    """One event; a date also given by a more specific property (dk:date beside
    dk:signingDate, inferred from it) is shown once, under the specific property."""
    def label(term: str) -> str:
        found = named.get(term)
        return found.label if found else term.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    kept = [(value, datatype, prop) for value, datatype, prop in values
            if not any(v == value and prop in supers.get(other, set())
                       for v, _, other in values if other != prop)]
    kept.sort(key=lambda d: (date_key(d[0]), -order.get(d[2], 0), label(d[2]), d[2]))
    dates = tuple(Dated(value, datatype, prop, label(prop)) for value, datatype, prop in kept)
    resource = named.get(iri)
    kinds = resource.specific_types if resource else ()
    kind = min(kinds, key=lambda t: (label(t), t)) if kinds else None
    category = next((c for c in CATEGORIES if resource and c in resource.types), None)
    return Event(iri, resource.label if resource else label(iri), kind,
                 label(kind) if kind else "event", dates, _participants(iri, links, named, label),
                 category, label(category) if category else None)


def _participants(iri: str, links: set[tuple[str, str, bool]], named: dict[str, Named],
                  label: Callable[[str], str]) -> tuple[Participant, ...]:
    """Labelled data resources linked to the event, each once: by the event's own properties
    when it has some to the resource, else by those pointing at the event."""
    roles: dict[tuple[str, bool], set[str]] = {}
    for other, prop, incoming in links:
        if other != iri and _is_data(named.get(other)):
            roles.setdefault((other, incoming), set()).add(label(prop))
    out = []
    for (other, incoming), names in roles.items():
        if incoming and (other, False) in roles:
            continue
        out.append(Participant(other, label(other), tuple(sorted(names)), incoming))
    return tuple(sorted(out, key=lambda p: (p.incoming, p.label.casefold(), p.iri)))

