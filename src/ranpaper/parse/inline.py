"""markdown-it inline tokens → the model's inline nodes, with source spans for links.

markdown-it gives block tokens a line map but inline tokens no position at all, so link and
footnote-reference positions are recovered here by finding their markup in the block's own
source, in order. That is what lets a lost link be reported at its exact column.
"""

from __future__ import annotations

import bisect
import re

from markdown_it.token import Token

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


class SourceLocator:
    """Maps offsets in a block's source back to (line, column), scanning forward only."""

    def __init__(self, lines: list[str], first_line: int) -> None:
        self.text = "\n".join(lines)
        self.first_line = first_line  # 1-based line number of lines[0]
        self.cursor = 0
        self.line_starts = [0]
        for line in lines[:-1]:
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return self.first_line + line, offset - self.line_starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(line=line, column=column, end_line=end_line, end_column=end_column)

    def find_link(self, url: str, autolink: bool) -> Span | None:
        """Span of the next link with this target: `[text](url)` or `<url>`."""
        if autolink:
            start = self.text.find("<" + url, self.cursor)
            if start < 0:
                return None
            end = self.text.find(">", start) + 1
            self.cursor = end
            return self.span(start, end)
        close = self.text.find("](", self.cursor)
        while close >= 0:
            target_end = _matching_paren(self.text, close + 1)
            if target_end > 0:
                start = _matching_bracket(self.text, close)
                if start >= 0:
                    self.cursor = close + 2
                    return self.span(start, target_end + 1)
            close = self.text.find("](", close + 2)
        return None

    def find_footnote(self, label: str) -> Span | None:
        start = self.text.find(f"[^{label}]", self.cursor)
        if start < 0:
            return None
        end = start + len(label) + 3
        self.cursor = end
        return self.span(start, end)


def _matching_paren(text: str, open_at: int) -> int:
    depth = 0
    index = open_at
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        elif char == "\n" and text[index - 1] == "\n":
            return -1
        index += 1
    return -1


def _matching_bracket(text: str, close_at: int) -> int:
    depth = 0
    index = close_at
    while index >= 0:
        char = text[index]
        escaped = index > 0 and text[index - 1] == "\\"
        if char == "]" and not escaped:
            depth += 1
        elif char == "[" and not escaped:
            depth -= 1
            if depth == 0:
                return index
        index -= 1
    return -1


def convert_inline(token: Token, locator: SourceLocator | None) -> Inline:
    """Convert the children of one `inline` token."""
    stack: list[list[InlineNode]] = [[]]
    opened: list[Token] = []
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            stack[-1].extend(_text_with_refs(child.content, locator))
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
    """Adjacent text runs become one (markdown-it splits text at every special character)."""
    merged: list[InlineNode] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(text=merged[-1].text + node.text)
        else:
            merged.append(node)
    return merged
