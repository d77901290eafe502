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

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataFileError

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VARIABLE = re.compile(  # a template variable and its accessor; shared with facts.py
    r"^\?([a-z_][a-z0-9_]*)(?:\.(first|last|int|text|label|one|two))?$")
_TERM = re.compile(r'"(?:[^"\\]|\\.)*"(?:@[A-Za-z-]+|\^\^\S+)?|\S+')
RESOLVERS = ("pair", "speaker-state", "speaker")
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
class NodeSpec:
    var: str
    cls: str
    key: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Template:
    """Triples to emit per match; ``foreach`` roles are taken one value at a time."""

    nodes: tuple[NodeSpec, ...]
    foreach: tuple[str, ...]
    emit: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class RelationPattern:
    id: str
    example: str
    tokens: TokenPattern
    templates: tuple[Template, ...]
    where: str


@dataclass(frozen=True)
class PatternSet:
    entities: tuple[EntityRule, ...]
    relations: tuple[RelationPattern, ...]

    def ids(self) -> list[str]:
        return [r.id for r in self.entities] + [p.id for p in self.relations]


ClassExpander = Callable[[str], list[str]]


def load_patterns(folder: Path, expand_class: ClassExpander) -> PatternSet:
    """Load and check every ``*.toml`` of a folder (sorted by name)."""
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise DataFileError(f"no pattern files (*.toml) in {folder}")
    entities: list[EntityRule] = []
    relations: list[RelationPattern] = []
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{path.name}: {exc}") from exc
        for n, item in enumerate(data.get("entity", []), 1):
            entities.append(_entity_rule(item, f"{path.name} entity #{n}", expand_class))
        for n, item in enumerate(data.get("pattern", []), 1):
            relations.append(_relation(item, f"{path.name} pattern #{n}", expand_class))
    seen: set[str] = set()
    for pid in [r.id for r in entities] + [p.id for p in relations]:
        if pid in seen:
            raise DataFileError(f"pattern id {pid!r} is used twice")
        seen.add(pid)
    return PatternSet(tuple(entities), tuple(relations))


def _require(item: dict[str, Any], name: str, where: str) -> Any:
    if name not in item:
        raise DataFileError(f"{where}: missing {name!r}")
    return item[name]


def _checked_id(item: dict[str, Any], where: str) -> str:
    pid = str(_require(item, "id", where))
    if not _ID.match(pid):
        raise DataFileError(f"{where}: id {pid!r} must be lowercase words joined by '-'")
    return pid


def _entity_rule(item: dict[str, Any], where: str, expand: ClassExpander) -> EntityRule:
    pid = _checked_id(item, where)
    where = f"{where} ({pid})"
    resolve = item.get("resolve")
    if resolve is not None and resolve not in RESOLVERS:
        raise DataFileError(f"{where}: resolve must be one of {RESOLVERS}")
    cls = str(_require(item, "class", where))
    expand(cls)  # raises for an unknown class
    tokens = compile_tokens(_require(item, "tokens", where), where, expand)
    return EntityRule(pid, cls, tokens, resolve, where)


def _relation(item: dict[str, Any], where: str, expand: ClassExpander) -> RelationPattern:
    pid = _checked_id(item, where)
    where = f"{where} ({pid})"
    tokens = compile_tokens(_require(item, "tokens", where), where, expand)
    roles = {r for r in tokens.roles if r} | set(BUILTIN_VARS)
    templates = [_template(item, where, roles, expand)]
    templates += [_template(extra, where, roles, expand) for extra in item.get("also", [])]
    return RelationPattern(pid, str(item.get("example", "")), tokens, tuple(templates), where)


def _template(item: dict[str, Any], where: str, roles: set[str],
              expand: ClassExpander) -> Template:
    nodes = tuple(_node(n, where, roles, expand) for n in item.get("nodes", []))
    known = roles | {n.var for n in nodes}
    emit = tuple(_triple(line, where, known) for line in _require(item, "emit", where))
    foreach = tuple(item.get("foreach", []))
    for role in foreach:
        if role not in roles:
            raise DataFileError(f"{where}: foreach names unknown role {role!r}")
    return Template(nodes, foreach, emit)


def _node(item: dict[str, Any], where: str, roles: set[str], expand: ClassExpander) -> NodeSpec:
    var = str(_require(item, "var", where))
    cls = str(_require(item, "class", where))
    expand(cls)
    key = tuple(str(k) for k in _require(item, "key", where))
    for role in key:
        if role not in roles:
            raise DataFileError(f"{where}: node {var} key uses unknown role {role!r}")
    return NodeSpec(var, cls, key, str(item.get("label", "")))


def _triple(line: str, where: str, known: set[str]) -> tuple[str, str, str]:
    parts = _TERM.findall(line)
    if len(parts) != 3:
        raise DataFileError(f"{where}: emit {line!r} is not 'subject predicate object'")
    for part in parts:
        match = VARIABLE.match(part)
        if part.startswith("?") and (not match or match.group(1) not in known):
            raise DataFileError(f"{where}: emit {line!r} uses unknown variable {part}")
    return parts[0], parts[1], parts[2]


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
