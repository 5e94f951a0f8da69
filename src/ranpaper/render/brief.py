"""What a theme's brief holds, decided once (`plan`) for all of its forms — PDF through HTML,
Markdown and Word — so that they never disagree.

A brief is read alone, away from the paper: every topic is named by its whole path
("Probation › Specific topics", not "Specific topics"), and each practice appears once, with
the topics that cite it, however many of them do. It carries every word the paper says in the
theme (`test_briefs.py` holds it to that): the theme's and each topic's introduction; the
lessons and gaps; the notes between a section's items (a sentence before the meetings, a
lead-in to the practices, a paragraph after a practice, which goes with that practice's card);
each practice with every description topics give of it; the meetings; the footnotes all of
that cites.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass

from ranpaper.model import (
    Block,
    Footnote,
    FootnoteRef,
    GapsSection,
    LessonsSection,
    Meeting,
    Note,
    Paper,
    Practice,
    Theme,
    Topic,
    plain,
)
from ranpaper.render.anchors import theme_anchor
from ranpaper.urls import file_href

PATH_SEPARATOR = " › "


@dataclass(frozen=True)
class PaperLink:
    """Where a brief points back to: the paper's PDF (`file` as a reader sees it, `path`
    relative to the brief) opened at the theme's named destination (`destination`, the
    theme's id in the paper: `render/anchors.py`)."""

    file: str
    path: str
    destination: str

    @property
    def href(self) -> str:
        """The link with Adobe's PDF open parameter (`#nameddest=`), which Acrobat, pdf.js
        and Chromium's viewer follow to the page the theme starts on."""
        return file_href(self.path, f"nameddest={self.destination}")


def paper_link(paper: Paper, theme: Theme, paper_pdf: str | None) -> PaperLink | None:
    """The brief's link to its theme in the paper's PDF at `paper_pdf` (relative to the
    brief), or None when the brief is made without one (a brief rendered on its own)."""
    if paper_pdf is None:
        return None
    return PaperLink(paper_pdf.rpartition("/")[2], paper_pdf, theme_anchor(paper, theme))


@dataclass
class BriefTopic:
    topic: Topic
    path: str  # the titles from the theme's topic down to this one, joined by PATH_SEPARATOR


@dataclass
class BriefPractice:
    practice: Practice  # the card shown: the one that says most about the practice
    topics: list[str] = field(default_factory=list)  # paths of every topic citing it
    # What other topics say of it in other words, as (topic path, their card, whether to show
    # the card's head, whether its description): a brief loses none of the paper's text, and
    # repeats none of it (a head or a description it already shows is not shown again).
    also: list[tuple[str, Practice, bool, bool]] = field(default_factory=list)
    # The paragraphs the paper writes after a card of it (a second paragraph), as (topic path,
    # note), in the paper's order.
    notes: list[tuple[str, Note]] = field(default_factory=list)


def topics(theme: Theme) -> list[BriefTopic]:
    """Every topic of `theme`, in document order, with its path."""

    def walk(topic: Topic, above: list[str]) -> Iterator[BriefTopic]:
        path = [*above, topic.title_text]
        yield BriefTopic(topic, PATH_SEPARATOR.join(path))
        for sub in topic.topics:
            yield from walk(sub, path)

    return [entry for topic in theme.topics for entry in walk(topic, [])]


def _weight(practice: Practice) -> tuple[bool, int]:
    return (bool(practice.head), len(plain(practice.description)))


def practices(theme: Theme) -> list[BriefPractice]:
    """Each practice of `theme` once, by identity, in order of first mention, with every topic
    that cites it. When topics describe it differently, the fullest description is the card
    and each other one whose sentences it does not already hold follows it under its topic's
    path (`also`). A paragraph written after a practice in the paper goes with it (`notes`)."""
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
    for entry in topics(theme):
        section = entry.topic.practices
        previous: Practice | None = None
        for item in section.items if section else []:
            if isinstance(item, Practice):
                previous = item
            elif previous is not None and not is_lead_in(item):
                found[previous.id].notes.append((entry.path, item))
    for practice_id, cited in found.items():
        shown = set(sentences(plain(cited.practice.description)))
        heads = {" ".join(plain(cited.practice.head).split())}
        for path, card in cards[practice_id]:
            said = sentences(plain(card.description))
            head = " ".join(plain(card.head).split())
            new_words = bool(said) and not set(said) <= shown
            new_head = bool(head) and head not in heads
            if new_words or new_head:
                shown.update(said)
                heads.add(head)
                cited.also.append((path, card, new_head, new_words))
    return list(found.values())


def is_lead_in(note: Note) -> bool:
    """A note that ends in a colon introduces the practices after it ("Several practices that
    are not specifically focused on returning FTFs, but do work with them:"), as the paper's
    layout reads it too: it is not a paragraph of the practice before it."""
    return plain(note.text).rstrip().endswith(":")


