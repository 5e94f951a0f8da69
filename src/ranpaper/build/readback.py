"""Outputs read back as a reader's tool reads them, and the check that they carry every block
they promise (issue 21: nothing is published that lost text).

Readers: a PDF's text through pypdfium2, a Word document's through python-docx (its body, its
tables and its footnotes), a web page's through the standard HTML parser, Markdown through
markdown-it. `Words` is the text as a sequence of comparable words: letters and digits, case
folded, with hyphens inside a word and at a line's end dropped (a PDF hyphenates), so that a
block's words can be looked for in order. Between two words of one block, an output may hold
others (a footnote call, the running head and footnotes of a page break), up to `GAP` words.
"""

from __future__ import annotations

import bisect
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from html.parser import HTMLParser

from ranpaper.model import (
    Emphasis,
    Footnote,
    FootnoteRef,
    Image,
    Inline,
    Link,
    Paper,
    Span,
    Strong,
    Theme,
    block_texts,
    inline_texts,
    own_texts,
    plain,
    walk_inline,
)

# A hyphen joining two parts of a word, or a word broken at a line's end.
_JOINED = re.compile(r"(?<=\w)[-\u00ad\u2010\u2011](?:[ \t]*\r?\n[ \t]*)?(?=\w)")
_SOFT = re.compile(r"\u00ad")
_BROKEN = re.compile(r"[\ufffe\x02]")  # pdfium's mark of a word the layout hyphenated
_WORD = re.compile(r"\w+")
GAP = 400  # words an output may hold inside a block (a page break's head, foot and notes)


