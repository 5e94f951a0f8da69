"""The fix engine: apply the fixes findings carry, as ruff does.

Each round checks the text, takes every allowed fix (safe ones, and unsafe ones when asked)
whose edits overlap no fix taken before it, and applies their edits from the bottom of the
text up so that earlier positions stay valid. Rounds repeat until no fix applies (at most
`MAX_ROUNDS`). The result is accepted only if its check has no finding the original did not
have (compared by rule, topic and message, `ranpaper.baseline`); otherwise nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ranpaper.baseline import keys, new_findings
from ranpaper.check import check_paper
from ranpaper.config import Config
from ranpaper.diagnostics import Applicability, Diagnostic, Fix
from ranpaper.model import Paper
from ranpaper.parse import parse

MAX_ROUNDS = 10


@dataclass
class FixResult:
    text: str
    """The fixed text, or the original when nothing applied or the fixes were refused."""
    applied: list[Diagnostic] = field(default_factory=list)
    """The findings whose fixes were applied, in the order applied."""
    remaining: list[Diagnostic] = field(default_factory=list)
    """The check of `text`."""
    refused: list[Diagnostic] = field(default_factory=list)
    """New findings the fixes would have caused; when not empty, nothing was applied."""
    paper: Paper | None = None

    @property
    def changed(self) -> bool:
        return bool(self.applied) and not self.refused


def allowed(fix: Fix, unsafe: bool) -> bool:
    return fix.applicability is Applicability.safe or unsafe


def _offsets(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _offset(starts: list[int], size: int, line: int, column: int) -> int:
    """A 1-based (line, column) as an index of the text; past the end is the end."""
    if line > len(starts):
        return size
    end = starts[line] - 1 if line < len(starts) else size
    return min(starts[line - 1] + column - 1, end)


def apply_edits(text: str, fixes: list[Fix]) -> tuple[str, list[int]]:
    """Apply the fixes whose edits overlap none taken before them; return the new text and
    the indexes of the fixes applied."""
    starts = _offsets(text)
    size = len(text)
    taken: list[tuple[int, int, str]] = []
    chosen: list[int] = []
    for index, fix in enumerate(fixes):
        ranges = [
            (
                _offset(starts, size, e.line, e.column),
                _offset(starts, size, e.end_line, e.end_column),
                e.text,
            )
            for e in fix.edits
        ]
        if any(start > end for start, end, _ in ranges):
            continue
        if any(_overlaps(r, t) for r in ranges for t in taken):
            continue
        taken.extend(ranges)
        chosen.append(index)
    for start, end, replacement in sorted(taken, key=lambda r: (r[0], r[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, chosen


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    # Two insertions at one place, or an insertion inside a replaced range, conflict too.
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]


def fix_text(text: str, path: str, config: Config, unsafe: bool = False) -> FixResult:
    """Fix one paper's text; see the module's docstring."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    original = text.removeprefix(bom).replace("\r\n", "\n")
    paper = parse(original, path, working_groups=config.working_groups)
    before = check_paper(paper, config, original)
    result = FixResult(text=text, remaining=before, paper=paper)
    current, diagnostics, current_paper = original, before, paper
    applied: list[Diagnostic] = []
    for _round in range(MAX_ROUNDS):
        fixable = [d for d in diagnostics if d.fix is not None and allowed(d.fix, unsafe)]
        if not fixable:
            break
        fixed, chosen = apply_edits(current, [d.fix for d in fixable if d.fix is not None])
        if fixed == current:
            break
        applied.extend(fixable[i] for i in chosen)
        current = fixed
        current_paper = parse(current, path, working_groups=config.working_groups)
        diagnostics = check_paper(current_paper, config, current)
    if not applied:
        return result
    fresh = new_findings(keys(paper, before), current_paper, diagnostics)
    if fresh:
        result.refused = fresh
        return result
    if "\r\n" in text:
        current = current.replace("\n", "\r\n")
    return FixResult(bom + current, applied, diagnostics, [], current_paper)


def fix_file(path: Path, config: Config, unsafe: bool = False) -> tuple[str, FixResult]:
    """Read a paper and fix it in memory: (original text, result)."""
    from ranpaper.parse import read_source

    text = read_source(path, config.max_bytes)
    return text, fix_text(text, str(path), config, unsafe)
