"""A section heading with nothing under it.

## What it finds
One of the four section headings followed directly by the next heading: no item, no text and
no `None`.

## Why it matters
An empty heading is usually content lost in an edit. If the section is empty on purpose,
`None` says so and the report lists it (RP204).

## Example
    ### Practices
    ### Lessons learned and recommendations

## Use instead
    ### Practices

    None
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding

CODE = "RP202"
NAME = "section-empty"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for _theme, topic in paper.topics():
        for section in topic.sections:
            if not section.items and section.marked_empty is None:
                yield Finding(
                    section.span,
                    f'section "{section.heading}" of "{topic.title_text}" is empty',
                    hint=f"write its content, or `{paper.profile.empty}` if it is empty on purpose",
                )
