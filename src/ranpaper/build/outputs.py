"""The outputs a build can make: the one registry that `--format`, the expected outputs, the
cache key and the staging read.

Each output is declared once, in a module of `ranpaper.build.formats`, as an `Output`: its
name, the files it makes for a paper (known without rendering anything), and how to make
them — as text, as bytes, or as a `Job` that a render worker runs (PDF and DOCX: the slow
ones, run in parallel and within the build's limits). A new output is one module there and
one line in `REGISTRY` below.
"""

from __future__ import annotations

from pathlib import Path

from ranpaper.build.artifacts import Output, PaperBuild
from ranpaper.build.formats import briefs, docx, html, json, pdf
from ranpaper.errors import RanpaperError

# The order is the order of making: outputs with render jobs first, so that the workers start
# on the longest renders while the rest is prepared.
REGISTRY: dict[str, Output] = {
    output.name: output
    for output in (pdf.OUTPUT, briefs.OUTPUT, docx.OUTPUT, html.OUTPUT, json.OUTPUT)
}
ALL_FORMATS: tuple[str, ...] = tuple(REGISTRY)
DEFAULT_FORMATS: tuple[str, ...] = tuple(name for name, o in REGISTRY.items() if o.default)


def parse_formats(value: str | None) -> tuple[str, ...]:
    """`--format` → the outputs to make, in registry order; `all` names every one."""
    if not value:
        return DEFAULT_FORMATS
    wanted = [part.strip().lower() for part in value.split(",") if part.strip()]
    if "all" in wanted:
        return ALL_FORMATS
    unknown = [name for name in wanted if name not in REGISTRY]
    if unknown:
        raise RanpaperError(
            f"unknown format {', '.join(unknown)}; choose from {', '.join(ALL_FORMATS)} or all"
        )
    return tuple(name for name in REGISTRY if name in wanted)


def expected_outputs(build: PaperBuild, formats: tuple[str, ...]) -> list[Path]:
    """The files a build of the paper writes, known without rendering anything."""
    return sorted(path for name in formats for path in REGISTRY[name].files(build))
