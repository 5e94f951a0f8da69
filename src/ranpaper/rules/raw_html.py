"""Raw HTML in the source.

## What it finds
HTML written in the paper, as a block (`<div>…`) or inside text (`<script>`, `<img …>`,
`<span>`). HTML comments are fine: they are editors' notes, and `<!-- ranpaper: … -->`
comments are directives.

## Why it matters
The paper is built into PDF and HTML from untrusted pull requests. Raw HTML is never passed
through: it is shown as escaped text, which is rarely what the editor meant.

## Example
    <img src="https://example.org/tracker.png">

## Use instead
    Write the content as Markdown text.
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper, ProblemKind, RawHtml
from ranpaper.rules._base import Finding, from_parser, inline_nodes

CODE = "RP004"
NAME = "raw-html"
SEVERITY = Severity.warning
PROBLEM = ProblemKind.raw_html
_blocks = from_parser(PROBLEM)


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    yield from _blocks(paper, config)
    for node, span in inline_nodes(paper):
        if isinstance(node, RawHtml) and not node.text.startswith("<!--"):
            yield Finding(span, f"raw HTML {node.text[:40]!r} is shown as text, not passed through")
