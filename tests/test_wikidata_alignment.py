"""The Wikidata alignment table (ontology/wikidata-alignment.tsv) covers every ontology term,
says only what ontology/wikidata.ttl does, uses only verified ids, is the README's table, and
each form it names is one the reasoner derives from a fact stated with the term."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.errors import DataFileError
from kg.publish.alignment import Alignment, load_alignment, markdown_table
from kg.reasoner import closure
from kg.vocab import DK

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
IDS = ROOT / "data" / "reference" / "wikidata-ids.tsv"
WD, WDT = "http://www.wikidata.org/entity/", "http://www.wikidata.org/prop/direct/"
P31 = URIRef(WDT + "P31")
ROWS = load_alignment(ONTOLOGY / "wikidata-alignment.tsv")


def _iri(name: str) -> URIRef:
    prefix, _, local = name.partition(":")
    return URIRef({"dk": str(DK), "wd": WD, "wdt": WDT}[prefix] + local)


def _graph(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(ONTOLOGY / name, format="turtle")
    return graph


DIPLO, ALIGNED = _graph("diplo.ttl", "events.ttl"), _graph("wikidata.ttl")
# PLOVER's modes and contexts (events.ttl): one row each for dk:EventMode and dk:EventContext
CODED = {s for cls in (DK.EventMode, DK.EventContext) for s in DIPLO.subjects(RDF.type, cls)}


def test_every_ontology_term_has_one_row() -> None:
    terms = {s for s in DIPLO.subjects(RDF.type, None)
             if isinstance(s, URIRef) and str(s).startswith(str(DK))} - CODED
    rows = [_iri(row.term) for row in ROWS]
    assert len(terms) > 100
    assert sorted(set(rows) ^ terms) == []
    assert len(rows) == len(set(rows)), "a term has two rows"


def test_every_id_is_verified() -> None:
    verified = {line.split("\t")[2] for line in IDS.read_text(encoding="utf-8").splitlines()
                if line.count("\t") == 3 and line.endswith("\tverified")}
    used = {i.partition(":")[2] for row in ROWS for i in row.wikidata}
    used |= {str(t).rpartition("/")[2] for t in ALIGNED.all_nodes()
             if str(t).startswith((WD, WDT))}
    assert "P17" in used and sorted(used - verified) == []


def _direct_forms(term: URIRef) -> dict[str, set[URIRef]]:
    """The Wikidata ids wikidata.ttl gives ``term``, by the kind of axiom."""
    restrictions = {r for r in ALIGNED.objects(term, RDFS.subClassOf) if isinstance(r, BNode)
                    and (r, OWL.onProperty, P31) in ALIGNED}
    return {
        "sub-property": set(ALIGNED.objects(term, RDFS.subPropertyOf)),
        "inverse": set(ALIGNED.subjects(OWL.inverseOf, term))
        | set(ALIGNED.objects(term, OWL.inverseOf)),
        "chain": {p for p, chain in ALIGNED.subject_objects(OWL.propertyChainAxiom)
                  if list(Collection(ALIGNED, chain))[:1] == [term]},
        "instance-of": {v for r in restrictions for v in ALIGNED.objects(r, OWL.hasValue)},
        "exact-match": set(ALIGNED.objects(term, SKOS.exactMatch)),
    }


def _reachable(term: URIRef) -> set[URIRef]:
    """Terms whose form ``term`` shares: its broader terms, inverses and chains it opens."""
    seen, todo = {term}, deque([term])
    while todo:
        here = todo.popleft()
        near = {*DIPLO.objects(here, RDFS.subPropertyOf), *DIPLO.objects(here, RDFS.subClassOf),
                *DIPLO.objects(here, OWL.inverseOf), *DIPLO.subjects(OWL.inverseOf, here)}
        near |= {p for p, chain in DIPLO.subject_objects(OWL.propertyChainAxiom)
                 if here in set(Collection(DIPLO, chain))}
        for other in near - seen:
            if isinstance(other, URIRef):
                seen.add(other)
                todo.append(other)
    return seen - {term}


@pytest.mark.parametrize("row", [r for r in ROWS if r.mapped], ids=lambda r: r.term)
def test_a_mapped_row_says_what_the_axioms_do(row: Alignment) -> None:
    forms = _direct_forms(_iri(row.term))
    direct = {i for how in row.hows if how != "via" for i in forms[how]}
    if "via" in row.hows:
        direct |= {i for other in _reachable(_iri(row.term))
                   for ids in _direct_forms(other).values() for i in ids}
    assert {_iri(i) for i in row.wikidata} <= direct, row.where


def test_every_axiom_of_wikidata_ttl_has_its_row() -> None:
    named = {(row.term, i) for row in ROWS if row.mapped and "via" not in row.hows
             for i in row.wikidata}
    axioms = {(f"dk:{str(term)[len(str(DK)):]}", f"{'wd' if str(i).startswith(WD) else 'wdt'}:"
               f"{str(i).rpartition('/')[2]}")
              for term in set(ALIGNED.all_nodes()) if str(term).startswith(str(DK))
              for ids in _direct_forms(term).values() for i in ids}
    assert len(axioms) > 30 and sorted(axioms - named) == []


def test_the_readme_table_is_made_from_the_file() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table(ROWS) in readme


def test_a_row_without_a_reason_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "alignment.tsv"
    path.write_text("term\twikidata\thow\tnote\ndk:Summit\t-\tnone\t\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=":2: 4 non-empty columns"):
        load_alignment(path)


def test_a_mapping_without_an_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "alignment.tsv"
    path.write_text("term\twikidata\thow\tnote\ndk:State\t-\tinstance-of\tstate\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError, match="ids '-' exactly when it is none"):
        load_alignment(path)


EX = Namespace("http://example.org/")
# A fact reaches some forms only with the other half of its node or place: (term) → the fact
# that completes it, on the term's object (b) or subject (a), naming ex:c.
COMPLETION = {
    "dk:location": (EX.b, DK.country, EX.c),           # an event's country through its place
    "dk:member": (EX.a, DK.organization, EX.c),        # a membership node's organisation
    "dk:hasMembership": (EX.b, DK.organization, EX.c),
    "dk:chair": (EX.a, DK.organization, EX.c),         # a chairmanship node's organisation
    "dk:holdsChairmanship": (EX.b, DK.organization, EX.c),
}


@pytest.fixture(scope="module")
def schema() -> list[tuple]:
    return [*DIPLO, *ALIGNED]


@pytest.mark.parametrize("row", [r for r in ROWS if r.mapped and r.hows != ("exact-match",)],
                         ids=lambda r: r.term)
def test_the_reasoner_gives_the_wikidata_form(schema: list[tuple], row: Alignment) -> None:
    """``a term b`` (``a rdf:type term`` for a class) gives each form of the row between a, b
    and the completion's c, one way or the other."""
    term = _iri(row.term)
    if (term, RDF.type, OWL.Class) in DIPLO:
        fact, nodes = (EX.a, RDF.type, term), {EX.a}
    else:
        value = Literal("2020") if (term, RDF.type, OWL.DatatypeProperty) in DIPLO else EX.b
        fact, nodes = (EX.a, term, value), {EX.a, value, EX.c}
    stated = [fact, *([COMPLETION[row.term]] if row.term in COMPLETION else [])]
    derived = set(closure([*schema, *stated]).inferred) | set(stated)
    for wikidata in map(_iri, row.wikidata):
        if str(wikidata).startswith(WD):
            assert (EX.a, P31, wikidata) in derived, f"{row.where}: no P31 {wikidata}"
        else:
            assert any((s, wikidata, o) in derived for s in nodes for o in nodes if s != o), \
                f"{row.where}: {row.term} gives no {wikidata}"
