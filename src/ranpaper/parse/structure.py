"""markdown-it's block tree → `Paper`: headings open themes, topics and sections; the blocks
under a heading become the items of whatever it opened.

Heading roles, decided by text and not by level (so another paper may use other levels):
`Introduction`, `Main theme N: …`, one of the four section titles (or something close to one,
which is kept as that section and reported), and anything else is a topic, nested by level.
Those words are the paper's profile's (`ranpaper.profiles`), never written here.
Whatever cannot be placed becomes a `Problem` carrying its text: nothing is dropped.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import cache

from markdown_it.tree import SyntaxTreeNode

from ranpaper.model import (
    AnySection,
    Block,
    BulletList,
    Comment,
    Footnote,
    Gap,
    GapsSection,
    Inline,
    Lesson,
    LessonGroup,
    LessonsSection,
    ListItem,
    Meeting,
    MeetingKind,
    MeetingsSection,
    Note,
    Paragraph,
    Practice,
    PracticesSection,
    Problem,
    ProblemKind,
    SectionKind,
    Span,
    Text,
    Theme,
    Topic,
    Waiver,
    plain,
)
from ranpaper.parse.inline import SourceLocator, convert_inline, merge_text
from ranpaper.parse.meeting import meeting_from_item
from ranpaper.parse.practice import has_head, practice_from_paragraph
from ranpaper.profiles import Profile, default_profile

DIRECTIVE = re.compile(r"^<!--\s*ranpaper:\s*(.*?)\s*-->\s*$", re.DOTALL)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _spellings(profile: Profile) -> dict[str, SectionKind]:
    return {
        _key(spelling): SectionKind(section.id)
        for section in profile.sections
        for spelling in (section.label, *section.spellings)
    }


@cache
def _section_titles(profile: Profile) -> dict[str, SectionKind]:
    """Each heading read as a section, as a key (`_key`) → the section's id: the spellings the
    profile accepts, and under another profile the default one's too. A topic that kept the
    default headings (`Meetings and papers` in a French paper) is read as those sections and
    reported as misspelt (with the profile's label as its fix), rather than read as
    sub-topics whose meetings no output would list as meetings."""
    titles = _spellings(profile)
    default = default_profile()
    if profile != default:
        for key, kind in _spellings(default).items():
            titles.setdefault(key, kind)
    return titles


def section_kind(heading: str, profile: Profile | None = None) -> tuple[SectionKind | None, bool]:
    """(kind, exact): which fixed section a heading names in `profile` (default: the default
    profile), and whether it is spelt as the profile accepts."""
    titles = _section_titles(profile or default_profile())
    key = _key(heading)
    if key in titles:
        return titles[key], True
    close = difflib.get_close_matches(key, list(titles), n=1, cutoff=0.75)
    if close:
        return titles[close[0]], False
    return None, False


@cache
def _meeting_kinds(profile: Profile) -> tuple[tuple[str, MeetingKind], ...]:
    return tuple((phrase, MeetingKind(kind)) for phrase, kind in profile.meeting_kinds)


@dataclass
class _TopicDraft:
    level: int
    title: Inline
    span: Span
    intro: list[Block] = field(default_factory=list)
    sections: dict[SectionKind, AnySection] = field(default_factory=dict)
    current: SectionKind | None = None
    topics: list[_TopicDraft] = field(default_factory=list)

    def build(self) -> Topic:
        sections = {kind.name: section for kind, section in self.sections.items()}
        return Topic(
            title=self.title,
            span=self.span,
            intro=list(self.intro),
            topics=[sub.build() for sub in self.topics],
            **sections,  # type: ignore[arg-type]  # each kind's section is of its own class
        )


@dataclass
class _ThemeDraft:
    level: int
    number: int
    title: Inline
    span: Span
    intro: list[Block] = field(default_factory=list)
    topics: list[_TopicDraft] = field(default_factory=list)

    def build(self) -> Theme:
        return Theme(
            number=self.number,
            title=self.title,
            span=self.span,
            intro=list(self.intro),
            topics=[topic.build() for topic in self.topics],
        )


_Stacked = tuple["_TopicDraft", int, dict[SectionKind, AnySection], SectionKind | None, int]
"""A stacked topic's draft, its intro's and sub-topics' lengths, its sections and current one."""


@dataclass(frozen=True, eq=False)
class _Snapshot:
    """`StructureBuilder.snapshot`'s record."""

    counts: tuple[int, ...]
    introduction: list[Block] | None
    introduction_len: int
    introduction_span: Span | None
    theme: tuple[int, int] | None
    stack: tuple[_Stacked, ...]
    last_heading_level: int
    skip: tuple[int, int, int] | None
    pending_practice_id: str | None
    pending_waivers: tuple[Waiver, ...]
    pending_comments: tuple[Comment, ...]


@dataclass(frozen=True, eq=False)
class _Tail:
    """`StructureBuilder.tail`'s record: what a walk added after the snapshot `at`, and
    where it ended."""

    at: _Snapshot
    lists: tuple[tuple, ...]
    themes: tuple[_ThemeDraft, ...]
    last_theme: _ThemeDraft | None
    last_theme_added: tuple[tuple[Block, ...], tuple[_TopicDraft, ...]]
    practices: tuple[tuple[str, Practice], ...]
    introduction: list[Block] | None
    introduction_added: tuple[Block, ...]
    introduction_span: Span | None
    stacked: tuple[tuple[tuple[Block, ...], tuple[_TopicDraft, ...], dict], ...]
    """For each topic on the stack at `at`: what was added to its intro and sub-topics, and
    its sections at the end."""
    currents: tuple[SectionKind | None, ...]
    stack: tuple[_TopicDraft, ...]
    last_heading_level: int
    skip: tuple[int, int, int] | None
    pending_practice_id: str | None
    pending_waivers: tuple[Waiver, ...]
    pending_comments: tuple[Comment, ...]


def _moved(
    snapshot: _Snapshot,
    at: _Snapshot,
    now: _Snapshot,
    drafts: dict[int, _TopicDraft],
    introduction: list[Block] | None,
) -> _Snapshot:
    """A snapshot taken after `at` by a walk whose state at `at` is now `now` (see
    `StructureBuilder.splice`): its lengths moved by what changed before it, its drafts and
    sections this walk's."""
    counts = tuple(
        count + (moved - was) if index < 5 else count
        for index, (count, moved, was) in enumerate(
            zip(snapshot.counts, now.counts, at.counts, strict=True)
        )
    )
    own, length = snapshot.introduction, snapshot.introduction_len
    if own is not None and own is at.introduction:
        own, length = introduction, length + now.introduction_len - at.introduction_len
    theme = snapshot.theme
    if theme is not None and snapshot.counts[5] == at.counts[5] and at.theme and now.theme:
        theme = (theme[0] + now.theme[0] - at.theme[0], theme[1] + now.theme[1] - at.theme[1])
    pairs = {id(old[0]): (old, new) for old, new in zip(at.stack, now.stack, strict=True)}
    stack = []
    for entry in snapshot.stack:
        draft, intro, sections, current, topics = entry
        pair = pairs.get(id(draft))
        if pair is None:  # a topic that walk opened after `at`
            stack.append(entry)
            continue
        old, new = pair
        sections = {
            kind: new[2][kind] if section is old[2].get(kind) else section
            for kind, section in sections.items()
        }
        moved = (intro + new[1] - old[1], topics + new[4] - old[4])
        stack.append((drafts[id(draft)], moved[0], sections, current, moved[1]))
    return replace(
        snapshot,
        counts=counts,
        introduction=own,
        introduction_len=length,
        theme=theme,
        stack=tuple(stack),
    )


class StructureBuilder:
    """Walks the top-level blocks once, in order, keeping where it is (theme, topic stack,
    section) and appending each block where it belongs."""

    def __init__(
        self,
        lines: list[str],
        working_groups: frozenset[str] | None = None,
        profile: Profile | None = None,
    ) -> None:
        self.lines = lines
        self.profile = profile or default_profile()
        self.working_groups = working_groups or self.profile.working_groups
        self.problems: list[Problem] = []
        self.waivers: list[Waiver] = []
        self.footnotes: list[Footnote] = []
        self.introduction: list[Block] | None = None
        self.introduction_span: Span | None = None
        self.themes: list[_ThemeDraft] = []
        self.stack: list[_TopicDraft] = []
        self.last_heading_level = 0
        self.skip: tuple[int, int, int] | None = None  # (level above, level written, line)
        self.pending_practice_id: str | None = None
        self.pending_waivers: list[Waiver] = []
        self.first_practice: dict[str, Practice] = {}
        self.ignored: list[Span] = []
        self.comments: list[Comment] = []
        self.pending_comments: list[Comment] = []

    # --- resuming (ranpaper.parse.incremental) ------------------------------------------------

    def snapshot(self) -> _Snapshot:
        """The builder's state between two blocks, enough to `restore` it after it walked on.

        The builder only appends to its lists, and of its drafts it changes only those it can
        still reach: the introduction while no theme is open, the last theme, and the topics
        on the stack (a draft that left the stack never comes back). So their lengths, the
        stack, and each stacked topic's sections and current section are the whole state."""
        return _Snapshot(
            counts=(
                len(self.problems),
                len(self.waivers),
                len(self.footnotes),
                len(self.ignored),
                len(self.comments),
                len(self.themes),
                len(self.first_practice),
            ),
            introduction=self.introduction,
            introduction_len=len(self.introduction or []),
            introduction_span=self.introduction_span,
            theme=(
                (len(self.themes[-1].intro), len(self.themes[-1].topics)) if self.themes else None
            ),
            stack=tuple(
                (draft, len(draft.intro), dict(draft.sections), draft.current, len(draft.topics))
                for draft in self.stack
            ),
            last_heading_level=self.last_heading_level,
            skip=self.skip,
            pending_practice_id=self.pending_practice_id,
            pending_waivers=tuple(self.pending_waivers),
            pending_comments=tuple(self.pending_comments),
        )

    def restore(self, snapshot: _Snapshot) -> None:
        """Go back to the state `snapshot` took (see there)."""
        problems, waivers, footnotes, ignored, comments, themes, practices = snapshot.counts
        del self.problems[problems:]
        del self.waivers[waivers:]
        del self.footnotes[footnotes:]
        del self.ignored[ignored:]
        del self.comments[comments:]
        del self.themes[themes:]
        if len(self.first_practice) > practices:
            kept = list(self.first_practice.items())[:practices]
            self.first_practice = dict(kept)
        self.introduction = snapshot.introduction
        if self.introduction is not None:
            del self.introduction[snapshot.introduction_len :]
        self.introduction_span = snapshot.introduction_span
        if snapshot.theme is not None:
            del self.themes[-1].intro[snapshot.theme[0] :]
            del self.themes[-1].topics[snapshot.theme[1] :]
        self.stack = []
        for draft, intro, sections, current, topics in snapshot.stack:
            del draft.intro[intro:]
            draft.sections = dict(sections)
            draft.current = current
            del draft.topics[topics:]
            self.stack.append(draft)
        self.last_heading_level = snapshot.last_heading_level
        self.skip = snapshot.skip
        self.pending_practice_id = snapshot.pending_practice_id
        self.pending_waivers = list(snapshot.pending_waivers)
        self.pending_comments = list(snapshot.pending_comments)

    def tail(self, at: _Snapshot) -> _Tail:
        """What the walk added after `at` (a snapshot this walk took), taken before a
        `restore` to an earlier snapshot truncates it: see `splice`."""
        counts = at.counts
        last = self.themes[counts[5] - 1] if at.theme is not None else None
        return _Tail(
            at=at,
            lists=tuple(
                tuple(items[count:]) for items, count in zip(self._lists(), counts, strict=False)
            ),
            themes=tuple(self.themes[counts[5] :]),
            last_theme=last,
            last_theme_added=(
                (tuple(last.intro[at.theme[0] :]), tuple(last.topics[at.theme[1] :]))
                if last is not None and at.theme is not None
                else ((), ())
            ),
            practices=tuple(self.first_practice.items()),
            introduction=self.introduction,
            introduction_added=tuple((at.introduction or [])[at.introduction_len :]),
            introduction_span=self.introduction_span,
            stacked=tuple(
                (tuple(draft.intro[intro:]), tuple(draft.topics[topics:]), dict(draft.sections))
                for draft, intro, _sections, _current, topics in at.stack
            ),
            currents=tuple(draft.current for draft, *_rest in at.stack),
            stack=tuple(self.stack),
            last_heading_level=self.last_heading_level,
            skip=self.skip,
            pending_practice_id=self.pending_practice_id,
            pending_waivers=tuple(self.pending_waivers),
            pending_comments=tuple(self.pending_comments),
        )

    def _lists(self) -> tuple[list, ...]:
        """The append-only lists, in the order of `_Snapshot.counts`' first five."""
        return (self.problems, self.waivers, self.footnotes, self.ignored, self.comments)

    def splice(self, tail: _Tail, later: list[_Snapshot]) -> list[_Snapshot] | None:
        """Put back what an earlier walk added after `tail.at`, if the state this walk has
        reached (walking blocks that may differ from that walk's, on the same lines) is one
        from which that walk's rest would have done the same: the same level, skip, pending
        waivers, comments and practice identity, first practices, themes, introduction, and
        a stack of topics of the same levels and titles, with the same current sections and
        the same value in each section that rest changed. Then the builder is as if it had
        walked on to the end, and the snapshots for `tail.at` and after it (`later`: that
        walk's) are returned as they apply now. Else (None) nothing changes: walk on instead."""
        at, now = tail.at, self.snapshot()
        if (
            now.last_heading_level != at.last_heading_level
            or now.skip != at.skip
            or now.pending_practice_id != at.pending_practice_id
            or now.pending_waivers != at.pending_waivers
            or now.pending_comments != at.pending_comments
            or now.introduction_span != at.introduction_span
            or (now.introduction is None) != (at.introduction is None)
            or now.counts[5] != at.counts[5]
            or list(self.first_practice.items()) != list(tail.practices[: at.counts[6]])
            or len(now.stack) != len(at.stack)
        ):
            return None
        last = self.themes[-1] if self.themes else None
        if last is not None and tail.last_theme is not None and last.level != tail.last_theme.level:
            return None
        drafts: dict[int, _TopicDraft] = {}  # that walk's draft → this walk's, by id
        for new, old, final in zip(now.stack, at.stack, tail.stacked, strict=True):
            draft, _intro, sections, current_now, _topics = new
            before, _intro, sections_before, current_before, _topics = old
            if draft is not before and (draft.level != before.level or draft.title != before.title):
                return None
            if current_now != current_before or sections.keys() != sections_before.keys():
                return None
            for kind, section in final[2].items():
                changed = section is not sections_before.get(kind)
                if changed and kind in sections and sections[kind] != sections_before[kind]:
                    return None  # that rest read a section this walk left otherwise
            drafts[id(before)] = draft
        # Converged: that walk's rest applies as it was.
        for items, added in zip(self._lists(), tail.lists, strict=True):
            items.extend(added)
        self.themes.extend(tail.themes)
        self.first_practice.update(tail.practices[at.counts[6] :])
        if last is not None:
            last.intro.extend(tail.last_theme_added[0])
            last.topics.extend(tail.last_theme_added[1])
        introduction = self.introduction
        if introduction is not None:
            introduction.extend(tail.introduction_added)
        if tail.introduction is not at.introduction:
            self.introduction = tail.introduction  # that rest opened another introduction
        self.introduction_span = tail.introduction_span
        for new, old, final, current in zip(
            now.stack, at.stack, tail.stacked, tail.currents, strict=True
        ):
            draft, sections_before = new[0], old[2]
            draft.intro.extend(final[0])
            draft.topics.extend(final[1])
            for kind, section in final[2].items():
                if section is not sections_before.get(kind):
                    draft.sections[kind] = section
            draft.current = current
        return [now] + [_moved(snapshot, at, now, drafts, introduction) for snapshot in later]

    # --- helpers -----------------------------------------------------------------------------

    def span(self, node: SyntaxTreeNode) -> Span:
        start, end = node.map or (0, 1)
        first = self.lines[start] if start < len(self.lines) else ""
        last = self.lines[end - 1] if 0 < end <= len(self.lines) else ""
        column = len(first) - len(first.lstrip()) + 1
        return Span(line=start + 1, column=column, end_line=end, end_column=len(last) + 1)

    def inline(self, node: SyntaxTreeNode) -> Inline:
        """The inline content of a paragraph or heading node."""
        inline_node = node.children[0] if node.children else None
        if inline_node is None or inline_node.type != "inline":
            return []
        start, end = inline_node.map or node.map or (0, 0)
        locator = SourceLocator(self.lines[start:end], start + 1)
        return convert_inline(inline_node.token, locator)  # type: ignore[arg-type]

    def unplaced(
        self, node: SyntaxTreeNode, reason: str, kind: ProblemKind = ProblemKind.unplaced
    ) -> None:
        span = self.span(node)
        text = "\n".join(self.lines[span.line - 1 : span.end_line]).strip()
        self.problems.append(Problem(kind=kind, message=reason, span=span, text=text))

    # --- walk --------------------------------------------------------------------------------

    def run(self, root: SyntaxTreeNode) -> None:
        for node in root.children:
            self.block(node)
        self.flush_waivers(None)

    def block(self, node: SyntaxTreeNode) -> None:
        if node.type == "html_block":
            self.html_block(node)
            return
        span = self.span(node)
        self.flush_waivers(span)
        if node.type == "heading":
            self.heading(node)
        elif node.type == "footnote_reference":
            self.footnote(node)
        elif node.type == "hr":
            self.ignored.append(span)  # a thematic break carries no content
        elif node.type in ("paragraph", "bullet_list", "ordered_list"):
            self.content(node)
        else:
            self.unplaced(
                node,
                f"a {node.type.replace('_', ' ')} has no place in an overview "
                "paper; write it as paragraphs or bullets",
            )

    def flush_waivers(self, target: Span | None) -> None:
        for waiver in self.pending_waivers:
            self.waivers.append(replace(waiver, target=target))
        self.pending_waivers = []
        for comment in self.pending_comments:
            self.comments.append(replace(comment, target=target))
        self.pending_comments = []

    def html_block(self, node: SyntaxTreeNode) -> None:
        content = node.content.strip()
        directive = DIRECTIVE.match(content)
        # One comment and nothing else: `<!-- a --> text <!-- b -->` is not, it holds text.
        comment = (
            content.startswith("<!--") and content.endswith("-->") and "-->" not in content[4:-3]
        )
        if directive or comment:
            self.ignored.append(self.span(node))
            self.keep_comment(content, directive, self.span(node))
        if directive:
            self.directive(directive.group(1), self.span(node))
        elif comment:
            return  # an editor's comment: explicitly ignored
        else:
            self.unplaced(
                node,
                "text beside an HTML comment is not hidden: the comment and the text are shown "
                "as text"
                if content.startswith("<!--")
                else "raw HTML is not passed through; it is shown as text",
                kind=ProblemKind.raw_html,
            )
            self.content_paragraph(
                Paragraph(
                    text=[Text(text=node.content.rstrip("\n"))],
                    span=self.span(node),
                ),
                node,
            )

    def keep_comment(self, content: str, directive: re.Match[str] | None, span: Span) -> None:
        """Keep a comment for the writer, except the two it writes itself: a practice's
        identity (the practice carries it) and the empty `<!-- -->` that keeps a note apart
        from the list after it."""
        if directive and directive.group(1).lower().startswith("practice"):
            return
        if content[4:-3].strip() == "":
            return
        self.pending_comments.append(Comment(text=content, span=span))

    def directive(self, body: str, span: Span) -> None:
        words = body.split(maxsplit=1)
        verb = words[0].lower() if words else ""
        rest = words[1] if len(words) > 1 else ""
        if verb == "practice" and re.fullmatch(r"[a-z0-9][a-z0-9-]*", rest.strip()):
            self.pending_practice_id = rest.strip()
        elif verb == "ignore":
            codes_part, reason = _split_waiver(rest)
            codes = [code.upper() for code in re.split(r"[\s,]+", codes_part) if code]
            self.pending_waivers.append(Waiver(codes=codes, reason=reason, span=span))
        else:
            self.problems.append(
                Problem(
                    kind=ProblemKind.unplaced,
                    message=f"unknown ranpaper directive: {body!r}",
                    span=span,
                    hint="directives are `ranpaper: ignore RPxxx — reason` and "
                    "`ranpaper: practice ID`",
                    text=body,
                )
            )

    def heading(self, node: SyntaxTreeNode) -> None:
        level = int(node.tag[1])
        span = self.span(node)
        if self.last_heading_level and level > self.last_heading_level + 1:
            self.problems.append(
                Problem(
                    kind=ProblemKind.heading_level_skip,
                    message=f"heading level skips from h{self.last_heading_level} to h{level}",
                    span=span,
                    hint=f"use {'#' * (self.last_heading_level + 1)}",
                )
            )
            self.skip = (self.last_heading_level, level, span.line)
        elif self.skip and level == self.skip[1]:
            # A sibling of the heading that skipped stands at the same wrong level.
            above, skipped, line = self.skip
            self.problems.append(
                Problem(
                    kind=ProblemKind.heading_level_skip,
                    message=f"heading continues the skip from h{above} to h{skipped} of line "
                    f"{line}",
                    span=span,
                    hint=f"use {'#' * (above + 1)}, as for the heading it follows",
                )
            )
        elif self.skip and level < self.skip[1]:
            self.skip = None
        self.last_heading_level = level
        title = self.inline(node)
        text = plain(title).strip()
        if _key(text) == _key(self.profile.introduction) and not self.themes:
            self.introduction = []
            self.introduction_span = span
            self.stack = []
            return
        theme = self.profile.theme_pattern.match(text)
        if theme:
            number = int(theme.group(1))
            self.themes.append(
                _ThemeDraft(
                    level=level,
                    number=number,
                    title=_after_prefix(title, theme.start(2)),
                    span=span,
                )
            )
            self.stack = []
            return
        kind, _exact = section_kind(text, self.profile)
        if kind is not None:
            # A section belongs to the innermost topic whose level is above its heading's: a
            # small heading written inside a section (`#####`) does not swallow the sections
            # after it as topics of their own.
            owners = [topic for topic in self.stack if topic.level < level]
            if owners:
                self.stack = owners
                self.open_section(kind, text, span)
                return
        if not self.themes:
            self.unplaced(
                node,
                f"a topic heading must come under a `{self.profile.theme_heading(1)}: …` heading",
            )
            return
        theme_draft = self.themes[-1]
        if level <= theme_draft.level:
            self.unplaced(
                node,
                f"heading {text!r} is not `{self.profile.introduction}` or "
                f"`{self.profile.theme_heading(1)}: …` "
                f"but is at the level of a main theme (h{theme_draft.level})",
            )
            return
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        draft = _TopicDraft(level=level, title=title, span=span)
        (self.stack[-1].topics if self.stack else theme_draft.topics).append(draft)
        self.stack.append(draft)

    def open_section(self, kind: SectionKind, heading: str, span: Span) -> None:
        topic = self.stack[-1]
        # Sections belong to the innermost topic whose level is above the heading.
        if kind in topic.sections:
            self.problems.append(
                Problem(
                    kind=ProblemKind.section_duplicate,
                    message=f"topic {plain(topic.title)!r} has a second "
                    f"{self.profile.label(kind)!r} section; its content is added to the first",
                    span=span,
                )
            )
        else:
            section_type = {
                SectionKind.meetings: MeetingsSection,
                SectionKind.practices: PracticesSection,
                SectionKind.lessons: LessonsSection,
                SectionKind.gaps: GapsSection,
            }[kind]
            topic.sections[kind] = section_type(heading=heading, span=span)
        topic.current = kind

    def footnote(self, node: SyntaxTreeNode) -> None:
        label = str(node.meta.get("label", ""))
        span = self.span(node)
        text: Inline = []
        for child in node.children:
            if child.type == "paragraph":
                if text:
                    text.append(Text(text=" "))
                text.extend(self.inline(child))
            else:
                self.unplaced(child, "a footnote may only hold text")
        self.footnotes.append(Footnote(label=label, text=merge_text(text), span=span))

    # --- content blocks ----------------------------------------------------------------------

    def content(self, node: SyntaxTreeNode) -> None:
        if node.type == "paragraph":
            self.content_paragraph(Paragraph(text=self.inline(node), span=self.span(node)), node)
        else:
            self.content_list(node)

    def prose_target(self) -> list[Block] | None:
        if self.stack and self.stack[-1].current is None:
            return self.stack[-1].intro
        if not self.stack and self.themes:
            return self.themes[-1].intro
        if not self.themes and self.introduction is not None:
            return self.introduction
        return None

    def current_section(self) -> AnySection | None:
        if self.stack and self.stack[-1].current is not None:
            return self.stack[-1].sections[self.stack[-1].current]
        return None

    def content_paragraph(self, paragraph: Paragraph, node: SyntaxTreeNode) -> None:
        section = self.current_section()
        if section is None:
            target = self.prose_target()
            if target is None:
                self.unplaced(
                    node,
                    "text before the first heading has no place; put it under "
                    f"`# {self.profile.introduction}` or a topic",
                )
            else:
                target.append(paragraph)
            return
        self.replace_section(section, paragraph=paragraph)

    def content_list(self, node: SyntaxTreeNode) -> None:
        section = self.current_section()
        if section is None:
            target = self.prose_target()
            if target is None:
                self.unplaced(node, "a list before the first heading has no place")
            else:
                target.append(
                    BulletList(items=self.list_items(node, ListItem), span=self.span(node))
                )
            return
        self.replace_section(section, list_node=node)

    def list_items(self, node: SyntaxTreeNode, cls: type) -> list:
        items = []
        for item in node.children:
            text: Inline = []
            children: list = []
            for part in item.children:
                if part.type == "paragraph":
                    if text:
                        text.append(Text(text=" "))
                    text.extend(self.inline(part))
                elif part.type in ("bullet_list", "ordered_list"):
                    children.extend(self.list_items(part, cls))
                elif part.type == "html_block" and self.item_waiver(part, item):
                    continue
                else:
                    self.unplaced(
                        part,
                        f"a {part.type.replace('_', ' ')} inside a bullet has no "
                        "place; write it as text",
                    )
            extra = {"bullet": True} if cls is Gap else {}
            items.append(
                cls(text=merge_text(text), children=children, span=self.span(item), **extra)
            )
        return items

    def item_waiver(self, part: SyntaxTreeNode, item: SyntaxTreeNode) -> bool:
        """`<!-- ranpaper: ignore CODES — reason -->` indented inside a bullet: a waiver for
        that bullet alone (its lines, nested bullets included), not for the whole list."""
        directive = DIRECTIVE.match(part.content.strip())
        words = directive.group(1).split(maxsplit=1) if directive else []
        if not words or words[0].lower() != "ignore":
            return False
        codes_part, reason = _split_waiver(words[1] if len(words) > 1 else "")
        codes = [code.upper() for code in re.split(r"[\s,]+", codes_part) if code]
        span = self.span(part)
        self.ignored.append(span)
        self.waivers.append(Waiver(codes=codes, reason=reason, span=span, target=self.span(item)))
        return True

    def replace_section(
        self,
        section: AnySection,
        paragraph: Paragraph | None = None,
        list_node: SyntaxTreeNode | None = None,
    ) -> None:
        """Sections are frozen models: adding an item builds the section anew."""
        topic = self.stack[-1]
        updated = self.add_to_section(section, paragraph, list_node)
        topic.sections[section.kind] = updated

    def add_to_section(
        self, section: AnySection, paragraph: Paragraph | None, list_node: SyntaxTreeNode | None
    ) -> AnySection:
        empty = self.profile.empty
        if paragraph is not None and _key(plain(paragraph.text)) == _key(empty):
            if section.items or section.marked_empty:
                self.problems.append(
                    Problem(
                        kind=ProblemKind.unplaced,
                        message=f"`{empty}` marks a section as empty, but this section has content",
                        span=paragraph.span,
                        text=empty,
                    )
                )
                return section
            return replace(section, marked_empty=paragraph.span)
        if section.marked_empty is not None:
            self.problems.append(
                Problem(
                    kind=ProblemKind.unplaced,
                    message=f"this section is marked `{empty}` but has content after it",
                    span=paragraph.span if paragraph else self.span(list_node),  # type: ignore[arg-type]
                    hint=f"remove the `{empty}` line",
                )
            )
        items = list(section.items)
        if isinstance(section, MeetingsSection):
            items.extend(self.meeting_items(paragraph, list_node))
        elif isinstance(section, PracticesSection):
            items.extend(self.practice_items(items, paragraph, list_node))
        elif isinstance(section, LessonsSection):
            self.lesson_items(items, paragraph, list_node)
        else:
            if paragraph is not None:
                items.append(Gap(text=paragraph.text, span=paragraph.span))
            else:
                items.extend(self.list_items(list_node, Gap))  # type: ignore[arg-type]
        return replace(section, items=items)  # type: ignore[arg-type]  # items match its kind

    def meeting_items(
        self, paragraph: Paragraph | None, list_node: SyntaxTreeNode | None
    ) -> list[Meeting | Note]:
        if paragraph is not None:
            return [Note(text=paragraph.text, span=paragraph.span)]
        meetings: list[Meeting | Note] = []
        for entry in self.list_items(list_node, ListItem):  # type: ignore[arg-type]
            for child in entry.children:
                self.problems.append(
                    Problem(
                        kind=ProblemKind.unplaced,
                        message="a meeting line cannot have nested bullets",
                        span=child.span,
                        text=plain(child.text),
                    )
                )
            meetings.append(self.meeting(entry))
        return meetings

    def meeting(self, entry: ListItem) -> Meeting:
        meeting, problems = meeting_from_item(
            entry,
            self.lines[entry.span.line - 1],
            self.working_groups,
            self.profile.date_forms,
            _meeting_kinds(self.profile),
            self.profile.kind_prefixes,
        )
        self.problems.extend(problems)
        return meeting

    def practice_items(
        self,
        items: list,
        paragraph: Paragraph | None,
        list_node: SyntaxTreeNode | None,
    ) -> list[Practice | Note]:
        paragraphs = (
            [paragraph] if paragraph is not None else self.practice_bullets(list_node)  # type: ignore[arg-type]
        )
        out: list[Practice | Note] = []
        for para in paragraphs:
            previous = (out or items or [None])[-1]
            explicit = self.pending_practice_id
            self.pending_practice_id = None
            if (
                isinstance(previous, Practice)
                and previous.head_alone
                and not previous.description
                and explicit is None
                and not has_head(para.text)
            ):
                described = replace(
                    previous,
                    description=para.text,
                    span=replace(
                        previous.span,
                        end_line=para.span.end_line,
                        end_column=para.span.end_column,
                    ),
                )
                if out:
                    out[-1] = described
                else:
                    items[-1] = described
                continue
            practice = self.practice(para, explicit)
            out.append(practice if practice is not None else Note(text=para.text, span=para.span))
        return out

    def practice_bullets(self, list_node: SyntaxTreeNode) -> list[Paragraph]:
        """The bullets of a list in *Practices* that are practices (a head in bold or as a
        link, or an identity given by a directive), as paragraphs. A practice is a card, not
        a list: any other bullet, and every bullet nested under one, has no place there and is
        reported with its text (it would otherwise be published as a paragraph, or not at
        all, without a word)."""
        kept: list[Paragraph] = []
        for number, entry in enumerate(self.list_items(list_node, ListItem)):
            explicit = self.pending_practice_id is not None and number == 0
            if has_head(entry.text) or explicit:
                own = entry.span  # its own lines: those nested under it are reported below
                if entry.children:
                    own = replace(own, end_line=entry.children[0].span.line - 1)
                kept.append(Paragraph(text=entry.text, span=own))
            else:
                self.bullet_problem(entry, "a bullet in Practices that is not a practice")
            for child in _depth_first_items(entry.children):
                self.bullet_problem(child, "a bullet nested under a bullet in Practices")
        return kept

    def bullet_problem(self, item: ListItem, what: str) -> None:
        line = item.span.line
        end = item.children[0].span.line - 1 if item.children else item.span.end_line
        self.problems.append(
            Problem(
                kind=ProblemKind.unplaced,
                message=f"{what} has no place: a practice is a paragraph that starts with its "
                "name in bold or as a link, then its description",
                span=Span(
                    line=line,
                    column=item.span.column,
                    end_line=end,
                    end_column=len(self.lines[end - 1]) + 1 if 0 < end <= len(self.lines) else 1,
                ),
                hint="write it into the practice's description, or as a paragraph",
                text=plain(item.text),
            )
        )

    def practice(self, para: Paragraph, explicit_id: str | None) -> Practice | None:
        first = self.first_practice.get(explicit_id or "")
        practice = practice_from_paragraph(para, explicit_id, first)
        if practice is not None:
            self.first_practice.setdefault(practice.id, practice)
        return practice

    def lesson_items(
        self,
        items: list,
        paragraph: Paragraph | None,
        list_node: SyntaxTreeNode | None,
    ) -> None:
        if paragraph is not None:
            items.append(Note(text=paragraph.text, span=paragraph.span))
            return
        lessons = self.list_items(list_node, Lesson)  # type: ignore[arg-type]
        span = self.span(list_node)  # type: ignore[arg-type]
        title = None
        # A paragraph written directly above a list is that list's caption.
        if items and isinstance(items[-1], Note) and items[-1].span.end_line + 2 >= span.line:
            caption = items.pop()
            title = caption.text
            span = replace(span, line=caption.span.line, column=caption.span.column)
        items.append(LessonGroup(title=title, lessons=lessons, span=span))

    # --- result ------------------------------------------------------------------------------

    def themes_built(self) -> list[Theme]:
        return [theme.build() for theme in self.themes]


def _split_waiver(rest: str) -> tuple[str, str]:
    """(codes, reason): the reason follows the first dash (`—`, `–`, `--`, or `-` between
    spaces) or colon after the codes."""
    parts = re.split(r"\s*(?:—|–|--|:|(?<=\s)-(?=\s))\s*", rest, maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1].strip()
    return parts[0], ""


def _after_prefix(title: Inline, offset: int) -> Inline:
    """The inline title with the first `offset` characters of its plain text removed."""
    out: Inline = []
    remaining = offset
    for node in title:
        if remaining <= 0:
            out.append(node)
            continue
        if isinstance(node, Text):
            if len(node.text) > remaining:
                out.append(Text(text=node.text[remaining:]))
            remaining -= len(node.text)
        elif not plain([node]):
            out.append(node)  # a footnote reference in the prefix has no text: keep it
        else:
            remaining -= len(plain([node]))
    if out and isinstance(out[0], Text):
        # The space after the theme's `Main theme N:` belongs to the prefix, not to the title.
        stripped = out[0].text.lstrip()
        out = ([Text(text=stripped)] if stripped else []) + out[1:]
    return out


def _depth_first_items(items: list[ListItem]) -> list[ListItem]:
    """Items and every item nested under them, in document order."""
    out: list[ListItem] = []
    stack = list(reversed(items))
    while stack:
        item = stack.pop()
        out.append(item)
        stack.extend(reversed(item.children))
    return out
