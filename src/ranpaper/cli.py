"""The `ranpaper` command: check, build, schema, rules.

Exit codes follow ruff: 0 clean, 1 findings that fail (or a build refused because of them),
2 could not run (missing path, bad option, unreadable configuration, internal error).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from ranpaper import __version__
from ranpaper.errors import RanpaperError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from types import ModuleType

    from ranpaper.config import Config

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ranpaper",
        description="Keep a RAN overview paper as checked Markdown source; build its PDF, "
        "HTML, JSON and per-theme briefs.",
    )
    parser.add_argument("--version", action="version", version=f"ranpaper {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="report what is wrong in papers, like a compiler")
    check.add_argument(
        "paths",
        nargs="*",
        default=["source"],
        metavar="PATH",
        help="paper files or folders of papers (default: source/)",
    )
    check.add_argument("--format", choices=["text", "json", "github", "sarif"], default="text")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--select", type=_codes, help="only these codes or prefixes (RP1,RP301)")
    check.add_argument("--ignore", type=_codes, help="skip these codes or prefixes")
    check.add_argument("--quiet", action="store_true", help="only errors, and no summary if clean")
    check.add_argument("--output", type=Path, help="write the report to this file")
    _editor_check_options(check)

    build = sub.add_parser("build", help="check, then write the paper's outputs")
    build.add_argument(
        "paths",
        nargs="*",
        default=["source"],
        metavar="PATH",
        help="a paper file or folder of papers (default: source/)",
    )
    build.add_argument("--out", type=Path, default=Path("build"), help="output folder (build/)")
    build.add_argument(
        "--format", default=None, help="comma-separated outputs (default: all of them)"
    )
    build.add_argument("--force", action="store_true", help="build even if the check has errors")
    build.add_argument("--quiet", action="store_true", help="print nothing unless it fails")

    schema = sub.add_parser("schema", help="print, write or verify the JSON Schema")
    mode = schema.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail if the committed schema is stale")
    mode.add_argument("--write", action="store_true", help="update the committed schema")
    schema.add_argument("--path", type=Path, default=Path("schema/paper.schema.json"))

    rules = sub.add_parser("rules", help="list the rules, or explain one")
    rules.add_argument("code", nargs="?", help="a rule code such as RP203, or its name")
    _editor_commands(sub)
    return parser


# --- the editor's loop (issue 12): fixes, baseline, fmt, diff ------------------------------


def _editor_check_options(check: argparse.ArgumentParser) -> None:
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    check.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix or --diff, unsafe fixes too"
    )
    check.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff; write nothing"
    )
    check.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="only findings not in FILE fail; FILE is written with today's findings if absent",
    )
    check.add_argument(
        "--add-waivers",
        metavar="REASON",
        help="write a waiver with REASON above each finding's block",
    )


def _editor_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    fmt = sub.add_parser("fmt", help="rewrite papers in the canonical Markdown form")
    fmt.add_argument("paths", nargs="*", default=["source"], metavar="PATH")
    fmt.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    fmt.add_argument("--diff", action="store_true", help="print the changes; write nothing")

    diff = sub.add_parser("diff", help="what changed in a paper between two versions")
    diff.add_argument("old", help="a paper file, or a git revision")
    diff.add_argument("new", help="a paper file, or a git revision")
    diff.add_argument("files", nargs="*", metavar="PATH", help="after --: the papers (revisions)")
    diff.add_argument("--format", choices=["text", "json", "markdown"], default="text")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except RanpaperError as error:
        from ranpaper.build import BuildError
        from ranpaper.render.pdf import RefusedFetch

        print(f"ranpaper: error: {error}", file=sys.stderr)
        return EXIT_FINDINGS if isinstance(error, BuildError | RefusedFetch) else EXIT_ERROR
    except BrokenPipeError:  # `ranpaper rules | head`: the reader left; not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:  # ranpaper's own files raise RanpaperError: this is the output
        reason = error.strerror or error
        print(f"ranpaper: error: cannot write the output: {reason}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("ranpaper: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as error:  # the promise: never a traceback, unless asked for
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"ranpaper: internal error: {type(error).__name__}: {error}\n"
                "This is a bug in ranpaper; run again with --debug to see the traceback.",
                file=sys.stderr,
            )
        return EXIT_ERROR


def run() -> None:
    """The console script: `main()` with the garbage collector tuned for a short batch run,
    then leave without tearing the interpreter down.

    A normal exit frees every module and object one by one, which costs `ranpaper check` on
    the paper about a twentieth of its time; mypy leaves the same way for the same reason.
    Everything ranpaper writes is closed by then and its workers are stopped, so only the
    standard streams need flushing. `main()` itself returns normally, for library use and
    tests."""
    import contextlib
    import gc
    import os

    # Building the model allocates many small objects that live until the end, and CPython's
    # default collector thresholds make it rescan them over and over: a quarter of checking a
    # paper of 2 MB. mypy tunes its collector the same way for the same reason.
    gc.set_threshold(200_000, 30, 30)
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left while the report was still buffered
        pass
    except OSError as error:  # e.g. a full disk: the report is incomplete
        print(f"ranpaper: error: cannot write the output: {error.strerror}", file=sys.stderr)
        code = EXIT_ERROR
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


def _check(args: argparse.Namespace) -> int:
    from ranpaper.check import failing
    from ranpaper.config import load_config
    from ranpaper.diagnostics import summarise
    from ranpaper.parse import find_papers
    from ranpaper.report import write

    files = find_papers(args.paths)
    config = load_config(Path(args.paths[0])).with_selection(args.select, args.ignore)
    if args.fix or args.diff or args.add_waivers is not None:
        return _check_and_edit(args, files, config)
    if args.baseline is not None:
        diagnostics = _against_baseline(args.baseline, files, config)
    else:
        diagnostics = [d for found in _map_papers(check_diagnostics, files, config) for d in found]
    summary = summarise(diagnostics, len(files), args.strict)
    if args.output:
        with args.output.open("w", encoding="utf-8") as stream:
            write(args.format, diagnostics, summary, args.quiet, stream)
    else:
        write(args.format, diagnostics, summary, args.quiet)
    return EXIT_FINDINGS if failing(diagnostics, args.strict) else EXIT_OK


def check_diagnostics(path: Path, config: object) -> list:  # type: ignore[type-arg]
    """One paper's diagnostics (a top-level function, so that worker processes can run it)."""
    from ranpaper.check import check_file

    return check_file(path, config)[1]  # type: ignore[arg-type]


