"""Every research question in queries/*.rq runs on the built dataset and gets its answer.

Each query file starts with three header lines (Question, Expected, Answer columns). EXPECTED
holds, per file, the key columns and the rows they must at least contain, checked by hand against
data/sources/turkey-kazakhstan-ulker-interview.txt. Terms are compared as strings: our IRIs by
their local name (the part after id/, ontology# or source/), other IRIs by their last segment,
literals by their lexical form, unbound values as "".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, URIRef
from rdflib.query import ResultRow

from .helpers import sparql

ROOT = Path(__file__).resolve().parents[1]
QUERY_DIR = ROOT / "queries"
QUERIES = sorted(QUERY_DIR.glob("*.rq"))
SOURCES_DIR = ROOT / "data" / "sources"
INTERVIEW = SOURCES_DIR / "turkey-kazakhstan-ulker-interview.txt"

BASE = "https://w3id.org/diplo-kg/"
OWN_NAMESPACES = (BASE + "id/", "https://w3id.org/diplo-kg/ontology#", BASE + "source/")
WIKIDATA = "http://www.wikidata.org/entity/"
HEADER = (
    re.compile(r"# Question: \S.*\?"),
    re.compile(r"# Expected: \S.*"),
    re.compile(r"# Answer columns: (\w+(?:, \w+)*)"),
)

# The interview's sentences that state facts, verbatim (its no-break spaces included).
S_ANNIVERSARY = (
    "Today marks the 20th anniversary of the establishment of diplomatic relations between "
    "Turkey and Kazakhstan.")
S_RECOGNITION = (
    "Turkey, as the first country to recognize the independence of Kazakhstan, appraises the "
    "progress it had achieved in a relatively short period after its independence and the "
    "consolidation of its respectable position in the international stage.")
S_POLITICAL_PARTNER = (
    "In line with the exemplary level of\xa0 relations between the two countries\xa0 Kazakhstan "
    "has become the most important\xa0 political and economic partner of Turkey in the region.")
S_INTRODUCTION = (
    "Lale Ülker, Ambassador of the Republic of Turkey in the Republic of Kazakhstan tells about "
    "the essence of Turkish-Kazakh relations.")
S_AGREEMENT = (
    "The relations between Turkey and Kazakhstan which gained a new dimension with the Strategic "
    "Cooperation Agreement signed during the visit of His Excellency President Mr. Nazarbayev "
    "to Turkey in 2009 follows an excellent course in all the fields.")
S_ECONOMY = (
    "The economic and trade relations between Turkey and Kazakhstan continue to develop and "
    "diversify.")
S_TRADE_PARTNER = (
    "Kazakhstan is Turkey's most important economic and trade partner in the region.")
S_EDUCATION_CULTURE = (
    "The exemplary cooperation in the fields of education and culture constitutes another "
    "important dimension of our bilateral relations.")
S_STUDENTS = (
    "The Kazakh students receiving education in the Turkish universities both in Turkey and in "
    "Kazakhstan, in Kazakh-Turkish schools in Kazakhstan and the Turkish students studying in "
    "universities in Kazakhstan particularly in International Hodja Ahmet Yesevi Turkish-Kazakh "
    "University constitute the basis of our\xa0 common future.")
S_EURASIA = (
    "Both countries cooperate and exert combined efforts for the establishment of peace and "
    "stability in Eurasia.")
S_ISTANBUL = (
    "As a substantial result of these efforts, Turkic Speaking Countries Cooperation Council, "
    "whose founding father is President Nazarbayev, was institutionalized with the Summit "
    "organized in Istanbul on 15-16 September 2010.")
S_ALMATY = "Cooperation Council's first Summit was successfully held in Almaty on 21 October 2011."
S_CICA = (
    "On the other hand in 2010 Turkey assumed the chairmanship of the Conference on Interaction "
    "and Confidence Building Measures in Asia (CICA) which was founded by President "
    "Nazarbayev's initiative.")
S_ORGANISATIONS = (
    "In addition, Turkey and Kazakhstan actively cooperate within the United Nations, "
    "Organization of Islamic Cooperation, Organization of Security and Cooperation in Europe "
    "and Economic Cooperation Organization.")
SENTENCES = [S_ANNIVERSARY, S_RECOGNITION, S_POLITICAL_PARTNER, S_INTRODUCTION, S_AGREEMENT,
             S_ECONOMY, S_TRADE_PARTNER, S_EDUCATION_CULTURE, S_STUDENTS, S_EURASIA, S_ISTANBUL,
             S_ALMATY, S_CICA, S_ORGANISATIONS]

INTERVIEW_ID = "turkey-kazakhstan-ulker-interview"
RELATION = "diplomatic-relation/kazakhstan-and-turkey_1992"
ISTANBUL_SUMMIT = "summit/istanbul_2010-09-15--2010-09-16"
ALMATY_SUMMIT = "summit/almaty_2011-10-21"
VISIT = "visit/nursultan-nazarbayev_turkey_2009"
OTS = "organization-of-turkic-states"
NAZARBAYEV = "nursultan-nazarbayev"

# file name -> (key columns, rows of those columns the query must at least return)
EXPECTED: dict[str, tuple[tuple[str, ...], set[tuple[str, ...]]]] = {
    "shared-memberships.rq": (("org", "sentence"), {
        ("economic-cooperation-organization", S_ORGANISATIONS),
        ("organisation-of-islamic-cooperation", S_ORGANISATIONS),
        ("osce", S_ORGANISATIONS),
        ("united-nations", S_ORGANISATIONS),
    }),
    "summits.rq": (
        ("summit", "place", "country", "startDate", "endDate", "organizer", "ordinal",
         "institutionalized", "sentence"), {
            # The text does not say whose summit the Istanbul one was.
            (ISTANBUL_SUMMIT, "istanbul", "turkey", "2010-09-15", "2010-09-16", "", "", OTS,
             S_ISTANBUL),
            (ALMATY_SUMMIT, "almaty", "kazakhstan", "2011-10-21", "", OTS, "1", "",
             S_ALMATY),
        }),
    "organisation-founders.rq": (("org", "founder", "statedAs", "sentence"), {
        ("cica", NAZARBAYEV, "foundedOnInitiativeOf", S_CICA),
        (OTS, NAZARBAYEV, "foundedBy", S_ISTANBUL),
    }),
    "cica-chairmanship.rq": (("chair", "since", "chairmanship", "sentence"), {
        ("turkey", "2010", "chairmanship/turkey_cica_2010", S_CICA),
    }),
    "lale-ulker-post.rq": (("post", "kind", "sender", "receiver", "sentence"), {
        ("post/ambassador_lale-ulker", "Ambassador", "turkey", "kazakhstan",
         S_INTRODUCTION),
    }),
    "first-recognition.rq": (("state", "recognition", "sentence"), {
        ("turkey", "recognition/turkey_kazakhstan", S_RECOGNITION),
    }),
    "treaty-signed-during-visit.rq": (
        ("treaty", "visit", "visitor", "destination", "year", "sentence"), {
            ("strategic-cooperation-agreement", VISIT, NAZARBAYEV, "turkey", "2009",
             S_AGREEMENT),
        }),
    "cooperation-fields.rq": (("field", "region", "sentence"), {
        ("economy", "", S_ECONOMY),
        ("trade", "", S_ECONOMY),
        ("education", "", S_EDUCATION_CULTURE),
        ("culture", "", S_EDUCATION_CULTURE),
        ("education", "", S_STUDENTS),
        ("security", "eurasia", S_EURASIA),
    }),
    "partnership-ranking.rq": (("partner", "partnerOf", "rank", "field", "sentence"), {
        ("kazakhstan", "turkey", "most important", "politics", S_POLITICAL_PARTNER),
        ("kazakhstan", "turkey", "most important", "economy", S_POLITICAL_PARTNER),
        ("kazakhstan", "turkey", "most important", "economy", S_TRADE_PARTNER),
        ("kazakhstan", "turkey", "most important", "trade", S_TRADE_PARTNER),
    }),
    "diplomatic-relation.rq": (
        ("relation", "state1", "state2", "relationSentence", "anniversary",
         "anniversarySentence"), {
            (RELATION, "kazakhstan", "turkey", S_ANNIVERSARY, "20", S_ANNIVERSARY),
            (RELATION, "kazakhstan", "turkey", S_INTRODUCTION, "20", S_ANNIVERSARY),
        }),
    "educational-institutions.rq": (
        ("institution", "kind", "place", "sentence", "placeSentence"), {
            ("kazakh-turkish-schools", "School", "kazakhstan", S_STUDENTS, S_STUDENTS),
            ("khoja-akhmet-yassawi-university", "University", "kazakhstan", S_STUDENTS,
             S_STUDENTS),
        }),
    "interview.rq": (
        ("interview", "interviewee", "mainSubject", "intervieweeSentence", "subjectSentence"), {
            (INTERVIEW_ID, "lale-ulker", RELATION, S_INTRODUCTION, S_INTRODUCTION),
        }),
    "interview-metadata.rq": (("interview", "property", "value", "status"), {
        (INTERVIEW_ID, "title", "Turkey and Kazakhstan have similar approaches on many "
         "international and regional issues - Turkish Ambassador Lale Ülker", "observed"),
        (INTERVIEW_ID, "contributor", "Lale Ülker", "observed"),
        (INTERVIEW_ID, "intervieweePost",
         "Ambassador of the Republic of Turkey in the Republic of Kazakhstan", "observed"),
        (INTERVIEW_ID, "language", "en", "observed"),
        (INTERVIEW_ID, "publisher", "eurodialogue.eu", "observed"),
        (INTERVIEW_ID, "source", "shared/corpus/turkey-kazakhstan-ulker-interview.txt",
         "observed"),
        (INTERVIEW_ID, "date", "2012-03-02", "inferred"),
    }),
    "stated-facts.rq": (("document", "pattern", "sentence"), {
        (INTERVIEW_ID, pattern, sentence) for pattern, sentence in [
            ("anniversary-of-relations", S_ANNIVERSARY),
            ("diplomatic-relations-between", S_ANNIVERSARY),
            ("first-to-recognize", S_RECOGNITION),
            ("most-important-partner-of", S_POLITICAL_PARTNER),
            ("interview-about-relations", S_INTRODUCTION),
            ("post-holder", S_INTRODUCTION),
            ("relations-between-with-treaty", S_AGREEMENT),
            ("treaty-by-name", S_AGREEMENT),
            ("treaty-signed-during-visit", S_AGREEMENT),
            ("field-relations-between", S_ECONOMY),
            ("possessive-partner", S_TRADE_PARTNER),
            ("cooperation-in-fields", S_EDUCATION_CULTURE),
            ("education-through-institutions", S_STUDENTS),
            ("institution-in-state", S_STUDENTS),
            ("schools-of-two-states", S_STUDENTS),
            ("universities-in-state-particularly", S_STUDENTS),
            ("cooperate-for-region", S_EURASIA),
            ("institutionalized-at-summit", S_ISTANBUL),
            ("whose-founding-father", S_ISTANBUL),
            ("body-summit-held", S_ALMATY),
            ("assumed-chairmanship", S_CICA),
            ("founded-on-initiative", S_CICA),
            ("cooperate-within-organizations", S_ORGANISATIONS),
        ]
    }),
    "wikidata-links.rq": (("entity", "wikidataId"), {
        ("almaty", "Q35493"),
        ("economic-cooperation-organization", "Q225950"),
        ("eurasia", "Q5401"),
        ("istanbul", "Q406"),
        ("kazakhstan", "Q232"),
        (NAZARBAYEV, "Q57394"),
        ("organisation-of-islamic-cooperation", "Q47543"),
        (OTS, "Q596850"),
        ("osce", "Q81299"),
        ("turkey", "Q43"),
        ("united-nations", "Q1065"),
    }),
    "timeline.rq": (("date", "event", "dateProperty", "sentence"), {
        ("2009", "strategic-cooperation-agreement", "date", S_AGREEMENT),
        ("2009", VISIT, "startDate", S_AGREEMENT),
        ("2010", "chairmanship/turkey_cica_2010", "startDate", S_CICA),
        ("2010-09-15", ISTANBUL_SUMMIT, "startDate", S_ISTANBUL),
        ("2011-10-21", ALMATY_SUMMIT, "startDate", S_ALMATY),
    }),
    # PLOVER events: the interview reports no sanctions (tests/test_event_rules.py asks these
    # queries over a news text that does); its recognition is a SUPPORT, its visit and summits
    # CONSULTs, all verbal cooperation.
    "sanctions-by-state.rq": (("target", "date", "sentence"), set()),
    "events-between-states.rq": (("type", "source", "target", "sentence"), {
        ("SUPPORT", "turkey", "kazakhstan", S_RECOGNITION),
    }),
    "cooperation-conflict-by-year.rq": (("year", "quad", "events"), {
        ("2009", "VerbalCooperation", "1"),
        ("2010", "VerbalCooperation", "1"),
        ("2011", "VerbalCooperation", "1"),
    }),
}

Rows = list[dict[str, Any]]
Answer = tuple[list[str], Rows]
Ask = Callable[[str], Answer]


@pytest.fixture(scope="module")
def dataset(built: tuple[Dataset, object]) -> Dataset:
    """The session's dataset built from data/sources/ (conftest.py; KG_* variables ignored)."""
    return built[0]


