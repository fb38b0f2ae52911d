"""A second client for `pq lsp`: pytest-lsp (pygls) with the capabilities Visual Studio Code and
Neovim announce. Run with the environment variable PQ naming the pq binary."""
import asyncio
import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

PQ = os.environ.get("PQ", "pq")
URI = "file:///tmp/pq-lsp-client/ünïcode.pq"
TEXT = 'let note = "😀 — 中文"\nlet gap = x.revenue + x.mau\nprint(note, ratio(x.mau, truth.mau))\n'


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[PQ, "lsp"]),
    params=["visual-studio-code", "neovim"],
)
async def client(request, lsp_client: LanguageClient):
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities(request.param))
    )
    assert result.capabilities.position_encoding in (None, types.PositionEncodingKind.Utf16)
    yield
    await lsp_client.shutdown_session()


async def open_document(client: LanguageClient):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=URI, language_id="pq", version=1, text=TEXT)
        )
    )
    await asyncio.wait_for(client.wait_for_notification("textDocument/publishDiagnostics"), 10)
    return client.diagnostics[URI]


@pytest.mark.asyncio
async def test_unit_error_after_non_ascii_text(client: LanguageClient):
    diagnostics = await open_document(client)
    assert [d.message.splitlines()[0] for d in diagnostics] == ["cannot add USD and users"]
    assert diagnostics[0].range.start == types.Position(line=1, character=20)


@pytest.mark.asyncio
async def test_hover_shows_provenance(client: LanguageClient):
    await open_document(client)
    # "print(note, ratio(x.mau": the emoji line is above; this line is ASCII.
    hover = await asyncio.wait_for(
        client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=2, character=22)
            )
        ),
        10,
    )
    assert "70.4M users" in hover.contents.value
    assert "Similarweb, September 2024" in hover.contents.value


@pytest.mark.asyncio
async def test_completion_and_definition(client: LanguageClient):
    await open_document(client)
    completion = await asyncio.wait_for(
        client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=2, character=8)
            )
        ),
        10,
    )
    labels = [item.label for item in completion.items]
    assert "note" in labels
    definition = await asyncio.wait_for(
        client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=2, character=7)
            )
        ),
        10,
    )
    assert definition.range.start == types.Position(line=0, character=4)
