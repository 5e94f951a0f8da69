"""A meeting or paper dated after the paper was published.

## What it finds
A date that starts after the publication date in the front matter, unless the line says the
work is forthcoming (`to be published 2022`).

## Why it matters
An overview paper reports what happened; a later date is a typo (`2012` written `2021`) or a
planned item that must be marked as such.

## Example
    - REHAB WG Meeting: Implementing the manual, online, 03 December 2023

## Use instead
    - Paper: Julian Junk, Quality Management of P/CVE Interventions, to be published 2022
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding, date_span

CODE = "RP104"
NAME = "date-after-publication"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    published = paper.metadata.date
    if published is None:
        return
    forthcoming = paper.profile.date_forms.forthcoming[0]  # the profile's words
    for _topic, meeting in paper.meetings():
        if meeting.date is not None and meeting.date.start > published and not meeting.forthcoming:
            yield Finding(
                date_span(meeting),
                f"{meeting.date.text} is after the paper's publication date "
                f"{published.isoformat()}",
                hint=f"if the work is planned, write `{forthcoming} YEAR`",
            )
