"""Why an inferred triple holds: the OWL 2 RL rule and its premises, down to stated facts,
and for each stated fact the sentence it was extracted from (or the curated file it came from).

The native engine records each derived triple's first derivation; unfolding those records
from the asked triple gives a proof tree whose leaves are all stated.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.util import from_n3

from kg.dataset.reader import Reader
from kg.errors import InputError, NotFound
from kg.iris import Iris
from kg.reasoner import Budget, Derivation, closure
from kg.views.reads import sayable, select
from kg.vocab import DK, PROV

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Evidence:
    """Where a stated triple is stated: its graph, and for a fact graph the sentence."""

    graph: str
    sentence: str | None = None
    sentence_iri: str | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class ProofStep:
    triple: Triple
    rule: str | None                      # None: stated
    evidence: tuple[Evidence, ...] = ()
    premises: tuple[ProofStep, ...] = field(default=())


class Explainer:
    """Explanations for one dataset state (each closure with explanations is computed once).

    A triple between our own entities is explained from the closure without the Wikidata
    links first: it holds there too (links only add copies on wd: IRIs), and its proof is
    not a detour through owl:sameAs. Anything else is explained from the full closure.
    """

    def __init__(self, reader: Reader, iris: Iris, budget: Budget):
        self.reader = reader
        self.iris = iris
        self.budget = budget
        self._derivations: dict[bool, dict[Triple, Derivation]] = {}
        self._links: bool | None = None  # whether the links graph holds a triple
        self._lock = threading.Lock()

    def _stated_triples(self, links: bool) -> list[Triple]:
        """The triples reasoning starts from (stated_graphs: all but provenance and inferred,
        and without the links graph unless ``links``), read from the store. Sorted: the
        engine keeps a triple's first derivation, so every store gives the same proofs."""
        provenance, inferred = self.iris.graph("provenance"), self.iris.graph("inferred")
        rows = select(self.reader, "stated-triples", skip1=provenance, skip2=inferred,
                      skip3=provenance if links else self.iris.graph("links"))
        return sorted(set(rows))

    def derivations(self, links: bool = True) -> dict[Triple, Derivation]:
        if links and not self._has_links():
            links = False  # the same triples: one closure, not two
        with self._lock:
            if links not in self._derivations:
                triples = self._stated_triples(links)
                result = closure(triples, self.budget, engine="native", explain=True)
                self._derivations[links] = dict(result.explanations or {})
            return self._derivations[links]

    def _has_links(self) -> bool:
        if self._links is None:
            ((size,),) = select(self.reader, "graph-size", graph=self.iris.graph("links"))
            self._links = int(str(size)) > 0
        return self._links

    def explain(self, triple: Triple) -> ProofStep:
        """The proof of a triple; NotFound if it is neither stated nor entailed."""
        evidence = self._evidence(triple)
        if evidence:
            return ProofStep(triple, None, evidence)
        for links in (False, True):
            if triple in self.derivations(links):
                return self._unfold(triple, {}, self.derivations(links))
        raise NotFound("the dataset neither states nor entails "
                       + " ".join(t.n3() for t in triple))

    def _unfold(self, triple: Triple, seen: dict[Triple, ProofStep],
                derivations: dict[Triple, Derivation]) -> ProofStep:
        if triple in seen:
            return seen[triple]
        evidence = self._evidence(triple)
        derivation = derivations.get(triple)
        if evidence or derivation is None:
            step = ProofStep(triple, None, evidence)
        else:
            premises = tuple(self._unfold(p, seen, derivations) for p in derivation.premises)
            step = ProofStep(triple, derivation.rule, (), premises)
        seen[triple] = step
        return step

    def _evidence(self, triple: Triple) -> tuple[Evidence, ...]:
        """The graphs that state the triple, with their sentences (asked of the store)."""
        if not all(sayable(term) for term in triple):
            return ()
        found = set()
        rows = select(self.reader, "evidence", s=triple[0], p=triple[1], o=triple[2],
                      provenance=self.iris.graph("provenance"),
                      inferred=self.iris.graph("inferred"))
        for graph, sentence, pattern, anchor in rows:
            if sentence is None:
                found.add(Evidence(str(graph)))
            else:
                found.add(Evidence(str(graph), str(anchor), str(sentence),
                                   str(pattern) if pattern is not None else None))
        return tuple(sorted(found, key=lambda e: e.graph))


