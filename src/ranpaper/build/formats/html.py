"""The paper as one self-contained web page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ranpaper.build.artifacts import Artifact, Output, PaperBuild, Text


def files(build: PaperBuild) -> list[Path]:
    return [Path(f"{build.stem}.html")]


def make(build: PaperBuild) -> Iterator[Artifact]:
    from ranpaper.render.html import render_paper

    # The web page fetches nothing: its images are embedded in it (data URIs).
    html = render_paper(build.paper, "screen", build.timeline_svg, build.images)
    yield Text(files(build)[0], html)


OUTPUT = Output("html", "the paper as one accessible, self-contained web page", files, make)
