"""`ranpaper build`: check the papers through the workspace, then write their outputs
(`ranpaper.build`): all of them or none, within the workspace's limits."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ranpaper.commands import EXIT_FINDINGS, EXIT_OK, require, say, workspace_for
from ranpaper.diagnostics import Diagnostic, Severity, summarise
from ranpaper.printing import shown

if TYPE_CHECKING:
    from ranpaper.build.workers import RenderWorkers
    from ranpaper.workspace import Document, Workspace


def run(args: argparse.Namespace) -> int:
    require("build", "build")
    from ranpaper.build import cached_up_to_date, parse_formats, start_workers, stop_workers
    from ranpaper.build.outputs import REGISTRY
    from ranpaper.links.recover import keyed_source

    formats = parse_formats(args.format)
    workspace = workspace_for(args)
    documents = [workspace.open(path) for path in workspace.papers(args.paths).papers]
    # A CI cancellation (SIGTERM) ends the build as Ctrl-C does: the workers stopped, the
    # staging folder removed, the previous outputs untouched. (Workers reset it for themselves.)
    previous = signal.signal(signal.SIGTERM, _terminated)
    pool = None
    keyed = {str(d.path): keyed_source(str(d.path), d.text) for d in documents}
    try:
        # Unless nothing needs rendering, the render workers start now and import WeasyPrint
        # while the papers are checked.
        if any(REGISTRY[name].renders for name in formats) and not cached_up_to_date(
            keyed, args.out, formats
        ):
            pool = start_workers(limits=workspace.limits)
        return _check_and_build(args, documents, workspace, formats, pool)
    finally:
        stop_workers(pool, wait=True)
        signal.signal(signal.SIGTERM, previous)


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _check_and_build(
    args: argparse.Namespace,
    documents: list[Document],
    workspace: Workspace,
    formats: tuple[str, ...],
    pool: RenderWorkers | None,
) -> int:
    from ranpaper.build import build, terminal_progress
    from ranpaper.links.recover import for_build
    from ranpaper.report import write

    papers = []
    errors: list[Diagnostic] = []
    warnings = 0
    for document in documents:
        errors.extend(d for d in document.diagnostics if d.severity is Severity.error)
        warnings += sum(d.severity is Severity.warning for d in document.diagnostics)
        if document.paper is not None:  # with the links the registry beside it recovers
            papers.append(for_build(document.paper, document.text))
    if errors:
        summary = summarise(errors, len(documents), strict=False)
        write("text", errors, summary, quiet=False, stream=sys.stderr)
        if not args.force:
            say(f"ranpaper: build refused: {len(errors)} error(s); fix them, or use --force")
            return EXIT_FINDINGS
    if warnings and not args.quiet:
        print(f"{warnings} warning(s); `ranpaper check` shows them")
    progress = terminal_progress(args.quiet)
    try:
        folders = [Path(path) for path in args.paths if Path(path).is_dir()]
        results = build(papers, args.out, formats, progress, pool, workspace.limits, folders)
    finally:
        if progress is not None and sys.stderr.isatty():
            sys.stderr.write("\r\x1b[2K")
    if not args.quiet:
        for result in results:
            state = "wrote" if result.rendered else "up to date"
            for output in result.outputs:
                print(f"{state} {shown(output)}")
    return EXIT_OK
