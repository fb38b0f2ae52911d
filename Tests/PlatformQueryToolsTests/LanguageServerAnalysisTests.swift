import PQTestSupport
import Testing

@testable import PlatformQuery
@testable import PlatformQueryTools

/// The language server's analysis in process, message by message: diagnostics of every kind,
/// symbols, definitions, hover and completion, for whole files and files being typed (the same
/// server `pq lsp` runs; its recorded sessions through the binary are in pqTests).
@Suite struct LanguageServerAnalysisTests {
  typealias M = SupersededAnalysisTests

  /// A server with `text` open: the server and what it published for it.
  func opened(_ text: String) -> (LanguageServer, [JSONTree]) {
    let server = LanguageServer()
    _ = server.receive(M.initialize)
    let replies = server.receive(M.open(text, version: 1)).compactMap { try? JSONTree.parse(Array($0.utf8)) }
    return (server, replies)
  }

  /// The messages and start positions (line, character) of the published diagnostics.
  func diagnostics(_ replies: [JSONTree]) -> [(String, Int, Int)] {
    replies.filter { $0["method"]?.string == "textDocument/publishDiagnostics" }.flatMap { reply in
      (reply["params"]?["diagnostics"]?.array ?? []).map { diagnostic in
        (
          diagnostic["message"]?.string ?? "", diagnostic["range"]?["start"]?["line"]?.int ?? -1,
          diagnostic["range"]?["start"]?["character"]?.int ?? -1
        )
      }
    }
  }

  /// A request about the open document at a position (or none), answered in process.
  func request(_ server: LanguageServer, _ method: String, line: Int? = nil, character: Int = 0) -> JSONTree?
  {
    var params: [(String, JSONTree)] = [("textDocument", .object([("uri", .string(M.uri))]))]
    if let line {
      params.append(("position", .object([("line", .int(line)), ("character", .int(character))])))
    }
    let body = M.message(
      .object([
        ("jsonrpc", .string("2.0")), ("id", .int(7)), ("method", .string(method)),
        ("params", .object(params)),
      ]))
    return server.receive(body).compactMap { try? JSONTree.parse(Array($0.utf8)) }.first {
      $0["id"] == .int(7)
    }
  }

  @Test func unitErrorsThroughBindingsAreReportedWhereRunningWouldReportThem() {
    let (_, replies) = opened("let users = x.mau\nlet money = x.revenue\nprint(users + money)\n")
    let found = diagnostics(replies)
    #expect(found.count == 1)
    #expect(found.first?.0.hasPrefix("cannot add users and USD\n") == true, "\(found)")
    #expect(found.first?.1 == 2 && found.first?.2 == 12, "\(found)")
  }

  @Test func aCleanFilePublishesNoDiagnostics() {
    let (_, replies) = opened("let a = x.mau\nlet b = ratio(a, truth.mau)\nprint(b)\n")
    #expect(replies.contains { $0["method"]?.string == "textDocument/publishDiagnostics" })
    #expect(diagnostics(replies).isEmpty)
  }

  @Test func aFileBeingTypedIsStillAnalysed() throws {
    let (server, replies) = opened("let a = x.mau\nlet b = x.mau + x.revenue\nprint(a)\nx.\n")
    let messages = diagnostics(replies).map(\.0)
    #expect(messages.contains { $0.hasPrefix("cannot add users and USD") }, "\(messages)")
    #expect(messages.contains { $0.contains("expected a field name") }, "\(messages)")
    let symbols = try #require(request(server, "textDocument/documentSymbol")?["result"]?.array)
    #expect(symbols.compactMap { $0["name"]?.string } == ["a", "b"])
    // `a` in `print(a)` (line 2, character 6) is defined on line 0.
    let definition = try #require(
      request(server, "textDocument/definition", line: 2, character: 6)?["result"])
    #expect(definition["range"]?["start"]?["line"] == .int(0), "\(definition.text)")
  }

  @Test func hoverShowsAFigureWithItsSource() throws {
    let (server, _) = opened("print(x.mau)\n")
    let hover = try #require(request(server, "textDocument/hover", line: 0, character: 9)?["result"])
    let text = hover["contents"]?["value"]?.string ?? ""
    #expect(text.hasPrefix("**x.mau** = 70.4M users"), "\(text)")
    #expect(text.contains("Similarweb, September 2024"), "\(text)")
    #expect(text.contains("70.4 million"), "\(text)")
  }

  @Test func completionOffersFieldsAndBuiltins() throws {
    let (server, _) = opened("x.m\nrat\n")
    let fields = try #require(request(server, "textDocument/completion", line: 0, character: 3)?["result"])
    let fieldLabels = (fields["items"]?.array ?? fields.array ?? []).compactMap { $0["label"]?.string }
    #expect(fieldLabels == ["mau"], "\(fields.text)")
    let names = try #require(request(server, "textDocument/completion", line: 1, character: 3)?["result"])
    let nameLabels = (names["items"]?.array ?? names.array ?? []).compactMap { $0["label"]?.string }
    #expect(nameLabels.contains("ratio"), "\(names.text)")
  }
}
