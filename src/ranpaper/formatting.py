"""`ranpaper fmt`: a paper rewritten in the canonical Markdown of `render/markdown.py`, and
the guard that makes rewriting safe (as mdformat does): the result must read back as the same
paper — the same model, every comment and waiver in the same order, and nothing the parser
could not place (such text would be lost, since the model does not hold it).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass

from ranpaper.diagnostics import Edit
from ranpaper.lines import LineIndex, apply_edits, normalise
from ranpaper.model import (
    PARSER_NOTES,
    FootnoteRef,
    Gap,
    Image,
    Lesson,
    Link,
    ListItem,
    Meeting,
    Paper,
    Span,
    content,
)
from ranpaper.parse import list_item_lines
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


_BULLETS = (Meeting, ListItem, Lesson, Gap)


def _bullet_spans(paper: Paper) -> list[Span]:
    """The span of every bullet-like node, in one fixed order: two papers of equal content
    give their corresponding bullets at the same index."""
    found: list[Span] = []

    def visit(node: object) -> None:
        if isinstance(node, _BULLETS):
            found.append(node.span)
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            for item in dataclasses.fields(node):
                if item.name not in PARSER_NOTES and item.name not in ("text", "description"):
                    visit(getattr(node, item.name))
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(paper)
    return found


def _with_item_waivers(paper: Paper, formatted: str, workspace: Workspace, path: str | None) -> str:
    """The canonical text with each waiver written inside a bullet (`ignore …` indented after
    the bullet's text: it covers that bullet alone) put back inside the same bullet."""
    waivers = [w for w in paper.waivers if w.target and w.target.line < w.span.line]
    if not waivers:
        return formatted
    again = workspace.parse(formatted, path)
    before, after = _bullet_spans(paper), _bullet_spans(again)
    if len(before) != len(after):
        return formatted  # not the same paper: the guard refuses it
    moved = {(old.line, old.end_line): new.line for old, new in zip(before, after, strict=True)}
    bullets = {first: (last, indent) for first, last, indent in list_item_lines(formatted)}
    texts: dict[tuple[int, int], list[str]] = {}
    for waiver in waivers:
        target = waiver.target
        line = moved.get((target.line, target.end_line)) if target else None
        if line in bullets:
            last, indent = bullets[line]
            reason = f" — {waiver.reason}" if waiver.reason else ""
            texts.setdefault((last, indent), []).append(
                f"\n{' ' * indent}<!-- ranpaper: ignore {', '.join(waiver.codes)}{reason} -->"
            )
    index = LineIndex(formatted)
    edits = []
    for (last, _indent), found in texts.items():
        end = len(index.line(last)) + 1
        edits.append((Edit(last, end, last, end, "".join(found)),))
    return apply_edits(formatted, edits)[0]


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
    formatted = _with_item_waivers(paper, write_markdown(paper), workspace, path)
    again = workspace.parse(formatted, path)
    if content(again) != content(paper):
        return Formatted(text, "the canonical form would read as a different paper (a bug)")
    if _notes(again) != _notes(paper):
        return Formatted(text, "the canonical form would move or lose a comment (a bug)")
    if formatted == normalise(text):
        return Formatted(text)
    return Formatted(formatted)
