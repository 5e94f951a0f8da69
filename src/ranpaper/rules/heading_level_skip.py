"""A heading that skips a level.

## What it finds
A heading more than one level deeper than the heading before it (`##` followed by `####`),
and each heading after it at that same level until a shallower one (the topic's other
sections written `####` too): each is reported, so each is fixed.

## Why it matters
Levels decide which topic a section belongs to and build the PDF's bookmarks; a skipped level
is usually a mistyped `#` count, and screen readers announce a broken outline.

## Example
    ## Gender
    #### Meetings and papers
    #### Practices

## Use instead
    ## Gender
    ### Meetings and papers
    ### Practices

## Fix
Safe: the heading gets one level more than the heading above the skip, and so does each
sibling at the same level after it. Which topic a heading belongs to depends only on levels
relative to the headings before it, so the model is unchanged (a heading under them that then
skips is fixed in the next round).
"""

import re
from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper, ProblemKind
from ranpaper.rules._base import Finding, Replace, RuleFix, from_parser

CODE = "RP205"
NAME = "heading-level-skip"
SEVERITY = Severity.warning
FIX = "safe"
PROBLEM = ProblemKind.heading_level_skip
_from_parser = from_parser(PROBLEM)
# The parser's message names both levels: "heading level skips from h2 to h4", or for a
# sibling after it "heading continues the skip from h2 to h4 of line 12".
_LEVELS = re.compile(r"from h(\d) to h(\d)")


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for finding in _from_parser(paper, config):
        levels = _LEVELS.search(finding.message)
        if levels is None:
            yield finding
            continue
        wanted = "#" * (int(levels.group(1)) + 1)
        edit = Replace(finding.span.line, rf"^ {{0,3}}#{{{levels.group(2)}}}(?=[ \t]|$)", wanted)
        yield Finding(
            finding.span,
            finding.message,
            finding.hint,
            fix=RuleFix(f"make it {wanted}", (edit,)),
        )