def check_keys(path: Path, config: object) -> tuple[list, list]:  # type: ignore[type-arg]
    """One paper's diagnostics with their baseline keys (for worker processes)."""
    from ranpaper.baseline import keys
    from ranpaper.check import check_file

    paper, found = check_file(path, config)  # type: ignore[arg-type]
    return found, keys(paper, found)


def _against_baseline(baseline: Path, files: list[Path], config: Config) -> list:  # type: ignore[type-arg]
    """The diagnostics not in the baseline; with no baseline file yet, record one and keep
    none (today's findings are accepted)."""
    from collections import Counter

    from ranpaper.baseline import read_baseline, write_baseline

    results = _map_papers(check_keys, files, config)
    if not baseline.exists():
        entries = [key for _found, found_keys in results for key in found_keys]
        write_baseline(baseline, entries)
        print(f"recorded {len(entries)} finding(s) in {baseline}", file=sys.stderr)
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


def _check_and_edit(args: argparse.Namespace, files: list[Path], config: Config) -> int:
    """`check --fix`, `--diff` or `--add-waivers`: change the files (or show how), then
    report what remains."""
    from ranpaper.check import failing
    from ranpaper.diagnostics import Diagnostic, summarise
    from ranpaper.report import write

    if args.add_waivers is not None and (args.fix or args.diff):
        raise RanpaperError("--add-waivers cannot be combined with --fix or --diff")
    remaining: list[Diagnostic] = []
    changed = refused = 0
    for path in files:
        if args.add_waivers is not None:
            text, new_text, left, problem = _waive(path, config, args.add_waivers)
        else:
            text, new_text, left, problem = _fix(path, config, args.unsafe_fixes)
        remaining.extend(left)
        if problem:
            refused += 1
            print(f"{path}: {problem}", file=sys.stderr)
            continue
        if new_text == text:
            continue
        changed += 1
        if args.diff:
            sys.stdout.write(_unified(text, new_text, str(path)))
        else:
            _replace_file(path, new_text)
            if not args.quiet:
                print(f"wrote {path}", file=sys.stderr)
    if args.diff:
        return EXIT_FINDINGS if changed or refused else EXIT_OK
    if args.baseline is not None:
        remaining = _against_baseline(args.baseline, files, config)
    summary = summarise(remaining, len(files), args.strict)
    if args.output:
        with args.output.open("w", encoding="utf-8") as stream:
            write(args.format, remaining, summary, args.quiet, stream)
    else:
        write(args.format, remaining, summary, args.quiet)
    return EXIT_FINDINGS if refused or failing(remaining, args.strict) else EXIT_OK


