"""An inline waiver that waives nothing.

## What it finds
A valid `<!-- ranpaper: ignore RPxxx — reason -->` whose next block has no finding with that
code (the problem was fixed, or the waiver sits before the wrong block).

## Why it matters
Stale waivers would silently hide a future finding at that place.

## Example
    <!-- ranpaper: ignore RP301 — target lost -->

    - Paper: [Rehabilitation Manual](https://example.org/manual), 2020

## Use instead
    Remove the waiver.

## Fix
Safe: the waiver's lines are removed. A waiver naming a rule that did not run (`--select`,
`--ignore`) is not reported, so it is never removed.
"""

from ranpaper.diagnostics import Severity

CODE = "RP902"
NAME = "waiver-unused"
SEVERITY = Severity.warning
FIX = "safe"
# The engine reports this code: only it knows which findings each waiver silenced.
check = None