@pytest.fixture(scope="module")
def ask(dataset: Dataset) -> Ask:
    """Each query's answer (columns, rows of column -> term), computed once on first use."""
    cache: dict[str, Answer] = {}

    def ask(name: str) -> Answer:
        if name not in cache:
            cache[name] = answer(dataset, QUERY_DIR / name)
        return cache[name]

    return ask


def answer(dataset: Dataset, path: Path) -> Answer:
    result = sparql(dataset, path.read_text(encoding="utf-8"))
    assert result.type == "SELECT", f"{path.name}: not a SELECT query"
    columns = [str(v) for v in result.vars or []]
    rows: Rows = []
    for row in result:
        assert isinstance(row, ResultRow)
        rows.append(dict(zip(columns, row, strict=True)))
    return columns, rows


def text_of(term: Any) -> str:
    """A term as a comparable string (see the module docstring)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        for namespace in OWN_NAMESPACES:
            if iri.startswith(namespace):
                return iri[len(namespace):]
        return re.split(r"[/#]", iri.rstrip("/#"))[-1]
    return str(term)


def header(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[:3]


def announced_columns(path: Path) -> list[str]:
    """The columns the header's 'Answer columns' line names ([] if it is malformed)."""
    lines = header(path)
    match = HEADER[2].fullmatch(lines[2]) if len(lines) == 3 else None
    return match.group(1).split(", ") if match else []


