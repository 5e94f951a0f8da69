"""Text that looks like a link or an image but that Markdown did not read as one.

## What it finds
Brackets and parentheses left in the text because the link syntax is broken, so the raw
markup would be printed in the PDF and the HTML:
- `[text](target with space)` or `![alt](image name.png)`: a space in the target (write it
  as `%20`), a target that is never closed, or any other `](` left in the text;
- `[text] (https://…)`: a space between the brackets and the parenthesis;
- a `[` that is never closed or a `]` that was never opened in a block.

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


def _finding(span: Span, line: int, message: str) -> Finding:
    column = span.column if line == span.line else 1
    return Finding(Span(line=line, column=column, end_line=line, end_column=column + 1), message)


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for inline, span in inline_texts(paper):
        runs = list(_texts(inline, span.line))
        depth, first_open = 0, None
        for text, line in runs:
            for match in _TARGET.finditer(text):
                target, closed = match.group(1), match.group(2)
                kind = "an image" if "![" in text[: match.start()] else "a link"
                if not closed:
                    reason = "its target is never closed with `)`"
                elif any(char.isspace() for char in target.strip()):
                    reason = "its target contains a space (write it as %20)"
                else:
                    reason = "Markdown did not read it as one"
                yield _finding(
                    span,
                    line + text.count("\n", 0, match.start()),
                    f'"{_quote(text, match.start(), match.end())}" looks like {kind} but is not: '
                    f"{reason}",
                )
            for match in _SPACED.finditer(text):
                yield _finding(
                    span,
                    line + text.count("\n", 0, match.start()),
                    f'"{_quote(text, match.start(), match.end())}" looks like a link but is not: '
                    "remove the space between `]` and `(`",
                )
            for bracket in _BRACKETS.finditer(text):
                index, char = bracket.start(), bracket.group()
                if char == "[":
                    if depth == 0:
                        first_open = (text, index, line)
                    depth += 1
                elif char == "]":
                    if depth == 0:
                        yield _finding(
                            span,
                            line + text.count("\n", 0, index),
                            f'"{_quote(text, index, index + 1)}" has a `]` that no `[` opens',
                        )
                    else:
                        depth -= 1
        if depth and first_open is not None:
            text, index, line = first_open
            yield _finding(
                span,
                line + text.count("\n", 0, index),
                f'"{_quote(text, index, index + 1)}" has a `[` that is never closed',
            )
