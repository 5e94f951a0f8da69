"""The `ranpaper` command: check, build, schema, rules.

Exit codes follow ruff: 0 clean, 1 findings that fail (or a build refused because of them),
2 could not run (missing path, bad option, unreadable configuration, internal error).
"""

from __future__ import annotations

import argparse
import signal
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

    from ranpaper.build import Limits
    from ranpaper.config import Config
    from ranpaper.links.registry import Registry
    from ranpaper.model import Paper

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (0 to 65535)")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    from ranpaper.build.outputs import ALL_FORMATS, DEFAULT_FORMATS  # the registry: no renderer

    parser = argparse.ArgumentParser(
        prog="ranpaper",
        description="Keep a RAN overview paper as checked Markdown source; build its PDF, "
        "HTML, JSON and per-theme briefs.",
    )
    parser.add_argument("--version", action="version", version=f"ranpaper {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="report what is wrong in papers, like a compiler")
    _paths(check)
    check.add_argument("--format", choices=["text", "json", "github", "sarif"], default="text")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--select", type=_codes, help="only these codes or prefixes (RP1,RP301)")
    check.add_argument("--ignore", type=_codes, help="skip these codes or prefixes")
    check.add_argument("--quiet", action="store_true", help="only errors, and no summary if clean")
    check.add_argument("--output", type=Path, help="write the report to this file")
    check.add_argument(
        "--statistics",
        action="store_true",
        help="print the number of findings per rule instead of each finding (with --output "
        "or a machine format: after the report, on stdout or stderr)",
    )
    _config_options(check)
    _editor_check_options(check)

    build = sub.add_parser("build", help="check, then write the paper's outputs")
    _paths(build)
    build.add_argument("--out", type=Path, default=Path("build"), help="output folder (build/)")
    build.add_argument(
        "--format",
        default=None,
        help=f"comma-separated outputs from {', '.join(ALL_FORMATS)}, or all "
        f"(default: {','.join(DEFAULT_FORMATS)})",
    )
    build.add_argument("--force", action="store_true", help="build even if the check has errors")
    build.add_argument("--quiet", action="store_true", help="print nothing unless it fails")
    _config_options(build)

    schema = sub.add_parser("schema", help="print, write or verify the JSON Schema")
    mode = schema.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail if the committed schema is stale")
    mode.add_argument("--write", action="store_true", help="update the committed schema")
    schema.add_argument("--path", type=Path, default=Path("schema/paper.schema.json"))

    rules = sub.add_parser("rules", help="list the rules, or explain one")
    rules.add_argument("code", nargs="?", help="a rule code such as RP203, or its name")
    _links_parser(sub)

    # --- live: serve and lsp (src/ranpaper/serve/, src/ranpaper/lsp.py) ---
    serve = sub.add_parser("serve", help="serve the web page, reloaded on every save")
    _paths(serve)
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000; 0: any free)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1 only)"
    )
    serve.add_argument("--open", action="store_true", help="open the page in a web browser")
    sub.add_parser("lsp", help="language server for editors, over stdio")
    _editor_commands(sub)
    return parser


def _paths(command: argparse.ArgumentParser) -> None:
    """The papers a command works on: files, or folders searched for papers."""
    command.add_argument(
        "paths",
        nargs="*",
        default=["source"],
        metavar="PATH",
        help="paper files or folders of papers (default: source/)",
    )


def _config_options(command: argparse.ArgumentParser) -> None:
    """How a command finds its configuration (see `ranpaper.config` and docs/ci.md)."""
    where = command.add_mutually_exclusive_group()
    where.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="read the configuration from this ranpaper.toml or pyproject.toml only",
    )
    where.add_argument(
        "--isolated", action="store_true", help="ignore every configuration file (defaults)"
    )
    command.add_argument(
        "--trust-config",
        action="store_true",
        help="accept a configuration found next to the papers that raises max-bytes or turns "
        "off a safety rule (RP308, RP309, RP310)",
    )


def _load_config(args: argparse.Namespace, start: str | None = None) -> Config:
    from ranpaper.config import load_config

    return load_config(
        Path(start or args.paths[0]),
        path=args.config,
        isolated=args.isolated,
        trusted=args.trust_config,
    )


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


