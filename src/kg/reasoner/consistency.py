"""The OWL 2 RL rules whose head is 'false', checked once on the finished closure.

owlrl writes each violation into the graph as a blank node of type err:ErrorMessage; both
engines here report them as messages instead (ClosureResult.inconsistencies), so the inferred
graph holds only entailed triples. Checked: cls-nothing2, cax-dw, cls-com, cax-adc, prp-irp,
prp-asyp, prp-pdw, eq-diff1, cls-maxc1 and dt-not-type; not (yet): prp-adp, prp-npa1/2,
eq-diff2/3, cls-maxqc1/2.
"""

from __future__ import annotations

from owlrl.DatatypeHandling import AltXSDToPYTHON
from rdflib import Literal, URIRef
from rdflib.namespace import OWL

from kg.reasoner.compiled import rdf_list
from kg.reasoner.index import TripleStore
from kg.reasoner.terms import LITERAL, TYPE, TermDictionary

_CONVERTERS = AltXSDToPYTHON

COMPLEMENT_OF_IRI = OWL.complementOf


def inconsistencies(store: TripleStore, terms: TermDictionary) -> tuple[str, ...]:
    def name(term_id: int) -> str:
        return terms.decode(term_id).n3()

    def known(term: URIRef) -> int | None:
        return terms.lookup(term)

    found: list[str] = []
    nothing = known(OWL.Nothing)
    if nothing is not None:
        for x in store.subjects(TYPE, nothing):
            # RULE cls-nothing2
            found.append(f"cls-nothing2: {name(x)} is of type owl:Nothing")
    for axiom, rule in ((known(OWL.disjointWith), "cax-dw"), (known(COMPLEMENT_OF_IRI), "cls-com")):
        if axiom is None:
            continue
        for c1, c2 in store.pairs(axiom):
            # RULE cax-dw, cls-com
            for x in store.subjects(TYPE, c1) & store.subjects(TYPE, c2):
                found.append(f"{rule}: {name(x)} is in both {name(c1)} and {name(c2)}")
    all_disjoint, members = known(OWL.AllDisjointClasses), known(OWL.members)
    if all_disjoint is not None and members is not None:
        for axiom in store.subjects(TYPE, all_disjoint):
            for head in store.objects(axiom, members):
                classes = rdf_list(store, head)
                for i, c1 in enumerate(classes):
                    for c2 in classes[i + 1:]:
                        # RULE cax-adc
                        for x in store.subjects(TYPE, c1) & store.subjects(TYPE, c2):
                            found.append(f"cax-adc: {name(x)} is in both {name(c1)} and {name(c2)}")
    for characteristic, rule in ((known(OWL.IrreflexiveProperty), "prp-irp"),
                                 (known(OWL.AsymmetricProperty), "prp-asyp")):
        if characteristic is None:
            continue
        for p in store.subjects(TYPE, characteristic):
            for x, y in store.pairs(p):
                if (rule == "prp-irp" and x == y) or (rule == "prp-asyp" and (y, p, x) in store):
                    # RULE prp-irp, prp-asyp
                    found.append(f"{rule}: {name(x)} {name(p)} {name(y)}")
    disjoint = known(OWL.propertyDisjointWith)
    if disjoint is not None:
        for p1, p2 in store.pairs(disjoint):
            for x, y in store.pairs(p1):
                if (x, p2, y) in store:
                    # RULE prp-pdw
                    found.append(f"prp-pdw: {name(x)} {name(p1)}/{name(p2)} {name(y)}")
    same, different = known(OWL.sameAs), known(OWL.differentFrom)
    if same is not None and different is not None:
        for x, y in store.pairs(different):
            if (x, same, y) in store:
                # RULE eq-diff1
                found.append(f"eq-diff1: {name(x)} is the same as and different from {name(y)}")
    for r, n in store.pairs(known(OWL.maxCardinality) or -1):
        term = terms.decode(n)
        on = known(OWL.onProperty)
        if isinstance(term, Literal) and term.value == 0 and on is not None:
            for p in store.objects(r, on):
                for x in store.subjects(TYPE, r):
                    if store.objects(x, p):
                        # RULE cls-maxc1
                        found.append(f"cls-maxc1: {name(x)} has a {name(p)} but may have none")
    for term_id, kind in enumerate(terms.kinds):
        if kind != LITERAL:
            continue
        term = terms.decode(term_id)
        if isinstance(term, Literal) and term.datatype in _CONVERTERS:
            try:
                _CONVERTERS[term.datatype](str(term))
            except ValueError:
                # RULE dt-not-type (owlrl's reading: the lexical form does not parse)
                found.append(f"dt-not-type: {term.n3()} is not a valid {term.datatype}")
    return tuple(dict.fromkeys(found))
