"""A meeting or paper date that cannot be read.

## What it finds
The date at the end of a *Meetings and papers* line that is not in one of the paper's forms:
`2021`, `December 2018`, `30 June 2020`, `2-3 September 2015`, `30 November-1 December 2020`.

## Why it matters
Dates drive the timeline, the JSON (ISO 8601) and the other date checks; a misspelt month
makes a meeting undated.

## Example
    - EXIT WG Meeting: Kick-off, Berlin, 3 Jnue 2020

## Use instead
    - EXIT WG Meeting: Kick-off, Berlin, 3 June 2020
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.dates import DateErrorKind
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding, date_errors, date_span

CODE = "RP101"
NAME = "date-unparseable"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for meeting, error in date_errors(paper):
        if error.kind is DateErrorKind.unparseable:
            yield Finding(date_span(meeting), f"cannot read the date: {error}")
