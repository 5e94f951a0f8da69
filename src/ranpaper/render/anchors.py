"""The HTML ids of themes and topics, made in one place: the paper's pages and contents link
to them, its PDF keeps them as named destinations, and a brief links back to its theme's."""

from __future__ import annotations

from ranpaper.model import Paper, Theme, Topic
from ranpaper.parse.practice import slugify


class Anchors:
    """Stable, unique HTML ids for themes and topics."""

    def __init__(self) -> None:
        self.ids: dict[int, str] = {}
        self.used: set[str] = set()

    def __call__(self, node: Theme | Topic) -> str:
        key = id(node)
        if key not in self.ids:
            base = (
                f"theme-{node.number}"
                if isinstance(node, Theme)
                else "topic-" + slugify(node.title_text)
            )
            candidate, n = base, 2
            while candidate in self.used:
                candidate, n = f"{base}-{n}", n + 1
            self.used.add(candidate)
            self.ids[key] = candidate
        return self.ids[key]


def theme_anchor(paper: Paper, theme: Theme) -> str:
    """The id `theme` (the paper's, or a copy of it: known by where it is written) has in the
    paper's HTML and as a named destination in its PDF. Themes are given ids in order, and a
    theme's id (`theme-N`) can only meet another theme's."""
    anchors = Anchors()
    for candidate in paper.themes:
        anchor = anchors(candidate)
        if candidate is theme or candidate.span == theme.span:
            return anchor
    raise ValueError(f"main theme {theme.number} is not one of the paper's")
