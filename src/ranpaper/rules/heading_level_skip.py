"""A heading that skips a level.

## What it finds
A heading more than one level deeper than the heading before it (`##` followed by `####`).

## Why it matters
Levels decide which topic a section belongs to and build the PDF's bookmarks; a skipped level
is usually a mistyped `#` count, and screen readers announce a broken outline.

## Example
    ## Gender
    #### Meetings and papers

## Use instead
    ## Gender
    ### Meetings and papers
"""

from ranpaper.diagnostics import Severity
from ranpaper.model import ProblemKind
from ranpaper.rules._base import from_parser

CODE = "RP205"
NAME = "heading-level-skip"
SEVERITY = Severity.warning
PROBLEM = ProblemKind.heading_level_skip
check = from_parser(PROBLEM)
