"""The one road: a `Workspace` made once from the configuration, and the `Document`s it opens.

Every door — `check`, `check --fix`, `fmt`, `diff`, `build`, `serve`, `lsp`, `links` and the
library's `load()` / `load_all()` — reads, configures, limits and parses papers through here,
so no two of them can disagree (docs/workspace.md):

    workspace = Workspace.load("source/")            # the configuration, found once
    for path in workspace.papers(["source/"]).papers:
        document = workspace.open(path)              # read (capped), parsed, checked
        document.paper, document.diagnostics

A workspace holds the configuration (its profile, working groups, rule selection, limits and
`exclude`), finds papers (`ranpaper.papers`), reads them (`ranpaper.fs`: regular files, never
through a link out of the folder, at most `max-bytes`), counts their lines (`ranpaper.lines`)
and parses them with the configuration's reading. Writing goes through `ranpaper.fs`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from ranpaper.check import check_paper, unreadable
from ranpaper.config import Config, load_config
from ranpaper.diagnostics import Diagnostic
from ranpaper.errors import RanpaperError
from ranpaper.fs import mib, read_text
from ranpaper.limits import Limits
from ranpaper.lines import LineIndex
from ranpaper.links.registry import Registry, registry_beside
from ranpaper.model import Paper
from ranpaper.papers import Found, scan
from ranpaper.parse import parse
from ranpaper.parse.incremental import IncrementalParser
from ranpaper.rules import resolve_codes

_SIZE_HINT = "a CI owner can raise `max-bytes` in the configuration"


@dataclass
class Document:
    """One paper as the workspace read it: its path, its text, one line index, the parsed
    `Paper` (None when the text cannot be read as one) and its diagnostics."""

    path: Path
    text: str
    paper: Paper | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    registry: Registry | None = None

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)


@dataclass(frozen=True)
class Workspace:
    """The configuration every door uses, and the operations that depend on it."""

    config: Config = field(default_factory=Config)
    original: Path | None = None
    """The paper every paper opened translates (`check --original`), for the parity rules;
    None: each paper's own front-matter `translation-of`, if any."""

    @classmethod
    def load(
        cls,
        start: str | Path | None = None,
        *,
        config: str | Path | None = None,
        isolated: bool = False,
        trusted: bool = False,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        extend_select: list[str] | None = None,
        original: str | Path | None = None,
    ) -> Workspace:
        """The workspace for papers at `start` (a paper or a folder; default: the current
        folder): the configuration file `config` if given, none if `isolated`, else the one
        found from `start` (`ranpaper.config`), with `--select` / `--extend-select` /
        `--ignore` applied. Every
        rule code is checked here, once, whichever door it came by."""
        loaded = load_config(
            Path(start) if start is not None else None,
            path=Path(config) if config is not None else None,
            isolated=isolated,
            trusted=trusted,
        )
        source = loaded.source
        loaded = replace(
            loaded,
            select=resolve_codes(loaded.select, "select", source),
            ignore=resolve_codes(loaded.ignore, "ignore", source),
            severities={
                resolve_codes([code], "severity", source)[0]: level
                for code, level in loaded.severities.items()
            },
            per_file_ignores=tuple(
                (pattern, resolve_codes(codes, f"per-file-ignores {pattern!r}", source))
                for pattern, codes in loaded.per_file_ignores
            ),
        )
        if select is not None or ignore is not None or extend_select is not None:
            loaded = loaded.with_selection(
                list(resolve_codes(select or [], "--select")) or None,
                list(resolve_codes(ignore or [], "--ignore")),
                list(resolve_codes(extend_select or [], "--extend-select")),
            )
        return cls(loaded, Path(original) if original is not None else None)

    # --- finding and reading papers --------------------------------------------------------

    def papers(self, paths: list[str | Path] | tuple[str | Path, ...] | str | Path) -> Found:
        """The papers named by `paths` (files, or folders searched with the configuration's
        `exclude` and `.gitignore`), and the Markdown files passed over."""
        if isinstance(paths, str | Path):
            paths = [paths]
        return scan(paths, self.config.exclude)

    def read(self, path: Path) -> str:
        """A paper's text, read as every paper is (see the module's docstring)."""
        return read_text(path, self.config.max_bytes, what="paper file", too_large_hint=_SIZE_HINT)

    def limit_text(self, text: str, name: str) -> str:
        """`text` (an editor's buffer, a git blob) if it is within `max-bytes`, else the
        error a file of that size gets."""
        if len(text) > self.config.max_bytes or len(text.encode("utf-8")) > self.config.max_bytes:
            raise self.too_large(name)
        return text

    def too_large(self, name: str) -> RanpaperError:
        return RanpaperError(
            f"file is over the {mib(self.config.max_bytes)} cap ({_SIZE_HINT})", name
        )

    @property
    def limits(self) -> Limits:
        return Limits.from_config(self.config)

    def reading(self) -> dict[str, Any]:
        return self.config.reading()

    # --- parsing and checking ----------------------------------------------------------------

    def parse(self, text: str, path: str | Path | None = None) -> Paper:
        """`text` as a paper, read with the configuration's profile and working groups."""
        return parse(text, None if path is None else str(path), **self.config.reading())

    def config_for(self, path: Path) -> Config:
        """The configuration a paper is checked with: the link registry beside it added, and
        the codes `per-file-ignores` skips for it."""
        config = self.config
        ignored = config.ignored_for(path)
        if ignored:
            config = replace(config, ignore=config.ignore + ignored)
        registry = registry_beside(path)
        return config if registry is None else replace(config, links=registry)

    def open(
        self, path: str | Path, text: str | None = None, original: Path | None = None
    ) -> Document:
        """Read (unless `text` is given), parse and check one paper (a translation against
        `original`, else against its front matter's `translation-of`). A file that cannot be
        read is one RP001 finding; a missing file raises (it names a path that is not
        there)."""
        return self._open(Path(path), text, original, self.parse)

    def live(self, path: str | Path) -> LiveDocument:
        """A paper kept open for edits (the language server's): each `update(text)` gives the
        `Document` `open(path, text)` gives, re-reading only the lines the edit touched
        (`ranpaper.parse.incremental`)."""
        return LiveDocument(self, Path(path))

    def _open(
        self,
        path: Path,
        text: str | None,
        original: Path | None,
        parse: Callable[[str, Path], Paper],
    ) -> Document:
        config = self.config_for(path)
        try:
            text = self.read(path) if text is None else self.limit_text(text, str(path))
        except RanpaperError as error:
            if not (path.is_file() or path.is_symlink()) and text is None:
                raise
            return Document(path, text or "", None, [unreadable(path, error, config)])
        paper = parse(text, path)
        config = self.with_original(config, path, paper, original or self.original)
        return Document(path, text, paper, check_paper(paper, config, text), config.links)

    def with_original(
        self, config: Config, path: Path, paper: Paper, original: Path | None = None
    ) -> Config:
        """`config` with the paper a translation translates (`original`, else its front
        matter's `translation-of`, relative to the paper), read and parsed as any paper is,
        for the parity rules (docs/translation.md); or with why it cannot be read. The
        original's own `translation-of` is not followed."""
        named = paper.metadata.translation_of
        if original is None and named is None:
            return config
        target = original or (path.parent / str(named)).resolve()
        shown = named if original is None else str(original)
        if original is None and not target.is_relative_to(Path.cwd().resolve()):
            return replace(
                config,
                original_error=f"the original {shown!r} is outside the folder ranpaper runs "
                "in; a front matter may not make ranpaper read a file elsewhere (name it with "
                "`ranpaper translate check --original`)",
            )
        try:
            read = self.parse(self.read(target), target)
        except RanpaperError as error:
            message = f"the original {shown!r} cannot be read: {error.message}"
            return replace(config, original_error=message)
        return replace(config, original=read, original_error=None)

    def check_text(self, path: Path, text: str) -> tuple[Paper, list[Diagnostic]]:
        """Parse and check `text` as the paper at `path` (the fix engine's and fmt's step)."""
        document = self.open(path, text)
        if document.paper is None:
            raise RanpaperError(document.diagnostics[0].message, str(path))
        return document.paper, document.diagnostics


