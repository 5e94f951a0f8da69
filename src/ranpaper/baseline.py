"""Findings recorded by what they are, not where: the baseline of `ranpaper check --baseline`,
the measure of "no new finding" for fixes, and the findings `ranpaper diff` calls new or fixed.

A finding's identity is its file, its rule, its message with line numbers taken out, and the
fingerprint of the model node it stands in: the node's kind and its identity in words (a
meeting's title, a practice's id, a section's kind, a lesson's or a paragraph's text, a topic's
title). Not its line, so that editing above a finding does not make it new, and not the topic
it stands in, so that renaming or moving a topic does not make its findings new. The topic
(theme › topic › subtopic) and the line are kept beside the identity, to show. Keys are
counted: two equal findings are two entries.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ranpaper.diagnostics import Diagnostic, Edit, Severity
from ranpaper.errors import RanpaperError
from ranpaper.model import (
    Block,
    Gap,
    Lesson,
    LessonGroup,
    Meeting,
    Paper,
    Paragraph,
    Practice,
    Span,
    Topic,
    plain,
)

VERSION = 2
_LINE_NUMBER = re.compile(r"\b(lines?) \d+(?:[-–]\d+)?")


@dataclass(frozen=True, order=True)
class Key:
    """A finding's identity (`path`, `code`, `message`, `fingerprint`) and, not part of it,
    where it stands today (`topic`, `line`) and the message as written (`text`). In `message`
    line numbers are `…` and the title of the topic the finding stands in is `"…"`."""

    path: str
    code: str
    topic: str = field(compare=False)
    message: str
    fingerprint: str = ""
    line: int = field(default=0, compare=False)
    text: str = field(default="", compare=False)  # the message as the check wrote it


def _fingerprint(kind: str, text: str) -> str:
    words = " ".join(text.lower().split())
    return f"{kind}:{hashlib.blake2b(words.encode(), digest_size=6).hexdigest()}"


class Places:
    """Which topic, and which node, each line of a paper belongs to, looked up by bisection."""

    def __init__(self, paper: Paper | None) -> None:
        self.starts: list[int] = []
        self.names: list[str] = []
        self.nodes: list[tuple[int, int, str]] = []  # (first line, last line, fingerprint)
        self.node_starts: list[int] = []
        if paper is None:
            return
        if paper.introduction_span is not None:
            self._add(paper.introduction_span.line, paper.profile.introduction)
        self._blocks(paper.introduction)
        for theme in paper.themes:
            name = theme.title_text  # not its number, which a renumbering changes
            self._add(theme.span.line, name)
            self._node(theme.span, "theme", name)
            self._blocks(theme.intro)
            for topic in theme.topics:
                self._topic(topic, name)
        for footnote in paper.footnotes:
            self._node(footnote.span, "footnote", footnote.label)
        self.nodes.sort(key=lambda node: node[0])
        self.node_starts = [first for first, _last, _print in self.nodes]

    def _add(self, line: int, name: str) -> None:
        self.starts.append(line)
        self.names.append(name)

    def _node(self, span: Span, kind: str, text: str) -> None:
        self.nodes.append((span.line, span.end_line, _fingerprint(kind, text)))

    def _blocks(self, blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                self._node(block.span, "paragraph", plain(block.text))
            else:
                for item in block.items:
                    self._node(item.span, "bullet", plain(item.text))

    def _topic(self, topic: Topic, parent: str) -> None:
        name = f"{parent} › {topic.title_text}"
        self._add(topic.span.line, name)
        self._node(topic.span, "topic", topic.title_text)
        self._blocks(topic.intro)
        for section in topic.sections:
            self._node(section.span, "section", section.kind)
            if section.marked_empty is not None:
                self._node(section.marked_empty, "section", section.kind)
            for item in section.items:
                if isinstance(item, Meeting):
                    self._node(item.span, "meeting", item.title_text or plain(item.text))
                elif isinstance(item, Practice):
                    self._node(item.span, "practice", item.id)
                elif isinstance(item, LessonGroup):
                    for lesson in item.lessons:
                        self._nested(lesson, "lesson")
                elif isinstance(item, Gap):
                    self._nested(item, "gap")
                else:
                    self._node(item.span, "note", plain(item.text))
        for sub in topic.topics:
            self._topic(sub, name)

    def _nested(self, item: Lesson | Gap, kind: str) -> None:
        self._node(item.span, kind, plain(item.text))
        for child in item.children:
            self._nested(child, kind)

    def topic(self, line: int) -> str:
        index = bisect.bisect_right(self.starts, line) - 1
        return self.names[index] if index >= 0 else ""

    def fingerprint(self, line: int) -> str:
        """The innermost node holding `line` (the last to start before it that reaches it)."""
        index = bisect.bisect_right(self.node_starts, line) - 1
        while index >= 0:
            first, last, found = self.nodes[index]
            if first <= line <= last:
                return found
            index -= 1
        return "paper:"


def keys(paper: Paper | None, diagnostics: Iterable[Diagnostic]) -> list[Key]:
    places = Places(paper)
    found = []
    for d in diagnostics:
        topic = places.topic(d.line)
        message = _LINE_NUMBER.sub(r"\1 …", d.message)
        title = topic.rsplit(" › ", 1)[-1]
        if title:
            message = message.replace(f'"{title}"', '"…"')
        found.append(
            Key(d.path, d.code, topic, message, places.fingerprint(d.line), d.line, d.message)
        )
    return found


def new_findings(
    before: list[Key], after_paper: Paper | None, after: list[Diagnostic]
) -> list[Diagnostic]:
    """The diagnostics of `after` that `before` does not account for (counted)."""
    known = Counter(before)
    fresh: list[Diagnostic] = []
    for key, diagnostic in zip(keys(after_paper, after), after, strict=True):
        if known[key] > 0:
            known[key] -= 1
        else:
            fresh.append(diagnostic)
    return fresh


def write_baseline(path: Path, entries: list[Key]) -> None:
    counted = Counter(entries)
    data = {
        "version": VERSION,
        "findings": [
            {
                "path": k.path,
                "code": k.code,
                "topic": k.topic,
                "message": k.message,
                "fingerprint": k.fingerprint,
                "count": n,
            }
            for k, n in sorted(counted.items())
        ],
    }
    from ranpaper.fs import write_atomic  # never through a link, whole or not at all

    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read_baseline(path: Path) -> list[Key]:
    from ranpaper.fs import read_text  # capped, regular files only

    try:
        data = json.loads(read_text(path, 64 * 1048576, what="baseline"))
        entries = data["findings"]
        if data.get("version") == 1:
            raise ValueError("version 1 keyed findings by topic title, version 2 by node")
        if data.get("version") != VERSION or not isinstance(entries, list):
            raise ValueError(f"not a version {VERSION} baseline")
        return [
            Key(
                str(e["path"]),
                str(e["code"]),
                str(e["topic"]),
                str(e["message"]),
                str(e["fingerprint"]),
            )
            for e in entries
            for _ in range(int(e.get("count", 1)))
        ]
    except RanpaperError as error:
        raise RanpaperError(f"cannot read the baseline: {error.message}", str(path)) from None
    except (ValueError, KeyError, TypeError) as error:
        raise RanpaperError(
            f"is not a ranpaper baseline ({error}); delete it to record a new one", str(path)
        ) from None


# Findings about waivers themselves, or about reading the file, cannot be waived in place.
_NOT_WAIVABLE = frozenset({"RP001", "RP901", "RP902"})
# The safety rules (an unsafe link scheme, an image fetched from outside, an unknown scheme):
# `--add-waivers` never writes a waiver for them; an editor who means it writes one by hand.
SAFETY = frozenset({"RP308", "RP309", "RP310"})


def waivable(diagnostic: Diagnostic, named: frozenset[str]) -> bool:
    """Whether `--add-waivers` may waive a finding: warnings and infos, and errors only of a
    code `--select` names exactly (`named`); never a safety rule."""
    if diagnostic.code in SAFETY:
        return False
    return diagnostic.severity is not Severity.error or diagnostic.code in named


def waiver_edits(
    text: str, diagnostics: list[Diagnostic], reason: str
) -> tuple[list[Edit], list[Diagnostic]]:
    """Insertions of one waiver (`<!-- ranpaper: ignore CODES — REASON -->`) for each place
    that holds findings, naming their codes, and the findings that no waiver can reach (in the
    front matter, or about waivers). A finding in a bullet is waived on that bullet (the
    waiver indented after its last line), so that it never covers the rest of the list; any
    other is waived above its top-level block."""
    from ranpaper.lines import split_lines
    from ranpaper.parse import list_item_lines, top_level_blocks

    blocks = top_level_blocks(text)
    starts = [first for first, _last in blocks]
    items = list_item_lines(text)
    lines = split_lines(text)
    above: dict[int, list[str]] = {}
    after: dict[tuple[int, int], list[str]] = {}  # (last line, indent) of a bullet
    unreachable: list[Diagnostic] = []
    for diagnostic in diagnostics:
        index = bisect.bisect_right(starts, diagnostic.line) - 1
        if diagnostic.code in _NOT_WAIVABLE or index < 0 or blocks[index][1] < diagnostic.line:
            unreachable.append(diagnostic)
            continue
        holding = [item for item in items if item[0] <= diagnostic.line <= item[1]]
        if holding:
            _first, last, indent = max(holding)  # the innermost bullet: the last to start
            found = after.setdefault((last, indent), [])
        else:
            found = above.setdefault(blocks[index][0], [])
        if diagnostic.code not in found:
            found.append(diagnostic.code)

    def comment(codes: list[str]) -> str:
        return f"<!-- ranpaper: ignore {', '.join(sorted(codes))} — {reason} -->"

    edits = [Edit(line, 1, line, 1, f"{comment(found)}\n\n") for line, found in above.items()]
    for (line, indent), found in after.items():
        end = len(lines[line - 1]) + 1
        edits.append(Edit(line, end, line, end, f"\n{' ' * indent}{comment(found)}"))
    return sorted(edits, key=lambda edit: (edit.line, edit.column)), unreachable
