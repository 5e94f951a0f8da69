"""Dates as the paper writes them: a day, a month or a year, alone or as a range.

Pure functions over strings; nothing here knows about Markdown. The parser keeps the text
of a date as written and this module turns it into a `DateRange` or explains why it cannot,
so that a rule can report *why* ("31 June is not in the calendar") rather than only *that*.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from typing import ClassVar

Months = tuple[tuple[str, ...], ...]
"""Each month's accepted names, January first, the first name the one messages use: a
profile's `[dates] months` (`ranpaper.profiles`)."""

ENGLISH: Months = tuple(
    (name, name[:3], "Sept") if number == 9 else (name, name[:3])
    for number, name in enumerate(calendar.month_name[1:], start=1)
)


@cache
def _numbers(months: Months) -> Mapping[str, int]:
    # A short form may be written with its dot (`sept.`); the dot is optional in a date.
    return {
        name.lower().rstrip("."): number for number, names in enumerate(months, 1) for name in names
    }


MONTHS = _numbers(ENGLISH)


class Order(StrEnum):
    """The order a profile writes a day's parts in (`[dates] order`)."""

    day_month_year = "day-month-year"  # 30 June 2020, 30. Juni 2020
    month_day_year = "month-day-year"  # June 30, 2020


@dataclass(frozen=True)
class DateForms:
    """How a paper writes its dates: a profile's `[dates]` (`ranpaper.profiles`). The defaults
    are the default profile's, for callers that read without a profile."""

    months: Months = ENGLISH
    order: Order = Order.day_month_year
    day_suffixes: tuple[str, ...] = ()
    """What may follow a day's number (`.` in German `30. Juni`); the first is written."""
    forthcoming: tuple[str, ...] = (
        "to be published",
        "to be published in",
        "forthcoming",
        "forthcoming in",
    )
    """Words before a year that say a work is not out yet (`to be published 2022`)."""
    present: tuple[str, ...] = ("present",)
    """The word that ends a period still running (`2012–present`); the first is written."""


ENGLISH_FORMS = DateForms()


def _forms(value: Months | DateForms) -> DateForms:
    return value if isinstance(value, DateForms) else DateForms(months=value)


_DASH = r"\s*[-–—]\s*"
_MONTH = r"([^\W\d_]+)\.?"  # letters of any script: a profile's months may be `août`
_YEAR = r"(\d{4})"

Form = tuple[re.Pattern[str], tuple[str, ...]]


@cache
def _compiled(order: Order, suffixes: tuple[str, ...]) -> list[Form]:
    """Each form a profile's dates take, most specific first. Groups are (day, month, year)
    triples for start and end; a missing part is inherited from the end (`04-05 June 2012`)."""
    suffix = f"(?:{'|'.join(re.escape(s) for s in suffixes)})?" if suffixes else ""
    day = rf"(\d{{1,2}}){suffix}"
    m, y = _MONTH, _YEAR
    forms: list[tuple[str, tuple[str, ...]]]
    if order is Order.month_day_year:
        forms = [
            (rf"{m} {day},? {y}{_DASH}{m} {day},? {y}", ("m", "d", "y", "M", "D", "Y")),
            (rf"{m} {day}{_DASH}{m} {day},? {y}", ("m", "d", "M", "D", "Y")),
            (rf"{m} {day}{_DASH}{day},? {y}", ("M", "d", "D", "Y")),
            (rf"{m} {day},? {y}", ("M", "D", "Y")),
        ]
    else:
        forms = [
            (rf"{day} {m} {y}{_DASH}{day} {m} {y}", ("d", "m", "y", "D", "M", "Y")),
            (rf"{day} {m}{_DASH}{day} {m} {y}", ("d", "m", "D", "M", "Y")),
            (rf"{day}{_DASH}{day} {m} {y}", ("d", "D", "M", "Y")),
            (rf"{day} {m} {y}", ("D", "M", "Y")),
        ]
    forms += [
        (rf"{m} {y}{_DASH}{m} {y}", ("m", "y", "M", "Y")),
        (rf"{m}{_DASH}{m} {y}", ("m", "M", "Y")),
        (rf"{m} {y}", ("M", "Y")),
        (rf"{y}{_DASH}{y}", ("y", "Y")),
        (rf"{y}", ("Y",)),
    ]
    return [(re.compile(rf"^{pattern}$"), names) for pattern, names in forms]


# Loose shape of "something meant as a date": used to decide which part of a meeting line
# is its date before knowing whether that date is valid, or written in the profile's order or
# language (a date written otherwise is taken as the date and reported, never left in the
# title). A day may carry a suffix (`14.`, `1er`).
_LOOSE_DAY = r"\d{1,2}(?:\.|[^\W\d_]{1,2}\b)?"
DATE_LIKE = re.compile(
    rf"^(?:{_LOOSE_DAY}\s*(?:[-–—]\s*{_LOOSE_DAY}\s*)?)?(?:[^\W\d_]+\.?\s*)?"
    rf"(?:[-–—]\s*(?:{_LOOSE_DAY}\s*)?(?:[^\W\d_]+\.?\s*)?)?\d{{4}}(?:\s*[-–—]\s*\d{{4}})?$"
)
MONTH_DAY = re.compile(
    rf"^[^\W\d_]+\.?\s*{_LOOSE_DAY}(?:\s*[-–—]\s*(?:[^\W\d_]+\.?\s*)?{_LOOSE_DAY})?$"
)
"""The first half of a month-day-year date that a comma split from its year (`February 13`
of `February 13, 2017`): the meeting parser joins the two."""


