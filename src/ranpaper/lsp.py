"""`ranpaper lsp`: a language server (pygls, over stdio) that shows a paper's findings where
its editor looks, and formats and fixes it as `ranpaper fmt` and `check --fix` do.

- Diagnostics on open and on every change: the same `check` as the command line, on the
  editor's unsaved text, through the same workspace (`ranpaper.workspace`: the configuration
  found from the file's folder, the size cap, the one rule of what a paper is — a Markdown
  file that is not a paper, such as a README, gets no findings). Only documents the editor
  has opened are read: the server never reads a file from disk because a request names it.
  Pushed (`publishDiagnostics`), or pulled (`textDocument/diagnostic`) when the client says
  it pulls. A change after a quiet spell is checked at once; changes that come faster than
  `DEBOUNCE`, or while a check runs, are coalesced, and a result for a text that has changed
  since is never published (`PaperServer`).
- Code actions: a quick fix from each finding's `Fix` (`ranpaper.diagnostics`: 1-based
  code-point positions, end exclusive, become LSP's 0-based UTF-16 positions), and
  `source.fixAll.ranpaper`, every safe fix through the fix engine (`ranpaper.fixes`); for a
  client that resolves code actions, its edit is made on `codeAction/resolve`.
- Formatting: `ranpaper fmt` (`ranpaper.formatting`) as one edit; where fmt refuses, no edit
  and a message saying why.
- Hover on a finding: its message, hint and the rule's documentation (its module docstring).
- Document symbols: main themes → topics → sections, for the outline view.
- Go to definition on a footnote reference (`[^1]`): its definition.

The checker is imported when first needed (in the worker thread, right after `initialize`),
so that the server answers `initialize` without waiting for it. The functions below the
server take plain text and return LSP types, so they are tested (and benchmarked) without a
client.
"""

from __future__ import annotations

import asyncio
import textwrap
import time
import traceback
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ranpaper import __version__
from ranpaper.lines import BREAK, split_lines

if TYPE_CHECKING:  # imported when first used: `initialize` does not wait for the checker
    from ranpaper.diagnostics import Diagnostic
    from ranpaper.model import AnySection, FootnoteRef, Paper, Span, Topic
    from ranpaper.workspace import LiveDocument, Workspace

DEBOUNCE = 0.05  # seconds: changes closer together than this are checked once

_SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
FIX_ALL = "source.fixAll.ranpaper"
"""The code action kind of every safe fix at once (as ruff's `source.fixAll.ruff`)."""


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
    result_id: str | None = None  # set by the server: what a pull of diagnostics compares

    @property
    def diagnostics(self) -> list[types.Diagnostic]:
        return [published for _finding, published in self.findings]


def to_lsp(diagnostic: Diagnostic, lines: list[str]) -> types.Diagnostic:
    d = diagnostic
    return types.Diagnostic(
        range=to_range(lines, d.line, d.column, d.end_line, d.end_column),
        severity=_SEVERITIES[d.severity.value],
        code=d.code,
        source="ranpaper",
        message=d.message,
    )


def analyse(
    text: str,
    path: Path,
    workspace: Workspace,
    uri: str = "",
    version: int | None = None,
    live: LiveDocument | None = None,
) -> Analysis:
    """Check `text` as the paper at `path`: exactly what `ranpaper check` reports for it, or
    nothing at all if it is not a paper (`ranpaper.papers`). With `live` (the document the
    server keeps open for `path`, made by `workspace`), only what changed since its last
    update is read again (`Workspace.live`); the result is the same."""
    from ranpaper.check import unreadable
    from ranpaper.errors import RanpaperError
    from ranpaper.papers import HEAD_BYTES, is_paper_head

    lines = source_lines(text)
    if not is_paper_head(text[:HEAD_BYTES].encode("utf-8", "surrogatepass")):
        return Analysis(uri, version, lines, None, [])
    try:
        document = workspace.open(path, text) if live is None else live.update(text)
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
    from ranpaper.diagnostics import Applicability

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
    from ranpaper.rules import REGISTRY

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
            head = (
                f"**{finding.code} {finding.name}** ({finding.severity.value}): {finding.message}"
            )
            if finding.hint:
                head += f"\n\n*hint:* {finding.hint}"
            doc = rule_documentation(finding.code)
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
    from ranpaper.model import Topic

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
    from ranpaper.model import FootnoteRef, inline_texts, walk_inline

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


# --- whole-document changes: the fix engine and fmt, as one edit ----------------------------


def _pieces(text: str) -> list[str]:
    """The text's lines with their line breaks (`ranpaper.lines`): as many as LSP counts."""
    pieces, start = [], 0
    for match in BREAK.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    pieces.append(text[start:])
    return pieces


