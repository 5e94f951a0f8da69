"""The rule engine: run the selected rules over a paper, apply waivers and severities, and
turn findings into `Diagnostic`s. Rules only report facts; everything policy is here. Reading
the paper is the workspace's (`ranpaper.workspace`)."""

from __future__ import annotations

import re
from pathlib import Path

from ranpaper.config import Config
from ranpaper.diagnostics import Applicability, Diagnostic, Edit, Fix, Severity
from ranpaper.errors import RanpaperError
from ranpaper.lines import split_lines
from ranpaper.model import Paper, Span, Waiver
from ranpaper.rules import REGISTRY
from ranpaper.rules._base import Finding, RuleFix


def resolve_fix(fix: RuleFix, lines: list[str] | None) -> Fix | None:
    """A rule's fix as exact edits of the source `lines`, or None when one of its `Replace`s
    does not find the text it expects (or there is no text to look in)."""
    edits: list[Edit] = []
    for edit in fix.edits:
        if isinstance(edit, Edit):
            edits.append(edit)
            continue
        if lines is None or not 0 < edit.line <= len(lines):
            return None
        found = re.compile(edit.pattern).search(lines[edit.line - 1], max(edit.column - 1, 0))
        if found is None:
            return None
        edits.append(
            Edit(edit.line, found.start() + 1, edit.line, found.end() + 1, found.expand(edit.text))
        )
    return Fix(fix.message, tuple(edits), fix.applicability)


def _diagnostic(
    path: str, code: str, finding: Finding, config: Config, lines: list[str] | None = None
) -> Diagnostic:
    rule = REGISTRY[code]
    span = _narrowed(finding, lines)
    return Diagnostic(
        path=finding.path or path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        code=code,
        name=rule.NAME,
        severity=config.severities.get(code, rule.SEVERITY),
        message=finding.message,
        hint=finding.hint,
        fix=resolve_fix(finding.fix, lines) if finding.fix is not None else None,
    )


def _narrowed(finding: Finding, lines: list[str] | None) -> Span:
    """The finding's span, narrowed to the text it is about (`Finding.at`) where its line
    holds that text at or after the span's column."""
    span = finding.span
    if finding.at and lines is not None and 0 < span.line <= len(lines):
        index = lines[span.line - 1].find(finding.at, max(span.column - 1, 0))
        if index >= 0 and "\n" not in finding.at:
            column = index + 1
            return Span(
                line=span.line,
                column=column,
                end_line=span.line,
                end_column=column + len(finding.at),
            )
    return span


def _is_valid(waiver: Waiver) -> bool:
    return bool(waiver.reason) and bool(waiver.codes) and all(c in REGISTRY for c in waiver.codes)


def _waiver_for(code: str, span: Span, waivers: list[Waiver]) -> Waiver | None:
    for waiver in waivers:
        target = waiver.target
        if target and code in waiver.codes and target.line <= span.line <= target.end_line:
            return waiver
    return None


def check_paper(paper: Paper, config: Config, text: str | None = None) -> list[Diagnostic]:
    """The paper's diagnostics, sorted. With the source `text` it was parsed from, findings
    carry their fixes as exact edits; without it, only fixes that need no text to place."""
    path = paper.path or "<input>"
    lines = _source_lines(text)
    findings: list[tuple[str, Finding]] = []
    for code, rule in REGISTRY.items():
        if rule.check is not None and config.selects(code):
            findings.extend((code, finding) for finding in rule.check(paper, config))
    if paper.profile_failed is not None:
        # Read with another profile, every heading would be reported: the front matter's
        # findings (the unusable profile among them) are the only true ones.
        front = paper.metadata.span
        findings = [
            (code, finding)
            for code, finding in findings
            if code == "RP002" or (front is not None and finding.span.line <= front.end_line)
        ]
    waivers = [waiver for waiver in paper.waivers if _is_valid(waiver)]
    used: set[int] = set()
    kept: list[Diagnostic] = []
    for code, finding in findings:
        # A waiver in the paper silences findings in the paper, not in another file.
        waiver = None if finding.path else _waiver_for(code, finding.span, waivers)
        if waiver is not None:
            used.add(id(waiver))
        else:
            kept.append(_diagnostic(path, code, finding, config, lines))
    if config.selects("RP902") and paper.profile_failed is None:
        for waiver in waivers:
            # A waiver for a rule that did not run (`--select`) cannot be known to be unused.
            if id(waiver) not in used and all(config.selects(c) for c in waiver.codes):
                inside = waiver.target is not None and waiver.target.line < waiver.span.line
                where = "the bullet it stands in" if inside else "the block after it"
                finding = Finding(
                    waiver.span,
                    f"waiver for {', '.join(waiver.codes)} waives nothing in {where}",
                    hint="remove it",
                    fix=_remove_lines("remove the unused waiver", waiver.span),
                )
                kept.append(_diagnostic(path, "RP902", finding, config, lines))
    return sorted(kept, key=Diagnostic.sort_key)


def _source_lines(text: str | None) -> list[str] | None:
    return None if text is None else split_lines(text)  # as the parser counts them


def _remove_lines(message: str, span: Span) -> RuleFix:
    edit = Edit(span.line, 1, span.end_line + 1, 1, "")
    return RuleFix(message, (edit,), Applicability.safe)


def not_a_paper(path: Path, config: Config) -> Diagnostic:
    """The RP006 note for a Markdown file a folder scan passed over."""
    finding = Finding(
        Span(line=1, column=1, end_line=1, end_column=1),
        "not a paper (no front matter with a title), so it was not checked",
        hint="a paper starts with front matter (`---`, `title: …`, `---`); name the file "
        "on the command line to check it anyway",
    )
    return _diagnostic(str(path), "RP006", finding, config)


def unreadable(path: Path, error: RanpaperError, config: Config) -> Diagnostic:
    """The RP001 finding for a file that cannot be read or parsed at all (also used by
    `serve` and `lsp` for a file deleted, or a buffer unparsable, while they watch it)."""
    line = error.line or 1
    finding = Finding(Span(line=line, column=1, end_line=line, end_column=1), error.message)
    return _diagnostic(str(path), "RP001", finding, config)


def failing(diagnostics: list[Diagnostic], strict: bool) -> bool:
    worst = {Severity.error} | ({Severity.warning} if strict else set())
    return any(diagnostic.severity in worst for diagnostic in diagnostics)
