"""A meeting date written in another form than the paper's own.

## What it finds
A date that reads correctly but is not written as the paper writes its dates, in its profile's
words (`[dates]`): the month's full name (`June`, not `Jun`, `Jun.` or `june`; under `fr`,
`juillet`, not `juil.`), a plain hyphen between the two ends of a range with no spaces
(`04-05 June 2012`, not `04 – 05 June 2012`), single spaces, each day with the profile's first
day suffix (German `14. Oktober 2015`) and, in month-day-year order, a comma before the year.
Days are left as written: the published paper writes them both with and without a leading
zero.

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

import re
from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.dates import DateError, canonical, parse_date
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding, Replace, RuleFix

CODE = "RP108"
NAME = "date-non-canonical"
SEVERITY = Severity.info
FIX = "safe"


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    forms = paper.profile.date_forms
    for _topic, meeting in paper.meetings():
        written = meeting.date_text
        if meeting.date is None or not written:
            continue
        wanted = canonical(written, forms)
        if wanted == written:
            continue
        try:
            read = parse_date(wanted, forms)
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
