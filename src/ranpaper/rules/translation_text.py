"""A translation's segment left untranslated, or with a number that changed.

## What it finds
In a translation (`translation-of:` in its front matter, or `ranpaper translate check
--original`), segment by segment (`ranpaper.segments`: titles, introduction paragraphs,
practices, lessons, gaps, notes and footnotes, paired by their stable id): a segment of three
words or more whose text is the original's, word for word; and a segment whose numbers
(`2012`, `3`, `40`) are not the original's. Reported at the translation's line.

## Why it matters
An untranslated paragraph is usually one a translator skipped; a changed number (a year, a
count, a percentage) changes what the paper says.

## Example
    - In 2015 the working group met twice.      (the original: In 2016 …)

## Use instead
    - 2016 traf sich die Arbeitsgruppe zweimal.
"""

import re
from collections import Counter
from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper, Span
from ranpaper.rules._base import Finding
from ranpaper.segments import segments

CODE = "RP403"
NAME = "translation-text"
SEVERITY = Severity.warning

_NUMBER = re.compile(r"\d+")


def _words(text: str) -> str:
    return " ".join(text.split())


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    original = config.original
    if original is None:
        return
    theirs = {segment.id: segment for segment in segments(original)}
    for segment in segments(paper):
        source = theirs.get(segment.id)
        if source is None or segment.id == "title":
            continue
        span = Span(line=segment.line, end_line=segment.end_line)
        if _words(segment.text) == _words(source.text) and len(source.text.split()) >= 3:
            yield Finding(span, f"segment {segment.id} is the original's text, untranslated")
            continue
        ours, wanted = Counter(_NUMBER.findall(segment.text)), Counter(_NUMBER.findall(source.text))
        if ours != wanted:
            lost = sorted((wanted - ours).elements())
            added = sorted((ours - wanted).elements())
            said = "; ".join(
                part
                for part in (
                    f"lacks {', '.join(lost)}" if lost else "",
                    f"adds {', '.join(added)}" if added else "",
                )
                if part
            )
            yield Finding(span, f"segment {segment.id}'s numbers are not the original's: {said}")
