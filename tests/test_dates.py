"""Tests for the date recogniser: exact offsets, exact range ends, and RDF datatypes."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import Literal

from kg.extract.dates import DateMention, PartialDate, find_dates

D = PartialDate
# Plain URIRefs: a module-level DefinedNamespace makes pytest's fixture scan warn.
XSD_DATE, XSD_GYEARMONTH, XSD_GYEAR = rdflib.XSD.date, rdflib.XSD.gYearMonth, rdflib.XSD.gYear


def only(text: str) -> DateMention:
    """The single mention in ``text``, after checking its offsets agree with its surface."""
    mentions = find_dates(text)
    assert len(mentions) == 1, mentions
    mention = mentions[0]
    assert text[mention.start : mention.end] == mention.surface
    return mention


POSITIVE = [
    # The interview.
    (
        "The cooperation was institutionalized with the Summit organized in Istanbul on "
        "15-16 September 2010.",
        "15-16 September 2010",
        D(2010, 9, 15),
        D(2010, 9, 16),
    ),
    (
        "The Turkic Cooperation Council's first Summit was successfully held in Almaty on "
        "21 October 2011.",
        "21 October 2011",
        D(2011, 10, 21),
        D(2011, 10, 21),
    ),
    (
        "On the other hand in 2010 Turkey assumed the chairmanship of the CICA.",
        "2010",
        D(2010),
        D(2010),
    ),
    (
        "Our relations, crowned by the visit of His Excellency President Mr. Nazarbayev to "
        "Turkey in 2009 follows an excellent course.",
        "2009",
        D(2009),
        D(2009),
    ),
    # Day-month-year, with en dash, ordinals and "of".
    (
        "Leaders met in Istanbul on 15–16 September 2010 for the summit.",
        "15–16 September 2010",
        D(2010, 9, 15),
        D(2010, 9, 16),
    ),
    (
        "Kazakhstan joined the United Nations on 2 March 1992.",
        "2 March 1992",
        D(1992, 3, 2),
        D(1992, 3, 2),
    ),
    (
        "Diplomatic relations were established on the 1st of March 1992.",
        "1st of March 1992",
        D(1992, 3, 1),
        D(1992, 3, 1),
    ),
    (
        "The treaty was signed on 21 Oct. 2011 in Almaty.",
        "21 Oct. 2011",
        D(2011, 10, 21),
        D(2011, 10, 21),
    ),
    # Month-day-year.
    (  # two days in a row joined by "and" are the days of one event
        "The G20 summit took place in New Delhi on 9 and 10 September 2023.",
        "9 and 10 September 2023",
        D(2023, 9, 9),
        D(2023, 9, 10),
    ),
    (
        "Leaders met in Lima on November 15 and 16, 2024.",
        "November 15 and 16, 2024",
        D(2024, 11, 15),
        D(2024, 11, 16),
    ),
    (  # two days apart are not the days between them: the last is dated alone
        "The envoys met in Oslo on 3 and 7 May 2023.",
        "7 May 2023",
        D(2023, 5, 7),
        D(2023, 5, 7),
    ),
    (
        "The ministers met in Ankara on October 21, 2011.",
        "October 21, 2011",
        D(2011, 10, 21),
        D(2011, 10, 21),
    ),
    (
        "The talks were held September 15-16, 2010 in Istanbul.",
        "September 15-16, 2010",
        D(2010, 9, 15),
        D(2010, 9, 16),
    ),
    (
        "The agreement entered into force on Sept. 15, 2010.",
        "Sept. 15, 2010",
        D(2010, 9, 15),
        D(2010, 9, 15),
    ),
    (
        "Exercises ran September 30 - October 2, 2012 near the border.",
        "September 30 - October 2, 2012",
        D(2012, 9, 30),
        D(2012, 10, 2),
    ),
    # Cross-month and cross-year ranges.
    (
        "The forum took place in Baku on 30 September - 2 October 2012.",
        "30 September - 2 October 2012",
        D(2012, 9, 30),
        D(2012, 10, 2),
    ),
    (
        "The forum took place in Baku, 30 September to 2 October 2012.",
        "30 September to 2 October 2012",
        D(2012, 9, 30),
        D(2012, 10, 2),
    ),
    (
        "Negotiations continued 30 December - 2 January 2012 without a break.",
        "30 December - 2 January 2012",
        D(2011, 12, 30),
        D(2012, 1, 2),
    ),
    (
        "The delegation stayed between 15 and 16 September 2010 in Ankara.",
        "between 15 and 16 September 2010",
        D(2010, 9, 15),
        D(2010, 9, 16),
    ),
    # Month precision: the preposition is not part of the mention.
    (
        "The parliament ratified the protocol in March 2012.",
        "March 2012",
        D(2012, 3),
        D(2012, 3),
    ),
    (
        "The border was reopened in Jan. 2013 after long talks.",
        "Jan. 2013",
        D(2013, 1),
        D(2013, 1),
    ),
    (
        "Elections were held in march 2012 in both countries.",
        "march 2012",
        D(2012, 3),
        D(2012, 3),
    ),
    (
        "Joint patrols operated from March to May 2012.",
        "from March to May 2012",
        D(2012, 3),
        D(2012, 5),
    ),
    # Bare years after various prepositions.
    ("Trade has doubled since 2010.", "2010", D(2010), D(2010)),
    ("Visa requirements were lifted from 2010 onwards.", "2010", D(2010), D(2010)),
    ("The pipeline should be finished by 2015.", "2015", D(2015), D(2015)),
    ("In the autumn of 2011 the ministers met again.", "2011", D(2011), D(2011)),
    ("The agreement remains valid until 2020.", "2020", D(2020), D(2020)),
    ("In 2010 Turkey assumed the chairmanship.", "2010", D(2010), D(2010)),
    ("In 2010 people protested in the capital.", "2010", D(2010), D(2010)),
    # Year ranges.
    ("Turkey chaired the conference in 2010-2012.", "2010-2012", D(2010), D(2012)),
    ("Turkey chaired the conference in 2010–2012.", "2010–2012", D(2010), D(2012)),
    (
        "Turkey chaired the conference from 2010 to 2012.",
        "from 2010 to 2012",
        D(2010),
        D(2012),
    ),
    (
        "The republics declared independence between 1991 and 1993.",
        "between 1991 and 1993",
        D(1991),
        D(1993),
    ),
    # ISO.
    ("The note verbale is dated 2012-03-02.", "2012-03-02", D(2012, 3, 2), D(2012, 3, 2)),
]


@pytest.mark.parametrize(("text", "surface", "first", "last"), POSITIVE)
def test_recognises(text: str, surface: str, first: PartialDate, last: PartialDate) -> None:
    mention = only(text)
    assert mention.surface == surface
    assert mention.start == text.index(surface)
    assert mention.end == mention.start + len(surface)
    assert (mention.first, mention.last) == (first, last)


NEGATIVE = [
    "Today marks the 20th anniversary of the establishment of diplomatic relations.",
    "The region was unstable in the 1990s.",
    "The region was unstable in the 1990's.",
    "Exports reached 120000 tonnes.",
    "For information call 2010-123.",
    "The contract was worth $2010.",
    "See the commentary on p. 2010.",
    "The new pipeline is 2010 km long.",
    "Inflation stood at 2010% after the crisis.",
    "The clashes displaced 2010 people.",
    "The convoy carried 1900 tons of grain.",
    "The Security Council adopted resolution 1973 on Libya.",
    "The meetings on 15-16 were postponed.",
    "The summit was planned for 31 February 2012.",
    "About 2000 troops were deployed.",
    "Reinforcements grew from 1800 to 2000 troops.",
    "Call the embassy at +90 312 2010 555.",
    "The 21st meeting of the commission was held in Ankara.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_rejects(text: str) -> None:
    assert find_dates(text) == []


def test_several_mentions_sorted_and_non_overlapping() -> None:
    text = (
        "After the Istanbul Summit of 15-16 September 2010 and the Almaty Summit on "
        "21 October 2011, the Council met in March 2012; trade has grown since 2009."
    )
    mentions = find_dates(text)
    assert [m.surface for m in mentions] == [
        "15-16 September 2010",
        "21 October 2011",
        "March 2012",
        "2009",
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    for a, b in zip(mentions, mentions[1:], strict=False):
        assert a.end <= b.start


def test_longest_match_wins_over_contained_year() -> None:
    mentions = find_dates("The Council met in 2010 and again from 2010 to 2012.")
    assert [(m.surface, m.first, m.last) for m in mentions] == [
        ("2010", D(2010), D(2010)),
        ("from 2010 to 2012", D(2010), D(2012)),
    ]


def test_leap_day_is_validated() -> None:
    assert only("The accord was signed on 29 February 2012.").first == D(2012, 2, 29)
    assert find_dates("The accord was signed on 29 February 2011.") == []


def test_partial_date_iso_and_literals() -> None:
    assert D(2010, 9, 15).iso() == "2010-09-15"
    assert D(2010, 9).iso() == "2010-09"
    assert D(2009).iso() == "2009"
    assert D(2010, 9, 15).to_literal() == Literal("2010-09-15", datatype=XSD_DATE)
    assert D(2010, 9).to_literal().datatype == XSD_GYEARMONTH
    assert str(D(2010, 9).to_literal()) == "2010-09"
    assert D(2009).to_literal().datatype == XSD_GYEAR
    assert str(D(2009).to_literal()) == "2009"


def test_literal_datatypes_follow_mention_precision() -> None:
    text = "Summits on 15-16 September 2010, in March 2012 and in 2009."
    datatypes = [
        (m.first.to_literal().datatype, m.last.to_literal().datatype) for m in find_dates(text)
    ]
    assert datatypes == [
        (XSD_DATE, XSD_DATE),
        (XSD_GYEARMONTH, XSD_GYEARMONTH),
        (XSD_GYEAR, XSD_GYEAR),
    ]


@pytest.mark.parametrize(
    ("year", "month", "day"), [(2011, 2, 29), (2010, 13, None), (2010, None, 5)]
)
def test_partial_date_rejects_impossible_dates(
    year: int, month: int | None, day: int | None
) -> None:
    with pytest.raises(ValueError):
        PartialDate(year, month, day)


@pytest.mark.parametrize(("text", "iso"), [
    ("On October 6, the ministers met.", "2015-10-06"),
    ("On 21 May the ministers met.", "2015-05-21"),
    ("The ministers met today.", "2015-10-06"),
    ("The ministers met yesterday.", "2015-10-05"),
    ("Last year the two states signed a treaty.", "2014"),
    ("This year the two states signed a treaty.", "2015"),
])
def test_dates_read_against_the_documents_date(text: str, iso: str) -> None:
    found = find_dates(text, PartialDate(2015, 10, 6))
    assert [(d.first.iso(), d.anchored) for d in found] == [(iso, True)]


@pytest.mark.parametrize("text", ["On October 6, the ministers met.", "They met today.",
                                  "Last year they met.", "The past year saw talks."])
def test_without_the_documents_date_relative_dates_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_weekdays_and_last_month_are_read_against_the_document_date() -> None:
    """News says "on Tuesday" and "last month": the last Tuesday up to the source's date, the
    month before it; a source dated only to the month gives that month; a weekday before a
    full date is part of that date."""
    from kg.extract.dates import PartialDate, find_dates

    friday = PartialDate(2017, 2, 17)
    assert [m.first for m in find_dates("They met on Tuesday in Bonn.", friday)] == [
        PartialDate(2017, 2, 14)]
    assert [m.first for m in find_dates("They met last month.", friday)] == [
        PartialDate(2017, 1)]
    assert [m.first for m in find_dates("They met on Monday.", PartialDate(2012, 9))] == [
        PartialDate(2012, 9)]
    assert [(m.first, m.surface) for m in find_dates("On Friday, February 17, 2017 they met.",
                                                     friday)] == [(friday, "February 17, 2017")]
    assert find_dates("They met on Tuesday.") == []


def test_this_morning_is_the_document_date() -> None:
    """A readout's "this morning" or "earlier today" is the day the source is dated."""
    from kg.extract.dates import PartialDate, find_dates

    day = PartialDate(2009, 3, 10)
    for text in ("They met this morning.", "They met earlier today.", "They meet tonight."):
        assert [m.first for m in find_dates(text, day)] == [day], text
    assert find_dates("They met this morning.") == []


