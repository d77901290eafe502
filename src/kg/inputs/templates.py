"""What every kind of rule shares: ids, required keys, and the templates that say what a match
states (``nodes`` to mint, ``emit`` triples, ``foreach`` roles), as token patterns and frame
rules both write them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kg.errors import DataFileError

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VARIABLE = re.compile(  # a template variable and its accessor; shared with extract/facts.py
    r"^\?([a-z_][a-z0-9_]*)(?:\.(first|last|end|int|text|label|one|two))?$")
_TERM = re.compile(r'"(?:[^"\\]|\\.)*"(?:@[A-Za-z-]+|\^\^\S+)?|\S+')
ClassExpander = Callable[[str], list[str]]


@dataclass(frozen=True)
class NodeSpec:
    var: str
    cls: str
    key: tuple[str, ...]
    label: str
    key_if_bound: tuple[str, ...] = ()  # more key roles, used when the match binds them
    # labels tried when the first names a role the match leaves unbound ("{name}", else
    # "Summit in {where}")
    fallback_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    """Triples to emit per match; ``foreach`` roles are taken one value at a time."""

    nodes: tuple[NodeSpec, ...]
    foreach: tuple[str, ...]
    emit: tuple[tuple[str, str, str], ...]
    # (foreach role, partner): as many partners as values pair one to one ("the Presidents of
    # Chile and Peru, Boric and Boluarte": Boric of Chile, Boluarte of Peru)
    respectively: tuple[tuple[str, str], ...] = ()


def require(item: dict[str, Any], name: str, where: str) -> Any:
    if name not in item:
        raise DataFileError(f"{where}: missing {name!r}")
    return item[name]


def checked_id(item: dict[str, Any], where: str) -> str:
    pid = str(require(item, "id", where))
    if not _ID.match(pid):
        raise DataFileError(f"{where}: id {pid!r} must be lowercase words joined by '-'")
    return pid


def template(item: dict[str, Any], where: str, roles: set[str],
              expand: ClassExpander) -> Template:
    nodes = tuple(node_spec(n, where, roles, expand) for n in item.get("nodes", []))
    known = roles | {n.var for n in nodes}
    emit = tuple(_triple(line, where, known) for line in require(item, "emit", where))
    foreach = tuple(item.get("foreach", []))
    for role in foreach:
        if role not in roles:
            raise DataFileError(f"{where}: foreach names unknown role {role!r}")
    respectively = tuple(tuple(str(r) for r in pair) for pair in item.get("respectively", []))
    for pair in respectively:
        if len(pair) != 2 or pair[0] not in foreach or pair[1] not in roles:
            raise DataFileError(f"{where}: respectively pairs a foreach role with another "
                                f"role, not {list(pair)!r}")
    return Template(nodes, foreach, emit, respectively)  # type: ignore[arg-type]


def node_spec(item: dict[str, Any], where: str, roles: set[str], expand: ClassExpander) -> NodeSpec:
    var = str(require(item, "var", where))
    cls = str(require(item, "class", where))
    expand(cls)
    key = tuple(str(k) for k in require(item, "key", where))
    optional = tuple(str(k) for k in item.get("key_if_bound", []))
    for role in key + optional:
        if role not in roles:
            raise DataFileError(f"{where}: node {var} key uses unknown role {role!r}")
    labels = item.get("label", "")
    labels = [str(x) for x in labels] if isinstance(labels, list) else [str(labels)]
    return NodeSpec(var, cls, key, labels[0] if labels else "", optional, tuple(labels[1:]))


def _triple(line: str, where: str, known: set[str]) -> tuple[str, str, str]:
    parts = _TERM.findall(line)
    if len(parts) != 3:
        raise DataFileError(f"{where}: emit {line!r} is not 'subject predicate object'")
    for part in parts:
        match = VARIABLE.match(part)
        if part.startswith("?") and (not match or match.group(1) not in known):
            raise DataFileError(f"{where}: emit {line!r} uses unknown variable {part}")
    return parts[0], parts[1], parts[2]


