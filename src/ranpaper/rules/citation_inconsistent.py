"""The same meeting or paper cited in two places with different details.

## What it finds
Two *Meetings and papers* lines citing the same event — the same link target, or the same
title (ignoring case) with at least one of date, place or organisers in common — whose
dates, places or organisers differ where both lines give them. Two lines that share only a
generic title ("Kick-off meeting") and nothing else are different events.

## Why it matters
Papers cite the same event from several topics; if the details disagree, at least one is
wrong, and the timeline counts the event twice.

## Example
    - P&P: [Multiagency cooperation around radicalised offenders](#), Stockholm, 24-25 February 2016
    - P&P: [Multiagency cooperation around radicalised offenders](#), Stockholm, 24-25 March 2016

## Use instead
    The same date, place and organiser in both places.
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Meeting, Paper, Topic
from ranpaper.rules._base import Finding, date_span

CODE = "RP306"
NAME = "citation-inconsistent"
SEVERITY = Severity.error


def _keys(meeting: Meeting) -> list[str]:
    keys = []
    if meeting.title:
        keys.append("title:" + " ".join(meeting.title_text.lower().split()))
    keys.extend("url:" + link.url for link in meeting.links[:1] if not link.is_lost)
    return keys


def _differences(first: Meeting, second: Meeting) -> list[str]:
    out = []
    if first.date_text and second.date_text and first.date_text != second.date_text:
        out.append(f'date "{second.date_text}" vs "{first.date_text}"')
    if first.place and second.place and first.place != second.place:
        out.append(f'place "{second.place}" vs "{first.place}"')
    if first.organisers and second.organisers and set(first.organisers) != set(second.organisers):
        out.append(f"organiser {' & '.join(second.organisers)} vs {' & '.join(first.organisers)}")
    return out


def _same_event(key: str, first: Meeting, second: Meeting) -> bool:
    if key.startswith("url:"):
        return True
    return (
        (first.date_text is not None and first.date_text == second.date_text)
        or (first.place is not None and first.place == second.place)
        or (bool(first.organisers) and set(first.organisers) == set(second.organisers))
    )


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    seen: dict[str, list[tuple[Topic, Meeting]]] = {}
    for topic, meeting in paper.meetings():
        reported = False
        for key in _keys(meeting):
            for first_topic, first in seen.get(key, []):
                if reported or not _same_event(key, first, meeting):
                    continue
                differences = _differences(first, meeting)
                if differences:
                    reported = True
                    yield Finding(
                        date_span(meeting) if "date" in differences[0] else meeting.span,
                        f'"{meeting.title_text}" is cited differently in '
                        f'"{first_topic.title_text}" '
                        f"(line {first.span.line}): {'; '.join(differences)}",
                    )
            seen.setdefault(key, []).append((topic, meeting))
