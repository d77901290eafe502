"""Extraction: each pattern on its sentence of the interview and on sentences about other
states; the gold set of the interview's facts; document-level references ('both countries')."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.extract.model import DocumentRef, EntityRef, NodeRef, Term
from kg.sources import read_source

from .helpers import INTERVIEW, ROOT, make_source

GOLD = ROOT / "tests" / "data" / "interview-gold.txt"


def compact(term: Term) -> str:
    """Entities by key, minted nodes as Class:key, ontology terms by local name."""
    if isinstance(term, EntityRef):
        return term.key.split("#")[-1] if term.is_concept else term.key
    if isinstance(term, NodeRef):
        return f"{term.cls}:{'_'.join(term.key)}"
    if isinstance(term, DocumentRef):
        return "document"
    text = str(term)
    return text.split("#")[-1] if text.startswith("http") else text


def facts_of(extraction, pattern_id: str | None = None) -> set[str]:
    return {" ".join(compact(t) for t in triple)
            for graph in extraction.facts if pattern_id in (None, graph.pattern_id)
            for triple in graph.triples if not str(triple[1]).endswith("#label")}


CASES = [
    ('diplomatic-relations-between',
     'Today marks the 20th anniversary of the establishment of diplomatic relations between Turkey and Kazakhstan.',
     {
         'DiplomaticRelation:kazakhstan-and-turkey party kazakhstan',
         'DiplomaticRelation:kazakhstan-and-turkey party turkey',
         'DiplomaticRelation:kazakhstan-and-turkey type DiplomaticRelation',
         'kazakhstan hasDiplomaticRelationWith turkey',
         'turkey hasDiplomaticRelationWith kazakhstan',
     }),
    ('diplomatic-relations-between',
     'Brazil and Argentina celebrate the diplomatic relations between Brazil and Argentina.',
     {
         'DiplomaticRelation:argentina-and-brazil party argentina',
         'DiplomaticRelation:argentina-and-brazil party brazil',
         'DiplomaticRelation:argentina-and-brazil type DiplomaticRelation',
         'argentina hasDiplomaticRelationWith brazil',
         'brazil hasDiplomaticRelationWith argentina',
     }),
    ('anniversary-of-relations',
     'Today marks the 20th anniversary of the establishment of diplomatic relations between Turkey and Kazakhstan.',
     {
         'DiplomaticRelation:kazakhstan-and-turkey anniversary 20',
         'DiplomaticRelation:kazakhstan-and-turkey type DiplomaticRelation',
     }),
    ('anniversary-of-relations',
     'This year Japan and South Korea celebrated the 60th anniversary of diplomatic relations between Japan and South Korea.',
     {
         'DiplomaticRelation:japan-and-south-korea anniversary 60',
         'DiplomaticRelation:japan-and-south-korea type DiplomaticRelation',
     }),
    ('established-diplomatic-relations',
     'France and Germany established diplomatic relations on 22 January 1963.',
     {
         'DiplomaticRelation:france-and-germany party france',
         'DiplomaticRelation:france-and-germany party germany',
         'DiplomaticRelation:france-and-germany startDate 1963-01-22',
         'DiplomaticRelation:france-and-germany type DiplomaticRelation',
         'france hasDiplomaticRelationWith germany',
         'germany hasDiplomaticRelationWith france',
     }),
    ('interview-about-relations',
     'Lale Ülker, Ambassador of the Republic of Turkey in the Republic of Kazakhstan tells about the essence of Turkish-Kazakh relations.',
     {
         'DiplomaticRelation:kazakhstan-and-turkey party kazakhstan',
         'DiplomaticRelation:kazakhstan-and-turkey party turkey',
         'DiplomaticRelation:kazakhstan-and-turkey type DiplomaticRelation',
         'document interviewee lale-ulker',
         'document mainSubject DiplomaticRelation:kazakhstan-and-turkey',
     }),
    ('interview-about-relations',
     'Jan Kowalski, Ambassador of the Republic of Poland in the Republic of Lithuania talks about Polish-Lithuanian relations.',
     {
         'DiplomaticRelation:lithuania-and-poland party lithuania',
         'DiplomaticRelation:lithuania-and-poland party poland',
         'DiplomaticRelation:lithuania-and-poland type DiplomaticRelation',
         'document interviewee jan-kowalski',
         'document mainSubject DiplomaticRelation:lithuania-and-poland',
     }),
    ('first-to-recognize',
     'Turkey, as the first country to recognize the independence of Kazakhstan, appraises the progress it had achieved.',
     {
         'Recognition:turkey_kazakhstan firstRecognition true',
         'Recognition:turkey_kazakhstan recognizedState kazakhstan',
         'Recognition:turkey_kazakhstan recognizingState turkey',
         'Recognition:turkey_kazakhstan type Recognition',
     }),
    ('first-to-recognize',
     'Iceland was the first country to recognize the independence of Lithuania.',
     {
         'Recognition:iceland_lithuania firstRecognition true',
         'Recognition:iceland_lithuania recognizedState lithuania',
         'Recognition:iceland_lithuania recognizingState iceland',
         'Recognition:iceland_lithuania type Recognition',
     }),
    ('recognized-independence',
     'Germany recognized the independence of Slovenia on 23 December 1991.',
     {
         'Recognition:germany_slovenia date 1991-12-23',
         'Recognition:germany_slovenia recognizedState slovenia',
         'Recognition:germany_slovenia recognizingState germany',
         'Recognition:germany_slovenia type Recognition',
     }),
    ('most-important-partner-of',
     'In line with the exemplary level of  relations between the two countries  Kazakhstan has become the most important  political and economic partner of Turkey in the region.',
     {
         'Partnership:kazakhstan_turkey field economy',
         'Partnership:kazakhstan_turkey field politics',
         'Partnership:kazakhstan_turkey partner kazakhstan',
         'Partnership:kazakhstan_turkey partnerOf turkey',
         'Partnership:kazakhstan_turkey rank most important',
         'Partnership:kazakhstan_turkey type Partnership',
     }),
    ('most-important-partner-of',
     'Mexico remains the largest trade partner of the United States.',
     {
         'Partnership:mexico_united-states field trade',
         'Partnership:mexico_united-states partner mexico',
         'Partnership:mexico_united-states partnerOf united-states',
         'Partnership:mexico_united-states rank largest',
         'Partnership:mexico_united-states type Partnership',
     }),
    ('possessive-partner',
     "Kazakhstan is Turkey's most important economic and trade partner in the region.",
     {
         'Partnership:kazakhstan_turkey field economy',
         'Partnership:kazakhstan_turkey field trade',
         'Partnership:kazakhstan_turkey partner kazakhstan',
         'Partnership:kazakhstan_turkey partnerOf turkey',
         'Partnership:kazakhstan_turkey rank most important',
         'Partnership:kazakhstan_turkey type Partnership',
     }),
    ('possessive-partner',
     "China is Brazil's biggest trade partner.",
     {
         'Partnership:china_brazil field trade',
         'Partnership:china_brazil partner china',
         'Partnership:china_brazil partnerOf brazil',
         'Partnership:china_brazil rank biggest',
         'Partnership:china_brazil type Partnership',
     }),
    ('field-relations-between',
     'The economic and trade relations between Turkey and Kazakhstan continue to develop and diversify.',
     {
         'Cooperation:kazakhstan-and-turkey field economy',
         'Cooperation:kazakhstan-and-turkey field trade',
         'Cooperation:kazakhstan-and-turkey party kazakhstan',
         'Cooperation:kazakhstan-and-turkey party turkey',
         'Cooperation:kazakhstan-and-turkey type Cooperation',
     }),
    ('field-relations-between',
     'The cultural relations between Italy and Albania are old.',
     {
         'Cooperation:albania-and-italy field culture',
         'Cooperation:albania-and-italy party albania',
         'Cooperation:albania-and-italy party italy',
         'Cooperation:albania-and-italy type Cooperation',
     }),
    ('cooperation-in-fields',
     'Vietnam and Laos praised the cooperation in the field of education between the two countries.',
     {
         'Cooperation:laos-and-vietnam field education',
         'Cooperation:laos-and-vietnam party laos',
         'Cooperation:laos-and-vietnam party vietnam',
         'Cooperation:laos-and-vietnam type Cooperation',
     }),
    ('cooperation-between-in-fields',
     'Cooperation between Poland and Lithuania in the fields of culture and education is growing.',
     {
         'Cooperation:lithuania-and-poland field culture',
         'Cooperation:lithuania-and-poland field education',
         'Cooperation:lithuania-and-poland party lithuania',
         'Cooperation:lithuania-and-poland party poland',
         'Cooperation:lithuania-and-poland type Cooperation',
     }),
    ('cooperate-for-region',
     'Kenya and Ethiopia cooperate closely for peace and stability in Africa.',
     {
         'Cooperation:ethiopia-and-kenya field security',
         'Cooperation:ethiopia-and-kenya party ethiopia',
         'Cooperation:ethiopia-and-kenya party kenya',
         'Cooperation:ethiopia-and-kenya region africa',
         'Cooperation:ethiopia-and-kenya type Cooperation',
     }),
    ('institution-in-state',
     'Students study in Kazakh-Turkish schools in Kazakhstan.',
     {
         'kazakh-turkish-schools locatedIn kazakhstan',
     }),
    ('universities-in-state-particularly',
     'Turkish students study in universities in Kazakhstan particularly in International Hodja Ahmet Yesevi Turkish-Kazakh University.',
     {
         'khoja-akhmet-yassawi-university locatedIn kazakhstan',
     }),
    ('cooperate-within-organizations',
     'In addition, Turkey and Kazakhstan actively cooperate within the United Nations, Organization of Islamic Cooperation, Organization of Security and Cooperation in Europe and Economic Cooperation Organization.',
     {
         'Cooperation:kazakhstan-and-turkey party kazakhstan',
         'Cooperation:kazakhstan-and-turkey party turkey',
         'Cooperation:kazakhstan-and-turkey type Cooperation',
         'Cooperation:kazakhstan-and-turkey withinOrganization economic-cooperation-organization',
         'Cooperation:kazakhstan-and-turkey withinOrganization organisation-of-islamic-cooperation',
         'Cooperation:kazakhstan-and-turkey withinOrganization osce',
         'Cooperation:kazakhstan-and-turkey withinOrganization united-nations',
         'Membership:kazakhstan_economic-cooperation-organization member kazakhstan',
         'Membership:kazakhstan_economic-cooperation-organization organization economic-cooperation-organization',
         'Membership:kazakhstan_economic-cooperation-organization type Membership',
         'Membership:kazakhstan_organisation-of-islamic-cooperation member kazakhstan',
         'Membership:kazakhstan_organisation-of-islamic-cooperation organization organisation-of-islamic-cooperation',
         'Membership:kazakhstan_organisation-of-islamic-cooperation type Membership',
         'Membership:kazakhstan_osce member kazakhstan',
         'Membership:kazakhstan_osce organization osce',
         'Membership:kazakhstan_osce type Membership',
         'Membership:kazakhstan_united-nations member kazakhstan',
         'Membership:kazakhstan_united-nations organization united-nations',
         'Membership:kazakhstan_united-nations type Membership',
         'Membership:turkey_economic-cooperation-organization member turkey',
         'Membership:turkey_economic-cooperation-organization organization economic-cooperation-organization',
         'Membership:turkey_economic-cooperation-organization type Membership',
         'Membership:turkey_organisation-of-islamic-cooperation member turkey',
         'Membership:turkey_organisation-of-islamic-cooperation organization organisation-of-islamic-cooperation',
         'Membership:turkey_organisation-of-islamic-cooperation type Membership',
         'Membership:turkey_osce member turkey',
         'Membership:turkey_osce organization osce',
         'Membership:turkey_osce type Membership',
         'Membership:turkey_united-nations member turkey',
         'Membership:turkey_united-nations organization united-nations',
         'Membership:turkey_united-nations type Membership',
     }),
    ('cooperate-within-organizations',
     'Norway and Sweden cooperate within the Nordic Council and the United Nations.',
     {
         'Cooperation:norway-and-sweden party norway',
         'Cooperation:norway-and-sweden party sweden',
         'Cooperation:norway-and-sweden type Cooperation',
         'Cooperation:norway-and-sweden withinOrganization nordic-council',
         'Cooperation:norway-and-sweden withinOrganization united-nations',
         'Membership:norway_nordic-council member norway',
         'Membership:norway_nordic-council organization nordic-council',
         'Membership:norway_nordic-council type Membership',
         'Membership:norway_united-nations member norway',
         'Membership:norway_united-nations organization united-nations',
         'Membership:norway_united-nations type Membership',
         'Membership:sweden_nordic-council member sweden',
         'Membership:sweden_nordic-council organization nordic-council',
         'Membership:sweden_nordic-council type Membership',
         'Membership:sweden_united-nations member sweden',
         'Membership:sweden_united-nations organization united-nations',
         'Membership:sweden_united-nations type Membership',
     }),
    ('members-of',
     'Estonia and Latvia are members of the European Union and NATO.',
     {
         'Membership:estonia_european-union member estonia',
         'Membership:estonia_european-union organization european-union',
         'Membership:estonia_european-union type Membership',
         'Membership:estonia_nato member estonia',
         'Membership:estonia_nato organization nato',
         'Membership:estonia_nato type Membership',
         'Membership:latvia_european-union member latvia',
         'Membership:latvia_european-union organization european-union',
         'Membership:latvia_european-union type Membership',
         'Membership:latvia_nato member latvia',
         'Membership:latvia_nato organization nato',
         'Membership:latvia_nato type Membership',
     }),
    ('members-of',
     'Chile is a member of the OECD.',
     {
         'Membership:chile_oecd member chile',
         'Membership:chile_oecd organization oecd',
         'Membership:chile_oecd type Membership',
     }),
    ('joined-organization',
     'Lithuania joined NATO in 2004.',
     {
         'Membership:lithuania_nato member lithuania',
         'Membership:lithuania_nato organization nato',
         'Membership:lithuania_nato startDate 2004',
         'Membership:lithuania_nato type Membership',
     }),
    ('whose-founding-father',
     'As a substantial result of these efforts, Turkic Speaking Countries Cooperation Council, whose founding father is President Nazarbayev, was institutionalized with the Summit organized in Istanbul on 15-16 September 2010.',
     {
         'organization-of-turkic-states foundedBy nursultan-nazarbayev',
     }),
    ('founded-on-initiative',
     "On the other hand in 2010 Turkey assumed the chairmanship of the Conference on Interaction and Confidence Building Measures in Asia (CICA) which was founded by President Nazarbayev's initiative.",
     {
         'cica foundedOnInitiativeOf nursultan-nazarbayev',
     }),
    ('founded-by',
     'The Shanghai Cooperation Organisation was founded by China and Russia in 2001.',
     {
         'shanghai-cooperation-organisation foundedBy china',
         'shanghai-cooperation-organisation foundedBy russia',
     }),
    ('assumed-chairmanship',
     "On the other hand in 2010 Turkey assumed the chairmanship of the Conference on Interaction and Confidence Building Measures in Asia (CICA) which was founded by President Nazarbayev's initiative.",
     {
         'Chairmanship:turkey_cica_2010 chair turkey',
         'Chairmanship:turkey_cica_2010 organization cica',
         'Chairmanship:turkey_cica_2010 startDate 2010',
         'Chairmanship:turkey_cica_2010 type Chairmanship',
     }),
    ('assumed-chairmanship',
     'In 2011 Lithuania assumed the chairmanship of the OSCE.',
     {
         'Chairmanship:lithuania_osce_2011 chair lithuania',
         'Chairmanship:lithuania_osce_2011 organization osce',
         'Chairmanship:lithuania_osce_2011 startDate 2011',
         'Chairmanship:lithuania_osce_2011 type Chairmanship',
     }),
    ('chairmanship-since',
     'Germany has chaired the OSCE since January 2016.',
     {
         'Chairmanship:germany_osce_2016-01 chair germany',
         'Chairmanship:germany_osce_2016-01 organization osce',
         'Chairmanship:germany_osce_2016-01 startDate 2016-01',
         'Chairmanship:germany_osce_2016-01 type Chairmanship',
     }),
    ('institutionalized-at-summit',
     'As a substantial result of these efforts, Turkic Speaking Countries Cooperation Council, whose founding father is President Nazarbayev, was institutionalized with the Summit organized in Istanbul on 15-16 September 2010.',
     {
         'Summit:istanbul_2010-09-15--2010-09-16 endDate 2010-09-16',
         'Summit:istanbul_2010-09-15--2010-09-16 location istanbul',
         'Summit:istanbul_2010-09-15--2010-09-16 startDate 2010-09-15',
         'Summit:istanbul_2010-09-15--2010-09-16 type Summit',
         'organization-of-turkic-states institutionalizedAt Summit:istanbul_2010-09-15--2010-09-16',
     }),
    ('body-summit-held',
     "Cooperation Council's first Summit was successfully held in Almaty on 21 October 2011.",
     {
         'Summit:almaty_2011-10-21 endDate 2011-10-21',
         'Summit:almaty_2011-10-21 location almaty',
         'Summit:almaty_2011-10-21 ordinal 1',
         'Summit:almaty_2011-10-21 organizer organization-of-turkic-states',
         'Summit:almaty_2011-10-21 startDate 2011-10-21',
         'Summit:almaty_2011-10-21 type Summit',
     }),
    ('body-summit-held',
     "ASEAN's second summit was held in Kuala Lumpur on 4-5 August 1977.",
     {
         'Summit:kuala-lumpur_1977-08-04--1977-08-05 endDate 1977-08-05',
         'Summit:kuala-lumpur_1977-08-04--1977-08-05 location kuala-lumpur',
         'Summit:kuala-lumpur_1977-08-04--1977-08-05 ordinal 2',
         'Summit:kuala-lumpur_1977-08-04--1977-08-05 organizer asean',
         'Summit:kuala-lumpur_1977-08-04--1977-08-05 startDate 1977-08-04',
         'Summit:kuala-lumpur_1977-08-04--1977-08-05 type Summit',
     }),
    ('named-summit-held',
     'The NATO summit was held in Vilnius on 11-12 July 2023.',
     {
         'Summit:vilnius_2023-07-11--2023-07-12 endDate 2023-07-12',
         'Summit:vilnius_2023-07-11--2023-07-12 location vilnius',
         'Summit:vilnius_2023-07-11--2023-07-12 organizer nato',
         'Summit:vilnius_2023-07-11--2023-07-12 startDate 2023-07-11',
         'Summit:vilnius_2023-07-11--2023-07-12 type Summit',
     }),
    ('summit-of-body-held',
     'The third summit of the Shanghai Cooperation Organisation was held in Moscow on 26 October 2005.',
     {
         'Summit:moscow_2005-10-26 endDate 2005-10-26',
         'Summit:moscow_2005-10-26 location moscow',
         'Summit:moscow_2005-10-26 ordinal 3',
         'Summit:moscow_2005-10-26 organizer shanghai-cooperation-organisation',
         'Summit:moscow_2005-10-26 startDate 2005-10-26',
         'Summit:moscow_2005-10-26 type Summit',
     }),
    ('hosted-summit',
     'Portugal hosted the NATO summit in Lisbon on 19-20 November 2010.',
     {
         'Summit:lisbon_2010-11-19--2010-11-20 endDate 2010-11-20',
         'Summit:lisbon_2010-11-19--2010-11-20 location lisbon',
         'Summit:lisbon_2010-11-19--2010-11-20 organizer nato',
         'Summit:lisbon_2010-11-19--2010-11-20 participant portugal',
         'Summit:lisbon_2010-11-19--2010-11-20 startDate 2010-11-19',
         'Summit:lisbon_2010-11-19--2010-11-20 type Summit',
     }),
    ('treaty-signed-during-visit',
     'The relations between Turkey and Kazakhstan which gained a new dimension with the Strategic Cooperation Agreement signed during the visit of His Excellency President Mr. Nazarbayev to Turkey in 2009 follows an excellent course in all the fields.',
     {
         'Visit:nursultan-nazarbayev_turkey_2009 destination turkey',
         'Visit:nursultan-nazarbayev_turkey_2009 endDate 2009',
         'Visit:nursultan-nazarbayev_turkey_2009 startDate 2009',
         'Visit:nursultan-nazarbayev_turkey_2009 type Visit',
         'Visit:nursultan-nazarbayev_turkey_2009 visitor nursultan-nazarbayev',
         'strategic-cooperation-agreement signedDuring Visit:nursultan-nazarbayev_turkey_2009',
         'strategic-cooperation-agreement signingDate 2009',
         'strategic-cooperation-agreement signingPlace turkey',
     }),
    ('relations-between-with-treaty',
     'The relations between Turkey and Kazakhstan which gained a new dimension with the Strategic Cooperation Agreement signed during the visit of His Excellency President Mr. Nazarbayev to Turkey in 2009 follows an excellent course in all the fields.',
     {
         'strategic-cooperation-agreement party kazakhstan',
         'strategic-cooperation-agreement party turkey',
     }),
    ('states-signed-treaty',
     'Poland and Lithuania signed the Treaty of Friendship and Good Neighbourly Cooperation in Vilnius on 26 April 1994.',
     {
         'treaty-of-friendship-and-good-neighbourly-cooperation party lithuania',
         'treaty-of-friendship-and-good-neighbourly-cooperation party poland',
         'treaty-of-friendship-and-good-neighbourly-cooperation signatory lithuania',
         'treaty-of-friendship-and-good-neighbourly-cooperation signatory poland',
         'treaty-of-friendship-and-good-neighbourly-cooperation signingDate 1994-04-26',
         'treaty-of-friendship-and-good-neighbourly-cooperation signingPlace vilnius',
     }),
    ('visit-to-state',
     'President Tokayev paid a state visit to Turkey in May 2022.',
     {
         'Visit:kassym-jomart-tokayev_turkey_2022-05 destination turkey',
         'Visit:kassym-jomart-tokayev_turkey_2022-05 endDate 2022-05',
         'Visit:kassym-jomart-tokayev_turkey_2022-05 startDate 2022-05',
         'Visit:kassym-jomart-tokayev_turkey_2022-05 type Visit',
         'Visit:kassym-jomart-tokayev_turkey_2022-05 visitor kassym-jomart-tokayev',
     }),
    ('post-of-state-in-state',
     'Lale Ülker, Ambassador of the Republic of Turkey in the Republic of Kazakhstan tells about the essence of Turkish-Kazakh relations.',
     {
         'Post:ambassador_turkey_kazakhstan accreditedTo kazakhstan',
         'Post:ambassador_turkey_kazakhstan postKind Ambassador',
         'Post:ambassador_turkey_kazakhstan sentBy turkey',
         'Post:ambassador_turkey_kazakhstan type Post',
         'lale-ulker holdsPost Post:ambassador_turkey_kazakhstan',
     }),
    ('demonym-post-to-state',
     'The French Ambassador to Germany, Mr. François Delattre, opened the exhibition.',
     {
         'Post:ambassador_france_germany accreditedTo germany',
         'Post:ambassador_france_germany postKind Ambassador',
         'Post:ambassador_france_germany sentBy france',
         'Post:ambassador_france_germany type Post',
         'francois-delattre holdsPost Post:ambassador_france_germany',
     }),
    ('education-through-institutions',
     'The Kazakh students receiving education in the Turkish universities both in Turkey and in Kazakhstan, in Kazakh-Turkish schools in Kazakhstan and the Turkish students studying in universities in Kazakhstan particularly in International Hodja Ahmet Yesevi Turkish-Kazakh University constitute the basis of our  common future.',
     {
         'Cooperation:kazakhstan-and-turkey field education',
         'Cooperation:kazakhstan-and-turkey involves kazakh-turkish-schools',
         'Cooperation:kazakhstan-and-turkey involves khoja-akhmet-yassawi-university',
         'Cooperation:kazakhstan-and-turkey party kazakhstan',
         'Cooperation:kazakhstan-and-turkey party turkey',
         'Cooperation:kazakhstan-and-turkey type Cooperation',
     }),
    ('treaty-by-name',
     'The Strategic Cooperation Agreement was signed in 2009.',
     {
         'strategic-cooperation-agreement type Treaty',
     }),
    ('treaty-of-place',
     'Poland and Lithuania signed the Treaty of Friendship and Good Neighbourly Cooperation in Vilnius on 26 April 1994.',
     {
         'treaty-of-friendship-and-good-neighbourly-cooperation type Treaty',
     }),
    ('university-by-name',
     'She studied at the Ankara Yildirim Beyazit University.',
     {
         'ankara-yildirim-beyazit-university type University',
     }),
    ('schools-of-two-states',
     'Students study in Kazakh-Turkish schools in Kazakhstan.',
     {
         'kazakh-turkish-schools type School',
     }),
    ('person-after-title',
     'President Zelensky met the delegation.',
     {
         'zelensky type Person',
     }),
    ('person-before-post',
     'Anna Schmidt, Ambassador of Germany to Austria, spoke.',
     {
         'anna-schmidt type Person',
     }),
    ('organization-by-name',
     'The Baltic Sea Council met in Riga.',
     {
         'baltic-sea-council type IntergovernmentalOrganization',
     }),
]


@pytest.mark.parametrize(("pattern_id", "text", "expected"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_pattern_on_its_sentence(extractor: Extractor, pattern_id: str, text: str,
                                 expected: set[str]) -> None:
    assert facts_of(extractor.extract(make_source(text)), pattern_id) == expected


PAIR_TEXT = "Relations between Chile and Peru are old. Chile and Peru meet often.\n"
SPEAKER_TEXT = ("Anna Schmidt, Ambassador of Germany in Austria tells about the essence of "
                "German-Austrian relations.\n")
RESOLVE_CASES = [
    ("the-two-countries", PAIR_TEXT + "The two countries trade.", "The two countries",
     {"chile", "peru"}),
    ("our-bilateral-relations", PAIR_TEXT + "Our bilateral ties grow.", "Our bilateral",
     {"chile", "peru"}),
    ("our-country", SPEAKER_TEXT + "Our country is proud.", "Our country", {"germany"}),
    ("first-person", SPEAKER_TEXT + "I am glad.", "I", {"anna-schmidt"}),
]


@pytest.mark.parametrize(("rule_id", "text", "phrase", "expected"), RESOLVE_CASES,
                         ids=[c[0] for c in RESOLVE_CASES])
def test_phrases_resolved_by_the_document(extractor: Extractor, rule_id: str, text: str,
                                          phrase: str, expected: set[str]) -> None:
    extraction = extractor.extract(make_source(text, interviewee="Anna Schmidt"))
    assert {m.entity.key for m in extraction.mentions if m.text == phrase} == expected


def test_every_pattern_has_a_case(extractor: Extractor) -> None:
    tested = {case[0] for case in CASES} | {case[0] for case in RESOLVE_CASES}
    assert set(extractor.patterns.ids()) - tested == set()


def test_interview_gold(extractor: Extractor) -> None:
    gold = {line for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")}
    got = facts_of(extractor.extract(read_source(INTERVIEW)))
    assert sorted(gold - got) == [], "facts the interview states but extraction missed"
    assert sorted(got - gold) == [], "facts extraction invented"


def test_both_countries_are_the_documents_pair(extractor: Extractor) -> None:
    text = ("Relations between Chile and Peru are old. Chile and Peru meet often.\n"
            "Both countries are members of the OECD.")
    facts = facts_of(extractor.extract(make_source(text)), "members-of")
    assert {"Membership:chile_oecd member chile", "Membership:peru_oecd member peru"} <= facts


def test_our_is_the_speakers_state(extractor: Extractor) -> None:
    text = ("Anna Schmidt, Ambassador of Germany in Austria tells about the essence of "
            "German-Austrian relations.\n"
            "The cooperation in the field of culture is an important part of our bilateral "
            "relations.")
    extraction = extractor.extract(make_source(text, interviewee="Anna Schmidt"))
    assert facts_of(extraction, "cooperation-in-fields") == {
        "Cooperation:austria-and-germany type Cooperation",
        "Cooperation:austria-and-germany party austria",
        "Cooperation:austria-and-germany party germany",
        "Cooperation:austria-and-germany field culture",
    }
    assert "document interviewee anna-schmidt" in facts_of(extraction)


def test_noise_lines_are_sentences_of_their_own(extractor: Extractor) -> None:
    source = read_source(INTERVIEW)
    extraction = extractor.extract(source)
    texts = [source.text[s.start:s.end] for s in extraction.sentences]
    assert "> Turkey Map" in texts
    assert "Bookmark/Search this post with" in texts
    assert texts.count("Turkey and Kazakhstan have similar approaches on many international and "
                       "regional issues - Turkish Ambassador Lale Ülker") == 2


def test_mentions_resolve_aliases_and_accents(extractor: Extractor) -> None:
    text = "Lale Ulker met Turkish diplomats; the OSCE and the Turkic Council were discussed."
    found = {(m.text, m.entity.key) for m in extractor.extract(make_source(text)).mentions}
    assert found >= {("Lale Ulker", "lale-ulker"), ("Turkish", "turkey"), ("OSCE", "osce"),
                     ("Turkic Council", "organization-of-turkic-states")}


def test_common_words_are_not_names(extractor: Extractor) -> None:
    text = "We ate turkey and drank from china cups; the polish was male."
    assert extractor.extract(make_source(text)).mentions == ()


def test_second_source_yields_its_facts(extractor: Extractor) -> None:
    source = read_source(ROOT / "tests" / "data" / "second-source" /
                         "poland-lithuania-interview.txt")
    facts = facts_of(extractor.extract(source))
    assert {
        "Membership:poland_nato member poland", "Membership:lithuania_european-union member lithuania",
        "Membership:lithuania_nato startDate 2004",
        "treaty-of-friendship-and-good-neighbourly-cooperation signingDate 1994-04-26",
        "treaty-of-friendship-and-good-neighbourly-cooperation party poland",
        "Summit:vilnius_2023-07-11--2023-07-12 organizer nato",
        "Chairmanship:lithuania_osce_2011 chair lithuania",
        "Recognition:iceland_lithuania firstRecognition true",
        "jan-kowalski holdsPost Post:ambassador_poland_lithuania",
    } <= facts


