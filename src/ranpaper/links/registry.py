"""`links.toml`: the registry of lost links found again.

It sits beside the paper (one file for the papers of that folder) and holds one `[[link]]`
table per found link:

    [[link]]
    text = "Rehabilitation Manual"                        # the link's text, as the reader sees it
    topic = "Review and evaluation / Evaluation"
    url = "https://home-affairs.ec.europa.eu/…"
    found-by = "A. Editor"                                # optional notes
    found-on = 2026-11-29
    note = "on the RAN collection page"
    # paper = "rehabilitation-overview.md"               # only needed beside several papers

`topic` is the path of topic titles that `ranpaper links --lost` prints (`Introduction`, a
theme's title, or `footnote [^label]` for links outside topics); a list of paths names every
place the same document is cited. An entry recovers every lost link with that text in that
place; it never matches by similarity.

The file is read with `tomllib` and checked here: an unreadable file or a wrong key is a
`RanpaperError` naming the file and line. Whether an entry still matches a link, and whether
its URL is allowed, are findings of `ranpaper check` (RP312, RP313).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ranpaper.errors import RanpaperError

REGISTRY_FILE = "links.toml"
_KEYS = {"text", "topic", "url", "paper", "found-by", "found-on", "note"}
_TABLE = re.compile(r"^\s*\[\[\s*link\s*\]\]\s*(#.*)?$")


@dataclass(frozen=True)
class Entry:
    """One found link: the text and places that identify it, the URL, who found it when."""

    text: str
    topics: tuple[str, ...]
    url: str
    line: int  # of its `[[link]]` header in the registry file
    paper: str | None = None
    found_by: str | None = None
    found_on: str | None = None
    note: str | None = None

    def applies_to(self, paper_path: str | None) -> bool:
        return self.paper is None or (
            paper_path is not None and Path(paper_path).name == self.paper
        )


@dataclass(frozen=True)
class Registry:
    path: str
    entries: tuple[Entry, ...]
    digest: str  # changes whenever the file does: part of the build's cache key


def normal(text: str) -> str:
    """Text and topic paths compare with blanks collapsed, as a reader sees them."""
    return " ".join(text.split())


def registry_beside(paper_path: str | Path) -> Registry | None:
    """The registry in the paper's folder, or None when there is none. It is read as every
    small file is (`ranpaper.fs`): capped, and never through a link out of that folder."""
    from ranpaper.fs import read_text

    folder = Path(paper_path).parent
    path = folder / REGISTRY_FILE
    if not (path.exists() or path.is_symlink()):
        return None
    try:
        text = read_text(path, within=folder, what="link registry")
    except RanpaperError as error:
        raise RanpaperError(f"cannot read the link registry: {error.message}", str(path)) from None
    return parse_registry(text, str(path))


def parse_registry(text: str, path: str) -> Registry:
    import hashlib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+), column \d+\)$", str(error))
        message = str(error)[: where.start()].strip() if where else str(error)
        line = int(where.group(1)) if where else None
        raise RanpaperError(f"the link registry is not valid TOML: {message}", path, line) from None
    unknown = sorted(set(data) - {"link"})
    if unknown:
        raise RanpaperError(
            f"unknown table(s) {', '.join(unknown)}; the registry holds [[link]] tables", path, 1
        )
    tables = data.get("link", [])
    if not isinstance(tables, list):
        raise RanpaperError("`link` must be written as [[link]] tables", path, 1)
    lines = [n for n, ln in enumerate(text.splitlines(), start=1) if _TABLE.match(ln)]
    if len(lines) != len(tables):  # e.g. `link = [...]` inline: no line per entry
        lines = [1] * len(tables)
    entries = tuple(_entry(table, line, path) for table, line in zip(tables, lines, strict=True))
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Registry(path=path, entries=entries, digest=digest)


def _entry(table: object, line: int, path: str) -> Entry:
    def fail(message: str) -> RanpaperError:
        return RanpaperError(f"[[link]] {message}", path, line)

    if not isinstance(table, dict):
        raise fail("must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise fail(f"has unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}")
    for key in ("text", "topic", "url"):
        if key not in table:
            raise fail(f"lacks `{key}`")
    topic = table["topic"]
    topics = [topic] if isinstance(topic, str) else topic
    if not isinstance(topics, list) or not topics or not all(isinstance(t, str) for t in topics):
        raise fail("`topic` must be a topic path or a list of them")
    for key in ("text", "url", "paper", "found-by", "note"):
        if key in table and not isinstance(table[key], str):
            raise fail(f"`{key}` must be a string")
    found_on = table.get("found-on")
    if found_on is not None and not isinstance(found_on, str | dt.date):
        raise fail("`found-on` must be a date (2026-11-29) or a string")
    if not normal(table["text"]):
        raise fail("`text` is empty")
    return Entry(
        text=normal(table["text"]),
        topics=tuple(normal(t) for t in topics),
        url=table["url"].strip(),
        line=line,
        paper=table.get("paper"),
        found_by=table.get("found-by"),
        found_on=None if found_on is None else str(found_on),
        note=table.get("note"),
    )
