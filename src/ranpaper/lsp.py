"""`ranpaper lsp`: a language server (pygls, over stdio) that shows a paper's findings where
its editor looks.

- Diagnostics on open and on every change: the same `check` as the command line, on the
  editor's unsaved text, through the same workspace (`ranpaper.workspace`: the configuration
  found from the file's folder, the size cap, the one rule of what a paper is — a Markdown
  file that is not a paper, such as a README, gets no findings). Only documents the editor
  has opened are read: the server never reads a file from disk because a request names it.
  A change after a quiet spell is checked at once; changes that come faster than `DEBOUNCE`
  are coalesced.
- Code actions from the findings' `Fix`es (`ranpaper.diagnostics`): 1-based code-point
  positions, end exclusive, become LSP's 0-based UTF-16 positions.
- Hover on a finding: its message, hint and the rule's documentation (its module docstring).
- Document symbols: main themes → topics → sections, for the outline view.
- Go to definition on a footnote reference (`[^1]`): its definition.

The functions below the server take plain text and return LSP types, so they are tested (and
benchmarked) without a client.
"""

from __future__ import annotations

import asyncio
import textwrap
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ranpaper import __version__
from ranpaper.check import unreadable
from ranpaper.config import Config
from ranpaper.diagnostics import Applicability, Diagnostic, Severity
from ranpaper.errors import RanpaperError
from ranpaper.lines import split_lines
from ranpaper.model import (
    AnySection,
    FootnoteRef,
    Paper,
    Span,
    Topic,
    inline_texts,
    walk_inline,
)
from ranpaper.papers import HEAD_BYTES, is_paper_head
from ranpaper.rules import REGISTRY
from ranpaper.workspace import Workspace

DEBOUNCE = 0.05  # seconds: changes closer together than this are checked once

_SEVERITIES = {
    Severity.error: types.DiagnosticSeverity.Error,
    Severity.warning: types.DiagnosticSeverity.Warning,
    Severity.info: types.DiagnosticSeverity.Information,
}


# --- positions -----------------------------------------------------------------------------


def utf16_offset(line: str, column: int) -> int:
    """A 1-based code-point column of `line` → LSP's 0-based offset in UTF-16 code units
    (a character outside the Basic Multilingual Plane, such as an emoji, counts twice)."""
    before = line[: max(0, column - 1)]
    return len(before) + sum(1 for char in before if ord(char) > 0xFFFF)


def code_point_column(line: str, offset: int) -> int:
    """LSP's 0-based UTF-16 offset in `line` → the 1-based code-point column."""
    units = 0
    for index, char in enumerate(line):
        if units >= offset:
            return index + 1
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line) + 1


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 1 <= number <= len(lines) else ""


def position(lines: list[str], line: int, column: int) -> types.Position:
    return types.Position(line=max(0, line - 1), character=utf16_offset(_line(lines, line), column))


def to_range(
    lines: list[str], line: int, column: int, end_line: int, end_column: int
) -> types.Range:
    return types.Range(
        start=position(lines, line, column), end=position(lines, end_line, end_column)
    )


def source_lines(text: str) -> list[str]:
    """The lines as the parser counts them, and as LSP does (`\\r\\n`, `\\r`, `\\n`)."""
    return split_lines(text)


# --- one analysis of one document ----------------------------------------------------------


@dataclass
class Analysis:
    """A document's text as checked, its model (None if it could not be parsed) and its
    findings, each with the LSP diagnostic published for it."""

    uri: str
    version: int | None
    lines: list[str]
    paper: Paper | None
    findings: list[tuple[Diagnostic, types.Diagnostic]] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[types.Diagnostic]:
        return [published for _finding, published in self.findings]


def to_lsp(diagnostic: Diagnostic, lines: list[str]) -> types.Diagnostic:
    d = diagnostic
    return types.Diagnostic(
        range=to_range(lines, d.line, d.column, d.end_line, d.end_column),
        severity=_SEVERITIES[d.severity],
        code=d.code,
        source="ranpaper",
        message=d.message,
    )


def analyse(
    text: str, path: Path, workspace: Workspace, uri: str = "", version: int | None = None
) -> Analysis:
    """Check `text` as the paper at `path`: exactly what `ranpaper check` reports for it, or
    nothing at all if it is not a paper (`ranpaper.papers`)."""
    lines = source_lines(text)
    if not is_paper_head(text[:HEAD_BYTES].encode("utf-8", "surrogatepass")):
        return Analysis(uri, version, lines, None, [])
    try:
        document = workspace.open(path, text)
        paper, found = document.paper, document.diagnostics
    except RanpaperError as error:  # text that cannot be parsed at all, in an unsaved buffer
        paper, found = None, [unreadable(path, error, workspace.config)]
    return Analysis(uri, version, lines, paper, [(d, to_lsp(d, lines)) for d in found])


def _contains(d: Diagnostic, line: int, column: int) -> bool:
    start, end, here = (d.line, d.column), (d.end_line, d.end_column), (line, column)
    return start <= here < end or here == start


