"""Source text → `Paper`. The only package that knows Markdown.

paper = parse(text, path="source/x.md")   # never raises on content: see paper.problems
paper = load("source/x.md")               # raises RanpaperError if the file is unreadable
papers = load_all(["source/"])            # every paper of a folder, sorted by path

`load` and `load_all` apply the configuration `ranpaper check` would (`ranpaper.config`).
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin

from ranpaper.errors import RanpaperError
from ranpaper.model import Metadata, Paper, Problem, ProblemKind, Span
from ranpaper.parse import limits
from ranpaper.parse.frontmatter import read_metadata, split_front_matter
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

if TYPE_CHECKING:
    from ranpaper.config import Config

MAX_BYTES = 1024 * 1024
"""Default size cap. A paper is tens of KiB (the bundled one 66 KiB); 1 MiB is fifteen times
that, and keeps `check` of any input under the cap within 10 s, even text made only of
Markdown's special characters (`bench/pathological.py`: markdown-it alone takes 3 µs a byte
on such text). A CI owner may raise it in the configuration CI pins (`max-bytes`)."""

SUFFIXES = (".md", ".markdown")


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
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines, problems = safe_lines(text.split("\n"))
    fence = split_front_matter(lines)
    metadata = Metadata()
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
            metadata, found = read_metadata(lines[first + 1 : last], first + 2)
            problems.extend(found)
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
    groups = (chosen.working_groups if working_groups is None else working_groups) | (
        extra_working_groups
    )
    env: dict[str, set[int]] = {}
    tokens = _MD.parse("\n".join(body_lines), env)
    problems.extend(_too_deep(env, body_lines))
    problems.extend(_lost_lines(tokens, body_lines))
    builder = StructureBuilder(lines, groups, chosen)
    builder.run(SyntaxTreeNode(tokens))
    return Paper(
        path=path,
        metadata=metadata,
        introduction=builder.introduction or [],
        introduction_span=builder.introduction_span,
        themes=builder.themes_built(),
        footnotes=builder.footnotes,
        problems=problems + builder.problems,
        waivers=builder.waivers,
        ignored=builder.ignored,
        comments=builder.comments,
        profile=chosen,
    )


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
            problems.append(
                Problem(
                    kind=ProblemKind.front_matter,
                    message=f"profile {metadata.profile!r} cannot be used: {error.message}{where}",
                    span=Span(line=line, end_line=line, end_column=len(lines[line - 1]) + 1),
                    hint=f"name a shipped profile ({', '.join(shipped())}) or a .toml file "
                    "next to the paper; the paper was read with "
                    + ("the configuration's profile" if configured else "the default profile"),
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


def top_level_blocks(text: str) -> list[tuple[int, int]]:
    """The 1-based (first, last) lines of each top-level block after the front matter: where
    a waiver or comment line can be written so that it stands before a whole block."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fence = split_front_matter(lines)
    if fence is not None:
        last = fence[1] if fence[1] >= 0 else len(lines) - 1
        lines = [""] * (last + 1) + lines[last + 1 :]
    return [
        (token.map[0] + 1, token.map[1])
        for token in _MD.parse("\n".join(lines))
        if token.level == 0 and token.nesting >= 0 and token.map
    ]


