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

  /// A request about the open document at a position (or none), with any extra parameters
  /// (`newName` for a rename), answered in process.
  func request(
    _ server: LanguageServer, _ method: String, line: Int? = nil, character: Int = 0,
    extra: [(String, JSONTree)] = []
  ) -> JSONTree? {
    var params: [(String, JSONTree)] = [("textDocument", .object([("uri", .string(M.uri))]))]
    if let line {
      params.append(("position", .object([("line", .int(line)), ("character", .int(character))])))
    }
    params += extra
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

  @Test func unitErrorsFlowThroughTheDocumentsFunctions() {
    let (_, replies) = opened("fn add(a, b) {\n  a + b\n}\nlet total = add(x.mau, x.revenue)\n")
    let found = diagnostics(replies)
    #expect(found.count == 1, "\(found)")
    #expect(found.first?.0.hasPrefix("cannot add users and USD") == true)
    #expect(found.first?.1 == 1 && found.first?.2 == 4)
  }

  @Test func hoverShowsABindingsUnitKnownBeforeRunning() throws {
    let (server, _) = opened("let users = x.mau\nlet rate = x.revenue / users\nprint(rate)\n")
    let users = try #require(request(server, "textDocument/hover", line: 1, character: 25)?["result"])
    #expect(
      users["contents"]?["value"]?.string?.contains("unit: users — known before running: 70.4M users") == true
    )
    let rate = try #require(request(server, "textDocument/hover", line: 2, character: 7)?["result"])
    #expect(rate["contents"]?["value"]?.string?.contains("unit: USD per user") == true, "\(rate.text)")
  }

  @Test func signatureHelpNamesTheArgumentBeingTyped() throws {
    let (server, _) = opened("fn grow(from, to) { pct_change(from, to) }\nratio(x.mau, \ngrow(1, \n")
    let builtIn = try #require(
      request(server, "textDocument/signatureHelp", line: 1, character: 13)?["result"])
    #expect(builtIn["signatures"]?.array?.first?["label"]?.string == "ratio(a, b)")
    #expect(builtIn["activeParameter"] == .int(1))
    // The second parameter's label is its place in the signature, in UTF-16 units.
    #expect(
      builtIn["signatures"]?.array?.first?["parameters"]?.array?.last?["label"]
        == .array([.int(9), .int(10)]))
    let own = try #require(request(server, "textDocument/signatureHelp", line: 2, character: 8)?["result"])
    #expect(own["signatures"]?.array?.first?["label"]?.string == "grow(from, to)")
    #expect(own["activeParameter"] == .int(1))
    // Outside any call there is none; commas inside a nested list do not count.
    #expect(request(server, "textDocument/signatureHelp", line: 0, character: 3)?["result"] == .null)
    #expect(LanguageServer.enclosingCall(Array("max([1, 2, 3], ".utf8), before: 15)?.argument == 1)
    #expect(LanguageServer.enclosingCall(Array("f(\"a, b\", ".utf8), before: 10)?.argument == 1)
  }

  @Test func renameChangesTheBindingAndItsUsesOnly() throws {
    let text = "let a = x.mau\nlet b = a + 1M\nfn g(a) { a * 2 }\nprint(a, b, g(a))\n"
    let (server, _) = opened(text)
    let prepared = try #require(
      request(server, "textDocument/prepareRename", line: 3, character: 6)?["result"])
    #expect(prepared["placeholder"]?.string == "a")
    let renamed = try #require(
      request(server, "textDocument/rename", line: 0, character: 4, extra: [("newName", .string("users"))])?[
        "result"])
    let edits = renamed["changes"]?[M.uri]?.array ?? []
    let places = edits.compactMap { edit -> [Int]? in
      guard let line = edit["range"]?["start"]?["line"]?.int,
        let character = edit["range"]?["start"]?["character"]?.int
      else { return nil }
      return [line, character]
    }
    // The top-level `a` (line 0), its uses on lines 1 and 3 — not g's parameter `a` or its use.
    #expect(places == [[0, 4], [1, 8], [3, 6], [3, 14]], "\(renamed.text)")
    #expect(edits.allSatisfy { $0["newText"]?.string == "users" })
    // Refused: a name already bound here, a built-in's name, a keyword, a built-in itself.
    for refused in ["b", "ratio", "let", "1a"] {
      let reply = request(
        server, "textDocument/rename", line: 0, character: 4, extra: [("newName", .string(refused))])
      #expect(reply?["error"] != nil, "\(refused): \(reply?.text ?? "")")
    }
    #expect(request(server, "textDocument/prepareRename", line: 0, character: 8)?["result"] == .null)
    // In a file with a syntax error a use inside the broken statement is not known: refused.
    let (broken, _) = opened("let a = x.mau\nlet b = (a +\nprint(a)\n")
    let reply = request(
      broken, "textDocument/rename", line: 0, character: 4, extra: [("newName", .string("users"))])
    #expect(
      reply?["error"]?["message"]?.string?.contains("has a syntax error on line") == true,
      "\(reply?.text ?? "")")
  }

  /// The semantic tokens, decoded: (line, character, length, type, modifiers).
  func decodedTokens(_ result: JSONTree?) -> [[Int]] {
    let data = (result?["data"]?.array ?? []).compactMap(\.int)
    var tokens: [[Int]] = []
    var line = 0
    var character = 0
    var index = 0
    while index + 4 < data.count {
      line += data[index]
      character = data[index] == 0 ? character + data[index + 1] : data[index + 1]
      tokens.append([line, character, data[index + 2], data[index + 3], data[index + 4]])
      index += 5
    }
    return tokens
  }

  @Test func semanticTokensTellFiguresUnitsBuiltInsAndBindings() throws {
    let (server, _) = opened("let a = x.mau\nprint(as_unit(a, \"users\"), 2M)\n")
    let tokens = decodedTokens(request(server, "textDocument/semanticTokens/full")?["result"])
    let types = LanguageServer.tokenTypes
    func at(_ line: Int, _ character: Int) -> (String, Int)? {
      tokens.first { $0[0] == line && $0[1] == character }.map { (types[$0[3]], $0[4]) }
    }
    // Modifiers: 1 declaration, 2 readonly, 4 defaultLibrary.
    #expect(at(0, 4).map { $0 == ("variable", 3) } == true, "\(tokens)")  // a, declared, constant
    #expect(at(0, 8).map { $0 == ("variable", 6) } == true, "\(tokens)")  // x, of the data
    #expect(at(0, 10).map { $0 == ("property", 6) } == true, "\(tokens)")  // mau, a figure
    #expect(at(1, 0).map { $0 == ("function", 4) } == true, "\(tokens)")  // print
    #expect(at(1, 6).map { $0 == ("function", 4) } == true, "\(tokens)")  // as_unit
    #expect(at(1, 14).map { $0 == ("variable", 2) } == true, "\(tokens)")  // a, a use
    #expect(at(1, 17).map { $0 == ("type", 0) } == true, "\(tokens)")  // "users", a unit
    #expect(at(1, 27).map { $0 == ("number", 0) } == true, "\(tokens)")  // 2M
    // Sorted, and none overlaps the next.
    for (a, b) in zip(tokens, tokens.dropFirst()) {
      #expect(a[0] < b[0] || (a[0] == b[0] && a[1] + a[2] <= b[1]))
    }
  }

  /// A file a `load` names, inside the folder the server runs in, is read for its figures'
  /// units (the tests run in the repository's root).
  @Test func aLoadedFilesUnitsAreKnownWhileTyping() {
    let (_, replies) = opened(
      "let d = load(\"examples/data/platforms.csv\")\nlet gap = d[0].mau - d[0].revenue\n")
    let found = diagnostics(replies)
    #expect(
      found.count == 1 && found.first?.0.hasPrefix("cannot subtract USD from users") == true, "\(found)")
    #expect(found.first?.1 == 1 && found.first?.2 == 19)
    // Outside the server's folder, or not there: unknown, no error.
    let (_, elsewhere) = opened(
      "let d = load(\"/tmp/no-such-pq-file.csv\")\nlet gap = d[0].mau - d[0].revenue\n")
    #expect(diagnostics(elsewhere).isEmpty)
  }
}
