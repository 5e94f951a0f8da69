"""Two footnote definitions with the same label.

## What it finds
A second `[^1]: …` line when one already exists.

## Why it matters
Only one of the two texts can be printed; the other citation would be lost.

## Example
    [^1]: W.R. Miller (2002).
    [^1]: J. Körkel (2003).

## Use instead
    [^1]: W.R. Miller (2002).
    [^2]: J. Körkel (2003).
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding

CODE = "RP305"
NAME = "footnote-duplicate"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for footnote in paper.footnotes:
        if footnote.label in first:
            yield Finding(
                footnote.span,
                f"footnote [^{footnote.label}] is defined twice",
                hint=f"first definition at line {first[footnote.label]}",
            )
        else:
            first[footnote.label] = footnote.span.line