def _editor_commands(sub: argparse._SubParsersAction) -> None:
    fmt = sub.add_parser("fmt", help="rewrite papers in the canonical Markdown form")
    _paths(fmt)
    fmt.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    fmt.add_argument("--diff", action="store_true", help="print the changes; write nothing")
    _config_options(fmt)

    diff = sub.add_parser("diff", help="what changed in a paper between two versions")
    diff.add_argument("old", help="a paper file, or a git revision")
    diff.add_argument("new", help="a paper file, or a git revision")
    diff.add_argument("files", nargs="*", metavar="PATH", help="after --: the papers (revisions)")
    diff.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    _config_options(diff)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except RanpaperError as error:
        from ranpaper.build import BuildError
        from ranpaper.render.pdf import RefusedFetch
        from ranpaper.report import visible

        print(f"ranpaper: error: {visible(str(error))}", file=sys.stderr)
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
    try:
        return _run_check(args)
    except Exception as error:  # main() reports it; code scanning still gets a file saying why
        if args.format == "sarif":
            import contextlib

            from ranpaper.report import sarif_failure

            with contextlib.suppress(OSError):
                if args.output:
                    with args.output.open("w", encoding="utf-8") as stream:
                        sarif_failure(error, stream)
                else:
                    sarif_failure(error, sys.stdout)
        raise


def _run_check(args: argparse.Namespace) -> int:
    from ranpaper.check import failing, not_a_paper
    from ranpaper.diagnostics import summarise
    from ranpaper.parse import scan
    from ranpaper.report import statistics, write

    config = _load_config(args).with_selection(args.select, args.ignore)
    files, skipped = scan(args.paths, config.exclude)
    if args.fix or args.diff or args.add_waivers is not None:
        return _check_and_edit(args, files, config)
    if args.baseline is not None:
        diagnostics = _against_baseline(args.baseline, files, config)
    else:
        diagnostics = [d for found in _map_papers(check_diagnostics, files, config) for d in found]
    if config.selects("RP006"):
        diagnostics.extend(not_a_paper(path, config) for path in skipped)
    summary = summarise(diagnostics, len(files), args.strict)
    if args.statistics and args.format == "text" and not args.output:
        # As `ruff check --statistics`: the counts per rule instead of every finding.
        statistics(diagnostics, sys.stdout)
        return EXIT_FINDINGS if failing(diagnostics, args.strict) else EXIT_OK
    if args.output:
        with args.output.open("w", encoding="utf-8") as stream:
            write(args.format, diagnostics, summary, args.quiet, stream)
    else:
        write(args.format, diagnostics, summary, args.quiet)
    if args.statistics:
        statistics(diagnostics, sys.stdout if args.output or args.format == "text" else sys.stderr)
    return EXIT_FINDINGS if failing(diagnostics, args.strict) else EXIT_OK


def check_diagnostics(path: Path, config: object) -> list:
    """One paper's diagnostics (a top-level function, so that worker processes can run it)."""
    from ranpaper.check import check_file

    return check_file(path, config)[1]  # type: ignore[arg-type]


def check_keys(path: Path, config: object) -> tuple[list, list]:
    """One paper's diagnostics with their baseline keys (for worker processes)."""
    from ranpaper.baseline import keys
    from ranpaper.check import check_file

    paper, found = check_file(path, config)  # type: ignore[arg-type]
    return found, keys(paper, found)


def _against_baseline(baseline: Path, files: list[Path], config: Config) -> list:
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


def _fix(path: Path, config: Config, unsafe: bool) -> tuple[str, str, list, str | None]:
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


def _waive(path: Path, config: Config, reason: str) -> tuple[str, str, list, str | None]:
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
    from ranpaper.formatting import format_text
    from ranpaper.parse import find_papers, read_source

    config = _load_config(args)
    files = find_papers(args.paths, config.exclude)
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
    from ranpaper.parse import parse
    from ranpaper.semdiff import Report, compare, diff_findings, to_markdown, to_text

    pairs = _diff_sources(args.old, args.new, args.files)
    config = _load_config(args, args.files[0] if args.files else args.new)
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


