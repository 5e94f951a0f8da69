"""A topic without one of the four sections.

## What it finds
A topic (one that holds sections rather than only sub-topics) that lacks *Meetings and
papers*, *Practices*, *Lessons learned and recommendations* or *What needs to be further
explored?* (or what the paper's profile calls them).

## Why it matters
Every topic of an overview paper has the same four sections, so that readers can compare
topics. A section with nothing to say is written with `None` (RP204), not left out.

## Example
    ## Formers
    ### Meetings and papers
    ### Practices
    ### Lessons learned and recommendations

## Use instead
    ### What needs to be further explored?

    None
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding

CODE = "RP201"
NAME = "section-missing"
SEVERITY = Severity.warning


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for _theme, topic in paper.topics():
        if topic.topics and not topic.sections:
            continue  # a grouping topic: its sub-topics hold the sections
        present = {section.kind for section in topic.sections}
        profile = paper.profile
        for section in profile.sections:
            if section.id not in present:
                yield Finding(
                    topic.span,
                    f'topic "{topic.title_text}" has no "{section.label}" section',
                    hint=f'add "{section.label}" ({section.holds}), or write `{profile.empty}` '
                    "under it if there is none",
                )
