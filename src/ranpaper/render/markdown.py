"""The model → canonical Markdown, the form `docs/authoring.md` describes.

Parsing what this writes gives an equal model (spans aside): that is tested on the real
paper and on generated ones. "Canonical" means normalised: sections in their fixed order,
`-` bullets indented by two spaces, one blank line between blocks, front-matter keys in a
fixed order, footnotes at the end. Editors' comments and waivers (`Paper.comments`) are written
back verbatim before the block they stood before, so `ranpaper fmt` keeps them.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from typing import TYPE_CHECKING

import yaml

from ranpaper.model import (
    Block,
    Break,
    BulletList,
    Code,
    Comment,
    Emphasis,
    FootnoteRef,
    Gap,
    GapsSection,
    Image,
    Inline,
    Lesson,
    LessonGroup,
    LessonsSection,
    Link,
    ListItem,
    Meeting,
    MeetingsSection,
    Metadata,
    Note,
    Paper,
    Paragraph,
    Practice,
    PracticesSection,
    RawHtml,
    Span,
    Strong,
    Text,
    Theme,
    Topic,
)
from ranpaper.render.cards import card_title
from ranpaper.urls import live_href

if TYPE_CHECKING:
    from ranpaper.profiles import Profile
    from ranpaper.render.brief import BriefPractice

_ALWAYS = re.compile(r"([\\`*_\[\]<])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=|~-]|\d+[.)])", re.MULTILINE)
_BULLETS = ("-", "*", "+")


def escape(text: str) -> str:
    text = _ALWAYS.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    return _LINE_START.sub(lambda m: m.group(1) + _escape_start(m.group(2)), text)


def _escape_start(token: str) -> str:
    if token[0].isdigit():
        return token[:-1] + "\\" + token[-1]
    return "\\" + token


def inline(nodes: Inline) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(escape(node.text))
        elif isinstance(node, Emphasis):
            out.append(f"*{inline(node.children)}*")
        elif isinstance(node, Strong):
            out.append(f"**{inline(node.children)}**")
        elif isinstance(node, Link):
            out.append(_link(node))
        elif isinstance(node, Image):
            out.append(f"![{escape(node.alt)}]({_target(node.src)})")
        elif isinstance(node, Code):
            fence = "`" * (max((len(run) for run in re.findall("`+", node.text)), default=0) + 1)
            pad = " " if node.text.startswith("`") or node.text.endswith("`") else ""
            out.append(f"{fence}{pad}{node.text}{pad}{fence}")
        elif isinstance(node, FootnoteRef):
            out.append(f"[^{node.label}]")
        elif isinstance(node, Break):
            out.append("\\\n" if node.hard else "\n")
        elif isinstance(node, RawHtml):
            out.append(node.text)
    # A paragraph's text must not start or end with spaces, which Markdown would strip.
    return "".join(out)


def heading(nodes: Inline) -> str:
    """Inline text for an ATX heading line."""
    return _closing_hashes(inline(nodes))


def _closing_hashes(text: str) -> str:
    # `## Title #` would lose its `#`: Markdown reads a trailing run of `#` as the closing
    # sequence of the heading, so escape the last one.
    stripped = text.rstrip()
    if stripped.endswith("#") and not stripped.endswith("\\#"):
        return stripped[:-1] + "\\#"
    return text


def _link(node: Link) -> str:
    if node.autolink:
        return f"<{node.url}>"
    return f"[{inline(node.children)}]({_target(node.url)})"


def _target(url: str) -> str:
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _indent(text: str, prefix: str) -> str:
    return text.replace("\n", "\n" + prefix)


def _items(items: list[ListItem] | list[Lesson] | list[Gap], depth: int, marker: str) -> str:
    lines: list[str] = []
    pad = "  " * depth
    for item in items:
        lines.append(f"{pad}{marker} {_indent(inline(item.text), pad + '  ')}")
        if item.children:
            lines.append(_items(item.children, depth + 1, marker))
    return "\n".join(lines)


class _Writer:
    """Collects blocks, choosing list markers so that adjacent lists stay separate."""

    def __init__(self, comments: list[Comment] | None = None) -> None:
        self.blocks: list[str] = []
        self.last_was_list = False
        self.marker_index = 0
        # Comments wait for the block they stood before (or the end, when they stood last).
        self.comments = list(comments or [])

    def at(self, span: Span | None) -> None:
        """Write the comments that stood before the block at `span` (or before any earlier
        block: a comment is never moved after a block it preceded)."""
        if span is None:
            return
        while self.comments:
            target = self.comments[0].target or _END
            if target.line > span.line:
                return
            self.add(self.comments.pop(0).text)

    def comment_due(self, span: Span) -> bool:
        """Whether a comment stood before the item at `span`: a list must be split there."""
        return bool(self.comments) and (self.comments[0].target or _END).line <= span.line

    def add(self, text: str, span: Span | None = None) -> None:
        self.at(span)
        self.blocks.append(text)
        self.last_was_list = False

    def add_list(
        self, items: list[ListItem] | list[Lesson] | list[Gap], span: Span | None = None
    ) -> None:
        self.at(span)
        # Two lists in a row would merge into one: a different marker keeps them apart.
        self.marker_index = (self.marker_index + 1) % 3 if self.last_was_list else 0
        self.blocks.append(_items(items, 0, _BULLETS[self.marker_index]))
        self.last_was_list = True

    def prose(self, blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                self.add(inline(block.text), block.span)
            elif isinstance(block, BulletList):
                self.add_list(block.items, block.span)

    def text(self) -> str:
        self.at(_END)
        return "\n\n".join(self.blocks) + "\n"


# Past every line: where the comments that stood at the end of the paper are written.
_END = Span(line=2**62, end_line=2**62)


class _Dumper(yaml.SafeDumper):
    """Indents a list under its key, as the paper's front matter does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def front_matter(metadata: Metadata) -> str:
    data: dict[str, object] = {}
    for key in ("title", "working_group", "short_name", "kind"):
        value = getattr(metadata, key)
        if value is not None:
            data[key] = value
    if metadata.date is not None:
        data["date"] = metadata.date  # written as YAML's plain date, 2021-11-24
    data["language"] = metadata.language
    if metadata.profile is not None:
        data["profile"] = metadata.profile
    if metadata.translation_of is not None:
        data["translation-of"] = metadata.translation_of
    leaders = {}
    for group in ("current", "previous"):
        entries = getattr(metadata.leaders, group)
        if entries:
            leaders[group] = [
                {
                    "name": leader.name,
                    **({"group": leader.group} if leader.group else {}),
                    "period": leader.period,
                }
                for leader in entries
            ]
    if leaders:
        data["leaders"] = leaders
    dumped = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )
    return f"---\n{dumped}---"


