"""`ranpaper diff OLD [NEW] [-- PATH…]`: what changed in a paper, between two paper files or
two versions in git: two revisions, a range (`A..B`; `A...B` from where A and B forked), or one
revision against the files as they are now. Both sides are read, capped and parsed through the
workspace, and a git revision's papers are the files the one rule of `ranpaper.papers` calls
papers (names read NUL-separated from git, never quoted). With `--exit-code`, 1 when anything
changed (as `git diff --exit-code`)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from ranpaper.commands import EXIT_FINDINGS, EXIT_OK, workspace_for
from ranpaper.errors import RanpaperError
from ranpaper.fs import decode
from ranpaper.papers import HEAD_BYTES, is_paper, is_paper_head, is_paper_name, scan
from ranpaper.workspace import Workspace

FILES = None  # the "revision" of the files as they are now (the working tree)


def run(args: argparse.Namespace) -> int:
    from ranpaper.baseline import keys
    from ranpaper.check import check_paper
    from ranpaper.semdiff import Report, compare, diff_findings, to_markdown, to_text

    workspace = workspace_for(args, args.files[0] if args.files else _start(args.new or "."))
    reports = []
    for old_name, new_name, old_text, new_text in _sources(args, workspace):
        old = workspace.parse(old_text, old_name)
        new = workspace.parse(new_text, new_name)
        old_keys = keys(old, check_paper(old, workspace.config)) if old_text else []
        new_keys = keys(new, check_paper(new, workspace.config)) if new_text else []
        added, fixed = diff_findings(old_keys, new_keys, old_name, new_name)
        report = Report(compare(old, new), added, fixed, old_name, new_name)
        reports.append((new_name, report))
    if args.format == "json":
        data = [{"path": name, **report.to_dict()} for name, report in reports]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        write = to_markdown if args.format == "markdown" else to_text
        sys.stdout.write("\n".join(write(report, name) for name, report in reports))
    if args.exit_code and any(report.changed for _name, report in reports):
        return EXIT_FINDINGS
    return EXIT_OK


def _start(new: str) -> str:
    return new if Path(new).exists() else "."


def _sources(args: argparse.Namespace, workspace: Workspace) -> list[tuple[str, str, str, str]]:
    """(old name, new name, old text, new text) for each paper. OLD and NEW are files when
    both end in a Markdown suffix and no paths follow; otherwise git revisions of the paths
    (default: source/). A paper absent from one side is empty there."""
    old, new, files = args.old, args.new, list(args.files)
    if new is not None and not files and is_paper_name(old) and is_paper_name(new):
        for path in (old, new):
            scan([path], workspace.config.exclude)  # names a missing file clearly
        return [(old, new, workspace.read(Path(old)), workspace.read(Path(new)))]
    old_rev, new_rev, files = _revisions(old, new, files)
    paths = files or ["source"]
    listed = {
        **_git_papers(old_rev, paths),
        **(_git_papers(new_rev, paths) if new_rev is not FILES else _file_papers(paths, workspace)),
    }
    if not listed:
        _explain_nothing(old_rev, new_rev, files, paths, workspace)
    return [
        (name, name, _blob(old_rev, name, workspace), _blob(new_rev, name, workspace))
        for name in sorted(listed)
    ]


def _revisions(old: str, new: str | None, files: list[str]) -> tuple[str, str | None, list[str]]:
    """The two sides, as git reads them: `A..B`, `A...B` (from the merge base), `A B`, or
    one revision `A` against the files (then a second word that is no revision is a path)."""
    for side in (old, new):
        if side is not None and side.startswith("-"):
            raise RanpaperError("a revision or path cannot start with `-`", side)
    for dots in ("...", ".."):
        if dots in old and not Path(old).exists():
            start, end = old.split(dots, 1)
            start, end = start or "HEAD", end or "HEAD"
            if dots == "...":
                base = _git(old, "merge-base", start, end).decode("utf-8").strip()
                start = base
            return start, end, ([new] if new is not None else []) + files
    if not _is_revision(old):
        if Path(old).exists():
            raise RanpaperError(
                "is a file: give two paper files (OLD NEW), or a git revision first", old
            )
        raise RanpaperError("not a file, and git cannot read it as a revision", old)
    if new is None:
        return old, FILES, files
    if _is_revision(new):
        return old, new, files
    if Path(new).exists() or is_paper_name(new) or files:
        return old, FILES, [new, *files]  # `diff REV path…`: the revision against the files
    raise RanpaperError("not a file, and git cannot read it as a revision", new)


def _explain_nothing(
    old: str, new: str | None, files: list[str], paths: list[str], workspace: Workspace
) -> None:
    """Raise the reason no paper was found: a path that is nowhere, or no paper under it."""
    where = f"{old} or {new}" if new is not FILES else f"{old} or the files"
    for path in files:
        in_git = _git_lists(old, path) or (new is not FILES and _git_lists(new, path))
        on_disk = new is FILES and (Path(path).exists() or Path(path).is_symlink())
        if not in_git and not on_disk:
            raise RanpaperError(f"no such file or folder in {where}", path)
    raise RanpaperError(f"no paper in {where} under {', '.join(paths)}")


def _git(about: str, *argv: str) -> bytes:
    """git's output; `about` (the revision asked for) names a failure."""
    try:
        done = subprocess.run(["git", *argv], capture_output=True, check=False)
    except OSError as error:
        raise RanpaperError(f"cannot run git: {error.strerror}", about) from None
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        message = err.splitlines()[-1] if err else "failed"
        raise RanpaperError(f"not a file, and git cannot read it as a revision: {message}", about)
    return done.stdout


