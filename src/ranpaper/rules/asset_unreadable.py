"""An image file in the paper's folder that cannot be rendered.

## What it finds
An image whose file is too large to draw (more than about 89 megapixels, e.g. 20000×20000),
is not an image a renderer reads (a text file named `.png`), or is damaged (cut short).

## Why it matters
The PDF renderer would leave such an image out and print its alt text instead, without a
word: the reader loses the figure and nobody is told. The build refuses it instead, naming
the line.

## Example
    ![Meetings per year](figures/chart-20000px.png)

## Use instead
    ![Meetings per year](figures/chart-2000px.png)
"""

from collections.abc import Iterator
from pathlib import Path

from ranpaper.assets import image_unreadable, resolve_asset
from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Image, Paper
from ranpaper.rules._base import Finding, all_links
from ranpaper.urls import unsafe_scheme

CODE = "RP314"
NAME = "asset-unreadable"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    folder = Path(paper.path).parent if paper.path else Path.cwd()
    for node, span in all_links(paper):
        if isinstance(node, Image) and not unsafe_scheme(node.src):
            path, _reason = resolve_asset(folder, node.src)  # RP309 reports those
            reason = image_unreadable(path) if path is not None else None
            if reason:
                yield Finding(span, f'image "{node.src}" {reason}', hint="use a smaller image")
