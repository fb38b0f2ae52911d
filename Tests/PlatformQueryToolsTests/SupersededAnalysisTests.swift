import PQTestSupport
import Synchronization
import Testing

@testable import PlatformQuery
@testable import PlatformQueryTools

#if canImport(Glibc)
  import Glibc
#endif

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
}
