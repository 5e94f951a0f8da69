"""A practice named in different ways without one stable identity.

## What it finds
Two practices with different identities whose names look like the same programme: the same
words in another order (`Team TER` / `TER Team`), one name the acronym of the other
(`Team TER` / `Team Terrorists, Extremists and Radicals`, `TUI` / `The Unity Initiative`,
whichever comes first), or the same link target.

## Why it matters
The index of practices and the JSON list a practice once, with every topic that mentions it;
without a shared identity it is listed under each name.

## Example
    **TER Team (the Netherlands)**: The nationally operating Team TER …

## Use instead
    <!-- ranpaper: practice team-ter -->

    **TER Team (the Netherlands)**: The nationally operating Team TER …

## Fix
Unsafe: writes the identity comment of the earlier practice before this one. Only an editor
knows whether the two names are one programme, so `--unsafe-fixes` is needed.
"""

from collections.abc import Iterator

from ranpaper.config import Config
from ranpaper.diagnostics import Applicability, Edit, Severity
from ranpaper.model import Paper, Practice
from ranpaper.rules._base import Finding, RuleFix

CODE = "RP307"
NAME = "practice-identity"
SEVERITY = Severity.warning
FIX = "unsafe"


def _words(name: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in name.lower()).split() if w]


_SMALL = ("and", "of", "the", "for")


def _acronyms(words: list[str]) -> set[str]:
    """The initials of `words`, with and without the small words: "The Unity Initiative" is
    both TUI and UI, "Terrorists, Extremists and Radicals" both TER and TEAR."""
    return {
        "".join(word[0] for word in words if word not in _SMALL),
        "".join(word[0] for word in words),
    }


def same_practice(first: Practice, second: Practice, words: dict[str, list[str]]) -> bool:
    """Whether two practices look like one programme; `words` keeps each name's words, so
    that comparing every pair splits every name once."""
    if first.url and first.url == second.url and first.url.strip() not in ("", "#"):
        return True
    if not first.name or not second.name:
        return False
    for name in (first.name, second.name):
        if name not in words:
            words[name] = _words(name)
    a, b = words[first.name], words[second.name]
    if sorted(a) == sorted(b):
        return True
    # `Team TER` vs `Team Terrorists, Extremists and Radicals`: one word is the other's acronym.
    for short, long in ((a, b), (b, a)):
        extra = [w for w in long if w not in short]
        missing = [w for w in short if w not in long]
        if len(missing) == 1 and len(extra) >= 2 and missing[0] in _acronyms(extra):
            return True
    return False


def check(paper: Paper, config: Config) -> Iterator[Finding]:
    first_by_id: dict[str, Practice] = {}
    for _topic, practice in paper.citations():
        first_by_id.setdefault(practice.id, practice)
    words: dict[str, list[str]] = {}
    for _topic, practice in paper.citations():
        for other_id, other in first_by_id.items():
            if other_id == practice.id or other.span.line > practice.span.line:
                continue
            if same_practice(other, practice, words):
                yield Finding(
                    practice.span,
                    f'practice "{practice.name}" looks like "{other.name}" (line '
                    f"{other.span.line}) but has another identity ({practice.id} vs {other_id})",
                    hint="if it is the same practice, write "
                    f"`<!-- ranpaper: practice {other_id} -->` on the line before it",
                    fix=_same_identity(practice, other_id),
                )
                break


def _same_identity(practice: Practice, other_id: str) -> RuleFix | None:
    # Not when an editor gave it an identity (changing one is not mechanical), nor inside an
    # indented block, where a comment line would end it.
    if practice.explicit_id or practice.span.column != 1:
        return None
    line = practice.span.line
    comment = f"<!-- ranpaper: practice {other_id} -->\n\n"
    return RuleFix(
        f"give it the identity {other_id}",
        (Edit(line, 1, line, 1, comment),),
        Applicability.unsafe,
    )
