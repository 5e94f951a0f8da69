"""Configuration for `ranpaper check`, `build` and `ranpaper.load()`: one set of keys, in one
of two files, found one way.

Where: `--config PATH` names the file; otherwise the nearest `ranpaper.toml`, or
`pyproject.toml` that has a `[tool.ranpaper]` table, walking up from the paper's folder (each
candidate is parsed as TOML; in one folder `ranpaper.toml` wins). `--isolated` reads none.

Which form: in `pyproject.toml` the keys sit in `[tool.ranpaper]`. In `ranpaper.toml` they
sit at the top level (as in `ruff.toml`), or — so that the README's snippet can be pasted —
in a `[tool.ranpaper]` table; one file may not mix the two.

    select = ["RP"]                 # codes or prefixes to run (default: all)
    ignore = ["RP307"]              # codes or prefixes to skip
    earliest-date = "2011-01-01"    # dates before this are implausible (RP107)
    profile = "default"             # the papers' vocabulary: a shipped name or a .toml file
    working-groups = ["EXIT", "P&P"]        # replaces the profile's known set ...
    extra-working-groups = ["NEWWG"]        # ... or adds to it
    max-bytes = 1048576             # papers above this size are refused before parsing
    max-elements = 20000            # build: model nodes a paper may have (0: no limit)
    max-pages = 400                 # build: pages of one PDF
    render-memory-mib = 3072        # build: address space of each render worker
    render-seconds = 120            # build: time for one render (a PDF, the DOCX)
    exclude = ["drafts/**"]         # paths a folder scan skips (besides DEFAULT_EXCLUDE)
    [severity]                      # [tool.ranpaper.severity] in pyproject.toml
    RP301 = "error"                 # make lost links fail the check

Trust: a file found next to the papers comes with the pull request that changes them, so it
may not relax the limits that protect CI (`untrusted_relaxations`): raise `max-bytes` above
the default, raise or switch off a build limit (`BUILD_LIMITS`), or turn off or lower a
safety rule (`SAFETY_CODES`). Such a file is refused
unless the caller trusts it (`--trust-config`), or CI pins its own file with `--config`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ranpaper.diagnostics import Severity
from ranpaper.errors import RanpaperError
from ranpaper.parse import MAX_BYTES
from ranpaper.profiles import Profile, ProfileError, load_profile

if TYPE_CHECKING:
    from ranpaper.links.registry import Registry

SAFETY_CODES = ("RP308", "RP309", "RP310")
"""Rules that keep hostile links and files out of the outputs: a paper folder's own
configuration may not turn them off or lower them below error."""

DEFAULT_EXCLUDE = (".*", "build", "dist", "node_modules", "venv", "__pycache__")
"""Names a folder scan never enters or reads: hidden files and folders (`.git`, `.venv`, …),
ranpaper's own output folder `build`, and other tools' folders."""

KEYS = (
    "select",
    "ignore",
    "severity",
    "earliest-date",
    "profile",
    "working-groups",
    "extra-working-groups",
    "max-bytes",
    "exclude",
    "max-elements",
    "max-pages",
    "render-memory-mib",
    "render-seconds",
)


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("RP",)
    ignore: tuple[str, ...] = ()
    severities: dict[str, Severity] = field(default_factory=dict)
    # None: the profile's working groups; `extra` are added to whichever set applies.
    working_groups: frozenset[str] | None = None
    extra_working_groups: frozenset[str] = frozenset()
    # The papers' profile, unless a paper's front matter names its own; None: by `language`.
    profile: Profile | None = None
    earliest_date: dt.date = dt.date(2011, 1, 1)  # the RAN was founded in 2011
    max_bytes: int = MAX_BYTES
    # The build's limits (`ranpaper.build.limits`, which holds the defaults); None: default.
    max_elements: int | None = None
    max_pages: int | None = None
    render_memory_mib: int | None = None
    render_seconds: int | None = None
    exclude: tuple[str, ...] = ()
    source: str | None = None
    # The link registry beside the paper being checked (`links.toml`), set per paper by
    # `check_file`; not read from the configuration file.
    links: Registry | None = None

    def reading(self) -> dict[str, Any]:
        """How `ranpaper.parse.parse` reads a paper under this configuration (its keywords)."""
        return {
            "working_groups": self.working_groups,
            "extra_working_groups": self.extra_working_groups,
            "profile": self.profile,
        }

    def selects(self, code: str) -> bool:
        chosen = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        dropped = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return chosen >= 0 and chosen > dropped

    def with_selection(self, select: list[str] | None, ignore: list[str] | None) -> Config:
        check_codes(select or [], "--select")
        check_codes(ignore or [], "--ignore")
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


def check_codes(codes: list[str] | tuple[str, ...], where: str, path: str | None = None) -> None:
    """Every code must name a rule, or be the prefix of one (`RP3`); else an error that
    suggests the nearest rule."""
    from ranpaper.rules import REGISTRY  # the rules import this module

    for code in codes:
        if not any(known.startswith(code) for known in REGISTRY):
            close = difflib.get_close_matches(code, list(REGISTRY), n=1, cutoff=0.6)
            guess = f"; did you mean {close[0]}?" if close else ""
            raise RanpaperError(
                f"{where}: no rule or prefix {code!r}{guess} (`ranpaper rules` lists them)", path
            )


def untrusted_relaxations(config: Config) -> list[str]:
    """What `config` relaxes that a paper folder's own file may not."""
    found = []
    if config.max_bytes > MAX_BYTES:
        found.append(f"raises max-bytes above {MAX_BYTES}")
    from ranpaper.build.limits import Limits  # the build's defaults

    defaults = Limits()
    for key, name in BUILD_LIMITS.items():
        value, default = getattr(config, name), getattr(defaults, name)
        if value == 0:
            found.append(f"switches off {key}")
        elif value is not None and value > default:
            found.append(f"raises {key} above {default}")
    for code in SAFETY_CODES:
        if not config.selects(code):
            found.append(f"turns off {code}")
        elif config.severities.get(code, Severity.error) is not Severity.error:
            found.append(f"lowers {code} to {config.severities[code].value}")
    return found


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise RanpaperError(f"cannot read configuration: {reason}", str(path)) from None


