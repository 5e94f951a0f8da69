"""Main themes not numbered 1, 2, 3 … in order.

## What it finds
A `Main theme N` whose number is not one more than the previous theme's.

## Why it matters
Theme numbers name the briefs (`03-…pdf`) and are how practitioners refer to a theme.

## Example
    # Main theme 1: Guidelines
    # Main theme 3: Stakeholders

## Use instead
    # Main theme 1: Guidelines
    # Main theme 2: Stakeholders

## Fix
Safe: the number in the heading becomes the theme's position. (Prose that names a theme by its
old number is not changed; the check cannot see such references.)
"""

import re
from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding, Replace, RuleFix

CODE = "RP210"
NAME = "theme-numbering"
SEVERITY = Severity.warning
FIX = "safe"


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    # The words before the number in the profile's theme heading (`Main theme `).
    before = paper.profile.theme.partition("{number}")[0]
    prefix = r"\s+".join(re.escape(word) for word in before.split())
    for expected, theme in enumerate(paper.themes, start=1):
        if theme.number != expected:
            fix = RuleFix(
                f"renumber it {expected}",
                (Replace(theme.span.line, rf"(?i)({prefix}\s*)\d+", rf"\g<1>{expected}"),),
            )
            yield Finding(
                theme.span, f"main theme {theme.number} should be numbered {expected}", fix=fix
            )
