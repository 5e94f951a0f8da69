"""`ranpaper fmt`: a paper rewritten in the canonical Markdown of `render/markdown.py`, and
the guard that makes rewriting safe (as mdformat does): the result must read back as the same
paper — the same model, every comment and waiver in the same order, and nothing the parser
could not place or the model does not keep (a title, an unused reference definition, a list's
numbers: such text would be lost, since the model does not hold it) — and it must hold every
word of the source: a word the model never read (so the model comparison cannot see it) is
caught by comparing the texts themselves.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter
from dataclasses import dataclass

from ranpaper.lines import normalise
from ranpaper.model import PARSER_NOTES, FootnoteRef, Image, Link, Paper, Span, content
from ranpaper.render.markdown import write_markdown
from ranpaper.workspace import Workspace


@dataclass(frozen=True)
class Formatted:
    text: str
    """The canonical text, or the original when `refused`."""
    refused: str | None = None
    """Why the canonical text was not accepted."""


_INLINE_WITH_SPAN = (FootnoteRef, Image, Link)


def _covered(paper: Paper, ranges: set[tuple[int, int]]) -> dict[tuple[int, int], list[object]]:
    """For each (first, last) line range, the content of every block starting in it: what a
    comment whose target is that range stands before (a waiver waives all of it)."""
    found: dict[tuple[int, int], list[object]] = {span: [] for span in ranges}

    def note(line: int, value: object) -> None:
        for first, last in ranges:
            if first <= line <= last:
                found[first, last].append(value)

    def visit(node: object) -> None:
        if isinstance(node, _INLINE_WITH_SPAN):
            return  # only blocks: a comment stands before a block, never inside a line
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            span = getattr(node, "span", None)
            if isinstance(span, Span):
                note(span.line, (type(node).__name__, content(node)))
            marked = getattr(node, "marked_empty", None)
            if isinstance(marked, Span):
                note(marked.line, ("None", getattr(node, "heading", "")))
            for item in dataclasses.fields(node):
                if item.name not in PARSER_NOTES:
                    visit(getattr(node, item.name))
        elif isinstance(node, list):
            for item in node:
                visit(item)

    if ranges:
        visit(paper)
    return found


def _notes(paper: Paper) -> tuple[object, ...]:
    ranges = {(c.target.line, c.target.end_line) for c in paper.comments if c.target}
    covered = _covered(paper, ranges)
    return (
        [
            (c.text, covered[c.target.line, c.target.end_line] if c.target else None)
            for c in paper.comments
        ],
        [(waiver.codes, waiver.reason) for waiver in paper.waivers],
        Counter(problem.text for problem in paper.problems if problem.text),
    )


_WORD = re.compile(r"\w+")
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")


def _words(text: str) -> Counter[str]:
    """The words of a Markdown text as a reader reads them: entities and escapes resolved,
    markup aside (`&amp;` and `&` are the same word-less text, `\\*` and `*` too)."""
    return Counter(_WORD.findall(html.unescape(_ESCAPE.sub("", text))))


def lost_words(before: str, after: str) -> list[tuple[int, str]]:
    """The words of `before` that `after` holds fewer times, each with the first line of
    `before` that has it (1-based), in the order of those lines."""
    missing = _words(before) - _words(after)
    found: list[tuple[int, str]] = []
    for number, line in enumerate(before.splitlines(), 1):
        for word in _WORD.findall(html.unescape(_ESCAPE.sub("", line))):
            if missing.get(word):
                found.append((number, word))
                del missing[word]
    return found


def format_text(
    text: str, path: str | None = None, workspace: Workspace | None = None
) -> Formatted:
    """The canonical form of `text`, read as the workspace reads the paper at `path` (its
    profile and working groups), or refused with the reason."""
    workspace = workspace or Workspace()
    paper = workspace.parse(text, path)
    unplaced = [p for p in paper.problems if p.text]
    if unplaced:
        first = unplaced[0]
        return Formatted(
            text,
            f"line {first.span.line}: {first.message}; the canonical form would lose it, "
            "so nothing is rewritten (`ranpaper check` shows every such place)",
        )
    formatted = write_markdown(paper)
    again = workspace.parse(formatted, path)
    if content(again) != content(paper):
        return Formatted(text, "the canonical form would read as a different paper (a bug)")
    if _notes(again) != _notes(paper):
        return Formatted(text, "the canonical form would move or lose a comment (a bug)")
    lost = lost_words(text, formatted)
    if lost:
        line, word = lost[0]
        more = f" (and {len(lost) - 1} more)" if len(lost) > 1 else ""
        return Formatted(
            text,
            f"line {line}: the canonical form would lose the word {word!r}{more}, which the "
            "paper's model does not hold; nothing is rewritten",
        )
    if formatted == normalise(text):
        return Formatted(text)
    return Formatted(formatted)
