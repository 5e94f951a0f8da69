"""A translation whose structure is not its original's.

## What it finds
In a paper whose front matter says `translation-of: ORIGINAL.md` (or checked with
`ranpaper translate check PAPER --original ORIGINAL.md`): an original that cannot be read, a
main theme or topic the original has and the translation lacks (or the other way round), a
topic whose sections differ, a different number of practices in a topic, and a footnote
that one of the two lacks. Each is reported at the translation's line (the topic's, the
section's, the footnote's), or at its front matter for what it lacks.

## Why it matters
A translation is read as the same paper in another language: a topic or practice lost in
translation is lost for all its readers, and no reviewer compares two languages line by line.

## Example
    # Hauptthema 5: Von benachbarten Feldern lernen   (the original's theme 5 has 3 topics)
    ## Unterthema: Gangs
    ## Unterthema: Sekten

## Use instead
    The same three topics, each with the original's sections, practices and footnotes.
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper
from ranpaper.rules._base import Finding
from ranpaper.rules._parity import front_span, places, practices, topic_pairs

CODE = "RP401"
NAME = "translation-structure"
SEVERITY = Severity.error


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    if config.original_error is not None:
        yield Finding(front_span(paper), config.original_error)
        return
    original = config.original
    if original is None:
        return
    themes = {theme.number: theme for theme in original.themes}
    for theme in paper.themes:
        if theme.number not in themes:
            yield Finding(theme.span, f"main theme {theme.number} is not in the original")
    mine = {theme.number for theme in paper.themes}
    for number in sorted(set(themes) - mine):
        yield Finding(front_span(paper), f"the original's main theme {number} is missing")
    ours, theirs = places(paper), places(original)
    for place, topic in ours.items():
        if place not in theirs:
            yield Finding(topic.span, f"topic {place} is not in the original")
    for place in theirs:
        if place not in ours and place.rpartition(".")[0] in {str(n) for n in mine} | set(ours):
            parent = ours.get(place.rpartition(".")[0])
            where = parent.span if parent is not None else front_span(paper)
            title = theirs[place].title_text
            yield Finding(where, f"the original's topic {place} ({title!r}) is missing")
    for place, topic, source in topic_pairs(paper, original):
        kinds = {section.kind for section in topic.sections}
        wanted = {section.kind for section in source.sections}
        for kind in sorted(wanted - kinds):
            yield Finding(topic.span, f"topic {place} lacks the original's {kind} section")
        for section in topic.sections:
            if section.kind not in wanted:
                yield Finding(section.span, f"topic {place}: the original has no {section.kind}")
        have, want = len(practices(topic)), len(practices(source))
        if have != want and topic.practices is not None:
            yield Finding(
                topic.practices.span,
                f"topic {place} has {have} practices, the original {want}",
            )
    labels = {note.label for note in original.footnotes}
    for note in paper.footnotes:
        if note.label not in labels:
            yield Finding(note.span, f"footnote [^{note.label}] is not in the original")
    own = {note.label for note in paper.footnotes}
    for note in original.footnotes:
        if note.label not in own:
            yield Finding(front_span(paper), f"the original's footnote [^{note.label}] is missing")
