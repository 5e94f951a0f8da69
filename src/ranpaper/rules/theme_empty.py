"""A main theme without topics, or a paper without main themes.

## What it finds
A `Main theme N: …` heading with no topic heading under it; a paper with no main theme at
all (an empty file, or one with only front matter).

## Why it matters
Meetings, practices and lessons live in topics; a theme without any is either unfinished or
its topics were given the wrong heading level.

## Example
    # Main theme 2: Involving stakeholders

    Introduction only.

## Use instead
    # Main theme 2: Involving stakeholders

    ## Involving families & communities
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper, Span
from ranpaper.rules._base import Finding

CODE = "RP207"
NAME = "theme-empty"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    if not paper.themes:
        first = paper.metadata.span.end_line + 1 if paper.metadata.span else 1
        yield Finding(
            Span(line=first, column=1, end_line=first, end_column=1),
            "the paper has no main theme",
            hint=f"add a heading `# {paper.profile.theme_heading(1)}: …` with its topics",
        )
    for theme in paper.themes:
        if not theme.topics:
            yield Finding(
                theme.span, f'main theme {theme.number} "{theme.title_text}" has no topics'
            )
