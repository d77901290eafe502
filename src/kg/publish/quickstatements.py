"""QuickStatements (v1) lines for the facts Wikidata could take from us, each with its reference.

A line is a wdt: statement between two entities linked to Wikidata (as the OWL 2 RL closure
states it on their wd: IRIs), referenced by every source document whose sentences state it:
S1476 title (or S854 URL) and S813 retrieval date where the source's metadata has them.
Editors review the file before pasting it into the QuickStatements tool.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Dataset, Literal, URIRef

from kg.iris import Iris
from kg.vocab import DCTERMS, DK, OWL, WD, WDT

# A stated fact links the two entities directly, or through one minted node (a Membership …).
_EVIDENCE = """
SELECT DISTINCT ?doc WHERE {
  GRAPH ?g { { ?s ?p ?o } UNION { ?n ?p1 ?s . ?n ?p2 ?o } UNION { ?s ?p1 ?n . ?n ?p2 ?o } }
  ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc .
}"""


def quickstatements(dataset: Dataset, base_iri: str) -> bytes:
    """The statements, one per line, sorted; empty when nothing is linked."""
    ours = Iris(base_iri).entity_space()
    linked: dict[URIRef, list[URIRef]] = defaultdict(list)
    for s, o in dataset.subject_objects(OWL.sameAs):
        if str(s).startswith(ours) and str(o).startswith(str(WD)):
            linked[URIRef(str(o))].append(URIRef(str(s)))
    lines: set[str] = set()
    for s, p, o in dataset.triples((None, None, None)):
        if not (str(p).startswith(str(WDT)) and s in linked and o in linked):
            continue
        if str(p) == str(WDT) + "P31":
            continue  # Wikidata types its items already; ours are coarser
        references = _references(dataset, linked[URIRef(str(s))], linked[URIRef(str(o))])
        statement = f"{_qid(s)}\t{str(p)[len(str(WDT)):]}\t{_qid(o)}"
        for reference in references:
            lines.add(statement + reference)
    return "".join(line + "\n" for line in sorted(lines)).encode("utf-8")


def _qid(term: object) -> str:
    return str(term)[len(str(WD)):]


def _references(dataset: Dataset, subjects: list[URIRef], objects: list[URIRef]) -> list[str]:
    docs: set[URIRef] = set()
    for s in subjects:
        for o in objects:
            for row in dataset.query(_EVIDENCE, initBindings={"s": s, "o": o}):
                doc = row[0]  # type: ignore[index]
                if isinstance(doc, URIRef):
                    docs.add(doc)
    return sorted(_reference(dataset, doc) for doc in docs)


def _reference(dataset: Dataset, doc: URIRef) -> str:
    parts = []
    url = dataset.value(doc, DCTERMS.source)
    title = dataset.value(doc, DCTERMS.title)
    if isinstance(url, Literal) and str(url).startswith(("http://", "https://")):
        parts.append(f'\tS854\t"{url}"')
    elif title is not None:
        parts.append(f'\tS1476\ten:"{_quoted(str(title))}"')
    retrieved = dataset.value(doc, DK.retrieved) or _claimed(dataset, doc, "retrieved")
    if retrieved is not None:
        parts.append(f"\tS813\t+{retrieved}T00:00:00Z/11")
    return "".join(parts)


def _claimed(dataset: Dataset, doc: URIRef, field: str) -> str | None:
    value = dataset.value(URIRef(f"{doc}/metadata/{field}"), DK.claimedValue)
    return str(value) if value is not None else None


def _quoted(text: str) -> str:
    return text.replace('"', "'")
