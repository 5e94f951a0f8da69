"""The typed model of an overview paper.

The model is what every rule and renderer reads. It knows nothing of Markdown, HTML or PDF:
inline text is a small tree of typed nodes (text, emphasis, strong, link, footnote
reference), and every block-level node carries the `Span` it came from so that a finding can
point at the source.

Shape: `Paper` → `Theme` → `Topic` (recursive) → four sections, each holding its items:
`Meeting`s, `Practice`s, `LessonGroup`s of nested `Lesson`s, and `Gap`s. Prose that is not
an item (an introductory sentence inside a section) is kept as a `Note` in its place.

Nodes are frozen dataclasses with full type hints. The parser builds them from values it has
checked, so making one costs nothing more than the call; pydantic validates, serialises and
describes them from those type hints on demand (`ranpaper.render.json`, `ranpaper.schema`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Annotated, Any, ClassVar, Literal, TypeVar, dataclass_transform

from ranpaper.dates import DateRange
from ranpaper.profiles import MeetingKind, Profile, default_profile


class Node:
    """What every model class shares. pydantic reads `__pydantic_config__` when it
    validates a node; `ranpaper check` never imports pydantic."""

    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}  # a ConfigDict

    # Equality, hash and repr are written once here rather than generated for each class
    # (`node` below): generating them for ~35 classes was a fifth of `ranpaper check`.
    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"{type(self).__name__}({fields})"


_N = TypeVar("_N")


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
def node(cls: type[_N]) -> type[_N]:
    """A model class: a frozen dataclass built with keywords; equality, hash and repr come
    from `Node`."""
    return dataclass(frozen=True, kw_only=True, eq=False, repr=False)(cls)


@node
class Span(Node):
    """Where a node was written: 1-based line and column, end inclusive of the last line."""

    line: int
    column: int = 1
    end_line: int
    end_column: int = 1


class _ByType:
    """Marks a union of nodes as told apart by their `type` tag (a discriminated union), for
    pydantic's validation and JSON Schema, without importing pydantic until it asks."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field

        return handler.generate_schema(Annotated[source, Field(discriminator="type")])


BY_TYPE = _ByType()


# --- inline text -----------------------------------------------------------------------------


@node
class Text(Node):
    """A run of plain text."""

    type: Literal["text"] = "text"
    text: str


@node
class Code(Node):
    """Inline code, as written between backticks."""

    type: Literal["code"] = "code"
    text: str


@node
class Break(Node):
    """A line break inside a paragraph; `hard` when the author forced it."""

    type: Literal["break"] = "break"
    hard: bool = False


@node
class RawHtml(Node):
    """HTML written in the source. It is never passed through: renderers escape it."""

    type: Literal["html"] = "html"
    text: str


@node
class Emphasis(Node):
    """Emphasised text (`*…*`)."""

    type: Literal["emphasis"] = "emphasis"
    children: list[InlineNode]


@node
class Strong(Node):
    """Strong text (`**…**`); a practice's name is often written so."""

    type: Literal["strong"] = "strong"
    children: list[InlineNode]


@node
class Link(Node):
    """A link as written. A lost target is kept as it is (`#` or empty), never guessed."""

    type: Literal["link"] = "link"
    url: str
    children: list[InlineNode]
    autolink: bool = False
    span: Span | None = None

    @property
    def text(self) -> str:
        return plain(self.children)

    @property
    def is_lost(self) -> bool:
        return self.url.strip() in ("", "#")


@node
class Image(Node):
    """An image as written; renderers fetch it only from inside the paper's own folder."""

    type: Literal["image"] = "image"
    src: str
    alt: str = ""
    span: Span | None = None


@node
class FootnoteRef(Node):
    """A reference to a footnote (`[^1]`); `label` names the footnote."""

    type: Literal["footnote_ref"] = "footnote_ref"
    label: str
    span: Span | None = None


InlineNode = Annotated[
    Text | Code | Break | RawHtml | Emphasis | Strong | Link | Image | FootnoteRef, BY_TYPE
]
Inline = list[InlineNode]


