"""An inline waiver without a reason or with an unknown code.

## What it finds
`<!-- ranpaper: ignore RP301 -->` (no reason after a dash or colon), or a waiver naming a code
that no rule has. Such a waiver waives nothing. A reason written without a separator
(`ignore RP301 never published`) is named as such: its words are not codes.

## Why it matters
A waiver hides a finding from CI; the reason is what lets a reviewer judge it.

## Example
    <!-- ranpaper: ignore RP301 -->

## Use instead
    <!-- ranpaper: ignore RP301 — the 2016 report was never published online -->

The reason follows `—`, `–`, `--`, a `-` between spaces, or `:`
(`<!-- ranpaper: ignore RP301: never published -->`).
"""

import re
from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding

CODE = "RP901"
NAME = "waiver-invalid"
SEVERITY = Severity.error
_CODE_LIKE = re.compile(r"[A-Z]{1,3}\d+")


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
        words = [code for code in unknown if not _CODE_LIKE.fullmatch(code)]
        if words and not waiver.reason:
            known = ", ".join(code for code in waiver.codes if code not in words) or "RPxxx"
            yield Finding(
                waiver.span,
                f"waiver reads {' '.join(words).lower()!r} as codes and has no reason: "
                "the reason must follow a dash or a colon",
                hint=f"write `<!-- ranpaper: ignore {known} — {' '.join(words).lower()} -->`",
            )
            continue
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
