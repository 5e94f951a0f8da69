"""Raw HTML in the source.

## What it finds
An HTML block (`<div>`, `<script>`, `<img>` …) written in the paper. HTML comments are fine:
they are editors' notes, and `<!-- ranpaper: … -->` comments are directives.

## Why it matters
The paper is built into PDF and HTML from untrusted pull requests. Raw HTML is never passed
through: it is shown as escaped text, which is rarely what the editor meant.

## Example
    <img src="https://example.org/tracker.png">

## Use instead
    Write the content as Markdown text.
"""

from ranpaper.diagnostics import Severity
from ranpaper.rules._base import from_parser

CODE = "RP004"
NAME = "raw-html"
SEVERITY = Severity.warning
check = from_parser(CODE)
