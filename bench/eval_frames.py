"""How the extractor's facts read as the evaluation set's frames (bench/eval/README.md).

Each frame type is an ontology class of a minted node; each role is one or more ontology
properties from that node (or, for the holder of a post, the inverse of dk:holdsPost). A Founding
is the dk:foundedBy triples of one organisation (its founders together). A named document the
text only mentions ("the Hague Convention") is an entity with a type, not a fact: like the gold,
which annotates a document only with a party, signatory, place or date, it is no frame here. A
named conference ("the Tokyo Conference on Afghanistan") is an entity of class Summit and reads
the same way.
Names compare with typographic quotes made plain ("Ministers’" is "Ministers'").
"""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.extract.model import EntityRef, Extraction, NodeRef
from kg.vocab import DK

# type → role → the dk: properties (local names) that carry it; "label" is the node's rdfs:label
ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "DiplomaticRelation": {"party": ("party",), "startDate": ("startDate",)},
    "Recognition": {"recognizingState": ("recognizingState",),
                    "recognizedState": ("recognizedState",), "date": ("date", "startDate")},
    "Visit": {"visitor": ("visitor",), "destination": ("destination",), "host": ("host",),
              "startDate": ("startDate", "date"), "endDate": ("endDate",)},
    "Meeting": {"participant": ("participant",), "location": ("location",),
                "date": ("date", "startDate")},
    "Treaty": {"name": ("label",), "treatyType": ("kind",), "party": ("party", "ratifiedBy"),
               "signatory": ("signatory",), "signingPlace": ("signingPlace",),
               "signingDate": ("signingDate",), "ratifiedBy": ("ratifiedBy",),
               "ratificationDate": ("ratificationDate",)},
    "DiplomaticMission": {"missionType": ("kind",), "sendingState": ("sendingState",),
                          "location": ("missionLocation",), "receivingState": ("receivingState",),
                          "openingDate": ("startDate", "date")},
    "Membership": {"member": ("member",), "organization": ("organization",),
                   "startDate": ("startDate",)},
    "Summit": {"name": ("label",), "ordinal": ("ordinal",), "organization": ("organizer",),
               "location": ("location",), "startDate": ("startDate", "date"),
               "endDate": ("endDate",), "participant": ("participant",)},
    "Chairmanship": {"chair": ("chair",), "organization": ("organization",),
                     "startDate": ("startDate",), "endDate": ("endDate",)},
    "Post": {"holder": ("postHolder",), "postKind": ("postKind",), "of": ("sentBy", "postOf"),
             "to": ("accreditedTo",), "startDate": ("startDate",)},
    "Founding": {"organization": (), "founder": ()},
}
FRAME_TYPES = tuple(ROLES)
# Node classes that are kinds of a frame type (an Embassy is a DiplomaticMission …)
SUBCLASSES = {"Embassy": "DiplomaticMission", "Consulate": "DiplomaticMission",
              "Legation": "DiplomaticMission", "PermanentMission": "DiplomaticMission",
              "Treaty": "Treaty", "Agreement": "Treaty", "Declaration": "Treaty",
              "JointStatement": "Treaty", "Memorandum": "Treaty", "Convention": "Treaty",
              "Protocol": "Treaty", "Communique": "Treaty", "ActionPlan": "Treaty",
              "Summit": "Summit"}  # a named conference is an entity, like a named treaty
KINDS = {"Embassy": "embassy", "Consulate": "consulate", "Legation": "legation",
         "PermanentMission": "permanent mission", "Treaty": "treaty", "Agreement": "agreement",
         "Declaration": "declaration", "JointStatement": "joint statement",
         "Memorandum": "memorandum", "Convention": "convention", "Protocol": "protocol",
         "Communique": "communiqué", "ActionPlan": "action plan"}


# The kinds of post the evaluation set names; any other kind counts as "other" there.
POST_KINDS = {"ambassador", "president", "prime minister", "foreign minister", "chancellor",
              "secretary-general", "chair", "king", "vice president", "deputy foreign minister",
              "minister", "consul general", "envoy"}


DESCRIBED = re.compile(r"^Summit (in|of) ")  # frames.toml's labels for summits the text names not


def _text(term: object) -> str | None:
    if isinstance(term, EntityRef):
        return term.label
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, NodeRef):
        return term.label or None
    return None


def frames_of(extraction: Extraction) -> list[tuple[str, list[tuple[str, str]]]]:
    """The frames an extraction states: (type, [(role, value)])."""
    types: dict[NodeRef | EntityRef, str] = {}
    values: dict[NodeRef | EntityRef, dict[str, set[str]]] = defaultdict(
        lambda: defaultdict(set))
    founded: set[tuple[str, str]] = set()
    for fact in extraction.facts:
        for s, p, o in fact.triples:
            named_treaty = isinstance(s, EntityRef) and s.cls in SUBCLASSES  # or conference
            if (isinstance(s, NodeRef) or named_treaty) and p == RDF.type and isinstance(
                    o, URIRef):
                local = str(o).removeprefix(str(DK))
                types[s] = SUBCLASSES.get(local, local)
                if local in KINDS:
                    values[s]["kind"].add(KINDS[local])
            elif isinstance(s, NodeRef) and p == RDFS.label and types.get(s) != "Treaty" and (
                    not DESCRIBED.match(str(o))):  # a minted document's label is no name, nor
                values[s]["label"].add(str(o))   # a summit's described by its place or body
            elif (isinstance(s, NodeRef) or named_treaty) and str(p).startswith(str(DK)):
                text = _text(o)
                if text is not None:
                    values[s][str(p).removeprefix(str(DK))].add(text)
            elif p == DK.holdsPost and isinstance(o, NodeRef) and isinstance(s, EntityRef):
                values[o]["postHolder"].add(s.label)
            elif p == DK.foundedBy and isinstance(s, EntityRef) and isinstance(o, EntityRef):
                founded.add((s.label, o.label))
            elif p == DK.founderOf and isinstance(s, EntityRef) and isinstance(o, EntityRef):
                founded.add((o.label, s.label))
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for node, kind in sorted(types.items(), key=lambda item: str(item[0])):
        if isinstance(node, EntityRef):
            values[node]["label"].add(node.label)
        if kind not in ROLES:
            continue
        args = [(role, value if role != "postKind" or value.lower() in POST_KINDS else "other")
                for role, props in ROLES[kind].items() for prop in props
                for value in sorted(values[node].get(prop, ()))]
        if isinstance(node, EntityRef) and {role for role, _ in args} <= {"name", "treatyType"}:
            continue  # a document only named is an entity, not a fact (nor is it gold)
        out.append((kind, sorted(set(args))))
    founders: dict[str, list[str]] = {}  # an organisation is founded once, by all its founders
    for org, who in sorted(founded):
        founders.setdefault(org, []).append(who)
    out += [("Founding", [("organization", org), *(("founder", who) for who in whos)])
            for org, whos in founders.items()]
    return out
