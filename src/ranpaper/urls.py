"""The URL policy, in one place: which link targets a paper may have, and which the outputs may
write as live links. Rules (RP302, RP308, RP310) and renderers both import it, so a target the
checker refuses is never a live link in the HTML or the PDF.

Allowed schemes (`ALLOWED_SCHEMES`): `https`, `http` (older reports are only on plain http)
and `mailto`. Everything else is refused: the schemes that run code or read local files
(`UNSAFE_SCHEMES`, RP308) and every other scheme (RP310: `smb:`, `search-ms:`, `ms-excel:`,
`intent:`, `jar:`, `blob:`, a typo such as `htp:`, …). A target `#anchor` points into the
paper itself; `#` or an empty target is a lost link (RP301), kept as written.

URL syntax is judged by RFC 3986's grammar as the `rfc3986` library writes it
(`ABSOLUTE_URI_MATCHER`, the host and port validators), on the target with non-ASCII
characters percent-encoded as a browser sends them (an IRI, RFC 3987). On top of the grammar,
a web address needs a host name a browser can look up: dot-separated labels of letters,
digits and hyphens, none empty (`ex..ample.org` is valid RFC 3986 but no host), or an IP
address.

A web address in the plainest form (`_PLAIN_WEB`: http or https, an ASCII host name of two
labels or more, the last starting with a letter, no port or user, only characters the grammar
allows unescaped) — nearly every link a paper has — is accepted without the `rfc3986`
library, whose import compiles some fifty patterns (a tenth of a cold `check`). It is a strict
subset of what the full judgement accepts; tests/test_urls.py holds the two to that.
"""

from __future__ import annotations

import difflib
import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

ALLOWED_SCHEMES = ("https", "http", "mailto")
"""The schemes a link may have; the order is the order of preference in messages."""

UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})
"""Schemes that run code in the reader's browser or read the build machine's files."""

