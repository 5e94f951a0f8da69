"""Text nested so deeply that Markdown cannot read it.

## What it finds
Lists or block quotes nested more than 20 levels deep: markdown-it stops there and skips
what is deeper. The finding names the first line that would be lost.

## Why it matters
Nothing may be silently dropped. No overview paper needs such nesting; it is an accident
(or an attack on the build), and the text must be brought back to a readable depth.

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