def test_a_month_named_without_a_year_is_the_last_one_up_to_the_document_date() -> None:
    """"last May", "the summit held in May" in a source dated November 2015: May 2015; "last
    November" in November is the year before; a year after the month keeps its own."""
    from kg.extract.dates import PartialDate, find_dates

    november = PartialDate(2015, 11, 15)
    assert [m.first for m in find_dates("Her State visit last May was a success.", november)
            ] == [PartialDate(2015, 5)]
    assert [m.first for m in find_dates("The summit held in Tokyo in May.", november)] == [
        PartialDate(2015, 5)]
    assert [m.first for m in find_dates("They met last November.", november)] == [
        PartialDate(2014, 11)]
    assert [m.first for m in find_dates("They met in May 2012.", november)] == [
        PartialDate(2012, 5)]
    assert find_dates("They met in May.") == []


def test_a_weekday_and_its_time_of_day_before_a_date_are_that_date() -> None:
    from kg.extract.dates import PartialDate, find_dates

    found = find_dates("He travelled on Tuesday morning, 3 February, to Washington.",
                       PartialDate(2004, 2))
    assert [(m.surface, m.first) for m in found] == [("3 February", PartialDate(2004, 2, 3))]


@pytest.mark.parametrize(("text", "surface", "iso"), [
    ("Ms. Bachelet arrived in Quito on 4 March 2019. That afternoon, she met the President.",
     "That afternoon", "2019-03-04"),
    ("The envoys met in Doha on 9 June 2021 and the next day in Muscat.", "the next day",
     "2021-06-10"),
    ("Ghana joined the Commonwealth in 1957. Later that year it opened an embassy in London.",
     "Later that year", "1957"),
    ("The ministers signed it on 2 May 1990. They met again the following year.",
     "the following year", "1991"),
])
def test_a_day_told_by_reference_is_the_day_named_before(text: str, surface: str,
                                                         iso: str) -> None:
    (found,) = [m for m in find_dates(text) if m.referring]
    assert (found.surface, found.first.iso(), found.last.iso()) == (surface, iso, iso)


