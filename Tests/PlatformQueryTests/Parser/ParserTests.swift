import PQTestSupport
import Testing

@_spi(Fuzzing) @testable import PlatformQuery

/// Grammar, precedence, spans, syntax errors and recovery.
@Suite struct ParserTests {
  /// Parses as the library does, on a stack deep enough for the nesting limit (a test
  /// thread's own is not).
  func parse(_ text: String) throws(PQError) -> SyntaxTree {
    try LargeStack.run { () throws(PQError) in try Parser.parse(Source(name: "t.pq", text: text)) }
  }

  func parseError(_ text: String) -> PQError? {
    do {
      _ = try parse(text)
      return nil
    } catch {
      return error
    }
  }

  /// A compact rendering of an expression's tree.
  func tree(_ e: Expr) -> String {
    switch e.kind {
    case .number(let v, _): return NumberFormat.plain(v)
    case .name(let n): return n
    case .binary(let op, let l, let r, _): return "(\(tree(l)) \(op.rawValue) \(tree(r)))"
    case .negate(let o): return "(-\(tree(o)))"
    case .not(let o): return "(not \(tree(o)))"
    case .and(let l, let r): return "(\(tree(l)) and \(tree(r)))"
    case .or(let l, let r): return "(\(tree(l)) or \(tree(r)))"
    case .call(let f, let args):
      return
        "\(tree(f))(\(args.map { ($0.label.map { "\($0): " } ?? "") + tree($0.value) }.joined(separator: ", ")))"
    case .field(let b, let n, _): return "\(tree(b)).\(n)"
    case .index(let b, let i): return "\(tree(b))[\(tree(i))]"
    default: return "?"
    }
  }

  func expression(_ text: String) throws -> String {
    let program = try parse(text)
    guard case .expression(let e) = program.statements[0].kind else { return "not an expression" }
    return tree(e)
  }

  @Test func precedence() throws {
    #expect(try expression("1 + 2 * 3") == "(1 + (2 * 3))")
    #expect(try expression("-2 ^ 2") == "(-(2 ^ 2))")
    #expect(try expression("2 ^ 3 ^ 2") == "(2 ^ (3 ^ 2))")
    #expect(try expression("a or b and not c == d") == "(a or (b and (not (c == d))))")
    #expect(try expression("a - b - c") == "((a - b) - c)")
    #expect(try expression("x.mau / y[0].mau mod 3") == "((x.mau / y[0].mau) mod 3)")
  }

  @Test func pipesInsertTheFirstArgument() throws {
    #expect(try expression("xs |> map(f) |> len") == "len(map(xs, f))")
    #expect(try expression("a |> chart(\"m\", log: b)") == "chart(a, ?, log: b)")
  }

  @Test func spansCoverTheirSource() throws {
    let program = try parse("let total = 1 + 22")
    #expect(program.statements[0].span == Span(start: 0, end: 18))
    guard case .binding(_, let nameSpan, _, let value) = program.statements[0].kind else { return }
    #expect(nameSpan == Span(start: 4, end: 9))
    #expect(value.span == Span(start: 12, end: 18))
  }

  @Test func recordsBlocksAndFunctions() throws {
    let program = try parse(
      "let r = {a: 1, \"b c\": 2}\nfn f(x, y) { x }\nlet g = fn() { }\nif a { 1 } else if b { 2 } else { 3 }")
    #expect(program.statements.count == 4)
  }

