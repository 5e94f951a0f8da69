"""The language server reads only what the editor opened, through the workspace: a request
that names a file it was never sent is answered without touching the disk, and a Markdown
file that is not a paper gets no findings."""

from __future__ import annotations

import asyncio
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import ROOT

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "ranpaper", "lsp"]),
)
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities())
    )
    yield
    await lsp_client.shutdown_session()


async def test_a_request_about_an_unopened_file_reads_nothing(client: LanguageClient) -> None:
    # /dev/zero would never end: the server must not read it because a request names it.
    answer = await asyncio.wait_for(
        client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri="file:///dev/zero"),
                position=types.Position(line=0, character=0),
            )
        ),
        timeout=10,
    )
    assert answer is None
    symbols = await asyncio.wait_for(
        client.text_document_document_symbol_async(
            types.DocumentSymbolParams(
                text_document=types.TextDocumentIdentifier(uri="file:///dev/zero")
            )
        ),
        timeout=10,
    )
    assert not symbols


async def test_a_markdown_file_that_is_not_a_paper_gets_no_diagnostics(
    client: LanguageClient,
) -> None:
    readme = ROOT / "README.md"
    uri = readme.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=readme.read_text("utf-8")
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []
