"""A paper's translatable text as segments: each title, introduction paragraph, practice,
lesson, gap, note and footnote, with a stable id and its source lines.

The ids name a place in the paper's structure, never its words, so a translation's segment
has the original's id: `title` (the front matter's), `intro/2` (the introduction's second
block), `5/title`, `5/intro/1` (main theme 5), `5.2/title`, `5.2/intro/1` (its second topic),
`5.2/practice/1`, `5.2/lessons/1/title`, `5.2/lessons/1/3`, `5.2/gaps/2`, `5.2/meetings/note/1`,
`fn/3` (footnote `[^3]`). A nested item adds its place: `5.2/gaps/2.1`.

Meeting lines are not segments: their titles are the published documents' names, and their
dates, organisers and links are data (the parity rules compare them, `rules/_parity.py`).
`ranpaper translate` (`translation.py`) exports segments and writes them back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ranpaper.model import (
    BulletList,
    Gap,
    Inline,
    Lesson,
    ListItem,
    Note,
    Paper,
    Paragraph,
    Practice,
    Span,
    Topic,
    plain,
)


@dataclass(frozen=True)
class Segment:
    """One translatable piece: `line`..`end_line` are its own source lines (a list item's
    nested items are segments of their own), `text` its words as the model reads them."""

    id: str
    kind: str  # title, introduction, practice, lesson, gap, note, footnote
    line: int
    end_line: int
    text: str
    heading: bool = False


def segments(paper: Paper) -> list[Segment]:
    """The paper's segments in document order (footnotes last)."""
    found: list[Segment] = []
    meta = paper.metadata
    if meta.title and meta.span is not None:
        found.append(Segment("title", "title", meta.span.line, meta.span.line, meta.title))
    found.extend(_blocks("intro", "introduction", paper.introduction))
    for theme in paper.themes:
        key = str(theme.number)
        found.append(_titled(f"{key}/title", theme.title, theme.span))
        found.extend(_blocks(f"{key}/intro", "introduction", theme.intro))
        for index, topic in enumerate(theme.topics, 1):
            found.extend(_topic(f"{key}.{index}", topic))
    for note in paper.footnotes:
        found.append(
            Segment(
                f"fn/{note.label}", "footnote", note.span.line, note.span.end_line, plain(note.text)
            )
        )
    return found


def _titled(key: str, title: Inline, span: Span) -> Segment:
    return Segment(key, "title", span.line, span.line, plain(title), heading=True)


def _own_end(item: ListItem | Lesson | Gap) -> int:
    children = getattr(item, "children", [])
    return min(child.span.line for child in children) - 1 if children else item.span.end_line


def _nested(key: str, kind: str, items: list) -> Iterator[Segment]:
    """Items and their nested items: `key/1`, `key/1.1`, …"""
    for index, item in enumerate(items, 1):
        place = f"{key}/{index}"
        yield Segment(place, kind, item.span.line, _own_end(item), plain(item.text))
        yield from _children(place, kind, item.children)


def _children(place: str, kind: str, items: list) -> Iterator[Segment]:
    for index, item in enumerate(items, 1):
        here = f"{place}.{index}"
        yield Segment(here, kind, item.span.line, _own_end(item), plain(item.text))
        yield from _children(here, kind, item.children)


def _blocks(key: str, kind: str, blocks: list) -> Iterator[Segment]:
    index = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            index += 1
            yield Segment(
                f"{key}/{index}", kind, block.span.line, block.span.end_line, plain(block.text)
            )
        elif isinstance(block, BulletList):
            index += 1
            yield from _nested(f"{key}/{index}", kind, block.items)


def _notes(key: str, items: list) -> Iterator[Segment]:
    notes = [item for item in items if isinstance(item, Note)]
    for index, note in enumerate(notes, 1):
        yield Segment(
            f"{key}/note/{index}", "note", note.span.line, note.span.end_line, plain(note.text)
        )


def _topic(key: str, topic: Topic) -> Iterator[Segment]:
    yield _titled(f"{key}/title", topic.title, topic.span)
    yield from _blocks(f"{key}/intro", "introduction", topic.intro)
    if topic.meetings is not None:
        yield from _notes(f"{key}/meetings", topic.meetings.items)
    if topic.practices is not None:
        practices = [item for item in topic.practices.items if isinstance(item, Practice)]
        for index, practice in enumerate(practices, 1):
            text = plain(practice.head) + practice.separator + plain(practice.description)
            span = practice.span
            yield Segment(f"{key}/practice/{index}", "practice", span.line, span.end_line, text)
        yield from _notes(f"{key}/practices", topic.practices.items)
    if topic.lessons is not None:
        groups = [item for item in topic.lessons.items if not isinstance(item, Note)]
        for number, group in enumerate(groups, 1):
            if group.title is not None:
                yield Segment(
                    f"{key}/lessons/{number}/title",
                    "lesson",
                    group.span.line,
                    group.span.line,
                    plain(group.title),
                )
            yield from _nested(f"{key}/lessons/{number}", "lesson", group.lessons)
        yield from _notes(f"{key}/lessons", topic.lessons.items)
    if topic.gaps is not None:
        yield from _nested(f"{key}/gaps", "gap", topic.gaps.items)
    for index, sub in enumerate(topic.topics, 1):
        yield from _topic(f"{key}.{index}", sub)
