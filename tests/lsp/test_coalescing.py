"""The server's checks while the editor keeps typing: changes that arrive during a check are
coalesced (only the latest text is checked next), and the result of a check whose text has
changed meanwhile is never published. The check itself is replaced by one that waits until
the test lets it finish, so the order of events is the test's, not the machine's."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.workspace import Workspace as Documents

from ranpaper import lsp
from ranpaper.lsp import Analysis, PaperServer, source_lines
from ranpaper.workspace import Workspace

pytestmark = pytest.mark.asyncio

URI = "file:///papers/paper.md"


class SlowCheck:
    """Stands in for `lsp.analyse`: records the versions it is asked to check and, for the
    versions in `held`, waits until `release` is set."""

    def __init__(self, held: set[int]) -> None:
        self.held = held
        self.versions: list[int | None] = []
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(
        self,
        text: str,
        path: Path,
        workspace: Any,
        uri: str = "",
        version: int | None = None,
        live: Any = None,
    ) -> Analysis:
        self.versions.append(version)
        if version in self.held:
            self.started.set()
            assert self.release.wait(30)
        return Analysis(uri, version, source_lines(text), None, [])


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> tuple[PaperServer, list[int | None]]:
    ls = PaperServer()
    ls.protocol._workspace = Documents(None)  # as `initialize` makes it
    published: list[int | None] = []
    monkeypatch.setattr(
        ls,
        "text_document_publish_diagnostics",
        lambda params: published.append(params.version),
    )
    workspace = Workspace()  # the server keeps a live document of it per open paper
    monkeypatch.setattr(ls, "workspace_for", lambda path: workspace)
    ls.workspace.put_text_document(
        types.TextDocumentItem(uri=URI, language_id="markdown", version=1, text="v1\n")
    )
    return ls, published


def _change(ls: PaperServer, version: int) -> None:
    ls.workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=URI, version=version),
        types.TextDocumentContentChangeWholeDocument(text=f"v{version}\n"),
    )
    ls.schedule(URI)


async def test_changes_during_a_check_are_coalesced_and_its_stale_result_dropped(
    server: tuple[PaperServer, list[int | None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    ls, published = server
    check = SlowCheck(held={1})
    monkeypatch.setattr(lsp, "analyse", check)
    ls.schedule(URI)  # the first check starts at once
    assert await asyncio.to_thread(check.started.wait, 30)
    for version in (2, 3, 4):  # typed while version 1 is being checked
        _change(ls, version)
    assert check.versions == [1]  # nothing else started meanwhile
    check.release.set()
    await asyncio.wait_for(ls.checks[URI], 30)
    assert check.versions == [1, 4]  # 2 and 3 were never checked
    assert published == [4]  # version 1's result was never published
    assert ls.analyses[URI].version == 4


async def test_a_request_waits_for_the_text_the_editor_has_now(
    server: tuple[PaperServer, list[int | None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    ls, published = server
    check = SlowCheck(held=set())
    monkeypatch.setattr(lsp, "analyse", check)
    ls.schedule(URI)
    _change(ls, 2)  # within the pause: waits for the typing to stop
    analysis = await asyncio.wait_for(ls.current(URI), 30)
    assert analysis is not None and analysis.version == 2
    assert analysis.lines == ["v2", ""]
    await asyncio.sleep(2 * lsp.DEBOUNCE)  # the cancelled wait never checks again
    assert published[-1] == 2 and check.versions.count(2) == 1


async def test_a_check_that_fails_is_logged_and_a_request_gets_no_answer_not_a_hang(
    server: tuple[PaperServer, list[int | None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    ls, published = server
    logged: list[str] = []
    monkeypatch.setattr(ls, "window_log_message", lambda params: logged.append(params.message))

    def broken(*args: Any, **kwargs: Any) -> Analysis:
        raise ValueError("a bug")

    monkeypatch.setattr(lsp, "analyse", broken)
    assert await asyncio.wait_for(ls.current(URI), 30) is None
    assert published == [] and len(logged) == 1 and "ValueError: a bug" in logged[0]


async def test_each_open_paper_is_read_again_only_where_it_changed(
    server: tuple[PaperServer, list[int | None]],
) -> None:
    """The server keeps one live document per open paper: a change re-reads the chunk it
    touched (issue 22), the findings are a fresh check's, and closing drops the document."""
    from conftest import PAPER_PATH

    ls, _published = server
    text = PAPER_PATH.read_text("utf-8")
    ls.workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        types.TextDocumentContentChangeWholeDocument(text=text),
    )
    await asyncio.wait_for(ls.start(URI), 30)
    live = ls.live[URI]
    assert live.reader.stats.full
    body = text.index("# Introduction")
    edited = text[:body] + text[body:].replace("\n- ", "\n- Typed ", 1)
    ls.workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=URI, version=3),
        types.TextDocumentContentChangeWholeDocument(text=edited),
    )
    await asyncio.wait_for(ls.start(URI), 30)
    assert ls.live[URI] is live and not live.reader.stats.full
    assert ls.live[URI].reader.stats.reread_chunks == 1
    fresh = lsp.analyse(edited, Path(URI.removeprefix("file://")), Workspace(), URI, 3)
    assert ls.analyses[URI].findings == fresh.findings
    assert ls.analyses[URI].paper == fresh.paper
    ls.forget(URI)
    assert URI not in ls.live