def sentences(text: str) -> list[str]:
    """A text's sentences, spaces normalised: what a brief must carry of it."""
    return [s for s in re.split(r"(?<=[.!?:;])\s+", " ".join(text.split())) if s]


def unique_meetings(themes: list[Theme]) -> list[Meeting]:
    """Meetings once each, however many topics cite them (same title and date)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for theme in themes:
        for topic in theme.walk():
            if topic.meetings is None:
                continue
            for meeting in topic.meetings:
                key = (meeting.title_text.lower(), meeting.date_text or "")
                if key not in seen:
                    seen.add(key)
                    out.append(meeting)
    return out


def meetings(theme: Theme) -> list[Meeting]:
    """The theme's meetings once each, oldest first (undated ones last)."""
    return sorted(unique_meetings([theme]), key=lambda m: m.date.start if m.date else dt.date.max)


@dataclass
class BriefPlan:
    """Everything a theme's brief holds, in its order: the writers only lay it out."""

    theme: Theme
    # Each topic's introduction under its path (and the path of a topic nothing else names).
    intros: list[tuple[str, list[Block]]]
    lessons: list[tuple[str, LessonsSection]]
    gaps: list[tuple[str, GapsSection]]
    leads: list[tuple[str, Note]]  # notes of Practices before its first practice, lead-ins
    practices: list[BriefPractice]
    meetings: list[Meeting]
    meeting_notes: list[tuple[str, Note]]  # notes between a topic's meetings
    footnotes: list[Footnote] = field(default_factory=list)  # cited, in order of citation

    @property
    def practice_groups(self) -> list[tuple[list[tuple[str, Note]], list[BriefPractice]]]:
        """The leads and the practices in the order a reader meets them: each topic's lead-ins
        ("The following practices are mostly focussed on …:") right before the practices that
        topic is the first to cite, as in the paper, rather than every lead-in above every
        card (where brief 03's VIE lead-in stood above Exit Sweden, a right-wing card)."""
        order = {entry.path: index for index, entry in enumerate(topics(self.theme))}
        groups: dict[str, tuple[list[tuple[str, Note]], list[BriefPractice]]] = {}
        for path, note in self.leads:
            groups.setdefault(path, ([], []))[0].append((path, note))
        for cited in self.practices:
            groups.setdefault(cited.topics[0], ([], []))[1].append(cited)
        return [groups[path] for path in sorted(groups, key=lambda p: order.get(p, len(order)))]


def _footnote_refs(node: object) -> Iterator[str]:
    if isinstance(node, FootnoteRef):
        yield node.label
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _footnote_refs(item)
    elif is_dataclass(node) and not isinstance(node, type):
        for item in fields(node):
            if item.name != "topics":  # a practice's citing topics are another plan's
                yield from _footnote_refs(getattr(node, item.name))


def _unnamed(topic: Topic) -> bool:
    """Whether no other part of the brief names `topic` (by its path over its lessons or
    gaps, in a practice's citing topics, or in a sub-topic's path): then its path stands with
    the introductions, so that its title is not lost."""
    return not (
        topic.topics
        or (topic.lessons and topic.lessons.items)
        or (topic.gaps and topic.gaps.items)
        or any(True for _practice in topic.practices or ())
    )


def plan(paper: Paper, theme: Theme) -> BriefPlan:
    """What the brief of `theme` holds (see the module's docstring)."""
    entries = topics(theme)
    leads: list[tuple[str, Note]] = []
    for entry in entries:
        section = entry.topic.practices
        first = True
        for item in section.items if section else []:
            if isinstance(item, Practice):
                first = False
            elif first or is_lead_in(item):
                leads.append((entry.path, item))
    result = BriefPlan(
        theme=theme,
        intros=[(e.path, e.topic.intro) for e in entries if e.topic.intro or _unnamed(e.topic)],
        lessons=[
            (e.path, e.topic.lessons) for e in entries if e.topic.lessons and e.topic.lessons.items
        ],
        gaps=[(e.path, e.topic.gaps) for e in entries if e.topic.gaps and e.topic.gaps.items],
        leads=leads,
        practices=practices(theme),
        meetings=meetings(theme),
        meeting_notes=[
            (e.path, item)
            for e in entries
            for item in (e.topic.meetings.items if e.topic.meetings else [])
            if isinstance(item, Note)
        ],
    )
    written: list[object] = [
        theme.title,
        theme.intro,
        result.intros,
        result.lessons,
        result.gaps,
        result.leads,
        result.practices,
        [meeting.text for meeting in result.meetings],
        result.meeting_notes,
    ]
    notes = {note.label: note for note in paper.footnotes}
    wanted = list(dict.fromkeys(_footnote_refs(written)))
    for label in wanted:  # and those the footnotes' own text cites, once each
        note = notes.get(label)
        if note is not None:
            wanted += [ref for ref in _footnote_refs(note.text) if ref not in wanted]
    result.footnotes = [notes[label] for label in wanted if label in notes]
    return result
