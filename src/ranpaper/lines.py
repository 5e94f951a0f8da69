"""The one line model of ranpaper: where lines start, and how edits are applied to a text.

As ruff's `Locator`/`LineIndex`: the parser, the rules, the fix engine, `fmt`, waivers, the
link writer and the language server all count lines here, so no two of them can disagree.

A line ends at `\\r\\n`, `\\r` or `\\n` — exactly where markdown-it ends one (its `normalize`
step turns each into `\\n`) — and nowhere else: U+2028, U+2029, U+0085, form feed and vertical
tab are characters of the line (`str.splitlines` would break there; never use it on a paper).
A byte-order mark at the start is not text: line 1 starts after it. Lines and columns are
1-based; a column counts code points of the line's text, without its line break.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

BOM = "\ufeff"
BREAK = re.compile(r"\r\n?|\n")
"""A line break, as markdown-it reads one."""


def normalise(text: str) -> str:
    """The text as the parser reads it: no byte-order mark, every line break `\\n`."""
    return BREAK.sub("\n", text.removeprefix(BOM))


def split_lines(text: str) -> list[str]:
    """The lines' texts, without their breaks (a text ending in a break has a last, empty
    line, as `str.split("\\n")`)."""
    return normalise(text).split("\n")


class LineIndex:
    """The line starts of one text (as written: BOM and line breaks kept), and the
    conversions between (line, column) and offsets into it."""

    __slots__ = ("_ends", "_starts", "newline", "text")

    def __init__(self, text: str, *, whole: bool = True) -> None:
        """`whole`: `text` is a whole file, whose leading byte-order mark is not text (a
        block of a paper's text is not: a U+FEFF at its start is a character of it)."""
        self.text = text
        start = len(BOM) if whole and text.startswith(BOM) else 0
        starts, ends = [start], []
        breaks: dict[str, int] = {}
        for match in BREAK.finditer(text, start):
            ends.append(match.start())
            starts.append(match.end())
            breaks[match.group()] = breaks.get(match.group(), 0) + 1
        ends.append(len(text))
        self._starts, self._ends = starts, ends
        self.newline = max(breaks, key=lambda b: breaks[b]) if breaks else "\n"
        """The text's most frequent line break: what an edit's new lines are written as."""

    def __len__(self) -> int:
        return len(self._starts)

    def line(self, number: int) -> str:
        """The text of line `number` (1-based), without its break; '' past the end."""
        if not 0 < number <= len(self._starts):
            return ""
        return self.text[self._starts[number - 1] : self._ends[number - 1]]

    def lines(self) -> list[str]:
        """Every line's text: `split_lines(text)`."""
        return [self.text[s:e] for s, e in zip(self._starts, self._ends, strict=True)]

    def offset(self, line: int, column: int) -> int:
        """The offset of 1-based (`line`, `column`); a column past the line's end is its end
        (before the break), a line past the last is the end of the text."""
        if line > len(self._starts):
            return len(self.text)
        if line < 1:
            return self._starts[0]
        start, end = self._starts[line - 1], self._ends[line - 1]
        return min(start + max(column, 1) - 1, end)

    def location(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of `offset`."""
        import bisect

        index = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        return index + 1, offset - self._starts[index] + 1


class Span(Protocol):
    """What `apply_edits` needs of an edit (`ranpaper.diagnostics.Edit` is one)."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def end_line(self) -> int: ...
    @property
    def end_column(self) -> int: ...
    @property
    def text(self) -> str: ...


def apply_edits(text: str, groups: Iterable[Sequence[Span]]) -> tuple[str, list[int]]:
    """Apply each group of edits (a fix: all its edits or none) whose ranges overlap no group
    taken before it; return the new text and the indexes of the groups applied.

    Positions are the source's (`LineIndex` of `text`); the new text's line breaks are written
    as the text's own (`LineIndex.newline`), so a CRLF file stays CRLF. Two insertions at one
    place, or an insertion inside a replaced range, conflict: the later group is skipped."""
    index = LineIndex(text)
    taken: list[tuple[int, int, str]] = []
    chosen: list[int] = []
    for number, group in enumerate(groups):
        ranges = [
            (
                index.offset(edit.line, edit.column),
                index.offset(edit.end_line, edit.end_column),
                edit.text if index.newline == "\n" else edit.text.replace("\n", index.newline),
            )
            for edit in group
        ]
        if any(start > end for start, end, _ in ranges):
            continue
        if any(_overlaps(one, other) for one in ranges for other in taken):
            continue
        if any(_overlaps(one, other) for i, one in enumerate(ranges) for other in ranges[:i]):
            continue
        taken.extend(ranges)
        chosen.append(number)
    pieces: list[str] = []
    position = 0
    for start, end, replacement in sorted(taken, key=lambda r: (r[0], r[1])):
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
    pieces.append(text[position:])
    return "".join(pieces), chosen


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]
