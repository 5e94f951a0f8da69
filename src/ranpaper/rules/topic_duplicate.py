"""Two topics with the same title in one theme.

## What it finds
Topic titles (at any depth) that are equal, ignoring case and spaces, within one main theme.

## Why it matters
Titles name the topics in the table of contents, the bookmarks and the briefs; a duplicate is
usually a pasted section that should have been merged or renamed.

## Example
    ## Gender
    …
    ## Gender

## Use instead
    ## Gender
    …
    ## Gender and probation
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding

CODE = "RP206"
NAME = "topic-duplicate"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for theme in paper.themes:
        seen: dict[str, int] = {}
        for topic in theme.walk():
            key = " ".join(topic.title_text.lower().split())
            if key in seen:
                yield Finding(
                    topic.span,
                    f'topic "{topic.title_text}" appears twice in main theme {theme.number}',
                    hint=f"first at line {seen[key]}",
                )
            else:
                seen[key] = topic.span.line