def sentence_columns(columns: list[str]) -> list[str]:
    return [c for c in columns if c.lower().endswith("sentence")]


def source_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SOURCES_DIR.glob("*.txt"))}


def ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def test_there_are_enough_queries() -> None:
    assert len(QUERIES) >= 14, [p.name for p in QUERIES]


def test_expected_has_no_stale_entries() -> None:
    assert set(EXPECTED) <= {p.name for p in QUERIES}


def test_expected_sentences_are_verbatim_in_the_interview() -> None:
    text = INTERVIEW.read_text(encoding="utf-8")
    for sentence in SENTENCES:
        assert sentence in text, sentence


@pytest.mark.parametrize("path", QUERIES, ids=ids(QUERIES))
def test_header(path: Path) -> None:
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*\.rq", path.name), "use kebab-case file names"
    lines = header(path)
    assert len(lines) == 3, f"{path.name}: needs the three header lines"
    for pattern, line in zip(HEADER, lines, strict=True):
        assert pattern.fullmatch(line), f"{path.name}: header line {line!r} is not {pattern}"


@pytest.mark.parametrize("path", QUERIES, ids=ids(QUERIES))
def test_query_is_ordered(path: Path) -> None:
    body = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("#"))
    assert re.search(r"\bORDER\s+BY\b", body, re.IGNORECASE), f"{path.name}: add ORDER BY"


