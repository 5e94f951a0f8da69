"""A link whose target was lost.

## What it finds
Each link written `[text](#)` or `[text]()`: the published PDF lost these targets. One
finding per link, at the link.

## Why it matters
Readers cannot reach the cited paper or meeting report. The target must be looked up and
filled in — never guessed: until then the link stays `(#)` and is printed as plain text.

## Example
    - Paper: [Rehabilitation Manual](#), 2020

## Use instead
    - Paper: [Rehabilitation Manual](https://home-affairs.ec.europa.eu/…), 2020
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Link, Paper
from ranpaper.rules._base import Finding, all_links

CODE = "RP301"
NAME = "link-lost"
SEVERITY = Severity.warning


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    recovered: set[int] = set()
    if config.links is not None:
        from ranpaper.links.citations import matching

        recovered = {id(c.link) for c in matching(paper, config.links).recovered}
    for link, span in all_links(paper):
        if isinstance(link, Link) and link.is_lost and id(link) not in recovered:
            yield Finding(
                span,
                f'link "{link.text}" has no target ({link.url or "empty"})',
                hint="once the real URL is found, record it in links.toml; never guess it",
            )
