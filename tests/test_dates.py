from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ranpaper.dates import DateError, DateErrorKind, Precision, parse_date, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("04-05 June 2012", D(2012, 6, 4), D(2012, 6, 5), Precision.day),
        ("2-3 September 2015", D(2015, 9, 2), D(2015, 9, 3), Precision.day),
        ("30 June 2020", D(2020, 6, 30), D(2020, 6, 30), Precision.day),
        ("08 November 2019", D(2019, 11, 8), D(2019, 11, 8), Precision.day),
        ("December 2018", D(2018, 12, 1), D(2018, 12, 31), Precision.month),
        ("February 2020", D(2020, 2, 1), D(2020, 2, 29), Precision.month),
        ("2021", D(2021, 1, 1), D(2021, 12, 31), Precision.year),
        ("30 November-1 December 2020", D(2020, 11, 30), D(2020, 12, 1), Precision.day),
        ("30 November – 1 December 2020", D(2020, 11, 30), D(2020, 12, 1), Precision.day),
        ("30 December 2020-2 January 2021", D(2020, 12, 30), D(2021, 1, 2), Precision.day),
        ("November-December 2016", D(2016, 11, 1), D(2016, 12, 31), Precision.month),
        ("2015–2016", D(2015, 1, 1), D(2016, 12, 31), Precision.year),
        ("3 Sept 2019", D(2019, 9, 3), D(2019, 9, 3), Precision.day),
    ],
)
def test_every_form_of_the_series_parses(text: str, start: D, end: D, precision: Precision) -> None:
    value = parse_date(text)
    assert (value.start, value.end, value.precision) == (start, end, precision)
    assert value.text == text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("31 June 2020", DateErrorKind.not_in_calendar),
        ("29 February 2021", DateErrorKind.not_in_calendar),
        ("30-32 May 2020", DateErrorKind.not_in_calendar),
        ("05-04 June 2012", DateErrorKind.reversed),
        ("1 December-30 November 2020", DateErrorKind.reversed),
        ("Jnue 2020", DateErrorKind.unparseable),
        ("sometime in 2020", DateErrorKind.unparseable),
        ("", DateErrorKind.unparseable),
    ],
)
def test_bad_dates_say_why(text: str, kind: DateErrorKind) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert caught.value.kind is kind


def test_calendar_message_names_the_month_length() -> None:
    with pytest.raises(DateError, match="June 2020 has 30 days"):
        parse_date("31 June 2020")


def test_periods() -> None:
    assert parse_period("2012–present") == (2012, None)
    assert parse_period("2015-2019") == (2015, 2019)
    with pytest.raises(DateError):
        parse_period("2019–2015")


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2999, 12, 31)))
def test_any_calendar_day_written_as_the_paper_does_parses_to_itself(day: D) -> None:
    value = parse_date(day.strftime("%d %B %Y"))
    assert value.start == value.end == day


@given(st.text(max_size=40))
def test_parse_date_raises_only_date_errors(text: str) -> None:
    with contextlib.suppress(DateError):
        parse_date(text)