def replacement(old: str, new: str) -> types.TextEdit | None:
    """`new` as one edit of `old` (the editor's text, positions in it): the lines from the
    first that differs to the last that differs replaced, the rest left alone so that the
    editor keeps its cursor and folds there; None if the texts are equal."""
    if old == new:
        return None
    before, after = _pieces(old), _pieces(new)
    same_start = 0
    while same_start < min(len(before), len(after)) and before[same_start] == after[same_start]:
        same_start += 1
    same_end = 0
    while (
        same_end < min(len(before), len(after)) - same_start
        and before[-1 - same_end] == after[-1 - same_end]
    ):
        same_end += 1
    if same_end:
        end = types.Position(line=len(before) - same_end, character=0)
    else:  # to the end of the last line, which has no line break
        end = types.Position(line=len(before) - 1, character=utf16_offset(before[-1], 10**9))
    return types.TextEdit(
        range=types.Range(start=types.Position(line=same_start, character=0), end=end),
        new_text="".join(after[same_start : len(after) - same_end]),
    )


def fix_all(
    analysis: Analysis, text: str, path: Path, workspace: Workspace
) -> types.CodeAction | None:
    """Every safe fix at once, through the fix engine of `check --fix`
    (`ranpaper.fixes.fix_text`: rounds until none is left, refused if it adds a finding), as
    one edit; None when there is nothing to fix (or the fixes were refused)."""
    from ranpaper.errors import RanpaperError
    from ranpaper.fixes import fix_text

    if analysis.paper is None:
        return None
    try:
        result = fix_text(text, path, workspace)
    except RanpaperError:
        return None
    edit = replacement(text, result.text) if result.changed else None
    if edit is None:
        return None
    count = len(result.applied)
    return types.CodeAction(
        title=f"ranpaper: apply {count} safe fix{'es' if count != 1 else ''}",
        kind=FIX_ALL,
        edit=types.WorkspaceEdit(changes={analysis.uri: [edit]}),
    )


def formatting(text: str, path: Path, workspace: Workspace) -> list[types.TextEdit] | str:
    """`ranpaper fmt` of the editor's text as (at most) one edit, or why it is refused. A
    Markdown file that is not a paper is left as it is."""
    from ranpaper.errors import RanpaperError
    from ranpaper.formatting import format_text
    from ranpaper.papers import HEAD_BYTES, is_paper_head

    if not is_paper_head(text[:HEAD_BYTES].encode("utf-8", "surrogatepass")):
        return []
    try:
        result = format_text(workspace.limit_text(text, str(path)), str(path), workspace)
    except RanpaperError as error:
        return str(error)
    if result.refused:
        return result.refused
    edit = replacement(text, result.text)
    return [edit] if edit else []


def wanted(kind: str, only: list[str] | None) -> bool:
    """Whether a code action of `kind` answers a request for the kinds `only` (a kind asks
    for itself and the kinds below it: `source` asks for `source.fixAll.ranpaper`)."""
    if only is None:
        return True
    return any(kind == asked or kind.startswith(f"{asked}.") for asked in only)


# --- the server ----------------------------------------------------------------------------


