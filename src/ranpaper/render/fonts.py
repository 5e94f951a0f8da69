"""The typeface: the shipped Open Sans and nothing else, on any machine.

WeasyPrint finds fonts through fontconfig. Left to the system's configuration, a machine
without Open Sans installed silently sets the PDF in whatever it has (DejaVu on Debian), and
a machine with other fonts fills a missing glyph from them. ranpaper therefore renders with a
fontconfig configuration of its own (`templates/fonts.conf`) that lists only the shipped
fonts folder: the PDF looks the same everywhere, and a font can never change unnoticed.

The price of that: a character Open Sans lacks has no fallback (it would print as an empty
box). So the build looks first and refuses, naming the file and line (`missing_glyphs`).

The web page carries the same faces (`web_font_faces`): each cut down to the characters the
page uses, as WOFF2 in data URIs, so that it is set in Open Sans on any machine, as the PDF
is, and stays one file (about 150 KB more). A reader's browser otherwise fell back to
whatever sans it had, and the measure and the chart's labels changed with it.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache

from ranpaper.model import Paper, inline_texts, plain
from ranpaper.resources import FONTS, TEMPLATES

FONTCONFIG_FILE = TEMPLATES / "fonts.conf"


@contextmanager
def shipped_fonts_only() -> Iterator[None]:
    """Within this block, a new fontconfig configuration (WeasyPrint's `FontConfiguration`)
    sees only the shipped fonts. The environment is restored afterwards: a library caller's
    own fontconfig set-up is left as it was."""
    before = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    try:
        yield
    finally:
        if before is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = before


def font_configuration():
    """A WeasyPrint `FontConfiguration` that knows only the shipped fonts."""
    from weasyprint.text.fonts import FontConfiguration

    with shipped_fonts_only():
        return FontConfiguration()


@cache
def covered() -> frozenset[int]:
    """Code points every shipped face (regular, italic, semibold, bold, bold italic) has."""
    from fontTools.ttLib import TTFont  # WeasyPrint's own dependency

    faces = [
        set(TTFont(path, lazy=True)["cmap"].getBestCmap()) for path in sorted(FONTS.glob("*.ttf"))
    ]
    return frozenset(set.intersection(*faces))


def _printable(char: str) -> bool:
    # Line breaks, tabs and other controls are layout, not glyphs.
    return ord(char) >= 0x20 and char not in "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def missing_glyphs(paper: Paper) -> list[tuple[str, int | None]]:
    """Each character of the paper the shipped fonts cannot show, once, with the first line
    that uses it."""
    have = covered()
    found: dict[str, int | None] = {}

    def scan(text: str, line: int | None) -> None:
        for char in text:
            if char not in found and _printable(char) and ord(char) not in have:
                found[char] = line

    meta = paper.metadata
    front = meta.span.line if meta.span else None
    for value in (meta.title, meta.short_name, meta.kind, meta.working_group):
        scan(value or "", front)
    for leader in [*meta.leaders.current, *meta.leaders.previous]:
        line = leader.span.line if leader.span else front
        scan(f"{leader.name} {leader.period} {leader.group or ''}", line)
    for text, span in inline_texts(paper):
        scan(plain(text), span.line)
    return list(found.items())


FACES = (
    ("Regular", 400, "normal"),
    ("Italic", 400, "italic"),
    ("Semibold", 600, "normal"),
    ("Bold", 700, "normal"),
    ("BoldItalic", 700, "italic"),
)
"""The shipped faces: file name, CSS weight and style (print.css declares the same)."""

_ASCII = frozenset(chr(code) for code in range(0x20, 0x7F))


def web_font_faces(text: str) -> str:
    """`@font-face` rules for every shipped face, each subset to the characters of `text`
    (the page as rendered) and printable ASCII, as WOFF2 data URIs."""
    return _faces(frozenset(char for char in text if _printable(char)) | _ASCII)


@lru_cache(maxsize=4)
def _faces(chars: frozenset[str]) -> str:
    """Cached by the characters: `serve` re-renders on every save, and only a new character
    makes the subsets again."""
    from fontTools import subset

    rules = []
    for name, weight, style in FACES:
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]  # kerning and ligatures, as the PDF sets them
        options.name_IDs = ["*"]  # the copyright and licence names travel with the font
        font = subset.load_font(str(FONTS / f"OpenSans-{name}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(ord(char) for char in chars))
        subsetter.subset(font)
        data = io.BytesIO()
        subset.save_font(font, data, options)
        encoded = base64.b64encode(data.getvalue()).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "Open Sans"; font-weight: {weight}; '
            f"font-style: {style}; font-display: swap; "
            f'src: url(data:font/woff2;base64,{encoded}) format("woff2"); }}'
        )
    return "\n".join(rules) + "\n"
