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
from dataclasses import dataclass
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

_DASH = r"\s*[-–—]\s*"
_DAY = r"(\d{1,2})"
_MONTH = r"([^\W\d_]+)\.?"  # letters of any script: a profile's months may be `août`
_YEAR = r"(\d{4})"

# Each form the series uses, most specific first. Groups are (day, month, year) triples
# for start and end; a missing part is inherited from the end (`04-05 June 2012`).
_FORMS: list[tuple[str, tuple[str, ...]]] = [
    (rf"{_DAY} {_MONTH} {_YEAR}{_DASH}{_DAY} {_MONTH} {_YEAR}", ("d", "m", "y", "D", "M", "Y")),
    (rf"{_DAY} {_MONTH}{_DASH}{_DAY} {_MONTH} {_YEAR}", ("d", "m", "D", "M", "Y")),
    (rf"{_DAY}{_DASH}{_DAY} {_MONTH} {_YEAR}", ("d", "D", "M", "Y")),
    (rf"{_DAY} {_MONTH} {_YEAR}", ("D", "M", "Y")),
    (rf"{_MONTH} {_YEAR}{_DASH}{_MONTH} {_YEAR}", ("m", "y", "M", "Y")),
    (rf"{_MONTH}{_DASH}{_MONTH} {_YEAR}", ("m", "M", "Y")),
    (rf"{_MONTH} {_YEAR}", ("M", "Y")),
    (rf"{_YEAR}{_DASH}{_YEAR}", ("y", "Y")),
    (rf"{_YEAR}", ("Y",)),
]
_COMPILED = [(re.compile(rf"^{pattern}$"), names) for pattern, names in _FORMS]

# Loose shape of "something meant as a date": used to decide which part of a meeting line
# is its date before knowing whether that date is valid.
DATE_LIKE = re.compile(
    r"^(?:\d{1,2}\s*(?:[-–—]\s*\d{1,2}\s*)?)?(?:[^\W\d_]+\.?\s*)?"
    r"(?:[-–—]\s*(?:\d{1,2}\s*)?(?:[^\W\d_]+\.?\s*)?)?\d{4}(?:\s*[-–—]\s*\d{4})?$"
)


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


def parse_date(text: str, months: Months = ENGLISH) -> DateRange:
    """Parse one date as the paper writes it, with `months`' names (a profile's); raise
    `DateError` saying what is wrong."""
    cleaned = " ".join(text.split())
    for pattern, names in _COMPILED:
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
        f'"{cleaned}" is not a date the paper can use '
        "(forms: 2021, December 2018, 30 June 2020, 2-3 September 2015, "
        "30 November-1 December 2020)",
    )


_PERIOD = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4}|present)$", re.IGNORECASE)


def parse_period(text: str) -> tuple[int, int | None]:
    """A leader's period such as `2012–present` → (2012, None) or `2015–2019` → (2015, 2019)."""
    match = _PERIOD.match(text.strip())
    if match is None:
        raise DateError(
            DateErrorKind.unparseable,
            f'"{text}" is not a period (write it as 2015–2019 or 2012–present)',
        )
    start = int(match.group(1))
    end = None if match.group(2).lower() == "present" else int(match.group(2))
    if end is not None and end < start:
        raise DateError(DateErrorKind.reversed, f'the period "{text}" ends before it starts')
    return start, end