def names_a_month(word: str, forms: DateForms = ENGLISH_FORMS) -> bool:
    """Whether `word` is a month's name in `forms`, or in English (the language a date in
    another paper's order is most often written in)."""
    key = word.lower().rstrip(".")
    return key in _numbers(forms.months) or key in MONTHS


class Precision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


class DateErrorKind(StrEnum):
    unparseable = "unparseable"
    not_in_calendar = "not-in-calendar"
    reversed = "reversed"


class DateError(ValueError):
    """Why a date text is not a date; `kind` lets rules tell the cases apart."""

    def __init__(self, kind: DateErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, kw_only=True)
class DateRange:
    """A day, month or year, or a range of them: `start` and `end` are the first and last
    day covered, `precision` says how finely the paper gave it."""

    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}

    text: str
    start: dt.date
    end: dt.date
    precision: Precision

    @property
    def is_range(self) -> bool:
        """True when the date covers more than one day, month or year of its precision."""
        return _covers_more_than_its_unit(self)


def _covers_more_than_its_unit(value: DateRange) -> bool:
    if value.precision is Precision.day:
        return value.start != value.end
    if value.precision is Precision.month:
        return (value.start.year, value.start.month) != (value.end.year, value.end.month)
    return value.start.year != value.end.year


def _month(name: str, text: str, months: Months) -> int:
    number = _numbers(months).get(name.lower())
    if number is None:
        raise DateError(DateErrorKind.unparseable, f'"{name}" is not a month name in "{text}"')
    return number


def _day(year: int, month: int, day: int, text: str, months: Months) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        month_name = months[month - 1][0]
        raise DateError(
            DateErrorKind.not_in_calendar,
            f"{day} {month_name} {year} is not in the calendar "
            f"({month_name} {year} has {calendar.monthrange(year, month)[1]} days)",
        ) from None


def parse_date(text: str, months: Months | DateForms = ENGLISH_FORMS) -> DateRange:
    """Parse one date as the paper writes it, in a profile's forms (or with `months`' names
    in the default forms); raise `DateError` saying what is wrong."""
    forms = _forms(months)
    cleaned = " ".join(text.split())
    try:
        return _parse(cleaned, text, forms)
    except DateError as error:
        if error.kind is not DateErrorKind.unparseable:
            raise
        other = (
            Order.month_day_year if forms.order is Order.day_month_year else (Order.day_month_year)
        )
        try:
            read = _parse(cleaned, text, replace(forms, order=other))
        except DateError:
            raise error from None
        raise DateError(
            DateErrorKind.unparseable,
            f'"{cleaned}" is written {other.value.replace("-", " ")}; this paper writes '
            f"{forms.order.value.replace('-', ' ')}: {write_range(read, forms)}",
        ) from None


def _parse(cleaned: str, text: str, forms: DateForms) -> DateRange:
    months = forms.months
    for pattern, names in _compiled(forms.order, forms.day_suffixes):
        match = pattern.match(cleaned)
        if match is None:
            continue
        parts = dict(zip(names, match.groups(), strict=True))
        year_end = int(parts["Y"])
        year_start = int(parts.get("y", year_end))
        if not 1000 <= year_start <= 9999:
            break
        month_end = _month(parts["M"], cleaned, months) if "M" in parts else None
        month_start = _month(parts["m"], cleaned, months) if "m" in parts else month_end
        if "D" in parts:
            assert month_end is not None and month_start is not None
            day_end = int(parts["D"])
            day_start = int(parts.get("d", day_end))
            start = _day(year_start, month_start, day_start, cleaned, months)
            end = _day(year_end, month_end, day_end, cleaned, months)
            precision = Precision.day
        elif month_end is not None:
            assert month_start is not None
            start = dt.date(year_start, month_start, 1)
            end = dt.date(year_end, month_end, calendar.monthrange(year_end, month_end)[1])
            precision = Precision.month
        else:
            start = dt.date(year_start, 1, 1)
            end = dt.date(year_end, 12, 31)
            precision = Precision.year
        if end < start:
            raise DateError(DateErrorKind.reversed, f'"{cleaned}" ends before it starts')
        return DateRange(text=text, start=start, end=end, precision=precision)
    raise DateError(
        DateErrorKind.unparseable,
        f'"{cleaned}" is not a date the paper can use (forms: {examples(forms)})',
    )


def _write_day(day: int, month: int, forms: DateForms) -> str:
    number = f"{day}{forms.day_suffixes[0] if forms.day_suffixes else ''}"
    name = forms.months[month - 1][0]
    return f"{name} {number}" if forms.order is Order.month_day_year else f"{number} {name}"


