"""Frame rules (``[[frame]]`` in ``data/patterns/*.toml``): facts found over the dependency parse.

A token pattern fixes one word order. A frame rule instead names a *trigger* (a word's lemma,
"visit", or an entity class, a kind of post) and, for each role, the dependency paths from the
trigger where its filler may stand: ``nsubj`` ("X visited Y"), ``poss`` ("X's visit"),
``prep:of`` ("the visit of X"), ``agent`` ("visited by X"), ``gov:nsubj`` (the subject of the
verb that governs the trigger: "X paid a visit"). One rule thus covers active and passive
voice, nominal forms and any position of the date. What a match states is written with the
same ``nodes``/``emit``/``foreach`` templates as token patterns (patterns.py).

Path steps, read from the trigger, joined by ``>`` (down to a child) or ``<`` (up to the head):
``DEP`` a child by dependency label; ``prep:WORD`` a preposition child, then its object;
``gov:DEP`` the nearest governing verb's child; ``^DEP`` the head, if this token is its DEP;
``self`` the trigger itself; ``date`` a date in the trigger's clause; ``tail:WORD`` an entity
that follows the trigger's phrase after WORD ("Ambassador to Abkhazia, Semyon Grigoriyev",
when the parser hung "to Abkhazia" elsewhere); ``next:WORD`` the entity after WORD right after
the trigger ("met today with X", when the parser hung "with X" elsewhere); ``office`` the state
or body whose office the trigger names ("Secretary of State", ``[offices]``); ``modifiers`` the
names among the words before the trigger ("the Japan-Mongolia Summit Meeting"); ``named`` the
person a title names
(an apposition, even one the parser read as a conjunct); ``sentence`` any filler of the
sentence (for roles nothing else can reach, used sparingly).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kg.errors import DataFileError
from kg.inputs.templates import ClassExpander, Template, checked_id, require, template

_STEP = re.compile(r"^(?:gov:(?:prep:|\^)?[a-z_-]+|(?:prep|tail|next):[a-z_-]+|\^?[a-z]+|"
                   r"\^[a-z]+:[a-z]+|(?:clause|above):[a-z]+|own-date|until|date-head|"
                   r"title-state|written|fronted|occasion-date|occasion-named|sequence-date|"
                   r"counterparts-from|date-after|named-next|place-told-before|appointee|"
                   r"name-after)$")
MODES = ("stated", "any")


@dataclass(frozen=True)
class RoleSpec:
    classes: tuple[str, ...]        # ontology classes (subclasses expanded) a filler may have
    paths: tuple[tuple[str, ...], ...]
    verbs: tuple[str, ...] = ()     # only when the trigger's verb is one of these (who signs)


@dataclass(frozen=True)
class Fallback:
    """Fill an empty role from other roles, for some kinds of trigger only, and only while
    none of the ``unless`` roles has a filler (a post of a body belongs to no state)."""

    sources: tuple[str, ...]
    kinds: tuple[str, ...]          # local names of the trigger's kind (empty: any)
    unless: tuple[str, ...]


@dataclass(frozen=True)
class FrameRule:
    id: str
    example: str
    lemmas: tuple[str, ...]         # trigger words (lemmas, lower case)
    trigger_classes: tuple[str, ...]  # or trigger entities of these classes
    trigger_kinds: tuple[str, ...]  # and, for a concept, only these (local names: "Chair")
    context: tuple[str, ...]        # one of these lemmas must be in the trigger's phrase
    context_too: tuple[str, ...]    # and, if given, one of these as well
    unless: tuple[str, ...]         # and none of these ("summit meeting" is a meeting)
    roles: dict[str, RoleSpec]
    require: tuple[str, ...]        # roles without which nothing is stated
    absent: tuple[str, ...]         # roles that must find nothing (a fallback rule's condition)
    union: dict[str, tuple[str, ...]]  # a role made of other roles' fillers ("parties")
    at_least: dict[str, int]        # fewest distinct fillers a role needs (two parties)
    country_of: dict[str, str]      # a role filled with the state its other role lies in
    cancelled_by: tuple[str, ...]   # governing verbs that undo the trigger ("severed relations")
    fallback: dict[str, Fallback]   # an empty role filled from another one ("of" by citizenship)
    distinct: tuple[str, ...]       # roles that never share a filler (nobody recognises itself)
    mode: str                       # stated: refuse negated, planned or hoped-for triggers
    templates: tuple[Template, ...]
    where: str


@dataclass(frozen=True)
class Recognizer:
    """What an entity the statistical model finds (by its label) becomes when no name is known."""

    id: str
    label: str
    cls: str
    where: str
    # words that keep a span from being read so: they name something a rule reads better
    # ("the U.S. Embassy in Dili" is a mission, not a building)
    unless_words: frozenset[str] = frozenset()


def frame_rule(item: dict[str, Any], where: str, expand: ClassExpander) -> FrameRule:
    pid = checked_id(item, where)
    where = f"{where} ({pid})"
    lemmas = tuple(str(w).lower() for w in item.get("triggers", []))
    trigger_classes = tuple(c for cls in item.get("trigger_classes", []) for c in expand(cls))
    if not lemmas and not trigger_classes:
        raise DataFileError(f"{where}: needs triggers (lemmas) or trigger_classes")
    roles = {name: _role(name, spec, where, expand)
             for name, spec in require(item, "roles", where).items()}
    at_least = {str(name): int(n) for name, n in item.get("at_least", {}).items()}
    country_of = {str(name): str(role) for name, role in item.get("country_of", {}).items()}
    for name, role in country_of.items():
        if role not in roles:
            raise DataFileError(f"{where}: country_of {name} names unknown role {role!r}")
    union = {str(name): tuple(str(r) for r in parts)
             for name, parts in item.get("union", {}).items()}
    for name, parts in union.items():
        for part in parts:
            if part not in roles and part not in country_of:
                raise DataFileError(f"{where}: union {name} names unknown role {part!r}")
    distinct = tuple(str(r) for r in item.get("distinct", []))
    for role in distinct:
        if role not in roles:
            raise DataFileError(f"{where}: distinct names unknown role {role!r}")
    fallback = {str(name): _fallback(name, spec, where, set(roles) | set(country_of))
                for name, spec in item.get("fallback", {}).items()}
    known = set(roles) | set(union) | set(country_of) | {"trigger", "document", "pair", "speaker"}
    templates = [template(item, where, known, expand)]
    templates += [template(extra, where, known, expand) for extra in item.get("also", [])]
    needed = tuple(str(r) for r in item.get("require", []))
    absent = tuple(str(r) for r in item.get("absent", []))
    for role in needed:
        if role not in roles and role not in union:
            raise DataFileError(f"{where}: require names unknown role {role!r}")
    for role in absent:
        if role not in roles:
            raise DataFileError(f"{where}: absent names unknown role {role!r}")
    mode = str(item.get("mode", "stated"))
    if mode not in MODES:
        raise DataFileError(f"{where}: mode must be one of {MODES}")
    return FrameRule(pid, str(item.get("example", "")), lemmas, trigger_classes,
                     tuple(str(k) for k in item.get("trigger_kinds", [])),
                     tuple(str(w).lower() for w in item.get("context", [])),
                     tuple(str(w).lower() for w in item.get("context_too", [])),
                     tuple(str(w).lower() for w in item.get("unless", [])), roles, needed, absent,
                     union, at_least, country_of,
                     tuple(str(w).lower() for w in item.get("cancelled_by", [])), fallback,
                     distinct, mode,
                     tuple(templates), where)


def _fallback(name: str, spec: Any, where: str, known: set[str]) -> Fallback:
    if not isinstance(spec, dict) or "from" not in spec:
        raise DataFileError(f"{where}: fallback {name} needs a table with from")
    sources = [spec["from"]] if isinstance(spec["from"], str) else list(spec["from"])
    for role in [name, *sources, *spec.get("unless", [])]:
        if role not in known:
            raise DataFileError(f"{where}: fallback {name} names unknown role {role!r}")
    return Fallback(tuple(str(r) for r in sources), tuple(str(k) for k in spec.get("kinds", [])),
                    tuple(str(r) for r in spec.get("unless", [])))


def _role(name: str, spec: Any, where: str, expand: ClassExpander) -> RoleSpec:
    if not isinstance(spec, dict):
        raise DataFileError(f"{where}: role {name} needs a table with ent and paths")
    ent = require(spec, "ent", f"{where} role {name}")
    classes = [ent] if isinstance(ent, str) else list(ent)
    paths = []
    for path in require(spec, "paths", f"{where} role {name}"):
        steps = tuple(s for s in re.split(r"(?=[<>])|(?<=[<>])", str(path)) if s)
        for step in steps:
            if step not in "<>" and not _STEP.match(step):
                raise DataFileError(f"{where}: role {name}: bad path step {step!r} in {path!r}")
        paths.append(steps)
    expanded = {c for cls in classes if cls != "Word" for c in expand(cls)}
    expanded |= {"Word"} & set(classes)  # words of the text itself (an ordinal)
    return RoleSpec(tuple(sorted(expanded)), tuple(paths),
                    tuple(str(v).lower() for v in spec.get("verbs", [])))


def recognizer(item: dict[str, Any], where: str, expand: ClassExpander) -> Recognizer:
    pid = checked_id(item, where)
    cls = str(require(item, "class", where))
    expand(cls)
    unless = frozenset(str(w).lower() for w in item.get("unless_words", []))
    return Recognizer(pid, str(require(item, "label", where)), cls, where, unless)
