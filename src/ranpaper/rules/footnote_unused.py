"""A footnote definition that nothing refers to.

## What it finds
A `[^2]: …` line whose label is never used as `[^2]` in the text.

## Why it matters
Its text would be printed nowhere: a reference was deleted or mistyped.

## Example
    [^2]: Joachim Körkel, C. Veltrup (2003): Motivational Interviewing.

## Use instead
    … the idea of changing.[^2]

    [^2]: Joachim Körkel, C. Veltrup (2003): Motivational Interviewing.
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import FootnoteRef, Paper
from ranpaper.rules._base import Finding, inline_nodes

CODE = "RP304"
NAME = "footnote-unused"
SEVERITY = Severity.warning


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    used = {node.label for node, _span in inline_nodes(paper) if isinstance(node, FootnoteRef)}
    for footnote in paper.footnotes:
        if footnote.label not in used:
            yield Finding(footnote.span, f"footnote [^{footnote.label}] is defined but never used")
