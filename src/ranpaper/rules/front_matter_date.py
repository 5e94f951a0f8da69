"""The publication date in the front matter is missing or not a date.

## What it finds
`date:` absent, not written `YYYY-MM-DD`, or not in the calendar (`2021-02-30`).

## Why it matters
The publication date is printed on the cover and is the reference for RP104 (dates after
publication) and RP105 (leader periods).

## Example
    date: 24/11/2021

## Use instead
    date: 2021-11-24
"""

from ranpaper.diagnostics import Severity
from ranpaper.model import ProblemKind
from ranpaper.rules._base import from_parser

CODE = "RP106"
NAME = "front-matter-date-invalid"
SEVERITY = Severity.error
PROBLEM = ProblemKind.front_matter_date
check = from_parser(PROBLEM)
