"""The typed model of an overview paper.

The model is what every rule and renderer reads. It knows nothing of Markdown, HTML or PDF:
inline text is a small tree of typed nodes (text, emphasis, strong, link, footnote
reference), and every block-level node carries the `Span` it came from so that a finding can
point at the source.

Shape: `Paper` → `Theme` → `Topic` (recursive) → four sections, each holding its items:
`Meeting`s, `Practice`s, `LessonGroup`s of nested `Lesson`s, and `Gap`s. Prose that is not
an item (an introductory sentence inside a section) is kept as a `Note` in its place.
"""

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticUndefined

from ranpaper.dates import DateRange


class Model(BaseModel):
    # Validators are built on first validation, never at import: `ranpaper check` needs none.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    @classmethod
    def make(cls, **values: Any) -> Self:
        """An instance from values the parser has already checked: no validation, as with
        `model_construct`, but strict about names (a missing required field or an unknown
        one is a `TypeError`) and with the defaults worked out once per class. The parser
        makes a few thousand nodes per paper, and `model_construct` resolving every default
        on every call was a third of its time."""
        template, required, factories = _PLANS.get(cls) or _plan(cls)
        fields = template.copy()  # every field in order, holding its default
        fields.update(values)
        if len(fields) != len(template) or not required <= values.keys():
            unknown = sorted(values.keys() - template.keys())
            missing = sorted(required - values.keys())
            raise TypeError(f"{cls.__name__}.make(): unknown {unknown}, missing {missing}")
        for name, factory in factories:
            if name not in values:
                fields[name] = factory()
        instance = cls.__new__(cls)
        _setattr(instance, "__dict__", fields)
        _setattr(instance, "__pydantic_fields_set__", set(values))
        _setattr(instance, "__pydantic_extra__", None)
        _setattr(instance, "__pydantic_private__", None)
        return instance


_setattr = object.__setattr__
# Per class: every field with its default (None where a factory or the caller supplies it),
# the required fields, and the fields whose default is made per instance.
_Plan = tuple[dict[str, Any], frozenset[str], tuple[tuple[str, Callable[[], Any]], ...]]
_PLANS: dict[type, _Plan] = {}


def _plan(cls: type[BaseModel]) -> _Plan:
    template: dict[str, Any] = {}
    required: set[str] = set()
    factories: list[tuple[str, Callable[[], Any]]] = []
    for name, field in cls.model_fields.items():
        template[name] = None
        if field.default_factory is not None:
            factories.append((name, field.default_factory))  # type: ignore[arg-type]
        elif field.default is PydanticUndefined:
            required.add(name)
        elif isinstance(field.default, list | dict | set):
            # A mutable default is copied per instance, as pydantic does.
            factories.append((name, lambda value=field.default: copy.copy(value)))
        else:
            template[name] = field.default
    plan = _PLANS[cls] = (template, frozenset(required), tuple(factories))
    return plan


class Span(Model):
    """Where a node was written: 1-based line and column, end inclusive of the last line."""

    line: int
    column: int = 1
    end_line: int
    end_column: int = 1


# --- inline text -----------------------------------------------------------------------------


class Text(Model):
    type: Literal["text"] = "text"
    text: str


class Code(Model):
    type: Literal["code"] = "code"
    text: str


class Break(Model):
    """A line break inside a paragraph; `hard` when the author forced it."""

    type: Literal["break"] = "break"
    hard: bool = False


class RawHtml(Model):
    """HTML written in the source. It is never passed through: renderers escape it."""

    type: Literal["html"] = "html"
    text: str


class Emphasis(Model):
    type: Literal["emphasis"] = "emphasis"
    children: list["InlineNode"]


class Strong(Model):
    type: Literal["strong"] = "strong"
    children: list["InlineNode"]


class Link(Model):
    """A link as written. A lost target is kept as it is (`#` or empty), never guessed."""

    type: Literal["link"] = "link"
    url: str
    children: list["InlineNode"]
    autolink: bool = False
    span: Span | None = None

    @property
    def text(self) -> str:
        return plain(self.children)

    @property
    def is_lost(self) -> bool:
        return self.url.strip() in ("", "#")


class Image(Model):
    """An image as written; renderers fetch it only from inside the paper's own folder."""

    type: Literal["image"] = "image"
    src: str
    alt: str = ""
    span: Span | None = None


class FootnoteRef(Model):
    type: Literal["footnote_ref"] = "footnote_ref"
    label: str
    span: Span | None = None


