"""The paper as a Word document (DOCX) for reviewers, made by python-docx in a render worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ranpaper.build.artifacts import Artifact, Job, Output, PaperBuild


def files(build: PaperBuild) -> list[Path]:
    return [Path(f"{build.stem}.docx")]


def make(build: PaperBuild) -> Iterator[Artifact]:
    yield Job(
        files(build)[0],
        render_docx,
        (build.paper, build.timeline_svg, build.images),
        build.paper.path,
    )


def render_docx(target: Path, paper: object, timeline_svg: str, images: dict[str, str]) -> None:
    from ranpaper.render.docx import write_docx

    write_docx(paper, target, timeline_svg, images)  # type: ignore[arg-type]


OUTPUT = Output(
    "docx",
    "the paper as a Word document, for review (not made unless asked for)",
    files,
    make,
    renders=True,
    default=False,
)
