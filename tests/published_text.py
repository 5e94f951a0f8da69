"""The published paper's text as sentences, and the plain text of our source, for comparing.

The published text (a copy of the PDF extraction) is split into sentences line by line. Its
extraction artefacts are undone first — footnote markers (¹ ²) and the title block, which is
compared with the front matter separately — but nothing else: typos stay typos.
"""

from __future__ import annotations

import re
from pathlib import Path

from ranpaper.model import Block, Gap, LessonGroup, Paper, Paragraph, Practice, Topic, plain

TITLE_BLOCK_LINES = 11  # up to and including "RAN activities on Rehabilitation"
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=\S)")


def normalise(text: str) -> str:
    text = text.replace("\u00a0", " ")
    return " ".join(text.split())


def strip_markup(text: str) -> str:
    """Links to their text, emphasis markers and escapes removed (both texts use them)."""
    text = re.sub(r"!?\[((?:[^\]\\]|\\.)*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = text.replace("**", "").replace("*", "")
    return re.sub(r"\\(.)", r"\1", text)


def published_sentences(path: Path) -> list[str]:
    lines = path.read_text("utf-8").split("\n")[TITLE_BLOCK_LINES:]
    sentences = []
    for line in lines:
        line = re.sub(r"^[¹²³]\s*", "", line.strip())
        line = re.sub(r"(?<=[.\"”])[¹²³]", "", line)
        line = strip_markup(re.sub(r"^-\s+", "", line))
        sentences.extend(s for s in _SENTENCE_END.split(line) if s.strip())
    return [normalise(s) for s in sentences]


def title_block(path: Path) -> list[str]:
    return [line for line in path.read_text("utf-8").split("\n")[:TITLE_BLOCK_LINES] if line]


def markdown_plain(source: str) -> str:
    """The source with its Markdown markup removed, as one normalised string."""
    body = source.split("\n---\n", 1)[1]
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.DOTALL)
    body = re.sub(r"^\s*#+\s*", "", body, flags=re.MULTILINE)
    body = re.sub(r"^\s*[-*+]\s+", "", body, flags=re.MULTILINE)
    body = re.sub(r"^\[\^[^\]]+\]:\s*", "", body, flags=re.MULTILINE)
    body = re.sub(r"\[\^[^\]]+\]", "", body)
    return normalise(strip_markup(body))


def model_plain(paper: Paper) -> str:
    """Everything a reader of the model sees, in document order, as one normalised string."""
    parts: list[str] = []

    def items(entries: list) -> None:  # type: ignore[type-arg]
        for entry in entries:
            parts.append(plain(entry.text))
            items(entry.children)

    def blocks(entries: list[Block]) -> None:
        for block in entries:
            if isinstance(block, Paragraph):
                parts.append(plain(block.text))
            else:
                items(block.items)

    def topic(node: Topic) -> None:
        parts.append(node.title_text)
        blocks(node.intro)
        for section in node.sections:
            parts.append(section.heading)
            if section.marked_empty is not None:
                parts.append("None")
            for item in section.items:
                if isinstance(item, Practice):
                    parts.append(plain(item.head) + item.separator + plain(item.description))
                elif isinstance(item, LessonGroup):
                    parts.append(plain(item.title or []))
                    items(item.lessons)
                elif isinstance(item, Gap):
                    items([item])
                else:
                    parts.append(plain(item.text))
        for sub in node.topics:
            topic(sub)

    if paper.introduction_span is not None:
        parts.append("Introduction")
    blocks(paper.introduction)
    for theme in paper.themes:
        parts.append(f"Main theme {theme.number}: {theme.title_text}")
        blocks(theme.intro)
        for node in theme.topics:
            topic(node)
    parts.extend(plain(footnote.text) for footnote in paper.footnotes)
    return normalise(" ".join(parts))


def missing(sentences: list[str], text: str) -> list[str]:
    return [sentence for sentence in sentences if sentence not in text]


def as_card_titles(sentences: list[str], paper: Paper) -> list[str]:
    """The published sentences as the outputs set them: a practice's head ends with the colon
    that led into its description ("Exit Sweden, Fryshuset, Sweden:"); a card's title, set on
    a line of its own, does not (`ranpaper.render.cards`)."""
    heads = {normalise(plain(p.head)) for _, p in paper.citations() if p.head}
    return [s[:-1] if s.endswith(":") and s[:-1] in heads else s for s in sentences]
