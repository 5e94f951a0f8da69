"""A meeting line that does not read as organiser, title, place and date.

## What it finds
A *Meetings and papers* bullet from which no date could be read (nothing date-like at the
end), no title (the line is only a date or place), or no kind: the line has no head
(`EXIT WG Meeting:`, `Paper:`) and its first words name no kind, so ranpaper does not guess
whether it was a meeting or a publication (a place does not make a meeting).

## Why it matters
Each line becomes a typed entry in the JSON, the timeline and the briefs; an undated or
untitled entry cannot be placed or cited.

## Example
    - EXIT WG Meeting: Gangs, Prague

## Use instead
    - EXIT WG Meeting: [Adjacent fields: Gangs](#), Prague, 11-12 September 2018
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding

CODE = "RP208"
NAME = "meeting-incomplete"
SEVERITY = Severity.warning

_FORM = (
    "write `ORGANISER KIND: title, place, date`, "
    "e.g. `EXIT WG Meeting: Gangs, Prague, 11-12 September 2018`"
)


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for _topic, meeting in paper.meetings():
        if meeting.date_text is None:
            yield Finding(meeting.span, "meeting line has no date at its end", hint=_FORM)
        if not meeting.title:
            yield Finding(meeting.span, "meeting line has no title", hint=_FORM)
        if meeting.kind is None and meeting.title:
            yield Finding(
                meeting.span,
                "meeting line does not say what it is (a meeting, a paper, a manual, …)",
                hint="begin it with what it is, e.g. `Paper:`, `Manual:` or `EXIT WG Meeting:`",
            )
