"""Diagnostics → text for people, JSON for tools, GitHub workflow annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ranpaper import __version__
from ranpaper.diagnostics import Diagnostic, Severity, Summary
from ranpaper.rules import REGISTRY, summary_line

_COLOURS = {Severity.error: "31", Severity.warning: "33", Severity.info: "36"}


def _use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class _SourceCache:
    def __init__(self) -> None:
        self.files: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self.files:
            try:
                text = Path(path).read_text("utf-8").removeprefix("\ufeff")
                self.files[path] = text.replace("\r\n", "\n").split("\n")
            except (OSError, UnicodeDecodeError):
                self.files[path] = []
        lines = self.files[path]
        return lines[number - 1] if 0 < number <= len(lines) else None


def text(diagnostics: list[Diagnostic], summary: Summary, stream: TextIO, quiet: bool) -> None:
    colour = _use_colour(stream)

    def paint(code: str, value: str) -> str:
        return f"\x1b[{code}m{value}\x1b[0m" if colour else value

    sources = _SourceCache()
    for d in diagnostics:
        if quiet and d.severity is not Severity.error:
            continue
        label = paint("1;" + _COLOURS[d.severity], f"{d.severity.value}[{d.code}]")
        stream.write(f"{paint('1', f'{d.path}:{d.line}:{d.column}:')} {label} {d.message}\n")
        source = sources.line(d.path, d.line)
        if source is not None and not quiet:
            gutter = " " * len(str(d.line))
            shown = source.expandtabs(4)
            width = (d.end_column - d.column) if d.end_line == d.line else len(shown) - d.column + 1
            caret = " " * (d.column - 1) + "^" * max(1, min(width, len(shown) - d.column + 1))
            stream.write(
                f"{gutter} |\n{d.line} | {shown}\n{gutter} | {paint(_COLOURS[d.severity], caret)}\n"
            )
            if d.hint:
                stream.write(f"{gutter} = hint: {d.hint}\n")
            stream.write("\n")
        elif d.hint and not quiet:
            stream.write(f"  hint: {d.hint}\n")
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


def as_json(diagnostics: list[Diagnostic], summary: Summary, stream: TextIO, quiet: bool) -> None:
    payload = {
        "diagnostics": [d.to_dict() for d in diagnostics],
        "summary": summary.to_dict(),
    }
    stream.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: list[Diagnostic], summary: Summary, stream: TextIO, quiet: bool) -> None:
    """GitHub Actions workflow commands: each finding becomes an annotation on the PR diff."""
    level = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}
    for d in diagnostics:
        if quiet and d.severity is not Severity.error:
            continue
        props = ",".join(
            [
                f"file={_escape_property(d.path)}",
                f"line={d.line}",
                f"col={d.column}",
                f"endLine={d.end_line}",
                f"endColumn={d.end_column}",
                f"title={_escape_property(f'{d.code} {d.name}')}",
            ]
        )
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        stream.write(f"::{level[d.severity]} {props}::{_escape_data(message)}\n")


def sarif(diagnostics: list[Diagnostic], summary: Summary, stream: TextIO, quiet: bool) -> None:
    """SARIF 2.1.0, as GitHub code scanning and other tools ingest it."""
    level = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
    codes = sorted(REGISTRY)
    rules = [
        {
            "id": code,
            "name": REGISTRY[code].NAME,
            "shortDescription": {"text": summary_line(REGISTRY[code])},
            "fullDescription": {"text": (REGISTRY[code].__doc__ or "").strip()},
            "help": {
                "text": (REGISTRY[code].__doc__ or "").strip(),
                "markdown": (REGISTRY[code].__doc__ or "").strip(),
            },
            "defaultConfiguration": {"level": level[REGISTRY[code].SEVERITY]},
        }
        for code in codes
    ]
    results = []
    for d in diagnostics:
        result: dict[str, object] = {
            "ruleId": d.code,
            "ruleIndex": codes.index(d.code),
            "level": level[d.severity],
            "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": Path(d.path).as_posix(),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": max(d.end_column, d.column),
                        },
                    }
                }
            ],
        }
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ranpaper",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    stream.write(json.dumps(log, indent=2, ensure_ascii=False) + "\n")


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
) -> None:
    FORMATS[fmt](diagnostics, summary, stream or sys.stdout, quiet)