class LiveDocument:
    """One paper open in an editor, read again on each edit by an `IncrementalParser` made
    with the workspace's reading; everything else (limits, per-file ignores, the link
    registry, the original of a translation, the rules) is `Workspace.open`'s own road."""

    def __init__(self, workspace: Workspace, path: Path) -> None:
        self.workspace = workspace
        self.path = path
        self.reader = IncrementalParser(str(path), **workspace.reading())

    def update(self, text: str, original: Path | None = None) -> Document:
        """`workspace.open(path, text, original)`, from the parse of the last update on."""
        return self.workspace._open(self.path, text, original, self._parse)

    def _parse(self, text: str, path: Path) -> Paper:
        return self.reader.parse(text)


def check_document(path: Path, workspace: Workspace) -> list[Diagnostic]:
    """One paper's diagnostics (a top-level function, so that worker processes can run it)."""
    return workspace.open(path).diagnostics


def load(
    path: str | Path, *, workspace: Workspace | None = None, config: Config | None = None
) -> Paper:
    """Read and parse one paper with the configuration `ranpaper check` would use for it
    (found from its folder) unless a `workspace` (or a `config`) is given. Raises
    `RanpaperError` if the file cannot be read."""
    workspace = workspace or (Workspace(config) if config else Workspace.load(path))
    return workspace.parse(workspace.read(Path(path)), path)


def load_all(
    paths: str | Path | list[str | Path],
    *,
    workspace: Workspace | None = None,
    config: Config | None = None,
) -> list[Paper]:
    """Every paper named by `paths` (a path, or a list of paths; folders are scanned as
    `ranpaper check` scans them), with the configuration found from the first path unless
    `workspace` is given."""
    if isinstance(paths, str | Path):
        paths = [paths]
    if workspace is None:
        workspace = Workspace(config) if config else Workspace.load(paths[0] if paths else None)
    return [load(path, workspace=workspace) for path in workspace.papers(paths).papers]