@pytest.mark.parametrize("path", QUERIES, ids=ids(QUERIES))
def test_answer(path: Path, ask: Ask) -> None:
    assert path.name in EXPECTED, f"{path.name}: add its expected rows to EXPECTED"
    columns, rows = ask(path.name)
    assert columns == announced_columns(path), f"{path.name}: header vs SELECT columns"
    key_columns, expected = EXPECTED[path.name]
    assert set(key_columns) <= set(columns), f"{path.name}: key columns not selected"
    got = {tuple(text_of(row[c]) for c in key_columns) for row in rows}
    missing = expected - got
    assert not missing, f"{path.name}: missing rows {sorted(missing)}; got {sorted(got)}"


@pytest.mark.parametrize("path", QUERIES, ids=ids(QUERIES))
def test_answer_is_deterministic(path: Path, dataset: Dataset, ask: Ask) -> None:
    assert answer(dataset, path) == ask(path.name)


@pytest.mark.parametrize("path", QUERIES, ids=ids(QUERIES))
def test_only_own_iris(path: Path, ask: Ask) -> None:
    """owl:sameAs copies every fact onto Wikidata IRIs: queries must keep only ours."""
    columns, rows = ask(path.name)
    for row in rows:
        for column in columns:
            if column != "wikidata" and isinstance(row[column], URIRef):
                assert not str(row[column]).startswith(WIKIDATA), (path.name, column, row)


