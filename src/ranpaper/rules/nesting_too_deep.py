"""Text nested deeper than the paper allows (20 levels of lists, or of emphasis and links).

## What it finds
A bullet (or quote, or footnote) that would open a 21st level of nesting: it is not opened,
its line is read as text of the item above, and the finding names its line. Emphasis, strong
text and links nested more than 20 deep keep their deeper markup as text. Anything
markdown-it still could not read is named too, at the first line that would be lost.

## Why it matters
Nothing may be silently dropped, and a model nested without bound crashes whatever walks it.
No overview paper needs such nesting; it is an accident (or an attack on the build), and the
text must be brought back to a readable depth.

## Example
    > > > > > > > > > > > > > > > > > > > > > > text

## Use instead
    text
"""

from ranpaper.diagnostics import Severity
from ranpaper.model import ProblemKind
from ranpaper.rules._base import from_parser

CODE = "RP005"
NAME = "nesting-too-deep"
SEVERITY = Severity.error
PROBLEM = ProblemKind.nesting
check = from_parser(PROBLEM)
