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
    per-file-ignores = {"drafts/*.md" = ["RP301"]}  # codes skipped for matching papers
    [severity]                      # [tool.ranpaper.severity] in pyproject.toml
    RP301 = "error"                 # make lost links fail the check

Each key is declared once, in `OPTIONS` (its type, default and meaning): the reader, the
error messages and docs/configuration.md come from that one table. Rule codes are checked
against the rules by the workspace (`ranpaper.workspace`), which sits above the rules; this
module sits below parsing and the rules.

Trust: a file found next to the papers comes with the pull request that changes them, so it
may not relax the limits that protect CI (its `select` narrows the ordinary rules only: the
safety rules stay selected) (`untrusted_relaxations`): raise `max-bytes` above
the default, raise or switch off a build limit (`BUILD_LIMITS`), or turn off or lower a
safety rule (`SAFETY_CODES`). Such a file is refused
unless the caller trusts it (`--trust-config`), or CI pins its own file with `--config`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ranpaper.diagnostics import Severity
from ranpaper.errors import RanpaperError
from ranpaper.limits import MAX_BYTES, Limits
from ranpaper.profiles import Profile, ProfileError, load_profile

if TYPE_CHECKING:
    from ranpaper.links.registry import Registry
    from ranpaper.model import Paper

SAFETY_CODES = ("RP308", "RP309", "RP310")
"""Rules that keep hostile links and files out of the outputs: a paper folder's own
configuration may not turn them off or lower them below error."""


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
    # The build's limits (`ranpaper.limits`, which holds the defaults); None: default.
    max_elements: int | None = None
    max_pages: int | None = None
    render_memory_mib: int | None = None
    render_seconds: int | None = None
    exclude: tuple[str, ...] = ()
    # (glob, codes) pairs: codes skipped for the papers whose path matches the glob.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    source: str | None = None
    # The link registry beside the paper being checked (`links.toml`), set per paper by the
    # workspace; not read from the configuration file.
    links: Registry | None = None
    # The paper a translation translates (its front matter's `translation-of`, or `translate
    # check --original`), read by the workspace for the parity rules; or why it could not be.
    original: Paper | None = None
    original_error: str | None = None

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

    def with_selection(
        self,
        select: list[str] | None,
        ignore: list[str] | None,
        extend_select: list[str] | None = None,
    ) -> Config:
        """`--select` replaces the configuration's selection; `--extend-select` and `--ignore`
        add to it. (The workspace checks the codes name rules.)"""
        return replace(
            self,
            select=(tuple(select) if select else self.select) + tuple(extend_select or ()),
            ignore=self.ignore + tuple(ignore or ()),
        )

    def ignored_for(self, path: Path) -> tuple[str, ...]:
        """The codes `per-file-ignores` skips for the paper at `path`: each pattern matches
        the path relative to the configuration file's folder (for a file pinned elsewhere, as
        CI does with `--config`, relative to the current folder), or the file's name alone."""
        if not self.per_file_ignores:
            return ()
        absolute = path.resolve() if path.exists() else Path.cwd() / path
        bases = [Path(self.source).resolve().parent] if self.source else []
        relative = path.as_posix()
        for base in [*bases, Path.cwd().resolve()]:
            if absolute.is_relative_to(base):
                relative = absolute.relative_to(base).as_posix()
                break
        return tuple(
            code
            for pattern, codes in self.per_file_ignores
            if _matches(relative, pattern) or _matches(path.name, pattern)
            for code in codes
        )


def _matches(path: str, pattern: str) -> bool:
    """A glob as `exclude` reads it (fnmatch: `*` matches any characters, `/` too)."""
    import fnmatch

    return fnmatch.fnmatchcase(path, pattern)


