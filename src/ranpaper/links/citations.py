"""Where each link of a paper is cited, and which registry entries recover which lost links.

A link's place is the path of topic titles above it (`Review and evaluation / Evaluation`),
`Introduction`, its theme's title for a theme's own introduction, or `footnote [^label]`.
That place and the link's text are what a registry entry names.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field

from ranpaper import urls
from ranpaper.links.registry import Entry, Registry, normal
from ranpaper.model import (
    Inline,
    Link,
    Meeting,
    Paper,
    Span,
    Topic,
    block_texts,
    own_texts,
    walk_inline,
)

SEPARATOR = " / "


@dataclass(frozen=True)
class Citation:
    link: Link
    place: str
    span: Span
    meeting: str | None = None  # the title of the meeting line the link is part of, if any

    @property
    def text(self) -> str:
        return normal(self.link.text)

    @property
    def document(self) -> str:
        """What the link points to, as a reader would name it: its text, or for a part of a
        meeting line that is not its title ("Video") the text with the meeting's title."""
        if self.meeting is None or self.text.casefold() in normal(self.meeting).casefold():
            return self.text
        return f"{self.text} ({normal(self.meeting)})"


def _topics(topic: Topic, above: str) -> Iterator[tuple[str, Topic]]:
    place = f"{above}{SEPARATOR}{normal(topic.title_text)}" if above else normal(topic.title_text)
    yield place, topic
    for sub in topic.topics:
        yield from _topics(sub, place)


def placed_texts(paper: Paper) -> Iterator[tuple[str, Inline, Span, Meeting | None]]:
    """Every inline text of the paper with its place (and meeting), in document order."""
    for text, span in block_texts(paper.introduction):
        yield paper.profile.introduction, text, span, None
    for theme in paper.themes:
        theme_place = normal(theme.title_text)
        yield theme_place, theme.title, theme.span, None
        for text, span in block_texts(theme.intro):
            yield theme_place, text, span, None
        for topic in theme.topics:
            for place, each in _topics(topic, ""):
                for text, span, meeting in own_texts(each):
                    yield place, text, span, meeting
    for footnote in paper.footnotes:
        yield f"footnote [^{footnote.label}]", footnote.text, footnote.span, None


def citations(paper: Paper) -> list[Citation]:
    """Every link of the paper, with its place and most precise span, in document order."""
    return [
        Citation(node, place, node.span or span, (meeting.title_text or None) if meeting else None)
        for place, text, span, meeting in placed_texts(paper)
        for node in walk_inline(text)
        if isinstance(node, Link)
    ]


@dataclass(frozen=True)
class Stale:
    """A registry entry's place where no lost link has its text, and why."""

    entry: Entry
    place: str
    message: str
    hint: str | None = None


@dataclass
class Matching:
    """What a registry does to one paper."""

    urls: dict[tuple[str, str], str] = field(default_factory=dict)  # (place, text) → URL
    recovered: list[Citation] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    refused: list[tuple[Entry, str]] = field(default_factory=list)  # URL not allowed, why

    def url_for(self, place: str, link: Link) -> str | None:
        if not link.is_lost:
            return None
        return self.urls.get((place, normal(link.text)))


def match(paper: Paper, registry: Registry) -> Matching:
    """Which lost links of `paper` the registry recovers, and which entries match nothing."""
    found = citations(paper)
    by_key: dict[tuple[str, str], list[Citation]] = {}
    for citation in found:
        by_key.setdefault((citation.place, citation.text), []).append(citation)
    result = Matching()
    for entry in registry.entries:
        if not entry.applies_to(paper.path):
            continue
        problem = urls.registry_url_problem(entry.url)
        if problem is not None:
            result.refused.append((entry, problem))
        for place in entry.topics:
            hits = by_key.get((place, entry.text), [])
            lost = [c for c in hits if c.link.is_lost]
            if lost and problem is None:
                result.urls[(place, entry.text)] = entry.url
                result.recovered.extend(lost)
            elif hits and not lost:
                result.stale.append(
                    Stale(
                        entry,
                        place,
                        f'link "{entry.text}" in "{place}" is no longer lost: the source '
                        f"gives it {hits[0].link.url}",
                        "remove the entry",
                    )
                )
            elif not hits:
                result.stale.append(_unmatched(entry, place, found))
    result.recovered.sort(key=lambda c: (c.span.line, c.span.column))
    return result


def _unmatched(entry: Entry, place: str, found: list[Citation]) -> Stale:
    elsewhere = sorted({c.place for c in found if c.text == entry.text and c.link.is_lost})
    if elsewhere:
        hint = "it is cited in: " + "; ".join(f'"{p}"' for p in elsewhere)
    else:
        in_place = [c.text for c in found if c.place == place and c.link.is_lost]
        close = difflib.get_close_matches(entry.text, in_place, n=1, cutoff=0.6)
        places = sorted({c.place for c in found})
        near_place = difflib.get_close_matches(place, places, n=1, cutoff=0.6)
        if close:
            hint = f'did the text change to "{close[0]}"?'
        elif near_place and near_place[0] != place:
            hint = f'did you mean the topic "{near_place[0]}"?'
        else:
            hint = "`ranpaper links --lost` lists the lost links and their topics"
    return Stale(entry, place, f'no link "{entry.text}" in "{place}"', hint)


_matched: tuple[Paper, Registry, Matching] | None = None


def matching(paper: Paper, registry: Registry) -> Matching:
    """`match`, made once per paper and registry (several rules ask)."""
    global _matched
    if _matched is None or _matched[0] is not paper or _matched[1] is not registry:
        _matched = (paper, registry, match(paper, registry))
    return _matched[2]
