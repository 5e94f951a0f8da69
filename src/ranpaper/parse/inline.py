"""markdown-it inline tokens → the model's inline nodes, with source spans for links.

markdown-it gives block tokens a line map but inline tokens no position at all, so link and
footnote-reference positions are recovered here by finding their markup in the block's own
source, in order. That is what lets a lost link be reported at its exact column.
"""

from __future__ import annotations

import bisect
import re

from markdown_it.common.normalize_url import normalizeLinkText
from markdown_it.token import Token

from ranpaper.lines import LineIndex
from ranpaper.model import (
    Break,
    Code,
    Emphasis,
    FootnoteRef,
    Image,
    Inline,
    InlineNode,
    Link,
    RawHtml,
    Span,
    Strong,
    Text,
)

# A footnote reference whose label has no definition stays plain text in markdown-it; the
# model still records it as a reference so that the checker can report it.
_UNRESOLVED_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")


_FOOTNOTE_MARK = re.compile(r"\[\^([^\]\s]+)\]")
_AUTOLINK = re.compile(
    r"<([A-Za-z][A-Za-z0-9.+\-]{1,31}:[^<>\x00-\x20]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,252}))>"
)
_AUTOLINK_LOOKAHEAD = 16  # autolink-shaped text in code spans is skipped, within reason


class SourceLocator:
    """Maps offsets in a block's source back to (line, column), scanning forward only.

    Every search is linear in the block: the brackets, parentheses, footnote marks and
    autolinks of the block are indexed once, on first use, and each search moves a pointer
    forward. (Searching the text again from the cursor for each link made 80 KB of `](`, or
    references written with entities, take minutes.)"""

    def __init__(self, lines: list[str], first_line: int) -> None:
        self.text = "\n".join(lines)
        self.first_line = first_line  # 1-based line number of lines[0]
        self.cursor = 0
        self.index = LineIndex(self.text, whole=False)  # the one line model
        self._links: tuple[list[int], dict[int, int], dict[int, int]] | None = None
        self._link_next = 0
        self._footnotes: dict[str, list[int]] | None = None
        self._autolinks: list[re.Match[str]] | None = None
        self._autolink_next = 0

    def position(self, offset: int) -> tuple[int, int]:
        line, column = self.index.location(offset)
        return self.first_line + line - 1, column

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(line=line, column=column, end_line=end_line, end_column=end_column)

    def find_link(self, url: str, autolink: bool) -> Span | None:
        """Span of the next link with this target: `[text](url)` or `<url>`."""
        if autolink:
            return self._find_autolink(url)
        if self._links is None:
            self._links = _index_links(self.text)
        closes, parens, brackets = self._links
        index = max(self._link_next, bisect.bisect_left(closes, self.cursor))
        while index < len(closes):
            close = closes[index]
            index += 1
            target_end = parens.get(close + 1, -1)
            start = brackets.get(close, -1)
            if target_end > 0 and start >= 0:
                # Candidates passed over never match (matching is by position): skip them.
                self._link_next = index
                self.cursor = close + 2
                return self.span(start, target_end + 1)
        self._link_next = index
        return None

    def _find_autolink(self, url: str) -> Span | None:
        if self._autolinks is None:
            self._autolinks = list(_AUTOLINK.finditer(self.text))
        index = self._autolink_next
        while index < len(self._autolinks) and self._autolinks[index].start() < self.cursor:
            index += 1
        for candidate in self._autolinks[index : index + _AUTOLINK_LOOKAHEAD]:
            index += 1
            written = candidate.group(1)
            if written == url or normalizeLinkText(written) == url:
                self._autolink_next = index
                self.cursor = candidate.end()
                return self.span(candidate.start(), candidate.end())
        return None

    def find_footnote(self, label: str) -> Span | None:
        if self._footnotes is None:
            self._footnotes = {}
            for match in _FOOTNOTE_MARK.finditer(self.text):
                self._footnotes.setdefault(match.group(1), []).append(match.start())
        starts = self._footnotes.get(label, [])
        found = bisect.bisect_left(starts, self.cursor)
        if found == len(starts):
            return None
        start = starts[found]
        end = start + len(label) + 3
        self.cursor = end
        return self.span(start, end)