def write_markdown(paper: Paper) -> str:
    out = _Writer(paper.comments)
    profile = paper.profile
    out.add(front_matter(paper.metadata))
    if paper.introduction_span is not None or paper.introduction:
        out.add(f"# {escape(profile.introduction)}", paper.introduction_span)
        out.prose(paper.introduction)
    for theme in paper.themes:
        out.add(
            f"# {escape(profile.theme_prefix(theme.number))} {heading(theme.title)}", theme.span
        )
        out.prose(theme.intro)
        for topic in theme.topics:
            _topic(out, topic, 2, profile.empty)
    for footnote in paper.footnotes:
        out.add(f"[^{footnote.label}]: {_indent(inline(footnote.text), '    ')}", footnote.span)
    return out.text()


def _topic(out: _Writer, topic: Topic, level: int, empty: str) -> None:
    out.add(f"{'#' * level} {heading(topic.title)}", topic.span)
    out.prose(topic.intro)
    for section in topic.sections:
        out.add(f"{'#' * (level + 1)} {_closing_hashes(escape(section.heading))}", section.span)
        if section.marked_empty is not None:
            out.add(escape(empty), section.marked_empty)
        if isinstance(section, MeetingsSection):
            _meetings(out, section)
        elif isinstance(section, PracticesSection):
            _practices(out, section)
        elif isinstance(section, LessonsSection):
            _lessons(out, section)
        elif isinstance(section, GapsSection):
            _gaps(out, section)
    for sub in topic.topics:
        _topic(out, sub, level + 1, empty)