def _overlaps(d: Diagnostic, start: tuple[int, int], end: tuple[int, int]) -> bool:
    return (d.line, d.column) <= end and start <= (d.end_line, d.end_column)


def _cursor(analysis: Analysis, where: types.Position) -> tuple[int, int]:
    line = where.line + 1
    return line, code_point_column(_line(analysis.lines, line), where.character)


def code_actions(analysis: Analysis, selected: types.Range) -> list[types.CodeAction]:
    """A quick fix for every finding with a `Fix` that touches the selected range."""
    start = _cursor(analysis, selected.start)
    end = _cursor(analysis, selected.end)
    actions = []
    for finding, published in analysis.findings:
        fix = finding.fix
        if fix is None or not _overlaps(finding, start, end):
            continue
        edits = [
            types.TextEdit(
                range=to_range(analysis.lines, e.line, e.column, e.end_line, e.end_column),
                new_text=e.text,
            )
            for e in fix.edits
        ]
        actions.append(
            types.CodeAction(
                title=f"{fix.message} ({finding.code})",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[published],
                is_preferred=fix.applicability is Applicability.safe,
                edit=types.WorkspaceEdit(changes={analysis.uri: edits}),
            )
        )
    return actions


def rule_documentation(code: str) -> str:
    rule = REGISTRY.get(code)
    if rule is None:
        return ""
    return textwrap.dedent(rule.__doc__ or "").strip()


def hover(analysis: Analysis, where: types.Position) -> types.Hover | None:
    """The findings under the cursor, each with its rule's documentation."""
    line, column = _cursor(analysis, where)
    parts: list[str] = []
    ranges: list[types.Range] = []
    for finding, published in analysis.findings:
        if _contains(finding, line, column):
            rule = REGISTRY.get(finding.code)
            head = (
                f"**{finding.code} {finding.name}** ({finding.severity.value}): {finding.message}"
            )
            if finding.hint:
                head += f"\n\n*hint:* {finding.hint}"
            doc = rule_documentation(finding.code) if rule else ""
            parts.append(f"{head}\n\n---\n\n{doc}" if doc else head)
            ranges.append(published.range)
    if not parts:
        return None
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
        ),
        range=ranges[0] if len(ranges) == 1 else None,
    )


def _symbol_range(
    analysis: Analysis, span: Span, last_line: int
) -> tuple[types.Range, types.Range]:
    """(the whole range up to `last_line`, the heading's range)."""
    lines = analysis.lines
    last = max(last_line, span.line)
    end = types.Position(line=last - 1, character=utf16_offset(_line(lines, last), 10**9))
    heading = to_range(lines, span.line, 1, span.line, len(_line(lines, span.line)) + 1)
    return types.Range(start=heading.start, end=end), heading


def _children_ends(starts: list[int], last_line: int) -> list[int]:
    """Each child ends on the line before the next one starts; the last with its parent."""
    return [next_start - 1 for next_start in starts[1:]] + [last_line] if starts else []


def _topic_symbol(analysis: Analysis, topic: Topic, last_line: int) -> types.DocumentSymbol:
    children: list[Topic | AnySection] = [*topic.sections, *topic.topics]
    children.sort(key=lambda child: child.span.line)
    ends = _children_ends([child.span.line for child in children], last_line)
    symbols = []
    for node, end in zip(children, ends, strict=True):
        if isinstance(node, Topic):
            symbols.append(_topic_symbol(analysis, node, end))
        else:
            whole, heading = _symbol_range(analysis, node.span, end)
            symbols.append(
                types.DocumentSymbol(
                    name=node.heading,
                    kind=types.SymbolKind.Field,
                    range=whole,
                    selection_range=heading,
                )
            )
    whole, heading = _symbol_range(analysis, topic.span, last_line)
    return types.DocumentSymbol(
        name=topic.title_text or "(untitled topic)",
        kind=types.SymbolKind.Namespace,
        range=whole,
        selection_range=heading,
        children=symbols,
    )


def symbols(analysis: Analysis) -> list[types.DocumentSymbol]:
    """The outline: main themes → topics (nested) → sections."""
    paper = analysis.paper
    if paper is None:
        return []
    document_end = len(analysis.lines)
    theme_ends = _children_ends([theme.span.line for theme in paper.themes], document_end)
    if paper.footnotes and paper.themes:  # the footnotes close the paper, outside any theme
        theme_ends[-1] = max(paper.themes[-1].span.line, paper.footnotes[0].span.line - 1)
    out = []
    for theme, end in zip(paper.themes, theme_ends, strict=True):
        topic_ends = _children_ends([topic.span.line for topic in theme.topics], end)
        whole, heading = _symbol_range(analysis, theme.span, end)
        out.append(
            types.DocumentSymbol(
                name=theme.title_text or paper.profile.theme_heading(theme.number),
                detail=f"main theme {theme.number}",
                kind=types.SymbolKind.Module,
                range=whole,
                selection_range=heading,
                children=[
                    _topic_symbol(analysis, topic, topic_end)
                    for topic, topic_end in zip(theme.topics, topic_ends, strict=True)
                ],
            )
        )
    return out