# --- the keys, each declared once ----------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One configuration key: the `Config` field it sets, how its TOML value is read (a
    function that raises ValueError with a message a person can act on), and what it means."""

    key: str
    field: str
    read: Callable[[Any, Path], Any]
    help: str
    codes: bool = False  # holds rule codes (checked against the rules by the workspace)


def _strings(value: object, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key} must be a list of strings")
    return value


def _codes(key: str) -> Callable[[Any, Path], tuple[str, ...]]:
    return lambda value, _: tuple(code.strip().upper() for code in _strings(value, key))


def _upper_set(key: str) -> Callable[[Any, Path], frozenset[str]]:
    return lambda value, _: frozenset(group.upper() for group in _strings(value, key))


def _severities(value: object, _: Path) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ValueError('[severity] must be a table of CODE = "error" | "warning" | "info"')
    return {str(code).upper(): Severity(str(level)) for code, level in value.items()}


def _per_file(value: object, _: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ValueError('per-file-ignores must be a table of "GLOB" = ["CODE", …]')
    return tuple(
        (str(pattern), tuple(code.strip().upper() for code in _strings(codes, pattern)))
        for pattern, codes in value.items()
    )


def _date(value: object, _: Path) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _profile(value: object, source: Path) -> Profile:
    if not isinstance(value, str):
        raise ValueError("profile must be a shipped profile's name or a .toml path")
    try:
        return load_profile(value, source.parent)  # a path is relative to this file
    except ProfileError as error:
        if error.path is not None:
            raise
        raise ValueError(error.message) from None


def _positive(key: str) -> Callable[[Any, Path], int]:
    def read(value: object, _: Path) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"{key} must be a positive whole number, not {value!r}")
        return value

    return read


def _bound(key: str) -> Callable[[Any, Path], int]:
    def read(value: object, _: Path) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{key} must be a whole number ≥ 0 (0: no limit)")
        return value

    return read


OPTIONS = (
    Option("select", "select", _codes("select"), "codes or prefixes to run (default: all)", True),
    Option("ignore", "ignore", _codes("ignore"), "codes or prefixes to skip", True),
    Option(
        "per-file-ignores",
        "per_file_ignores",
        _per_file,
        'a table: "GLOB" = [codes or prefixes] skipped for the papers the glob matches',
        True,
    ),
    Option("severity", "severities", _severities, "a table: CODE = error|warning|info", True),
    Option("earliest-date", "earliest_date", _date, "dates before this are implausible (RP107)"),
    Option("profile", "profile", _profile, "the papers' vocabulary: a shipped name or a .toml"),
    Option(
        "working-groups",
        "working_groups",
        _upper_set("working-groups"),
        "replaces the profile's known working groups",
    ),
    Option(
        "extra-working-groups",
        "extra_working_groups",
        _upper_set("extra-working-groups"),
        "adds to the known working groups",
    ),
    Option("max-bytes", "max_bytes", _positive("max-bytes"), "papers above this size are refused"),
    Option(
        "exclude",
        "exclude",
        lambda value, _: tuple(_strings(value, "exclude")),
        "paths a folder scan skips (globs), besides hidden folders, build/ and .gitignore",
    ),
    Option("max-elements", "max_elements", _bound("max-elements"), "build: model nodes of a paper"),
    Option("max-pages", "max_pages", _bound("max-pages"), "build: pages of one PDF"),
    Option(
        "render-memory-mib",
        "render_memory_mib",
        _bound("render-memory-mib"),
        "build: address space of each render worker (MiB)",
    ),
    Option(
        "render-seconds",
        "render_seconds",
        _bound("render-seconds"),
        "build: time one render may take",
    ),
)
KEYS = tuple(option.key for option in OPTIONS)


def _default(option: Option) -> str:
    """An option's default as the reference shows it."""
    value = getattr(Config(), option.field)
    if option.field in BUILD_LIMITS.values():
        value = getattr(Limits(), option.field)
    if option.field == "working_groups":
        return "the profile's"
    if option.field == "profile":
        return "by the paper's `language`"
    if option.field == "per_file_ignores":
        return "`{}`"
    if isinstance(value, tuple | list) and not value:
        return "`[]`"
    if isinstance(value, tuple):
        return "`[" + ", ".join(f'"{item}"' for item in value) + "]`"
    if isinstance(value, dict | frozenset) and not value:
        return "`{}`" if isinstance(value, dict) else "`[]`"
    return f"`{value}`"