_WEB = frozenset({"https", "http"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_LABEL = re.compile(r"(?!-)[^\W_](?:[\w-]*[^\W_])?\Z")  # letters, digits, inner hyphens
_ASCII_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_PCHAR = r"[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2}"  # RFC 3986 pchar, and "/"
_PLAIN_WEB = re.compile(
    rf"https?://(?:{_ASCII_LABEL}\.)+[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?"  # not an IPv4
    rf"(?:/(?:{_PCHAR})*)?(?:\?(?:{_PCHAR}|\?)*)?(?:#(?:{_PCHAR}|\?)*)?\Z"
)


def browser_scheme(url: str) -> str | None:
    """The scheme a browser reads from `url` (lower case), ignoring case, blanks and control
    characters as browsers do; None when the target has no scheme."""
    squeezed = "".join(char for char in url if char.isprintable() and not char.isspace())
    match = _SCHEME.match(squeezed)
    return match.group(1).lower() if match else None


def unsafe_scheme(url: str) -> str | None:
    """The scheme of `url` if it runs code or reads local files (RP308), else None."""
    scheme = browser_scheme(url)
    return scheme if scheme in UNSAFE_SCHEMES else None


def unknown_scheme(url: str) -> str | None:
    """The scheme of `url` if it is neither allowed nor one of the unsafe ones (RP310)."""
    scheme = browser_scheme(url)
    if scheme is None or scheme in ALLOWED_SCHEMES or scheme in UNSAFE_SCHEMES:
        return None
    return scheme


def closest_scheme(scheme: str) -> str | None:
    """An allowed scheme that `scheme` is probably a typo of (`htp` → `http`)."""
    close = difflib.get_close_matches(scheme, ALLOWED_SCHEMES, n=1, cutoff=0.6)
    return close[0] if close else None


def is_lost(url: str) -> bool:
    """A target the published paper lost: empty or `#` (RP301's)."""
    return url.strip() in ("", "#")


def problem(url: str) -> str | None:
    """Why `url` is not a well-formed link target under this policy (RP302), or None.

    Lost targets, unsafe and unknown schemes are other rules' findings: None here."""
    target = url.strip()
    if _PLAIN_WEB.match(target):
        return None  # well formed by construction: the library is not needed
    return _judged(target)


def _judged(target: str) -> str | None:
    """`problem` of a stripped target by RFC 3986's grammar (the `rfc3986` library)."""
    if is_lost(target) or unsafe_scheme(target) or unknown_scheme(target):
        return None
    if any(char.isspace() for char in target):
        return "contains a space (write it as %20)"
    if "\\" in target:
        return "contains a backslash (URLs use /)"
    scheme = browser_scheme(target)
    if scheme is None:
        if target.startswith("#"):
            return None if _fragment_ok(target[1:]) else "is not a valid anchor"
        if target.lower().startswith("www.") or "." in target.split("/")[0]:
            return "has no scheme (add https://)"
        return "is a relative path, not a URL"
    from rfc3986 import misc  # the RFC 3986 grammar

    absolute, _, fragment = _encoded(target).partition("#")
    if not misc.ABSOLUTE_URI_MATCHER.match(absolute) or not _fragment_ok(fragment):
        return "is not a valid URL (RFC 3986)"
    if scheme == "mailto":
        address = absolute.split(":", 1)[1].split("?", 1)[0]
        return None if "@" in address.strip("@") else "is not an e-mail address"
    return _web_problem(target, scheme)


def _fragment_ok(fragment: str) -> bool:
    from rfc3986 import misc

    return misc.FRAGMENT_MATCHER.match(_encoded(fragment)) is not None


_ASCII_PRINTABLE = "".join(chr(c) for c in range(0x21, 0x7F))


def _encoded(target: str) -> str:
    """`target` with non-ASCII characters percent-encoded (UTF-8), as a browser sends an IRI."""
    return quote(target, safe=_ASCII_PRINTABLE)


def _web_problem(target: str, scheme: str) -> str | None:
    from rfc3986 import exceptions, uri_reference, validators

    if not target.lower().startswith(f"{scheme}://"):
        return f"must start with {scheme}://"
    reference = uri_reference(_encoded(target))
    if not reference.authority:
        return f"has no host after {scheme}://"
    validator = validators.Validator().check_validity_of("host", "port", "userinfo")
    try:
        validator.validate(reference)
    except exceptions.InvalidComponentsError as error:
        parts = sorted(getattr(error, "components", ()))
        return f"has an invalid {'host' if 'host' in parts else ' and '.join(parts) or 'address'}"
    except exceptions.ValidationError:
        return "is not a valid URL (RFC 3986)"
    host = unquote(reference.host or "")
    if not host:
        return f'has an invalid host "{reference.authority}"'
    if host.startswith("["):
        return None  # an IPv6 literal, checked by the validator
    name = host.removesuffix(".")
    labels = name.split(".")
    if any(not _LABEL.match(label) for label in labels):
        return f'has an invalid host name "{host}"'
    if len(labels) < 2 and name.lower() != "localhost":
        return f'has no domain in its host "{host}"'
    return None


def live_href(url: str) -> str | None:
    """The target an output may write as a live link, or None when the link must be shown as
    plain text (lost, unsafe, unknown scheme, or malformed). The target is written in ASCII,
    as PDF link annotations require: a host name in IDNA (`xn--…`), other non-ASCII
    characters percent-encoded (UTF-8)."""
    target = url.strip()
    if is_lost(target) or unsafe_scheme(target) or unknown_scheme(target) or problem(target):
        return None
    if target.isascii():
        return target
    parts = urlsplit(target)
    host = parts.hostname or ""
    if host and not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None  # a host no browser can look up: never a live link
        netloc = parts.netloc.replace(host, ascii_host)
        target = urlunsplit(parts._replace(netloc=netloc))
    return _encoded(target)


REGISTRY_SCHEMES = ("https", "http")
"""The schemes `links.toml` may give a lost link: web addresses only."""


def file_href(path: str, fragment: str = "") -> str:
    """A link from one of ranpaper's outputs to another beside it (a brief's to the paper,
    `../paper.pdf#nameddest=theme-1`): the relative path percent-encoded as RFC 3986 asks,
    then the fragment. Only outputs link so; a relative target written in a paper is still
    refused as a live link (`live_href`), since it would point into the reader's machine."""
    href = quote(path, safe="/")
    return f"{href}#{quote(fragment, safe='=')}" if fragment else href


def registry_url_problem(url: str) -> str | None:
    """Why `url` may not be written into the paper from the link registry (`links.toml`), or
    None if it may: an absolute http(s) URL with a host, no blanks or control characters,
    nothing the paper's own link rules reject. The registry, its rule (RP313) and
    `ranpaper links --apply` all ask this one function."""
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
    if scheme not in REGISTRY_SCHEMES:
        return f"must start with {' or '.join(s + '://' for s in REGISTRY_SCHEMES)}"
    return problem(url)
