"""The registry applied to the model: `Paper` → `Paper` with the recovered links' URLs filled.

A pure transform (`dataclasses.replace` on a copy of the tree; the paper passed in is left as
it is), applied by `build` before rendering: renderers see ordinary links and never learn of
the registry, and the source is never touched.
"""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from ranpaper.links.citations import SEPARATOR, Matching, match
from ranpaper.links.registry import REGISTRY_FILE, Registry, normal, registry_beside
from ranpaper.model import Footnote, Link, Paper, Practice, Span, Theme, Topic


def recover(paper: Paper, registry: Registry | None) -> Paper:
    """`paper` with every lost link the registry recovers given the registry's URL."""
    if registry is None:
        return paper
    found = match(paper, registry)
    if not found.urls:
        return paper
    return _Filler(found)(paper)


@dataclasses.dataclass
class _Filler:
    matching: Matching

    def __call__(self, paper: Paper) -> Paper:
        return dataclasses.replace(
            paper,
            introduction=self.fill(paper.introduction, paper.profile.introduction),
            themes=[self.theme(theme) for theme in paper.themes],
            footnotes=[self.footnote(note) for note in paper.footnotes],
        )

    def theme(self, theme: Theme) -> Theme:
        place = normal(theme.title_text)
        return dataclasses.replace(
            theme,
            title=self.fill(theme.title, place),
            intro=self.fill(theme.intro, place),
            topics=[self.topic(topic, "") for topic in theme.topics],
        )

    def topic(self, topic: Topic, above: str) -> Topic:
        title = normal(topic.title_text)
        place = f"{above}{SEPARATOR}{title}" if above else title
        changes = {
            item.name: self.fill(getattr(topic, item.name), place)
            for item in dataclasses.fields(topic)
            if item.name != "topics"
        }
        changes["topics"] = [self.topic(sub, place) for sub in topic.topics]
        return dataclasses.replace(topic, **changes)

    def footnote(self, note: Footnote) -> Footnote:
        return dataclasses.replace(note, text=self.fill(note.text, f"footnote [^{note.label}]"))

    def fill(self, node: Any, place: str) -> Any:
        if isinstance(node, list):
            return [self.fill(item, place) for item in node]
        if isinstance(node, Span | type) or not dataclasses.is_dataclass(node):
            return node
        if isinstance(node, Link):
            url = self.matching.url_for(place, node)
            children = self.fill(node.children, place)
            return dataclasses.replace(node, url=url or node.url, children=children)
        changes = {
            item.name: self.fill(getattr(node, item.name), place)
            for item in dataclasses.fields(node)
        }
        filled = dataclasses.replace(cast(Any, node), **changes)
        if isinstance(filled, Practice) and filled.url is not None:
            head = filled.head[0] if filled.head else None
            if isinstance(head, Link) and filled.url.strip() in ("", "#") and not head.is_lost:
                filled = dataclasses.replace(filled, url=head.url)
        return filled


def keyed_source(paper_path: str, source: str) -> str:
    """The text `build`'s content hash covers for a paper: its source and, when there is one,
    the registry beside it, so that a new entry makes the paper render again."""
    registry = registry_beside(paper_path)
    return source if registry is None else f"{source}\0{REGISTRY_FILE} {registry.digest}"


def for_build(paper: Paper, source: str) -> tuple[Paper, str]:
    """What `build` renders for a checked paper: the paper with the registry's links recovered,
    and the text its cache key covers (`keyed_source`)."""
    registry = registry_beside(paper.path) if paper.path else None
    if registry is None:
        return paper, source
    return recover(paper, registry), f"{source}\0{REGISTRY_FILE} {registry.digest}"
