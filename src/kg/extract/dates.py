"""Recognise calendar dates, months, years and ranges of them in English news text.

Facts about relations between states need a time anchor ("the Summit held on 15-16 September
2010"), so this module turns date expressions into :class:`PartialDate` values that keep their
precision: a bare "2009" must stay a year and not be silently widened to 2009-01-01.

Everything is done with a handful of compiled regular expressions plus a few context checks
that reject numbers which only look like years (amounts, page and resolution numbers, decades).
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from dataclasses import dataclass

from rdflib import Literal
from rdflib.namespace import XSD


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to year, month or day precision (``None`` marks the unknown parts).

    Ordering compares ``(year, month, day)``; it is only meaningful between dates of the same
    precision, which is all that ranges produced here ever contain.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        """Refuse impossible dates (31 February, a day without a month) at construction."""
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if (
            self.day is not None
            and not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]
        ):
            raise ValueError(f"no day {self.day} in {self.year}-{self.month:02d}")

    def iso(self) -> str:
        """ISO 8601 text truncated to the known precision: "2010-09-15", "2010-09", "2009"."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def to_literal(self) -> Literal:
        """An RDF literal whose XSD datatype states the precision instead of inventing days."""
        if self.day is not None:
            datatype = XSD.date
        elif self.month is not None:
            datatype = XSD.gYearMonth
        else:
            datatype = XSD.gYear
        return Literal(self.iso(), datatype=datatype)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text; ``first == last`` unless it is a range."""

    start: int
    end: int
    surface: str
    first: PartialDate
    last: PartialDate
    anchored: bool = False  # its year (or all of it: "today") comes from the document's date
    referring: bool = False  # "that morning": the day named before it


def _month_aliases() -> tuple[dict[str, int], list[str], list[str]]:
    """Month names and abbreviations from :mod:`calendar`, read under the C locale.

    ``calendar`` localises via strftime, so the names are read inside ``different_locale`` (C)
    to get English even if the host application has switched LC_TIME.
    """
    with calendar.different_locale(("C", None)):
        names = [calendar.month_name[i].lower() for i in range(1, 13)]
        abbrs = [calendar.month_abbr[i].lower() for i in range(1, 13)]
    aliases = {name: i for i, name in enumerate(names, 1)}
    aliases.update({abbr: i for i, abbr in enumerate(abbrs, 1)})
    aliases[names[8][:4]] = 9  # "Sept.", the one common abbreviation longer than three letters
    short = sorted(set(aliases) - set(names), key=len, reverse=True)
    return aliases, sorted(names, key=len, reverse=True), short


_MONTHS, _FULL, _SHORT = _month_aliases()
# Only abbreviations take a period: "March. 2012" is two sentences, "Sept. 2012" is one date.
_MON = rf"(?:(?:{'|'.join(_FULL)})\b|(?:{'|'.join(_SHORT)})\b\.?)"
# Not glued to a word, currency sign or another number ("$2010", "120000", "123-2010").
_L = r"(?<![\w$€£¥#])(?<!\d[-–/.:,])"
# Not followed by a word character or more digits ("1990s", "2010-123", "2010.5").
_R = r"(?![\w])(?![-–/.:]\d)"
_OF = r"(?:\s+of)?"
# "between" licenses "and" as a range separator; plain "and" would merely list two dates.
_PRE = r"(?:(?P<btw>between)\s+|from\s+)?"
_SEP = r"(?(btw)\s+and\s+|(?:\s*[-–—]\s*|\s+(?:to|until|till|through)\s+))"


def _day(name: str) -> str:
    """A day of month 1-31 with an optional ordinal suffix ("1st", "21")."""
    return rf"(?P<{name}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"


def _mon(name: str) -> str:
    return rf"(?P<{name}>{_MON})"


def _year(name: str) -> str:
    """Years 1800-2099 only: other four-digit numbers in news text are rarely years."""
    return rf"(?P<{name}>(?:18|19|20)\d\d)"


_D1, _D2, _M1, _M2 = _day("d1"), _day("d2"), _mon("m1"), _mon("m2")
_Y1, _Y2 = _year("y1"), _year("y2")
_PATTERNS = [
    re.compile(_L + p + _R, re.IGNORECASE)
    for p in (
        rf"{_Y1}-(?P<m1>0[1-9]|1[0-2])-(?P<d1>0[1-9]|[12]\d|3[01])",  # ISO 2012-03-02
        rf"{_PRE}{_D1}{_OF}\s+{_M1}(?:,?\s+{_Y1})?{_SEP}{_D2}{_OF}\s+{_M2},?\s+{_Y2}",
        rf"{_PRE}{_D1}{_SEP}{_D2}{_OF}\s+{_M2},?\s+{_Y2}",  # 15-16 September 2010
        rf"{_D1}\s+and\s+{_D2}{_OF}\s+{_M2},?\s+{_Y2}",  # 9 and 10 September 2023
        rf"{_D1}{_OF}\s+{_M1},?\s+{_Y1}",  # 21 October 2011, 1st of March 1992
        rf"{_PRE}{_M1}\s+{_D1}(?:,?\s+{_Y1})?{_SEP}{_M2}\s+{_D2},?\s+{_Y2}",
        rf"{_PRE}{_M1}\s+{_D1}{_SEP}{_D2},?\s+{_Y2}",  # September 15-16, 2010
        rf"{_M1}\s+{_D1}\s+and\s+{_D2},?\s+{_Y2}",  # September 9 and 10, 2023
        rf"{_M1}\s+{_D1},?\s+{_Y1}",  # October 21, 2011
        rf"{_PRE}{_M1}(?:,?\s+{_Y1})?{_SEP}{_M2}{_OF},?\s+{_Y2}",  # March to May 2012
        rf"{_M1}{_OF},?\s+{_Y1}",  # March 2012
        rf"{_PRE}{_Y1}{_SEP}{_Y2}",  # 2010-2012, between 1991 and 1993
        _Y1,  # 2009
    )
]

# Day and month without a year ("On October 6", "6 October"), and "today": dated only by the
# document's own date, when it has one.
_YEARLESS = [
    re.compile(_L + p + r"(?![\w])(?!,?\s+(?:18|19|20)\d\d)", re.IGNORECASE)
    for p in (rf"{_M1}\s+{_D1}", rf"{_D1}{_OF}\s+{_M1}")
]
_TODAY = re.compile(r"\b(?:today|this (?:morning|afternoon|evening)|tonight|earlier today)\b",
                    re.IGNORECASE)
_YEARS_AGO = re.compile(r"\b(?P<which>last|this) year\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\byesterday\b", re.IGNORECASE)
_MONTHS_AGO = re.compile(r"\b(?P<which>last|this) month\b", re.IGNORECASE)
# "last May", "in May", "the month of May" with no year: the last such month up to the
# document's date
_NAMED_MONTH = re.compile(r"\b(?:last|in|month of)\s+(?P<m1>" + "|".join(m for m in _FULL)
                          + r")\b(?!,?\s+(?:\d|of\s+\d))", re.IGNORECASE)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# a weekday, unless a date follows it ("Friday, February 17, 2017", "Tuesday morning,
# 3 February" are that date)
_WEEKDAY = re.compile(r"\b(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b(?!(?:\s+(?:morning|"
                      r"afternoon|evening|night))?,?\s+(?:\d|"
                      + "|".join(m.capitalize() for m in ("jan", "feb", "mar", "apr", "may",
                                                          "jun", "jul", "aug", "sep", "oct",
                                                          "nov", "dec")) + r"))")

# A day or year told by reference to the last one named ("That morning, the Secretary-General
# met …", "the next day", "later that year"): steps from it, in days or years.
_BACK_REFERENCE = re.compile(
    r"\b(?:(?P<day>(?:later |earlier )?that (?:same )?(?:day|morning|afternoon|evening|night)"
    r"|the same (?:day|morning|afternoon|evening))|(?P<next_day>the (?:next|following) day"
    r"|the day after)|(?P<year>(?:later |earlier )?that (?:same )?year|the same year)"
    r"|(?P<next_year>the (?:next|following) year))\b", re.IGNORECASE)
BACK_REACH = 600  # characters back where the date referred to may stand

# Amounts: a "year" followed by one of these is a quantity whatever precedes it.
_MEASURE = re.compile(
    r"[\s\-–]*(?:%|(?:percent|per cent|km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|kg|kilograms?"
    r"|tons?|tonnes?|barrels?|MW|megawatts?|hectares?|square|sq|dollars?|euros?|USD|EUR"
    r"|million|billion|thousand|years?|hours|hrs)(?![A-Za-z]))"
)
# Counted nouns: "2010 people were killed", but "in 2010 people protested" is a date.
_COUNTED = re.compile(
    r"\s+(?:people|persons|troops|soldiers|refugees|migrants|civilians|casualties|deaths"
    r"|victims|members|students|delegates|participants|votes|units|times|cases|vehicles"
    r"|tanks|jobs|companies)(?![A-Za-z])"
)
_TEMPORAL_BEFORE = re.compile(r"\b(?:in|since|during|before|after|until|till)\s+$", re.I)
# Numbered things that are not years: "p. 2010", "resolution 1973", "No. 2010".
_NUMBERED_BEFORE = re.compile(
    r"(?:\b(?:pp?|nos?|vol|art)\.|\b(?:pages?|numbers?|resolutions?|unscr|articles?|chapter"
    r"|section|paragraph|flight|room|route))\s*$",
    re.I,
)
_DECADE_S = re.compile(r"['’]s\b")  # "the 1990's"
_PHONE = re.compile(r"[\s.]\d")


def _month(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else _MONTHS[text.rstrip(".").lower()]


def _make(year: int, month: int | None, day: int | None) -> PartialDate | None:
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None


def _dates(m: re.Match[str]) -> tuple[PartialDate, PartialDate] | None:
    """First and last date of a match; missing parts of one end are taken from the other."""
    g = m.groupdict()
    y1, y2 = (int(g[k]) if g.get(k) else None for k in ("y1", "y2"))
    d1, d2 = (int(g[k]) if g.get(k) else None for k in ("d1", "d2"))
    m1, m2 = _month(g.get("m1")), _month(g.get("m2"))
    first_year, last_year = y1 or y2, y2 or y1
    assert first_year is not None and last_year is not None  # every pattern has a year
    if y1 is None and m1 and m2 and m1 > m2:
        first_year -= 1  # "30 December - 2 January 2012" starts in 2011
    first, last = _make(first_year, m1 or m2, d1 or d2), _make(last_year, m2 or m1, d2 or d1)
    if first is None or last is None or last < first:
        return None
    return first, last


def _days_apart(m: re.Match[str]) -> bool:
    """"on 3 and 7 May": two days, not the days between them (the last one alone is dated)."""
    g = m.groupdict()
    return " and " in m.group(0) and not g.get("btw") and bool(g.get("d1")) and bool(
        g.get("d2")) and int(g["d2"]) != int(g["d1"]) + 1


def _plausible(text: str, start: int, end: int, first: PartialDate) -> bool:
    """Context checks that separate years from other four-digit numbers."""
    before, after = text[max(0, start - 20) : start], text[end : end + 30]
    if _MEASURE.match(after):
        return False
    if _COUNTED.match(after) and not _TEMPORAL_BEFORE.search(before):
        return False
    if first.month is not None:
        return True
    if _NUMBERED_BEFORE.search(before):
        return False
    if text[end - 1] == "0" and _DECADE_S.match(after):
        return False
    return not (before[-2:-1].isdigit() and before[-1:].isspace() and _PHONE.match(after))


def _anchored(text: str, anchor: PartialDate) -> list[tuple[int, int, tuple | None, bool]]:
    """Candidates dated by the document: a day and month in the document's year, today,
    yesterday, last or this year or month, a weekday (the last one up to the document's date)."""
    out: list[tuple[int, int, tuple | None, bool]] = []
    for pattern in _YEARLESS:
        for m in pattern.finditer(text):
            day = _make(anchor.year, _month(m.group("m1")), int(m.group("d1")))
            out.append((m.start(), m.end(), (day, day) if day else None, True))
    if anchor.month is not None:
        out += [(m.start(), m.end(), (anchor, anchor), True) for m in _TODAY.finditer(text)]
    for m in _YEARS_AGO.finditer(text):  # "last year", "this year": as years only
        year = _make(anchor.year - (m.group("which").lower() != "this"), None, None)
        out.append((m.start(), m.end(), (year, year) if year else None, True))
    if anchor.month is not None:  # "last month", "this month": as months only
        for m in _MONTHS_AGO.finditer(text):
            back = m.group("which").lower() == "last"
            in_year, in_month = (anchor.year - 1, 12) if back and anchor.month == 1 else (
                anchor.year, anchor.month - back)
            out.append((m.start(), m.end(), (PartialDate(in_year, in_month),) * 2, True))
    if anchor.month is not None:
        for m in _NAMED_MONTH.finditer(text):
            month = _MONTHS[m.group("m1").lower()]
            passed = month < anchor.month or (month == anchor.month
                                              and not m.group(0).lower().startswith("last"))
            month_date = PartialDate(anchor.year - (not passed), month)
            start = m.start("m1")  # the date is the month's name, as in "in May 2012"
            out.append((start, m.end(), (month_date, month_date), True))
    if anchor.day is not None and anchor.month is not None:
        date = datetime.date(anchor.year, anchor.month, anchor.day)
        before = date - datetime.timedelta(1)
        day = PartialDate(before.year, before.month, before.day)
        out += [(m.start(), m.end(), (day, day), True) for m in _YESTERDAY.finditer(text)]
        for m in _WEEKDAY.finditer(text):  # "on Tuesday": the last Tuesday up to the date
            back = (date.weekday() - _WEEKDAYS.index(m.group("weekday"))) % 7
            when = date - datetime.timedelta(back)
            out.append((m.start(), m.end(), (PartialDate(when.year, when.month, when.day),) * 2,
                        True))
    elif anchor.month is not None:  # a source dated to the month: "on Tuesday" in that month
        out += [(m.start(), m.end(), (PartialDate(anchor.year, anchor.month),) * 2, True)
                for m in _WEEKDAY.finditer(text)]
    return out


def find_dates(text: str, anchor: PartialDate | None = None) -> list[DateMention]:
    """All date mentions in ``text``, sorted by start, non-overlapping, longest match first.

    Candidates from every pattern compete; a longer one blocks the shorter ones it overlaps
    even when it is then rejected (impossible day, implausible context), so "31 February 2012"
    yields nothing rather than "February 2012", and "from 1800 to 2000 troops" no stray "1800".
    """
    candidates: list[tuple[int, int, tuple | None, bool]] = [
        (m.start(), m.end(), _dates(m), False)
        for pattern in _PATTERNS for m in pattern.finditer(text) if not _days_apart(m)
    ]
    if anchor is not None:
        candidates += _anchored(text, anchor)
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    # Accepted spans never overlap, so kept sorted by start their ends are sorted too and one
    # bisection finds the only two neighbours a candidate could collide with.
    starts: list[int] = []
    chosen: list[tuple[int, int, tuple | None, bool]] = []
    for cand in candidates:
        i = bisect.bisect_right(starts, cand[0])
        if (i and chosen[i - 1][1] > cand[0]) or (i < len(starts) and starts[i] < cand[1]):
            continue
        starts.insert(i, cand[0])
        chosen.insert(i, cand)
    found = [
        DateMention(s, e, text[s:e], ends[0], ends[1], anchored)
        for s, e, ends, anchored in chosen
        if ends is not None and (anchored or _plausible(text, s, e, ends[0]))
    ]
    found = _weekdays_after_days(text, _today_of_datelines(text, found), anchor)
    return sorted(found + _back_references(text, found), key=lambda m: m.start)


WEEKDAY_REACH = 400  # characters back where a told day may set the week a weekday falls in


WEEK_BEFORE = 14  # days before the document's date a told day may start the week it tells


def _weekdays_after_days(text: str, found: list[DateMention],
                         anchor: PartialDate | None) -> list[DateMention]:
    """"Ban Ki-moon arrived in Paris on Sunday, 16 December. He began the day on Monday …" in a
    note dated 26 December: the Monday after the day just told, not the one before the note —
    when that day lies in the fortnight before the document (a note on the week past); a news
    story recalling an older day keeps its weekdays in its own week. A note dated to its month
    only ("July 2012") reads them after a day told in that month, up to the month's end."""
    if anchor is None or anchor.month is None:
        return found
    if anchor.day is not None:
        dated = datetime.date(anchor.year, anchor.month, anchor.day)
        reach = WEEK_BEFORE
    else:
        dated = datetime.date(anchor.year + anchor.month // 12, anchor.month % 12 + 1, 1
                              ) - datetime.timedelta(1)  # the month's last day
        reach = dated.day - 1  # a day told anywhere in that month
    out = []
    for m in found:
        told = [d for d in found if any(c.isdigit() for c in d.surface) and d.first == d.last
                and d.first.day is not None and d.first.month is not None
                and d.end <= m.start and m.start - d.end <= WEEKDAY_REACH]
        weekday = _WEEKDAY.fullmatch(m.surface.strip()) if m.anchored else None
        day = told[-1].first if told else None
        base = datetime.date(day.year, day.month, day.day) if (  # type: ignore[arg-type]
            day is not None) else None
        if weekday and base is not None and 0 <= (dated - base).days <= reach:
            when = base + datetime.timedelta(
                (_WEEKDAYS.index(weekday.group("weekday")) - base.weekday()) % 7)
            if when <= dated:  # a week still to come is the document's own reading's
                date = PartialDate(when.year, when.month, when.day)
                m = DateMention(m.start, m.end, m.surface, date, date, True, m.referring)
        out.append(m)
    return out


_DATELINE_PLACE = re.compile(r"(?:^|\n)[ \t]*[A-Z][A-Z .'’-]{2,}(?:, [A-Z][A-Za-z .'’-]+)?,[ \t]*$")


def _today_of_datelines(text: str, found: list[DateMention]) -> list[DateMention]:
    """"NEW YORK, 28 June (UN Headquarters) -- … admitted this morning" in a release dated
    29 June: "today" is the day of the dateline the report was filed under, not the page's."""
    datelines = [m for m in found if m.first.day is not None and m.first == m.last
                 and _DATELINE_PLACE.search(text, max(0, m.start - 80), m.start)]
    if not datelines:
        return found
    out = []
    for m in found:
        filed = [d for d in datelines if d.start < m.start]
        if filed and m.anchored and _TODAY.fullmatch(m.surface):
            day = filed[-1].first
            m = DateMention(m.start, m.end, m.surface, day, day, True, m.referring)
        out.append(m)
    return out


def _back_references(text: str, found: list[DateMention]) -> list[DateMention]:
    """"That morning", "the next day", "later that year": the last single day (or year) named
    before it, within BACK_REACH characters, stepped as the words say; nothing when there is
    none. ``referring`` marks them: the fact cites the sentence naming the day itself."""
    out = []
    for m in _BACK_REFERENCE.finditer(text):
        if any(d.start < m.end() and m.start() < d.end for d in found):
            continue
        years = m.group("year") or m.group("next_year")
        before = [d for d in found if d.end <= m.start() and m.start() - d.end <= BACK_REACH
                  and d.first == d.last]
        if not before or not years and before[-1].first.day is None:
            continue
        last = before[-1]
        if years:
            year = last.first.year + bool(m.group("next_year"))
            when = PartialDate(year)
        else:
            day = datetime.date(last.first.year, last.first.month or 1, last.first.day or 1)
            day += datetime.timedelta(bool(m.group("next_day")))
            when = PartialDate(day.year, day.month, day.day)
        out.append(DateMention(m.start(), m.end(), m.group(0), when, when, last.anchored,
                               referring=True))
    return out


def parse_iso(text: str | None) -> PartialDate | None:
    """A document date from its metadata ("2015-10-06", "2012-09", "2012"), or None."""
    if not text:
        return None
    m = re.fullmatch(r"((?:18|19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?", text.strip())
    if m is None:
        return None
    return _make(int(m.group(1)), int(m.group(2)) if m.group(2) else None,
                 int(m.group(3)) if m.group(3) else None)
