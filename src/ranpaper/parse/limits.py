"""Nesting limits, enforced while markdown-it reads the paper, so that nothing is dropped and
the model stays shallow enough for every walk over it (rules, renderers, pydantic).

markdown-it's own limit (`maxNesting`) skips the whole rest of the enclosing block once it is
reached: a bullet nested 11 lists deep swallowed the rest of the file. Here a list, quote or
footnote that would open deeper than `MAX_BLOCK_DEPTH` levels is simply not opened: its line
stays text of the item above, and the line is noted. Emphasis, strong text and links nested
deeper than `MAX_INLINE_DEPTH` keep their markup as text, also noted. Both notes become
`nesting` problems.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MAX_BLOCK_DEPTH = 20
"""Lists (and quotes, footnotes) nest at most this deep; docs/authoring.md says so."""

MAX_INLINE_DEPTH = 20
"""Emphasis, strong text and links nest at most this deep inside one another."""

TOO_DEEP_BLOCKS = "ranpaper_too_deep_blocks"
TOO_DEEP_INLINE = "ranpaper_too_deep_inline"
"""Keys of markdown-it's `env` under which the 0-based lines that went over a limit are set."""

_DEPTH = "ranpaper_depth"
_CONTAINERS = ("list", "blockquote", "footnote_def")

BlockRule = Callable[[StateBlock, int, int, bool], bool]


def _guard(rule: BlockRule) -> BlockRule:
    def guarded(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        depth = state.env.get(_DEPTH, 0)
        if depth >= MAX_BLOCK_DEPTH and rule(state, start, end, True):
            state.env.setdefault(TOO_DEEP_BLOCKS, set()).add(start)
            return False  # not opened: the line is read as text instead
        if silent:
            return rule(state, start, end, True)
        # The rule reads its content (nested lists, quotes) before it returns.
        state.env[_DEPTH] = depth + 1
        try:
            return rule(state, start, end, False)
        finally:
            state.env[_DEPTH] = depth

    return guarded


def _flatten_deep_inline(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        # For each open element, the text its closing markup becomes (None: kept as markup).
        closers: list[str | None] = []
        for child in token.children:
            if child.type in ("em_open", "strong_open", "link_open"):
                if len(closers) < MAX_INLINE_DEPTH:
                    closers.append(None)
                    continue
                if child.type == "link_open":
                    closers.append(f"]({child.attrGet('href') or ''})")
                    _to_text(child, "[")
                else:
                    closers.append(child.markup)
                    _to_text(child, child.markup)
                if token.map:
                    state.env.setdefault(TOO_DEEP_INLINE, set()).add(token.map[0])
            elif child.type in ("em_close", "strong_close", "link_close") and closers:
                closer = closers.pop()
                if closer is not None:
                    _to_text(child, closer)


def _to_text(token: Token, content: str) -> None:
    token.type = "text"
    token.tag = ""
    token.nesting = 0
    token.content = content
    token.attrs = {}


def install(md: MarkdownIt) -> None:
    """Enforce both limits on `md`."""
    rules: Any = md.block.ruler.__rules__
    for rule in rules:
        if rule.name in _CONTAINERS:
            md.block.ruler.at(rule.name, _guard(rule.fn), {"alt": list(rule.alt)})
    # markdown-it's own limit stays above ours, so it never skips text.
    # It counts two levels per list (the list and its item), one per quote.
    md.options["maxNesting"] = 2 * MAX_BLOCK_DEPTH + 10
    md.core.ruler.push("ranpaper_inline_depth", _flatten_deep_inline)
