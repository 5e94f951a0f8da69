"""The source → model ledger: every line of text markdown-it read belongs to a model node, to
the parser's notes (a comment, a waiver, a directive, a thematic break) or to a problem that
reports it. A line that is in none of them would be dropped without a word, so it becomes a
problem itself (`ProblemKind.unplaced`), carrying its text.

This is the net under the structure builder: the builder decides where each block goes, and
the ledger proves afterwards that it put every one somewhere.
"""

from __future__ import annotations

from markdown_it.token import Token

from ranpaper.model import PARSER_NOTES, Node, Paper, Problem, ProblemKind, Span

# The tokens that carry text an editor wrote: a paragraph's or heading's inline content, and
# the blocks markdown-it keeps verbatim.
_TEXT_TOKENS = frozenset({"inline", "code_block", "fence", "html_block"})
_NESTED = ("children", "lessons")
# The paper's fields that are not its content: the notes are claimed one by one below, the
# profile is vocabulary.
_NOT_CONTENT = PARSER_NOTES | {"profile"}


def _claim(claimed: bytearray, first: int, last: int) -> None:
    first = max(first, 1)
    last = min(last, len(claimed) - 1)
    if first <= last:
        claimed[first : last + 1] = b"\x01" * (last - first + 1)


def _own_last_line(node: object, span: Span) -> int:
    """The last line a node holds itself: a bullet's lines stop where the first bullet nested
    under it starts (those are the nested node's own)."""
    for name in _NESTED:
        nested = getattr(node, name, None)
        if isinstance(nested, list) and nested:
            first = getattr(nested[0], "span", None)
            if isinstance(first, Span) and first.line > span.line:
                return first.line - 1
    return span.end_line


def _items_own_lines(tokens: list[Token]) -> dict[int, int]:
    """For each bullet (by its 1-based first line), the last line it holds itself: the lines
    of the bullets nested under it are theirs, so a parent cannot account for a nested bullet
    the model lost."""
    own: dict[int, int] = {}
    open_items: list[int] = []
    for token in tokens:
        if token.type == "list_item_open" and token.map:
            open_items.append(token.map[0] + 1)
            own[token.map[0] + 1] = token.map[1]
        elif token.type == "list_item_close" and open_items:
            open_items.pop()
        elif (
            token.type in ("bullet_list_open", "ordered_list_open")
            and token.map
            and open_items
            and own[open_items[-1]] >= token.map[0] + 1
        ):
            own[open_items[-1]] = token.map[0]
    return own


def claimed_lines(paper: Paper, line_count: int, tokens: list[Token] | None = None) -> bytearray:
    """For each 1-based line (index), 1 when the model, the parser's notes or a problem holds
    it."""
    items = _items_own_lines(tokens or [])
    claimed = bytearray(line_count + 2)
    stack: list[object] = [paper]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, Node) or isinstance(node, Span):
            continue
        for name, value in vars(node).items():  # a model node's fields (frozen dataclasses)
            if name in _NOT_CONTENT:
                continue
            if isinstance(value, Span):
                last = value.end_line
                if name == "span":
                    last = min(last, items.get(value.line, last), _own_last_line(node, value))
                _claim(claimed, value.line, last)
            elif isinstance(value, list | Node):
                stack.append(value)
    for noted in (paper.problems, paper.waivers, paper.comments):
        for entry in noted:
            _claim(claimed, entry.span.line, entry.span.end_line)
    for span in paper.ignored:
        _claim(claimed, span.line, span.end_line)
    return claimed


def unaccounted(paper: Paper, tokens: list[Token], lines: list[str]) -> list[Problem]:
    """A problem for each run of text lines that nothing in `paper` accounts for."""
    claimed = claimed_lines(paper, len(lines), tokens)
    lost: set[int] = set()
    for token in tokens:
        if token.type not in _TEXT_TOKENS or not token.map:
            continue
        start, end = token.map
        for index in range(start, end):
            if index < len(lines) and lines[index].strip() and not claimed[index + 1]:
                lost.add(index)
    problems: list[Problem] = []
    for index in sorted(lost):
        if index - 1 in lost:
            continue
        last = index
        while last + 1 in lost:
            last += 1
        text = "\n".join(lines[index : last + 1]).strip()
        problems.append(
            Problem(
                kind=ProblemKind.unplaced,
                message="this text is in no part of the paper's model, so no output would "
                "carry it (ranpaper could not place it: please report this)",
                span=Span(line=index + 1, end_line=last + 1, end_column=len(lines[last]) + 1),
                hint="move it into a paragraph or bullet of a section",
                text=text,
            )
        )
    return problems
