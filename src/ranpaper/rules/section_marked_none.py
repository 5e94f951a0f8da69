"""A section marked explicitly empty with `None`.

## What it finds
Every section whose only content is `None`. This is information, not a mistake: the report
lists the sections the working group has nothing for yet.

## Why it matters
It shows at a glance where the paper has no practices or lessons, which is where work is
needed.

## Example
    ### Practices

    None

## Use instead
    ### Practices

    **Exit Sweden (Sweden)**: Exit Sweden provides hands-on support …
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding

CODE = "RP204"
NAME = "section-marked-none"
SEVERITY = Severity.info


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for _theme, topic in paper.topics():
        for section in topic.sections:
            if section.marked_empty is not None:
                label = paper.profile.label(section.kind)  # by its id: a fix to the heading
                yield Finding(  # must not make it another finding
                    section.marked_empty,
                    f'"{label}" of "{topic.title_text}" is marked empty ({paper.profile.empty})',
                )
