"""The model → outputs ledger: what each output promises to carry, and the check, after
rendering and before anything is published, that it does (issue 21).

The promises, one per kind of file (`PROMISES`): the paper (PDF, web page, Word document,
JSON) carries every text of the model (`readback.paper_blocks`); a theme's brief (PDF,
Markdown, Word) carries every text of its theme and the footnotes they cite
(`readback.brief_blocks`). Each staged file is read back as a reader's tool reads it
(`readback`), and a promised block whose words are not there, in order, is a `BuildError`
naming the output, the block and its source line: nothing is published that lost text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ranpaper.build import readback
from ranpaper.build.artifacts import PaperBuild
from ranpaper.build.errors import BuildError
from ranpaper.model import Paper, Theme

Reader = Callable[[Path], str]


def _json_text(path: Path) -> str:
    """Every string of the JSON, in order: what a consumer of the model reads."""
    out: list[str] = []
    stack: list[object] = [json.loads(path.read_text("utf-8"))]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            stack.extend(reversed([v for k, v in value.items() if k not in ("type", "url")]))
        elif isinstance(value, list):
            stack.extend(reversed(value))
    return "\n".join(out)


READERS: dict[str, Reader] = {
    ".pdf": lambda path: readback.pdf_text(path.read_bytes()),
    ".docx": lambda path: readback.docx_text(path.read_bytes()),
    ".html": lambda path: readback.html_text(path.read_text("utf-8")),
    ".md": lambda path: readback.markdown_text(path.read_text("utf-8")),
    ".json": _json_text,
}


def promised(build: PaperBuild, output: Path) -> list[readback.Block] | None:
    """What the output at `output` (relative to the output folder) carries, or None when it
    promises no text of the paper (a file this ledger does not know)."""
    paper = build.paper
    if output.parent == build.brief_dir:
        theme = _theme_of(build, output)
        return readback.brief_blocks(paper, theme) if theme is not None else None
    if output.stem == build.stem and output.suffix in READERS:
        return readback.paper_blocks(paper)
    return None


def _theme_of(build: PaperBuild, output: Path) -> Theme | None:
    for theme in build.paper.themes:
        if build.brief_name(theme).name == output.stem:
            return theme
    return None


def verify(build: PaperBuild, outputs: list[Path], staging: Path) -> None:
    """Read every staged output of `build` back and refuse the build if one lost a block."""
    for output in outputs:
        reader = READERS.get(output.suffix)
        blocks = promised(build, output)
        if reader is None or blocks is None:
            continue
        lost = readback.missing(reader(staging / output), blocks)
        if lost:
            raise _lost(build.paper, output, lost)


def _lost(paper: Paper, output: Path, lost: list[readback.Block]) -> BuildError:
    text, line = lost[0]
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 80 else shown[:77] + "…"
    more = f" (and {len(lost) - 1} more)" if len(lost) > 1 else ""
    return BuildError(
        f"{output.as_posix()} lacks the text of line {line}: {shown!r}{more}; nothing was "
        "published (a renderer lost it: please report this)",
        paper.path,
        line,
    )
