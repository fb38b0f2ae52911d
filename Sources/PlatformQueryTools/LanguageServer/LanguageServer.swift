import PlatformQuery
import Synchronization

/// pq's language server (LSP 3.17) without its transport: it takes the body of each message the
/// client sends and returns the bodies to send back, in order. `pq lsp` puts it on stdin and
/// stdout with ``LSPFraming``; a test or another front end can drive it directly.
///
/// It serves diagnostics on open and change (syntax and name errors, and unit errors among
/// figures known before running, with the command line's messages), completion, hover (a
/// built-in's help; a figure's value, source, period, definition and quote; a binding's
/// definition line), go to definition (bindings and imported files), document symbols and
/// formatting. Positions are in UTF-16 code units, as the protocol's default encoding says.
/// Requests are answered in the order they arrive; a bad message gets a JSON-RPC error, never a
/// crash.
public final class LanguageServer {
  /// An open document: its text and what is known about it.
  struct Document {
    var uri: String
    var version: Int
    var analysis: DocumentAnalysis
    var source: Source { analysis.source }
  }

  let interpreter: Interpreter
  /// Stops an analysis that a newer change to its document has made useless; safe to call from
  /// the thread that reads the transport.
  public let interrupter: AnalysisInterrupter
  var documents: [String: Document] = [:]
  var initialized = false
  var shutdownRequested = false
  /// Set while a change that a later one supersedes is handled.
  var skipsAnalysis = false
  /// Diagnostics of a document analysed on demand while a request was handled: sent before
  /// the request's answer.
  var earlyNotifications: [String] = []
  /// How many analyses a newer change stopped (or made the server skip): for tests.
  public private(set) var analysesInterrupted = 0
  /// Set once the client sends `exit`: the status the process should end with (0 after a
  /// `shutdown` request, 1 without one).
  public private(set) var exitStatus: Int32?
  /// Whether the last message given to ``receive(_:)`` was not JSON: its frame was probably
  /// wrong, and the transport may resynchronise (``LSPFraming/resynchronize()``).
  public private(set) var lastMessageWasNotJSON = false

  /// A server with the built-in data and the prelude, as `pq` itself has them.
  public init() {
    var options = Interpreter.Options()
    options.output = { _ in }
    // Reading only, inside the folder the server was started in (an editor starts it in the
    // project's): the unit checker reads a small file a `load("…")` names, for its figures'
    // units. Nothing is ever written.
    options.fileAccess = .separate(read: [FileSystem.currentDirectory()], write: [])
    // The editor runs nothing a document says; its limits bound the analysis: sources as
    // large as it analyses, parsed and resolved within ten seconds.
    options.limits = .untrusted
    options.limits.maximumLength = DocumentAnalysis.largestAnalysed
    options.limits.seconds = 10
    // As in the pq command: a script may define its own `share` or `per_user`.
    options.protectsGlobals = false
    interpreter = Interpreter(options: options)
    interrupter = AnalysisInterrupter(cancellation: interpreter.cancellation)
  }

  /// JSON-RPC 2.0 and LSP error codes.
  enum ErrorCode: Int {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
    case serverNotInitialized = -32002
    case requestFailed = -32803
  }

  struct Failure: Error {
    var code: ErrorCode
    var message: String
  }

  /// One message as it arrived: its body read as JSON once, on whichever thread reads the
  /// transport, and the document it opens, changes or closes, if any.
  public struct Incoming: Sendable {
    let message: Result<JSONTree, JSON.ParseError>
    /// The URI of the document a `didOpen`, `didChange` or `didClose` notification is about.
    public let changedDocument: String?
    /// Whether the body was not JSON: its frame was probably wrong, and the transport may
    /// resynchronise (``LSPFraming/resynchronize()``).
    public var isNotJSON: Bool {
      if case .failure = message { return true }
      return false
    }

