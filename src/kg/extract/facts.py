"""Relation patterns → facts: match token sequences, bind roles, fill the emit templates.

A match binds each role to the values of its tokens (entities, dates, or the words
themselves). ``foreach`` roles are iterated one value at a time (one Membership per member
and body); other list-valued roles expand inside each triple. Nodes are keyed by their key
roles' values, so the same event told twice gets the same IRI.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract.model import (
    DateValue,
    DocumentRef,
    EntityRef,
    NodeRef,
    Placeholder,
    Term,
    trimmed,
)
from kg.extract.pipeline import Value
from kg.extract.sentences import sentence_of
from kg.inputs.frame_rules import FrameRule
from kg.inputs.patterns import RelationPattern
from kg.inputs.templates import VARIABLE, NodeSpec, Template
from kg.text import slug
from kg.vocab import PREFIXES

_POSITIONS = {"one": 0, "two": 1}  # ?parties.one: the first value in text order
_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z-]+)|\^\^(\S+))?$')
_ROLE_IN_TEXT = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_ORDINALS = {w: n for n, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}
_NUMBER = re.compile(r"^(\d+)(?:st|nd|rd|th)?$")

Binding = dict[str, list["Value | str"]]


@dataclass(frozen=True)
class Match:
    """One pattern matched in one sentence, roles bound (placeholders not yet resolved)."""

    pattern: RelationPattern | FrameRule
    sentence: tuple[int, int]
    roles: Binding
    context: tuple[tuple[int, int], ...] = ()  # earlier sentences a filler was named in
    trigger: int = -1  # a frame rule's trigger: its token index in the merged doc


def pattern_matcher(vocab: Vocab, patterns: tuple[RelationPattern, ...]) -> Matcher:
    """One Matcher for all token patterns, built once per extractor (building costs more than
    matching a document)."""
    matcher = Matcher(vocab)
    for pattern in patterns:
        matcher.add(pattern.id, [list(pattern.tokens.specs)])
    return matcher


def find_matches(doc: Doc, patterns: tuple[RelationPattern, ...],
                 matcher: Matcher | None = None) -> list[Match]:
    """Every pattern match in a merged doc, in text order."""
    matcher = matcher or pattern_matcher(doc.vocab, patterns)
    by_id = {p.id: p for p in patterns}
    found = []
    text = doc.text  # built anew on every access: once here
    matches = matcher(doc, with_alignments=True)
    for match_id, start, end, alignment in matches:  # type: ignore[misc]
        pattern = by_id[doc.vocab.strings[match_id]]
        if sentence_of(doc[start]).start != sentence_of(doc[end - 1]).start:
            continue  # a pattern never spans two sentences
        if not pattern.tokens.within_limits(alignment):
            continue
        roles: Binding = {}
        words: dict[str, list[str]] = {}
        for token, spec_index in zip(doc[start:end], alignment, strict=True):
            role = pattern.tokens.roles[spec_index]
            if role is None:
                continue
            if token._.values:
                roles.setdefault(role, []).extend(token._.values)
            else:
                words.setdefault(role, []).append(token.text)
        for role, parts in words.items():
            roles.setdefault(role, []).append(" ".join(parts))
        if any(named_count(roles.get(role, [])) < n for role, n in pattern.at_least.items()):
            continue  # "Kosovo and Israel established …": one state found is no relation
        sentence = sentence_of(doc[start])
        span = trimmed(text, sentence.start_char, sentence.end_char)
        found.append(Match(pattern, (span.start, span.end), roles))
    return sorted(found, key=lambda m: (m.sentence, m.pattern.id))


def named_count(values: list) -> int:
    """How many things the values name: "the two countries" names two."""
    return sum(2 if isinstance(v, Placeholder) and v.resolve in ("pair", "people") else 1
               for v in values)


def has_placeholders(match: Match) -> bool:
    return any(isinstance(v, Placeholder) for vs in match.roles.values() for v in vs)


def instantiate(match: Match, source_id: str) -> list[tuple[Term, URIRef, Term]]:
    """The triples of one match (placeholders must be resolved first)."""
    return _unique([t for template in match.pattern.templates
                    for t in _instantiate(template, match.roles, source_id)])


def _instantiate(template: Template, roles: Binding,
                 source_id: str) -> list[tuple[Term, URIRef, Term]]:
    triples: list[tuple[Term, URIRef, Term]] = []
    # a role to iterate that found nothing leaves the rest to be instantiated once (a visit
    # without a date is still a visit); require decides what must be there
    each = [[(role, v) for v in _unique(roles.get(role, []))] or [(role, None)]
            for role in template.foreach]
    for combination in itertools.product(*each):
        bound = {**roles, **{role: [value] for role, value in combination if value is not None}}
        for role, partner in template.respectively:
            values, partners = _unique(roles.get(role, [])), _unique(roles.get(partner, []))
            if len(values) == len(partners) > 1:
                bound[partner] = [partners[values.index(bound[role][0])]]
        nodes = {n.var: _node(n.cls, n.key + tuple(r for r in n.key_if_bound if bound.get(r)),
                              _label_for(n, bound), bound)
                 for n in template.nodes if all(bound.get(role) for role in n.key)}
        for node in nodes.values():
            triples.append((node, RDF.type, PREFIXES["dk"][node.cls]))
            triples.append((node, RDFS.label, Literal(node.label, lang="en")))
        for s, p, o in template.emit:
            for subject, obj in itertools.product(_terms(s, bound, nodes, source_id),
                                                  _terms(o, bound, nodes, source_id)):
                predicate = _constant(p, bound)
                if isinstance(predicate, URIRef) and subject != obj:
                    triples.append((subject, predicate, obj))
    return triples


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


def _node(cls: str, key: tuple[str, ...], label: str, bound: Binding) -> NodeRef:
    parts = tuple(part for part in (
        "-and-".join(sorted({_key_of(v) for v in bound.get(role, [])})) for role in key) if part)
    text = _fill(label, bound) if label else f"{cls} " + " ".join(
        ", ".join(_label_of(v) for v in bound.get(role, [])) for role in key)
    return NodeRef(cls, parts, text[:1].upper() + text[1:])


def _key_of(value: Value | str) -> str:
    if isinstance(value, EntityRef):
        if value.is_concept:  # dk:PrimeMinister → prime-minister
            return re.sub(r"(?<!^)(?=[A-Z])", "-", value.key.rsplit("#", 1)[-1]).lower()
        return value.key
    if isinstance(value, DateValue):
        return value.key
    return slug(str(value))


def _label_of(value: Value | str) -> str:
    if isinstance(value, EntityRef):
        return value.label
    if isinstance(value, DateValue):
        return value.key.replace("--", " to ")
    return str(value)


def _label_for(node: NodeSpec, bound: Binding) -> str:
    """The node's first label whose roles the match binds."""
    for label in (node.label, *node.fallback_labels):
        if all(bound.get(role) for role in _ROLE_IN_TEXT.findall(label)):
            return label
    return node.label