def reference() -> str:
    """docs/configuration.md: every key of `OPTIONS`, its default and meaning (a test keeps
    the file equal to this; `RANPAPER_UPDATE_DOCS=1 python3 -m pytest tests/test_docs.py`
    rewrites it)."""
    rows = "\n".join(
        f"| `{o.key}` | {_default(o)} | {o.help.replace('|', '&#124;')}"
        f"{' (rule codes, prefixes or names)' if o.codes else ''} |"
        for o in OPTIONS
    )
    return f"""# Configuration reference

<!-- Generated from `ranpaper.config.OPTIONS` by `ranpaper.config.reference()`; do not edit.
     RANPAPER_UPDATE_DOCS=1 python3 -m pytest tests/test_docs.py rewrites this file. -->

ranpaper reads one configuration: `--config FILE` if given, none with `--isolated`, else the
nearest `ranpaper.toml`, or `pyproject.toml` with a `[tool.ranpaper]` table, walking up from
the first path. In `pyproject.toml` the keys go in `[tool.ranpaper]`; in `ranpaper.toml` at
the top level, or in one `[tool.ranpaper]` table. An unknown key, or a code that names no
rule, stops the run (exit 2) with a did-you-mean.

| key | default | what it does |
| --- | --- | --- |
{rows}

```toml
[tool.ranpaper]
select = ["RP"]
ignore = ["RP307"]
per-file-ignores = {{ "drafts/*.md" = ["RP301"] }}
earliest-date = "2011-01-01"
profile = "default"
extra-working-groups = ["NEWWG"]
exclude = ["drafts", "old/*.md"]
max-pages = 200
[tool.ranpaper.severity]
RP301 = "error"
```

A configuration found next to the papers arrives with the pull request that changes them, so
it may tighten the check but not relax CI's limits: raising `max-bytes` or a build limit
(`max-elements`, `max-pages`, `render-memory-mib`, `render-seconds`; 0 switches one off),
or turning off or lowering a safety rule ({", ".join(SAFETY_CODES)}), also through
`per-file-ignores`, is refused (exit 2) unless CI pins the file with `--config` or the run
passes `--trust-config`. Its `select` narrows the ordinary rules only: the safety rules stay
on. Command-line options: `--select` replaces `select`, `--extend-select` and `--ignore` add
to it ([docs/ci.md](ci.md#trusted-configuration)).
"""


# The build's limits: key → Config field.
BUILD_LIMITS = {
    "max-elements": "max_elements",
    "max-pages": "max_pages",
    "render-memory-mib": "render_memory_mib",
    "render-seconds": "render_seconds",
}


def untrusted_relaxations(config: Config) -> list[str]:
    """What `config` relaxes that a paper folder's own file may not."""
    found = []
    if config.max_bytes > MAX_BYTES:
        found.append(f"raises max-bytes above {MAX_BYTES}")
    defaults = Limits()
    for key, name in BUILD_LIMITS.items():
        value, default = getattr(config, name), getattr(defaults, name)
        if value == 0:
            found.append(f"switches off {key}")
        elif value is not None and value > default:
            found.append(f"raises {key} above {default}")
    for code in SAFETY_CODES:
        for pattern, codes in config.per_file_ignores:
            if any(code.startswith(prefix) for prefix in codes):
                found.append(f"turns off {code} for {pattern}")
        if not config.selects(code):
            found.append(f"turns off {code}")
        elif config.severities.get(code, Severity.error) is not Severity.error:
            found.append(f"lowers {code} to {config.severities[code].value}")
    return found


def _read_toml(path: Path) -> dict[str, Any]:
    from ranpaper.fs import read_text  # capped, regular files only

    try:
        return tomllib.loads(read_text(path, what="configuration"))
    except RanpaperError as error:
        raise RanpaperError(f"cannot read configuration: {error.message}", str(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise RanpaperError(f"cannot read configuration: {error}", str(path)) from None


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
    if not trusted:
        # `select = ["RP1"]` narrows the ordinary rules; the safety rules stay on (only an
        # explicit `ignore` of one would turn it off, and that is refused below).
        kept = tuple(c for c in SAFETY_CODES if not any(c.startswith(p) for p in config.select))
        config = replace(config, select=config.select + kept)
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
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        hints = [
            f"{key!r} (did you mean {close[0]!r}?)"
            if (close := difflib.get_close_matches(key, KEYS, n=1))
            else repr(key)
            for key in unknown
        ]
        raise RanpaperError(f"unknown key(s) {', '.join(hints)}; known: {', '.join(KEYS)}", source)
    values: dict[str, Any] = {}
    for option in OPTIONS:
        if option.key in table:
            try:
                values[option.field] = option.read(table[option.key], Path(source))
            except (TypeError, ValueError, AttributeError) as error:
                raise RanpaperError(f"invalid value for {option.key}: {error}", source) from None
    return Config(source=source, **values)