    /// Reads a message body.
    public init(_ body: [UInt8]) {
      do {
        let tree = try JSONTree.parse(body)
        message = .success(tree)
        switch tree["method"]?.string {
        case "textDocument/didOpen", "textDocument/didChange", "textDocument/didClose":
          changedDocument = tree["params"]?["textDocument"]?["uri"]?.string
        default:
          changedDocument = nil
        }
      } catch {
        message = .failure(error)
        changedDocument = nil
      }
    }
  }

  /// Handles one message body and returns the message bodies to send, in order.
  public func receive(_ body: [UInt8]) -> [String] {
    receive(Incoming(body))
  }

  /// Handles one message read by ``Incoming/init(_:)`` (perhaps on another thread, which
  /// told ``interrupter`` of it as it arrived) and returns the message bodies to send. With
  /// `supersededByLaterChange` (a later change to the same document is already waiting), a
  /// change is applied to the text without analysing it.
  public func receive(_ incoming: Incoming, supersededByLaterChange: Bool = false) -> [String] {
    skipsAnalysis = supersededByLaterChange
    defer { skipsAnalysis = false }
    let message: JSONTree
    switch incoming.message {
    case .success(let tree):
      message = tree
      lastMessageWasNotJSON = false
    case .failure(let error):
      lastMessageWasNotJSON = true
      return [Self.errorResponse(id: .null, .parseError, "the message is not JSON: \(error.message)")]
    }
    guard case .object = message, let method = message["method"]?.string else {
      let id = message["id"] ?? .null
      return [
        Self.errorResponse(
          id: Self.validID(id) ?? .null, .invalidRequest, "a message needs a \"method\" string")
      ]
    }
    let params = message["params"] ?? .null
    guard let rawID = message["id"] else {
      return handleNotification(method, params)
    }
    guard let id = Self.validID(rawID) else {
      return [Self.errorResponse(id: .null, .invalidRequest, "a request id must be a number or a string")]
    }
    var out: [String] = []
    earlyNotifications = []
    do {
      let result = try handleRequest(method, params, notifications: &out)
      out.insert(JSONTree.object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)]).text, at: 0)
    } catch {
      out.insert(Self.errorResponse(id: id, error.code, error.message), at: 0)
    }
    return earlyNotifications + out
  }

  static func validID(_ id: JSONTree) -> JSONTree? {
    switch id {
    case .number, .string: return id
    default: return nil
    }
  }

  static func errorResponse(id: JSONTree, _ code: ErrorCode, _ message: String) -> String {
    JSONTree.object([
      ("jsonrpc", .string("2.0")), ("id", id),
      ("error", .object([("code", .int(code.rawValue)), ("message", .string(message))])),
    ]).text
  }

  static func notification(_ method: String, _ params: JSONTree) -> String {
    JSONTree.object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)]).text
  }

  // MARK: Requests

  func handleRequest(_ method: String, _ params: JSONTree, notifications: inout [String]) throws(Failure)
    -> JSONTree
  {
    if method == "initialize" {
      initialized = true
      return capabilities
    }
    guard initialized else {
      throw Failure(code: .serverNotInitialized, message: "the client must send 'initialize' first")
    }
    if method == "shutdown" {
      shutdownRequested = true
      return .null
    }
    guard !shutdownRequested else {
      throw Failure(code: .invalidRequest, message: "the server is shutting down")
    }
    switch method {
    case "textDocument/completion":
      let (document, offset) = try position(params)
      return completion(document, offset)
    case "textDocument/hover":
      let (document, offset) = try position(params)
      return hover(document, offset)
    case "textDocument/definition":
      let (document, offset) = try position(params)
      return definition(document, offset)
    case "textDocument/documentSymbol":
      return symbols(try document(params))
    case "textDocument/signatureHelp":
      let (document, offset) = try position(params)
      return signatureHelp(document, offset)
    case "textDocument/prepareRename":
      let (document, offset) = try position(params)
      return prepareRename(document, offset)
    case "textDocument/rename":
      let (document, offset) = try position(params)
      guard let newName = params["newName"]?.string else {
        throw Failure(code: .invalidParams, message: "expected params.newName")
      }
      return try rename(document, offset, to: newName)
    case "textDocument/semanticTokens/full":
      return semanticTokens(try document(params))
    case "textDocument/formatting":
      return formatting(try document(params))
    default:
      throw Failure(code: .methodNotFound, message: "pq's language server does not handle '\(method)'")
    }
  }

  var capabilities: JSONTree {
    .object([
      (
        "capabilities",
        .object([
          ("positionEncoding", .string("utf-16")),
          ("textDocumentSync", .object([("openClose", .bool(true)), ("change", .int(1))])),
          (
            "completionProvider",
            .object([("triggerCharacters", .array([.string("."), .string("\"")]))])
          ),
          ("hoverProvider", .bool(true)),
          ("definitionProvider", .bool(true)),
          ("documentSymbolProvider", .bool(true)),
          ("documentFormattingProvider", .bool(true)),
          (
            "signatureHelpProvider",
            .object([("triggerCharacters", .array([.string("("), .string(",")]))])
          ),
          ("renameProvider", .object([("prepareProvider", .bool(true))])),
          (
            "semanticTokensProvider",
            .object([
              (
                "legend",
                .object([
                  ("tokenTypes", .array(LanguageServer.tokenTypes.map { .string($0) })),
                  ("tokenModifiers", .array(LanguageServer.tokenModifiers.map { .string($0) })),
                ])
              ),
              ("full", .bool(true)),
            ])
          ),
        ])
      ),
      ("serverInfo", .object([("name", .string("pq")), ("version", .string(Interpreter.version))])),
    ])
  }

  func document(_ params: JSONTree) throws(Failure) -> Document {
    guard let uri = params["textDocument"]?["uri"]?.string else {
      throw Failure(code: .invalidParams, message: "expected params.textDocument.uri")
    }
    guard let document = documents[uri] else {
      throw Failure(
        code: .invalidParams, message: "pq has not opened \(uri): send textDocument/didOpen first")
    }
    guard document.analysis.isAnalysed else {
      // A change whose analysis a newer one stopped or skipped, asked about before the newer
      // change came: analysed now, to the end, and its diagnostics published first.
      let analysis = analyse(uri, document.source, interruptible: false)
      documents[uri]?.analysis = analysis
      earlyNotifications.append(
        publish(uri, analysis.problems, source: document.source, version: document.version))
      return documents[uri] ?? document
    }
    return document
  }

  func position(_ params: JSONTree) throws(Failure) -> (Document, Int) {
    let document = try document(params)
    guard let line = params["position"]?["line"]?.int, let character = params["position"]?["character"]?.int,
      line >= 0, character >= 0
    else {
      throw Failure(code: .invalidParams, message: "expected params.position with line and character")
    }
    return (document, PositionEncoding.offset(in: document.source, line: line, character: character))
  }

  // MARK: Notifications

  func handleNotification(_ method: String, _ params: JSONTree) -> [String] {
    if method == "exit" {
      exitStatus = shutdownRequested ? 0 : 1
      return []
    }
    guard initialized, !shutdownRequested else { return [] }
    switch method {
    case "textDocument/didOpen":
      guard let item = params["textDocument"], let uri = item["uri"]?.string, let text = item["text"]?.string
      else {
        return []
      }
      return update(uri, text: text, version: item["version"]?.int ?? 0)
    case "textDocument/didChange":
      guard let uri = params["textDocument"]?["uri"]?.string, let changes = params["contentChanges"]?.array,
        var text = documents[uri]?.source.text
      else { return [] }
      for change in changes {
        guard let newText = change["text"]?.string else { continue }
        if let range = change["range"] {
          let source = Source(name: uri, text: text)
          guard let start = PositionEncoding.offset(in: source, range["start"]),
            let end = PositionEncoding.offset(in: source, range["end"]), start <= end
          else { continue }
          let bytes = source.bytes
          text = String(
            decoding: Array(bytes[..<start]) + Array(newText.utf8) + Array(bytes[end...]), as: UTF8.self)
        } else {
          text = newText
        }
      }
      return update(uri, text: text, version: params["textDocument"]?["version"]?.int ?? 0)
    case "textDocument/didClose":
      guard let uri = params["textDocument"]?["uri"]?.string, documents.removeValue(forKey: uri) != nil else {
        return []
      }
      return [publish(uri, [], source: nil, version: nil)]
    default:
      return []
    }
  }

  func update(_ uri: String, text: String, version: Int) -> [String] {
    let source = Source(name: Self.path(of: uri) ?? uri, text: text)
    // A newer change to the same document, already waiting (`skipsAnalysis`) or arriving
    // while this one is analysed, makes the analysis useless: it stops, and only the text is
    // kept (the newer change applies to it and publishes the diagnostics).
    let analysis =
      skipsAnalysis ? DocumentAnalysis(unanalysed: source) : analyse(uri, source, interruptible: true)
    documents[uri] = Document(uri: uri, version: version, analysis: analysis)
    guard analysis.isAnalysed else {
      analysesInterrupted += 1
      return []
    }
    return [publish(uri, analysis.problems, source: source, version: version)]
  }

  /// Analyses a document's new text; interruptible, a newer change to it stops the analysis
  /// (the result is then not analysed). While a line is half typed (or the text not analysed),
  /// its names stay known from the last text that parsed.
  func analyse(_ uri: String, _ source: Source, interruptible: Bool) -> DocumentAnalysis {
    var analysis: DocumentAnalysis
    if interruptible {
      interrupter.begin(uri)
      analysis = DocumentAnalysis(source: source, interpreter: interpreter) { self.interrupter.isSuperseded }
      if interrupter.end() { analysis = DocumentAnalysis(unanalysed: source) }
    } else {
      analysis = DocumentAnalysis(source: source, interpreter: interpreter)
    }
    if analysis.program == nil, let previous = documents[uri]?.analysis {
      analysis.declarations = previous.declarations
      analysis.boundNames = previous.boundNames
    }
    return analysis
  }

  func publish(_ uri: String, _ problems: [PQError], source: Source?, version: Int?) -> String {
    let diagnostics: [JSONTree] = problems.map { problem in
      let span = problem.span ?? Span(start: 0, end: 0)
      let message = ([problem.message] + problem.notes.map { "note: \($0)" }).joined(separator: "\n")
      return .object([
        ("range", source.map { PositionEncoding.range($0, span) } ?? PositionEncoding.zeroRange),
        ("severity", .int(1)),
        ("source", .string("pq")),
        ("message", .string(message)),
      ])
    }
    var params: [(String, JSONTree)] = [("uri", .string(uri)), ("diagnostics", .array(diagnostics))]
    if let version { params.append(("version", .int(version))) }
    return Self.notification("textDocument/publishDiagnostics", .object(params))
  }

  // MARK: URIs

  /// The file path of a `file:` URI, with its percent escapes decoded.
  static func path(of uri: String) -> String? {
    guard uri.hasPrefix("file://") else { return nil }
    var bytes: [UInt8] = []
    let raw = Array(uri.utf8.dropFirst(7))
    var index = 0
    while index < raw.count {
      if raw[index] == UInt8(ascii: "%"), index + 2 < raw.count,
        let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2])
      {
        bytes.append(high << 4 | low)
        index += 3
      } else {
        bytes.append(raw[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The `file:` URI of a path, escaping what RFC 3986 does not allow in a path.
  static func uri(ofPath path: String) -> String {
    var out = "file://"
    for byte in path.utf8 {
      let allowed =
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || "/-._~".utf8.contains(byte)
      if allowed {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        let digits = Array("0123456789ABCDEF")
        out += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
      }
    }
    return out
  }

  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