def read_source(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The text of a paper file, or a RanpaperError that says precisely why not.

    Only a regular file is read (a FIFO or a device is refused without waiting on it), and
    never more than `max_bytes` + 1 bytes, whatever `stat` says of its size."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise RanpaperError("no such file or folder", str(path)) from None
    except IsADirectoryError:
        raise RanpaperError("is a folder, not a paper file", str(path)) from None
    except OSError as error:
        raise RanpaperError(f"cannot read: {error.strerror}", str(path)) from None
    try:
        if stat.S_ISDIR(os.fstat(descriptor).st_mode):
            raise RanpaperError("is a folder, not a paper file", str(path))
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise RanpaperError(
                "is not a regular file (a pipe, socket or device); refused to read it", str(path)
            )
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as error:
        raise RanpaperError(f"cannot read: {error.strerror}", str(path)) from None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise RanpaperError(
            f"file is over the {_mib(max_bytes)} cap "
            "(a CI owner can raise `max-bytes` in the configuration)",
            str(path),
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise RanpaperError(
            "contains NUL bytes: this is a binary file, not a paper", str(path), line
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RanpaperError(
            f"is not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8",
            str(path),
            line,
        ) from None


def _mib(size: int) -> str:
    return f"{size / 1048576:.0f} MiB" if size >= 1048576 else f"{size} bytes"


def is_paper(path: Path) -> bool:
    """Whether a Markdown file is a paper: its first line (after a byte-order mark) is the
    front matter's `---`, and a top-level `title:` key follows before the closing `---`
    (within the first 64 KiB). A file that is not a regular file counts as one, so that
    reading it is refused with a finding rather than skipped in silence."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return True  # reading it will say why not
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return True
        head = os.read(descriptor, 65536)
    except OSError:
        return True
    finally:
        os.close(descriptor)
    lines = head.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").split(b"\n")
    if not lines or lines[0].rstrip() != b"---":
        return False
    for line in lines[1:]:
        if line.rstrip() == b"---":
            return False
        if _TITLE.match(line):
            return True
    return False


_TITLE = re.compile(rb"title\s*:")


def load(
    path: str | Path,
    max_bytes: int | None = None,
    *,
    working_groups: frozenset[str] | None = None,
    config: Config | None = None,
) -> Paper:
    """Read and parse one paper file, with the configuration the CLI would use for it (found
    from its folder, see `ranpaper.config`) unless `config` is given; `max_bytes` and
    `working_groups` override it."""
    source = Path(path)
    if config is None and (max_bytes is None or working_groups is None):
        from ranpaper.config import load_config

        config = load_config(source)
    extra: frozenset[str] = frozenset()
    profile = None
    if config is not None:
        max_bytes = config.max_bytes if max_bytes is None else max_bytes
        working_groups = config.working_groups if working_groups is None else working_groups
        extra, profile = config.extra_working_groups, config.profile
    text = read_source(source, MAX_BYTES if max_bytes is None else max_bytes)
    return parse(
        text,
        path=str(path),
        working_groups=working_groups,
        extra_working_groups=extra,
        profile=profile,
    )


def _excluded(relative: Path, patterns: tuple[str, ...]) -> bool:
    text = relative.as_posix()
    return any(
        fnmatch.fnmatchcase(text, pattern)
        or any(fnmatch.fnmatchcase(part, pattern) for part in relative.parts)
        for pattern in patterns
    )


def scan(paths: list[str | Path], exclude: tuple[str, ...] = ()) -> tuple[list[Path], list[Path]]:
    """(papers, skipped): the paper files named by `paths` and the Markdown files a folder
    scan passed over because they are not papers (`is_paper`).

    A file named in `paths` is checked whatever it holds; folders are searched recursively,
    skipping `DEFAULT_EXCLUDE` folders and `exclude` patterns (globs matched against the path
    relative to the folder, or a file or folder name). Either way a symlink that leads out of
    its folder is refused, and only regular files are read (`read_source`)."""
    from ranpaper.config import DEFAULT_EXCLUDE

    patterns = (*DEFAULT_EXCLUDE, *exclude)
    found: list[Path] = []
    skipped: list[Path] = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            root = path.resolve()
            candidates: list[Path] = []
            for folder, dirs, files in os.walk(path):
                here = Path(folder)
                dirs[:] = sorted(
                    d for d in dirs if not _excluded((here / d).relative_to(path), patterns)
                )
                candidates.extend(
                    here / name
                    for name in files
                    if name.endswith(SUFFIXES)
                    and not _excluded((here / name).relative_to(path), patterns)
                )
            for candidate in sorted(candidates):
                _refuse_link_out(candidate, root)
                (found if is_paper(candidate) else skipped).append(candidate)
            if not candidates:
                raise RanpaperError("folder holds no paper (*.md)", str(path))
        elif path.exists() or path.is_symlink():
            _refuse_link_out(path, path.absolute().parent.resolve())
            found.append(path)
        else:
            raise RanpaperError("no such file or folder", str(path))
    return found, skipped


def _refuse_link_out(path: Path, root: Path) -> None:
    # A pull request can add `paper.md -> /etc/shadow`: never follow a link out.
    if path.is_symlink() and not path.resolve().is_relative_to(root):
        raise RanpaperError("is a link to a file outside the folder; refused to read it", str(path))


def find_papers(paths: list[str | Path], exclude: tuple[str, ...] = ()) -> list[Path]:
    """The paper files named by `paths` (see `scan`)."""
    return scan(paths, exclude)[0]


def load_all(
    paths: list[str | Path], max_bytes: int | None = None, *, config: Config | None = None
) -> list[Paper]:
    """Every paper named by `paths` (folders scanned as `ranpaper check` scans them), with
    the configuration the CLI would use (found from the first path) unless `config` is given."""
    if config is None:
        from ranpaper.config import load_config

        config = load_config(Path(paths[0]) if paths else None)
    return [load(path, max_bytes, config=config) for path in find_papers(paths, config.exclude)]
