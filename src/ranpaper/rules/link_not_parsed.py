"""Text that looks like a link or an image but that Markdown did not read as one.

## What it finds
Brackets and parentheses left in the text because the link syntax is broken, so the raw
markup would be printed in the PDF and the HTML:
- `[text](target with space)` or `![alt](image name.png)`: a space in the target (write it
  as `%20`), a target that is never closed, or any other `](` left in the text;
- `[text] (https://…)`: a space between the brackets and the parenthesis;
- a `[` that is never closed or a `]` that was never opened in a block (one finding for
  each per block).

The finding is on the line where the text is; the column is the start of its block (the
model keeps positions for links, not for plain text), and the message quotes the text.
A lone bracket written on purpose can be waived.

## Why it matters
The author meant a link; the reader gets brackets, a URL in the text and no link. A meeting
whose link is broken also loses its title.

## Example
    - Paper: [Youth work](https://example.org/against polarisation_en.pdf), 2021

## Use instead
    - Paper: [Youth work](https://example.org/against%20polarisation_en.pdf), 2021
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Break, Emphasis, Inline, Link, Paper, Span, Strong, Text, inline_texts
from ranpaper.rules._base import Finding

CODE = "RP311"
NAME = "link-not-parsed"
SEVERITY = Severity.error

_TARGET = re.compile(r"\]\(([^)\n]*)(\)?)")
_BRACKETS = re.compile(r"[\[\]]")
_BREAK = re.compile("\n")
_SPACED = re.compile(r"\]\s+\((?=[a-z][a-z0-9+.\-]*:|www\.)", re.IGNORECASE)


def _texts(inline: Inline, line: int) -> Iterator[tuple[str, int]]:
    """The block's plain text runs with the line each starts on (links' own text included:
    their brackets are balanced by construction)."""
    for node in inline:
        if isinstance(node, Break):
            line += 1
        elif isinstance(node, Text):
            yield node.text, line
            line += node.text.count("\n")
        elif isinstance(node, Emphasis | Strong | Link):
            for text, at in _texts(node.children, line):
                yield text, at
                line = at + text.count("\n")


def _quote(text: str, start: int, end: int) -> str:
    left = max(0, start - 30)
    shown = text[left : min(len(text), end + 10)].strip()
    return ("…" if left else "") + shown + ("…" if end + 10 < len(text) else "")


def _finding(span: Span, line: int, message: str, at: str | None = None) -> Finding:
    """At the block's column (or the line's start); the engine narrows it to `at`."""
    column = span.column if line == span.line else 1
    where = Span(line=line, column=column, end_line=line, end_column=column + 1)
    return Finding(where, message, at=at.split("\n", 1)[0] if at else None)


def _reason(target: str, closed: str) -> str:
    if not closed:
        return "its target is never closed with `)`"
    if any(char.isspace() for char in target.strip()):
        return "its target contains a space (write it as %20)"
    return "Markdown did not read it as one"


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    """Linear in the text: every search moves forward, line numbers come from a bisect, and
    a block gets at most one finding for unbalanced brackets."""
    for inline, span in inline_texts(paper):
        depth, first_open, stray_close = 0, None, None
        for text, line in _texts(inline, span.line):
            # A search, not a loop over every character: this rule runs on each keystroke.
            breaks = [m.start() for m in _BREAK.finditer(text)] if "\n" in text else []

            def line_of(index: int, line: int = line, breaks: list[int] = breaks) -> int:
                return line + bisect.bisect_left(breaks, index)

            previous = 0
            for match in _TARGET.finditer(text):
                opened = text.rfind("[", previous, match.start())
                kind = "an image" if opened > 0 and text[opened - 1] == "!" else "a link"
                previous = match.end()
                reason = _reason(match.group(1), match.group(2))
                yield _finding(
                    span,
                    line_of(match.start()),
                    f'"{_quote(text, match.start(), match.end())}" looks like {kind} but is not: '
                    f"{reason}",
                    match.group(0),
                )
            for match in _SPACED.finditer(text):
                yield _finding(
                    span,
                    line_of(match.start()),
                    f'"{_quote(text, match.start(), match.end())}" looks like a link but is not: '
                    "remove the space between `]` and `(`",
                    match.group(0),
                )
            for bracket in _BRACKETS.finditer(text):
                index = bracket.start()
                if bracket.group() == "[":
                    if depth == 0:
                        first_open = (text, index, line_of(index))
                    depth += 1
                elif depth:
                    depth -= 1
                elif stray_close is None:
                    stray_close = (text, index, line_of(index))
        if stray_close is not None:
            text, index, line = stray_close
            yield _finding(
                span,
                line,
                f'"{_quote(text, index, index + 1)}" has a `]` that no `[` opens',
                text[index : index + 12],
            )
        if depth and first_open is not None:
            text, index, line = first_open
            yield _finding(
                span,
                line,
                f'"{_quote(text, index, index + 1)}" has a `[` that is never closed',
                text[index : index + 12],
            )