def parse_term(text: str, prefixes: dict[str, str]) -> Node:
    """A term typed by a person: <iri>, http…, prefix:name, or a Turtle literal."""
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    prefix, _, local = text.partition(":")
    if not text.startswith(("<", '"')) and prefix in prefixes:
        return URIRef(prefixes[prefix] + local)
    try:
        term = from_n3(text, nsm=None) if not text.startswith('"') else _literal(text, prefixes)
    except Exception as exc:  # rdflib's term parser raises bare exceptions
        raise InputError(f"cannot read the term {text!r}: {exc}") from exc
    if not isinstance(term, Node):
        raise InputError(f"cannot read the term {text!r}")
    return term


def _literal(text: str, prefixes: dict[str, str]) -> Literal:
    if "^^" in text:
        value, _, datatype = text.rpartition("^^")
        prefix, _, local = datatype.partition(":")
        iri = datatype.strip("<>") if datatype.startswith("<") else prefixes[prefix] + local
        return Literal(value.strip('"'), datatype=URIRef(iri))
    value, _, lang = text.rpartition("@") if '"@' in text else (text, "", "")
    return Literal(value.strip('"'), lang=lang or None)


def to_json(step: ProofStep) -> dict:
    """The proof as plain JSON (terms in N-Triples syntax)."""
    out: dict = {"triple": [t.n3() for t in step.triple],
                 "stated": step.rule is None}
    if step.rule:
        out["rule"] = step.rule
        out["premises"] = [to_json(p) for p in step.premises]
    if step.evidence:
        out["evidence"] = [{k: v for k, v in vars(e).items() if v is not None}
                           for e in step.evidence]
    return out


def to_text(step: ProofStep, short: dict[str, str], depth: int = 0) -> str:
    """An indented proof tree for the terminal."""
    def term(node: Node) -> str:
        text = str(node)
        if isinstance(node, Literal):
            return node.n3()
        for prefix, namespace in sorted(short.items(), key=lambda item: -len(item[1])):
            if text.startswith(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return f"<{text}>"

    pad = "    " * depth
    head = " ".join(term(t) for t in step.triple)
    lines = [f"{pad}{head}   [{step.rule or 'stated'}]"]
    for evidence in step.evidence:
        if evidence.sentence:
            lines.append(f"{pad}    sentence: \"{evidence.sentence}\"")
            lines.append(f"{pad}      ({evidence.sentence_iri}, pattern "
                         f"{(evidence.pattern or '').rsplit('/', 1)[-1]})")
        else:
            lines.append(f"{pad}    stated in {evidence.graph}")
    for premise in step.premises:
        lines.append(to_text(premise, short, depth + 1))
    return "\n".join(lines)


def to_prov(step: ProofStep) -> Graph:
    """The proof in PROV-O: each triple an rdf:Statement, each rule application an activity."""
    from rdflib import BNode
    from rdflib.namespace import RDF, RDFS

    graph = Graph()
    graph.bind("prov", PROV)
    graph.bind("dk", DK)
    nodes: dict[Triple, BNode] = {}

    def add(current: ProofStep) -> BNode:
        if current.triple in nodes:
            return nodes[current.triple]
        node = nodes[current.triple] = BNode()
        s, p, o = current.triple
        graph.add((node, RDF.type, RDF.Statement))
        graph.add((node, RDF.subject, s))
        graph.add((node, RDF.predicate, p))
        graph.add((node, RDF.object, o))
        for evidence in current.evidence:
            graph.add((node, PROV.wasDerivedFrom, URIRef(evidence.graph)))
            if evidence.sentence_iri:
                graph.add((node, PROV.wasQuotedFrom, URIRef(evidence.sentence_iri)))
        if current.rule:
            activity = BNode()
            graph.add((activity, RDF.type, PROV.Activity))
            graph.add((activity, RDFS.label, Literal(f"OWL 2 RL rule {current.rule}")))
            graph.add((node, PROV.wasGeneratedBy, activity))
            for premise in current.premises:
                graph.add((activity, PROV.used, add(premise)))
        return node

    add(step)
    return graph