def plain(inline: Inline) -> str:
    """The text a reader sees, without markup; footnote references vanish."""
    out: list[str] = []
    for node in inline:
        if isinstance(node, Text | Code | RawHtml):
            out.append(node.text)
        elif isinstance(node, Break):
            out.append(" ")
        elif isinstance(node, Image):
            out.append(node.alt)
        elif isinstance(node, Emphasis | Strong | Link):
            out.append(plain(node.children))
    return "".join(out)


def walk_inline(inline: Inline) -> Iterator[InlineNode]:
    """Every inline node, depth first."""
    for node in inline:
        yield node
        if isinstance(node, Emphasis | Strong | Link):
            yield from walk_inline(node.children)


class Prose(Node):
    """A node whose content is a run of inline text (`text`): `str()` of it is the plain
    text a reader sees, without markup (`plain`)."""

    text: Inline

    def __str__(self) -> str:
        return plain(self.text)


# --- prose blocks ------------------------------------------------------------------------------


@node
class Paragraph(Prose):
    """A paragraph of prose."""

    type: Literal["paragraph"] = "paragraph"
    text: Inline
    span: Span


@node
class ListItem(Prose):
    """One bullet of a list, with the bullets nested under it."""

    text: Inline
    children: list[ListItem] = field(default_factory=list)
    span: Span


@node
class BulletList(Node):
    """A bulleted (or numbered) list."""

    type: Literal["list"] = "list"
    items: list[ListItem]
    span: Span


Block = Annotated[Paragraph | BulletList, BY_TYPE]


@node
class Note(Prose):
    """Prose inside a section that is not one of its items (e.g. an introductory sentence)."""

    type: Literal["note"] = "note"
    text: Inline
    span: Span


# --- section items -----------------------------------------------------------------------------


@node
class Meeting(Prose):
    """One line of *Meetings and papers*: the line as written plus the parts read from it.

    Parts the line does not give stay empty (`place` is None for a paper, `title` is `[]`
    for a line without one); `date` is None when no date could be read, and then `date_text`
    holds what was written, if anything. `title` is inline nodes, as a topic's: a linked
    title keeps its link (`title_text` is its plain text).
    """

    type: Literal["meeting"] = "meeting"
    text: Inline
    span: Span
    organisers: list[str] = field(default_factory=list)
    kind: MeetingKind | None = None
    title: Inline = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    author: str | None = None
    place: str | None = None
    date: DateRange | None = None
    date_text: str | None = None
    date_span: Span | None = None
    forthcoming: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def title_text(self) -> str:
        """The title as plain text (`""` when the line gives none), as `Topic.title_text`."""
        return plain(self.title)


@node
class Practice(Node):
    """A named practice. `id` is its stable identity across topics: the slug of its name,
    or the one an editor gave with `<!-- ranpaper: practice ID -->`."""

    type: Literal["practice"] = "practice"
    id: str
    explicit_id: bool = False
    head: Inline = field(default_factory=list)
    head_alone: bool = False
    separator: str = ""
    name: str | None = None
    organisation: str | None = None
    country: str | None = None
    url: str | None = None
    description: Inline = field(default_factory=list)
    span: Span

    def __str__(self) -> str:
        return self.name or plain(self.head)


@node
class Lesson(Prose):
    """One lesson or recommendation, with the ones nested under it."""

    text: Inline
    children: list[Lesson] = field(default_factory=list)
    span: Span


@node
class LessonGroup(Node):
    """Lessons under one caption ("Do's:", "For practitioners on …"), or none."""

    type: Literal["group"] = "group"
    title: Inline | None = None
    lessons: list[Lesson]
    span: Span

    def __str__(self) -> str:
        return plain(self.title or [])


@node
class Gap(Prose):
    """One thing that needs to be further explored: a paragraph or a (nested) bullet."""

    type: Literal["gap"] = "gap"
    text: Inline
    children: list[Gap] = field(default_factory=list)
    bullet: bool = False
    span: Span


# --- sections, topics, themes ----------------------------------------------------------------


class SectionKind(StrEnum):
    """A section's stable id. The heading a paper writes for it (`Meetings and papers`) is the
    profile's label (`ranpaper.profiles`), never the model's."""

    meetings = "meetings"
    practices = "practices"
    lessons = "lessons"
    gaps = "gaps"


