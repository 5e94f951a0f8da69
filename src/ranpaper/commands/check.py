"""`ranpaper check`: report what is wrong in papers; with `--fix`, `--diff` or `--add-waivers`,
change them (or show how) and report what remains; with `--baseline`, only what is new."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ranpaper.check import failing, not_a_paper
from ranpaper.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    map_papers,
    reads_stdin,
    say,
    stdin_paper,
    unified,
    workspace_for,
)
from ranpaper.diagnostics import Diagnostic, summarise
from ranpaper.errors import RanpaperError
from ranpaper.fs import refuse_unwritable, write_atomic
from ranpaper.printing import shown
from ranpaper.workspace import Workspace, check_document


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except Exception as error:  # the CLI reports it; code scanning still gets a file saying why
        if args.format == "sarif":
            import contextlib
            import io

            from ranpaper.report import sarif_failure

            with contextlib.suppress(OSError, RanpaperError):
                if args.output:
                    stream = io.StringIO()
                    sarif_failure(error, stream)
                    write_atomic(args.output, stream.getvalue())
                else:
                    sarif_failure(error, sys.stdout)
        raise


@contextmanager
def _report_stream(output: Path | None, default: TextIO | None = None) -> Iterator[TextIO]:
    """Where the report goes: stdout (or `default`), or `--output` written whole through the
    one writer (never through a symbolic link a pull request committed)."""
    if output is None:
        yield default or sys.stdout
        return
    import io

    refuse_unwritable(output)
    buffer = io.StringIO()
    yield buffer
    write_atomic(output, buffer.getvalue())


def _run(args: argparse.Namespace) -> int:
    if args.unsafe_fixes and not (args.fix or args.diff):
        say("warning: --unsafe-fixes does nothing without --fix or --diff")
    code = _check(args)
    return EXIT_OK if args.exit_zero and code == EXIT_FINDINGS else code


def _check(args: argparse.Namespace) -> int:
    if args.output is not None:
        refuse_unwritable(args.output)  # before any work: say at once it cannot be written
    if args.baseline is not None:
        refuse_unwritable(args.baseline)
    stdin = reads_stdin(args)
    workspace = workspace_for(args)
    if stdin:
        return _check_stdin(args, workspace)
    found = workspace.papers(args.paths)
    files = found.papers
    if args.fix or args.diff or args.add_waivers is not None:
        return _check_and_edit(args, files, workspace)
    if args.baseline is not None:
        diagnostics = _against_baseline(args.baseline, files, workspace)
    else:
        diagnostics = [d for one in map_papers(check_document, files, workspace) for d in one]
    if workspace.config.selects("RP006"):
        diagnostics.extend(not_a_paper(path, workspace.config) for path in found.skipped)
    return _report(args, diagnostics, len(files))


def _report(
    args: argparse.Namespace,
    diagnostics: list[Diagnostic],
    papers: int,
    texts: dict[str, str] | None = None,
) -> int:
    """The report in `--format` (to `--output`), `--statistics`, and the exit code."""
    from ranpaper.report import statistics, write

    summary = summarise(diagnostics, papers, args.strict)
    status = EXIT_FINDINGS if failing(diagnostics, args.strict) else EXIT_OK
    if args.statistics and args.format == "text" and not args.output:
        # As `ruff check --statistics`: the counts per rule instead of every finding.
        statistics(diagnostics, sys.stdout)
        return status
    with _report_stream(args.output) as stream:
        write(
            args.format, diagnostics, summary, args.quiet, stream, strict=args.strict, texts=texts
        )
    if args.statistics:
        statistics(diagnostics, sys.stdout if args.output or args.format == "text" else sys.stderr)
    return status


def _check_stdin(args: argparse.Namespace, workspace: Workspace) -> int:
    """`ranpaper check - [--stdin-filename PATH]`: the paper on standard input, checked as the
    file PATH would be (its configuration, its per-file ignores), reported under that name.
    With `--fix`, the fixed text goes to stdout and the report to stderr (as ruff's)."""
    if args.baseline is not None or args.add_waivers is not None:
        raise RanpaperError("--baseline and --add-waivers need files, not standard input")
    from ranpaper.report import write

    path, text = stdin_paper(args, workspace)
    if args.fix or args.diff:
        from ranpaper.fixes import fix_text

        document = workspace.open(path, text)
        result = fix_text(text, path, workspace, args.unsafe_fixes) if document.paper else None
        new_text = result.text if result is not None and not result.refused else text
        if args.diff:
            sys.stdout.write(unified(text, new_text, shown(path)))
            return EXIT_FINDINGS if new_text != text else EXIT_OK
        sys.stdout.write(new_text)
        refused = result is not None and bool(result.refused)
        if result is not None and result.refused:
            new = "; ".join(f"{d.line}: {d.code} {d.message}" for d in result.refused[:5])
            say(f"{shown(path)}: fixes not applied, they would add findings ({new})")
        remaining = result.remaining if result is not None else document.diagnostics
        summary = summarise(remaining, 1, args.strict)
        with _report_stream(args.output, sys.stderr) as stream:
            texts = {str(path): new_text}
            write(
                args.format, remaining, summary, args.quiet, stream, strict=args.strict, texts=texts
            )
        _fix_summary(len(document.diagnostics), len(remaining), sys.stderr)
        return EXIT_FINDINGS if refused or failing(remaining, args.strict) else EXIT_OK
    diagnostics = workspace.open(path, text).diagnostics
    return _report(args, diagnostics, 1, {str(path): text})


def _fix_summary(before: int, remaining: int, stream: TextIO) -> None:
    """ruff's closing line after `--fix`: "Found 3 findings (2 fixed, 1 remaining)."."""
    fixed = max(0, before - remaining)
    found = fixed + remaining
    noun = "finding" if found == 1 else "findings"
    stream.write(f"Found {found} {noun} ({fixed} fixed, {remaining} remaining).\n")


def keyed_document(path: Path, workspace: Workspace) -> tuple[list, list]:
    """One paper's diagnostics with their baseline keys (for worker processes)."""
    from ranpaper.baseline import keys

    document = workspace.open(path)
    return document.diagnostics, keys(document.paper, document.diagnostics)


def _against_baseline(baseline: Path, files: list[Path], workspace: Workspace) -> list:
    """The diagnostics not in the baseline; with no baseline file yet, record one and keep
    none (today's findings are accepted)."""
    from ranpaper.baseline import read_baseline, write_baseline

    results = map_papers(keyed_document, files, workspace)
    if not (baseline.exists() or baseline.is_symlink()):
        entries = [key for _found, found_keys in results for key in found_keys]
        write_baseline(baseline, entries)
        say(f"recorded {len(entries)} finding(s) in {shown(baseline)}")
        return []
    known = Counter(read_baseline(baseline))
    fresh = []
    for found, found_keys in results:
        for diagnostic, key in zip(found, found_keys, strict=True):
            if known[key] > 0:
                known[key] -= 1
            else:
                fresh.append(diagnostic)
    return fresh


def _check_and_edit(args: argparse.Namespace, files: list[Path], workspace: Workspace) -> int:
    """`check --fix`, `--diff` or `--add-waivers`: change the files (or show how), then
    report what remains, and after `--fix` how many findings were fixed."""
    from ranpaper.report import write

    if args.add_waivers is not None and (args.fix or args.diff):
        raise RanpaperError("--add-waivers cannot be combined with --fix or --diff")
    remaining: list[Diagnostic] = []
    changed = refused = before = 0
    for path in files:
        if args.add_waivers is not None:
            text, new_text, left, problem, found = _waive(
                path, workspace, args.add_waivers, _named(args.select)
            )
        else:
            text, new_text, left, problem, found = _fix(path, workspace, args.unsafe_fixes)
        before += found
        remaining.extend(left)
        if problem:
            refused += 1
            say(f"{shown(path)}: {problem}")
            continue
        if new_text == text:
            continue
        changed += 1
        if args.diff:
            sys.stdout.write(unified(text, new_text, shown(path)))
        else:
            write_atomic(path, new_text)
            if not args.quiet:
                say(f"wrote {shown(path)}")
    if args.diff:
        return EXIT_FINDINGS if changed or refused else EXIT_OK
    if args.baseline is not None:
        remaining = _against_baseline(args.baseline, files, workspace)
    summary = summarise(remaining, len(files), args.strict)
    with _report_stream(args.output) as stream:
        write(args.format, remaining, summary, args.quiet, stream, strict=args.strict)
    if args.fix and not args.quiet:
        text_out = args.format == "text" and args.output is None
        _fix_summary(before, len(remaining), sys.stdout if text_out else sys.stderr)
    return EXIT_FINDINGS if refused or failing(remaining, args.strict) else EXIT_OK


def _fix(path: Path, workspace: Workspace, unsafe: bool) -> tuple[str, str, list, str | None, int]:
    """The text, the fixed text, the findings left, why the fixes were refused (or None),
    and how many findings there were before."""
    from ranpaper.fixes import fix_text

    document = workspace.open(path)
    before = len(document.diagnostics)
    if document.paper is None:
        return document.text, document.text, document.diagnostics, None, before
    result = fix_text(document.text, path, workspace, unsafe)
    if result.refused:
        new = "; ".join(f"{d.line}: {d.code} {d.message}" for d in result.refused[:5])
        return (
            result.text,
            result.text,
            result.remaining,
            f"fixes not applied, they would add findings ({new})",
            before,
        )
    if not unsafe:
        hidden = sum(
            1 for d in result.remaining if d.fix is not None and d.fix.applicability == "unsafe"
        )
        if hidden:
            say(f"{shown(path)}: {hidden} more fix(es) with --unsafe-fixes")
    return document.text, result.text, result.remaining, None, before


def _named(select: list[str] | None) -> frozenset[str]:
    """The codes `--select` names one by one (a code or a rule's name, not a prefix)."""
    from ranpaper.rules import by_name

    rules = (by_name(code) for code in select or [])
    return frozenset(rule.CODE for rule in rules if rule is not None)


def _waive(
    path: Path, workspace: Workspace, reason: str, named: frozenset[str]
) -> tuple[str, str, list, str | None, int]:
    from ranpaper.baseline import SAFETY, waivable, waiver_edits
    from ranpaper.lines import apply_edits
    from ranpaper.model import content

    reason = " ".join(reason.split())
    if not reason or "--" in reason:
        raise RanpaperError("--add-waivers needs a reason, without `--` (it ends a comment)")
    document = workspace.open(path)
    text, paper, found = document.text, document.paper, document.diagnostics
    if paper is None:
        return text, text, found, None, len(found)
    kept = [d for d in found if not waivable(d, named)]
    if kept:
        safety = sorted({d.code for d in kept if d.code in SAFETY})
        errors = sorted({d.code for d in kept} - set(safety))
        why = [f"errors {', '.join(errors)} (name the code in --select to waive it)"] * bool(errors)
        why += [f"safety rules {', '.join(safety)} (never waived by --add-waivers)"] * bool(safety)
        say(f"{shown(path)}: {len(kept)} finding(s) not waived: {'; '.join(why)}")
    edits, unreachable = waiver_edits(text, [d for d in found if waivable(d, named)], reason)
    if unreachable:
        lines = ", ".join(str(d.line) for d in unreachable[:10])
        say(
            f"{shown(path)}: {len(unreachable)} finding(s) cannot be waived in place (front "
            f"matter or waivers themselves; line {lines}): fix them instead"
        )
    if not edits:
        return text, text, found, None, len(found)
    new_text, _chosen = apply_edits(text, [(edit,) for edit in edits])
    new_paper, after = workspace.check_text(path, new_text)
    if content(new_paper) != content(paper):
        return text, text, found, "waivers not written: a waiver line would change the paper", 0
    return text, new_text, after, None, len(found)