class PaperServer(LanguageServer):
    """Keeps the last analysis of each open document and checks documents as they change.

    Checks run one at a time in a worker thread, so that the server reads the editor's
    changes while a check runs. A document has at most one check running; changes that
    arrive meanwhile are coalesced: when it ends, its result is published only if the
    document is still the text it checked, and otherwise dropped (a stale result is never
    published) and the latest text is checked."""

    def __init__(self) -> None:
        super().__init__("ranpaper", __version__)
        self.analyses: dict[str, Analysis] = {}
        self.timers: dict[str, asyncio.Task[None]] = {}  # a check waiting for a pause
        self.checks: dict[str, asyncio.Task[None]] = {}  # the check running, one per document
        self.last_activity: dict[str, float] = {}  # the last change or end of a check
        self.configs: dict[Path, Workspace] = {}
        self.live: dict[str, LiveDocument] = {}  # each open paper's parse, kept between edits
        self.results = 0  # numbers the analyses, for pull diagnostics' result ids
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="ranpaper-check")

    def workspace_for(self, path: Path) -> Workspace:
        """The workspace of the paper's folder (its configuration is the editor's own file:
        trusted), made once per folder until a file is saved."""
        from ranpaper.config import Config
        from ranpaper.errors import RanpaperError
        from ranpaper.workspace import Workspace

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

    @property
    def pulls(self) -> bool:
        """Whether the client asks for diagnostics (`textDocument/diagnostic`) rather than
        being sent them."""
        try:
            text_document = self.client_capabilities.text_document
        except (AttributeError, RuntimeError):  # before `initialize`
            return False
        return text_document is not None and text_document.diagnostic is not None

    @property
    def resolves_edits(self) -> bool:
        """Whether the client fills in a code action's edit when it is chosen
        (`codeAction/resolve`)."""
        try:
            code_action = self.client_capabilities.text_document.code_action  # type: ignore[union-attr]
        except (AttributeError, RuntimeError):
            return False
        support = code_action.resolve_support if code_action else None
        return support is not None and "edit" in support.properties

    def schedule(self, uri: str) -> None:
        """Check at once after a quiet spell (no change and no check for `DEBOUNCE`);
        while changes keep coming, once they pause. While a check of the document runs,
        nothing is started: it checks the latest text when it ends."""
        now = time.monotonic()
        quiet = now - self.last_activity.get(uri, float("-inf")) > DEBOUNCE
        self.last_activity[uri] = now
        if uri in self.checks:
            return
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        if quiet:
            self.start(uri)
        else:
            self.timers[uri] = asyncio.get_running_loop().create_task(self._after(uri))

    async def _after(self, uri: str) -> None:
        await asyncio.sleep(DEBOUNCE)
        self.timers.pop(uri, None)
        self.start(uri)

    def start(self, uri: str) -> asyncio.Task[None]:
        """The check of `uri` running, started now if none is."""
        task = self.checks.get(uri)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._check(uri))
            self.checks[uri] = task
        return task

    def opened(self, uri: str) -> bool:
        """Whether the editor has opened `uri` (only those are read: never a file on disk)."""
        return uri in self.workspace.text_documents

    def _snapshot(self, uri: str) -> tuple[str, int | None, Path]:
        document = self.workspace.get_text_document(uri)
        path = Path(to_fs_path(uri) or document.path or "untitled.md")
        return document.source, document.version, path

    async def _check(self, uri: str) -> None:
        try:
            while self.opened(uri):
                text, version, path = self._snapshot(uri)
                workspace = self.workspace_for(path)
                live = self.live.get(uri)
                if live is None or live.workspace is not workspace or live.path != path:
                    live = self.live[uri] = workspace.live(path)
                try:
                    analysis = await self.run(analyse, text, path, workspace, uri, version, live)
                except Exception:  # a bug in ranpaper: said in the editor's log, not raised
                    self.window_log_message(
                        types.LogMessageParams(
                            type=types.MessageType.Error,
                            message=f"ranpaper: the check failed:\n{traceback.format_exc()}",
                        )
                    )
                    return
                if not self.opened(uri):
                    return
                now, now_version, _ = self._snapshot(uri)
                if (now_version, now) != (version, text):
                    continue  # changed while it ran: never published, the latest is checked
                self.results += 1
                analysis.result_id = str(self.results)
                self.analyses[uri] = analysis
                self.last_activity[uri] = time.monotonic()
                if not self.pulls:
                    self.text_document_publish_diagnostics(
                        types.PublishDiagnosticsParams(
                            uri=uri, version=version, diagnostics=analysis.diagnostics
                        )
                    )
                return
        finally:
            self.checks.pop(uri, None)

    async def run(self, function: Any, *args: Any) -> Any:
        """`function(*args)` in the worker thread: one check, fix or format at a time."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def current(self, uri: str) -> Analysis | None:
        """The analysis of the text the editor has now (checked at once if a change is
        still waiting), so that positions in a request match the text they point into."""
        while self.opened(uri):
            version = self._snapshot(uri)[1]
            analysis = self.analyses.get(uri)
            if analysis is not None and analysis.version == version:
                return analysis
            timer = self.timers.pop(uri, None)
            if timer is not None:
                timer.cancel()
            await asyncio.wait({self.start(uri)})
            analysis = self.analyses.get(uri)
            if self.opened(uri) and self._snapshot(uri)[1] == version:
                # Unchanged while it ran: its analysis, or None if the check failed (logged).
                return analysis if analysis is not None and analysis.version == version else None
        return None

    def forget(self, uri: str) -> None:
        for tasks in (self.timers, self.checks):
            task = tasks.pop(uri, None)
            if task is not None:
                task.cancel()
        self.analyses.pop(uri, None)
        self.live.pop(uri, None)


server = PaperServer()


@server.feature(types.INITIALIZED)
def initialized(ls: PaperServer, params: types.InitializedParams) -> None:
    """The checker's modules are imported in the worker thread while the editor opens its
    first document (`initialize` did not wait for them)."""
    ls.executor.submit(_warm)


def _warm() -> None:
    import ranpaper.fixes
    import ranpaper.formatting
    import ranpaper.rules
    import ranpaper.workspace  # noqa: F401


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: PaperServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: PaperServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: PaperServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.configs.clear()  # a saved configuration file applies from the next check
    ls.analyses.pop(params.text_document.uri, None)
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: PaperServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.forget(uri)
    if not ls.pulls:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


@server.feature(
    types.TEXT_DOCUMENT_DIAGNOSTIC,
    types.DiagnosticOptions(
        identifier="ranpaper", inter_file_dependencies=False, workspace_diagnostics=False
    ),
)
async def pull_diagnostics(
    ls: PaperServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport:
    """Pull diagnostics, for clients that ask for them: the same findings as pushed ones."""
    analysis = await ls.current(params.text_document.uri)
    if analysis is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    if params.previous_result_id is not None and params.previous_result_id == analysis.result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=analysis.result_id)
    return types.RelatedFullDocumentDiagnosticReport(
        items=analysis.diagnostics, result_id=analysis.result_id
    )


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True
    ),
)
async def code_action(ls: PaperServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """Quick fixes under the cursor, and every safe fix at once (`source.fixAll.ranpaper`,
    what an editor runs on save) when some finding has a safe fix. A client that resolves
    code actions gets fix-all without its edit, made only when it is chosen (an editor asks
    for code actions at every move of the cursor; the fix engine re-checks the paper)."""
    uri = params.text_document.uri
    analysis = await ls.current(uri)
    if analysis is None:
        return []
    only = list(params.context.only) if params.context.only is not None else None
    actions = []
    if wanted(types.CodeActionKind.QuickFix, only):
        actions = code_actions(analysis, params.range)
    safe = any(
        finding.fix is not None and finding.fix.applicability.value == "safe"
        for finding, _published in analysis.findings
    )
    if wanted(FIX_ALL, only) and safe:
        if ls.resolves_edits:
            actions.append(
                types.CodeAction(
                    title="ranpaper: apply every safe fix",
                    kind=FIX_ALL,
                    data={"uri": uri, "version": analysis.version},
                )
            )
        else:
            action = await _fix_all_now(ls, uri, analysis)
            if action is not None:
                actions.append(action)
    return actions


async def _fix_all_now(ls: PaperServer, uri: str, analysis: Analysis) -> types.CodeAction | None:
    text, version, path = ls._snapshot(uri)
    if version != analysis.version:
        return None
    action: types.CodeAction | None = await ls.run(
        fix_all, analysis, text, path, ls.workspace_for(path)
    )
    return action


@server.feature(types.CODE_ACTION_RESOLVE)
async def resolve_code_action(ls: PaperServer, action: types.CodeAction) -> types.CodeAction:
    """Fix-all's edit, made now; none if the text has changed since it was offered, or if
    there is nothing left to fix."""
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    if action.kind != FIX_ALL or not isinstance(uri, str):
        return action
    analysis = await ls.current(uri)
    if analysis is None or analysis.version != data.get("version"):
        return action
    made = await _fix_all_now(ls, uri, analysis)
    if made is not None:
        action.edit = made.edit
    return action


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
async def on_formatting(
    ls: PaperServer, params: types.DocumentFormattingParams
) -> list[types.TextEdit] | None:
    """`ranpaper fmt` of the editor's text; where fmt refuses, no edit and a message."""
    uri = params.text_document.uri
    if not ls.opened(uri):
        return None
    text, _version, path = ls._snapshot(uri)
    result = await ls.run(formatting, text, path, ls.workspace_for(path))
    if isinstance(result, str):
        ls.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning, message=f"ranpaper: not formatted: {result}"
            )
        )
        return None
    return result


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def on_hover(ls: PaperServer, params: types.HoverParams) -> types.Hover | None:
    analysis = await ls.current(params.text_document.uri)
    return hover(analysis, params.position) if analysis else None


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
async def document_symbol(
    ls: PaperServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol]:
    analysis = await ls.current(params.text_document.uri)
    return symbols(analysis) if analysis else []


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
async def on_definition(ls: PaperServer, params: types.DefinitionParams) -> types.Location | None:
    analysis = await ls.current(params.text_document.uri)
    return definition(analysis, params.position) if analysis else None


def main() -> None:
    """Serve over stdio until the editor says `exit`. The server writes to its own copy of
    the standard output, which it closes when it stops; `sys.stdout` stays usable."""
    import os
    import sys

    with os.fdopen(os.dup(sys.stdout.fileno()), "wb") as out:
        server.start_io(sys.stdin.buffer, out)
