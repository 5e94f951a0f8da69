"""What a theme's brief holds, decided once for both of its forms (PDF through HTML, and
Markdown), so that the two never disagree.

A brief is read alone, away from the paper: every topic is named by its whole path
("Probation › Specific topics", not "Specific topics"), and each practice appears once, with
the topics that cite it, however many of them do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from ranpaper.model import Meeting, Practice, Theme, Topic

PATH_SEPARATOR = " › "


@dataclass
class BriefTopic:
    topic: Topic
    path: str  # the titles from the theme's topic down to this one, joined by PATH_SEPARATOR


@dataclass
class BriefPractice:
    practice: Practice  # the card shown: the one that says most about the practice
    topics: list[str] = field(default_factory=list)  # paths of every topic citing it
    # What other topics say of it in other words, as (topic path, their card): a brief loses
    # none of the paper's text.
    also: list[tuple[str, Practice]] = field(default_factory=list)


def topics(theme: Theme) -> list[BriefTopic]:
    """Every topic of `theme`, in document order, with its path."""

    def walk(topic: Topic, above: list[str]) -> Iterator[BriefTopic]:
        path = [*above, topic.title_text]
        yield BriefTopic(topic, PATH_SEPARATOR.join(path))
        for sub in topic.topics:
            yield from walk(sub, path)

    return [entry for topic in theme.topics for entry in walk(topic, [])]


def _weight(practice: Practice) -> tuple[bool, int]:
    from ranpaper.model import plain

    return (bool(practice.head), len(plain(practice.description)))


def practices(theme: Theme) -> list[BriefPractice]:
    """Each practice of `theme` once, by identity, in order of first mention, with every topic
    that cites it. When topics describe it differently, the fullest description is the card
    and each other one follows it under its topic's path (`also`)."""
    from ranpaper.model import plain

    found: dict[str, BriefPractice] = {}
    cards: dict[str, list[tuple[str, Practice]]] = {}
    for entry in topics(theme):
        for practice in entry.topic.practices or ():
            cards.setdefault(practice.id, []).append((entry.path, practice))
            known = found.get(practice.id)
            if known is None:
                found[practice.id] = BriefPractice(practice, [entry.path])
                continue
            if _weight(practice) > _weight(known.practice):
                known.practice = practice
            if entry.path not in known.topics:
                known.topics.append(entry.path)
    for practice_id, cited in found.items():
        shown = {plain(cited.practice.description).strip()}
        for path, card in cards[practice_id]:
            words = plain(card.description).strip()
            if words and words not in shown:
                shown.add(words)
                cited.also.append((path, card))
    return list(found.values())


def unique_meetings(themes: list[Theme]) -> list[Meeting]:
    """Meetings once each, however many topics cite them (same title and date)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for theme in themes:
        for topic in theme.walk():
            if topic.meetings is None:
                continue
            for meeting in topic.meetings:
                key = ((meeting.title or "").lower(), meeting.date_text or "")
                if key not in seen:
                    seen.add(key)
                    out.append(meeting)
    return out


def meetings(theme: Theme) -> list[Meeting]:
    """The theme's meetings once each, oldest first (undated ones last)."""
    return sorted(unique_meetings([theme]), key=lambda m: m.date.start if m.date else dt.date.max)
