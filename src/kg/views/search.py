"""Find resources by what people call them: labels and aliases, folded, by prefix or fuzzily.

The index is built once per dataset state; a query then only walks memory, so completion can
ask on every keystroke. Everything labelled under the base IRI is found (entities, minted nodes,
sources, patterns), and the ontology's own terms too, ranked below instances.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.dataset.reader import Reader
from kg.iris import Iris
from kg.text import fold, words
from kg.views.reads import select
from kg.vocab import DK, ONTOLOGY_IRI, OWL, RDF, RDFS, SKOS

LABELS = (RDFS.label, SKOS.prefLabel)
ALIASES = (SKOS.altLabel,)
# Closure noise every individual has; as a "type" it says nothing.
TRIVIAL_TYPES = frozenset({str(OWL.Thing), str(RDFS.Resource), str(OWL.NamedIndividual)})
_WORD = re.compile(r"\w+")


class Tier(IntEnum):
    """Who a resource is for: ranks before how well it matched."""

    DATA = 0        # described in the data graphs: entities, summits, treaties …
    RECORD = 1      # described only in the provenance graph: sources, patterns, gazetteer
    ONTOLOGY = 2    # our classes and properties


class MatchKind(IntEnum):
    """How a name matched, best first."""

    EXACT_LABEL = 0
    EXACT_ALIAS = 1
    PREFIX = 2
    WORD_PREFIX = 3
    SUBSTRING = 4
    FUZZY = 5


@dataclass(frozen=True)
class Name:
    """One label or alias, with the folded forms queries are compared with (made once)."""

    text: str
    is_label: bool
    words: tuple[str, ...]
    spaced: str
    compact: str

    @classmethod
    def of(cls, text: str, is_label: bool) -> Name:
        found = words(text)
        return cls(text, is_label, found, " ".join(found), "".join(found))


@dataclass(frozen=True)
class Named:
    """A labelled resource: its label, every name, its types (all, and the most specific)."""

    iri: str
    label: str
    names: tuple[Name, ...]
    types: frozenset[str]
    specific_types: tuple[str, ...]
    tier: Tier


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    matched: str
    match: MatchKind
    score: float
    types: tuple[str, ...]
    tier: Tier


def named_resources(reader: Reader, base_iri: str) -> dict[str, Named]:
    """Every labelled resource under the base IRI, and every ontology term, by IRI.

    Instances take names and types from every graph but the ontology's (stated and inferred);
    ontology terms from the ontology graph only.
    """
    iris = Iris(base_iri)
    ontology, provenance = str(iris.graph("ontology")), str(iris.graph("provenance"))
    names: dict[str, list[tuple[Node, Literal]]] = {}
    types: dict[str, set[str]] = {}
    supers: dict[str, set[str]] = {}
    in_data: set[str] = set()
    rows = select(reader, "names", base=Literal(base_iri), vocabulary=Literal(str(DK)),
                  ontology=URIRef(ONTOLOGY_IRI))
    for s, p, o, g in rows:
        graph = str(g)
        if p == RDFS.subClassOf and isinstance(o, URIRef):
            supers.setdefault(str(s), set()).add(str(o))
        kind = _kind(s, base_iri)
        if kind is None or (graph == ontology) != (kind is Tier.ONTOLOGY):
            continue
        if (p in LABELS or p in ALIASES) and isinstance(o, Literal):
            names.setdefault(str(s), []).append((p, o))
            if graph != provenance:
                in_data.add(str(s))
        elif p == RDF.type and isinstance(o, URIRef):
            types.setdefault(str(s), set()).add(str(o))
    closure = transitive(supers)
    out = {}
    for iri, found in names.items():
        stated = types.get(iri, set()) - TRIVIAL_TYPES
        every = stated.union(*(closure.get(cls, set()) for cls in stated)) - TRIVIAL_TYPES
        tier = (Tier.ONTOLOGY if _kind(URIRef(iri), base_iri) is Tier.ONTOLOGY
                else Tier.DATA if iri in in_data else Tier.RECORD)
        out[iri] = Named(iri, _label(found), _names(found), frozenset(every),
                         most_specific(stated, closure), tier)
    return out


def most_specific(types: Iterable[str], closure: dict[str, set[str]]) -> tuple[str, ...]:
    """The types no other type of the set is a subclass of (dk:State, not dk:Actor)."""
    found = set(types) - TRIVIAL_TYPES
    return tuple(sorted(t for t in found if not any(t in closure.get(other, set())
                                                   for other in found if other != t)))


def _kind(term: Node, base_iri: str) -> Tier | None:
    """Ontology terms, our own resources (DATA for now), or None for anything else."""
    if not isinstance(term, URIRef):
        return None
    if term.startswith(str(DK)) or str(term) == ONTOLOGY_IRI:
        return Tier.ONTOLOGY
    return Tier.DATA if term.startswith(base_iri) else None


def transitive(supers: dict[str, set[str]]) -> dict[str, set[str]]:
    """Everything above each term (rdfs:subClassOf or subPropertyOf, followed), itself not."""
    out: dict[str, set[str]] = {}
    for start in supers:
        seen: set[str] = set()
        frontier = list(supers[start])
        while frontier:
            cls = frontier.pop()
            if cls not in seen:
                seen.add(cls)
                frontier.extend(supers.get(cls, ()))
        seen.discard(start)
        out[start] = seen
    return out


def _label(found: list[tuple[Node, Literal]]) -> str:
    """English or untagged rdfs:label first, then skos:prefLabel, then an alias: stable."""
    def rank(item: tuple[Node, Literal]) -> tuple[bool, int, str]:
        prop, text = item
        order = LABELS.index(prop) if prop in LABELS else len(LABELS)
        return (text.language not in (None, "en"), order, str(text))

    return str(min(found, key=rank)[1])


def _names(found: list[tuple[Node, Literal]]) -> tuple[Name, ...]:
    by_text: dict[str, bool] = {}
    for prop, text in found:
        by_text[str(text)] = by_text.get(str(text), False) or prop in LABELS
    return tuple(Name.of(text, is_label) for text, is_label in sorted(by_text.items()))


class SearchIndex:
    """Ranked search over names.

    Data come first, then provenance records, then ontology terms: someone typing "summit"
    wants the summits before the class. Within each, exact label > exact alias > prefix >
    word prefix > substring > fuzzy; then closer matches (the query covers more of the
    name), labels before aliases, and finally label and IRI, so equal hits keep one order.
    """

    def __init__(self, resources: Iterable[Named]):
        self._resources = tuple(resources)

    @classmethod
    def from_reader(cls, reader: Reader, base_iri: str) -> SearchIndex:
        return cls(named_resources(reader, base_iri).values())

    def __len__(self) -> int:
        return len(self._resources)

    def search(self, text: str, limit: int = 10,
               types: Iterable[str] | None = None) -> list[Hit]:
        query = words(text)
        if not query or limit < 1:
            return []
        wanted = frozenset(types) if types is not None else None
        ranked = []
        for resource in self._resources:
            if wanted is not None and not wanted & resource.types:
                continue
            found = [(match, not name.is_label, -closeness, name.text)
                     for name in resource.names
                     for match, closeness in [_match(query, name)] if match is not None]
            if found:
                match, alias, closeness, matched = min(found)
                key = (resource.tier, match, closeness, alias, fold(resource.label),
                       resource.iri)
                ranked.append((key, resource, matched))
        ranked.sort(key=lambda item: item[0])
        return [Hit(r.iri, r.label, matched, key[1], _score(key[1], r.tier, -key[2]),
                    r.specific_types, r.tier) for key, r, matched in ranked[:limit]]


def _match(query: tuple[str, ...], name: Name) -> tuple[MatchKind | None, float]:
    """(MatchKind, closeness in 0..1) of the best way the query matches a name; (None, 0) if none.

    Spaces and punctuation are ignored as a fallback ('U.N.' is 'un'), so each test is tried
    on the words joined by spaces and on the words run together.
    """
    spaced, compact = " ".join(query), "".join(query)
    if not name.words:
        return (None, 0.0)
    closeness = len(compact) / max(len(name.compact), 1)
    if spaced == name.spaced or compact == name.compact:
        return (MatchKind.EXACT_LABEL if name.is_label else MatchKind.EXACT_ALIAS, 1.0)
    if name.spaced.startswith(spaced) or name.compact.startswith(compact):
        return (MatchKind.PREFIX, closeness)
    if any(" ".join(name.words[i:]).startswith(spaced) for i in range(1, len(name.words))):
        return (MatchKind.WORD_PREFIX, closeness)
    if spaced in name.spaced or compact in name.compact:
        return (MatchKind.SUBSTRING, closeness)
    near = _fuzzy(compact, name)
    return (MatchKind.FUZZY, near) if near > 0 else (None, 0.0)


def _fuzzy(query: str, name: Name) -> float:
    """Closeness (0: none) of the query to a run of the name's words, or to the run's start.

    Edits allowed grow with the query: none under 4 letters, 1 up to 7, then 2. The first
    letter must be right (or swapped with the second), which keeps the scan cheap and the hits
    plausible. A near match of the whole name beats one of a word inside a long name.
    """
    bound = 0 if len(query) < 4 else 1 if len(query) < 8 else 2
    if bound == 0:
        return 0.0
    best = bound + 1.0
    for start, word in enumerate(name.words):
        if word[0] != query[0] and word[:2] != query[1::-1]:
            continue
        run = ""
        for following in name.words[start:]:
            run += following
            if len(run) >= len(query) - bound:
                whole, prefix = _distance(query, run, bound)
                best = min(best, whole, prefix + 0.5)
            if len(run) > len(query) + bound:
                break
    if best > bound:
        return 0.0
    return (1 - best / (len(query) + 1)) * min(1.0, len(query) / len(name.compact))


def _distance(a: str, b: str, bound: int) -> tuple[int, int]:
    """Optimal string alignment distance of a to b and to b's best prefix; bound + 1 = more.

    Adjacent transpositions count as one edit ('Kazahkstan'), the typist's commonest slip.
    """
    over = bound + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > bound:
            return over, over
        before, row = row, current
    return min(row[-1], over), min(min(row), over)


# Scores fall in the order hits are ranked in: each tier owns a range (data 0.42-1, records
# 0.17-0.4, ontology 0.06-0.15), each match kind a band 0.1 wide within it, and closeness
# moves a hit inside its band.
_BANDS = {MatchKind.EXACT_LABEL: 1.0, MatchKind.EXACT_ALIAS: 0.9, MatchKind.PREFIX: 0.8,
          MatchKind.WORD_PREFIX: 0.7, MatchKind.SUBSTRING: 0.6, MatchKind.FUZZY: 0.5}
_TIERS = {Tier.DATA: 1.0, Tier.RECORD: 0.4, Tier.ONTOLOGY: 0.15}


def _score(match: MatchKind, tier: Tier, closeness: float) -> float:
    return round((_BANDS[match] - 0.08 * (1 - closeness)) * _TIERS[tier], 3)
