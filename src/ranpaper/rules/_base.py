"""What every rule module shares: the `Finding` it yields and a few model walks.

A rule module holds `CODE`, `NAME`, `SEVERITY`, `FIX` (`"safe"`, `"unsafe"` or None: whether
its findings can carry a fix), a docstring that is its documentation (What it finds / Why it
matters / Example / Use instead, and Fix when it can fix) and `check(paper, config)`, a
generator of `Finding`s. Rules report facts; the engine applies severity, selection and
waivers.

Rules read the model, never the source text; a fix names what it changes in terms the model
knows (a line and the text expected on it, `Replace`) or, where the model's spans are exact
enough, as an `Edit`. The engine, which has the text, turns each `Replace` into an exact edit
or drops the fix when the expected text is not there: a fix never guesses.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ranpaper.config import Config
from ranpaper.dates import DateError, parse_date
from ranpaper.diagnostics import Applicability, Edit
from ranpaper.model import (
    Image,
    InlineNode,
    Link,
    Meeting,
    Paper,
    ProblemKind,
    Span,
    inline_texts,
    walk_inline,
)


@dataclass(frozen=True)
class Replace:
    """Replace the first match of the regular expression `pattern` on `line`, at or after
    `column` (1-based), with `text` (a replacement template: `\\g<1>` keeps a group)."""

    line: int
    pattern: str
    text: str
    column: int = 1


@dataclass(frozen=True)
class RuleFix:
    """A finding's fix as a rule states it; `ranpaper.check` resolves it to a `Fix`."""

    message: str
    edits: tuple[Edit | Replace, ...]
    applicability: Applicability = Applicability.safe


@dataclass(frozen=True)
class Finding:
    span: Span
    message: str
    hint: str | None = None
    path: str | None = None  # a file other than the paper's (the link registry), if any
    fix: RuleFix | None = None
    # The text the finding is about as written on `span.line`, when the model knows the line
    # but not the column (text runs carry no position): with the source at hand the engine
    # points at it exactly.
    at: str | None = None


Check = Callable[[Paper, Config], Iterator[Finding]]


def from_parser(kind: ProblemKind) -> Check:
    """A rule whose facts the parser found (it alone sees the Markdown): yield the problems of
    the kind the rule module declares as its `PROBLEM`."""

    def check(paper: Paper, config: Config) -> Iterator[Finding]:
        for problem in paper.problems:
            if problem.kind is kind:
                yield Finding(problem.span, problem.message, problem.hint)

    return check


def date_errors(paper: Paper) -> Iterator[tuple[Meeting, DateError]]:
    for _topic, meeting in paper.meetings():
        if meeting.date is None and meeting.date_text:
            try:
                parse_date(meeting.date_text, paper.profile.date_forms)
            except DateError as error:
                yield meeting, error


def date_span(meeting: Meeting) -> Span:
    return meeting.date_span or meeting.span


# Several rules read every inline node; the walk is made once per paper. The model is frozen,
# so a paper seen again (by identity) has the same nodes.
_walked: tuple[Paper, list[tuple[InlineNode, Span]]] | None = None


def inline_nodes(paper: Paper) -> list[tuple[InlineNode, Span]]:
    """Every inline node of the paper, depth first in document order, with its block's span."""
    global _walked
    if _walked is None or _walked[0] is not paper:
        nodes = [(node, span) for text, span in inline_texts(paper) for node in walk_inline(text)]
        _walked = (paper, nodes)
    return _walked[1]


def all_links(paper: Paper) -> Iterator[tuple[Link | Image, Span]]:
    """Every link and image in the paper with the most precise span known for it."""
    for node, span in inline_nodes(paper):
        if isinstance(node, Link | Image):
            yield node, node.span or span


def suggest(word: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return close[0] if close else None
