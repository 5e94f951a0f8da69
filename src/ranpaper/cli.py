"""The `ranpaper` command line: it parses the arguments, runs the command
(`ranpaper.commands.NAME.run`, or `serve` / `lsp`) and maps the outcome to an exit code.
Nothing else lives here: commands read, check and write through the workspace.

Exit codes follow ruff: 0 clean, 1 findings that fail (or a build refused because of them),
2 could not run (missing path, bad option, unreadable configuration, internal error).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from ranpaper import __version__
from ranpaper.errors import RanpaperError
from ranpaper.fs import forget_written
from ranpaper.printing import visible, written_before

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
DEBUG_HELP = "show tracebacks of internal errors"


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
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="report what is wrong in papers, like a compiler")
    _paths(check)
    check.add_argument(
        "--format",
        choices=["text", "json", "github", "sarif"],
        default="text",
        help="text for people (default), json for tools, github for workflow annotations, "
        "sarif for code scanning",
    )
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument(
        "--select",
        type=_codes,
        metavar="CODES",
        help="only these codes, prefixes or names (RP1,link-lost)",
    )
    check.add_argument(
        "--extend-select",
        type=_codes,
        metavar="CODES",
        help="these codes, prefixes or names too, besides the selection",
    )
    check.add_argument(
        "--ignore", type=_codes, metavar="CODES", help="skip these codes, prefixes or names"
    )
    _quiet(check, "only the findings that fail, and no summary if clean")
    check.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when findings fail (2 still means it could not run)",
    )
    _stdin_filename(check)
    check.add_argument("--output", type=Path, help="write the report to this file")
    check.add_argument(
        "--statistics",
        action="store_true",
        help="print the number of findings per rule instead of each finding (with --output "
        "or a machine format: after the report, on stdout or stderr)",
    )
    check.add_argument(
        "--original",
        type=Path,
        metavar="PAPER",
        help="check the papers as translations of PAPER: the parity rules RP401-RP403 "
        "(docs/translation.md); a front matter's `translation-of:` does the same",
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
    _quiet(build, "print nothing unless it fails")
    _config_options(build)

    schema = sub.add_parser("schema", help="print, write or verify the JSON Schema")
    mode = schema.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail if the committed schema is stale")
    mode.add_argument("--write", action="store_true", help="update the committed schema")
    schema.add_argument(
        "--path",
        type=Path,
        default=Path("schema/paper.schema.json"),
        help="the committed schema that --check and --write use (schema/paper.schema.json)",
    )

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
    _translate_commands(sub)
    _editor_commands(sub)
    init = sub.add_parser("init", help="start a new paper: a minimal paper, configuration, profile")
    init.add_argument(
        "folder", nargs="?", default=".", metavar="FOLDER", help="where (default: this folder)"
    )
    for command in sub.choices.values():  # as ruff: `ranpaper check --debug` works too
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP
        )
    return parser


def _quiet(command: argparse.ArgumentParser, help: str) -> None:
    command.add_argument("-q", "--quiet", action="store_true", help=help)


def _stdin_filename(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="with `-` as the only PATH (standard input): the paper's name, for its "
        "configuration and the report",
    )


def _translate_commands(sub: argparse._SubParsersAction) -> None:
    """`ranpaper translate export|import|check` (`ranpaper.commands.translate`)."""
    translate = sub.add_parser("translate", help="export a paper for translators, import it back")
    actions = translate.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write the paper's text as a gettext PO file")
    export.add_argument("paper", metavar="PAPER")
    export.add_argument("--to", required=True, metavar="LANG", help="the target language (de)")
    export.add_argument("--profile", help="the translation's profile (default: LANG's)")
    export.add_argument("--output", type=Path, help="the PO file (default: PAPER.LANG.po)")
    _config_options(export)
    into = actions.add_parser("import", help="write the translated paper from a PO file")
    into.add_argument("file", metavar="FILE.po")
    into.add_argument("--output", type=Path, help="the paper (default: ORIGINAL.LANG.md)")
    _config_options(into)
    parity = actions.add_parser("check", help="check a translation against its original")
    parity.add_argument("translated", metavar="TRANSLATED")
    parity.add_argument("--original", required=True, metavar="PAPER")
    parity.add_argument("--format", choices=["text", "json", "github", "sarif"], default="text")
    parity.add_argument("--strict", action="store_true", help="warnings fail too")
    _config_options(parity)


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
    _quiet(fmt, "print nothing but errors")
    _stdin_filename(fmt)
    _config_options(fmt)

    diff = sub.add_parser("diff", help="what changed in a paper between two versions")
    diff.add_argument("old", help="a paper file, a git revision, or a range A..B or A...B")
    diff.add_argument("new", nargs="?", help="a paper file or a git revision (default: the files)")
    diff.add_argument("files", nargs="*", metavar="PATH", help="after --: the papers (revisions)")
    diff.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    diff.add_argument("--exit-code", action="store_true", help="exit 1 if anything changed")
    _config_options(diff)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    forget_written()
    try:
        return _command(args.command)(args)
    except RanpaperError as error:
        from ranpaper.build import BuildError
        from ranpaper.render.pdf import RefusedFetch

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
        from ranpaper.fs import written

        print(f"ranpaper: interrupted; {written_before(*written())}", file=sys.stderr)
        return 130
    except ModuleNotFoundError as error:  # an optional dependency the install left out
        from ranpaper.commands import extra_for, missing_extra

        module = (error.name or "").partition(".")[0]
        extra = extra_for(module)
        if extra is None:
            return _internal(error, args.debug)
        print(f"ranpaper: error: {missing_extra(extra, args.command, module)}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as error:  # the promise: never a traceback, unless asked for
        return _internal(error, args.debug)


def _internal(error: Exception, debug: bool) -> int:
    if debug:
        traceback.print_exception(error)
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


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    """The command's `run`, imported only when it runs (`ranpaper.commands.NAME`)."""
    if name == "serve":
        from ranpaper.commands import require

        require("serve", "serve")
        from ranpaper.serve import serve

        return lambda args: serve([Path(p) for p in args.paths], args.host, args.port, args.open)
    if name == "lsp":
        from ranpaper.lsp import main as lsp

        def serve_editor(args: argparse.Namespace) -> int:
            lsp()
            return EXIT_OK

        return serve_editor
    import importlib

    return importlib.import_module(f"ranpaper.commands.{name}").run


if __name__ == "__main__":  # pragma: no cover
    run()
