"""A section heading that is not spelt as one of the four sections.

## What it finds
A heading close to a fixed section title but not equal to it (`Lessons learnt and
recommendations`, `Meetings & papers`). The parser keeps its content as that section. The
titles are the paper's profile's: its labels and the other spellings it accepts. Under another
profile, the default profile's headings are near misses too (a French paper's topic that kept
`Meetings and papers`), so a topic that kept them is never read as sub-topics.

## Why it matters
Section titles are fixed across the series; a variant breaks the layout and readers' search.

## Example
    ### Lessons learnt and recommendations

## Use instead
    ### Lessons learned and recommendations

## Fix
Safe: the heading is replaced by the section title it was read as (the parser already keeps
its content as that section).
"""

import re
from collections.abc import Iterator
from dataclasses import replace

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding, Replace, RuleFix

CODE = "RP203"
NAME = "section-heading-unknown"
SEVERITY = Severity.error
FIX = "safe"


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for _theme, topic in paper.topics():
        for section in topic.sections:
            label = paper.profile.section(section.kind)
            if section.heading not in (label.label, *label.spellings):
                # Point the caret at the heading's text, past the `### ` marker.
                column = max(section.span.column, section.span.end_column - len(section.heading))
                yield Finding(
                    replace(section.span, column=column),
                    f'unknown section heading "{section.heading}"',
                    hint=f'did you mean "{label.label}"?',
                    fix=RuleFix(
                        f'write "{label.label}"',
                        # The heading as written, up to the end of the line or its closing #s.
                        (
                            Replace(
                                section.span.line,
                                re.escape(section.heading) + r"(?=[ \t]*(?:#+[ \t]*)?$)",
                                label.label.replace("\\", "\\\\"),
                            ),
                        ),
                    ),
                )
