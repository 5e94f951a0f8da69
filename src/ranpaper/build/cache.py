"""The build cache: a content key per paper, and the cache file that records, for each paper,
the key it was built with and the files that build wrote.

The cache file is also the build's record of ownership: a file in the output folder that no
cache entry lists was not written by ranpaper, and a build never replaces it (`staging`).
The cache itself is read through `fs.read_text` (capped) and replaced only when it is a
regular file: a folder, link or device under its name is not ranpaper's, and stops the build.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from ranpaper import __version__, fs
from ranpaper.build.staging import OutputFolderError
from ranpaper.resources import TEMPLATES

CACHE_FILE = ".ranpaper-cache.json"
CACHE_CAP = 64 * 1024 * 1024
"""The cache file's cap: about 100 bytes per output, so room for a build of some 50,000
papers; anything larger is not a cache ranpaper wrote."""

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
    """The cache of the output folder `out` ({} when there is none, or when it is not JSON a
    build wrote). Anything but a regular file under its name (a folder, a symbolic link, a
    device) is not ranpaper's: an `OutputFolderError`, before anything is rendered."""
    path = out / CACHE_FILE
    refuse_foreign_cache(path)
    if not path.exists():
        return {}
    text = fs.read_text(path, CACHE_CAP, within=out, what="cache file")
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def refuse_foreign_cache(path: Path) -> None:
    """Refuse a cache path that holds anything but a regular file: the build replaces the
    cache, and must never replace (or delete) what it did not write."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise OutputFolderError(
            "is not the cache file ranpaper writes (a folder, symbolic link or device); "
            "ranpaper never replaces it: move it away",
            str(path),
        )


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