def _map_papers(function, files: list[Path], config: object) -> list:
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
    from ranpaper.build import Limits, cached_up_to_date, parse_formats, start_workers, stop_workers
    from ranpaper.build.outputs import REGISTRY
    from ranpaper.links.recover import keyed_source
    from ranpaper.parse import find_papers, read_source

    formats = parse_formats(args.format)
    config = _load_config(args)
    files = find_papers(args.paths, config.exclude)
    limits = Limits.from_config(config)
    sources = {str(path): read_source(path, config.max_bytes) for path in files}
    # Unless nothing needs rendering, the render workers start now and import WeasyPrint
    # while the papers are checked.
    # A CI cancellation (SIGTERM) ends the build as Ctrl-C does: the workers stopped, the
    # staging folder removed, the previous outputs untouched. (Workers reset it for themselves.)
    previous = signal.signal(signal.SIGTERM, _terminated)
    pool = None
    keyed = {path: keyed_source(path, source) for path, source in sources.items()}
    try:
        if any(REGISTRY[name].renders for name in formats) and not cached_up_to_date(
            keyed, args.out, formats
        ):
            pool = start_workers(limits=limits)
        return _check_and_build(args, files, sources, config, formats, pool, limits)
    finally:
        stop_workers(pool)
        signal.signal(signal.SIGTERM, previous)


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _check_and_build(
    args: argparse.Namespace,
    files: list[Path],
    sources: dict[str, str],
    config: Config,
    formats: tuple[str, ...],
    pool: ProcessPoolExecutor | None,
    limits: Limits,
) -> int:
    from ranpaper.build import build, terminal_progress
    from ranpaper.check import check_file
    from ranpaper.diagnostics import Diagnostic, Severity, summarise
    from ranpaper.links.recover import for_build
    from ranpaper.report import write

    papers = []
    errors: list[Diagnostic] = []
    warnings = 0
    for path in files:
        paper, found = check_file(path, config, sources[str(path)])  # read once
        errors.extend(d for d in found if d.severity is Severity.error)
        warnings += sum(d.severity is Severity.warning for d in found)
        if paper is not None:  # with the links the registry beside it recovers
            papers.append(for_build(paper, sources[str(path)]))
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
        folders = [Path(path) for path in args.paths if Path(path).is_dir()]
        results = build(papers, args.out, formats, progress, pool, limits, folders)
    finally:
        if progress is not None:
            sys.stderr.write("\r\x1b[2K")
    if not args.quiet:
        from ranpaper.report import visible  # a file name may hold a line break or ESC

        for result in results:
            state = "wrote" if result.rendered else "up to date"
            for output in result.outputs:
                print(f"{state} {visible(str(output))}")
    return EXIT_OK


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
        for code, listed in sorted(REGISTRY.items()):
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
        import difflib

        names = [*REGISTRY, *(r.NAME for r in REGISTRY.values())]
        close = difflib.get_close_matches(wanted.upper(), names, n=1, cutoff=0.6) or (
            difflib.get_close_matches(wanted.lower(), names, n=1, cutoff=0.6)
        )
        guess = f"; did you mean {close[0]}?" if close else ""
        raise RanpaperError(f"no rule {wanted!r}{guess} (`ranpaper rules` lists them)")
    fix = fix_kind(rule) or "none"
    print(f"{rule.CODE} {rule.NAME} (default severity: {rule.SEVERITY.value}; fix: {fix})\n")
    print(textwrap.dedent(rule.__doc__ or "").strip())
    return EXIT_OK


# --- `ranpaper links`: lost links found again (links.toml) and external links checked -------


def _links_parser(sub: argparse._SubParsersAction) -> None:
    links = sub.add_parser(
        "links", help="list lost links, write found ones into the source, check external URLs"
    )
    _paths(links)
    mode = links.add_mutually_exclusive_group()
    mode.add_argument(
        "--lost", action="store_true", help="list what is still lost, by document (default)"
    )
    mode.add_argument(
        "--apply", action="store_true", help="write the URLs of links.toml into the source"
    )
    mode.add_argument(
        "--check-external",
        action="store_true",
        help="ask whether every external URL of the papers and links.toml still answers",
    )
    links.add_argument(
        "--format",
        choices=["table", "csv", "json", "text"],
        help="table (csv, json) for --lost; text (json) for --check-external",
    )
    links.add_argument("--offline", action="store_true", help="ask nothing; report the cache")
    links.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="cache file (default: .ranpaper-links-cache.json in the current folder)",
    )
    links.add_argument(
        "--ttl",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long a cached answer holds (default: 86400)",
    )
    links.add_argument(
        "--per-host",
        type=int,
        default=4,
        metavar="N",
        help="requests to one host at once (default: 4)",
    )
    links.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="for each request (default: 10)",
    )
    _config_options(links)


def _links_papers(args: argparse.Namespace) -> list[tuple[Path, str, Paper, Registry | None]]:
    """(path, source, paper, registry) for every paper named."""
    from ranpaper.links.registry import registry_beside
    from ranpaper.parse import find_papers, parse, read_source

    config = _load_config(args)
    found: list[tuple[Path, str, Paper, Registry | None]] = []
    for path in find_papers(args.paths, config.exclude):
        source = read_source(path, config.max_bytes)
        paper = parse(source, str(path), **config.reading())
        found.append((path, source, paper, registry_beside(path)))
    return found


def _links(args: argparse.Namespace) -> int:
    if args.apply:
        return _links_apply(args)
    if args.check_external:
        return _links_external(args)
    if args.format == "text":
        raise RanpaperError("--format text is for --check-external; --lost writes table, csv, json")
    return _links_lost(args)


