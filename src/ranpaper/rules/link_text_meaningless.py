"""A link whose text means nothing without its target ("here", "click here", "this page").

## What it finds
Each link whose whole text is a phrase that only makes sense as a link — "here", "click here",
"this link", "this page", "link", "more", "read more", "this website" — when its target is
lost or may not be made live (so the outputs print it as plain text). One finding per link,
at the link's column.

## Why it matters
WCAG 2.4.4 (Link Purpose, in context): the text of a link must say where it leads. Once the
target is gone, the outputs print the text alone, and "please check here." points nowhere;
a screen reader's list of links reads "here" with nothing to say what it was. Even when the
URL is found again, "here" says nothing out of context.

## Example
    For more information, please check [here](#).

## Use instead
    For more information, see the [RAN Collection of Inspiring Practices](#).
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Link, Paper
from ranpaper.rules._base import Finding, all_links
from ranpaper.urls import live_href

CODE = "RP315"
NAME = "link-text-meaningless"
SEVERITY = Severity.warning

# Link texts that say nothing of their target, compared without case, spaces or a final stop.
MEANINGLESS = frozenset(
    {
        "here",
        "click here",
        "click",
        "this link",
        "this page",
        "this website",
        "this site",
        "link",
        "more",
        "read more",
        "see here",
        "check here",
        "go here",
        "this",
    }
)


def meaningless(text: str) -> bool:
    return " ".join(text.lower().split()).rstrip(".:!") in MEANINGLESS


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    recovered: set[int] = set()
    if config.links is not None:
        from ranpaper.links.citations import matching

        recovered = {id(c.link) for c in matching(paper, config.links).recovered}
    for link, span in all_links(paper):
        if not isinstance(link, Link) or not meaningless(link.text):
            continue
        if id(link) in recovered or live_href(link.url) is not None:
            continue
        yield Finding(
            span,
            f'link text "{link.text}" means nothing without its target, which is lost',
            hint="name what the link leads to, so that the printed text says it (WCAG 2.4.4)",
        )
