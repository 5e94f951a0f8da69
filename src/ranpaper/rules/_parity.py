"""What the translation parity rules share: a translated paper and its original walked side
by side (the original is in `config.original`, read by the workspace from the front matter's
`translation-of`, or named by `ranpaper translate check --original`).

Topics pair by their place (`5.2`), sections by id, meetings and practices by their order in
their section, segments by id (`ranpaper.segments`): a translation keeps the structure, only
the words change."""

from __future__ import annotations

from collections.abc import Iterator

from ranpaper.model import Paper, Practice, Span, Topic


def topic_pairs(translated: Paper, original: Paper) -> Iterator[tuple[str, Topic, Topic]]:
    """(place, translated topic, original topic) for each place both papers have."""
    originals = dict(_places(original))
    for place, topic in _places(translated):
        if place in originals:
            yield place, topic, originals[place]


def places(paper: Paper) -> dict[str, Topic]:
    return dict(_places(paper))


def _places(paper: Paper) -> Iterator[tuple[str, Topic]]:
    def walk(key: str, topics: list[Topic]) -> Iterator[tuple[str, Topic]]:
        for index, topic in enumerate(topics, 1):
            here = f"{key}.{index}"
            yield here, topic
            yield from walk(here, topic.topics)

    for theme in paper.themes:
        yield from walk(str(theme.number), theme.topics)


def practices(topic: Topic) -> list[Practice]:
    if topic.practices is None:
        return []
    return [item for item in topic.practices.items if isinstance(item, Practice)]


def front_span(paper: Paper) -> Span:
    span = paper.metadata.span
    return Span(line=span.line, end_line=span.line) if span else Span(line=1, end_line=1)