@node
class Section(Node):
    """A fixed section of a topic, known by its id (`kind`). `heading` is as written (it may be
    misspelt: the parser matches it to the profile's label for `kind` and a rule reports the
    difference); `marked_empty` is the profile's empty marker (`None`) an editor writes to say
    the section is empty on purpose."""

    heading: str
    span: Span
    marked_empty: Span | None = None


@node
class MeetingsSection(Section):
    """*Meetings and papers*: the meetings of a topic, with any notes between them."""

    kind: Literal[SectionKind.meetings] = SectionKind.meetings
    items: list[Annotated[Meeting | Note, BY_TYPE]] = field(default_factory=list)

    def __iter__(self) -> Iterator[Meeting]:
        """The meetings, without the notes between them (`items` has both)."""
        return (item for item in self.items if isinstance(item, Meeting))


@node
class PracticesSection(Section):
    """*Practices*: the named practices of a topic, with any notes between them."""

    kind: Literal[SectionKind.practices] = SectionKind.practices
    items: list[Annotated[Practice | Note, BY_TYPE]] = field(default_factory=list)

    def __iter__(self) -> Iterator[Practice]:
        """The practices, without the notes between them (`items` has both)."""
        return (item for item in self.items if isinstance(item, Practice))


@node
class LessonsSection(Section):
    """*Lessons learned and recommendations*, in groups under their captions."""

    kind: Literal[SectionKind.lessons] = SectionKind.lessons
    items: list[Annotated[LessonGroup | Note, BY_TYPE]] = field(default_factory=list)

    def __iter__(self) -> Iterator[LessonGroup]:
        """The groups of lessons, without the notes between them (`items` has both)."""
        return (item for item in self.items if isinstance(item, LessonGroup))


@node
class GapsSection(Section):
    """*What needs to be further explored?*: the gaps of a topic."""

    kind: Literal[SectionKind.gaps] = SectionKind.gaps
    items: list[Gap] = field(default_factory=list)

    def __iter__(self) -> Iterator[Gap]:
        return iter(self.items)


AnySection = MeetingsSection | PracticesSection | LessonsSection | GapsSection


@node
class Topic(Node):
    """A topic of a main theme: its four sections and any topics nested under it."""

    title: Inline
    span: Span
    intro: list[Block] = field(default_factory=list)
    meetings: MeetingsSection | None = None
    practices: PracticesSection | None = None
    lessons: LessonsSection | None = None
    gaps: GapsSection | None = None
    topics: list[Topic] = field(default_factory=list)

    @property
    def title_text(self) -> str:
        return plain(self.title)

    def __str__(self) -> str:
        return self.title_text

    @property
    def sections(self) -> list[AnySection]:
        found = (self.meetings, self.practices, self.lessons, self.gaps)
        return [section for section in found if section is not None]

    def walk(self) -> Iterator[Topic]:
        """This topic and every topic below it, in document order."""
        yield self
        for sub in self.topics:
            yield from sub.walk()


@node
class Theme(Node):
    """A main theme of the paper (`# Main theme N: …`) and its topics."""

    number: int
    title: Inline
    span: Span
    intro: list[Block] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)

    @property
    def title_text(self) -> str:
        return plain(self.title)

    def __str__(self) -> str:
        return self.title_text

    def walk(self) -> Iterator[Topic]:
        for topic in self.topics:
            yield from topic.walk()


# --- the paper --------------------------------------------------------------------------------


@node
class Leader(Node):
    """A leader of the working group, with the period of their leadership."""

    name: str
    period: str
    group: str | None = None
    start: int | None = None
    end: int | None = None
    span: Span | None = None


@node
class Leaders(Node):
    """The working group's current and previous leaders."""

    current: list[Leader] = field(default_factory=list)
    previous: list[Leader] = field(default_factory=list)


