"""The build cache: a content key per paper, and the cache file that records, for each paper,
the key it was built with and the files that build wrote.

The cache file is also the build's record of ownership: a file in the output folder that no
cache entry lists was not written by ranpaper, and a build never replaces it (`staging`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from ranpaper import __version__
from ranpaper.resources import TEMPLATES

CACHE_FILE = ".ranpaper-cache.json"

# paper path → {"key": …, "outputs": [the last build's files], "owned": [every file written]}
Cache = dict[str, dict]


def content_key(source: str, formats: tuple[str, ...]) -> str:
    """Changes whenever anything that shapes the outputs changes."""
    digest = hashlib.sha256()
    digest.update(f"ranpaper {__version__}\n{','.join(formats)}\n".encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    digest.update(_templates_digest())
    digest.update(source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@functools.cache
def _templates_digest() -> bytes:
    """The templates, stylesheets and fonts, hashed once per run (the fonts are most of
    the bytes, and every paper's key needs them)."""
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(TEMPLATES).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.digest()


def read_cache(out: Path) -> Cache:
    path = out / CACHE_FILE
    if path.is_symlink():  # not ranpaper's: a link would let it read a file elsewhere
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def cache_text(cache: Cache) -> str:
    return json.dumps(cache, indent=1, sort_keys=True)


def owned_outputs(cache: Cache) -> set[str]:
    """Every output path (relative to the output folder) that an earlier build recorded."""
    return {
        name
        for entry in cache.values()
        for key in ("outputs", "owned")
        for name in entry.get(key, [])
        if isinstance(name, str)
    }


def up_to_date(path: str, key: str, outputs: list[Path], cache: Cache, out: Path) -> bool:
    entry = cache.get(path)
    return (
        entry is not None
        and entry.get("key") == key
        and entry.get("outputs") == [p.as_posix() for p in outputs]
        and all((out / p).is_file() for p in outputs)
    )


def cached_up_to_date(sources: dict[str, str], out: Path, formats: tuple[str, ...]) -> bool:
    """Whether every paper (path → source text) is already built, judged from the cache
    alone: no parsing, so a no-change rebuild costs no more than a check."""
    cache = read_cache(out)
    for path, source in sources.items():
        entry = cache.get(path)
        if entry is None or entry.get("key") != content_key(source, formats):
            return False
        if not all((out / name).is_file() for name in entry.get("outputs", [])):
            return False
    return True
