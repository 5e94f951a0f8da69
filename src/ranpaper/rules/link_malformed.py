"""A link target that is not a well-formed URL.

## What it finds
A link or image target that Markdown read as a link but that is not a URL a browser can
follow, judged by RFC 3986's grammar (the `rfc3986` library) and, for web addresses, a host
name that can be looked up: a space written inside angle brackets (`<https://a b>`), a
backslash, a character URLs do not allow (`|`), a bad percent escape (`%zz`), a port over
65535 (`:99999`), an empty host label (`ex..ample.org`), a web scheme without `//`
(`https:/example.org`), a bare domain without scheme (`www.example.org`) or a relative path.
User names (`https://user@example.org/`) and IPv6 addresses (`https://[2001:db8::1]/`) are
valid. A target written with a plain space (`[text](a b)`) does not become a link at all:
that is RP311. Lost targets (`#`) are RP301; schemes not allowed are RP308 and RP310.

## Why it matters
A malformed URL is a dead link in the PDF and the HTML; the outputs print it as plain text.

## Example
    [Rehabilitation Manual](www.example.org/manual)

## Use instead
    [Rehabilitation Manual](https://www.example.org/manual)
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Link, Paper
from ranpaper.rules._base import Finding, all_links
from ranpaper.urls import problem

CODE = "RP302"
NAME = "link-malformed"
SEVERITY = Severity.error

__all__ = ["CODE", "NAME", "SEVERITY", "check", "problem"]


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for link, span in all_links(paper):
        if not isinstance(link, Link) or link.is_lost:
            continue
        reason = problem(link.url)
        if reason:
            yield Finding(span, f'link target "{link.url}" {reason}')