def words(text: str) -> list[str]:
    """The comparable words of a text (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", _BROKEN.sub(" ", _SOFT.sub("", text))).casefold()
    return _WORD.findall(_JOINED.sub("", text))


class Words:
    """An output's words, indexed for the in-order search of a block's words."""

    def __init__(self, text: str) -> None:
        self.words = words(text)
        self.at: dict[str, list[int]] = defaultdict(list)
        for index, word in enumerate(self.words):
            self.at[word].append(index)
            stem = word.rstrip("0123456789")
            if stem and stem != word:  # a footnote call glued to its word: "motivation1"
                self.at[stem].append(index)

    def _next(self, word: str, after: int) -> int | None:
        """The first index of `word` after `after`, within GAP."""
        found = self.at.get(word)
        if not found:
            return None
        at = bisect.bisect_right(found, after)
        return found[at] if at < len(found) and found[at] <= after + GAP else None

    def _previous(self, word: str, before: int) -> int | None:
        """The last index of `word` before `before`, within GAP."""
        found = self.at.get(word)
        if not found:
            return None
        at = bisect.bisect_left(found, before) - 1
        return found[at] if at >= 0 and found[at] >= before - GAP else None

    def _forward(self, word: str, after: int) -> int | None:
        """Where `word` is next: whole, or broken by the layout into parts that start right
        after `after` (a long word wrapped over lines; a page break may stand between two
        parts — the running head, the foot, the notes — as often as the word crosses pages)."""
        found = self._next(word, after)
        if found == after + 1:
            return found
        rest, index = word, after + 1
        while index < len(self.words):
            part = self.words[index]
            if part == rest and rest != word:
                return index if found is None or index < found else found
            first = rest == word
            if (len(part) >= 2 or not first) and len(part) < len(rest) and rest.startswith(part):
                rest, index = rest[len(part) :], index + 1
                continue
            if first:
                break
            # Not the next part: perhaps a page break stands here; the next part after it.
            resumed = next(
                (
                    at
                    for at in range(index + 1, min(index + GAP, len(self.words)))
                    if self.words[at] == rest
                    or (len(self.words[at]) >= 2 and rest.startswith(self.words[at]))
                ),
                None,
            )
            if resumed is None:
                break
            index = resumed
        return found

    def _backward(self, word: str, before: int) -> int | None:
        """Where `word` is before `before`: whole, or broken into parts that end right before
        `before` (a page break may stand between two parts, as in `_forward`; the index
        returned is its first part's)."""
        found = self._previous(word, before)
        if found == before - 1:
            return found
        rest, index = word, before - 1
        while index >= 0:
            part = self.words[index]
            if part == rest and rest != word:
                return index if found is None or index > found else found
            last = rest == word
            if (len(part) >= 2 or not last) and len(part) < len(rest) and rest.endswith(part):
                rest, index = rest[: len(rest) - len(part)], index - 1
                continue
            if last:
                break
            resumed = next(
                (
                    at
                    for at in range(index - 1, max(index - GAP, -1), -1)
                    if self.words[at] == rest
                    or (len(self.words[at]) >= 2 and rest.endswith(self.words[at]))
                ),
                None,
            )
            if resumed is None:
                break
            index = resumed
        return found

    def holds(self, block: str) -> bool:
        """Whether the block's words are here, in order, each within GAP of the last. The
        search starts from each place of the block's rarest word, and goes both ways."""
        wanted = words(block)
        if not wanted:
            return True
        # The rarest words first; a word the layout broke in two is found nowhere whole, or
        # whole somewhere else, so a few anchors are tried.
        placed = sorted(
            (k for k in range(len(wanted)) if wanted[k] in self.at),
            key=lambda k: len(self.at[wanted[k]]),
        )
        if any(self._around(wanted, anchor) for anchor in placed[:3]):
            return True
        # No word of it whole where it is (a block of one long word wrapped over lines): from
        # each place where its first word starts, forward.
        head = wanted[0]
        for start, word in enumerate(self.words):
            if 2 <= len(word) < len(head) and head.startswith(word):
                position = self._forward(head, start - 1)
                for rest in wanted[1:]:
                    if position is None:
                        break
                    position = self._forward(rest, position)
                if position is not None:
                    return True
        return False

    def _around(self, wanted: list[str], anchor: int) -> bool:
        """Whether `wanted` is here with its word `anchor` at one of that word's places."""
        for start in self.at[wanted[anchor]]:
            position: int | None = start
            for word in wanted[anchor + 1 :]:
                assert position is not None
                position = self._forward(word, position)
                if position is None:
                    break
            if position is None:
                continue
            position = start
            for word in reversed(wanted[:anchor]):
                assert position is not None
                position = self._backward(word, position)
                if position is None:
                    break
            if position is not None:
                return True
        return False


def missing(text: str, blocks: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """The (block, source line) pairs whose words `text` does not hold."""
    found = Words(text)
    return [(block, line) for block, line in blocks if not found.holds(block)]


# --- readers -----------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for page in document:
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range())
            text_page.close()
            page.close()
        return "\n".join(pages)
    finally:
        document.close()


def docx_text(data: bytes) -> str:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    out: list[str] = []
    body = document.element.body
    for paragraph in body.iter(qn("w:p")):
        out.append("".join(node.text or "" for node in paragraph.iter(qn("w:t"))))
    for part in document.part.package.iter_parts():
        if str(part.partname).endswith("/footnotes.xml"):
            from lxml import etree

            root = etree.fromstring(part.blob)
            for paragraph in root.iter(qn("w:p")):
                out.append("".join(node.text or "" for node in paragraph.iter(qn("w:t"))))
    return "\n".join(out)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title", "head"):
            self.skip += 1
        elif tag in ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "td", "tr", "div"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title", "head") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


def markdown_text(source: str) -> str:
    """What a Markdown viewer shows: the text of every block, footnote definitions too."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark").use(footnote_plugin)
    out: list[str] = []
    for token in md.parse(source):
        if token.type == "inline":
            out.append(_inline_text(token))
        elif token.type in ("code_block", "fence", "html_block"):
            out.append(token.content)
    return "\n".join(out)


def _inline_text(token: object) -> str:
    parts: list[str] = []
    for child in getattr(token, "children", None) or []:
        if child.type in ("text", "code_inline", "text_special", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


# --- what each output promises -------------------------------------------------------------------

Block = tuple[str, int]  # a block's plain text and its source line


def _printed(inline: Inline) -> str:
    """The text of an inline run as it is printed: an image's alt text is not (it is the
    image's description, in the tagged PDF's structure and the page's `alt`), so a block is
    promised without it; the image itself is the renderers' to fetch or refuse."""
    out: list[str] = []
    for node in inline:
        if isinstance(node, Image):
            out.append(" ")
        elif isinstance(node, Emphasis | Strong | Link):
            out.append(_printed(node.children))
        else:
            out.append(plain([node]))
    return "".join(out)


def _texts(pairs: Iterable[tuple[Inline, Span]]) -> list[Block]:
    blocks = [(_printed(text), span.line) for text, span in pairs]
    return [(text, line) for text, line in blocks if text.strip()]


def _cited(paper: Paper, texts: list[Inline]) -> list[Footnote]:
    """The footnotes `texts` cite, and those their own text cites, in order of citation."""
    notes = {note.label: note for note in paper.footnotes}
    wanted: list[str] = []
    queue = [
        node.label for text in texts for node in walk_inline(text) if isinstance(node, FootnoteRef)
    ]
    while queue:
        label = queue.pop(0)
        if label in wanted or label not in notes:
            continue
        wanted.append(label)
        queue += [n.label for n in walk_inline(notes[label].text) if isinstance(n, FootnoteRef)]
    return [notes[label] for label in wanted]


def paper_blocks(paper: Paper) -> list[Block]:
    """What the paper's PDF, web page, Word document and JSON carry: every text of the model
    (the introduction, each theme and topic with its sections, every footnote)."""
    return _texts(inline_texts(paper))


def brief_blocks(paper: Paper, theme: Theme) -> list[Block]:
    """What a theme's brief carries, in every form: the theme's title and introduction, and
    for each of its topics the title, introduction, meetings, practices (each of their
    paragraphs), lessons, gaps and notes; and the footnotes all of those cite."""
    pairs: list[tuple[Inline, Span]] = [(theme.title, theme.span), *block_texts(theme.intro)]
    for topic in theme.walk():
        pairs += [(text, span) for text, span, _meeting in own_texts(topic)]
    footnotes = _cited(paper, [text for text, _span in pairs])
    return _texts([*pairs, *((note.text, note.span) for note in footnotes)])
