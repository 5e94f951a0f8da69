"""Diagnostics → text for people, JSON for tools, GitHub workflow annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from ranpaper import __version__
from ranpaper.diagnostics import Applicability, Diagnostic, Severity, Summary
from ranpaper.errors import RanpaperError
from ranpaper.printing import shown, visible
from ranpaper.rules import REGISTRY, summary_line

_COLOURS = {Severity.error: "31", Severity.warning: "33", Severity.info: "36"}

_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _json_text(value: object) -> str:
    """JSON that holds no raw control, separator or surrogate character in its strings."""
    text = json.dumps(value, indent=2, ensure_ascii=False)  # escapes U+0000-U+001F itself
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class _SourceCache:
    def __init__(self, texts: dict[str, str] | None = None) -> None:
        from ranpaper.lines import split_lines

        # Texts not on disk (standard input) are given; files are read when first needed.
        self.files: dict[str, list[str]] = {
            name: split_lines(text) for name, text in (texts or {}).items()
        }

    def line(self, path: str, number: int) -> str | None:
        if path not in self.files:
            from ranpaper.fs import read_text
            from ranpaper.lines import split_lines

            try:  # only a regular file, never more than the largest cap a CI owner would set
                self.files[path] = split_lines(read_text(Path(path), 64 * 1048576))
            except RanpaperError:
                self.files[path] = []
        lines = self.files[path]
        return lines[number - 1] if 0 < number <= len(lines) else None


FIXABLE = "[*]"
"""Marks a finding whose fix `--fix` applies (as ruff marks them)."""


def safely_fixable(d: Diagnostic) -> bool:
    return d.fix is not None and d.fix.applicability is Applicability.safe


def fixable_line(diagnostics: list[Diagnostic]) -> str | None:
    """ruff's closing line: how many findings `--fix` would fix, and how many more
    `--unsafe-fixes` would; None when no finding carries a fix."""
    safe = sum(safely_fixable(d) for d in diagnostics)
    unsafe = sum(d.fix is not None for d in diagnostics) - safe
    if not safe and not unsafe:
        return None
    hidden = f"{unsafe} more with `--fix --unsafe-fixes`" if unsafe else ""
    if not safe:
        return f"No fixes available ({hidden})."
    return f"{FIXABLE} {safe} fixable with `--fix`" + (f" ({hidden})." if hidden else ".")


def text(
    diagnostics: list[Diagnostic],
    summary: Summary,
    stream: TextIO,
    quiet: bool,
    texts: dict[str, str] | None = None,
) -> None:
    colour = _use_colour(stream)

    def paint(code: str, value: str) -> str:
        return f"\x1b[{code}m{value}\x1b[0m" if colour else value

    sources = _SourceCache(texts)
    for d in diagnostics:
        label = paint("1;" + _COLOURS[d.severity], f"{d.severity.value}[{d.code}]")
        if safely_fixable(d):
            label += f" {FIXABLE}"
        where = f"{shown(d.path)}:{d.line}:{d.column}:"
        stream.write(f"{paint('1', where)} {label} {visible(d.message)}\n")
        source = sources.line(d.path, d.line)
        if source is not None and not quiet:
            gutter = " " * len(str(d.line))
            text = visible(source.expandtabs(4))
            width = (d.end_column - d.column) if d.end_line == d.line else len(text) - d.column + 1
            caret = " " * (d.column - 1) + "^" * max(1, min(width, len(text) - d.column + 1))
            stream.write(
                f"{gutter} |\n{d.line} | {text}\n{gutter} | {paint(_COLOURS[d.severity], caret)}\n"
            )
            if d.hint:
                stream.write(f"{gutter} = hint: {visible(d.hint)}\n")
            stream.write("\n")
        elif d.hint and not quiet:
            stream.write(f"  hint: {visible(d.hint)}\n")
    if quiet and not summary.failed:
        return
    counts = ", ".join(
        [
            _plural(summary.errors, "error"),
            _plural(summary.warnings, "warning"),
            _plural(summary.infos, "info"),
        ]
    )
    verdict = paint("1;31", "failed") if summary.failed else paint("1;32", "passed")
    stream.write(f"{verdict}: {counts} in {_plural(summary.papers, 'paper')}\n")
    fixable = fixable_line(diagnostics)
    if fixable and not quiet:
        stream.write(fixable + "\n")


def as_json(diagnostics: list[Diagnostic], summary: Summary, stream: TextIO, quiet: bool) -> None:
    payload = {
        "diagnostics": [d.to_dict() for d in diagnostics],
        "summary": summary.to_dict(),
    }
    stream.write(_json_text(payload) + "\n")


def _escape_data(value: str) -> str:
    """A workflow command's message, escaped as the Actions toolkit does, after `visible`."""
    return visible(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _most_severe_first(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.severity.rank, *d.sort_key()))


