"""The Flask-free cores of the pages: descriptions, documents and neighbourhoods."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from kg.dataset.reader import DatasetReader
from kg.dataset.serialize import serialize
from kg.errors import NotFound
from kg.formats import rdf_format
from kg.iris import Iris
from kg.views.describe import Describer, Sentence, SentenceMention, as_dataset, reified
from kg.views.document import read_document, source_ids
from kg.views.neighbourhood import neighbourhood
from kg.vocab import DK, OWL, RDF
from kg.web.draw.neighbourhood_svg import draw
from kg.web.links import Linker

from .helpers import ROOT

BASE = "https://w3id.org/diplo-kg/"
TURKEY = URIRef(BASE + "id/turkey")
KAZAKHSTAN = URIRef(BASE + "id/kazakhstan")
SOURCE = "turkey-kazakhstan-ulker-interview"


@pytest.fixture(scope="module")
def describer(built: tuple[Dataset, object]) -> Describer:
    return Describer(DatasetReader(built[0]), Iris(BASE))


def test_stated_and_inferred_are_apart(describer: Describer) -> None:
    turkey = describer.describe(TURKEY)
    stated = {f.triple for f in turkey.stated}
    inferred = {f.triple for f in turkey.inferred}
    assert (TURKEY, DK.hasDiplomaticRelationWith, KAZAKHSTAN) in stated
    assert (KAZAKHSTAN, DK.hasDiplomaticRelationWith, TURKEY) in inferred
    assert not stated & inferred
    assert (TURKEY, RDF.type, OWL.Thing) not in inferred  # closure noise is left out
    assert turkey.label == "Turkey" and str(turkey.wikidata[0]).endswith("/Q43")


def test_a_stated_fact_carries_its_sentence_and_mentions(describer: Describer) -> None:
    turkey = describer.describe(TURKEY)
    fact = next(f for f in turkey.stated
                if f.triple == (TURKEY, DK.hasDiplomaticRelationWith, KAZAKHSTAN))
    sentence = fact.sentences[0]
    assert sentence.text.startswith("Today marks the 20th anniversary")
    marked = {(text, mention.entity) for text, mention in sentence.pieces() if mention}
    assert marked == {("Turkey", str(TURKEY)), ("Kazakhstan", str(KAZAKHSTAN))}
    assert "".join(text for text, _ in sentence.pieces()) == sentence.text
    assert len(turkey.mentioned_in) > 10
    assert all(any(m.entity == str(TURKEY) for m in s.mentions) for s in turkey.mentioned_in)


def test_nested_mentions_mark_the_outer_one() -> None:
    sentence = Sentence("s", "the Kazakh-Turkish University", "d", 0,
                        (SentenceMention(4, 29, "uni"), SentenceMention(4, 10, "kz")))
    assert sentence.pieces() == [("the ", None), ("Kazakh-Turkish University",
                                                  SentenceMention(4, 29, "uni"))]


def test_unknown_iri_is_not_found(describer: Describer) -> None:
    with pytest.raises(NotFound):
        describer.describe(URIRef(BASE + "id/atlantis"))


def description_turtle(describer: Describer) -> bytes:
    description = describer.describe(TURKEY)
    dataset = reified(as_dataset(description, describer), describer.iris)
    return serialize(dataset, rdf_format("ttl"), BASE)


# The same description in a fresh interpreter, from the dataset file, under a given hash seed.
IN_ANOTHER_PROCESS = f"""
import sys
from pathlib import Path
from kg.dataset.io import load_dataset
from kg.dataset.reader import DatasetReader
from kg.iris import Iris
from tests.test_describe import Describer, description_turtle
describer = Describer(DatasetReader(load_dataset(Path(sys.argv[1]))), Iris({BASE!r}))
sys.stdout.buffer.write(description_turtle(describer))
"""


@pytest.mark.slow
def test_descriptions_serialize_to_the_same_bytes(describer: Describer, built_file: Path) -> None:
    """The bytes do not depend on the process: two interpreters with different hash seeds
    (set and string order differ between them) and this one all write the same Turtle."""

    def elsewhere(seed: str) -> bytes:
        result = subprocess.run([sys.executable, "-c", IN_ANOTHER_PROCESS, str(built_file)],
                                cwd=ROOT, capture_output=True, timeout=120, check=False,
                                env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr.decode()
        return result.stdout

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(elsewhere, ("1", "2"))
    here = description_turtle(describer)
    assert b"id/turkey" in here
    assert first == second == here


def test_neighbourhood_names_entities_first_once_each(describer: Describer) -> None:
    edges = neighbourhood(describer.describe(TURKEY), describer, describer.labels())
    others = [e.other for e in edges]
    assert len(others) == len(set(others))
    assert str(KAZAKHSTAN) in others
    nodes = [("/" in e.other[len(BASE + "id/"):]) for e in edges]
    assert nodes == sorted(nodes), "named entities come before minted nodes"
    svg = draw("Turkey", "State", edges, Linker(BASE).href)
    assert svg.count('class="nb-node"') == len(edges) and 'href="/id/kazakhstan"' in svg


def test_document_reads_back_the_text_with_mentions_and_facts(built: tuple) -> None:
    dataset = DatasetReader(built[0])
    assert [sid for sid, _ in source_ids(dataset, Iris(BASE))] == [SOURCE]
    document = read_document(dataset, Iris(BASE), SOURCE)
    lines = [line for line in document.text.split("\n") if line.strip()]
    rebuilt = ["".join(seg.text for _, segments in paragraph for seg in segments)
               for paragraph in document.paragraphs()]
    assert rebuilt == lines  # nothing lost or doubled
    assert document.fact_count == sum(1 for _ in document.sentences for _ in _.facts)
    assert document.fact_count > 100 and len(document.mentions) > 50
    with pytest.raises(NotFound):
        read_document(dataset, Iris(BASE), "no-such-source")
