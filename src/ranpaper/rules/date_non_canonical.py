"""A meeting date written in another form than the paper's own.

## What it finds
A date that reads correctly but is not written as the paper writes its dates: the month's
full name (`June`, not `Jun`, `Jun.` or `june`), a plain hyphen between the two ends of a range
with no spaces (`04-05 June 2012`, not `04 – 05 June 2012`), single spaces. Days are left as
written: the published paper writes them both with and without a leading zero.

## Why it matters
The PDF and the briefs print the line as written; one form reads as one paper, and search
finds `June` where it would miss `Jun.`.

## Example
    - EXIT WG Meeting: Kick-off, Berlin, 3 – 4 Sept. 2020

## Use instead
    - EXIT WG Meeting: Kick-off, Berlin, 3-4 September 2020

## Fix
Safe: the date is rewritten in the paper's form, and only if it then reads as the same dates.
"""

import calendar
import re
from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.dates import MONTHS, DateError, parse_date
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding, Replace, RuleFix

CODE = "RP108"
NAME = "date-non-canonical"
SEVERITY = Severity.info
FIX = "safe"

_DASH = re.compile(r"\s*[-–—]\s*")
_WORD = re.compile(r"([A-Za-z]+)\.?")


def _month(match: re.Match[str]) -> str:
    number = MONTHS.get(match.group(1).lower())
    return calendar.month_name[number] if number else match.group(0)


def canonical(text: str) -> str:
    """The paper's form of a date as written (which must already be readable)."""
    return _WORD.sub(_month, _DASH.sub("-", " ".join(text.split())))


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for _topic, meeting in paper.meetings():
        written = meeting.date_text
        if meeting.date is None or not written:
            continue
        wanted = canonical(written)
        if wanted == written:
            continue
        try:
            read = parse_date(wanted)
            same = (read.start, read.end, read.precision) == (
                meeting.date.start,
                meeting.date.end,
                meeting.date.precision,
            )
        except DateError:
            same = False
        span = meeting.date_span or meeting.span
        fix = None
        if same and meeting.date_span is not None:
            edit = Replace(span.line, re.escape(written), wanted, column=span.column)
            fix = RuleFix(f"write {wanted}", (edit,))
        yield Finding(span, f'date "{written}" is not in the paper\'s form "{wanted}"', fix=fix)
