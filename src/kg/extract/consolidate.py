"""One node for one thing the text tells several times.

Rules mint nodes sentence by sentence, so a visit told with its dates in one sentence and
without them in another, a stop in Tokyo on a visit to Japan, or "Minister Çavuşoğlu" after
"the Minister of Foreign Affairs … Mevlüt Çavuşoğlu" would each be a node of its own. Here the
facts of a document are read once more and such nodes merged into the fuller one (each fact
keeps its own sentence), and a node two rules minted keeps one label.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.extract.model import EntityRef, FactGraph, NodeRef, Term
from kg.vocab import DK

DATE_KEY = re.compile(r"^\d{4}(-\d\d){0,2}(--\d{4}(-\d\d){0,2})?$")
# Events told once with their date and elsewhere without: one event.
DATED_EVENTS = ("Visit", "Meeting", "Summit", "DiplomaticRelation", "Recognition")
# Offices a host of a state visit holds for the state visited
HOST_OFFICES = {"President", "PrimeMinister", "Monarch", "Chancellor", "ForeignMinister",
                "VicePresident"}


def consolidate(facts: list[FactGraph], country: Callable[[str], str],
                places_told: frozenset[int] = frozenset()) -> list[FactGraph]:
    """The facts with repeated nodes merged; ``country`` gives the state key a place is in;
    ``places_told`` where the sentences that name a city or a place start."""
    facts = _one_label_per_node(facts)  # one NodeRef per node before they are compared
    nodes = {t for fact in facts for triple in fact.triples for t in (triple[0], triple[2])
             if isinstance(t, NodeRef)}
    merged = {**_short_titles(nodes), **_undated_into_dated(nodes, facts),
              **_coarse_into_fine(nodes)}
    merged.update(_placeless_into_placed(facts, nodes - set(merged)))
    merged.update(_stops_into_trips(nodes - set(merged), country))
    merged.update(_bodys_summit_into_placed(facts, nodes - set(merged)))
    facts = _one_label_per_node(_posts_in_one_place(
        _merge(facts, _closed(merged)) if merged else facts))
    return _meetings_where_visitors_are(
        _hosts_offices(_chairs_for_their_states(_presidents_of_bodies(facts))), places_told)


CHAIR = EntityRef(str(DK.Chair), "PostKind", "chair", "concept")


# Bodies whose members deliberate, so that their president presides over them: an assembly, a
# council (not a commission, a bank or a court, whose president heads them)
DELIBERATIVE = ("Assembly", "Council")


def _presidents_of_bodies(facts: list[FactGraph]) -> list[FactGraph]:
    """"X, President of the General Assembly", "President of the 15-member body for the
    month" (the Security Council): the president of an assembly or council of states presides
    over it — its chair."""
    bodies = {s for fact in facts for s, p, o in fact.triples if p == DK.postOf
              and getattr(o, "cls", "") == "IntergovernmentalOrganization"
              and any(word in getattr(o, "label", "").split() for word in DELIBERATIVE)}
    chaired = {s for fact in facts for s, p, o in fact.triples if p == DK.postKind
               and isinstance(s, NodeRef) and s in bodies
               and getattr(o, "key", "") == str(DK.President)}
    if not chaired:
        return facts
    renamed = {post: NodeRef(post.cls, ("chair", *post.key[1:]),
                             "Chair" + post.label[len("President"):]) for post in chaired}
    out = []
    for fact in facts:
        triples = tuple(_as_chair(s, p, o, renamed) for s, p, o in fact.triples)
        out.append(FactGraph(fact.sentence, fact.pattern_id, triples, fact.dated_by_document,
                             fact.context) if triples != fact.triples else fact)
    return out


def _as_chair(s: Term, p: URIRef, o: Term, renamed: dict[NodeRef, NodeRef]
              ) -> tuple[Term, URIRef, Term]:
    new = _swap(s, renamed)
    if isinstance(new, NodeRef) and new is not s and p == DK.postKind:
        return new, p, CHAIR
    if isinstance(new, NodeRef) and new is not s and p == RDFS.label:
        return new, p, Literal(new.label, lang="en")
    return new, p, _swap(o, renamed)


def _short_titles(nodes: set[NodeRef]) -> dict[NodeRef, NodeRef]:
    """"Minister Çavuşoğlu" after "the Minister of Foreign Affairs … Mevlüt Çavuşoğlu": a
    title cut short ("minister" ends "foreign minister") names the post given in full."""
    posts = [n for n in nodes if n.cls == "Post" and len(n.key) >= 2]
    out = {}
    for short in posts:
        longer = sorted(p for p in posts if p.key[1] == short.key[1] and len(short.key) == 2
                        and p.key[0].endswith("-" + short.key[0]))
        if len(longer) == 1:
            out[short] = longer[0]
    return out


def _placeless_into_placed(facts: list[FactGraph], nodes: set[NodeRef]
                           ) -> dict[NodeRef, NodeRef]:
    """A holder's posts of one kind in several places are several posts ("Ambassador to
    Australia from 2013 to 2016, then to the United Nations"); in one place, one post keyed by
    kind and holder alone. A post told without its place ("Ambassador Smith") is the one of
    that kind and holder told with one, or the one told with the place it was accredited to
    elsewhere ("presented her credentials to …")."""
    placed: dict[tuple[str, ...], list[NodeRef]] = {}
    for node in nodes:
        if node.cls == "Post" and len(node.key) == 3:
            placed.setdefault(node.key[:2], []).append(node)
    accredited = _objects_of(facts, DK.accreditedTo, "Post")
    out = {}
    for node in nodes:
        candidates = placed.get(node.key, []) if node.cls == "Post" else []
        if len(candidates) > 1:
            candidates = [c for c in candidates if c.key[2] in accredited.get(node, ())]
            if len(candidates) == 1:
                out[node] = candidates[0]
    return out


def _posts_in_one_place(facts: list[FactGraph]) -> list[FactGraph]:
    """A holder's only post of a kind keeps the key of kind and holder alone, its place
    left out, so its IRI does not change when the text names the place."""
    placed: dict[tuple[str, ...], list[NodeRef]] = {}
    for node in {t for fact in facts for triple in fact.triples for t in (triple[0], triple[2])
                 if isinstance(t, NodeRef) and t.cls == "Post" and len(t.key) == 3}:
        placed.setdefault(node.key[:2], []).append(node)
    renamed = {posts[0]: NodeRef("Post", key, posts[0].label)
               for key, posts in placed.items() if len(posts) == 1}
    return [FactGraph(fact.sentence, fact.pattern_id, tuple(dict.fromkeys(
        (_swap(s, renamed), p, _swap(o, renamed)) for s, p, o in fact.triples)),
        fact.dated_by_document, fact.context) for fact in facts] if renamed else facts


def _undated_into_dated(nodes: set[NodeRef], facts: list[FactGraph]) -> dict[NodeRef, NodeRef]:
    """An event told without a date is the one event of the same key told with one; of several
    ("a meeting on March 4 … a telephone talk on January 20"), the one told last before it
    ("At the outset, X welcomed Y": the meeting just told)."""
    dated: dict[tuple[str, tuple[str, ...]], list[NodeRef]] = {}
    for node in nodes:
        if node.cls in DATED_EVENTS and node.key and DATE_KEY.match(node.key[-1]):
            dated.setdefault((node.cls, node.key[:-1]), []).append(node)
    told: dict[NodeRef, int] = {}
    for fact in facts:
        for s, _, _ in fact.triples:
            if isinstance(s, NodeRef) and fact.sentence.start < told.get(s, 1 << 62):
                told[s] = fact.sentence.start
    out = {}
    for node in nodes:
        found = dated.get((node.cls, node.key), []) if node.cls in DATED_EVENTS else []
        before = [n for n in found if told.get(n, 1 << 62) <= told.get(node, -1)]
        if len(found) == 1:
            out[node] = found[0]
        elif before:
            out[node] = max(before, key=lambda n: told[n])
    return out


def _coarse_into_fine(nodes: set[NodeRef]) -> dict[NodeRef, NodeRef]:
    """An event dated "in 1922" in one sentence and "on July 28, 1922" in another is one
    event, dated by the finer date."""
    out = {}
    for node in nodes:
        if node.cls not in DATED_EVENTS or not node.key or not DATE_KEY.match(node.key[-1]):
            continue
        finer = {other.key: other for other in nodes if other.cls == node.cls
                 and other.key != node.key and other.key[:-1] == node.key[:-1]
                 and DATE_KEY.match(other.key[-1]) and _within(other.key[-1], node.key[-1])}
        if len(finer) == 1:
            out[node] = next(iter(finer.values()))
    return out


def _stops_into_trips(nodes: set[NodeRef], country: Callable[[str], str]
                      ) -> dict[NodeRef, NodeRef]:
    """A visit to a city is the visitor's one visit to the city's state, if the text tells
    one (and their dates do not differ): "arrived in Tokyo" on "his visit to Japan"."""
    visits = [n for n in nodes if n.cls == "Visit" and len(n.key) >= 2]
    out = {}
    for stop in visits:
        state = country(stop.key[1])
        if not state or state == stop.key[1]:
            continue
        trips = [v for v in visits if v.key[0] == stop.key[0] and v.key[1] == state and (
            len(v.key) == 2 or len(stop.key) == 2 or _within(stop.key[2], v.key[2]))]
        if len(trips) == 1:
            out[stop] = trips[0]
    return out


def _within(inner: str, outer: str) -> bool:
    """Whether one date key ("2018-10-27") falls in another ("2018-10-27--2018-10-29")."""
    first, _, last = inner.partition("--")
    start, _, end = outer.partition("--")
    last, end = last or first, end or start
    return start <= first[:len(start)] and last[:len(end)] <= end


def _bodys_summit_into_placed(facts: list[FactGraph], nodes: set[NodeRef]
                              ) -> dict[NodeRef, NodeRef]:
    """"The G20 Antalya Summit … the atmosphere at this G20 Summit": a body's summit told with
    no place or date is the one summit of that body the text places or dates."""
    organizers = _objects_of(facts, DK.organizer, "Summit")
    out = {}
    for bare in (n for n in nodes if n.cls == "Summit" and len(n.key) == 1):
        placed = [n for n in nodes if n.cls == "Summit" and n != bare and len(n.key) != 1
                  and bare.key[0] in organizers.get(n, ())]
        if len(placed) == 1:
            out[bare] = placed[0]
    return out


def _objects_of(facts: list[FactGraph], prop: URIRef, cls: str) -> dict[NodeRef, set[str]]:
    """The keys (or texts) a property gives each node of a class."""
    found: dict[NodeRef, set[str]] = {}
    for fact in facts:
        for s, p, o in fact.triples:
            if p == prop and isinstance(s, NodeRef) and s.cls == cls:
                found.setdefault(s, set()).add(str(getattr(o, "key", o)))
    return found


def _closed(merged: dict[NodeRef, NodeRef]) -> dict[NodeRef, NodeRef]:
    """Follow chains (a stop into an undated trip into the dated trip) to their end."""
    out = {}
    for node, target in merged.items():
        seen = {node}
        while target in merged and target not in seen:
            seen.add(target)
            target = merged[target]
        out[node] = target
    return out


def _merge(facts: list[FactGraph], merged: dict[NodeRef, NodeRef]) -> list[FactGraph]:
    """The facts with each merged node replaced by its target; a merged node's own label and
    kind of post go (the target has its own); its type stays, so each fact still says what the
    node is (a merge joins nodes of one class)."""
    def kept(s: Term, p: URIRef) -> bool:
        if not isinstance(s, NodeRef) or s not in merged:
            return True
        if p in (DK.postKind, RDFS.label):
            return False
        stop = s.cls == "Visit" and merged[s].key[1:2] != s.key[1:2]
        return not (stop and p in (DK.startDate, DK.endDate))  # a stop's dates are the trip's

    out = []
    for fact in facts:
        triples = tuple(dict.fromkeys(
            (_swap(s, merged), p, _swap(o, merged)) for s, p, o in fact.triples if kept(s, p)))
        out.append(FactGraph(fact.sentence, fact.pattern_id, triples, fact.dated_by_document,
                             fact.context))
    return out


def _swap(term: Term, nodes: dict[NodeRef, NodeRef]) -> Term:
    return nodes.get(term, term) if isinstance(term, NodeRef) else term


def _one_label_per_node(facts: list[FactGraph]) -> list[FactGraph]:
    """A node two rules mint (a summit a token pattern and a frame rule both find) is one node
    with one label: the label of its first fact in the text."""
    first: dict[tuple[str, tuple[str, ...]], NodeRef] = {}
    for fact in sorted(facts, key=lambda f: (f.sentence.start, f.pattern_id)):
        for term in (t for triple in fact.triples for t in (triple[0], triple[2])):
            if isinstance(term, NodeRef):
                first.setdefault((term.cls, term.key), term)

    def same(term: Term) -> Term:
        return first[(term.cls, term.key)] if isinstance(term, NodeRef) else term

    def relabelled(s: Term, p: URIRef, o: Term) -> tuple[Term, URIRef, Term]:
        if isinstance(s, NodeRef) and p == RDFS.label:
            return first[(s.cls, s.key)], p, Literal(first[(s.cls, s.key)].label, lang="en")
        return same(s), p, same(o)

    out = []
    for fact in facts:
        triples = tuple(dict.fromkeys(relabelled(*triple) for triple in fact.triples))
        out.append(FactGraph(fact.sentence, fact.pattern_id, triples, fact.dated_by_document,
                             fact.context))
    return out


LEADER_OFFICES = {"President", "PrimeMinister", "Monarch", "Chancellor"}


def _chairs_for_their_states(facts: list[FactGraph]) -> list[FactGraph]:
    """"Benin's President Thomas Yayi Boni was selected chairman of the African Union": a head
    of state or government (or a state's envoy to the body: "the Permanent Representative of
    Uruguay, President of the Council") chairing a body of states chairs it for the state (the
    body's chairmanship passes between its members). The fact that names the chair states it."""
    posts: dict[Term, list[NodeRef]] = {}
    said: dict[NodeRef, dict[URIRef, list[Term]]] = {}
    for fact in facts:
        for s, p, o in fact.triples:
            if p == DK.holdsPost and isinstance(o, NodeRef):
                posts.setdefault(s, []).append(o)
            elif isinstance(s, NodeRef) and s.cls == "Post":
                said.setdefault(s, {}).setdefault(p, []).append(o)
    kind = {post: str(getattr(o, "key", o)).rsplit("#", 1)[-1]
            for post, props in said.items() for o in props.get(DK.postKind, [])[:1]}
    added: dict[NodeRef, list[tuple[Term, URIRef, Term]]] = {}
    for held in posts.values():
        states = {o for post in held if kind.get(post) in LEADER_OFFICES or (
                      kind.get(post) == "Ambassador" and all(  # a state's envoy to the body
                          getattr(b, "cls", "") == "IntergovernmentalOrganization"
                          for b in said[post].get(DK.accreditedTo, [])))
                  for o in said[post].get(DK.sentBy, []) if getattr(o, "cls", "") == "State"}
        if len(states) != 1:
            continue
        state = next(iter(states))
        for post in held:
            bodies = [o for o in said.get(post, {}).get(DK.postOf, [])
                      if getattr(o, "cls", "") == "IntergovernmentalOrganization"]
            if kind.get(post) != "Chair" or len(bodies) != 1:
                continue
            body = bodies[0]
            node = NodeRef("Chairmanship", (getattr(state, "key", ""), getattr(body, "key", "")),
                           f"Chairmanship of {getattr(body, 'label', '')} by "
                           f"{getattr(state, 'label', '')}")
            added[post] = [(node, RDF.type, DK.Chairmanship),
                           (node, RDFS.label, Literal(node.label, lang="en")),
                           (node, DK.chair, state), (node, DK.organization, body),
                           *((node, DK.startDate, d) for d in said[post].get(DK.startDate, []))]
    if not added:
        return facts
    out = []
    for fact in facts:
        told = sorted({s for s, p, _ in fact.triples if p == DK.postOf
                       and isinstance(s, NodeRef) and s in added})
        extra = tuple(t for post in told for t in added.pop(post))
        out.append(FactGraph(fact.sentence, fact.pattern_id, fact.triples + extra,
                             fact.dated_by_document, fact.context) if extra else fact)
    return out


def _hosts_offices(facts: list[FactGraph]) -> list[FactGraph]:
    """"At the invitation of President Bachelet, President Widodo paid a state visit to Chile":
    a leader's post the text gives no state is the state of the visits its holder hosts (when
    they are all to one state). The fact that names the host states it."""
    destinations: dict[NodeRef, set[Term]] = {}
    hosts: dict[Term, set[NodeRef]] = {}
    posts: dict[Term, set[NodeRef]] = {}
    kinds: dict[NodeRef, str] = {}
    placed: set[Term] = set()
    for fact in facts:
        for s, p, o in fact.triples:
            if p == DK.destination and isinstance(s, NodeRef) and getattr(o, "cls", "") == "State":
                destinations.setdefault(s, set()).add(o)
            elif p == DK.host and isinstance(s, NodeRef) and s.cls == "Visit":
                hosts.setdefault(o, set()).add(s)
            elif p == DK.holdsPost and isinstance(o, NodeRef):
                posts.setdefault(s, set()).add(o)
            elif p == DK.postKind and isinstance(s, NodeRef):
                kinds[s] = str(getattr(o, "key", o)).rsplit("#", 1)[-1]
            elif p in (DK.sentBy, DK.postOf):
                placed.add(s)
    added: dict[NodeRef, list[tuple[Term, URIRef, Term]]] = {}
    for host, visits in hosts.items():
        states = {d for visit in visits for d in destinations.get(visit, ())}
        if len(states) != 1:
            continue
        for post in posts.get(host, ()):
            if post not in placed and kinds.get(post) in HOST_OFFICES:
                for visit in visits:
                    added.setdefault(visit, []).append((post, DK.sentBy, next(iter(states))))
    if not added:
        return facts
    out = []
    for fact in facts:
        told = {s for s, p, o in fact.triples if p == DK.host and isinstance(s, NodeRef)
                and s in added}
        extra = tuple(t for visit in sorted(told) for t in added.pop(visit))
        out.append(FactGraph(fact.sentence, fact.pattern_id, fact.triples + extra,
                             fact.dated_by_document, fact.context) if extra else fact)
    return out


def _meetings_where_visitors_are(facts: list[FactGraph],
                                 places_told: frozenset[int]) -> list[FactGraph]:
    """"The Secretary-General arrived in Tokyo on 7 July. … He met Prime Minister Noda": a
    meeting whose sentence names no place took place in the city its participant last
    travelled to before it (the visit's sentence is cited)."""
    placed = {s for fact in facts for s, p, _ in fact.triples if p == DK.location}
    trips: list[tuple[int, Term, Term, FactGraph]] = []  # (where told, visitor, city, fact)
    visitors: dict[NodeRef, set[Term]] = {}
    cities: dict[NodeRef, list[Term]] = {}
    for fact in facts:
        for s, p, o in fact.triples:
            if p == DK.visitor and isinstance(s, NodeRef):
                visitors.setdefault(s, set()).add(o)
            elif p == DK.destination and isinstance(s, NodeRef) and getattr(o, "cls", "") == (
                    "City"):
                cities.setdefault(s, []).append(o)
    for fact in facts:
        for visit in {s for s, p, _ in fact.triples if p == DK.destination
                      and isinstance(s, NodeRef) and s in cities}:
            if len(set(cities[visit])) == 1:
                trips += [(fact.sentence.start, who, cities[visit][0], fact)
                          for who in visitors.get(visit, ())]
    trips.sort(key=lambda trip: trip[0])
    out = []
    for fact in facts:
        meetings = {s for s, p, o in fact.triples if p == DK.participant
                    and isinstance(s, NodeRef) and s.cls == "Meeting" and s not in placed
                    and fact.sentence.start not in places_told}
        extra: list[tuple[Term, URIRef, Term]] = []
        cited: list = []
        for meeting in sorted(meetings):
            people = {o for s, p, o in fact.triples if s == meeting and p == DK.participant}
            before = [trip for trip in trips if trip[0] <= fact.sentence.start
                      and trip[1] in people]
            if before:
                extra.append((meeting, DK.location, before[-1][2]))
                if before[-1][3].sentence != fact.sentence:
                    cited.append(before[-1][3].sentence)
                placed.add(meeting)
        out.append(FactGraph(fact.sentence, fact.pattern_id, fact.triples + tuple(extra),
                             fact.dated_by_document, fact.context + tuple(cited))
                   if extra else fact)
    return out
