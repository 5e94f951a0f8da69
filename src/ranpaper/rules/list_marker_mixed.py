"""A bullet whose marker differs from the list right above it.

## What it finds
A `*` or `+` bullet written right under a `-` list (or any other mix), with no blank line
between, as markdownlint's MD004 does. Markdown starts a new list at each change of marker,
so `- a` / `* b` / `- c` is three lists, not one.

## Why it matters
Lists become items: split lists are separate groups of lessons (each a group of its own in the
HTML, the PDF and the JSON) or separate blocks, and the spacing between them shows in print.

## Example
    - Start early.
    * Plan the release.
    - Involve the family.

## Use instead
    - Start early.
    - Plan the release.
    - Involve the family.

## Fix
Unsafe: the bullet gets the marker of the list above it, which joins the lists into one. When
the lists were groups of lessons on purpose that changes the paper, so a person decides
(`--unsafe-fixes`); a blank line between two lists keeps them apart without a finding.
"""

import re
from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Applicability, Severity
from ranpaper.model import Paper, ProblemKind
from ranpaper.rules._base import Finding, Replace, RuleFix, from_parser

CODE = "RP213"
NAME = "list-marker-mixed"
SEVERITY = Severity.warning
FIX = "unsafe"
PROBLEM = ProblemKind.list_marker_mixed
_from_parser = from_parser(PROBLEM)
# The parser's message names both markers: "a `*` bullet right after a `-` list …".
_MARKERS = re.compile(r"a `([-*+])` bullet right after a `([-*+])` list")


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for finding in _from_parser(paper, config):
        markers = _MARKERS.search(finding.message)
        if markers is None:
            yield finding
            continue
        found, wanted = markers.groups()
        edit = Replace(
            finding.span.line, rf"^(\s*(?:>\s*)*){re.escape(found)}(?=[ \t]|$)", rf"\g<1>{wanted}"
        )
        yield Finding(
            finding.span,
            finding.message,
            finding.hint,
            fix=RuleFix(f"write `{wanted}`", (edit,), Applicability.unsafe),
        )
