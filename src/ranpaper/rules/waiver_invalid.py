"""An inline waiver without a reason or with an unknown code.

## What it finds
`<!-- ranpaper: ignore RP301 -->` (no reason after a dash), or a waiver naming a code that
no rule has. Such a waiver waives nothing.

## Why it matters
A waiver hides a finding from CI; the reason is what lets a reviewer judge it.

## Example
    <!-- ranpaper: ignore RP301 -->

## Use instead
    <!-- ranpaper: ignore RP301 — the 2016 report was never published online -->
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding

CODE = "RP901"
NAME = "waiver-invalid"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    from ranpaper.rules import REGISTRY

    for waiver in paper.waivers:
        if not waiver.codes:
            yield Finding(
                waiver.span,
                "waiver names no code",
                hint="write `<!-- ranpaper: ignore RPxxx — reason -->`",
            )
        unknown = [code for code in waiver.codes if code not in REGISTRY]
        if unknown:
            yield Finding(
                waiver.span,
                f"waiver names unknown code(s) {', '.join(unknown)}",
                hint="`ranpaper rules` lists the codes",
            )
        if not waiver.reason:
            yield Finding(
                waiver.span,
                "waiver has no reason, so it waives nothing",
                hint="add one after a dash: `ignore RP301 — why it is acceptable`",
            )