def _fix(path: Path, config: Config, unsafe: bool) -> tuple[str, str, list, str | None]:  # type: ignore[type-arg]
    from ranpaper.fixes import fix_file

    text, result = fix_file(path, config, unsafe)
    if result.refused:
        new = "; ".join(f"{d.line}: {d.code} {d.message}" for d in result.refused[:5])
        return text, text, result.remaining, f"fixes not applied, they would add findings ({new})"
    if not unsafe:
        hidden = sum(
            1 for d in result.remaining if d.fix is not None and d.fix.applicability == "unsafe"
        )
        if hidden:
            print(f"{path}: {hidden} more fix(es) with --unsafe-fixes", file=sys.stderr)
    return text, result.text, result.remaining, None


def _waive(path: Path, config: Config, reason: str) -> tuple[str, str, list, str | None]:  # type: ignore[type-arg]
    from ranpaper.baseline import waiver_edits
    from ranpaper.check import check_file
    from ranpaper.diagnostics import Fix
    from ranpaper.fixes import apply_edits
    from ranpaper.model import content
    from ranpaper.parse import read_source

    reason = " ".join(reason.split())
    if not reason or "--" in reason:
        raise RanpaperError("--add-waivers needs a reason, without `--` (it ends a comment)")
    text = read_source(path, config.max_bytes)
    paper, found = check_file(path, config, text)
    if paper is None:
        return text, text, found, None
    edits, unreachable = waiver_edits(text, found, reason)
    if unreachable:
        lines = ", ".join(str(d.line) for d in unreachable[:10])
        print(
            f"{path}: {len(unreachable)} finding(s) cannot be waived in place (front matter or "
            f"waivers themselves; line {lines}): fix them instead",
            file=sys.stderr,
        )
    if not edits:
        return text, text, found, None
    new_text, _chosen = apply_edits(text, [Fix("waive", (edit,)) for edit in edits])
    new_paper, after = check_file(path, config, new_text)
    if new_paper is None or content(new_paper) != content(paper):
        return text, text, found, "waivers not written: a waiver line would change the paper"
    return text, new_text, after, None


