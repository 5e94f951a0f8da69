"""A translation's meetings that are not its original's.

## What it finds
In a translation (`translation-of:` in its front matter, or `ranpaper translate check
--original`), topic by topic: a meeting the original lists and the translation dropped (or
one it added), and, meeting by meeting in order, a different date (the days it covers, in
whatever language it is written), different organisers, or different links. Reported at the
translation's meeting line (a dropped meeting: at its section's heading).

## Why it matters
Dates, organisers and links are facts, not words: a translation that changes one misstates
what happened, and the timeline and the link registry of the two papers disagree.

## Example
    - EXIT WG Meeting: [Adjacent fields: Gangs](#), Prag, 11.-12. Oktober 2018
      (the original: 11-12 September 2018)

## Use instead
    - EXIT WG Meeting: [Adjacent fields: Gangs](#), Prag, 11.-12. September 2018
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Meeting, Paper
from ranpaper.rules._base import Finding, date_span
from ranpaper.rules._parity import topic_pairs

CODE = "RP402"
NAME = "translation-meetings"
SEVERITY = Severity.error


def _meetings(section: object) -> list[Meeting]:
    items = getattr(section, "items", None) or []
    return [item for item in items if isinstance(item, Meeting)]


def _when(meeting: Meeting) -> str:
    date = meeting.date
    if date is None:
        return meeting.date_text or "no date"
    return (
        date.start.isoformat()
        if date.start == date.end
        else (f"{date.start.isoformat()}/{date.end.isoformat()}")
    )


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    original = config.original
    if original is None:
        return
    for place, topic, source in topic_pairs(paper, original):
        ours, theirs = _meetings(topic.meetings), _meetings(source.meetings)
        if len(ours) != len(theirs):
            where = topic.meetings.span if topic.meetings is not None else topic.span
            missing = len(theirs) - len(ours)
            said = f"drops {missing}" if missing > 0 else f"adds {-missing}"
            yield Finding(
                where,
                f"topic {place} {said} of the original's {len(theirs)} meetings",
            )
            continue
        for mine, theirs_meeting in zip(ours, theirs, strict=True):
            if _when(mine) != _when(theirs_meeting):
                yield Finding(
                    date_span(mine),
                    f"date {mine.date_text!r} is not the original's "
                    f"{theirs_meeting.date_text!r} ({_when(mine)} ≠ {_when(theirs_meeting)})",
                )
            if sorted(mine.organisers) != sorted(theirs_meeting.organisers):
                yield Finding(
                    mine.span,
                    f"organisers {', '.join(mine.organisers) or 'none'} are not the "
                    f"original's {', '.join(theirs_meeting.organisers) or 'none'}",
                )
            urls = sorted(link.url for link in mine.links)
            wanted = sorted(link.url for link in theirs_meeting.links)
            if urls != wanted:
                yield Finding(
                    mine.span,
                    f"links {', '.join(urls) or 'none'} are not the original's "
                    f"{', '.join(wanted) or 'none'}",
                )