def _table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The ranpaper keys of a parsed file, or None if a pyproject.toml has none."""
    tool = data.get("tool")
    nested = tool.get("ranpaper") if isinstance(tool, dict) else None
    if path.name == "pyproject.toml":
        return nested if isinstance(nested, dict) else None
    if nested is not None:
        rest = sorted(key for key in data if key != "tool")
        if rest or not isinstance(nested, dict) or len(tool) > 1:  # type: ignore[arg-type]
            raise RanpaperError(
                "use either top-level keys or one [tool.ranpaper] table, not both "
                f"(found {', '.join(rest or sorted(tool))})",  # type: ignore[arg-type]
                str(path),
            )
        return nested
    return data


def find_config(start: Path) -> Path | None:
    """The configuration file that applies to `start` (a paper or a folder), or None."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / "ranpaper.toml"
        if own.is_file():
            return own
        project = candidate / "pyproject.toml"
        if project.is_file() and _table(project, _read_toml(project)) is not None:
            return project
    return None


def load_config(
    start: Path | None = None,
    *,
    path: Path | None = None,
    isolated: bool = False,
    trusted: bool = False,
) -> Config:
    """The configuration for papers at `start`: the file `path` if given (trusted: the caller
    chose it), none if `isolated`, else the one found from `start`, refused if it relaxes a
    limit (`untrusted_relaxations`) unless `trusted`."""
    if isolated:
        return Config()
    if path is not None:
        if not path.is_file():
            raise RanpaperError("no such configuration file", str(path))
        table = _table(path, _read_toml(path))
        if table is None:
            raise RanpaperError("has no [tool.ranpaper] table to read", str(path))
        return _from_table(table, str(path))
    found = find_config(start or Path.cwd())
    if found is None:
        return Config()
    config = _from_table(_table(found, _read_toml(found)) or {}, str(found))
    relaxed = untrusted_relaxations(config)
    if relaxed and not trusted:
        raise RanpaperError(
            f"configuration found next to the papers {' and '.join(relaxed)}; CI does not "
            "accept that from the files it checks. Pin a configuration with --config, or "
            "pass --trust-config if this file is yours",
            str(found),
        )
    return config


def _from_table(table: dict[str, Any], source: str) -> Config:
    def fail(message: str) -> RanpaperError:
        return RanpaperError(message, source)

    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        hints = [
            f"{key!r} (did you mean {close[0]!r}?)"
            if (close := difflib.get_close_matches(key, KEYS, n=1))
            else repr(key)
            for key in unknown
        ]
        raise fail(f"unknown key(s) {', '.join(hints)}; known: {', '.join(KEYS)}")
    config = Config(source=source)
    try:
        if "select" in table:
            config = replace(config, select=_codes(table["select"]))
            check_codes(config.select, "select", source)
        if "ignore" in table:
            config = replace(config, ignore=_codes(table["ignore"]))
            check_codes(config.ignore, "ignore", source)
        if "severity" in table:
            severities = {
                str(code).upper(): Severity(str(level)) for code, level in table["severity"].items()
            }
            check_codes(list(severities), "severity", source)
            config = replace(config, severities=severities)
        if "earliest-date" in table:
            config = replace(
                config, earliest_date=dt.date.fromisoformat(str(table["earliest-date"]))
            )
        if "working-groups" in table:
            config = replace(config, working_groups=_upper_set(table["working-groups"]))
        if "extra-working-groups" in table:
            config = replace(config, extra_working_groups=_upper_set(table["extra-working-groups"]))
        if "profile" in table:
            value = table["profile"]
            if not isinstance(value, str):
                raise ValueError("profile must be a shipped profile's name or a .toml path")
            try:
                # A path is relative to this configuration file.
                config = replace(config, profile=load_profile(value, Path(source).parent))
            except ProfileError as error:
                if error.path is not None:
                    raise
                raise fail(f"profile: {error.message}") from None
        if "max-bytes" in table:
            value = table["max-bytes"]
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"max-bytes must be a positive whole number, not {value!r}")
            config = replace(config, max_bytes=value)
        if "exclude" in table:
            config = replace(config, exclude=tuple(_strings(table["exclude"], "exclude")))
        for key, name in BUILD_LIMITS.items():
            if key in table:
                value = table[key]
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"{key} must be a whole number ≥ 0 (0: no limit)")
                config = replace(config, **{name: value})  # type: ignore[arg-type]
    except (TypeError, ValueError, AttributeError) as error:
        raise fail(f"invalid value: {error}") from None
    return config


def _strings(value: object, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key} must be a list of strings")
    return value


def _codes(value: object) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in _strings(value, "select/ignore"))


def _upper_set(value: object) -> frozenset[str]:
    return frozenset(group.upper() for group in _strings(value, "working-groups"))
