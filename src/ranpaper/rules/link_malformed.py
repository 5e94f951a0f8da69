"""A link target that is not a well-formed URL.

## What it finds
A target with spaces, a web scheme without a host (`https:/example.org`, `http//x`), a bare
domain without scheme (`www.example.org`), or a relative path. Lost targets (`#`) are RP301.

## Why it matters
A malformed URL is a dead link in the PDF and the HTML.

## Example
    [Rehabilitation Manual](www.example.org/manual)

## Use instead
    [Rehabilitation Manual](https://www.example.org/manual)
"""

from collections.abc import Iterator
from urllib.parse import urlsplit

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Link, Paper
from ranpaper.rules._base import Finding, all_links
from ranpaper.rules.link_unsafe import UNSAFE_SCHEMES

CODE = "RP302"
NAME = "link-malformed"
SEVERITY = Severity.error

_WEB = ("http", "https", "ftp")


def problem(url: str) -> str | None:
    """Why `url` is malformed, or None."""
    if any(char.isspace() for char in url):
        return "contains spaces"
    try:
        parts = urlsplit(url)
    except ValueError as error:
        return str(error)
    scheme = parts.scheme.lower()
    if scheme in UNSAFE_SCHEMES:
        return None  # RP308's finding
    if scheme in _WEB:
        if not parts.netloc or (
            "." not in parts.netloc.split(":")[0].strip("[]")
            and parts.netloc.split(":")[0] != "localhost"
        ):
            return f"has no host after {scheme}://"
        if not url.lower().startswith(f"{scheme}://"):
            return f"must start with {scheme}://"
        return None
    if scheme == "mailto":
        return None if "@" in parts.path else "is not an e-mail address"
    if scheme:
        return None
    if url.startswith("#"):
        return None  # an anchor inside the paper
    if url.lower().startswith("www.") or "." in url.split("/")[0]:
        return "has no scheme (add https://)"
    return "is a relative path, not a URL"


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for link, span in all_links(paper):
        if not isinstance(link, Link) or link.is_lost:
            continue
        reason = problem(link.url.strip())
        if reason:
            yield Finding(span, f'link target "{link.url}" {reason}')
