"""`ranpaper fmt`: rewrite each paper in the canonical form; `--check` and `--diff` write
nothing. The papers are found, read and parsed as `check` reads them (the workspace)."""

from __future__ import annotations

import argparse
import sys

from ranpaper.commands import EXIT_FINDINGS, EXIT_OK, say, unified, workspace_for
from ranpaper.formatting import format_text
from ranpaper.fs import write_atomic
from ranpaper.printing import shown


def run(args: argparse.Namespace) -> int:
    workspace = workspace_for(args)
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
            print(f"formatted {shown(path)}")
    if args.check or args.diff:
        return EXIT_FINDINGS if changed or refused else EXIT_OK
    return EXIT_FINDINGS if refused else EXIT_OK
