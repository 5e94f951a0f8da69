"""`ranpaper build`: check, then render every requested output of every paper, then move all
of them into place at once.

Outputs are staged in a hidden folder inside the output folder and renamed into place only
when every output of the build succeeded, so a failed or interrupted build leaves the previous
outputs exactly as they were and no staging files behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ranpaper.model import Paper
from ranpaper.render.json import to_json

Renderer = Callable[[Paper, Path, str], list[Path]]
"""(paper, staging folder, stem) → the files it wrote, relative to the staging folder."""


def _render_json(paper: Paper, staging: Path, stem: str) -> list[Path]:
    target = Path(f"{stem}.json")
    (staging / target).write_text(to_json(paper), "utf-8")
    return [target]


FORMATS: dict[str, Renderer] = {
    "json": _render_json,
}
DEFAULT_FORMATS = tuple(FORMATS)


@dataclass
class BuildResult:
    paper: Path
    outputs: list[Path]


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A fresh folder inside `out` (same file system, so renames are atomic); always removed."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ranpaper-staging-", dir=out))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, out: Path, files: list[Path]) -> list[Path]:
    """Move staged files into `out`. Each rename is atomic; they run only after all rendered."""
    placed = []
    for relative in files:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / relative, target)
        placed.append(target)
    return placed


def render_all(papers: list[Paper], out: Path, formats: tuple[str, ...]) -> list[BuildResult]:
    with staging_folder(out) as staging:
        staged: list[tuple[Path, list[Path]]] = []
        for paper in papers:
            stem = Path(paper.path or "paper").stem
            files: list[Path] = []
            for fmt in formats:
                files.extend(FORMATS[fmt](paper, staging, stem))
            staged.append((Path(paper.path or stem), files))
        return [BuildResult(source, publish(staging, out, files)) for source, files in staged]
