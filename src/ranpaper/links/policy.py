"""Which URLs the link registry may give a lost link.

`registry_url_problem` is the one function the registry, its rule (RP313) and
`ranpaper links --apply` ask. It is deliberately minimal — an absolute http(s) URL with a host,
no blanks or control characters, nothing the paper's own link rules reject — and is the single
place to redirect to the project's URL policy module once it exists.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ranpaper.rules.link_malformed import problem as malformed
from ranpaper.rules.link_unsafe import unsafe_scheme

ALLOWED_SCHEMES = ("https", "http")


def registry_url_problem(url: str) -> str | None:
    """Why `url` may not be written into the paper from the registry, or None if it may."""
    if not url:
        return "is empty"
    if any(not char.isprintable() or char.isspace() for char in url):
        return "contains blanks or control characters"
    if unsafe_scheme(url):
        return f'uses the unsafe scheme "{unsafe_scheme(url)}:"'
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as error:
        return f"cannot be read: {error}"
    if scheme not in ALLOWED_SCHEMES:
        return f"must start with {' or '.join(s + '://' for s in ALLOWED_SCHEMES)}"
    return malformed(url)
