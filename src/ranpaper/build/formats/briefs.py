"""One brief per main theme, as PDF (rendered in a worker) and as Markdown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ranpaper.build.artifacts import Artifact, Job, Output, PaperBuild, Text
from ranpaper.build.formats.pdf import render_pdf


def files(build: PaperBuild) -> list[Path]:
    names = []
    for theme in build.paper.themes:
        name = build.brief_name(theme)
        names += [name.with_suffix(".md"), name.with_suffix(".pdf")]
    return names


def make(build: PaperBuild) -> Iterator[Artifact]:
    from ranpaper.render.html import render_brief
    from ranpaper.render.markdown import write_brief

    for theme in build.paper.themes:
        name = build.brief_name(theme)
        html = render_brief(build.paper, theme, build.images, build.paper_pdf_from_briefs)
        identifier = build.key + name.as_posix()
        args = (html, build.folder, identifier)
        yield Job(name.with_suffix(".pdf"), render_pdf, args, build.paper.path)
        markdown = write_brief(build.paper, theme, build.paper_pdf_from_briefs)
        yield Text(name.with_suffix(".md"), markdown)


OUTPUT = Output("briefs", "one brief per main theme, PDF and Markdown", files, make, renders=True)