def _unified(old: str, new: str, name: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), name, name
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _replace_file(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all (a temporary file moved over it). A
    symbolic link stays one: the file it points to is written."""
    import os
    import tempfile

    path = path.resolve()

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fmt(args: argparse.Namespace) -> int:
    """`ranpaper fmt`: rewrite each paper canonically; `--check` and `--diff` write nothing."""
    from ranpaper.config import load_config
    from ranpaper.formatting import format_text
    from ranpaper.parse import find_papers, read_source

    files = find_papers(args.paths)
    config = load_config(Path(args.paths[0]))
    changed = refused = 0
    for path in files:
        text = read_source(path, config.max_bytes)
        result = format_text(text, str(path), config.working_groups)
        if result.refused:
            refused += 1
            print(f"{path}: not formatted: {result.refused}", file=sys.stderr)
            continue
        if result.text == text:
            continue
        changed += 1
        if args.diff:
            sys.stdout.write(_unified(text, result.text, str(path)))
        elif args.check:
            print(f"would reformat {path}")
        else:
            _replace_file(path, result.text)
            print(f"formatted {path}")
    if args.check or args.diff:
        return EXIT_FINDINGS if changed or refused else EXIT_OK
    return EXIT_FINDINGS if refused else EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    """`ranpaper diff OLD NEW [-- PATH…]`: two paper files, or two git revisions of papers."""
    import json

    from ranpaper.baseline import keys
    from ranpaper.check import check_paper
    from ranpaper.config import load_config
    from ranpaper.parse import parse
    from ranpaper.semdiff import Report, compare, diff_findings, to_markdown, to_text

    pairs = _diff_sources(args.old, args.new, args.files)
    config = load_config(Path(args.files[0] if args.files else args.new))
    reports = []
    for name, old_text, new_text in pairs:
        old = parse(old_text, name, working_groups=config.working_groups)
        new = parse(new_text, name, working_groups=config.working_groups)
        old_keys = keys(old, check_paper(old, config)) if old_text else []
        new_keys = keys(new, check_paper(new, config)) if new_text else []
        added, fixed = diff_findings(old_keys, new_keys)
        reports.append((name, Report(compare(old, new), added, fixed)))
    if args.format == "json":
        data = [{"path": name, **report.to_dict()} for name, report in reports]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        write = to_markdown if args.format == "markdown" else to_text
        sys.stdout.write("\n".join(write(report, name) for name, report in reports))
    return EXIT_OK


def _diff_sources(old: str, new: str, files: list[str]) -> list[tuple[str, str, str]]:
    """(name, old text, new text) for each paper: OLD and NEW are files when both exist and
    no paths follow; otherwise git revisions of the paths (default: source/). A paper absent
    from a revision is empty there."""
    from ranpaper.parse import SUFFIXES, find_papers, read_source

    if not files and (old.endswith(SUFFIXES) or new.endswith(SUFFIXES)):
        return [(new, read_source(Path(old)), read_source(Path(new)))]
    names = sorted({*_git_papers(old, files or ["source"]), *_git_papers(new, files or ["source"])})
    if not names:
        # Neither revision lists a paper: perhaps they are not revisions at all.
        find_papers([old, new])  # names a missing file clearly
        raise RanpaperError(f"no paper in {old} or {new}")
    return [(name, _git_show(old, name), _git_show(new, name)) for name in names]


def _git(about: str, *argv: str) -> str:
    """git's output; `about` (the revision asked for) names a failure."""
    import subprocess

    try:
        done = subprocess.run(["git", *argv], capture_output=True, text=True, check=False)
    except OSError as error:
        raise RanpaperError(f"cannot run git: {error.strerror}", about) from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
        raise RanpaperError(f"not a file, and git cannot read it as a revision: {message}", about)
    return done.stdout


def _git_papers(revision: str, paths: list[str]) -> list[str]:
    listed = _git(revision, "ls-tree", "-r", "--name-only", "--full-tree", revision, "--", *paths)
    prefix = _git(revision, "rev-parse", "--show-prefix").strip()
    from ranpaper.parse import SUFFIXES

    return [
        name.removeprefix(prefix)
        for name in listed.splitlines()
        if name.endswith(SUFFIXES) and name.startswith(prefix)
    ]


def _git_show(revision: str, name: str) -> str:
    import subprocess

    done = subprocess.run(["git", "show", f"{revision}:./{name}"], capture_output=True, check=False)
    if done.returncode != 0:
        return ""  # not in this revision: added or removed
    try:
        return done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise RanpaperError(f"is not valid UTF-8 in {revision}", name) from None


def _map_papers(function, files: list[Path], config: object) -> list:  # type: ignore[no-untyped-def, type-arg]
    """`function(path, config)` for every paper, on all cores when there are several. Results
    come back in the order of `files`, so output and exit status never depend on scheduling."""
    import os

    workers = min(len(files), os.cpu_count() or 1)
    if workers <= 1:
        return [function(path, config) for path in files]
    import concurrent.futures
    import functools

    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(functools.partial(function, config=config), files, chunksize=4))


def _build(args: argparse.Namespace) -> int:
    from ranpaper.build import ALL_FORMATS, cached_up_to_date, start_workers, stop_workers
    from ranpaper.config import load_config
    from ranpaper.parse import find_papers, read_source

    formats = tuple(_codes_lower(args.format)) if args.format else ALL_FORMATS
    unknown = [fmt for fmt in formats if fmt not in ALL_FORMATS]
    if unknown:
        raise RanpaperError(
            f"unknown format {', '.join(unknown)}; choose from {', '.join(ALL_FORMATS)}"
        )
    files = find_papers(args.paths)
    config = load_config(Path(args.paths[0]))
    sources = {str(path): read_source(path, config.max_bytes) for path in files}
    # Unless nothing needs rendering, the render workers start now and import WeasyPrint
    # while the papers are checked.
    renders = {"pdf", "briefs"} & set(formats)
    pool = None
    if renders and not cached_up_to_date(sources, args.out, formats):
        pool = start_workers()
    try:
        return _check_and_build(args, files, sources, config, formats, pool)
    finally:
        stop_workers(pool)


