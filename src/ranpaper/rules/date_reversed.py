"""A date range that ends before it starts.

## What it finds
`05-04 June 2012`, `1 December-30 November 2020`: the second end of a range comes first.

## Why it matters
Usually two digits swapped; the range cannot be placed on the timeline.

## Example
    - DERAD WG Meeting: Kick-off meeting, Stockholm, 05-04 June 2012

## Use instead
    - DERAD WG Meeting: Kick-off meeting, Stockholm, 04-05 June 2012
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.dates import DateErrorKind
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding, date_errors, date_span

CODE = "RP103"
NAME = "date-reversed"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for meeting, error in date_errors(paper):
        if error.kind is DateErrorKind.reversed:
            yield Finding(date_span(meeting), f"date range is reversed: {error}")
