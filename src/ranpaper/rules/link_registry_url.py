"""A link registry entry whose URL may not be written into the paper.

## What it finds
An entry of `links.toml` whose `url` is not an absolute `https://` or `http://` URL with a
host: a relative path, a bare domain, blanks, another scheme (`javascript:`, `file:`, …). The
entry recovers nothing until it is corrected. At the entry's `[[link]]` line in `links.toml`.

## Why it matters
`build` would print the URL as the link's target and `ranpaper links --apply` would write it
into the source: it must be a link a reader can follow, and never one that runs code.

## Example
    [[link]]
    text = "Rehabilitation Manual"
    topic = "Review and evaluation / Evaluation"
    url = "www.example.org/manual"

## Use instead
    [[link]]
    text = "Rehabilitation Manual"
    topic = "Review and evaluation / Evaluation"
    url = "https://www.example.org/manual"
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper, Span
from ranpaper.rules._base import Finding

CODE = "RP313"
NAME = "link-registry-url-invalid"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    if config.links is None:
        return
    from ranpaper.links.citations import matching

    for entry, problem in matching(paper, config.links).refused:
        span = Span(line=entry.line, column=1, end_line=entry.line, end_column=1)
        yield Finding(
            span,
            f'URL "{entry.url}" for "{entry.text}" {problem}; the link stays lost',
            hint="give the full address, starting https://",
            path=config.links.path,
        )
