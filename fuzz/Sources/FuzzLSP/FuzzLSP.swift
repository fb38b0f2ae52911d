// The language server's framing and dispatch on arbitrary bytes: first as a raw stream of frames
// (headers, bodies, garbage), then as the text of a document that is opened, changed and asked
// about (hover, completion, definition, signature help, rename, semantic tokens, symbols,
// formatting) at positions taken from the input. Every reply must be one JSON object; nothing may
// crash or hang.
import PlatformQuery
import PlatformQueryTools

nonisolated(unsafe) let server = LanguageServer()
nonisolated(unsafe) var initialized = false

func send(_ json: String) {
  for reply in server.receive(Array(json.utf8)) {
    guard reply.hasPrefix("{"), reply.hasSuffix("}") else { fatalError("invariant broken: reply \(reply)") }
  }
}

/// A JSON string literal, as pq's own writer makes it.
func quoted(_ text: String) -> String {
  (try? JSON.encode(.string(text), pretty: false)) ?? "\"\""
}

/// The libFuzzer entry point: one input, returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLSP(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if !initialized {
    send(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}"#)
    initialized = true
  }
  // 1. The bytes as a stream of frames, fed in two pieces.
  var framing = LSPFraming()
  framing.append(bytes.prefix(size / 2))
  while let frame = framing.next() { if case .message(let body) = frame { _ = server.receive(body) } }
  framing.append(bytes.dropFirst(size / 2))
  while let frame = framing.next() { if case .message(let body) = frame { _ = server.receive(body) } }
  // 2. The bytes as a document.
  let text = String(decoding: bytes, as: UTF8.self)
  let uri = "file:///fuzz.pq"
  send(
    #"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"\#(uri)","languageId":"pq","version":1,"text":\#(quoted(text))}}}"#
  )
  let line = size > 0 ? Int(bytes[0] % 8) : 0
  let character = size > 1 ? Int(bytes[1] % 64) : 0
  for method in ["hover", "completion", "definition", "signatureHelp", "prepareRename"] {
    send(
      #"{"jsonrpc":"2.0","id":1,"method":"textDocument/\#(method)","params":{"textDocument":{"uri":"\#(uri)"},"position":{"line":\#(line),"character":\#(character)}}}"#
    )
  }
  send(
    #"{"jsonrpc":"2.0","id":2,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"\#(uri)"}}}"#
  )
  send(
    #"{"jsonrpc":"2.0","id":3,"method":"textDocument/formatting","params":{"textDocument":{"uri":"\#(uri)"}}}"#
  )
  send(
    #"{"jsonrpc":"2.0","id":4,"method":"textDocument/semanticTokens/full","params":{"textDocument":{"uri":"\#(uri)"}}}"#
  )
  // A new name taken from the input too: a name, a keyword, or anything else.
  let newName = String(decoding: bytes.suffix(6), as: UTF8.self)
  send(
    #"{"jsonrpc":"2.0","id":5,"method":"textDocument/rename","params":{"textDocument":{"uri":"\#(uri)"},"position":{"line":\#(line),"character":\#(character)},"newName":\#(quoted(newName))}}"#
  )
  send(
    #"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"\#(uri)","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":\#(character)},"end":{"line":\#(line),"character":0}},"text":"(\""}]}}"#
  )
  send(#"{"jsonrpc":"2.0","method":"textDocument/didClose","params":{"textDocument":{"uri":"\#(uri)"}}}"#)
  return 0
}
