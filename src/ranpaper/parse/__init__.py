"""Source text → `Paper`. The only package that knows Markdown.

paper = parse(text, path="source/x.md")   # never raises on content: see paper.problems

Reading files, finding papers and applying the configuration are the workspace's
(`ranpaper.workspace`); this package turns text into a model and knows nothing of files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin

from ranpaper.dates import ENGLISH_FORMS
from ranpaper.lines import split_lines
from ranpaper.model import Metadata, Paper, Problem, ProblemKind, Span
from ranpaper.parse import limits
from ranpaper.parse.forms import forms_not_kept
from ranpaper.parse.frontmatter import read_metadata, split_front_matter
from ranpaper.parse.ledger import unaccounted
from ranpaper.parse.structure import StructureBuilder
from ranpaper.parse.text import safe_lines
from ranpaper.profiles import (
    Profile,
    ProfileError,
    default_profile,
    for_language,
    load_profile,
    shipped,
)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").use(footnote_plugin, inline=False)
    # The plugin's tail step moves definitions to the end and silently drops unreferenced
    # ones; we keep them in place so that every definition has a line and none is lost.
    md.core.ruler.disable("footnote_tail")
    # Escapes and entities stay tokens of their own (`text_special`): `&#91;^zz]` is the text
    # `[^zz]` written so as not to be a footnote reference, and must not be read as one.
    md.core.ruler.disable("text_join")
    # markdown-it leaves `[x](javascript:…)` as literal text; we want it as a link so that the
    # checker can report it (the unsafe-scheme rule). Renderers never emit such a target.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    # The model keeps a target as the author wrote it (escapes resolved), not percent-encoded
    # and punycoded by markdown-it: `%zz` must stay visible to the URL rule (link-malformed),
    # not become `%25zz`.
    # Which targets may become live links is the URL policy's decision (`ranpaper.urls`).
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    limits.install(md)
    return md


_MD = _markdown()


def parse(
    text: str,
    path: str | None = None,
    *,
    working_groups: frozenset[str] | None = None,
    extra_working_groups: frozenset[str] = frozenset(),
    profile: Profile | None = None,
) -> Paper:
    """Parse one paper. Content problems never raise: they are in `paper.problems`.

    The paper is read with the profile its front matter names, else `profile` (the
    configuration's), else the shipped profile of its `language`, else the default
    (`ranpaper.profiles`). `working_groups` are the abbreviations read as a meeting's organisers
    (default: the profile's), with `extra_working_groups` added.
    """
    front = read_front(
        text,
        path,
        working_groups=working_groups,
        extra_working_groups=extra_working_groups,
        profile=profile,
    )
    env: dict[str, object] = {}
    tokens = _MD.parse("\n".join(front.body_lines), env)
    builder = StructureBuilder(front.lines, front.groups, front.profile)
    builder.run(SyntaxTreeNode(tokens))
    return assemble(front, path, tokens, env, builder)


@dataclass(frozen=True)
class Front:
    """What is read before the body: the lines (made safe), the body's lines (the front
    matter blanked out, so line numbers stay the source's), the problems found so far (unsafe
    text, front matter, profile), the metadata and the reading (profile, working groups) the
    body is read with. `ranpaper.parse.incremental` re-reads the body only while these stay."""

    lines: list[str]
    body_lines: list[str]
    problems: list[Problem]
    metadata: Metadata
    profile: Profile
    profile_failed: str | None
    groups: frozenset[str]
    fence: tuple[int, int] | None


def read_front(
    text: str,
    path: str | None = None,
    *,
    working_groups: frozenset[str] | None = None,
    extra_working_groups: frozenset[str] = frozenset(),
    profile: Profile | None = None,
) -> Front:
    """The lines, the front matter and the profile of `text` (see `parse`)."""
    lines, problems = safe_lines(split_lines(text))
    return front_of(
        lines,
        problems,
        path,
        working_groups=working_groups,
        extra_working_groups=extra_working_groups,
        profile=profile,
    )


def front_of(
    lines: list[str],
    problems: list[Problem],
    path: str | None = None,
    *,
    working_groups: frozenset[str] | None = None,
    extra_working_groups: frozenset[str] = frozenset(),
    profile: Profile | None = None,
) -> Front:
    """`read_front` of lines already made safe, with the problems that made them so (the
    list is extended). What it adds to them depends only on the front matter's lines, unless
    the front matter names a profile (whose file, or whose error's line, is elsewhere)."""
    fence = split_front_matter(lines)
    metadata = Metadata()
    front: list[Problem] = []
    front_at = 0
    if fence is not None:
        first, last = fence
        if last < 0:
            problems.append(
                Problem(
                    kind=ProblemKind.front_matter,
                    message="front matter starts with `---` on line 1 but is never closed",
                    span=Span(line=1, end_line=1),
                    hint="end the front matter with a line `---`",
                )
            )
            last = len(lines) - 1
        else:
            metadata, front = read_metadata(lines[first + 1 : last], first + 2)
        front_at = len(problems)
        # Blank the front matter out rather than cut it, so line numbers stay the source's.
        body_lines = [""] * (last + 1) + lines[last + 1 :]
    else:
        body_lines = lines
        problems.append(
            Problem(
                kind=ProblemKind.front_matter,
                message="the paper has no front matter (title, date, …)",
                span=Span(line=1, end_line=1),
                hint="start the file with `---`, the metadata as YAML, and `---`",
            )
        )
    chosen = _profile(metadata, lines, path, profile, problems)
    named: Profile | None = chosen
    if metadata.profile is not None and any(p.text == _UNUSABLE for p in problems):
        named = None  # the front matter's profile could not be loaded
    if fence is not None and fence[1] >= 0 and chosen.date_forms.present != ENGLISH_FORMS.present:
        # The front matter names the profile, so its date words (a leader's `2019–heute`) are
        # known only now: the front matter is read again with them.
        metadata, front = read_metadata(
            lines[fence[0] + 1 : fence[1]], fence[0] + 2, chosen.date_forms
        )
    problems[front_at:front_at] = front
    groups = (chosen.working_groups if working_groups is None else working_groups) | (
        extra_working_groups
    )
    return Front(
        lines=lines,
        body_lines=body_lines,
        problems=problems,
        metadata=metadata,
        profile=chosen,
        profile_failed=metadata.profile if chosen is not named else None,
        groups=groups,
        fence=fence,
    )


def assemble(
    front: Front,
    path: str | None,
    tokens: list[Token],
    env: dict[str, object],
    builder: StructureBuilder,
) -> Paper:
    """The `Paper` of a body markdown-it read as `tokens` (with its `env`) and `builder`
    walked: the paper-wide passes over the tokens, then the ledger. The builder's lists are
    copied, so that a builder that goes on (`ranpaper.parse.incremental`) cannot change a
    paper already made."""
    lines, body_lines = front.lines, front.body_lines
    problems = list(front.problems)
    problems.extend(_too_deep(env, body_lines))  # type: ignore[arg-type]
    problems.extend(forms_not_kept(tokens, env, body_lines))
    problems.extend(_lost_lines(tokens, body_lines))
    problems.extend(_mixed_markers(tokens, body_lines))
    paper = Paper(
        path=path,
        metadata=front.metadata,
        introduction=list(builder.introduction or []),
        introduction_span=builder.introduction_span,
        themes=builder.themes_built(),
        footnotes=list(builder.footnotes),
        problems=problems + builder.problems,
        waivers=list(builder.waivers),
        ignored=list(builder.ignored),
        comments=list(builder.comments),
        profile=front.profile,
        profile_failed=front.profile_failed,
    )
    # The ledger: text that the structure above placed nowhere is reported, never dropped.
    lost = unaccounted(paper, tokens, lines)
    return replace(paper, problems=paper.problems + lost) if lost else paper


_UNUSABLE = "profile"
"""The `text` of the problem of a front matter's profile that cannot be loaded."""


def _profile(
    metadata: Metadata,
    lines: list[str],
    path: str | None,
    configured: Profile | None,
    problems: list[Problem],
) -> Profile:
    """The profile a paper is read with (see `parse`). One its front matter names but that
    cannot be loaded is a finding on the `profile:` line, and the paper is read without it."""
    if metadata.profile is not None:
        base = Path(path).parent if path is not None else None
        try:
            return load_profile(metadata.profile.strip(), base, within=base or Path.cwd())
        except ProfileError as error:
            line = next((n for n, text in enumerate(lines, 1) if re.match(r"profile\s*:", text)), 1)
            where = f" ({error.path}{f':{error.line}' if error.line else ''})" if error.path else ""
            if error.path is not None and Path(error.path).is_file():
                # The file is there but wrong: say where to fix it, not to name another.
                hint = f"fix {error.path}{f' at line {error.line}' if error.line else ''}"
            else:
                shown = ", ".join(shipped())
                hint = f"name a shipped profile ({shown}) or a .toml file next to the paper"
            problems.append(
                Problem(
                    kind=ProblemKind.front_matter,
                    message=f"profile {metadata.profile!r} cannot be used: {error.message}{where}",
                    span=Span(line=line, end_line=line, end_column=len(lines[line - 1]) + 1),
                    hint=hint + "; the paper's headings are its profile's words, so nothing else "
                    "is checked until it loads",
                    text=_UNUSABLE,
                )
            )
    if configured is not None:
        return configured
    return for_language(metadata.language) or default_profile()


# Lines that carry no text of their own: list and quote markers, link reference definitions.
# Possessive quantifiers: a line of thousands of spaces must not make the regex backtrack.
_STRUCTURE_ONLY = re.compile(r"^[\s>*+\-]*+(?:\d{1,9}[.)][\s>*+\-]*+)?$")
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S")
_CONTENT_TOKENS = frozenset(
    {"inline", "heading_open", "code_block", "fence", "html_block", "hr", "footnote_reference_open"}
)


def _runs(indexes: set[int]) -> list[tuple[int, int]]:
    """Consecutive line indexes as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for index in sorted(indexes):
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _too_deep(env: dict[str, set[int]], lines: list[str]) -> list[Problem]:
    problems = []
    for first, last in _runs(env.get(limits.TOO_DEEP_BLOCKS, set())):
        where = f"line {first + 1}" if first == last else f"lines {first + 1}–{last + 1}"
        problems.append(
            Problem(
                kind=ProblemKind.nesting,
                message=f"nesting too deep at {where}: lists or quotes may nest "
                f"{limits.MAX_BLOCK_DEPTH} levels; deeper bullets are read as text of the "
                "item above",
                span=Span(line=first + 1, end_line=last + 1, end_column=len(lines[last]) + 1),
                hint="flatten the nesting",
                text=lines[first].strip(),
            )
        )
    for index in sorted(env.get(limits.TOO_DEEP_INLINE, set())):
        problems.append(
            Problem(
                kind=ProblemKind.nesting,
                message=f"emphasis or links nested more than {limits.MAX_INLINE_DEPTH} levels "
                f"deep in the block at line {index + 1}: the deeper markup is kept as text",
                span=Span(line=index + 1, end_line=index + 1, end_column=len(lines[index]) + 1),
                hint="remove the nested `*`, `_` and brackets",
            )
        )
    return problems


def _mixed_markers(tokens: list[Token], lines: list[str]) -> list[Problem]:
    """Bullets whose marker (`*`, `+`) differs from the list right above them, with no blank
    line between (markdownlint's MD004): markdown-it starts a new list there, which the
    writer almost never meant. One problem per bullet of such a list, each on its line."""
    problems: list[Problem] = []
    run: dict[int, str] = {}  # level → the marker of the run of adjacent lists at that level
    previous = ""
    for index, token in enumerate(tokens):
        if token.type == "bullet_list_open" and token.map:
            start = token.map[0]
            adjacent = (
                previous == "bullet_list_close"
                and start > 0
                and lines[start - 1].strip() != ""
                and token.level in run
            )
            if not adjacent:
                run[token.level] = token.markup
            elif token.markup != run[token.level]:
                wanted = run[token.level]
                for item in tokens[index + 1 :]:
                    if item.type == "bullet_list_close" and item.level == token.level:
                        break
                    if item.type == "list_item_open" and item.level == token.level + 1:
                        line = (item.map or (start, start))[0]
                        column = len(lines[line]) - len(lines[line].lstrip()) + 1
                        problems.append(
                            Problem(
                                kind=ProblemKind.list_marker_mixed,
                                message=f"a `{token.markup}` bullet right after a "
                                f"`{wanted}` list starts a new list",
                                span=Span(
                                    line=line + 1,
                                    column=column,
                                    end_line=line + 1,
                                    end_column=column + 1,
                                ),
                                hint=f"write `{wanted}`, as the bullets above it",
                            )
                        )
        previous = token.type
    return problems


def _lost_lines(tokens: list[Token], lines: list[str]) -> list[Problem]:
    """Text markdown-it silently dropped: it stops descending at `maxNesting` levels of
    lists or quotes and skips what is deeper. Every line with text must lie in a token that
    carries content; report the first line of each run that does not."""
    covered = bytearray(len(lines) + 1)
    for token in tokens:
        if token.type in _CONTENT_TOKENS and token.map:
            start, end = token.map
            covered[start:end] = b"\x01" * (end - start)
    problems: list[Problem] = []
    previous_lost = False
    for index, line in enumerate(lines):
        lost = (
            not covered[index]
            and line.strip() != ""
            and not _STRUCTURE_ONLY.match(line)
            and not _REFERENCE_DEFINITION.match(line)
        )
        if lost and not previous_lost:
            problems.append(
                Problem(
                    kind=ProblemKind.nesting,
                    message=f"nesting too deep at line {index + 1}: markdown-it could not read "
                    "this text, so it would be lost",
                    span=Span(line=index + 1, end_line=index + 1, end_column=len(line) + 1),
                    hint="flatten the nesting",
                    text=line.strip(),
                )
            )
        previous_lost = lost
    return problems


_BULLET = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]{1,4}|$)")


def list_item_lines(text: str) -> list[tuple[int, int, int]]:
    """The 1-based (first, last, indent) of every bullet after the front matter, outer ones
    first: where a waiver for one bullet is written (indented by `indent` spaces after its
    last line, it stays inside that bullet)."""
    lines = split_lines(text)
    fence = split_front_matter(lines)
    if fence is not None:
        last = fence[1] if fence[1] >= 0 else len(lines) - 1
        lines = [""] * (last + 1) + lines[last + 1 :]
    found = []
    for token in _MD.parse("\n".join(lines)):
        if token.type == "list_item_open" and token.map:
            first, end = token.map
            while end - 1 > first and not lines[end - 1].strip():
                end -= 1  # the blank lines of a loose list are not the bullet's
            marker = _BULLET.match(lines[first])
            found.append((first + 1, end, marker.end() if marker else 2))
    return found


def top_level_blocks(text: str) -> list[tuple[int, int]]:
    """The 1-based (first, last) lines of each top-level block after the front matter: where
    a waiver or comment line can be written so that it stands before a whole block."""
    lines = split_lines(text)
    fence = split_front_matter(lines)
    if fence is not None:
        last = fence[1] if fence[1] >= 0 else len(lines) - 1
        lines = [""] * (last + 1) + lines[last + 1 :]
    return [
        (token.map[0] + 1, token.map[1])
        for token in _MD.parse("\n".join(lines))
        if token.level == 0 and token.nesting >= 0 and token.map
    ]
