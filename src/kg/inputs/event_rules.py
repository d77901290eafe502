"""Event rules (``[[event]]``, ``[lexicon]`` … in ``data/patterns/events.toml``): PLOVER events.

A PLOVER event is a frame whose trigger word says its type ("condemned": ACCUSE, "imposed
sanctions": SANCTION). Writing one frame rule per type and word order would repeat the same
paths forty times, so the data splits the two: an ``[[event]]`` rule is a *construction* (a verb
with its subject and object, a noun with its modifiers and prepositions) read by the frame
machinery (frame_rules.py, extract/frames.py), and the *lexicon* maps each trigger lemma to its
type and mode. What the words around a trigger change (a promise, a hedge, "lifted sanctions")
is data here too; extract/events.py applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.errors import DataFileError
from kg.inputs.frame_rules import FrameRule, frame_rule
from kg.inputs.templates import ClassExpander, checked_id, require

POS = {"verb": ("VERB",), "noun": ("NOUN", "PROPN")}
Reading = tuple[str, str]  # (PLOVER type class local name, mode notation or "")
NO_EVENT: Reading = ("", "")  # a [turned] reading [] : the word next to it makes it no event


@dataclass(frozen=True)
class RoleGuard:
    """When a role of a construction counts: for triggers of some types only ("withdrawal from
    X" leaves X, "a plea from X" comes from X), only when the verb the trigger is the object of
    is one of some verbs (a support verb: "X cancelled a raft of sanctions imposed on Y"), only
    for a trigger without a subject of its own, only for one in the active voice, or only for one
    whose subject is a pronoun (the speaker of the clause it is said in)."""

    types: frozenset[str] = frozenset()  # empty: any type
    governed_by: frozenset[str] = frozenset()  # empty: any verb, or none
    # only for a trigger with no subject of its own: the subject of the clause it depends on
    # does it ("X closed the border, cutting supply lines", "X responded by expelling Y")
    subjectless: bool = False
    # only for a trigger in the active voice: "a statement condemning X" is the statement's,
    # "diplomats expelled from X" are not the diplomats' act
    active: bool = False
    # only for a trigger whose subject is a pronoun: "Iran said it would release …" is Iran's
    # act, but in "X said six civilians were killed" X is the one who says, not who killed
    spoken: bool = False

    def admits(self, cls: str, verb: str | None, subject: bool, passive: bool,
               pronoun: bool = False) -> bool:
        return (not self.types or cls in self.types) and (
            not self.governed_by or verb in self.governed_by) and not (
            self.subjectless and subject) and not (self.active and passive) and not (
            self.spoken and not pronoun)


@dataclass(frozen=True)
class EventConstruction:
    """A frame rule for event triggers of one part of speech."""

    rule: FrameRule
    pos: tuple[str, ...]  # spaCy coarse tags the trigger must have
    parts: dict[str, tuple[str, ...]]  # source, target → the roles whose fillers they take
    guards: dict[str, RoleGuard]  # role → when it counts (roles without one always count)

    def fillers(self, roles: dict[str, list], end: str, cls: str, verb: str | None,
                subject: bool, passive: bool, pronoun: bool = False) -> list:
        """The fillers of ``source`` or ``target`` for a trigger of type ``cls`` governed by
        ``verb`` (a lemma), with or without a ``subject`` of its own (a ``pronoun`` or not),
        ``passive`` or not: those of the roles that count for it, in the union's order."""
        out: list = []
        for part in self.parts.get(end, (end,)):
            guard = self.guards.get(part)
            if guard is None or guard.admits(cls, verb, subject, passive, pronoun):
                out += [v for v in roles.get(part, []) if v not in out]
        return out


@dataclass(frozen=True)
class EventLexicon:
    """Trigger words and the words around them that change what a trigger states."""

    readings: dict[tuple[str, str], Reading]  # (pos, lemma) → (type, mode)
    turned: dict[str, dict[str, Reading]]  # lemma → governing verb or modifier → reading
    future: dict[str, str]  # type → the type the same act has when promised or planned
    refused: dict[str, Reading]  # type → the reading of refusing to do it ("will not withdraw")
    future_auxiliaries: frozenset[str]
    promising_verbs: frozenset[str]
    said: frozenset[str]  # nouns a promising verb does not promise but says ("offered regrets")
    hedges: frozenset[str]
    denials: frozenset[str]  # verbs under which nothing happened ("denied reports that …")
    false_words: frozenset[str]  # words calling what is reported false ("baseless")
    covered: frozenset[str]  # types whose stated acts relation frames state (only promises here)
    reciprocal: frozenset[str]  # types two parties do together ("X and Y held joint drills")
    located: frozenset[str]  # types whose target a place gives: the state it lies in
    contexts: tuple[tuple[str, frozenset[str]], ...]  # PLOVER context → words that give it
    territories: dict[str, str]  # a territory's gazetteer key → the state PLOVER codes it under
    geographic: frozenset[str]  # heads of names a state's name is part of ("the China Sea")

    def reading(self, pos: str, lemma: str) -> Reading | None:
        return self.readings.get((pos, lemma))


EMPTY_LEXICON = EventLexicon({}, {}, {}, {}, *(frozenset(),) * 9, (), {}, frozenset())


def event_construction(item: dict[str, Any], where: str, expand: ClassExpander,
                       lexicon: EventLexicon) -> EventConstruction:
    """A construction compiled as a frame rule whose triggers are the lexicon's words of its
    part of speech (so a new word needs no new rule)."""
    pid = checked_id(item, where)
    pos = str(require(item, "pos", f"{where} ({pid})"))
    if pos not in POS:
        raise DataFileError(f"{where} ({pid}): pos must be one of {sorted(POS)}")
    triggers = sorted({lemma for kind, lemma in lexicon.readings if kind == pos}
                      | set(lexicon.turned))  # a word only a neighbour turns into a trigger
    roles = require(item, "roles", f"{where} ({pid})")
    union = item.get("union", {})
    for role in ("source", "target"):
        if role not in roles and role not in union:
            raise DataFileError(f"{where} ({pid}): needs a {role} role")
    # "support" in a role's verbs or governed_by names the construction's support verbs
    support = [str(v).lower() for v in item.get("support_verbs", [])]
    roles = {name: {k: support if v == "support" and k in ("verbs", "governed_by") else v
                    for k, v in spec.items()} if isinstance(spec, dict) else spec
             for name, spec in roles.items()}
    guards = {str(name): _guard(spec, f"{where} ({pid}) role {name}", expand)
              for name, spec in roles.items() if isinstance(spec, dict)
              and any(k in spec for k in GUARDS)}
    plain = {name: {k: v for k, v in spec.items() if k not in GUARDS}
             if isinstance(spec, dict) else spec for name, spec in roles.items()}
    # no target is needed here: a reciprocal act's source names both parties (events.py)
    frame = {"id": pid, "example": item.get("example", ""), "triggers": triggers,
             "roles": plain, "union": union, "require": ["source"],
             "mode": "any", "emit": []}  # what is stated is decided by extract/events.py
    parts = {str(end): tuple(str(r) for r in names) for end, names in union.items()}
    return EventConstruction(frame_rule(frame, where, expand), POS[pos], parts, guards)


def _guard(spec: dict[str, Any], where: str, expand: ClassExpander) -> RoleGuard:
    types = frozenset(_type(c, where, expand) for c in spec.get("types", []))
    verbs = frozenset(str(v).lower() for v in spec.get("governed_by", []))
    if "governed_by" in spec and not verbs:
        raise DataFileError(f"{where}: governed_by lists no verb")
    return RoleGuard(types, verbs, spec.get("subjectless") is True, spec.get("active") is True,
                     spec.get("spoken") is True)


# role keys read here, not by frame rules
GUARDS = ("types", "governed_by", "subjectless", "active", "spoken")


def event_lexicon(data: dict[str, Any], where: str, expand: ClassExpander) -> EventLexicon:
    """The ``[lexicon]``, ``[turned]``, ``[future]``, ``[refused]``, ``[reality]``, ``[after]``,
    ``[contexts]`` and ``[territories]`` tables of one file (types checked against the
    ontology)."""
    readings: dict[tuple[str, str], Reading] = {}
    for cls, modes in data.get("lexicon", {}).items():
        _type(cls, where, expand)
        for mode, words in modes.items():
            for pos in ("verb", "noun"):
                for lemma in words.get(pos + "s", []):
                    key = (pos, str(lemma).lower())
                    if key in readings:
                        raise DataFileError(f"{where}: {pos} {lemma!r} is listed twice")
                    readings[key] = (str(cls), str(mode))
    turned = {str(lemma).lower(): {str(word).lower(): _reading(r, where, expand)
                                   for word, r in table.items()}
              for lemma, table in data.get("turned", {}).items()}
    future = {_type(k, where, expand): _type(v, where, expand)
              for k, v in data.get("future", {}).items()}
    refused = {_type(k, where, expand): _reading(v, where, expand)
               for k, v in data.get("refused", {}).items()}
    reality = data.get("reality", {})
    contexts = tuple((str(name), frozenset(str(w).lower() for w in words))
                     for name, words in data.get("contexts", {}).items())
    return EventLexicon(readings, turned, future, refused,
                        _words(reality, "future_auxiliaries"), _words(reality, "promising_verbs"),
                        _words(reality, "said"),
                        _words(reality, "hedges"), _words(reality, "denials"),
                        _words(reality, "false_words"),
                        _types(reality, "covered", where, expand),
                        _types(reality, "reciprocal", where, expand),
                        _types(reality, "located", where, expand), contexts,
                        {str(k): str(v) for k, v in data.get("territories", {}).items()},
                        _words(data.get("after", {}), "geographic"))


def merged(one: EventLexicon, other: EventLexicon) -> EventLexicon:
    """Two files' lexicons as one (later files add words)."""
    return EventLexicon({**one.readings, **other.readings}, {**one.turned, **other.turned},
                        {**one.future, **other.future}, {**one.refused, **other.refused},
                        one.future_auxiliaries | other.future_auxiliaries,
                        one.promising_verbs | other.promising_verbs, one.said | other.said,
                        one.hedges | other.hedges,
                        one.denials | other.denials, one.false_words | other.false_words,
                        one.covered | other.covered, one.reciprocal | other.reciprocal,
                        one.located | other.located,
                        one.contexts + other.contexts, {**one.territories, **other.territories},
                        one.geographic | other.geographic)


def _words(table: dict[str, Any], name: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in table.get(name, []))


def _types(table: dict[str, Any], name: str, where: str, expand: ClassExpander) -> frozenset[str]:
    return frozenset(_type(c, where, expand) for c in table.get(name, []))


def _type(cls: Any, where: str, expand: ClassExpander) -> str:
    expand(str(cls))  # raises for an unknown class
    if str(cls) not in expand("PloverEvent"):
        raise DataFileError(f"{where}: {cls!r} is not a PLOVER event type (ontology/events.ttl)")
    return str(cls)


def _reading(value: Any, where: str, expand: ClassExpander) -> Reading:
    if value == []:
        return NO_EVENT
    if not isinstance(value, list) or len(value) != 2:
        raise DataFileError(f"{where}: a reading is [type, mode] or [], not {value!r}")
    return _type(value[0], where, expand), str(value[1])
