"""A Markdown form whose words or meaning the paper's model does not keep.

## What it finds
A link's or image's title (`[text](url "title")`), a reference definition no link uses
(`[label]: https://…`), a numbered list (`1.`, `3.`): the parser reads the link, the list's
items, but not the title, the unused target or the numbers.

## Why it matters
Nothing may be lost without a word. No output carries these (the PDF, the web page and the
briefs print lists as bullets and links without titles), and `ranpaper fmt`, which writes the
model back, would drop them: so it refuses to rewrite a paper that has one.

## Example
    - [Manual](https://example.org/manual "the 2021 edition"), 2021

## Use instead
    - [Manual, 2021 edition](https://example.org/manual), 2021
"""

from ranpaper.diagnostics import Severity
from ranpaper.model import ProblemKind
from ranpaper.rules._base import from_parser

CODE = "RP009"
NAME = "form-not-kept"
SEVERITY = Severity.warning
PROBLEM = ProblemKind.form_not_kept
check = from_parser(PROBLEM)