def write_range(value: DateRange, forms: DateForms = ENGLISH_FORMS) -> str:
    """A date in the profile's form (`13-14 February 2017`, `February 13-14, 2017`,
    `13.-14. Februar 2017`): what a finding suggests."""
    start, end = value.start, value.end
    names = forms.months
    if value.precision is Precision.year:
        return str(end.year) if start.year == end.year else f"{start.year}-{end.year}"
    if value.precision is Precision.month:
        if (start.year, start.month) == (end.year, end.month):
            return f"{names[end.month - 1][0]} {end.year}"
        if start.year == end.year:
            return f"{names[start.month - 1][0]}-{names[end.month - 1][0]} {end.year}"
        return f"{names[start.month - 1][0]} {start.year}-{names[end.month - 1][0]} {end.year}"
    comma = "," if forms.order is Order.month_day_year else ""
    if start == end:
        return f"{_write_day(end.day, end.month, forms)}{comma} {end.year}"
    if start.year != end.year:
        return (
            f"{_write_day(start.day, start.month, forms)}{comma} {start.year}-"
            f"{_write_day(end.day, end.month, forms)}{comma} {end.year}"
        )
    if start.month != end.month:
        return (
            f"{_write_day(start.day, start.month, forms)}-"
            f"{_write_day(end.day, end.month, forms)}{comma} {end.year}"
        )
    suffix = forms.day_suffixes[0] if forms.day_suffixes else ""
    if forms.order is Order.month_day_year:
        return f"{names[end.month - 1][0]} {start.day}-{end.day}, {end.year}"
    return f"{start.day}{suffix}-{_write_day(end.day, end.month, forms)} {end.year}"


def examples(forms: DateForms = ENGLISH_FORMS) -> str:
    """The profile's date forms by example, for messages: `2021, December 2018, 30 June 2020,
    2-3 September 2015, 30 November-1 December 2020`."""
    samples = [
        DateRange(
            text="", start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31), precision=Precision.year
        ),
        DateRange(
            text="",
            start=dt.date(2018, 12, 1),
            end=dt.date(2018, 12, 31),
            precision=Precision.month,
        ),
        DateRange(
            text="", start=dt.date(2020, 6, 30), end=dt.date(2020, 6, 30), precision=Precision.day
        ),
        DateRange(
            text="", start=dt.date(2015, 9, 2), end=dt.date(2015, 9, 3), precision=Precision.day
        ),
        DateRange(
            text="", start=dt.date(2020, 11, 30), end=dt.date(2020, 12, 1), precision=Precision.day
        ),
    ]
    return ", ".join(write_range(sample, forms) for sample in samples)


_TOKEN = re.compile(r"\s*(?:(\d{4})|(\d{1,2})(\.|[^\W\d_]{1,2}\b)?|([^\W\d_]+)\.?|([-–—])|(,))")


def canonical(text: str, forms: DateForms = ENGLISH_FORMS) -> str:
    """The profile's form of a date as written (which must already be readable): months by
    their full name, each day with the profile's suffix, a range's dash a plain hyphen without
    spaces, single spaces, the comma of month-day-year before the year. Days keep their digits
    as written (the published paper writes `04-05 June 2012`)."""
    numbers = _numbers(forms.months)
    suffix = forms.day_suffixes[0] if forms.day_suffixes else ""
    out = ""
    position = 0
    cleaned = " ".join(text.split())
    while position < len(cleaned):
        match = _TOKEN.match(cleaned, position)
        if match is None or match.end() == position:
            return cleaned  # not a date's tokens: left as written
        position = match.end()
        year, day, _day_suffix, word, dash, comma = match.groups()
        if dash:
            out = out.rstrip() + "-"
            continue
        if comma:
            out = out.rstrip() + ","
            continue
        if year:
            piece = year
        elif day:
            piece = day + suffix
        else:
            number = numbers.get(word.lower())
            piece = forms.months[number - 1][0] if number else match.group(0).strip()
        out += piece if not out or out.endswith("-") else " " + piece
    return out


_PERIOD = re.compile(r"^(\d{4})\s*[-–—]\s*(\S.*)$")


def parse_period(text: str, forms: DateForms = ENGLISH_FORMS) -> tuple[int, int | None]:
    """A leader's period such as `2012–present` (the profile's `present` words) → (2012, None)
    or `2015–2019` → (2015, 2019)."""
    match = _PERIOD.match(text.strip())
    present = [word.lower() for word in forms.present]
    end_text = match.group(2).strip() if match else ""
    if match is None or not (re.fullmatch(r"\d{4}", end_text) or end_text.lower() in present):
        now = forms.present[0] if forms.present else "present"
        raise DateError(
            DateErrorKind.unparseable,
            f'"{text}" is not a period (write it as 2015–2019 or 2012–{now})',
        )
    start = int(match.group(1))
    end = None if end_text.lower() in present else int(end_text)
    if end is not None and end < start:
        raise DateError(DateErrorKind.reversed, f'the period "{text}" ends before it starts')
    return start, end