def _check_and_build(
    args: argparse.Namespace,
    files: list[Path],
    sources: dict[str, str],
    config: Config,
    formats: tuple[str, ...],
    pool: ProcessPoolExecutor | None,
) -> int:
    from ranpaper.build import build, terminal_progress
    from ranpaper.check import check_file
    from ranpaper.diagnostics import Diagnostic, Severity, summarise
    from ranpaper.report import write

    papers = []
    errors: list[Diagnostic] = []
    warnings = 0
    for path in files:
        paper, found = check_file(path, config, sources[str(path)])  # read once
        errors.extend(d for d in found if d.severity is Severity.error)
        warnings += sum(d.severity is Severity.warning for d in found)
        if paper is not None:
            papers.append((paper, sources[str(path)]))
    if errors:
        summary = summarise(errors, len(files), strict=False)
        write("text", errors, summary, quiet=False, stream=sys.stderr)
        if not args.force:
            print(
                f"ranpaper: build refused: {len(errors)} error(s); fix them, or use --force",
                file=sys.stderr,
            )
            return EXIT_FINDINGS
    if warnings and not args.quiet:
        print(f"{warnings} warning(s); `ranpaper check` shows them")
    progress = terminal_progress(args.quiet)
    try:
        results = build(papers, args.out, formats, progress, pool)
    finally:
        if progress is not None:
            sys.stderr.write("\r\x1b[2K")
    if not args.quiet:
        for result in results:
            state = "wrote" if result.rendered else "up to date"
            for output in result.outputs:
                print(f"{state} {output}")
    return EXIT_OK


def _codes_lower(value: str) -> list[str]:
    return [part.strip().lower() for part in value.split(",") if part.strip()]


def _schema(args: argparse.Namespace) -> int:
    from ranpaper.schema import schema_text

    current = schema_text()
    if args.write:
        args.path.parent.mkdir(parents=True, exist_ok=True)
        args.path.write_text(current, "utf-8")
        print(f"wrote {args.path}")
        return EXIT_OK
    if args.check:
        try:
            committed = args.path.read_text("utf-8")
        except OSError as error:
            raise RanpaperError(
                f"cannot read the schema: {error.strerror}", str(args.path)
            ) from None
        if committed != current:
            print(
                f"{args.path} is stale: the model changed. Run `ranpaper schema --write` and "
                "commit the result.",
                file=sys.stderr,
            )
            return EXIT_FINDINGS
        print(f"{args.path} is up to date")
        return EXIT_OK
    sys.stdout.write(current)
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from ranpaper.rules import REGISTRY, fix_kind, summary_line

    if args.code is None:
        for code, listed in REGISTRY.items():
            fix = fix_kind(listed) or ""
            print(
                f"{code}  {listed.SEVERITY.value:<7}  {listed.NAME:<26}  {fix:<6}  "
                f"{summary_line(listed)}"
            )
        return EXIT_OK
    wanted = args.code.strip()
    rule: ModuleType | None = REGISTRY.get(wanted.upper()) or next(
        (r for r in REGISTRY.values() if wanted.lower() == r.NAME), None
    )
    if rule is None:
        raise RanpaperError(f"no rule {wanted!r}; `ranpaper rules` lists them")
    fix = fix_kind(rule) or "none"
    print(f"{rule.CODE} {rule.NAME} (default severity: {rule.SEVERITY.value}; fix: {fix})\n")
    print(textwrap.dedent(rule.__doc__ or "").strip())
    return EXIT_OK


_COMMANDS = {
    "check": _check,
    "build": _build,
    "schema": _schema,
    "rules": _rules,
    "fmt": _fmt,
    "diff": _diff,
}

if __name__ == "__main__":  # pragma: no cover
    run()
