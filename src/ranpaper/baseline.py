"""Findings recorded by what they are, not where: the baseline of `ranpaper check --baseline`
and the measure of "no new finding" for fixes.

A finding's key is its rule, the topic it stands in (theme › topic › subtopic) and its message
with line numbers taken out, so that editing above a finding does not make it new. Keys are
counted: two equal findings in one topic are two entries.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ranpaper.diagnostics import Diagnostic, Edit, Severity
from ranpaper.errors import RanpaperError
from ranpaper.model import Paper, Topic

VERSION = 1
_LINE_NUMBER = re.compile(r"\b(lines?) \d+(?:[-–]\d+)?")


@dataclass(frozen=True, order=True)
class Key:
    path: str
    code: str
    topic: str
    message: str


class Places:
    """Which topic each line of a paper belongs to, looked up by bisection."""

    def __init__(self, paper: Paper | None) -> None:
        self.starts: list[int] = []
        self.names: list[str] = []
        if paper is None:
            return
        if paper.introduction_span is not None:
            self._add(paper.introduction_span.line, paper.profile.introduction)
        for theme in paper.themes:
            name = theme.title_text  # not its number, which a renumbering changes
            self._add(theme.span.line, name)
            for topic in theme.topics:
                self._topic(topic, name)

    def _add(self, line: int, name: str) -> None:
        self.starts.append(line)
        self.names.append(name)

    def _topic(self, topic: Topic, parent: str) -> None:
        name = f"{parent} › {topic.title_text}"
        self._add(topic.span.line, name)
        for sub in topic.topics:
            self._topic(sub, name)

    def topic(self, line: int) -> str:
        index = bisect.bisect_right(self.starts, line) - 1
        return self.names[index] if index >= 0 else ""


def keys(paper: Paper | None, diagnostics: Iterable[Diagnostic]) -> list[Key]:
    places = Places(paper)
    return [
        Key(d.path, d.code, places.topic(d.line), _LINE_NUMBER.sub(r"\1 …", d.message))
        for d in diagnostics
    ]


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
            {**{"path": k.path, "code": k.code, "topic": k.topic, "message": k.message}, "count": n}
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
        if data.get("version") != VERSION or not isinstance(entries, list):
            raise ValueError(f"not a version {VERSION} baseline")
        return [
            Key(str(e["path"]), str(e["code"]), str(e["topic"]), str(e["message"]))
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