def _meetings(out: _Writer, section: MeetingsSection) -> None:
    run: list[ListItem] = []
    for item in [*section.items, None]:
        if isinstance(item, Meeting):
            if run and out.comment_due(item.span):
                out.add_list(run, run[0].span)
                run = []
            if not run:
                out.at(item.span)  # the comments before the list, not inside it
            run.append(ListItem(text=item.text, span=item.span))
            continue
        if run:
            out.add_list(run, run[0].span)
            run = []
        if isinstance(item, Note):
            out.add(inline(item.text), item.span)


def _practices(out: _Writer, section: PracticesSection) -> None:
    for item in section.items:
        if isinstance(item, Note):
            out.add(inline(item.text), item.span)
            continue
        assert isinstance(item, Practice)
        out.at(item.span)
        if item.explicit_id:
            out.add(f"<!-- ranpaper: practice {item.id} -->")
        if item.head_alone:
            out.add(inline(item.head) + item.separator.rstrip())
            if item.description:
                # A comment written between a practice's name and its description stays there.
                out.at(replace(item.span, line=item.span.end_line))
                out.add(inline(item.description))
        else:
            out.add(inline(item.head) + item.separator + inline(item.description))


def _lessons(out: _Writer, section: LessonsSection) -> None:
    previous: LessonGroup | Note | None = None
    for item in section.items:
        if isinstance(item, Note):
            out.add(inline(item.text), item.span)
        else:
            assert isinstance(item, LessonGroup)
            out.at(item.span)
            if item.title is not None:
                out.add(inline(item.title))
            elif isinstance(previous, Note):
                # Without this, the note above would be read as the list's caption.
                out.add("<!-- -->")
            out.add_list(item.lessons, item.lessons[0].span if item.lessons else None)
        previous = item


def _gaps(out: _Writer, section: GapsSection) -> None:
    run: list[Gap] = []
    for item in [*section.items, None]:
        if item is not None and item.bullet:
            if run and out.comment_due(item.span):
                out.add_list(run, run[0].span)
                run = []
            if not run:
                out.at(item.span)  # the comments before the list, not inside it
            run.append(item)
            continue
        if run:
            out.add_list(run, run[0].span)
            run = []
        if item is not None:
            out.add(inline(item.text), item.span)


def _as_text(node: object) -> object:
    """`node` as a brief writes it: every raw HTML piece turned into text (a brief is read
    where Markdown is rendered — a forge, a wiki — so raw HTML from the paper, `<img
    onerror=…>`, `<script>`, is escaped there as the HTML output escapes it, never passed
    through), and every link no output may make live (a lost `#` target, an unsafe scheme)
    written as its text, as the PDF prints it: a brief never carries a dead link."""
    if isinstance(node, RawHtml):
        return Text(text=node.text)
    if isinstance(node, list):
        out: list[object] = []
        for item in node:
            if isinstance(item, Link) and live_href(item.url) is None:
                out.extend(_as_text(item.children))  # type: ignore[arg-type]
            else:
                out.append(_as_text(item))
        return out
    if is_dataclass(node) and not isinstance(node, type):
        values = {f.name: getattr(node, f.name) for f in fields(node)}
        changes = {
            name: _as_text(value)
            for name, value in values.items()
            if isinstance(value, list | RawHtml) or is_dataclass(value)
        }
        return replace(node, **changes) if changes else node
    return node


