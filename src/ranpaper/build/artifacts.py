"""What an output is made of: the `Output` declaration, the files it makes (`Text`, `Bytes`,
a render `Job`), and the `PaperBuild` every output reads. The registry is `outputs.py`."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ranpaper.build.errors import BuildError

if TYPE_CHECKING:  # the command line reads the registry for `--format`'s help: no parser then
    from ranpaper.model import Paper, Theme


@dataclass(frozen=True)
class Text:
    """A text file, written by the main process (UTF-8)."""

    path: Path
    text: str


@dataclass(frozen=True)
class Bytes:
    """A binary file, written by the main process."""

    path: Path
    data: bytes


@dataclass(frozen=True)
class Job:
    """A file a render worker makes: `function(target, *args)`, where `function` is a
    module-level function (workers receive it by reference) and `target` the staged path."""

    path: Path
    function: Callable[..., None]
    args: tuple[Any, ...] = ()
    paper: str | None = None  # for error messages


Artifact = Text | Bytes | Job


@dataclass
class PaperBuild:
    """One paper being built: what every output's `files` and `make` may read. What several
    outputs share (the images, the timeline chart) is made once, when first asked for."""

    paper: Paper
    key: str
    brief_dir: Path = field(default_factory=lambda: Path("briefs"))

    @property
    def stem(self) -> str:
        return Path(self.paper.path or "paper").stem

    @property
    def folder(self) -> Path:
        return Path(self.paper.path or ".").resolve().parent

    @property
    def paper_pdf_from_briefs(self) -> str:
        """The paper's PDF as the briefs link to it: relative to their folder (`../x.pdf`)."""
        return Path(os.path.relpath(f"{self.stem}.pdf", self.brief_dir)).as_posix()

    def brief_name(self, theme: Theme) -> Path:
        return self.brief_dir / brief_name(theme)

    @functools.cached_property
    def images(self) -> dict[str, str]:
        """Every image of the paper → the file URL a renderer may read; refuse the others."""
        from ranpaper.assets import paper_images

        images, refused = paper_images(self.paper, self.folder)
        for src, reason, line in refused[:1]:
            raise BuildError(f'image "{src}" {reason}', self.paper.path, line)
        return images

    @functools.cached_property
    def timeline_svg(self) -> str:
        from ranpaper.render.html import meetings_per_year
        from ranpaper.render.timeline import timeline_svg

        title = self.paper.profile.word("timeline-chart-title")
        return timeline_svg(meetings_per_year(self.paper.themes), title, self.paper.profile)

    @functools.cached_property
    def timeline_picture_svg(self) -> str:
        """The chart with its legend drawn inside: the Word document's picture."""
        from ranpaper.render.html import meetings_per_year
        from ranpaper.render.timeline import timeline_svg

        title = self.paper.profile.word("timeline-chart-title")
        data = meetings_per_year(self.paper.themes)
        return timeline_svg(data, title, self.paper.profile, legend=True)


def brief_name(theme: Theme) -> str:
    from ranpaper.parse.practice import slugify

    return f"{theme.number:02d}-{slugify(theme.title_text)[:60]}"


@dataclass(frozen=True)
class Output:
    name: str
    summary: str  # one line for `--help` and the docs
    files: Callable[[PaperBuild], list[Path]]
    make: Callable[[PaperBuild], Iterator[Artifact]]
    renders: bool = False  # whether it has jobs for the render workers
    default: bool = True  # made when no --format is given