def _index_links(text: str) -> tuple[list[int], dict[int, int], dict[int, int]]:
    """In one pass: where `](` is, the `)` that closes each `(` (a blank line closes none),
    and the `[` that opens each `]` (a bracket after a backslash does not count)."""
    closes: list[int] = []
    parens: dict[int, int] = {}
    brackets: dict[int, int] = {}
    open_parens: list[int] = []
    open_brackets: list[int] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        escaped = index > 0 and text[index - 1] == "\\"
        if char == "]":
            if not escaped and open_brackets:
                brackets[index] = open_brackets.pop()
            if index + 1 < length and text[index + 1] == "(":
                closes.append(index)
        elif char == "[" and not escaped:
            open_brackets.append(index)
        if char == "\\":
            # An escaped character is never a parenthesis (it may still be a bracket above).
            index += 2
            continue
        if char == "(":
            open_parens.append(index)
        elif char == ")":
            if open_parens:
                parens[open_parens.pop()] = index
        elif char == "\n" and index > 0 and text[index - 1] == "\n":
            open_parens.clear()
        index += 1
    return closes, parens, brackets


def convert_inline(token: Token, locator: SourceLocator | None) -> Inline:
    """Convert the children of one `inline` token."""
    stack: list[list[InlineNode]] = [[]]
    opened: list[Token] = []
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            stack[-1].extend(_text_with_refs(child.content, locator))
        elif kind == "text_special":
            # An escape or entity (`\[`, `&#91;`): literal text, never the start of a footnote
            # reference, so it is not joined to the text around it before refs are looked for.
            stack[-1].append(Text(text=child.content))
        elif kind == "softbreak":
            stack[-1].append(Break())
        elif kind == "hardbreak":
            stack[-1].append(Break(hard=True))
        elif kind == "code_inline":
            stack[-1].append(Code(text=child.content))
        elif kind == "html_inline":
            stack[-1].append(RawHtml(text=child.content))
        elif kind == "image":
            src = str(child.attrGet("src") or "")
            span = locator.find_link(src, autolink=False) if locator else None
            stack[-1].append(Image(src=src, alt=child.content, span=span))
        elif kind == "footnote_ref":
            label = child.meta["label"]
            span = locator.find_footnote(label) if locator else None
            stack[-1].append(FootnoteRef(label=label, span=span))
        elif kind in ("em_open", "strong_open", "link_open"):
            opened.append(child)
            stack.append([])
        elif kind in ("em_close", "strong_close", "link_close"):
            children = stack.pop()
            opener = opened.pop()
            stack[-1].append(_close(opener, children, locator))
        else:  # pragma: no cover - markdown-it token types we did not enable
            stack[-1].append(Text(text=child.content))
    # Unbalanced markup cannot come out of markdown-it, but never drop text if it did.
    while len(stack) > 1:
        children = stack.pop()
        stack[-1].extend(children)
    return merge_text(stack[0])


def _close(opener: Token, children: list[InlineNode], locator: SourceLocator | None) -> InlineNode:
    if opener.type == "em_open":
        return Emphasis(children=merge_text(children))
    if opener.type == "strong_open":
        return Strong(children=merge_text(children))
    url = str(opener.attrGet("href") or "")
    autolink = opener.markup == "autolink"
    if autolink:
        # markdown-it normalises the target (percent-encoding); the text is what was written.
        url = "".join(child.text for child in children if isinstance(child, Text)) or url
    span = locator.find_link(url, autolink) if locator else None
    return Link(url=url, children=merge_text(children), autolink=autolink, span=span)


def _text_with_refs(content: str, locator: SourceLocator | None) -> list[InlineNode]:
    nodes: list[InlineNode] = []
    position = 0
    for match in _UNRESOLVED_REF.finditer(content):
        if match.start() > position:
            nodes.append(Text(text=content[position : match.start()]))
        label = match.group(1)
        span = locator.find_footnote(label) if locator else None
        nodes.append(FootnoteRef(label=label, span=span))
        position = match.end()
    if position < len(content):
        nodes.append(Text(text=content[position:]))
    return nodes


def merge_text(nodes: list[InlineNode]) -> list[InlineNode]:
    """Adjacent text runs become one (markdown-it splits text at every special character).
    A run is joined once, not pairwise, so a line of a million escapes stays linear."""
    merged: list[InlineNode] = []
    run: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            run.append(node.text)
            continue
        if run:
            merged.append(Text(text="".join(run)))
            run = []
        merged.append(node)
    if run:
        merged.append(Text(text="".join(run)))
    return merged