InlineNode = Annotated[
    Text | Code | Break | RawHtml | Emphasis | Strong | Link | Image | FootnoteRef,
    Field(discriminator="type"),
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


# --- prose blocks ------------------------------------------------------------------------------


class Paragraph(Model):
    type: Literal["paragraph"] = "paragraph"
    text: Inline
    span: Span


class ListItem(Model):
    text: Inline
    children: list["ListItem"] = []
    span: Span


class BulletList(Model):
    type: Literal["list"] = "list"
    items: list[ListItem]
    span: Span


Block = Annotated[Paragraph | BulletList, Field(discriminator="type")]


class Note(Model):
    """Prose inside a section that is not one of its items (e.g. an introductory sentence)."""

    type: Literal["note"] = "note"
    text: Inline
    span: Span


# --- section items -----------------------------------------------------------------------------


class MeetingKind(StrEnum):
    wg_meeting = "wg-meeting"
    meeting = "meeting"
    plenary = "plenary"
    paper = "paper"
    manual = "manual"
    brochure = "brochure"
    webinar = "webinar"
    academy = "academy"
    study_visit = "study-visit"
    policy_practice = "policy-practice-event"
    workshop = "workshop"
    expert_meeting = "expert-meeting"


class Meeting(Model):
    """One line of *Meetings and papers*: the line as written plus the parts read from it.

    Parts the line does not give stay empty (`place` is None for a paper); `date` is None
    when no date could be read, and then `date_text` holds what was written, if anything.
    """

    type: Literal["meeting"] = "meeting"
    text: Inline
    span: Span
    organisers: list[str] = []
    kind: MeetingKind | None = None
    title: str | None = None
    links: list[Link] = []
    author: str | None = None
    place: str | None = None
    date: DateRange | None = None
    date_text: str | None = None
    date_span: Span | None = None
    forthcoming: bool = False
    notes: list[str] = []


class Practice(Model):
    """A named practice. `id` is its stable identity across topics: the slug of its name,
    or the one an editor gave with `<!-- ranpaper: practice ID -->`."""

    type: Literal["practice"] = "practice"
    id: str
    explicit_id: bool = False
    head: Inline = []
    head_alone: bool = False
    separator: str = ""
    name: str | None = None
    organisation: str | None = None
    country: str | None = None
    url: str | None = None
    description: Inline = []
    span: Span


class Lesson(Model):
    text: Inline
    children: list["Lesson"] = []
    span: Span


class LessonGroup(Model):
    """Lessons under one caption ("Do's:", "For practitioners on …"), or none."""

    type: Literal["group"] = "group"
    title: Inline | None = None
    lessons: list[Lesson]
    span: Span


class Gap(Model):
    """One thing that needs to be further explored: a paragraph or a (nested) bullet."""

    type: Literal["gap"] = "gap"
    text: Inline
    children: list["Gap"] = []
    bullet: bool = False
    span: Span


# --- sections, topics, themes ----------------------------------------------------------------


class SectionKind(StrEnum):
    meetings = "Meetings and papers"
    practices = "Practices"
    lessons = "Lessons learned and recommendations"
    gaps = "What needs to be further explored?"


class Section(Model):
    """A fixed section of a topic. `heading` is as written (it may be misspelt: the parser
    matches it to `kind` and a rule reports the difference); `marked_empty` is the `None`
    an editor writes to say the section is empty on purpose."""

    heading: str
    span: Span
    marked_empty: Span | None = None


class MeetingsSection(Section):
    kind: Literal[SectionKind.meetings] = SectionKind.meetings
    items: list[Annotated[Meeting | Note, Field(discriminator="type")]] = []

    @property
    def meetings(self) -> list[Meeting]:
        return [item for item in self.items if isinstance(item, Meeting)]


class PracticesSection(Section):
    kind: Literal[SectionKind.practices] = SectionKind.practices
    items: list[Annotated[Practice | Note, Field(discriminator="type")]] = []

    @property
    def practices(self) -> list[Practice]:
        return [item for item in self.items if isinstance(item, Practice)]


class LessonsSection(Section):
    kind: Literal[SectionKind.lessons] = SectionKind.lessons
    items: list[Annotated[LessonGroup | Note, Field(discriminator="type")]] = []

    @property
    def groups(self) -> list[LessonGroup]:
        return [item for item in self.items if isinstance(item, LessonGroup)]


class GapsSection(Section):
    kind: Literal[SectionKind.gaps] = SectionKind.gaps
    items: list[Gap] = []


AnySection = MeetingsSection | PracticesSection | LessonsSection | GapsSection


class Topic(Model):
    title: Inline
    span: Span
    intro: list[Block] = []
    meetings: MeetingsSection | None = None
    practices: PracticesSection | None = None
    lessons: LessonsSection | None = None
    gaps: GapsSection | None = None
    topics: list["Topic"] = []

    @property
    def title_text(self) -> str:
        return plain(self.title)

    @property
    def sections(self) -> list[AnySection]:
        found = (self.meetings, self.practices, self.lessons, self.gaps)
        return [section for section in found if section is not None]

    def walk(self) -> Iterator["Topic"]:
        """This topic and every topic below it, in document order."""
        yield self
        for sub in self.topics:
            yield from sub.walk()


class Theme(Model):
    number: int
    title: Inline
    span: Span
    intro: list[Block] = []
    topics: list[Topic] = []

    @property
    def title_text(self) -> str:
        return plain(self.title)

    def walk(self) -> Iterator[Topic]:
        for topic in self.topics:
            yield from topic.walk()


# --- the paper --------------------------------------------------------------------------------


class Leader(Model):
    name: str
    period: str
    group: str | None = None
    start: int | None = None
    end: int | None = None
    span: Span | None = None


class Leaders(Model):
    current: list[Leader] = []
    previous: list[Leader] = []


class Metadata(Model):
    """The front matter. Values that could not be read are None; the finding says why."""

    title: str | None = None
    working_group: str | None = None
    short_name: str | None = None
    kind: str | None = None
    date: dt.date | None = None
    language: str = "en"
    leaders: Leaders = Field(default_factory=lambda: Leaders.make())
    span: Span | None = None


class Footnote(Model):
    label: str
    text: Inline
    span: Span


class Problem(Model):
    """Something the parser met but could not place in the model, kept with its text so that
    nothing is silently dropped; the checker reports it under `code`."""

    code: str
    message: str
    span: Span
    hint: str | None = None
    text: str | None = None


class Waiver(Model):
    """`<!-- ranpaper: ignore RP101 — reason -->`: silences `codes` on the lines of `target`."""

    codes: list[str]
    reason: str
    span: Span
    target: Span | None = None


class Paper(Model):
    path: str | None = None
    metadata: Metadata = Field(default_factory=lambda: Metadata.make())
    introduction: list[Block] = []
    introduction_span: Span | None = None
    themes: list[Theme] = []
    footnotes: list[Footnote] = []
    problems: list[Problem] = Field(default=[], exclude=True)
    waivers: list[Waiver] = Field(default=[], exclude=True)
    ignored: list[Span] = Field(default=[], exclude=True)
    """Source that is deliberately not content: comments, directives, thematic breaks."""

    def topics(self) -> Iterator[tuple[Theme, Topic]]:
        """Every topic of every theme, nested ones included, in document order."""
        for theme in self.themes:
            for topic in theme.walk():
                yield theme, topic

    def meetings(self) -> Iterator[tuple[Topic, Meeting]]:
        for _theme, topic in self.topics():
            if topic.meetings:
                for meeting in topic.meetings.meetings:
                    yield topic, meeting

    def practices(self) -> Iterator[tuple[Topic, Practice]]:
        for _theme, topic in self.topics():
            if topic.practices:
                for practice in topic.practices.practices:
                    yield topic, practice


_POSITIONS = frozenset({"span", "date_span", "introduction_span", "path"})


def content(model: BaseModel) -> object:
    """The model's content without source positions: what a round trip must preserve."""

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {
                key: (item is not None if key == "marked_empty" else strip(item))
                for key, item in value.items()
                if key not in _POSITIONS
            }
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    return strip(model.model_dump(mode="json"))


def _list_texts(items: list[ListItem] | list[Lesson] | list[Gap]) -> Iterator[tuple[Inline, Span]]:
    for item in items:
        yield item.text, item.span
        yield from _list_texts(item.children)


def _block_texts(blocks: list[Block]) -> Iterator[tuple[Inline, Span]]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text, block.span
        else:
            yield from _list_texts(block.items)


def _topic_texts(topic: Topic) -> Iterator[tuple[Inline, Span]]:
    yield topic.title, topic.span
    yield from _block_texts(topic.intro)
    for section in topic.sections:
        for item in section.items:
            if isinstance(item, Practice):
                yield item.head, item.span
                yield item.description, item.span
            elif isinstance(item, LessonGroup):
                if item.title is not None:
                    yield item.title, item.span
                yield from _list_texts(item.lessons)
            elif isinstance(item, Gap):
                yield from _list_texts([item])
            else:
                yield item.text, item.span
    for sub in topic.topics:
        yield from _topic_texts(sub)


def inline_texts(paper: Paper) -> Iterator[tuple[Inline, Span]]:
    """Every piece of inline text in the paper, in document order, with its block's span."""
    yield from _block_texts(paper.introduction)
    for theme in paper.themes:
        yield theme.title, theme.span
        yield from _block_texts(theme.intro)
        for topic in theme.topics:
            yield from _topic_texts(topic)
    for footnote in paper.footnotes:
        yield footnote.text, footnote.span
