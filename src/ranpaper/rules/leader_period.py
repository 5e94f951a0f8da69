"""A working-group leader's period that is unreadable, reversed, or starts after the paper.

## What it finds
In the front matter's `leaders`, a `period` not written `2015–2019` or `2012–present`, one that
ends before it starts, or one that starts after the publication date.

## Why it matters
The periods are printed in the introduction; a wrong one misstates who led the group when.

## Example
    leaders:
      previous:
        - name: Judy Korn
          period: 2019–2015

## Use instead
    leaders:
      previous:
        - name: Judy Korn
          period: 2015–2019
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper, ProblemKind
from ranpaper.rules._base import Finding, from_parser

CODE = "RP105"
NAME = "leader-period-invalid"
SEVERITY = Severity.error
PROBLEM = ProblemKind.leader_period
_from_parser = from_parser(PROBLEM)


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    yield from _from_parser(paper, config)
    published = paper.metadata.date
    span = paper.metadata.span
    if published is None or span is None:
        return
    leaders = [*paper.metadata.leaders.current, *paper.metadata.leaders.previous]
    for leader in leaders:
        if leader.start is not None and leader.start > published.year:
            yield Finding(
                leader.span or span,
                f"leader {leader.name}'s period {leader.period} starts after the "
                f"paper's publication ({published.year})",
            )
