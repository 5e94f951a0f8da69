"""`ranpaper lsp` with a client that pulls diagnostics (`textDocument/diagnostic`, as VS Code
does): the findings come as answers, never also as notifications, and a pull of an unchanged
document says so."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import PAPER_PATH

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "ranpaper", "lsp"]),
)
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                text_document=types.TextDocumentClientCapabilities(
                    diagnostic=types.DiagnosticClientCapabilities()
                )
            )
        )
    )
    yield
    await lsp_client.shutdown_session()


async def _pull(
    client: LanguageClient, uri: str, previous: str | None = None
) -> types.DocumentDiagnosticReport:
    return await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous
        )
    )


async def test_pulled_diagnostics_are_the_findings_and_none_are_pushed(
    client: LanguageClient, tmp_path: Path
) -> None:
    paper = tmp_path / PAPER_PATH.name
    text = PAPER_PATH.read_text("utf-8")
    paper.write_text(text, "utf-8")
    uri = paper.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=text
            )
        )
    )
    report = await _pull(client, uri)
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert len(report.items) > 50 and report.result_id
    assert {d.code for d in report.items} >= {"RP301"}
    assert uri not in client.diagnostics  # a pushed copy would have come before the answer

    again = await _pull(client, uri, report.result_id)
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    assert again.result_id == report.result_id

    broken = text.replace(
        "#### Lessons learned and recommendations", "#### Lessons learnt and recommendations", 1
    )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=broken)],
        )
    )
    changed = await _pull(client, uri, report.result_id)  # asked at once: the new text's
    assert isinstance(changed, types.RelatedFullDocumentDiagnosticReport)
    assert changed.result_id != report.result_id
    assert [d.code for d in changed.items if d.code == "RP203"] == ["RP203"]
    assert uri not in client.diagnostics
