"""Every question of queries/*.rq asked in Wikidata's vocabulary (its twin in queries/wikidata/)
gets the same answers from the built graph: the alignment leaves no question behind.

A question needs a twin when it uses a term that has a Wikidata form of its own (the alignment
table, ontology/wikidata-alignment.tsv); a twin asks something of wdt: and keeps in its triple
patterns (as predicates or classes) only terms without a form of their own.
"""

from __future__ import annotations

import urllib.request
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from rdflib import Dataset, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result

from kg.publish.alignment import load_alignment
from kg.vocab import DK

from .helpers import sparql

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
TWINS = ROOT / "queries" / "wikidata"
WIKIDATA = ("http://www.wikidata.org/prop/direct/", "http://www.wikidata.org/entity/")
# Terms with a form of their own; a term reached only through a broader one ("via": a node's
# dk:chair, say) has none to use in its place.
DIRECT = {URIRef(str(DK) + row.term.removeprefix("dk:"))
          for row in load_alignment(ROOT / "ontology" / "wikidata-alignment.tsv")
          if row.mapped and row.hows != ("via",)}


def _pattern_terms(text: str) -> set[URIRef]:
    """The IRIs a query uses as predicates or as classes (objects of rdf:type)."""
    found: set[URIRef] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples":
                    for _, p, o in value:
                        found.update(t for t in (p, o if p == RDF.type else None)
                                     if isinstance(t, URIRef))
                else:
                    walk(value)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(prepareQuery(text).algebra)
    return found


def _answers(dataset: Dataset, text: str) -> tuple[list[str], set[tuple[str, ...]]]:
    return _rows(sparql(dataset, text))


def _rows(result: Result) -> tuple[list[str], set[tuple[str, ...]]]:
    names = [str(v) for v in result.vars or []]
    return names, {tuple(row[n].n3() if row[n] is not None else "" for n in names)
                   for row in result}


@pytest.fixture(scope="module")
def dataset(built) -> Dataset:
    return built[0]


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_a_question_and_its_twin_get_the_same_answers(dataset: Dataset, news, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if not _answers(dataset, text)[1]:  # a question about events the interview does not state
        dataset = news[0]               # (sanctions): asked of the news text written for them
    twin = TWINS / path.name
    if not twin.exists():
        needed = sorted(str(t) for t in _pattern_terms(text) & DIRECT)
        assert needed == [], f"{path.name} uses terms with a Wikidata form but has no twin"
        return
    twin_terms = _pattern_terms(twin_text := twin.read_text(encoding="utf-8"))
    kept = sorted(str(t) for t in twin_terms & DIRECT)
    assert kept == [], f"the twin still uses terms that have a Wikidata form: {kept}"
    assert any(str(t).startswith(WIKIDATA) for t in twin_terms), "the twin asks nothing of wdt:"
    names, rows = _answers(dataset, text)
    twin_names, twin_rows = _answers(dataset, twin_text)
    assert rows, f"{path.name} has no answer to compare"
    assert (twin_names, twin_rows) == (names, rows)


def test_every_twin_has_its_question() -> None:
    twins = {p.name for p in TWINS.glob("*.rq")}
    assert len(twins) >= 10 and twins <= {p.name for p in QUERIES}


def _served(base: str, text: str) -> tuple[list[str], set[tuple[str, ...]]]:
    request = urllib.request.Request(
        f"{base}/sparql", data=urlencode({"query": text}).encode(),
        headers={"Accept": "application/sparql-results+json",
                 "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return _rows(Result.parse(BytesIO(response.read()), format="json"))


# Questions about events the interview does not state (the served graph): their twins are
# compared on the news text by the test above, and here only shown to have nothing to answer.
NEWS_ONLY = {"sanctions-by-state.rq"}


@pytest.mark.parametrize("twin", sorted(t for t in TWINS.glob("*.rq") if t.name not in NEWS_ONLY),
                         ids=lambda p: p.name)
def test_the_default_store_gives_a_twin_the_same_answers(live_server: str, twin: Path) -> None:
    """The same on the server's default store (Oxigraph), whose engine is not rdflib's."""
    original = (ROOT / "queries" / twin.name).read_text(encoding="utf-8")
    names, rows = _served(live_server, original)
    assert rows and _served(live_server, twin.read_text(encoding="utf-8")) == (names, rows)


@pytest.mark.parametrize("name", sorted(NEWS_ONLY))
def test_questions_left_to_the_news_text_have_no_answer_on_the_interview(live_server: str,
                                                                         name: str) -> None:
    original = (ROOT / "queries" / name).read_text(encoding="utf-8")
    assert _served(live_server, original)[1] == set()
    assert (TWINS / name).exists()