SENTENCE_QUERIES = [p for p in QUERIES if sentence_columns(announced_columns(p))]


@pytest.mark.parametrize("path", SENTENCE_QUERIES, ids=ids(SENTENCE_QUERIES))
def test_every_answer_has_its_verbatim_sentence(path: Path, ask: Ask) -> None:
    """The first *sentence column is bound in every row; all *sentence values are verbatim."""
    columns, rows = ask(path.name)
    texts = list(source_texts().values())
    first, *others = sentence_columns(columns)
    # a question the interview does not answer (no sanctions) expects no rows; its sentences
    # are checked on a news text that answers it (test_event_rules.py)
    assert rows or not EXPECTED[path.name][1], f"{path.name}: no answer"
    for row in rows:
        assert row[first] is not None, f"{path.name}: a row without its sentence: {row}"
        for column in (first, *others):
            if row[column] is not None:
                sentence = str(row[column])
                assert sentence.strip() == sentence and sentence, (path.name, sentence)
                assert any(sentence in text for text in texts), (path.name, sentence)


def test_stated_facts_cover_every_fact_graph_at_its_offset(dataset: Dataset, ask: Ask) -> None:
    _, rows = ask("stated-facts.rq")
    texts = source_texts()
    for row in rows:
        text = texts[text_of(row["document"])]
        begin = int(row["begin"])
        assert text[begin:begin + len(str(row["sentence"]))] == str(row["sentence"]), row
    fact_graphs = [g for g in dataset.graphs()
                   if str(g.identifier).startswith(BASE + "graph/fact/")]
    assert len(rows) == sum(len(g) for g in fact_graphs)


def test_timeline_is_chronological(ask: Ask) -> None:
    _, rows = ask("timeline.rq")
    dates = [str(row["date"]) for row in rows]
    assert dates == sorted(dates)
