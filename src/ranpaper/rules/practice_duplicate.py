"""The same practice written twice in one topic.

## What it finds
A practice that a topic's *Practices* section already holds: the same name, or a
description whose words are mostly those of another practice of the topic (nine in ten, in
order, of at least eight words), as when a card is pasted twice and one copy renamed.

## Why it matters
The index of practices, the JSON and the briefs list the practice twice under the topic; the
second copy is usually a paste left behind, and its edits drift from the first.

## Example
    **Exit Sweden (Sweden)**: Support for people leaving extremism.

    **Exit Sweden (Sweden)**: Support for people leaving extremism.

## Use instead
    **Exit Sweden (Sweden)**: Support for people leaving extremism.
"""

import difflib
from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Severity
from ranpaper.model import Paper, Practice, plain
from ranpaper.rules._base import Finding

CODE = "RP212"
NAME = "practice-duplicate"
SEVERITY = Severity.warning
_ALIKE = 0.9
_MIN_WORDS = 8


def _name(practice: Practice) -> str:
    return " ".join(str(practice).lower().split())


def _words(practice: Practice) -> list[str]:
    return plain(practice.description).lower().split()


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    for _theme, topic in paper.topics():
        seen: list[tuple[Practice, list[str]]] = []
        for practice in topic.practices or ():
            words = _words(practice)
            for earlier, earlier_words in seen:
                same_name = _name(earlier) == _name(practice)
                alike = (
                    min(len(words), len(earlier_words)) >= _MIN_WORDS
                    and difflib.SequenceMatcher(None, earlier_words, words).ratio() >= _ALIKE
                )
                if same_name or alike:
                    why = "again" if same_name else f'with the description of "{earlier}"'
                    yield Finding(
                        practice.span,
                        f'practice "{practice}" is written {why} in this topic '
                        f"(line {earlier.span.line})",
                        hint="remove one copy, or merge what each says into one",
                    )
                    break
            seen.append((practice, words))
