"""The paper as a Word document (DOCX) for reviewers, and one per main theme's brief, made by
python-docx in the render workers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ranpaper.build.artifacts import Artifact, Job, Output, PaperBuild

if TYPE_CHECKING:
    from ranpaper.model import Paper


def files(build: PaperBuild) -> list[Path]:
    briefs = [build.brief_name(theme).with_suffix(".docx") for theme in build.paper.themes]
    return [Path(f"{build.stem}.docx"), *briefs]


def make(build: PaperBuild) -> Iterator[Artifact]:
    paper, images = build.paper, build.images
    yield Job(files(build)[0], render_docx, (paper, build.timeline_picture_svg, images), paper.path)
    for index, theme in enumerate(paper.themes):
        target = build.brief_name(theme).with_suffix(".docx")
        link = build.paper_pdf_from_briefs
        yield Job(target, render_brief_docx, (paper, index, images, link), paper.path)


def render_docx(target: Path, paper: Paper, timeline_svg: str, images: dict[str, str]) -> None:
    from ranpaper.render.docx import write_docx

    write_docx(paper, target, timeline_svg, images)


def render_brief_docx(
    target: Path, paper: Paper, theme: int, images: dict[str, str], paper_pdf: str
) -> None:
    from ranpaper.render.docx import write_brief_docx

    write_brief_docx(paper, paper.themes[theme], target, images, paper_pdf)


OUTPUT = Output(
    "docx",
    "the paper and its briefs as Word documents, for review (not made unless asked for)",
    files,
    make,
    renders=True,
    default=False,
)
