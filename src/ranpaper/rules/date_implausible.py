"""A date before the earliest plausible one.

## What it finds
A meeting or paper dated before `earliest-date` in the configuration (default 2011-01-01,
when the RAN was founded).

## Why it matters
Almost always a typo in the year (`2102` is caught as after publication; `1012` here).

## Example
    - DERAD WG Meeting: Kick-off meeting, Stockholm, 04-05 June 1012

## Use instead
    - DERAD WG Meeting: Kick-off meeting, Stockholm, 04-05 June 2012
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding, date_span

CODE = "RP107"
NAME = "date-implausible"
SEVERITY = Severity.warning


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for _topic, meeting in paper.meetings():
        if meeting.date is not None and meeting.date.end < config.earliest_date:
            yield Finding(
                date_span(meeting),
                f"{meeting.date.text} is before {config.earliest_date.isoformat()}, the earliest "
                "plausible date",
                hint="set `earliest-date` in [tool.ranpaper] if this is right",
            )
