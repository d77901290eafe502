"""Extraction patterns: declarative data (``data/patterns/*.toml``) compiled for spaCy's Matcher.

Two kinds of pattern, both sequences of spaCy token specs:
- ``[[entity]]`` rules name things the gazetteer does not know ("… Agreement" is a Treaty) or
  that the document resolves ("the two countries", "our");
- ``[[pattern]]`` rules turn a sentence shape into facts: ``role`` captures tokens, ``nodes``
  mint events or relations keyed by roles, ``emit`` lists triples like a CONSTRUCT template.
Sugar over spaCy's token attributes keeps the files readable: ``ent`` (an ontology class,
subclasses included), ``words`` (a run of literal words), ``lower`` (a word or list of words),
``skip`` (up to N tokens of anything). Everything else is passed to spaCy as written.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import DataFileError
from kg.inputs.event_rules import (
    EMPTY_LEXICON,
    EventConstruction,
    EventLexicon,
    event_construction,
    event_lexicon,
    merged,
)
from kg.inputs.frame_rules import FrameRule, Recognizer, frame_rule, recognizer
from kg.inputs.templates import (
    ClassExpander,
    Template,
    checked_id,
    require,
    template,
)

RESOLVERS = ("pair", "people", "speaker-state", "speaker", "treaty", "organization")
BUILTIN_VARS = ("document", "pair", "speaker")  # bound from the document, not the sentence


@dataclass(frozen=True)
class TokenPattern:
    """A compiled token sequence and, for each token spec, the role it captures (or None).

    ``limits`` caps how many tokens a ``skip`` spec may take: spaCy expands ``{0,N}`` into N
    optional tokens, which explodes, so skips match ``*`` and matches over the cap are dropped.
    """

    specs: tuple[dict[str, Any], ...]
    roles: tuple[str | None, ...]
    limits: tuple[int | None, ...]

    def within_limits(self, alignment: list[int]) -> bool:
        counts: dict[int, int] = {}
        for index in alignment:
            counts[index] = counts.get(index, 0) + 1
        return all(self.limits[i] is None or n <= (self.limits[i] or 0) for i, n in counts.items())


@dataclass(frozen=True)
class EntityRule:
    id: str
    cls: str
    tokens: TokenPattern
    resolve: str | None
    where: str


@dataclass(frozen=True)
class RelationPattern:
    id: str
    example: str
    tokens: TokenPattern
    templates: tuple[Template, ...]
    where: str
    at_least: dict[str, int] = field(default_factory=dict)  # fewest fillers a role needs


@dataclass(frozen=True)
class Names:
    """Words around names: honorifics ("Mr.", "His Excellency") are titles, never part of a
    name; title words ("Extraordinary", "Plenipotentiary") are never a name by themselves."""

    honorifics: tuple[str, ...] = ()
    not_names: tuple[str, ...] = ()
    headline_verbs: tuple[str, ...] = ()  # "Vietnam Sign Land Border Treaty" is a headline
    # class → {word: subclass}: "… Agreement" is an Agreement, "… Declaration" a Declaration
    refine: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    # (word, state key, the other state of the pair): "the North" where South Korea is named
    elliptic: tuple[tuple[str, str, str], ...] = ()
    # phrases that name several states at once ("the two Koreas", "inter-Korean")
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def refined(self, cls: str, words: list[str]) -> str:
        """The subclass the last telling word of a name gives, or the class itself."""
        table = dict(dict(self.refine).get(cls, ()))
        found = [table[w] for w in words if w in table]
        return found[-1] if found else cls


@dataclass(frozen=True)
class PatternSet:
    entities: tuple[EntityRule, ...]
    relations: tuple[RelationPattern, ...]
    frames: tuple[FrameRule, ...] = ()
    recognizers: tuple[Recognizer, ...] = ()
    names: Names = Names()
    # a title (lower case) → the gazetteer key of the one state whose office it names
    offices: tuple[tuple[str, str], ...] = ()
    events: tuple[EventConstruction, ...] = ()  # PLOVER event constructions (events.toml)
    event_lexicon: EventLexicon = EMPTY_LEXICON

    def ids(self) -> list[str]:
        return ([r.id for r in self.entities] + [p.id for p in self.relations]
                + [f.id for f in self.frames] + [r.id for r in self.recognizers]
                + [e.rule.id for e in self.events])

    def described(self) -> list[tuple[str, str, str]]:
        """(id, where, example) of every rule, for provenance."""
        return ([(r.id, r.where, "") for r in self.entities]
                + [(p.id, p.where, p.example) for p in self.relations]
                + [(f.id, f.where, f.example) for f in self.frames]
                + [(r.id, r.where, "") for r in self.recognizers]
                + [(e.rule.id, e.rule.where, e.rule.example) for e in self.events])


def load_patterns(folder: Path, expand_class: ClassExpander) -> PatternSet:
    """Load and check every ``*.toml`` of a folder (sorted by name)."""
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise DataFileError(f"no pattern files (*.toml) in {folder}")
    entities: list[EntityRule] = []
    relations: list[RelationPattern] = []
    frames: list[FrameRule] = []
    recognizers: list[Recognizer] = []
    honorifics: list[str] = []
    not_names: list[str] = []
    headline_verbs: list[str] = []
    elliptic: list[tuple[str, str, str]] = []
    groups: list[tuple[str, tuple[str, ...]]] = []
    refine: dict[str, dict[str, str]] = {}
    offices: dict[str, str] = {}
    lexicon = EMPTY_LEXICON
    constructions: list[tuple[dict[str, Any], str]] = []
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{path.name}: {exc}") from exc
        for n, item in enumerate(data.get("entity", []), 1):
            entities.append(_entity_rule(item, f"{path.name} entity #{n}", expand_class))
        for n, item in enumerate(data.get("pattern", []), 1):
            relations.append(_relation(item, f"{path.name} pattern #{n}", expand_class))
        for n, item in enumerate(data.get("frame", []), 1):
            frames.append(frame_rule(item, f"{path.name} frame #{n}", expand_class))
        for n, item in enumerate(data.get("recognizer", []), 1):
            recognizers.append(recognizer(item, f"{path.name} recognizer #{n}", expand_class))
        lexicon = merged(lexicon, event_lexicon(data, path.name, expand_class))
        constructions += [(item, f"{path.name} event #{n}")
                          for n, item in enumerate(data.get("event", []), 1)]
        names = data.get("names", {})
        honorifics += [str(w) for w in names.get("honorifics", [])]
        not_names += [str(w) for w in names.get("not_names", [])]
        headline_verbs += [str(w).lower() for w in names.get("headline_verbs", [])]
        for item in names.get("elliptic", []):
            if not isinstance(item, list) or len(item) != 3:
                raise DataFileError(f"{path.name}: an elliptic name is [word, state, other "
                                    f"state], not {item!r}")
            elliptic.append((str(item[0]), str(item[1]), str(item[2])))
        for phrase, members in names.get("groups", {}).items():
            if not isinstance(members, list) or len(members) < 2:
                raise DataFileError(f"{path.name}: the group {phrase!r} names a list of two "
                                    f"states or more, not {members!r}")
            groups.append((str(phrase), tuple(str(m) for m in members)))
        offices.update({str(title).lower(): str(key)
                        for title, key in data.get("offices", {}).items()})
        for cls, table in data.get("refine", {}).items():
            for word, sub in table.items():
                expand_class(str(sub))
                refine.setdefault(str(cls), {})[str(word).lower()] = str(sub)
    found = PatternSet(tuple(entities), tuple(relations), tuple(frames), tuple(recognizers),
                       Names(tuple(honorifics), tuple(not_names), tuple(headline_verbs), tuple(
                           (c, tuple(sorted(t.items()))) for c, t in sorted(refine.items())),
                           tuple(elliptic), tuple(groups)),
                       tuple(sorted(offices.items())),
                       tuple(event_construction(item, where, expand_class, lexicon)
                             for item, where in constructions), lexicon)
    seen: set[str] = set()
    for pid in found.ids():
        if pid in seen:
            raise DataFileError(f"pattern id {pid!r} is used twice")
        seen.add(pid)
    return found


def _entity_rule(item: dict[str, Any], where: str, expand: ClassExpander) -> EntityRule:
    pid = checked_id(item, where)
    where = f"{where} ({pid})"
    resolve = item.get("resolve")
    if resolve is not None and resolve not in RESOLVERS:
        raise DataFileError(f"{where}: resolve must be one of {RESOLVERS}")
    cls = str(require(item, "class", where))
    expand(cls)  # raises for an unknown class
    tokens = compile_tokens(require(item, "tokens", where), where, expand)
    return EntityRule(pid, cls, tokens, resolve, where)


def _relation(item: dict[str, Any], where: str, expand: ClassExpander) -> RelationPattern:
    pid = checked_id(item, where)
    where = f"{where} ({pid})"
    tokens = compile_tokens(require(item, "tokens", where), where, expand)
    roles = {r for r in tokens.roles if r} | set(BUILTIN_VARS)
    templates = [template(item, where, roles, expand)]
    templates += [template(extra, where, roles, expand) for extra in item.get("also", [])]
    at_least = {str(name): int(n) for name, n in item.get("at_least", {}).items()}
    for name in at_least:
        if name not in roles:
            raise DataFileError(f"{where}: at_least names unknown role {name!r}")
    return RelationPattern(pid, str(item.get("example", "")), tokens, tuple(templates), where,
                           at_least)


def compile_tokens(specs: Iterable[dict[str, Any]], where: str,
                   expand: ClassExpander) -> TokenPattern:
    """Expand the sugar into plain spaCy token specs, keeping each one's role."""
    out: list[dict[str, Any]] = []
    roles: list[str | None] = []
    limits: list[int | None] = []
    for spec in specs:
        spec = dict(spec)
        role = spec.pop("role", None)
        for token in _expand_spec(spec, where, expand):
            if out:  # runs of spaces are tokens of their own: step over them, not line breaks
                out.append({"TEXT": {"REGEX": "^[ \t\u00a0]+$"}, "OP": "*"})
                roles.append(None)
                limits.append(None)
            out.append(token)
            roles.append(role)
            limits.append(int(spec["skip"]) if "skip" in spec else None)
    if not out:
        raise DataFileError(f"{where}: empty token pattern")
    return TokenPattern(tuple(out), tuple(roles), tuple(limits))


def _expand_spec(spec: dict[str, Any], where: str, expand: ClassExpander) -> list[dict[str, Any]]:
    if "words" in spec:
        if len(spec) != 1:
            raise DataFileError(f"{where}: 'words' stands alone in its token spec")
        return [{"LOWER": w} for w in str(spec["words"]).lower().split()]
    if "skip" in spec:
        if len(spec) != 1:
            raise DataFileError(f"{where}: 'skip' stands alone in its token spec")
        return [{"OP": "*", "IS_SENT_START": False}]
    token: dict[str, Any] = {}
    for name, value in spec.items():
        if name == "ent":
            classes = [value] if isinstance(value, str) else list(value)
            token["_"] = {"cls": {"IN": sorted({c for cls in classes for c in expand(cls)})}}
        elif name == "lower":
            token["LOWER"] = {"IN": [v.lower() for v in value]} if isinstance(value, list) \
                else str(value).lower()
        elif name.isupper():
            token[name] = value
        else:
            raise DataFileError(f"{where}: unknown token key {name!r}")
    return [token]