def write_brief(paper: Paper, theme: Theme, paper_pdf: str | None = None) -> str:
    """A theme's brief as Markdown, laid out from its plan (`render/brief.py`), as its PDF and
    Word forms are: the theme's and its topics' introductions; what a practitioner acts on
    first (lessons, gaps, each under its topic's whole path), then each practice once with the
    topics that cite it, then the meetings; the paper's date and the full paper named at the
    top, with a link to the theme in the paper's PDF at `paper_pdf` (relative to the brief),
    and the definitions of the footnotes it cites at the end."""
    from ranpaper.render import brief

    theme = _as_text(theme)  # type: ignore[assignment]
    plan = brief.plan(paper, theme)
    out = _Writer()
    meta = paper.metadata
    profile = paper.profile
    date = profile.format_day(meta.date.day, meta.date.month, meta.date.year) if meta.date else None
    out.add(f"# {escape(profile.theme_prefix(theme.number))} {heading(theme.title)}")
    title = escape(meta.title or profile.word("the-paper"))
    source = "*" + profile.word("brief-markdown-source", title=title)
    if meta.working_group:
        source += f", {escape(meta.working_group)}"
    if date:
        source += f", {escape(date)}"
    out.add(source + "*: " + escape(profile.word("brief-markdown-reference", number=theme.number)))
    link = brief.paper_link(paper, theme, paper_pdf)
    if link is not None:
        before, after = profile.around("brief-link", "file")
        out.add(f"{escape(before)}[{escape(link.file)}]({link.href}){escape(after)}")
    out.prose(theme.intro)
    for path, intro in plan.intros:
        out.add(f"## {_closing_hashes(escape(path))}")
        out.prose(intro)
    out.add(f"## {escape(profile.label('lessons'))}")
    for path, lessons in plan.lessons:
        out.add(f"### {_closing_hashes(escape(path))}")
        _lessons(out, lessons)
    out.add(f"## {escape(profile.label('gaps'))}")
    for path, gaps in plan.gaps:
        out.add(f"### {_closing_hashes(escape(path))}")
        _gaps(out, gaps)
    if plan.practices or plan.leads:
        out.add(f"## {escape(profile.label('practices'))}")
    for leads, cards in plan.practice_groups:
        for path, note in leads:
            out.add(f"*{escape(path)}:* {inline(note.text)}")
        for cited in cards:
            _brief_practice(out, cited, profile)
    out.add(f"## {escape(profile.label('meetings'))}")
    out.add_list([ListItem(text=m.text, span=m.span) for m in plan.meetings])
    for path, note in plan.meeting_notes:
        out.add(f"*{escape(path)}:* {inline(note.text)}")
    for footnote in plan.footnotes:
        text = inline(_as_text(footnote.text))  # type: ignore[arg-type]
        out.add(f"[^{footnote.label}]: {_indent(text, '    ')}")
    return out.text()


def _brief_practice(out: _Writer, cited: BriefPractice, profile: Profile) -> None:
    """A practice of a brief: its card, what other topics say of it, the paragraphs after it
    and the topics citing it."""
    practice = cited.practice
    # The card's title, as the PDF shows it (`render.cards`).
    title = inline(card_title(practice, dead_links_as_text=True))
    out.add(f"### {_closing_hashes(title)}")
    if practice.description:
        out.add(inline(practice.description))
    for path, card, show_head, show_text in cited.also:
        # A head written in bold is bold already: `**` around `**name**` would print stars.
        bold = all(isinstance(node, Strong) for node in card.head)
        head = (inline(card.head) if bold else f"**{inline(card.head)}**") if show_head else ""
        text = inline(card.description) if show_text else ""
        joint = (card.separator or " ") if head and text else ""
        out.add(f"*{escape(path)}:* {head}{joint}{text}")
    for _path, note in cited.notes:
        out.add(inline(note.text))
    cited_in = escape(profile.word("cited-in"))
    out.add(f"*{cited_in}: " + escape("; ".join(cited.topics)) + "*")