@node
class Metadata(Node):
    """The front matter. Values that could not be read are None; the finding says why."""

    title: str | None = None
    working_group: str | None = None
    short_name: str | None = None
    kind: str | None = None
    date: dt.date | None = None
    language: str = "en"
    profile: str | None = None
    """The profile the front matter names, as written (`ranpaper.profiles`); None: not named."""
    translation_of: str | None = None
    """The paper this one translates (front matter `translation-of:`, a path relative to this
    paper): the translation parity rules compare the two (docs/translation.md)."""
    leaders: Leaders = field(default_factory=Leaders)
    span: Span | None = None


@node
class Footnote(Prose):
    """A footnote's definition (`[^label]: …`)."""

    label: str
    text: Inline
    span: Span


class ProblemKind(StrEnum):
    """What the parser can report. Each kind is reported by exactly one rule, whose module
    declares it (`PROBLEM = ProblemKind.…`); the parser names kinds, never rule codes, and a
    test holds every kind to a registered, documented rule."""

    front_matter = "front-matter"
    unplaced = "unplaced"
    raw_html = "raw-html"
    nesting = "nesting"
    leader_period = "leader-period"
    front_matter_date = "front-matter-date"
    heading_level_skip = "heading-level-skip"
    section_duplicate = "section-duplicate"
    unsafe_text = "unsafe-text"
    organiser_unknown = "organiser-unknown"
    list_marker_mixed = "list-marker-mixed"
    form_not_kept = "form-not-kept"


@node
class Problem(Node):
    """Something the parser met but could not place in the model, kept with its text so that
    nothing is silently dropped; the rule that declares its `kind` reports it."""

    kind: ProblemKind
    message: str
    span: Span
    hint: str | None = None
    text: str | None = None


@node
class Waiver(Node):
    """`<!-- ranpaper: ignore RP101 — reason -->`: silences `codes` on the lines of `target`."""

    codes: list[str]
    reason: str
    span: Span
    target: Span | None = None


@node
class Comment(Node):
    """An editor's HTML comment (`<!-- … -->`), kept verbatim with the span of the block it
    stands before (`target`, None at the end of the paper), so that the canonical writer puts
    it back where it stood. Waivers are comments too; `<!-- ranpaper: practice ID -->` is not
    kept here, the practice it names carries it."""

    text: str
    span: Span
    target: Span | None = None


@node
class Paper(Node):
    """A whole paper: its metadata, introduction, themes and footnotes."""

    path: str | None = None
    metadata: Metadata = field(default_factory=Metadata)
    introduction: list[Block] = field(default_factory=list)
    introduction_span: Span | None = None
    themes: list[Theme] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    # What the parser noted beside the content (`PARSER_NOTES`): not exported.
    problems: list[Problem] = field(default_factory=list)
    waivers: list[Waiver] = field(default_factory=list)
    ignored: list[Span] = field(default_factory=list)
    """Source that is deliberately not content: comments, directives, thematic breaks."""
    comments: list[Comment] = field(default_factory=list)
    """Editors' comments and waivers, verbatim, each with the block it stands before."""
    profile: Profile = field(default_factory=default_profile)
    """The vocabulary the paper was read with, which its outputs write (`ranpaper.profiles`);
    not exported: the JSON knows sections by id."""
    profile_failed: str | None = None
    """The profile the front matter names when it could not be loaded (a parser note): the
    paper was read with another one, so `check` reports that alone, not every heading."""

    def __repr__(self) -> str:
        """One line (the whole model is hundreds of KB): what the paper is, not all it holds."""
        topics = sum(len(theme.topics) for theme in self.themes)
        return (
            f"<Paper {self.metadata.title!r} path={self.path!r} themes={len(self.themes)} "
            f"topics={topics} problems={len(self.problems)}>"
        )

    def topics(self) -> Iterator[tuple[Theme, Topic]]:
        """Every topic of every theme, nested ones included, in document order."""
        for theme in self.themes:
            for topic in theme.walk():
                yield theme, topic

    def meetings(self) -> Iterator[tuple[Topic, Meeting]]:
        """Every meeting with the topic that lists it, in document order."""
        for _theme, topic in self.topics():
            for meeting in topic.meetings or ():
                yield topic, meeting

    def citations(self) -> Iterator[tuple[Topic, Practice]]:
        """Every practice card with the topic it stands in: a practice cited by three topics
        comes three times (see `practices` for each practice once)."""
        for _theme, topic in self.topics():
            for practice in topic.practices or ():
                yield topic, practice

    def practices(self) -> list[Practice]:
        """Each practice once (by `id`), as first written, in order of first citation."""
        unique: dict[str, Practice] = {}
        for _topic, practice in self.citations():
            unique.setdefault(practice.id, practice)
        return list(unique.values())

    def lessons(self) -> Iterator[tuple[Topic, Lesson]]:
        """Every lesson with its topic, nested ones too, depth first in document order."""
        for _theme, topic in self.topics():
            for group in topic.lessons or ():
                for lesson in _depth_first(group.lessons):
                    yield topic, lesson

    def gaps(self) -> Iterator[tuple[Topic, Gap]]:
        """Every gap (what needs to be further explored) with its topic, nested ones too."""
        for _theme, topic in self.topics():
            for gap in _depth_first(list(topic.gaps or ())):
                yield topic, gap


