"""`ranpaper fmt`: rewrite each paper in the canonical form; `--check` and `--diff` write
nothing. The papers are found, read and parsed as `check` reads them (the workspace). With
`-` as the path the paper is read from standard input and the result written to stdout."""

from __future__ import annotations

import argparse
import sys

from ranpaper.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    reads_stdin,
    say,
    stdin_paper,
    unified,
    workspace_for,
)
from ranpaper.formatting import format_text
from ranpaper.fs import write_atomic
from ranpaper.printing import shown
from ranpaper.workspace import Workspace


def run(args: argparse.Namespace) -> int:
    stdin = reads_stdin(args)
    workspace = workspace_for(args)
    if stdin:
        return _stdin(args, workspace)
    changed = refused = 0
    for path in workspace.papers(args.paths).papers:
        text = workspace.read(path)
        result = format_text(text, str(path), workspace)
        if result.refused:
            refused += 1
            say(f"{shown(path)}: not formatted: {result.refused}")
            continue
        if result.text == text:
            continue
        changed += 1
        if args.diff:
            sys.stdout.write(unified(text, result.text, shown(path)))
        elif args.check:
            print(f"would reformat {shown(path)}")
        else:
            write_atomic(path, result.text)
            if not args.quiet:
                print(f"formatted {shown(path)}")
    if args.check or args.diff:
        return EXIT_FINDINGS if changed or refused else EXIT_OK
    return EXIT_FINDINGS if refused else EXIT_OK


def _stdin(args: argparse.Namespace, workspace: Workspace) -> int:
    """`ranpaper fmt - [--stdin-filename PATH]`: the canonical form on stdout (as `ruff format
    -`), or with `--check` / `--diff` only the verdict. A text that cannot be formatted is
    written back unchanged, and the reason goes to stderr (exit 1)."""

    path, text = stdin_paper(args, workspace)
    result = format_text(text, str(path), workspace)
    if result.refused:
        say(f"{shown(path)}: not formatted: {result.refused}")
        if not (args.check or args.diff):
            sys.stdout.write(text)
        return EXIT_FINDINGS
    if args.diff:
        sys.stdout.write(unified(text, result.text, shown(path)))
    elif args.check:
        if result.text != text:
            print(f"would reformat {shown(path)}")
    else:
        sys.stdout.write(result.text)
        return EXIT_OK
    return EXIT_FINDINGS if result.text != text else EXIT_OK