def github(diagnostics: list[Diagnostic], summary: Summary, stream: TextIO, quiet: bool) -> None:
    """GitHub Actions workflow commands: each finding becomes an annotation on the PR diff.

    Most severe first, because GitHub shows only the first ten annotations of each type in a
    step; the whole list goes to the job summary (`$GITHUB_STEP_SUMMARY`) when it is set. A
    span over several lines gives no columns (the toolkit forbids `col` then)."""
    level = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}
    shown = diagnostics
    for d in _most_severe_first(shown):
        props = [f"file={_escape_property(d.path)}", f"line={d.line}", f"endLine={d.end_line}"]
        if d.end_line == d.line:
            props[2:2] = [f"col={d.column}"]
            props.append(f"endColumn={max(d.end_column, d.column)}")
        props.append(f"title={_escape_property(f'{d.code} {d.name}')}")
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        stream.write(f"::{level[d.severity]} {','.join(props)}::{_escape_data(message)}\n")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as out:
            out.write(markdown_table(shown, summary))


def _cell(value: str) -> str:
    """Text for one cell of a Markdown table: nothing that ends the cell, the row or starts
    markup (HTML is escaped, backticks and pipes too)."""
    text = visible(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("`", "\\`").replace("[", "\\[")


def markdown_table(diagnostics: list[Diagnostic], summary: Summary) -> str:
    """Every finding as one Markdown table, most severe first (for a job summary)."""
    verdict = "failed" if summary.failed else "passed"
    lines = [
        f"### ranpaper check {verdict}: {_plural(summary.errors, 'error')}, "
        f"{_plural(summary.warnings, 'warning')}, {_plural(summary.infos, 'info')} "
        f"in {_plural(summary.papers, 'paper')}",
        "",
    ]
    if diagnostics:
        lines += ["| severity | rule | where | finding |", "| --- | --- | --- | --- |"]
        for d in _most_severe_first(diagnostics):
            message = d.message + (f" (hint: {d.hint})" if d.hint else "")
            lines.append(
                f"| {d.severity.value} | {d.code} {d.name} | "
                f"{_cell(d.path)}:{d.line}:{d.column} | {_cell(message)} |"
            )
    return "\n".join(lines) + "\n\n"


def statistics(diagnostics: list[Diagnostic], stream: TextIO) -> None:
    """How many findings each rule made, most first, `[*]` where `--fix` fixes them, then
    how many are fixable (as `ruff --statistics`)."""
    counts = Counter((d.code, d.name, d.severity) for d in diagnostics)
    fixable = {d.code for d in diagnostics if safely_fixable(d)}
    width = max((len(str(n)) for n in counts.values()), default=1)
    mark = " " * len(FIXABLE) if fixable else ""
    for (code, name, severity), count in sorted(counts.items(), key=lambda x: (-x[1], x[0][0])):
        marked = (FIXABLE if code in fixable else mark) + (" " if mark else "")
        stream.write(f"{count:>{width}}  {code}  {severity.value:<7}  {marked}{name}\n")
    line = fixable_line(diagnostics)
    if line:
        stream.write(line + "\n")


_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}