_Nested = TypeVar("_Nested", Lesson, Gap)


def _depth_first(items: list[_Nested]) -> Iterator[_Nested]:
    """Items and their children, depth first, without recursion."""
    stack = list(reversed(items))
    while stack:
        item = stack.pop()
        yield item
        stack.extend(reversed(item.children))


_POSITIONS = frozenset({"span", "date_span", "introduction_span", "path"})
# What the parser found beside the paper's content (see `Paper`); not part of its data.
PARSER_NOTES = frozenset({"problems", "waivers", "ignored", "comments", "profile_failed"})


def content(node: object) -> object:
    """A node's content as plain data without source positions: what a round trip must
    preserve."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return {
            item.name: (
                getattr(node, item.name) is not None
                if item.name == "marked_empty"
                else content(getattr(node, item.name))
            )
            for item in dataclasses.fields(node)
            if item.name not in _POSITIONS
            and item.name not in PARSER_NOTES
            and not isinstance(getattr(node, item.name), Profile)  # vocabulary, not content
        }
    if isinstance(node, list):
        return [content(item) for item in node]
    if isinstance(node, Enum):
        return node.value
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def _list_texts(items: list[ListItem] | list[Lesson] | list[Gap]) -> Iterator[tuple[Inline, Span]]:
    for item in items:
        yield item.text, item.span
        yield from _list_texts(item.children)


def block_texts(blocks: list[Block]) -> Iterator[tuple[Inline, Span]]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text, block.span
        else:
            yield from _list_texts(block.items)


def own_texts(topic: Topic) -> Iterator[tuple[Inline, Span, Meeting | None]]:
    """A topic's inline texts, without those of the topics nested under it, in document
    order; a meeting line's text comes with its meeting."""
    yield topic.title, topic.span, None
    for text, span in block_texts(topic.intro):
        yield text, span, None
    for section in topic.sections:
        for item in section.items:
            if isinstance(item, Meeting):
                yield item.text, item.span, item
            elif isinstance(item, Practice):
                yield item.head, item.span, None
                yield item.description, item.span, None
            elif isinstance(item, LessonGroup):
                if item.title is not None:
                    yield item.title, item.span, None
                for text, span in _list_texts(item.lessons):
                    yield text, span, None
            elif isinstance(item, Gap):
                for text, span in _list_texts([item]):
                    yield text, span, None
            else:
                yield item.text, item.span, None


def _topic_texts(topic: Topic) -> Iterator[tuple[Inline, Span]]:
    for text, span, _meeting in own_texts(topic):
        yield text, span
    for sub in topic.topics:
        yield from _topic_texts(sub)


def inline_texts(paper: Paper) -> Iterator[tuple[Inline, Span]]:
    """Every piece of inline text in the paper, in document order, with its block's span."""
    yield from block_texts(paper.introduction)
    for theme in paper.themes:
        yield theme.title, theme.span
        yield from block_texts(theme.intro)
        for topic in theme.topics:
            yield from _topic_texts(topic)
    for footnote in paper.footnotes:
        yield footnote.text, footnote.span
