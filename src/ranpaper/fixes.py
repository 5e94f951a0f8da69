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
from typing import TYPE_CHECKING

from ranpaper.baseline import keys, new_findings
from ranpaper.diagnostics import Applicability, Diagnostic, Fix
from ranpaper.lines import apply_edits
from ranpaper.model import Paper

if TYPE_CHECKING:
    from ranpaper.workspace import Workspace

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


def fix_text(text: str, path: str | Path, workspace: Workspace, unsafe: bool = False) -> FixResult:
    """Fix one paper's text; see the module's docstring. Edits are applied to the text as
    written (its byte-order mark and line breaks kept), counted by the one line model."""
    path = Path(path)
    paper, before = workspace.check_text(path, text)
    result = FixResult(text=text, remaining=before, paper=paper)
    current, diagnostics, current_paper = text, before, paper
    applied: list[Diagnostic] = []
    for _round in range(MAX_ROUNDS):
        fixable = [d for d in diagnostics if d.fix is not None and allowed(d.fix, unsafe)]
        if not fixable:
            break
        fixed, chosen = apply_edits(current, [d.fix.edits for d in fixable if d.fix is not None])
        if fixed == current:
            break
        applied.extend(fixable[i] for i in chosen)
        current = fixed
        current_paper, diagnostics = workspace.check_text(path, current)
    if not applied:
        return result
    fresh = new_findings(keys(paper, before), current_paper, diagnostics)
    if fresh:
        result.refused = fresh
        return result
    return FixResult(current, applied, diagnostics, [], current_paper)
