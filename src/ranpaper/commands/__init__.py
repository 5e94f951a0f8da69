"""The commands behind `ranpaper COMMAND`: one module each, every one a thin user of the
workspace (`ranpaper.workspace`). `ranpaper.cli` parses the arguments and maps what a command
returns (or raises) to an exit code; a command reads, checks and writes only through the
workspace, `ranpaper.fs` and `ranpaper.printing`.

Each module has `run(args) -> int`, the exit code: 0 clean, 1 findings that fail, 2 could not
run (raised as `RanpaperError`, which the CLI prints).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ranpaper.errors import RanpaperError
from ranpaper.workspace import Workspace

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

T = TypeVar("T")


def workspace_for(args: argparse.Namespace, start: str | Path | None = None) -> Workspace:
    """The workspace of a command's papers: `--config`, `--isolated`, `--trust-config`,
    `--select`, `--extend-select` and `--ignore` as given (each optional), found from `start`,
    `--stdin-filename` or the first path."""
    paths = getattr(args, "paths", None) or ["."]
    if paths == ["-"]:
        paths = [getattr(args, "stdin_filename", None) or "."]
    return Workspace.load(
        start if start is not None else paths[0],
        config=getattr(args, "config", None),
        isolated=getattr(args, "isolated", False),
        trusted=getattr(args, "trust_config", False),
        select=getattr(args, "select", None),
        ignore=getattr(args, "ignore", None),
        extend_select=getattr(args, "extend_select", None),
        original=getattr(args, "original", None),
    )


EXTRAS = {
    "build": ("weasyprint", "jinja2", "fontTools", "docx", "pypdfium2"),
    "serve": ("weasyprint", "jinja2", "starlette", "uvicorn", "watchfiles"),
    "links": ("httpx",),
}
"""The optional dependencies (pyproject.toml's extras) and the modules each provides; the core
install runs `check`, `fmt`, `diff`, `rules`, `schema`, `links --lost/--apply` and `lsp`."""


def require(extra: str, command: str) -> None:
    """Stop at once, in one line, if `command` needs an extra that is not installed."""
    import importlib.util

    missing = [name for name in EXTRAS[extra] if importlib.util.find_spec(name) is None]
    if missing:
        raise RanpaperError(missing_extra(extra, command, missing[0]))


def missing_extra(extra: str, command: str, module: str) -> str:
    return (
        f"`ranpaper {command}` needs the [{extra}] extra ({module} is not installed): "
        f"pip install 'ranpaper[{extra}]' (or 'ranpaper[all]')"
    )


def extra_for(module: str) -> str | None:
    """The extra that provides `module` (a top-level name), or None."""
    return next((extra for extra, names in EXTRAS.items() if module in names), None)


STDIN = "-"
"""The path that means standard input (as ruff's): `ranpaper check -`, `ranpaper fmt -`."""


def reads_stdin(args: argparse.Namespace) -> bool:
    """Whether the command reads its one paper from standard input (`-` as the only path)."""
    paths = getattr(args, "paths", None) or []
    if STDIN in paths:
        if len(paths) > 1:
            raise RanpaperError("`-` (standard input) cannot be combined with other paths")
        return True
    if getattr(args, "stdin_filename", None):
        raise RanpaperError("--stdin-filename names standard input: pass `-` as the path")
    return False


def stdin_paper(args: argparse.Namespace, workspace: Workspace) -> tuple[Path, str]:
    """The paper on standard input: its name (`--stdin-filename`, else `-`) and its text."""
    from ranpaper.fs import read_stdin

    name = Path(getattr(args, "stdin_filename", None) or STDIN)
    return name, read_stdin(workspace.config.max_bytes, str(name))


def map_papers(
    function: Callable[[Path, Workspace], T], files: list[Path], workspace: Workspace
) -> list[T]:
    """`function(path, workspace)` for every paper, on all cores when there are several.
    Results come back in the order of `files`, so output and exit status never depend on
    scheduling. Workers are spawned, never forked (see `ranpaper.build.workers`)."""
    import os

    workers = min(len(files), os.cpu_count() or 1)
    if workers <= 1 or len(files) < 4:
        return [function(path, workspace) for path in files]
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_call, [(function, path, workspace) for path in files], chunksize=4))


def _call(job: tuple[Callable[[Path, Workspace], T], Path, Workspace]) -> T:
    function, path, workspace = job
    return function(path, workspace)


def unified(old: str, new: str, name: str) -> str:
    """A unified diff of two texts, every line ending in a line break."""
    import difflib

    from ranpaper.lines import BREAK

    lines = difflib.unified_diff(_keepends(old, BREAK), _keepends(new, BREAK), name, name)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _keepends(text: str, breaks: Any) -> list[str]:
    """The lines of `text` with their breaks, split where the one line model splits."""
    lines, position = [], 0
    for match in breaks.finditer(text):
        lines.append(text[position : match.end()])
        position = match.end()
    if position < len(text):
        lines.append(text[position:])
    return lines


def say(message: str) -> None:
    """A line for the person at the terminal, on stderr."""
    print(message, file=sys.stderr)
