"""Which files a paper may pull into a build: only its own, by relative path, size-capped.

Shared by the checker (RP309 reports a bad image before anything is built) and the build
(which refuses to render one, and whose URL fetcher enforces the same boundary again).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from ranpaper.model import Image, Paper, inline_texts, walk_inline

MAX_ASSET_BYTES = 10 * 1024 * 1024


def resolve_asset(folder: Path, src: str) -> tuple[Path | None, str | None]:
    """(path, None) for an image the paper may use, else (None, why not)."""
    target = src.strip()
    if not target:
        return None, "has no source"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None, "must be a file in the paper's folder, not a URL"
    relative = unquote(parts.path)
    if relative.startswith(("/", "\\")):
        return None, "must be a path relative to the paper, not an absolute path"
    root = folder.resolve()
    path = (root / relative).resolve()  # symlinks resolved: no escaping through a link
    if not path.is_relative_to(root):
        return None, "is outside the paper's folder"
    if not path.is_file():
        return None, "does not exist"
    if path.stat().st_size > MAX_ASSET_BYTES:
        return None, "is larger than 10 MiB"
    return path, None


def paper_images(paper: Paper, folder: Path) -> tuple[dict[str, str], list[tuple[str, str, int]]]:
    """Every image of `paper` that it may use → its file URL, and the refused ones as
    (src, why not, line). `build` stops at a refused image; `serve` leaves it out (the check
    has reported it, RP309)."""
    images: dict[str, str] = {}
    refused: list[tuple[str, str, int]] = []
    for text, span in inline_texts(paper):
        for node in walk_inline(text):
            if isinstance(node, Image):
                path, reason = resolve_asset(folder, node.src)
                if path is None:
                    refused.append((node.src, reason or "is refused", (node.span or span).line))
                else:
                    images[node.src] = path.as_uri()
    return images, refused