def _links_lost(args: argparse.Namespace) -> int:
    from ranpaper.links.lost import FORMATS, still_lost

    documents = []
    links = recovered = 0
    for _path, _source, paper, registry in _links_papers(args):
        lost, count = still_lost(paper, registry)
        documents.extend(lost)
        links += sum(len(document.citations) for document in lost)
        recovered += count
    sys.stdout.write(FORMATS[args.format or "table"](documents))
    if (args.format or "table") == "table":
        by_registry = f" ({recovered} recovered by links.toml)" if recovered else ""
        print(f"\n{links} link(s) still lost, {len(documents)} document(s){by_registry}")
    return EXIT_OK


def _links_apply(args: argparse.Namespace) -> int:
    from ranpaper.links.apply import apply_edits, edits
    from ranpaper.links.recover import recover
    from ranpaper.model import content
    from ranpaper.parse import parse

    reading = _load_config(args).reading()  # parsed again as at first
    code = EXIT_OK
    for path, source, paper, registry in _links_papers(args):
        if registry is None:
            print(f"{path}: no links.toml beside it; nothing to write")
            continue
        changes, skipped = edits(paper, registry, source)
        for item in skipped:
            span = item.citation.span
            print(
                f'{path}:{span.line}:{span.column}: cannot write "{item.citation.text}": '
                f"{item.reason}",
                file=sys.stderr,
            )
            code = EXIT_FINDINGS
        if not changes:
            print(f"{path}: no lost link that links.toml recovers")
            continue
        text = apply_edits(source, changes)
        again = parse(text, str(path), **reading)
        if content(again) != content(recover(paper, registry)):
            raise RanpaperError(
                "writing the URLs would change more than the links; nothing was written",
                str(path),
            )
        _replace_file(path, text)
        print(
            f"{path}: wrote {len(changes)} URL(s) from {registry.path}; "
            "their entries now match no lost link (RP312): remove them"
        )
    return code


def _links_external(args: argparse.Namespace) -> int:
    import json

    from ranpaper.links import external

    if args.format in ("table", "csv"):
        raise RanpaperError("--check-external writes text or json")
    if args.per_host < 1:
        raise RanpaperError("--per-host must be at least 1")
    where: dict[str, list[external.Place]] = {}
    for _path, source, paper, registry in _links_papers(args):
        for url, found in external.places(paper, source, registry).items():
            where.setdefault(url, []).extend(found)
    settings = external.Settings(
        per_host=args.per_host,
        timeout=args.timeout,
        offline=args.offline,
        ttl=external.DEFAULT_TTL if args.ttl is None else args.ttl,
    )
    cache_path = args.cache or external.DEFAULT_CACHE
    cache = external.read_cache(cache_path)
    results = external.check_urls(list(where), settings, cache)
    if not args.offline:
        external.write_cache(cache_path, {**cache, **results})
    if args.format == "json":
        report = [
            {
                **results[url].to_dict(),
                "places": [
                    {
                        "path": p.path,
                        "line": p.line,
                        "column": p.column,
                        "fix": _fix_data(external.fix_for(results[url], p)),
                    }
                    for p in places
                ],
            }
            for url, places in where.items()
        ]
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print_external(where, results)
    return EXIT_FINDINGS if any(r.status.fails for r in results.values()) else EXIT_OK


def _fix_data(fix: object) -> object:
    import dataclasses

    return None if fix is None else dataclasses.asdict(fix)  # type: ignore[call-overload]


def _print_external(where: dict, results: dict) -> None:
    from collections import Counter

    from ranpaper.links.external import Status, fix_for

    for url, places in where.items():
        result = results[url]
        if result.status is Status.ok:
            continue
        for place in places:
            print(
                f"{place.path}:{place.line}:{place.column}: {result.status.value}: {url}: "
                f"{result.detail}"
            )
            fix = fix_for(result, place)
            if fix is not None:
                print(f"    = fix ({fix.applicability.value}): {fix.message}")
    counts = Counter(r.status.value for r in results.values())
    cached = sum(r.from_cache for r in results.values())
    parts = ", ".join(f"{counts[s.value]} {s.value}" for s in Status if counts[s.value])
    print(f"{len(results)} URL(s) ({cached} answered from the cache): {parts or 'none'}")


def _serve(args: argparse.Namespace) -> int:
    from ranpaper.serve import serve

    return serve([Path(p) for p in args.paths], args.host, args.port, args.open)


def _lsp(args: argparse.Namespace) -> int:
    from ranpaper.lsp import main as lsp_main

    lsp_main()
    return EXIT_OK


_COMMANDS = {
    "check": _check,
    "build": _build,
    "schema": _schema,
    "rules": _rules,
    "links": _links,
    "serve": _serve,
    "lsp": _lsp,
    "fmt": _fmt,
    "diff": _diff,
}

if __name__ == "__main__":  # pragma: no cover
    run()
