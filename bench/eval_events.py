"""Event benchmark: the extractor's PLOVER events against bench/eval/events/events.tsv.

    .venv/bin/python bench/extract.py --events --split dev

Each coded sentence is its own small document whose date is the page's. An event is what the
extractor typed with a PLOVER class (extract/events.py), or a relation frame the ontology makes
one: a visit, meeting or summit is a CONSULT, a recognition or a signed treaty a SUPPORT (those
two compare their parties as an unordered pair: "X and Y signed", "X met Y"). Its states are the
states the actors act for, as ISO 3166-1 alpha-3 codes (the UN and its organs are UNO, the EU
and its bodies EUR, other intergovernmental bodies IGO, as the set codes them).

A sentence is *found* when it has an event; *right* when one of its events joins the gold source
and target states of a stated sentence (precision: right / found; recall: right / stated). Type
accuracy is over the right sentences. Actor resolution is over stated sentences that name both
actors (the gold gives neither in parentheses). The test split is held out: report it, never
read its errors.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib.namespace import RDF

from kg.extract import Extractor
from kg.extract.model import EntityRef, Extraction, NodeRef
from kg.inputs.gazetteer import Gazetteer
from kg.inputs.sources import MetadataValue, Source
from kg.vocab import DK

EVENTS = Path(__file__).resolve().parent / "eval" / "events" / "events.tsv"
PLOVER = {"Agree", "Consult", "Support", "Concede", "Cooperate", "Aid", "Retreat", "Request",
          "Accuse", "Reject", "Threaten", "Protest", "Sanction", "Mobilize", "Coerce", "Assault"}
# relation frames as PLOVER types: (type, source properties, target properties); no target
# property: the node's parties, unordered
FRAMES = {"Visit": ("CONSULT", (DK.visitor,), (DK.destination, DK.host)),
          "Meeting": ("CONSULT", (DK.participant,), ()),
          "Summit": ("CONSULT", (DK.participant,), ()),
          "Recognition": ("SUPPORT", (DK.recognizingState,), (DK.recognizedState,))}
TREATIES = {"Treaty", "Agreement", "Declaration", "JointStatement", "Memorandum", "Convention",
            "Protocol", "Communique", "ActionPlan"}
UN, EU = ("united-nations", "un-", "unesco", "undp", "unicef", "unhcr"), ("european-",)


@dataclass(frozen=True)
class Found:
    type: str
    source: frozenset[str]
    target: frozenset[str]  # empty: a symmetric frame, its parties all in source


def run_events(split: str, extractor: Extractor, show: int = 0) -> None:
    with EVENTS.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["split"] == split]
    sources = [Source(id=r["id"], path=EVENTS, text=r["sentence"], metadata={
        "date": MetadataValue(r["source_date"], "observed")} if r["source_date"] else {})
        for r in rows]
    codes = _Codes(extractor.gazetteer)
    tally: Counter = Counter()
    errors = []
    for row, extraction in zip(rows, extractor.extract_many(sources), strict=True):
        found = events_of(extraction, codes)
        stated = row["stated"] == "yes"
        named = stated and all(row[k] and not row[k].startswith("(")
                               for k in ("source_actor", "target_actor"))
        right = [f for f in found if stated and _joins(f, row)]
        tally.update(coded=1, stated=stated, unstated=not stated, named=named,
                     found=bool(found), right=bool(right), named_found=named and bool(found),
                     named_right=named and bool(right),
                     typed=any(f.type == row["event_type"] for f in right),
                     quiet=not stated and not found)
        if found and not right or stated and not found:
            errors.append(f"  {row['id']}\t{row['event_type']} {row['source_country']}→"
                          f"{row['target_country']}\tfound {_show(found)}")
        elif right and not any(f.type == row["event_type"] for f in right):
            errors.append(f"  {row['id']}\ttype {row['event_type']}\tfound {_show(right)}")
    _report(split, tally)
    for line in errors[:show]:
        print(line)


def events_of(extraction: Extraction, codes: _Codes) -> list[Found]:
    """The events of one extraction, with the states (codes) their actors act for."""
    triples = [t for fact in extraction.facts for t in fact.triples]
    acts = {s: o for s, p, o in triples if p == DK.actsFor}
    posts = {o: s for s, p, o in triples if p == DK.holdsPost}
    for s, p, o in triples:  # a person the text gives a post acts for its state or body
        if p in (DK.sentBy, DK.postOf) and s in posts and isinstance(o, EntityRef):
            acts.setdefault(posts[s], o)
    out = []
    for node in {s for s, p, _ in triples if p == RDF.type and isinstance(s, NodeRef)}:
        values = {p: [o for s, q, o in triples if s == node and q == p] for p in (
            DK.sourceActor, DK.targetActor, DK.visitor, DK.destination, DK.host,
            DK.participant, DK.recognizingState, DK.recognizedState, DK.signatory, DK.party)}
        if node.cls in PLOVER:
            kind, source, target = node.cls.upper(), (DK.sourceActor,), (DK.targetActor,)
        elif node.cls in FRAMES:
            kind, source, target = FRAMES[node.cls]
        elif node.cls in TREATIES:
            kind, source, target = "SUPPORT", (DK.signatory, DK.party), ()
        else:
            continue
        one = frozenset(codes.of(v, acts) for p in source for v in values[p]) - {""}
        two = frozenset(codes.of(v, acts) for p in target for v in values[p]) - {""}
        if one and (two or not target and len(one) >= 2):
            out.append(Found(kind, one, two))
    return out


def _joins(found: Found, row: dict[str, str]) -> bool:
    source, target = row["source_country"], row["target_country"]
    if found.target:
        return source in found.source and target in found.target
    return {source, target} <= found.source


class _Codes:
    """The code of the state (or body) an entity acts for."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def of(self, entity: object, acts: dict) -> str:
        if not isinstance(entity, EntityRef):
            return ""
        entity = acts.get(entity, entity)
        entry = self.gazetteer.get(entity.key)
        if entity.cls == "Person" and entry is not None and entry.country:
            entry = self.gazetteer.get(entry.country)
        if entity.cls == "City" and entry is not None:
            entry = self.gazetteer.get(entry.capital_of or entry.country)
        if entry is None:
            return ""
        if entry.iso3:
            return entry.iso3
        if entry.cls == "IntergovernmentalOrganization":
            return "UNO" if entry.key.startswith(UN) else (
                "EUR" if entry.key.startswith(EU) else "IGO")
        return ""


def _show(found: list[Found]) -> str:
    return "; ".join(f"{f.type} {'/'.join(sorted(f.source))}→{'/'.join(sorted(f.target))}"
                     for f in found) or "nothing"


def _report(split: str, t: Counter) -> None:
    def pct(a: int, b: int) -> str:
        return f"{a / b:6.1%} ({a}/{b})" if b else "     - (0/0)"

    print(f"\n## events, {split}: {t['coded']} sentences coded, {t['stated']} state an event")
    print(f"events found in          {pct(t['found'], t['coded'])} of sentences")
    print(f"precision                {pct(t['right'], t['found'])}  (right source+target states)")
    print(f"recall                   {pct(t['right'], t['stated'])}  of stated sentences")
    print(f"type right               {pct(t['typed'], t['right'])}  of right ones")
    print(f"actor+target resolved    {pct(t['named_right'], t['named_found'])}  of found "
          f"sentences naming both; {pct(t['named_right'], t['named'])} of all naming both")
    print(f"no event where none      {pct(t['quiet'], t['unstated'])}  (stated = no)")
