"""A link or image whose scheme is not one a paper may link to.

## What it finds
A target whose scheme is not in the allowed list — `https:`, `http:`, `mailto:` — and is not
one of RP308's: `smb:`, `search-ms:`, `ms-excel:`, `intent:`, `jar:`, `blob:`, `ftp:`, or a
typo such as `htp:` (with a did-you-mean). The scheme is read as a browser reads it (any
case, blanks and control characters ignored). The list is `ranpaper.urls.ALLOWED_SCHEMES`.

## Why it matters
Such links open local programs, network shares or app intents on the reader's machine, or
lead nowhere. The HTML and the PDF print them as plain text, never as live links.

## Example
    [Shared folder](smb://fileserver/ran/reports)

## Use instead
    [Report](https://home-affairs.ec.europa.eu/…/report_en.pdf)
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Link, Paper
from ranpaper.rules._base import Finding, all_links
from ranpaper.urls import ALLOWED_SCHEMES, closest_scheme, unknown_scheme

CODE = "RP310"
NAME = "link-scheme-unknown"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    allowed = ", ".join(f"{scheme}:" for scheme in ALLOWED_SCHEMES)
    for link, span in all_links(paper):
        scheme = unknown_scheme(link.url if isinstance(link, Link) else link.src)
        if scheme is None:
            continue
        guess = closest_scheme(scheme)
        yield Finding(
            span,
            f'"{scheme}:" links are not allowed (only {allowed}); it is rendered as plain text',
            hint=f"did you mean {guess}:?" if guess else None,
        )
