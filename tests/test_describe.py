"""The Flask-free cores of the pages: descriptions, documents and neighbourhoods."""

from __future__ import annotations

import pytest
from rdflib import Dataset, URIRef

from kg.describe import Describer, Mention, Sentence, as_dataset, reified
from kg.document import read_document, source_ids
from kg.errors import NotFound
from kg.iris import Iris
from kg.neighbourhood import neighbourhood
from kg.serialize import rdf_format, serialize
from kg.vocab import DK, OWL, RDF
from kg.web.links import Linker
from kg.web.neighbourhood_svg import draw

BASE = "https://w3id.org/diplo-kg/"
TURKEY = URIRef(BASE + "id/turkey")
KAZAKHSTAN = URIRef(BASE + "id/kazakhstan")
SOURCE = "turkey-kazakhstan-ulker-interview"


@pytest.fixture(scope="module")
def describer(built: tuple[Dataset, object]) -> Describer:
    return Describer(built[0], Iris(BASE))


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
                        (Mention(4, 29, "uni"), Mention(4, 10, "kz")))
    assert sentence.pieces() == [("the ", None), ("Kazakh-Turkish University",
                                                  Mention(4, 29, "uni"))]


def test_unknown_iri_is_not_found(describer: Describer) -> None:
    with pytest.raises(NotFound):
        describer.describe(URIRef(BASE + "id/atlantis"))


def test_descriptions_serialize_to_the_same_bytes(describer: Describer) -> None:
    def turtle() -> bytes:
        description = describer.describe(TURKEY)
        dataset = reified(as_dataset(description, describer), describer.iris)
        return serialize(dataset, rdf_format("ttl"), BASE)

    assert turtle() == turtle()


def test_neighbourhood_names_entities_first_once_each(describer: Describer) -> None:
    edges = neighbourhood(describer.describe(TURKEY), describer)
    others = [e.other for e in edges]
    assert len(others) == len(set(others))
    assert str(KAZAKHSTAN) in others
    nodes = [("/" in e.other[len(BASE + "id/"):]) for e in edges]
    assert nodes == sorted(nodes), "named entities come before minted nodes"
    svg = draw("Turkey", "State", edges, Linker(BASE).href)
    assert svg.count('class="nb-node"') == len(edges) and 'href="/id/kazakhstan"' in svg


def test_document_reads_back_the_text_with_mentions_and_facts(built: tuple) -> None:
    dataset = built[0]
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
