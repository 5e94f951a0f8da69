"""Configuration for `ranpaper check` and `build`, read from `[tool.ranpaper]` in
`pyproject.toml` or from a `ranpaper.toml`, found by walking up from the paper's folder.

    [tool.ranpaper]
    select = ["RP"]                 # codes or prefixes to run (default: all)
    ignore = ["RP307"]              # codes or prefixes to skip
    earliest-date = "2011-01-01"    # dates before this are implausible (RP107)
    working-groups = ["EXIT", "P&P"]        # replaces the known set ...
    extra-working-groups = ["NEWWG"]        # ... or adds to it
    max-bytes = 4194304             # papers above this size are refused before parsing
    max-elements = 20000            # build: model nodes a paper may have (0: no limit)
    max-pages = 400                 # build: pages of one PDF
    render-memory-mib = 3072        # build: address space of each render worker
    render-seconds = 120            # build: time for one render (a PDF, the DOCX)
    [tool.ranpaper.severity]
    RP301 = "error"                 # make lost links fail the check
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ranpaper.diagnostics import Severity
from ranpaper.errors import RanpaperError
from ranpaper.parse import MAX_BYTES
from ranpaper.parse.meeting import DEFAULT_WORKING_GROUPS

if TYPE_CHECKING:
    from ranpaper.links.registry import Registry


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("RP",)
    ignore: tuple[str, ...] = ()
    severities: dict[str, Severity] = field(default_factory=dict)
    working_groups: frozenset[str] = DEFAULT_WORKING_GROUPS
    earliest_date: dt.date = dt.date(2011, 1, 1)  # the RAN was founded in 2011
    max_bytes: int = MAX_BYTES
    # The build's limits (`ranpaper.build.limits`, which holds the defaults); None: default.
    max_elements: int | None = None
    max_pages: int | None = None
    render_memory_mib: int | None = None
    render_seconds: int | None = None
    source: str | None = None
    # The link registry beside the paper being checked (`links.toml`), set per paper by
    # `check_file`; not read from the configuration file.
    links: Registry | None = None

    def selects(self, code: str) -> bool:
        chosen = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        dropped = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return chosen >= 0 and chosen > dropped

    def with_selection(self, select: list[str] | None, ignore: list[str] | None) -> Config:
        return replace(
            self,
            select=tuple(select) if select else self.select,
            ignore=self.ignore + tuple(ignore or ()),
        )


# The build's limits: key in [tool.ranpaper] → Config field.
BUILD_LIMITS = {
    "max-elements": "max_elements",
    "max-pages": "max_pages",
    "render-memory-mib": "render_memory_mib",
    "render-seconds": "render_seconds",
}


def find_config(start: Path) -> Path | None:
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / "ranpaper.toml"
        if own.is_file():
            return own
        project = candidate / "pyproject.toml"
        if project.is_file() and "[tool.ranpaper" in project.read_text("utf-8", "replace"):
            return project
    return None


def load_config(start: Path | None = None) -> Config:
    path = find_config(start or Path.cwd())
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RanpaperError(f"cannot read configuration: {error}", str(path)) from None
    table = data.get("tool", {}).get("ranpaper", {}) if path.name == "pyproject.toml" else data
    return _from_table(table, str(path))


def _from_table(table: dict, source: str) -> Config:  # type: ignore[type-arg]
    def fail(message: str) -> RanpaperError:
        return RanpaperError(f"[tool.ranpaper] {message}", source)

    known = {
        "select",
        "ignore",
        "severity",
        "earliest-date",
        "working-groups",
        "extra-working-groups",
        "max-bytes",
        *BUILD_LIMITS,
    }
    unknown = sorted(set(table) - known)
    if unknown:
        raise fail(f"unknown key(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    config = Config(source=source)
    try:
        if "select" in table:
            config = replace(config, select=tuple(str(c).upper() for c in table["select"]))
        if "ignore" in table:
            config = replace(config, ignore=tuple(str(c).upper() for c in table["ignore"]))
        if "severity" in table:
            config = replace(
                config,
                severities={
                    str(code).upper(): Severity(str(level))
                    for code, level in table["severity"].items()
                },
            )
        if "earliest-date" in table:
            config = replace(
                config, earliest_date=dt.date.fromisoformat(str(table["earliest-date"]))
            )
        if "working-groups" in table:
            config = replace(
                config, working_groups=frozenset(str(g).upper() for g in table["working-groups"])
            )
        if "extra-working-groups" in table:
            config = replace(
                config,
                working_groups=config.working_groups
                | frozenset(str(g).upper() for g in table["extra-working-groups"]),
            )
        if "max-bytes" in table:
            config = replace(config, max_bytes=int(table["max-bytes"]))
        for key, name in BUILD_LIMITS.items():
            if key in table:
                value = table[key]
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"{key} must be a whole number ≥ 0 (0: no limit)")
                config = replace(config, **{name: value})  # type: ignore[arg-type]
    except (TypeError, ValueError, AttributeError) as error:
        raise fail(f"invalid value: {error}") from None
    return config
