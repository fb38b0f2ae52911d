import Synchronization
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// `pq lsp` driven through the real process: recorded sessions (`LSPSessions/*.json`, each a list
/// of messages to send and messages expected back, in order) and hostile input.
@Suite struct LanguageServerTests {
  /// The messages in a stream of Content-Length frames.
  static func messages(in output: String) -> [JSONTree] {
    var framing = LSPFraming()
    framing.append(Array(output.utf8))
    var found: [JSONTree] = []
    while let frame = framing.next() {
      guard case .message(let body) = frame, let tree = try? JSONTree.parse(body) else {
        Issue.record("the server wrote a frame that is not a JSON message: \(frame)")
        continue
      }
      found.append(tree)
    }
    return found
  }

  /// True when `actual` has everything `expected` has: objects may have more members; arrays
  /// match item by item, or, when the expected array starts with "$contains", each further
  /// expected item matches some actual item.
  static func matches(_ actual: JSONTree, _ expected: JSONTree) -> Bool {
    switch (actual, expected) {
    case (.object, .object(let members)):
      return members.allSatisfy { key, value in actual[key].map { matches($0, value) } ?? false }
    case (.array(let items), .array(let wanted)):
      if case .string("$contains")? = wanted.first {
        return wanted.dropFirst().allSatisfy { want in items.contains { matches($0, want) } }
      }
      return items.count == wanted.count && zip(items, wanted).allSatisfy { matches($0, $1) }
    case (.number(let a), .number(let b)):
      return a == b || Double(a) == Double(b)
    default:
      return actual == expected
    }
  }

  @Test(arguments: ["diagnostics_and_hover", "editing", "unicode", "imports"])
  func recordedSession(_ name: String) throws {
    let path = "\(repositoryRoot)/Tests/pqTests/LSPSessions/\(name).json"
    let steps = try #require(try JSONTree.parse(FileSystem.read(path)).array)
    var input = ""
    var expected: [JSONTree] = []
    for step in steps {
      if let message = step["send"] {
        input += String(decoding: LSPFraming.frame(message.text), as: UTF8.self)
      } else if let message = step["expect"] {
        expected.append(message)
      }
    }
    let result = runPQ(["lsp"], stdin: input)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let replies = Self.messages(in: result.stdout)
    #expect(replies.count == expected.count, "\(replies.map(\.text).joined(separator: "\n"))")
    for (index, (reply, want)) in zip(replies, expected).enumerated() {
      #expect(Self.matches(reply, want), "message \(index + 1):\n got: \(reply.text)\nwant: \(want.text)")
    }
  }

  /// One malformed frame does not spoil the stream: a Content-Length too short, too long or
  /// missing, or garbage between frames, and the server reads the next message as it was sent.
  @Test(arguments: ["short", "long", "missing", "garbage"])
  func theStreamResynchronisesAfterABadFrame(_ fault: String) {
    func frame(_ body: String, length: Int? = nil) -> String {
      "Content-Length: \(length ?? body.utf8.count)\r\n\r\n" + body
    }
    let notification = "{\"jsonrpc\": \"2.0\", \"method\": \"initialized\", \"params\": {}}"
    let bad: String
    switch fault {
    case "short": bad = frame(notification, length: 10)
    case "long": bad = frame(notification, length: notification.utf8.count + 30)
    case "missing": bad = "Content-Type: x\r\n\r\n" + notification
    default: bad = "garbage that is no header\r\n"
    }
    let input =
      bad
      + frame(
        "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {\"capabilities\": {}}}")
      + frame("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"shutdown\"}")
      + frame("{\"jsonrpc\": \"2.0\", \"method\": \"exit\"}")
    let result = runPQ(["lsp"], stdin: input)
    #expect(result.status == 0, "\(fault): \(result.stderr)")
    let replies = Self.messages(in: result.stdout)
    #expect(replies.contains { $0["id"]?.text == "1" && $0["result"]?["capabilities"] != nil }, "\(fault)")
    #expect(replies.contains { $0["id"]?.text == "2" }, "\(fault)")
  }

