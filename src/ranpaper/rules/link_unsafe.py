"""A link or image with a scheme that can run code or read local files.

## What it finds
Targets starting `javascript:`, `vbscript:`, `data:` or `file:` (in any case, with any
spaces or control characters a browser would ignore). Other schemes that are not allowed
(`smb:`, `intent:`, …) are RP310; the policy is `ranpaper.urls`.

## Why it matters
The paper is edited through pull requests and published as HTML and PDF: such a link would
run script in a reader's browser or point into the build machine's files. They are never
rendered as links.

## Example
    [Click](javascript:alert(1))

## Use instead
    [Click](https://example.org/)
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Link, Paper
from ranpaper.rules._base import Finding, all_links
from ranpaper.urls import UNSAFE_SCHEMES, unsafe_scheme

CODE = "RP308"
NAME = "link-unsafe-scheme"
SEVERITY = Severity.error

__all__ = ["CODE", "NAME", "SEVERITY", "UNSAFE_SCHEMES", "check", "unsafe_scheme"]


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for link, span in all_links(paper):
        scheme = unsafe_scheme(link.url if isinstance(link, Link) else link.src)
        if scheme:
            yield Finding(
                span,
                f'"{scheme}:" links are not allowed (they run code or read local '
                "files); it is rendered as plain text",
            )