def _fill(text: str, bound: Binding) -> str:
    return _ROLE_IN_TEXT.sub(
        lambda m: " and ".join(_label_of(v) for v in bound.get(m.group(1), [])), text)


def _terms(part: str, bound: Binding, nodes: dict[str, NodeRef], source_id: str) -> list[Term]:
    match = VARIABLE.match(part)
    if not match:
        constant = _constant(part, bound)
        return [constant] if constant is not None else []
    name, accessor = match.groups()
    if name == "document":
        return [DocumentRef(source_id)]
    if name in nodes:
        return [nodes[name]]
    if name not in bound:
        return []
    values = bound.get(name, [])
    if accessor in _POSITIONS:
        index = _POSITIONS[accessor]
        values, accessor = values[index:index + 1], None
    out: list[Term] = []
    for value in values:
        term = _accessed(value, accessor)
        if term is not None:
            out.append(term)
    return out


def _accessed(value: Value | str, accessor: str | None) -> Term | None:
    if isinstance(value, DateValue):
        if accessor == "end":  # the end of a range; a single day has none
            return value.last.to_literal() if value.last != value.first else None
        return value.last.to_literal() if accessor == "last" else value.first.to_literal()
    if accessor == "label":
        return Literal(_label_of(value), lang="en")
    if isinstance(value, EntityRef):
        return value if accessor is None else Literal(value.label)
    if isinstance(value, Placeholder):
        raise ValueError("placeholders must be resolved before instantiation")
    if accessor == "int":
        return _integer(value)
    return Literal(value)


def _integer(text: str) -> Literal | None:
    word = text.lower()
    if word in _ORDINALS:
        return Literal(_ORDINALS[word])
    number = _NUMBER.match(word)
    return Literal(int(number.group(1))) if number else None


def _constant(part: str, bound: Binding) -> Term | None:
    if part == "a":
        return RDF.type
    if part in ("true", "false"):
        return Literal(part == "true", datatype=XSD.boolean)
    if part.isdigit():
        return Literal(int(part))
    literal = _LITERAL.match(part)
    if literal:
        text, lang, datatype = literal.groups()
        text = _fill(text.replace('\\"', '"'), bound)
        kind = _constant(datatype, bound) if datatype else None
        return Literal(text, lang=lang, datatype=kind if isinstance(kind, URIRef) else None)
    if part.startswith("<") and part.endswith(">"):
        return URIRef(part[1:-1])
    prefix, _, local = part.partition(":")
    if prefix in PREFIXES and local:
        return PREFIXES[prefix][local]
    raise ValueError(f"cannot read term {part!r}")


def resolved(match: Match, context: dict[str, list[EntityRef]]) -> Match:
    """The match with each placeholder replaced by the entities the document gives it."""
    roles: Binding = {name: list(context.get(name, [])) for name in ("pair", "speaker")}
    for role, values in match.roles.items():
        out: list[Value | str] = []
        for value in values:
            resolved_values = context.get(value.resolve, []) if isinstance(value, Placeholder) \
                else [value]
            out.extend(resolved_values)
        roles[role] = _unique(out)
    return Match(match.pattern, match.sentence, roles, match.context, match.trigger)