  /// Frames and bodies that are wrong in every way the issue names get an error reply or are
  /// skipped; the server goes on answering, and ends as the protocol says.
  @Test func hostileInput() {
    func frame(_ body: String) -> String { String(decoding: LSPFraming.frame(body), as: UTF8.self) }
    let huge = String(repeating: "let a = x.mau * 2 # padding padding padding padding\n", count: 200_000)
    let hugeOpen = JSONTree.object([
      ("jsonrpc", .string("2.0")), ("method", .string("textDocument/didOpen")),
      (
        "params",
        .object([
          (
            "textDocument",
            .object([
              ("uri", .string("file:///tmp/huge.pq")), ("languageId", .string("pq")), ("version", .int(1)),
              ("text", .string(huge)),
            ])
          )
        ])
      ),
    ]).text
    var input = ""
    input += frame(#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#)
    input += frame(#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{}}"#)
    input += "Content-Type: application/vscode-jsonrpc\r\n\r\n"
    input += frame("this is not json")
    input += frame(#"[1, 2, 3]"#)
    input += frame(#"{"jsonrpc":"2.0","id":{"no":1},"method":"shutdown"}"#)
    input += frame(#"{"jsonrpc":"2.0","id":"s-3","method":"workspace/symbol","params":{}}"#)
    input += frame(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#)
    input += frame(
      #"{"jsonrpc":"2.0","id":4,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///never.pq"},"position":{"line":0,"character":0}}}"#
    )
    input += frame(#"{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{"textDocument":"x"}}"#)
    input += "Content-Length: 99999999999999999999\r\n\r\n"
    input += frame(hugeOpen)
    input += frame(
      #"{"jsonrpc":"2.0","id":6,"method":"textDocument/completion","params":{"textDocument":{"uri":"file:///tmp/huge.pq"},"position":{"line":999999,"character":5}}}"#
    )
    input += frame(#"{"jsonrpc":"2.0","id":12345678901234567890,"method":"shutdown"}"#)
    input += frame(#"{"jsonrpc":"2.0","id":8,"method":"textDocument/hover","params":{}}"#)
    input += frame(#"{"jsonrpc":"2.0","method":"exit"}"#)
    let result = runPQ(["lsp"], stdin: input, seconds: 120)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let replies = Self.messages(in: result.stdout)
    let byID = replies.filter { $0["id"] != nil }
    func error(_ reply: JSONTree?) -> Int? { reply?["error"]?["code"]?.int }
    #expect(byID.count == 11, "\(replies.map(\.text))")
    guard byID.count == 11 else { return }
    #expect(error(byID[0]) == -32002 && byID[0]["id"] == .number("1"))
    #expect(byID[1]["result"]?["capabilities"] != nil)
    #expect(error(byID[2]) == -32700 && byID[2]["id"] == .null)
    #expect(error(byID[3]) == -32600)
    #expect(error(byID[4]) == -32600 && byID[4]["id"] == .null)
    #expect(error(byID[5]) == -32601 && byID[5]["id"] == .string("s-3"))
    #expect(
      error(byID[6]) == -32602 && byID[6]["error"]?["message"]?.string?.contains("file:///never.pq") == true)
    #expect(error(byID[7]) == -32602)
    #expect(byID[8]["id"] == .number("6") && byID[8]["result"]?["items"] != nil)
    #expect(byID[9]["id"] == .number("12345678901234567890") && byID[9]["result"] == .null)
    #expect(error(byID[10]) == -32600)
    // The huge document is kept, and says why it is not analysed.
    let published = replies.first { $0["method"]?.string == "textDocument/publishDiagnostics" }
    #expect(
      published?["params"]?["diagnostics"]?.array?.first?["message"]?.string?.contains("larger than 4 MB")
        == true)
    #expect(result.stderr.contains("without a valid Content-Length"))
  }

  /// `exit` without `shutdown` ends with status 1, and so does the client going away.
  @Test func exitStatus() {
    let initialize = String(
      decoding: LSPFraming.frame(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#),
      as: UTF8.self)
    let exit = String(decoding: LSPFraming.frame(#"{"jsonrpc":"2.0","method":"exit"}"#), as: UTF8.self)
    #expect(runPQ(["lsp"], stdin: initialize + exit).status == 1)
    #expect(runPQ(["lsp"], stdin: initialize).status == 1)
    #expect(runPQ(["lsp", "--stdio"], stdin: "").status == 1)
    let usage = runPQ(["lsp", "--tcp"])
    #expect(usage.status == 2 && usage.stderr.contains("pq lsp takes no arguments"))
  }
}

/// A newer change to a document makes the analysis of its older text useless: the server skips
/// it when the newer change is already waiting, stops it when the newer change arrives while it
/// runs, and analyses the older text after all when a request about it comes first.
@Suite struct SupersededAnalysisTests {
  static let uri = "file:///tmp/changing.pq"

  static func message(_ tree: JSONTree) -> [UInt8] { Array(tree.text.utf8) }

  static func open(_ text: String, version: Int) -> [UInt8] {
    message(
      .object([
        ("jsonrpc", .string("2.0")), ("method", .string("textDocument/didOpen")),
        (
          "params",
          .object([
            (
              "textDocument",
              .object([
                ("uri", .string(uri)), ("languageId", .string("pq")), ("version", .int(version)),
                ("text", .string(text)),
              ])
            )
          ])
        ),
      ]))
  }

  static func change(_ text: String, version: Int) -> [UInt8] {
    message(
      .object([
        ("jsonrpc", .string("2.0")), ("method", .string("textDocument/didChange")),
        (
          "params",
          .object([
            ("textDocument", .object([("uri", .string(uri)), ("version", .int(version))])),
            ("contentChanges", .array([.object([("text", .string(text))])])),
          ])
        ),
      ]))
  }

  static let initialize = message(
    .object([
      ("jsonrpc", .string("2.0")), ("id", .int(1)), ("method", .string("initialize")),
      ("params", .object([("capabilities", .object([]))])),
    ]))

  /// A long document: 40,000 lines, one name error on the last.
  static let longText = (0..<40_000).map { "let a\($0) = \($0) * 2" }.joined(separator: "\n") + "\nnosuch"

  static func versions(_ replies: [String]) -> [Int] {
    replies.compactMap { reply in
      guard let tree = try? JSONTree.parse(Array(reply.utf8)),
        tree["method"]?.string == "textDocument/publishDiagnostics"
      else { return nil }
      return tree["params"]?["version"]?.int
    }
  }

  @Test func aChangeWithANewerOneWaitingIsNotAnalysed() throws {
    let server = LanguageServer()
    _ = server.receive(Self.initialize)
    #expect(Self.versions(server.receive(Self.open("let a = 1", version: 1))) == [1])
    let skipped = server.receive(
      LanguageServer.Incoming(Self.change("let b = nosuch", version: 2)), supersededByLaterChange: true)
    #expect(skipped.isEmpty)
    #expect(server.analysesInterrupted == 1)
    // A request about the skipped text analyses it first: its diagnostics, then the answer.
    let symbols = Self.message(
      .object([
        ("jsonrpc", .string("2.0")), ("id", .int(2)), ("method", .string("textDocument/documentSymbol")),
        ("params", .object([("textDocument", .object([("uri", .string(Self.uri))]))])),
      ]))
    let replies = server.receive(symbols)
    #expect(Self.versions(replies) == [2])
    #expect(replies.count == 2)
    #expect(replies.first?.contains("'nosuch' is not defined") == true)
    #expect(replies.last?.contains("\"name\":\"b\"") == true, "\(replies)")
  }

  @Test func aNewerChangeStopsTheRunningAnalysis() throws {
    let server = LanguageServer()
    _ = server.receive(Self.initialize)
    let interrupter = server.interrupter
    let newer = LanguageServer.Incoming(Self.change("let c = 3", version: 2))
    let done = Atomic<Bool>(false)
    // The newer change "arrives" again and again while the long text is analysed (each arrival
    // while it runs stops it; those before or after it do nothing).
    let thread = Thread.start {
      while !done.load(ordering: .acquiring) {
        interrupter.arrived(newer)
        usleep(200)
      }
    }
    let replies = server.receive(Self.open(Self.longText, version: 1))
    done.store(true, ordering: .releasing)
    thread.join()
    #expect(Self.versions(replies).isEmpty, "\(replies.map { $0.prefix(200) })")
    #expect(server.analysesInterrupted == 1)
    // The newer change itself is analysed and published.
    #expect(Self.versions(server.receive(newer)) == [2])
  }

  /// Through `pq lsp`: a long document opened and changed at once is analysed once, for the
  /// text that stands.
  @Test func theCommandAnalysesOnlyTheTextThatStands() {
    var input: [UInt8] = []
    for body in [Self.initialize, Self.open(Self.longText, version: 1), Self.change("nosuch2", version: 2)] {
      input += LSPFraming.frame(String(decoding: body, as: UTF8.self))
    }
    input += LSPFraming.frame(#"{"jsonrpc":"2.0","id":9,"method":"shutdown"}"#)
    input += LSPFraming.frame(#"{"jsonrpc":"2.0","method":"exit"}"#)
    let result = runPQ(["lsp"], stdin: String(decoding: input, as: UTF8.self))
    #expect(result.status == 0, "\(result.stderr)")
    let published = LanguageServerTests.messages(in: result.stdout).filter {
      $0["method"]?.string == "textDocument/publishDiagnostics"
    }
    #expect(published.map { $0["params"]?["version"]?.int } == [2])
    #expect(published.first?.text.contains("'nosuch2' is not defined") == true)
  }
}

/// A plain POSIX thread for tests that need one outside Swift's concurrency pool.
final class Thread: @unchecked Sendable {
  private var handle = pthread_t()

  static func start(_ body: @escaping @Sendable () -> Void) -> Thread {
    final class Box {
      let body: @Sendable () -> Void
      init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let thread = Thread()
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    pthread_create(
      &thread.handle, nil,
      { pointer in
        guard let pointer else { return nil }
        Unmanaged<Box>.fromOpaque(pointer).takeRetainedValue().body()
        return nil
      }, box)
    return thread
  }

  func join() { pthread_join(handle, nil) }
}
