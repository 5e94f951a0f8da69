"""`ranpaper links --check-external`: is every external URL of the paper and of its link
registry still there?

Checked concurrently with httpx (imported here only: `check` and `build` never import this
module). Each URL is asked HEAD first and GET when HEAD is refused; at most `per_host` requests
go to one host at once; a timeout bounds each request; server errors, rate limits and network
failures are retried with exponential backoff; redirects are followed and reported — a
permanent one (301, 308) comes with the edit that writes the new address into the source.

Every answer is kept in a cache file with the time it was asked: within the time-to-live a
second run asks nothing. `offline` asks nothing at all and reports what the cache knows.

What an answer means (`Status`): ok; redirected (still works, the address moved); broken
(4xx: gone); error (5xx after retries, timeout, no connection); unverified (401, 403, 429: the
server would not say — many block robots); unchecked (offline and not in the cache). Only
broken and error fail the command.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ranpaper import __version__, fs
from ranpaper.diagnostics import Applicability, Edit, Fix
from ranpaper.lines import split_lines
from ranpaper.links.registry import Registry
from ranpaper.model import Paper

if TYPE_CHECKING:
    import httpx

CACHE_VERSION = 1
DEFAULT_CACHE = Path(".ranpaper-links-cache.json")
DEFAULT_TTL = 24 * 3600.0  # seconds; lychee's default cache age is a day too
UNVERIFIABLE = frozenset({401, 403, 429})
RETRIED = frozenset({429, 500, 502, 503, 504})
HEAD_REFUSED = frozenset({400, 403, 404, 405, 406, 501})  # servers that mishandle HEAD


class Status(StrEnum):
    ok = "ok"
    redirected = "redirected"
    broken = "broken"
    error = "error"
    unverified = "unverified"
    unchecked = "unchecked"

    @property
    def fails(self) -> bool:
        return self in (Status.broken, Status.error)


@dataclass(frozen=True)
class Result:
    """The answer for one URL, as cached."""

    url: str
    status: Status
    detail: str
    code: int | None = None
    final_url: str | None = None
    permanent: bool = False  # the address moved for good: the source should say final_url
    checked_at: float = 0.0
    from_cache: bool = False

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["status"] = self.status.value
        return data


@dataclass(frozen=True)
class Place:
    """Where a URL is written: a link in a paper, or an entry of a link registry."""

    path: str
    line: int
    column: int
    target: Edit | None = None  # the span of the URL as written, for a fix; None if unknown


@dataclass
class Settings:
    per_host: int = 4
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5  # seconds before the first retry; doubled for each next one
    max_wait: float = 30.0  # the longest Retry-After honoured
    ttl: float = DEFAULT_TTL
    offline: bool = False
    clock: Callable[[], float] = field(default=time.time)


def is_external(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


# --- the cache ------------------------------------------------------------------------------


CACHE_CAP = 16 * 1024 * 1024
"""The cache's size cap: an answer takes about 200 bytes, so this holds some 80,000 URLs; a
larger file is not ranpaper's (or not a cache any more) and is refused rather than read."""


