"""The paper's model as JSON (its shape: `schema/paper.schema.json`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ranpaper.build.artifacts import Artifact, Output, PaperBuild, Text


def files(build: PaperBuild) -> list[Path]:
    return [Path(f"{build.stem}.json")]


def make(build: PaperBuild) -> Iterator[Artifact]:
    from ranpaper.render.json import to_json

    yield Text(files(build)[0], to_json(build.paper))


OUTPUT = Output("json", "the model as JSON", files, make)
