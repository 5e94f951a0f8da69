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


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (0 to 65535)")
    return int(value)


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

    # --- live: serve and lsp (src/ranpaper/serve/, src/ranpaper/lsp.py) ---
    serve = sub.add_parser("serve", help="serve the web page, reloaded on every save")
    serve.add_argument(
        "paths",
        nargs="*",
        default=["source"],
        metavar="PATH",
        help="a paper file or folder of papers (default: source/)",
    )
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000; 0: any free)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1 only)"
    )
    serve.add_argument("--open", action="store_true", help="open the page in a web browser")
    sub.add_parser("lsp", help="language server for editors, over stdio")
    return parser


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
    from ranpaper.rules import REGISTRY, summary_line

    if args.code is None:
        for code, listed in REGISTRY.items():
            print(f"{code}  {listed.SEVERITY.value:<7}  {listed.NAME:<26}  {summary_line(listed)}")
        return EXIT_OK
    wanted = args.code.strip()
    rule: ModuleType | None = REGISTRY.get(wanted.upper()) or next(
        (r for r in REGISTRY.values() if wanted.lower() == r.NAME), None
    )
    if rule is None:
        raise RanpaperError(f"no rule {wanted!r}; `ranpaper rules` lists them")
    print(f"{rule.CODE} {rule.NAME} (default severity: {rule.SEVERITY.value})\n")
    print(textwrap.dedent(rule.__doc__ or "").strip())
    return EXIT_OK


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
    "serve": _serve,
    "lsp": _lsp,
}

if __name__ == "__main__":  # pragma: no cover
    run()