def read_cache(path: Path) -> dict[str, Result]:
    """The cached answers. No file, or one in an older or foreign shape, is an empty cache (it
    is rebuilt); a file that cannot be read safely (a link out of its folder, a pipe or
    device, over `CACHE_CAP`) is a `RanpaperError` naming it."""
    if not path.exists() and not path.is_symlink():
        return {}
    text = fs.read_text(path, CACHE_CAP, within=path.parent, what="cache file")
    try:
        data = json.loads(text)
        if data.get("version") != CACHE_VERSION:
            return {}
        return {
            url: Result(**{**entry, "status": Status(entry["status"]), "from_cache": True})
            for url, entry in data["results"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_cache(path: Path, results: dict[str, Result]) -> None:
    """Written whole or not at all, never through a symbolic link (`fs.write_atomic`): an
    interrupted run leaves the old cache."""
    kept = {
        url: {k: v for k, v in r.to_dict().items() if k != "from_cache"}
        for url, r in sorted(results.items())
        if r.status is not Status.unchecked
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fs.write_atomic(path, json.dumps({"version": CACHE_VERSION, "results": kept}, indent=1))


# --- asking ---------------------------------------------------------------------------------


def check_urls(
    urls: Iterable[str],
    settings: Settings,
    cache: dict[str, Result] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> dict[str, Result]:
    """The answer for every URL: from `cache` when fresh, else asked (unless offline)."""
    cache = cache or {}
    now = settings.clock()
    results: dict[str, Result] = {}
    todo: list[str] = []
    for url in dict.fromkeys(urls):
        cached = cache.get(url)
        if cached is not None and 0 <= now - cached.checked_at <= settings.ttl:
            results[url] = cached
        elif settings.offline:
            results[url] = Result(url, Status.unchecked, "offline, and not in the cache")
        else:
            todo.append(url)
    if todo:
        results.update(asyncio.run(_ask_all(todo, settings, transport)))
    return results


async def _ask_all(
    urls: list[str], settings: Settings, transport: httpx.AsyncBaseTransport | None
) -> dict[str, Result]:
    import httpx

    hosts: dict[str, asyncio.Semaphore] = {}
    for url in urls:
        hosts.setdefault(_host(url), asyncio.Semaphore(settings.per_host))
    async with httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(settings.timeout),
        follow_redirects=True,
        headers={"User-Agent": f"ranpaper-link-checker/{__version__}"},
        limits=httpx.Limits(max_connections=max(10, settings.per_host * len(hosts))),
    ) as client:
        answers = await asyncio.gather(
            *(_ask(client, url, hosts[_host(url)], settings) for url in urls)
        )
    return dict(zip(urls, answers, strict=True))


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or ''}"


async def _ask(
    client: httpx.AsyncClient, url: str, host: asyncio.Semaphore, settings: Settings
) -> Result:
    import httpx

    attempt = 0
    while True:
        try:
            async with host:
                response = await client.head(url)
                if response.status_code in HEAD_REFUSED:
                    async with client.stream("GET", url) as streamed:
                        response = streamed  # the body is never read
        except httpx.TimeoutException:
            failure = f"no answer within {settings.timeout:g} s"
        except httpx.TooManyRedirects:
            return _result(url, Status.error, "too many redirects", settings)
        except httpx.InvalidURL as error:  # e.g. a redirect to an address httpx cannot read
            return _result(url, Status.error, f"invalid URL: {error}", settings)
        except httpx.HTTPError as error:
            failure = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        else:
            code = response.status_code
            if code not in RETRIED or attempt >= settings.retries:
                return _classify(url, response, settings)
            failure = ""
            wait = _retry_after(response, settings, attempt)
        if failure:
            if attempt >= settings.retries:
                return _result(url, Status.error, failure, settings)
            wait = settings.backoff * 2**attempt
        attempt += 1
        await asyncio.sleep(wait)


def _retry_after(response: httpx.Response, settings: Settings, attempt: int) -> float:
    """The wait the server asks for (Retry-After in seconds, within reason), else backoff."""
    try:
        return min(max(float(response.headers.get("Retry-After", "")), 0.0), settings.max_wait)
    except ValueError:
        return settings.backoff * 2**attempt


def _result(url: str, status: Status, detail: str, settings: Settings, **more: object) -> Result:
    return Result(url, status, detail, checked_at=settings.clock(), **more)  # type: ignore[arg-type]


def _classify(url: str, response: httpx.Response, settings: Settings) -> Result:
    code = response.status_code
    final = str(response.url)
    moves = [r.status_code for r in response.history]
    if code in UNVERIFIABLE:
        reason = "rate limited" if code == 429 else "access refused"
        return _result(
            url, Status.unverified, f"could not verify: {code} ({reason})", settings, code=code
        )
    if code >= 500:
        return _result(url, Status.error, f"server error {code}", settings, code=code)
    if code >= 400:
        return _result(
            url, Status.broken, f"{code} {response.reason_phrase}".strip(), settings, code=code
        )
    if code >= 300:
        return _result(url, Status.error, f"{code} without a usable Location", settings, code=code)
    if moves:
        permanent = all(move in (301, 308) for move in moves)
        kind = "permanently" if permanent else "temporarily"
        return _result(
            url,
            Status.redirected,
            f"moved {kind} ({', '.join(map(str, moves))}) to {final}",
            settings,
            code=code,
            final_url=final,
            permanent=permanent,
        )
    return _result(url, Status.ok, f"{code}", settings, code=code)


# --- what to ask about ----------------------------------------------------------------------


def places(paper: Paper, source: str, registry: Registry | None) -> dict[str, list[Place]]:
    """Every external URL of the paper (its links) and of the registry beside it, with where
    each is written, in document order."""
    from ranpaper.links.apply import target_span
    from ranpaper.links.citations import citations

    found: dict[str, list[Place]] = {}
    lines = split_lines(source)
    path = paper.path or "<input>"
    for citation in citations(paper):
        url = citation.link.url.strip()
        if citation.link.is_lost or not is_external(url):
            continue
        target = target_span(citation, lines)
        written = (
            None
            if isinstance(target, str)
            or lines[target.line - 1][target.column - 1 : target.end_column - 1].strip() != url
            else target
        )
        span = citation.span
        found.setdefault(url, []).append(Place(path, span.line, span.column, written))
    if registry is not None:
        for entry in registry.entries:
            if entry.applies_to(paper.path) and is_external(entry.url):
                found.setdefault(entry.url, []).append(Place(registry.path, entry.line, 1))
    return found


def fix_for(result: Result, place: Place) -> Fix | None:
    """A permanent redirect's remedy: write the new address where the old one is written."""
    if not result.permanent or result.final_url is None or place.target is None:
        return None
    edit = Edit(
        place.target.line,
        place.target.column,
        place.target.end_line,
        place.target.end_column,
        result.final_url,
    )
    # Unsafe: a permanent redirect can also lead to a login page or a site's home page.
    return Fix(f"replace with {result.final_url}", (edit,), Applicability.unsafe)
