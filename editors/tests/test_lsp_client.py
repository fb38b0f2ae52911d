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


async def open_text(client: LanguageClient, uri: str, text: str):
    """Opens a document and returns its first diagnostics."""
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="pq", version=1, text=text)
        )
    )
    await asyncio.wait_for(client.wait_for_notification("textDocument/publishDiagnostics"), 10)
    return client.diagnostics[uri]


BROKEN = {
    # An error at the end: the unit error above it is still found.
    "end": ("let a = x.mau\nlet b = a + x.revenue\nprint(a)\nx.\n", 2),
    # Two broken lines between sound ones.
    "two": ("let a = x.mau\nlet = 5\nlet q = )\nlet c = a + x.revenue\n", 3),
    # An unclosed bracket in the middle: the statements after it are read.
    "middle": ("let a = x.mau\nlet b = (a +\nlet c = a + x.revenue\nprint(b, c)\n", 2),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("shape", sorted(BROKEN))
async def test_broken_files_are_still_analysed(client: LanguageClient, shape: str):
    text, count = BROKEN[shape]
    uri = f"file:///tmp/pq-lsp-client/broken-{shape}.pq"
    diagnostics = await open_text(client, uri, text)
    messages = [d.message.splitlines()[0] for d in diagnostics]
    assert len(messages) == count, messages
    assert "cannot add users and USD" in messages, messages
    symbols = await asyncio.wait_for(
        client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
        ),
        10,
    )
    assert "a" in [symbol.name for symbol in symbols]


@pytest.mark.asyncio
async def test_units_flow_through_functions_and_signature_help(client: LanguageClient):
    uri = "file:///tmp/pq-lsp-client/functions.pq"
    text = "fn add(a, b) {\n  a + b\n}\nlet total = add(x.mau, x.revenue)\nratio(x.mau, \n"
    diagnostics = await open_text(client, uri, text)
    assert [d.message.splitlines()[0] for d in diagnostics] == [
        "cannot add users and USD",
        "expected an expression, found end of input",
    ]
    assert diagnostics[0].range.start == types.Position(line=1, character=4)
    help = await asyncio.wait_for(
        client.text_document_signature_help_async(
            types.SignatureHelpParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=4, character=13)
            )
        ),
        10,
    )
    assert help.signatures[0].label == "ratio(a, b)"
    assert help.active_parameter == 1


@pytest.mark.asyncio
async def test_rename_and_semantic_tokens(client: LanguageClient):
    uri = "file:///tmp/pq-lsp-client/rename.pq"
    text = "let a = x.mau\nfn g(a) { a * 2 }\nprint(a, g(a))\n"
    await open_text(client, uri, text)
    edit = await asyncio.wait_for(
        client.text_document_rename_async(
            types.RenameParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=0, character=4),
                new_name="users",
            )
        ),
        10,
    )
    starts = sorted((e.range.start.line, e.range.start.character) for e in edit.changes[uri])
    assert starts == [(0, 4), (2, 6), (2, 11)]
    tokens = await asyncio.wait_for(
        client.text_document_semantic_tokens_full_async(
            types.SemanticTokensParams(text_document=types.TextDocumentIdentifier(uri=uri))
        ),
        10,
    )
    assert len(tokens.data) % 5 == 0 and len(tokens.data) >= 5 * 8
