"""Characters that no output can show safely: control characters and lone surrogates.

## What it finds
A control character (ESC, BEL, NUL, form feed, …: every one but tab and line break) anywhere
in the paper, or a lone UTF-16 surrogate written as a YAML escape (`"\\uD800"`). Each is read
as U+FFFD (�), so the paper still parses; the finding names the line and the first column.

## Why it matters
A lone surrogate cannot be encoded, so the PDF, HTML or JSON could not be written; control
characters reach terminals and CI logs, where an escape sequence can rewrite what a reviewer
sees. Neither is ever meant in an overview paper.

## Example
    title: "Rehabilitation\\u001b[2J"

## Use instead
    title: "Rehabilitation"
"""

from ranpaper.diagnostics import Severity
from ranpaper.model import ProblemKind
from ranpaper.rules._base import from_parser

CODE = "RP008"
NAME = "text-unsafe"
SEVERITY = Severity.error
PROBLEM = ProblemKind.unsafe_text
check = from_parser(PROBLEM)