@pytest.mark.parametrize("text", [
    "That morning, the Secretary-General met the President.",  # no day named before
    "The treaty was signed in May 1990. That day was remembered.",  # a month, not a day
    "They met on 4 March 2019." + " Nothing happened." * 60 + " That evening they dined.",
])
def test_a_reference_to_no_nearby_day_is_no_date(text: str) -> None:
    assert not [m for m in find_dates(text) if m.referring]


def test_the_month_of_a_named_month_is_that_month_up_to_the_documents_date() -> None:
    anchor = PartialDate(2006, 6, 3)
    (found,) = find_dates("Denmark holds the presidency for the month of June.", anchor)
    assert (found.surface, found.first.iso()) == ("June", "2006-06")
    (found,) = find_dates("Denmark held the presidency last June.", anchor)
    assert found.first.iso() == "2005-06"


def test_today_is_the_day_of_the_dateline_it_was_filed_under() -> None:
    text = ("29 June 2006\n\nNEW YORK, 28 June (UN Headquarters) -- Montenegro was admitted "
            "this morning.")
    found = {m.surface: m.first.iso() for m in find_dates(text, PartialDate(2006, 6, 29))}
    assert found["this morning"] == "2006-06-28"
    plain = find_dates("Montenegro was admitted this morning.", PartialDate(2006, 6, 29))
    assert [m.first.iso() for m in plain] == ["2006-06-29"]


def test_a_weekday_after_a_day_told_in_the_week_before_the_note_is_in_that_week() -> None:
    note = ("26 December 2007\n\nBan Ki-moon arrived in Paris on Sunday, 16 December.\n\n"
            "He began the day on Monday with a working breakfast.")
    found = {m.surface: m.first.iso() for m in find_dates(note, PartialDate(2007, 12, 26))}
    assert found["Monday"] == "2007-12-17"
    news = "The summit was held on 3 May 2019. On Friday the minister said so."
    found = {m.surface: m.first.iso() for m in find_dates(news, PartialDate(2019, 5, 20))}
    assert found["Friday"] == "2019-05-17"  # an older day recalled keeps the story's week


def test_a_weekday_in_a_note_dated_to_its_month_follows_the_day_told_before() -> None:
    note = ("The envoy reached Lima on Tuesday, 10 March, and on Thursday afternoon she opened "
            "the trade fair.")
    found = {m.surface: m.first.iso() for m in find_dates(note, PartialDate(2015, 3))}
    assert found["Thursday"] == "2015-03-12"
    alone = "On Thursday she opened the trade fair."  # no day told: the month only
    assert [m.first.iso() for m in find_dates(alone, PartialDate(2015, 3))] == ["2015-03"]