  @Test func diagnostics() throws {
    #expect(
      parseError("1 +")?.rendered(color: false) == """
        t.pq:1:4: error: expected an expression, found end of input
        1 | 1 +
          |    ^
        """)
    #expect(parseError("let = 1")?.message == "expected a name after 'let', found '='")
    #expect(parseError("let if = 1")?.message == "'if' is a keyword and cannot be used as a name")
    #expect(parseError("let a")?.notes == ["every binding needs a value, as in: let a = 0"])
    #expect(parseError("1 < 2 < 3")?.message == "comparisons cannot be chained")
    #expect(parseError("f(a: 1, 2)")?.message == "a positional argument cannot follow a named one")
    #expect(parseError("fn f(a, a) {}")?.message == "duplicate parameter 'a'")
    #expect(parseError("{a: 1, a: 2}")?.message == "duplicate field 'a' in record")
    #expect(parseError("let f = fn g() {}")?.message == "a function value cannot have a name")
    #expect(parseError("1 = 2")?.message == "cannot assign to this expression")
    #expect(parseError("fn f() {")?.isUnexpectedEnd == true)
    #expect(parseError("while true")?.message == "expected '{' to start the loop body, found end of input")
    #expect(parseError("(1 + 2")?.notes == ["the parenthesis opened at line 1, column 1 is not closed"])
  }

  @Test func recoveryReportsTheNextRealError() throws {
    let error = try #require(parseError("let a = \nlet b = 2\nlet c = )\nlet d = 4"))
    #expect(error.location?.line == 2)
    #expect(error.followUps.count == 1)
    #expect(error.followUps.first?.location?.line == 3)
  }

  @Test(arguments: [
    // An error inside an argument list: its ')' is skipped with it, not reported as unmatched.
    ("print(b c)\nlet d = )", [1, 2]),
    // Inside a block, recovery runs to the block's '}'.
    ("fn f() {\n  let a = 1 +\n  let b = (\n}\nlet c = )", [3, 5]),
    // A truly unmatched closer is still reported, once.
    ("print(1))\nprint(2]", [1, 2]),
  ])
  func recoveryReportsNoCascade(source: String, lines: [Int]) throws {
    let error = try #require(parseError(source))
    let reported = [error.location?.line ?? 0] + error.followUps.map { $0.location?.line ?? 0 }
    #expect(reported == lines)
    #expect(!error.followUps.contains { $0.message.hasPrefix("unmatched") && $0.location?.line == 1 })
  }

  /// The recovering parse (the editor's, `pq --check`'s) of a broken source.
  func recovering(_ text: String) throws -> (tree: SyntaxTree, errors: [PQError]) {
    try LargeStack.run { () throws(PQError) in try Parser.recovering(Source(name: "t.pq", text: text)) }
  }

  /// The kinds of a list of statements, as words.
  func kinds(_ statements: [Statement]) -> [String] {
    statements.map { statement in
      switch statement.kind {
      case .binding(let name, _, _, _): return "let \(name)"
      case .function(let function): return "fn \(function.name ?? "")"
      case .error(let names): return "error(\(names.map(\.name).joined(separator: ",")))"
      case .expression: return "expr"
      default: return "other"
      }
    }
  }

  /// Inside blocks too, a broken statement is left as an error statement and the block read on:
  /// every error is reported, and the statements around it are in the tree.
  @Test func theRecoveringParserReadsOnInsideBlocks() throws {
    let text = "fn f() {\n  let a = 1 +\n  let b = (\n  let c = 3\n}\nlet d = )\nlet e = 5\n"
    let (tree, errors) = try recovering(text)
    #expect(errors.map { $0.location?.line ?? 0 } == [3, 4, 6], "\(errors.map(\.message))")
    #expect(kinds(tree.statements) == ["fn f", "error(d)", "let e"])
    guard case .function(let f) = tree.statements.first?.kind else {
      Issue.record("no function")
      return
    }
    #expect(kinds(f.body.statements) == ["error(a)", "error(b)", "let c"])
    // The error statements cover what was skipped, within the source.
    for statement in tree.statements + f.body.statements {
      guard case .error = statement.kind else { continue }
      #expect(statement.span.start <= statement.span.end && statement.span.end <= text.utf8.count)
    }
    // A bracket left open above a function: the function is read as the statement it is.
    let (above, aboveErrors) = try recovering(
      "let half = (x.mau +\nfn add(a, b) { a + b }\nlet t = add(1, 2)\n")
    #expect(kinds(above.statements) == ["error(half)", "fn add", "let t"])
    #expect(aboveErrors.map(\.message) == ["expected an expression, found 'fn'"])
    #expect(aboveErrors.first?.location?.line == 2 && aboveErrors.first?.location?.column == 1)
    // An unclosed block at the end: its statement is an error to the end, its name bound.
    let (open, openErrors) = try recovering("let a = 1\nfn g(x) {\n  x +\n")
    #expect(kinds(open.statements) == ["let a", "error(g)"])
    #expect(openErrors.count == 1 && openErrors.first?.isUnexpectedEnd == true)
  }

  /// On every script in the repository, and on generated inputs of every shape, the recovering
  /// parser agrees with the one that runs: the same tree for a source that parses, the same first
  /// error for one that does not, and errors inside the source (what FuzzParse checks too).
  @Test func theRecoveringParserAgreesWithTheParser() throws {
    var sources = ["examples", "stdlib", "Tests", "bench", "docs"].flatMap { files(in: $0, ending: ".pq") }
      .compactMap(readText)
    #expect(sources.count >= 20)
    var random = SplitMix(state: 0x9A45_E034)
    let pieces = [
      "let", "var", "fn", "f", "(", ")", "{", "}", "[", "]", ",", ";", "\n", "=", "+", "x.mau", "1", "if",
      "else", "while", "for", "in", "return", "import", "\"s\"", ".", ":", "a", "b", "*", "..", "±", "#c\n",
    ]
    for _ in 0..<2_000 {
      sources.append(
        (0..<random.int(1...30)).map { _ in pieces[random.int(0...(pieces.count - 1))] }.joined(
          separator: " "))
    }
    for text in sources {
      #expect(ParserFuzzing.recoveringAgrees(with: Source(name: "t.pq", text: text)), "\(text)")
    }
  }

  @Test func nestingIsBounded() throws {
    let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
    #expect(parseError(deep)?.message == "nesting too deep")
    let minus = String(repeating: "-", count: 10_000) + "1"
    #expect(parseError(minus)?.message == "nesting too deep")
    let blocks = String(repeating: "if true { ", count: 5_000) + String(repeating: "}", count: 5_000)
    #expect(parseError(blocks)?.message == "nesting too deep")
    let fine = String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)
    #expect(parseError(fine) == nil)
  }
}
