"""A link registry entry that matches no lost link.

## What it finds
An entry of `links.toml` (beside the paper) whose text and topic name no lost link of the
paper: the link's text or topic was changed, or the source now gives the link its URL (after
`ranpaper links --apply`, or by hand). One finding per entry and topic, at the entry's
`[[link]]` line in `links.toml`.

## Why it matters
A stale entry recovers nothing: the link it was meant for is printed as plain text again, and
nobody notices that the URL found for it is no longer used.

## Example
    [[link]]
    text = "Rehabilitation Manual (2020)"        # the paper says "Rehabilitation Manual"
    topic = "Review and evaluation / Evaluation"
    url = "https://example.org/rehabilitation-manual"

## Use instead
    [[link]]
    text = "Rehabilitation Manual"
    topic = "Review and evaluation / Evaluation"
    url = "https://example.org/rehabilitation-manual"
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper, Span
from ranpaper.rules._base import Finding

CODE = "RP312"
NAME = "link-registry-stale"
SEVERITY = Severity.warning


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    if config.links is None:
        return
    from ranpaper.links.citations import matching

    for stale in matching(paper, config.links).stale:
        line = stale.entry.line
        span = Span(line=line, column=1, end_line=line, end_column=1)
        yield Finding(span, stale.message, stale.hint, path=config.links.path)
