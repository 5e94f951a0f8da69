"""An image that is not a file inside the paper's own folder.

## What it finds
An image whose source is a URL (`https://…`, `file://…`, `data:…`), an absolute path, a path
that leaves the paper's folder (`../`, or a symlink pointing out), a missing file, or a file
over 10 MiB.

## Why it matters
Builds run on untrusted pull requests: a build may read nothing outside the paper's folder
and open no network connection. Such an image is refused, and the build fails rather than
print the paper without it.

## Example
    ![Logo](https://example.org/logo.png)

## Use instead
    ![Logo](images/logo.png)
"""

from collections.abc import Iterator
from pathlib import Path

from ranpaper.assets import resolve_asset
from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Image, Paper
from ranpaper.rules._base import Finding, all_links
from ranpaper.urls import unsafe_scheme

CODE = "RP309"
NAME = "asset-outside-folder"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    folder = Path(paper.path).parent if paper.path else Path.cwd()
    for node, span in all_links(paper):
        if isinstance(node, Image) and not unsafe_scheme(node.src):  # those are RP308's
            _path, reason = resolve_asset(folder, node.src)
            if reason:
                yield Finding(span, f'image "{node.src}" {reason}')
