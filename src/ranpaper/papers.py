"""What a paper is, and where papers are found: the one rule shared by folder scans, `diff` of
git revisions and the language server.

A paper is a Markdown file (`*.md`, `*.markdown`) whose first line (after a byte-order mark)
is the front matter's `---`, with a top-level `title:` key before the closing `---` (within
the first 64 KiB). A file named on the command line is read whatever it holds; a folder is
searched for papers, skipping `DEFAULT_EXCLUDE`, the configuration's `exclude` patterns and
what the folder's `.gitignore` files ignore (as git would: the files from the repository's
root down to the folder, and those inside it). The walk is iterative, so a folder nested
thousands deep is searched, not a RecursionError.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ranpaper.errors import RanpaperError
from ranpaper.fs import outside

SUFFIXES = (".md", ".markdown")

DEFAULT_EXCLUDE = (".*", "build", "dist", "node_modules", "venv", "__pycache__")
"""Names a folder scan never enters or reads: hidden files and folders (`.git`, `.venv`, …),
ranpaper's own output folder `build`, and other tools' folders."""

_TITLE = re.compile(rb"title\s*:")
HEAD_BYTES = 65536


def is_paper_head(head: bytes) -> bool:
    """Whether the first bytes of a Markdown file make it a paper (see the module)."""
    lines = re.split(rb"\r\n?|\n", head.removeprefix(b"\xef\xbb\xbf"))
    if not lines or lines[0].rstrip() != b"---":
        return False
    for line in lines[1:]:
        if line.rstrip() == b"---":
            return False
        if _TITLE.match(line):
            return True
    return False


def is_paper_name(name: str) -> bool:
    return name.endswith(SUFFIXES)


def is_paper(path: Path) -> bool:
    """Whether the file at `path` is a paper. A file that is not a regular file counts as one,
    so that reading it is refused with a finding rather than skipped in silence."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return True  # reading it will say why not
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return True
        head = os.read(descriptor, HEAD_BYTES)
    except OSError:
        return True
    finally:
        os.close(descriptor)
    return is_paper_head(head)


@dataclass
class Found:
    """What a scan found: the papers, and the Markdown files it passed over (not papers)."""

    papers: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def _excluded(relative: Path, patterns: tuple[str, ...]) -> bool:
    text = relative.as_posix()
    return any(
        fnmatch.fnmatchcase(text, pattern)
        or any(fnmatch.fnmatchcase(part, pattern) for part in relative.parts)
        for pattern in patterns
    )


class _GitIgnore:
    """The `.gitignore` files that apply to a folder scan, read as git reads them (pathspec's
    gitignore dialect): each file's patterns are relative to its own folder."""

    def __init__(self, root: Path) -> None:
        self.specs: list[tuple[Path, object]] = []
        top = root.resolve()
        above = [top]
        for parent in top.parents:
            if (above[-1] / ".git").exists():
                break
            above.append(parent)
        if not (above[-1] / ".git").exists():
            above = [top]  # not in a repository: only the folder's own files
        for folder in reversed(above):
            self.add(folder)

    def add(self, folder: Path) -> None:
        from ranpaper.fs import read_text

        ignore = folder / ".gitignore"
        if not ignore.is_file() or ignore.is_symlink():
            return
        import pathspec

        try:
            lines = read_text(ignore, what=".gitignore").splitlines()
        except RanpaperError:
            return  # an unreadable .gitignore ignores nothing, as for git
        self.specs.append((folder, pathspec.GitIgnoreSpec.from_lines(lines)))

    def ignored(self, absolute: Path, is_dir: bool) -> bool:
        """Whether git ignores `absolute` (a path below the resolved scan root)."""
        verdict = False
        for folder, spec in self.specs:
            try:
                relative = absolute.relative_to(folder).as_posix()
            except ValueError:
                continue
            result = spec.check_file(relative + ("/" if is_dir else ""))  # type: ignore[attr-defined]
            if result.include is not None:
                verdict = bool(result.include)
        return verdict


def scan(paths: Iterable[str | Path], exclude: tuple[str, ...] = ()) -> Found:
    """The papers named by `paths` (see the module's docstring). Either way a symlink that
    leads out of its folder is refused."""
    patterns = (*DEFAULT_EXCLUDE, *exclude)
    found = Found()
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            candidates = _walk(path, patterns)
            if not candidates:
                raise RanpaperError("folder holds no paper (*.md)", str(path))
            root = path.resolve()
            for candidate in candidates:
                _refuse_link_out(candidate, root)
                (found.papers if is_paper(candidate) else found.skipped).append(candidate)
        elif path.exists() or path.is_symlink():
            _refuse_link_out(path, path.absolute().parent.resolve())
            found.papers.append(path)
        else:
            raise RanpaperError("no such file or folder", str(path))
    return found


def _walk(top: Path, patterns: tuple[str, ...]) -> list[Path]:
    """The Markdown files below `top`, sorted, without recursion and without following links
    to folders."""
    ignore = _GitIgnore(top)
    base = top.resolve()
    candidates: list[Path] = []
    stack = [top]
    while stack:
        here = stack.pop()
        if here != top:
            ignore.add(base / here.relative_to(top))
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue
        folders = []
        for item in entries:
            path = here / item.name
            relative = path.relative_to(top)
            if _excluded(relative, patterns):
                continue
            if item.is_dir(follow_symlinks=False):
                if not ignore.ignored(base / relative, True):
                    folders.append(path)
            elif is_paper_name(item.name) and not ignore.ignored(base / relative, False):
                candidates.append(path)
        stack.extend(reversed(folders))
    return sorted(candidates)


def _refuse_link_out(path: Path, root: Path) -> None:
    # A pull request can add `paper.md -> /etc/shadow`: never follow a link out.
    if path.is_symlink() and outside(path, root):
        raise RanpaperError("is a link to a file outside the folder; refused to read it", str(path))