def _footnote_refs(paper: Paper) -> Iterable[FootnoteRef]:
    for text, _span in inline_texts(paper):
        for node in walk_inline(text):
            if isinstance(node, FootnoteRef):
                yield node
    for note in paper.footnotes:
        for node in walk_inline(note.text):
            if isinstance(node, FootnoteRef):
                yield node


def definition(analysis: Analysis, where: types.Position) -> types.Location | None:
    """From a footnote reference (`[^label]`) to the line that defines it."""
    paper = analysis.paper
    if paper is None:
        return None
    line, column = _cursor(analysis, where)
    for ref in _footnote_refs(paper):
        span = ref.span
        if span is None or not (span.line, span.column) <= (line, column) < (
            span.end_line,
            span.end_column,
        ):
            continue
        for note in paper.footnotes:
            if note.label == ref.label:
                text = _line(analysis.lines, note.span.line)
                target = to_range(analysis.lines, note.span.line, 1, note.span.line, len(text) + 1)
                return types.Location(uri=analysis.uri, range=target)
        return None
    return None


# --- the server ----------------------------------------------------------------------------


class PaperServer(LanguageServer):
    """Keeps the last analysis of each open document and checks documents as they change."""

    def __init__(self) -> None:
        super().__init__("ranpaper", __version__)
        self.analyses: dict[str, Analysis] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.last_activity: dict[str, float] = {}  # the last change or end of a check
        self.configs: dict[Path, Workspace] = {}

    def workspace_for(self, path: Path) -> Workspace:
        """The workspace of the paper's folder (its configuration is the editor's own file:
        trusted), made once per folder until a file is saved."""
        folder = path.parent
        if folder not in self.configs:
            try:
                self.configs[folder] = Workspace.load(folder, trusted=True)
            except RanpaperError as error:
                self.window_show_message(
                    types.ShowMessageParams(
                        type=types.MessageType.Error,
                        message=f"ranpaper: {error}; using the default configuration",
                    )
                )
                self.configs[folder] = Workspace(Config())
        return self.configs[folder]

    def schedule(self, uri: str) -> None:
        """Check at once after a quiet spell (no change and no check for `DEBOUNCE`);
        while changes keep coming, once they pause. Changes that queued up while a check
        ran count as coming fast: they are checked once, together."""
        loop = asyncio.get_running_loop()
        now = time.monotonic()
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        quiet = now - self.last_activity.get(uri, float("-inf")) > DEBOUNCE
        self.last_activity[uri] = now
        self.pending[uri] = loop.create_task(self._check_after(uri, 0 if quiet else DEBOUNCE))

    async def _check_after(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        self.pending.pop(uri, None)
        self.check(uri)

    def opened(self, uri: str) -> bool:
        """Whether the editor has opened `uri` (only those are read: never a file on disk)."""
        return uri in self.workspace.text_documents

    def check(self, uri: str) -> Analysis | None:
        if not self.opened(uri):
            return None
        document = self.workspace.get_text_document(uri)
        path = Path(to_fs_path(uri) or document.path or "untitled.md")
        analysis = analyse(document.source, path, self.workspace_for(path), uri, document.version)
        self.analyses[uri] = analysis
        self.last_activity[uri] = time.monotonic()
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=document.version, diagnostics=analysis.diagnostics
            )
        )
        return analysis

    def current(self, uri: str) -> Analysis | None:
        """The analysis of the text the editor has now (checked on demand if a change is
        still waiting), so that positions in a request match the text they point into."""
        if not self.opened(uri):
            return None
        analysis = self.analyses.get(uri)
        document = self.workspace.get_text_document(uri)
        if analysis is None or analysis.version != document.version:
            task = self.pending.pop(uri, None)
            if task is not None:
                task.cancel()
            analysis = self.check(uri)
        return analysis


server = PaperServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: PaperServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: PaperServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: PaperServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.configs.clear()  # a saved configuration file applies from the next check
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: PaperServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.analyses.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: PaperServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    analysis = ls.current(params.text_document.uri)
    return code_actions(analysis, params.range) if analysis else []


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: PaperServer, params: types.HoverParams) -> types.Hover | None:
    analysis = ls.current(params.text_document.uri)
    return hover(analysis, params.position) if analysis else None


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(
    ls: PaperServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol]:
    analysis = ls.current(params.text_document.uri)
    return symbols(analysis) if analysis else []


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def on_definition(ls: PaperServer, params: types.DefinitionParams) -> types.Location | None:
    analysis = ls.current(params.text_document.uri)
    return definition(analysis, params.position) if analysis else None


def main() -> None:
    """Serve over stdio until the editor says `exit`. The server writes to its own copy of
    the standard output, which it closes when it stops; `sys.stdout` stays usable."""
    import os
    import sys

    with os.fdopen(os.dup(sys.stdout.fileno()), "wb") as out:
        server.start_io(sys.stdin.buffer, out)
