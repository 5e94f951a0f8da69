"""`ranpaper diff OLD NEW [-- PATH…]`: what changed in a paper, between two paper files or two
git revisions of the papers. Both sides are read, capped and parsed through the workspace, and
a git revision's papers are the files the one rule of `ranpaper.papers` calls papers (names
read NUL-separated from git, never quoted)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from ranpaper.commands import EXIT_OK, workspace_for
from ranpaper.errors import RanpaperError
from ranpaper.fs import decode
from ranpaper.papers import HEAD_BYTES, is_paper_head, is_paper_name, scan
from ranpaper.workspace import Workspace


def run(args: argparse.Namespace) -> int:
    from ranpaper.baseline import keys
    from ranpaper.check import check_paper
    from ranpaper.semdiff import Report, compare, diff_findings, to_markdown, to_text

    workspace = workspace_for(args, args.files[0] if args.files else _start(args.new))
    reports = []
    for name, old_text, new_text in _sources(args.old, args.new, args.files, workspace):
        old = workspace.parse(old_text, name)
        new = workspace.parse(new_text, name)
        old_keys = keys(old, check_paper(old, workspace.config)) if old_text else []
        new_keys = keys(new, check_paper(new, workspace.config)) if new_text else []
        added, fixed = diff_findings(old_keys, new_keys)
        reports.append((name, Report(compare(old, new), added, fixed)))
    if args.format == "json":
        data = [{"path": name, **report.to_dict()} for name, report in reports]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        write = to_markdown if args.format == "markdown" else to_text
        sys.stdout.write("\n".join(write(report, name) for name, report in reports))
    return EXIT_OK


def _start(new: str) -> str:
    return new if Path(new).exists() else "."


def _sources(
    old: str, new: str, files: list[str], workspace: Workspace
) -> list[tuple[str, str, str]]:
    """(name, old text, new text) for each paper: OLD and NEW are files when they end in a
    Markdown suffix and no paths follow; otherwise git revisions of the paths (default:
    source/). A paper absent from a revision is empty there."""
    if not files and (is_paper_name(old) or is_paper_name(new)):
        for path in (old, new):
            scan([path], workspace.config.exclude)  # names a missing file clearly
        return [(new, workspace.read(Path(old)), workspace.read(Path(new)))]
    paths = files or ["source"]
    listed = {**_git_papers(old, paths), **_git_papers(new, paths)}
    if not listed:
        for path in (old, new):  # perhaps they are not revisions at all
            if not _is_revision(path):
                scan([path], workspace.config.exclude)
        raise RanpaperError(f"no paper in {old} or {new} under {', '.join(paths)}")
    return [
        (name, _blob(old, name, workspace), _blob(new, name, workspace)) for name in sorted(listed)
    ]


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


def _blob(revision: str, name: str, workspace: Workspace) -> str:
    """The text of `name` in `revision`, capped as a file is; '' where it does not exist."""
    spec = f"{revision}:./{name}"
    size = subprocess.run(["git", "cat-file", "-s", spec], capture_output=True, check=False)
    if size.returncode != 0:
        return ""  # not in this revision: added or removed
    if int(size.stdout.strip() or 0) > workspace.config.max_bytes:
        raise workspace.too_large(f"{name} ({revision})")
    data = _git(revision, "cat-file", "blob", spec)
    return decode(data, f"{name} ({revision})")