def repository_root() -> Path:
    """The folder SARIF locations are relative to: `$GITHUB_WORKSPACE` in GitHub Actions,
    else the nearest folder up from here that holds `.git`, else the current folder."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        return Path(workspace).resolve()
    here = Path.cwd().resolve()
    return next((p for p in (here, *here.parents) if (p / ".git").exists()), here)


def _artifact(path: str, root: Path) -> dict[str, str]:
    """A SARIF artifactLocation: a percent-encoded URI relative to the repository root, or an
    absolute `file:` URI for a file outside it."""
    absolute = Path(path).resolve()
    if absolute.is_relative_to(root):
        return {
            "uri": quote(absolute.relative_to(root).as_posix(), safe="/"),
            "uriBaseId": "%SRCROOT%",
        }
    return {"uri": "file://" + quote(absolute.as_posix(), safe="/")}


def _driver(rules: list[dict[str, object]]) -> dict[str, object]:
    return {
        "name": "ranpaper",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": rules,
    }


def _run(root: Path, **parts: object) -> dict[str, object]:
    return {
        "originalUriBaseIds": {
            "%SRCROOT%": {"uri": "file://" + quote(root.as_posix().rstrip("/") + "/", safe="/")}
        },
        "columnKind": "unicodeCodePoints",
        **parts,
    }


def _log(run: dict[str, object]) -> dict[str, object]:
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }


def sarif(diagnostics: list[Diagnostic], summary: Summary, stream: TextIO, quiet: bool) -> None:
    """SARIF 2.1.0, as GitHub code scanning and other tools ingest it."""
    codes = sorted(REGISTRY)
    rules: list[dict[str, object]] = []
    for code in codes:
        doc = (REGISTRY[code].__doc__ or "").strip()
        rules.append(
            {
                "id": code,
                "name": REGISTRY[code].NAME,
                "shortDescription": {"text": summary_line(REGISTRY[code])},
                "fullDescription": {"text": doc},
                "help": {"text": doc, "markdown": doc},
                "defaultConfiguration": {"level": _LEVEL[REGISTRY[code].SEVERITY]},
            }
        )
    root = repository_root()
    results = []
    for d in diagnostics:
        region = {
            "startLine": d.line,
            "startColumn": d.column,
            "endLine": max(d.end_line, d.line),
            "endColumn": d.end_column if d.end_line > d.line else max(d.end_column, d.column),
        }
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": codes.index(d.code),
                "level": _LEVEL[d.severity],
                "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": _artifact(d.path, root),
                            "region": region,
                        }
                    }
                ],
            }
        )
    run = _run(
        root,
        tool={"driver": _driver(rules)},
        invocations=[{"executionSuccessful": True}],
        results=results,
    )
    stream.write(_json_text(_log(run)) + "\n")


def sarif_failure(error: Exception, stream: TextIO) -> None:
    """A SARIF log for a run that could not check (exit 2): no results, and a tool execution
    notification that says why, so code scanning shows the failure instead of a clean run."""
    text = str(error) if isinstance(error, RanpaperError) else f"internal error: {error!r}"
    notification: dict[str, object] = {"level": "error", "message": {"text": text}}
    path = getattr(error, "path", None)
    root = repository_root()
    if path:
        location: dict[str, object] = {"artifactLocation": _artifact(path, root)}
        line = getattr(error, "line", None)
        if line:
            location["region"] = {"startLine": line}
        notification["locations"] = [{"physicalLocation": location}]
    run = _run(
        root,
        tool={"driver": _driver([])},
        invocations=[{"executionSuccessful": False, "toolExecutionNotifications": [notification]}],
        results=[],
    )
    stream.write(_json_text(_log(run)) + "\n")


FORMATS: dict[str, Callable[[list[Diagnostic], Summary, TextIO, bool], None]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "sarif": sarif,
}


def write(
    fmt: str,
    diagnostics: list[Diagnostic],
    summary: Summary,
    quiet: bool,
    stream: TextIO | None = None,
    *,
    strict: bool = False,
    texts: dict[str, str] | None = None,
) -> None:
    """The report in `fmt`. `quiet` keeps only the findings that fail (errors; warnings too
    when `strict`), except in JSON, which always holds every finding; `texts` are the sources
    of papers not on disk (standard input), for the text report's excerpts."""
    if quiet and fmt != "json":
        worst = {Severity.error} | ({Severity.warning} if strict else set())
        diagnostics = [d for d in diagnostics if d.severity in worst]
    stream = stream or sys.stdout
    if fmt == "text":
        text(diagnostics, summary, stream, quiet, texts)
    else:
        FORMATS[fmt](diagnostics, summary, stream, quiet)
