"""The paper as PDF: the print HTML, rendered by WeasyPrint in a render worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ranpaper.build.artifacts import Artifact, Job, Output, PaperBuild


def files(build: PaperBuild) -> list[Path]:
    return [Path(f"{build.stem}.pdf")]


def make(build: PaperBuild) -> Iterator[Artifact]:
    from ranpaper.render.html import render_paper

    html = render_paper(build.paper, "print", build.timeline_svg, build.images)
    args = (html, build.folder, build.key + build.stem)
    yield Job(files(build)[0], render_pdf, args, build.paper.path)


def render_pdf(target: Path, html: str, paper_folder: Path, identifier: str) -> None:
    """In a render worker: HTML → PDF, refused when it has more pages than allowed."""
    from ranpaper.build.errors import LimitError
    from ranpaper.build.workers import worker_limits
    from ranpaper.render.pdf import TooManyPages, write_pdf

    try:
        write_pdf(html, target, paper_folder, identifier, max_pages=worker_limits().max_pages)
    except TooManyPages as error:
        raise LimitError(error.message) from None


OUTPUT = Output("pdf", "the paper as a tagged PDF (A4)", files, make, renders=True)
