"""Content the parser could not place in the paper's structure.

## What it finds
Text before the first heading, a code block, a block quote or a table, a heading at the level
of a main theme that is neither `Introduction` nor `Main theme N: …`, nested bullets under a
meeting, a bullet in *Practices* that is not a practice (and any bullet nested under one),
content after a `None`, an unknown `ranpaper:` directive, and any text the parser placed
nowhere (the ledger's net: `parse/ledger.py`).

## Why it matters
Nothing may be silently dropped: whatever has no place in the model would be missing from the
PDF, the HTML and the JSON. The finding shows the text so that an editor can move it.

## Example
    # Main theme 1: Guidelines
    > A quotation with no topic.

## Use instead
    # Main theme 1: Guidelines

    A paragraph introducing the theme.
"""

from ranpaper.diagnostics import Severity
from ranpaper.model import ProblemKind
from ranpaper.rules._base import from_parser

CODE = "RP003"
NAME = "content-unplaced"
SEVERITY = Severity.error
PROBLEM = ProblemKind.unplaced
check = from_parser(PROBLEM)
