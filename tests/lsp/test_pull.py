"""`ranpaper lsp` with a client as VS Code is: it pulls diagnostics (`textDocument/diagnostic`)
and resolves code actions (`codeAction/resolve`). The findings come as answers, never also as
notifications, and a pull of an unchanged document says so; fix-all is offered without its
edit, which is made when the action is resolved."""

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
                    diagnostic=types.DiagnosticClientCapabilities(),
                    code_action=types.CodeActionClientCapabilities(
                        resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"])
                    ),
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


async def test_fix_all_is_offered_at_once_and_its_edit_made_when_resolved(
    client: LanguageClient, tmp_path: Path
) -> None:
    from lsp_edits import apply_edits

    paper = tmp_path / PAPER_PATH.name
    text = PAPER_PATH.read_text("utf-8")
    paper.write_text(text, "utf-8")
    broken = text.replace(
        "#### Lessons learned and recommendations", "#### Lessons learnt and recommendations", 1
    )
    uri = paper.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=broken
            )
        )
    )
    nowhere = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=nowhere,
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
        )
    )
    assert actions is not None
    [offered] = actions
    assert isinstance(offered, types.CodeAction)
    assert offered.kind == "source.fixAll.ranpaper" and offered.edit is None
    resolved = await client.code_action_resolve_async(offered)
    assert resolved.edit is not None and resolved.edit.changes is not None
    assert apply_edits(broken, resolved.edit.changes[uri]) == text
