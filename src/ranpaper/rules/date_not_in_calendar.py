"""A day that is not in the calendar.

## What it finds
A meeting date naming a day its month does not have: `31 June 2020`, `29 February 2021`,
`0 May 2020`, in a single date or either end of a range.

## Why it matters
Such a date is a typo for another day; the paper would publish an impossible date.

## Example
    - P&P WG Meeting: Kick-off meeting, Vienna, 31 June 2020

## Use instead
    - P&P WG Meeting: Kick-off meeting, Vienna, 30 June 2020
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.dates import DateErrorKind
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding, date_errors, date_span

CODE = "RP102"
NAME = "date-not-in-calendar"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for meeting, error in date_errors(paper):
        if error.kind is DateErrorKind.not_in_calendar:
            yield Finding(date_span(meeting), str(error))
