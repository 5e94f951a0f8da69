"""A footnote reference without a definition.

## What it finds
`[^3]` in the text with no `[^3]: …` line anywhere in the paper.

## Why it matters
The reference would print as a bare `[^3]`, and the source it cites is missing.

## Example
    … resolving ambivalence".[^3]

## Use instead
    … resolving ambivalence".[^1]

    [^1]: W.R. Miller, S. Rollnick (2002): Motivational Interviewing.
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import FootnoteRef, Paper
from ranpaper.rules._base import Finding, inline_nodes, suggest

CODE = "RP303"
NAME = "footnote-undefined"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    labels = [footnote.label for footnote in paper.footnotes]
    for node, span in inline_nodes(paper):
        if isinstance(node, FootnoteRef) and node.label not in labels:
            close = suggest(node.label, labels)
            yield Finding(
                node.span or span,
                f"footnote [^{node.label}] is not defined",
                hint=f"did you mean [^{close}]?"
                if close
                else f"add a line `[^{node.label}]: …` at the end of the paper",
            )