def _is_revision(value: str) -> bool:
    try:
        _git(value, "rev-parse", "--verify", "--quiet", f"{value}^{{commit}}")
    except RanpaperError:
        return False
    return True


def _git_lists(revision: str, path: str) -> bool:
    """Whether `path` (a file or a folder) is in `revision`."""
    listed = _git(revision, "ls-tree", "-r", "-z", "--name-only", revision, "--", path)
    return bool(listed.strip(b"\0"))


def _git_papers(revision: str, paths: list[str]) -> dict[str, None]:
    """The papers of `revision` under `paths`, relative to the current folder."""
    prefix = _git(revision, "rev-parse", "--show-prefix").decode("utf-8").strip()
    listed = _git(revision, "ls-tree", "-r", "-z", "--name-only", revision, "--", *paths)
    names: dict[str, None] = {}
    for raw in listed.split(b"\0"):
        if not raw:
            continue
        name = raw.decode("utf-8", "surrogateescape")
        relative = name.removeprefix(prefix) if name.startswith(prefix) else None
        if relative is None or not is_paper_name(relative):
            continue
        head = _git(revision, "cat-file", "blob", f"{revision}:{name}")[:HEAD_BYTES]
        if is_paper_head(head):
            names[relative] = None
    return names


def _file_papers(paths: list[str], workspace: Workspace) -> dict[str, None]:
    """The papers under `paths` as the files are now, by the same rule as a revision's (a
    file named is a paper only if it holds one, as in git); paths that are not there are
    left to the revision."""
    names: dict[str, None] = {}
    for path in paths:
        if not (Path(path).exists() or Path(path).is_symlink()):
            continue
        found = scan([path], workspace.config.exclude).papers
        for paper in found:
            if paper.is_dir() or not is_paper(paper):
                continue
            names[os.path.normpath(paper)] = None
    return names


def _blob(revision: str | None, name: str, workspace: Workspace) -> str:
    """The text of `name` in `revision` (or in the files), capped as a file is; '' where it
    does not exist."""
    if revision is FILES:
        path = Path(name)
        return workspace.read(path) if path.exists() or path.is_symlink() else ""
    spec = f"{revision}:./{name}"
    size = subprocess.run(["git", "cat-file", "-s", spec], capture_output=True, check=False)
    if size.returncode != 0:
        return ""  # not in this revision: added or removed
    if int(size.stdout.strip() or 0) > workspace.config.max_bytes:
        raise workspace.too_large(f"{name} ({revision})")
    data = _git(str(revision), "cat-file", "blob", spec)
    return decode(data, f"{name} ({revision})")
