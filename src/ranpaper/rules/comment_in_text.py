"""An HTML comment inside a line of text.

## What it finds
`<!-- … -->` written inside a paragraph, bullet or heading, on the same line as text, rather
than on a line of its own.

## Why it matters
A comment on its own line is an editor's note, never shown. One inside text is part of the
text: the PDF and HTML show it, escaped, as `<!-- … -->`, while a Markdown viewer hides it —
so what the editor meant to hide is printed, or what readers should see is hidden, depending
on the output.

## Example
    - EXIT WG Meeting: Kick-off, Berlin, 3 May 2020 <!-- check the date -->

## Use instead
    <!-- check the date -->
    - EXIT WG Meeting: Kick-off, Berlin, 3 May 2020
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper, RawHtml
from ranpaper.rules._base import Finding, inline_nodes

CODE = "RP007"
NAME = "comment-in-text"
SEVERITY = Severity.warning


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for node, span in inline_nodes(paper):
        if isinstance(node, RawHtml) and node.text.startswith("<!--"):
            shown = " ".join(node.text.split())
            yield Finding(
                span,
                f"HTML comment {shown[:60]!r} inside text is printed in the PDF and HTML",
                hint="put the comment on a line of its own, with a blank line around it",
            )
