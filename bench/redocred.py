"""Re-DocRED (Wikipedia introductions annotated with Wikidata relations) scored on the relations
the ontology shares with Wikidata.

Our facts become Wikidata-style triples between entities as the Wikidata view states them
(ontology/wikidata.ttl): a Membership is P463 (member of), dk:foundedBy P112 (founded by), a
Chairmanship P488 (chairperson); a post of president or prime minister of a state is P35 / P6
(head of state / of government). Each entity we found is mapped to the annotated entity whose
mention it overlaps. A triple is right when the annotation has it; it cites a gold evidence
sentence when the sentence it came from is one of the annotation's evidence sentences. Triples
whose entities match no annotated entity are counted apart (annotated entities are all the
named ones, so such a triple names something else).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path

from kg.extract import Extractor
from kg.extract.model import EntityRef, Extraction, NodeRef
from kg.inputs.sources import Source
from kg.vocab import DK

SHARED = {"P463": "member of", "P112": "founded by", "P488": "chairperson",
          "P35": "head of state", "P6": "head of government"}
HEADS = {"President": "P35", "Monarch": "P35", "PrimeMinister": "P6", "Chancellor": "P6"}


def _text(doc: dict) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The document as one text, and (sentence, token, start, end) for every token."""
    parts: list[str] = []
    offsets: list[tuple[int, int, int, int]] = []
    position = 0
    for sent_id, tokens in enumerate(doc["sents"]):
        for token_id, token in enumerate(tokens):
            offsets.append((sent_id, token_id, position, position + len(token)))
            parts.append(token)
            position += len(token) + 1
    return " ".join(parts), offsets


def _vertex_of(doc: dict, offsets: list[tuple[int, int, int, int]]) -> dict[tuple[int, int], int]:
    """(sentence, token) → the annotated entity that token is part of."""
    out: dict[tuple[int, int], int] = {}
    for index, mentions in enumerate(doc["vertexSet"]):
        for mention in mentions:
            for token in range(*mention["pos"]):
                out[(mention["sent_id"], token)] = index
    return out


def _triples(extraction: Extraction) -> list[tuple[EntityRef, str, EntityRef, int]]:
    """(head, property, tail, sentence start) in Wikidata's direction."""
    out = []
    nodes: dict[NodeRef, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    where: dict[NodeRef, int] = {}
    for fact in extraction.facts:
        for s, p, o in fact.triples:
            if isinstance(s, NodeRef):
                nodes[s][str(p).removeprefix(str(DK))].append(o)
                where.setdefault(s, fact.sentence.start)
            if p == DK.holdsPost and isinstance(o, NodeRef):
                nodes[o]["holder"].append(s)
            if p == DK.foundedBy and isinstance(s, EntityRef) and isinstance(o, EntityRef):
                out.append((s, "P112", o, fact.sentence.start))
    for node, values in nodes.items():
        refs = {k: [v for v in vs if isinstance(v, EntityRef)] for k, vs in values.items()}
        if node.cls == "Membership":
            out += [(m, "P463", o, where[node]) for m in refs.get("member", [])
                    for o in refs.get("organization", [])]
        elif node.cls == "Chairmanship":
            out += [(o, "P488", c, where[node]) for c in refs.get("chair", [])
                    for o in refs.get("organization", [])]
        elif node.cls == "Post":
            kinds = [k.key.rsplit("#", 1)[-1] for k in refs.get("postKind", [])]
            for kind in kinds:
                if kind in HEADS:
                    out += [(state, HEADS[kind], holder, where[node])
                            for state in refs.get("sentBy", []) + refs.get("postOf", [])
                            for holder in refs.get("holder", [])]
    return out


def score_redocred(path: Path, extractor: Extractor) -> None:
    docs = json.loads(path.read_text(encoding="utf-8"))
    found = right = cited = unmatched = 0
    gold = Counter()
    by_relation: dict[str, Counter] = defaultdict(Counter)
    seconds = 0.0
    for n, doc in enumerate(docs):
        text, offsets = _text(doc)
        vertex = _vertex_of(doc, offsets)
        started = time.perf_counter()
        extraction = extractor.extract(Source(id=f"redocred-{n}", path=path, text=text))
        seconds += time.perf_counter() - started
        labels = {(lab["h"], lab["r"], lab["t"]): set(lab["evidence"]) for lab in doc["labels"]
                  if lab["r"] in SHARED}
        for (_, r, _) in labels:
            gold[r] += 1
        entity_vertex: dict[EntityRef, Counter] = defaultdict(Counter)
        for mention in extraction.mentions:
            for sent_id, token_id, start, end in offsets:
                if start < mention.span.end and mention.span.start < end and (
                        sent_id, token_id) in vertex:
                    entity_vertex[mention.entity][vertex[(sent_id, token_id)]] += 1
        sentence_of = {start: sent_id for sent_id, _, start, _ in offsets}
        predicted = set()
        for head, r, tail, sentence_start in _triples(extraction):
            h, t = entity_vertex.get(head), entity_vertex.get(tail)
            if not h or not t:
                unmatched += 1
                continue
            triple = (h.most_common(1)[0][0], r, t.most_common(1)[0][0])
            if triple in predicted:
                continue
            predicted.add(triple)
            found += 1
            by_relation[r]["found"] += 1
            if triple in labels:
                right += 1
                by_relation[r]["right"] += 1
                sent = max((s for start, s in sentence_of.items() if start <= sentence_start),
                           default=0)
                cited += sent in labels[triple]
    total = sum(gold.values())
    print(f"\n## Re-DocRED development split: {len(docs)} documents, "
          f"{len(docs) / seconds:.1f} documents/s")
    print(f"{'relation':24} {'gold':>5} {'found':>5} {'P':>6} {'R':>6}")
    for r, name in SHARED.items():
        f, ok = by_relation[r]["found"], by_relation[r]["right"]
        print(f"{r + ' ' + name:24} {gold[r]:5} {f:5} {ok / f if f else 0:6.1%} "
              f"{ok / gold[r] if gold[r] else 0:6.1%}")
    print(f"{'all shared':24} {total:5} {found:5} {right / found if found else 0:6.1%} "
          f"{right / total if total else 0:6.1%}")
    print(f"right triples citing a gold evidence sentence: {cited}/{right}; "
          f"triples naming no annotated entity (not scored): {unmatched}")
