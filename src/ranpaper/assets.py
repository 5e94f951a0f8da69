"""Which files a paper may pull into a build: only its own, by relative path, size-capped,
and images that can be rendered.

Shared by the checker (RP309 reports an image outside the paper's folder, RP314 one that
cannot be rendered, before anything is built) and the build (which refuses to render either,
and whose URL fetcher enforces the same boundary again): an image is never silently replaced
by its alt text.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ranpaper.model import Image, Paper, inline_texts, walk_inline

MAX_ASSET_BYTES = 10 * 1024 * 1024
# Pillow's own bound (about 89 megapixels), past which it warns of a decompression bomb and
# the PDF renderer leaves the image out: the largest image a paper may hold.
MAX_PIXELS = 89_478_485
# Formats the renderers draw without Pillow (by extension).
_VECTOR = (".svg",)


def image_unreadable(path: Path) -> str | None:
    """Why the image file at `path` cannot be rendered (too many pixels, not an image a
    renderer reads, damaged), or None. Reads the header, and checks the data without
    decoding it into memory."""
    if path.suffix.lower() in _VECTOR:
        return None
    import warnings

    from PIL import Image as Pillow

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Pillow.open(path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (
                        f"is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels); "
                        f"an image may have at most {MAX_PIXELS / 1e6:.0f} megapixels"
                    )
                image.verify()
    except Pillow.DecompressionBombError as error:
        size = re.search(r"\((\d+) pixels\)", str(error))
        shown = f" ({int(size.group(1)) / 1e6:.0f} megapixels)" if size else ""
        return f"has too many pixels{shown}; at most {MAX_PIXELS / 1e6:.0f} megapixels"
    except Pillow.UnidentifiedImageError:
        return "is not an image the renderers read (PNG, JPEG, GIF, WebP, SVG, …)"
    except Exception as error:  # Pillow raises many kinds for a file it cannot read
        return f"cannot be read as an image ({type(error).__name__}: {error})"[:200]
    return None


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
                if path is not None and node.src not in images:
                    reason = image_unreadable(path)
                    path = None if reason else path
                if path is None:
                    refused.append((node.src, reason or "is refused", (node.span or span).line))
                else:
                    images[node.src] = path.as_uri()
    return images, refused
