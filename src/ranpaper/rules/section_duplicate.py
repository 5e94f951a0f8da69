"""The same section twice in one topic.

## What it finds
A second *Practices* (or other fixed) heading in a topic that already has one. Its content is
kept, added to the first.

## Why it matters
Usually a topic heading was deleted and two topics ran together.

## Example
    ### Practices
    …
    ### Practices

## Use instead
    One *Practices* section per topic; a new topic heading above the second.
"""

from ranpaper.diagnostics import Severity
from ranpaper.model import ProblemKind
from ranpaper.rules._base import from_parser

CODE = "RP209"
NAME = "section-duplicate"
SEVERITY = Severity.error
PROBLEM = ProblemKind.section_duplicate
check = from_parser(PROBLEM)
