import PQTestSupport
import Testing

@testable import PlatformQuery
@testable import PlatformQueryTools

/// `pq fmt`'s layout: a table of inputs and their one canonical form, idempotence over every
/// `.pq` file in the repository, and the proof that only spaces change.
@Suite struct FormatterTests {
  static let cases: [(String, String)] = [
    // Spaces around operators and after separators; none inside brackets.
    ("let   a=[1,2 ,3]", "let a = [1, 2, 3]\n"),
    ("print( x.mau , $2.6M,57%,2pp,70.4M )", "print(x.mau, $2.6M, 57%, 2pp, 70.4M)\n"),
    ("let b = -a[0]+f( -3 )-  -1", "let b = -a[0] + f(-3) - -1\n"),
    ("let p = 2^ -1", "let p = 2 ^ -1\n"),
    ("if not(a)and b or c{1}", "if not (a) and b or c { 1 }\n"),
    ("let m = 7 mod 2 ; let n = m*2", "let m = 7 mod 2; let n = m * 2\n"),
    ("total+=1", "total += 1\n"),
    // Margins keep the sign as written; an interval is written close.
    ("let a = 59%±3pp;let b = 59%  +-  3pp", "let a = 59% ± 3pp; let b = 59% +- 3pp\n"),
    ("let r = 600K .. 700K; let s = 1 ..-2", "let r = 600K..700K; let s = 1..-2\n"),
    // Records keep their braces tight, blocks get a space; empty ones are `{}`.
    ("let rec = { name :\"X\",size : 2 }", "let rec = {name: \"X\", size: 2}\n"),
    ("let e = {  }", "let e = {}\n"),
    ("fn  f( k ){ k*2 }", "fn f(k) { k * 2 }\n"),
    ("let g = fn(v){v>2}", "let g = fn(v) { v > 2 }\n"),
    ("chart(ps,\"mau\",log:true)", "chart(ps, \"mau\", log: true)\n"),
    ("import stats as  s", "import stats as s\n"),
    // Indentation follows brackets opened on earlier lines, two spaces a level.
    ("for i in range(3){\nprint(i)\n}", "for i in range(3) {\n  print(i)\n}\n"),
    (
      "let r = map(xs, fn(v) {\n        v * 2\n})\n",
      "let r = map(xs, fn(v) {\n  v * 2\n})\n"
    ),
    ("let l = [\n1,\n   2,\n]", "let l = [\n  1,\n  2,\n]\n"),
    ("if a {\n1\n}\nelse {\n2\n}", "if a {\n  1\n}\nelse {\n  2\n}\n"),
    // A block opened after a multi-line parameter list indents from the statement's line.
    ("fn f(a,\nb) {\na +\nb\n}", "fn f(a,\n  b) {\n  a +\n    b\n}\n"),
    ("let z = [\n1, [2,\n3], 4\n]", "let z = [\n  1, [2,\n    3], 4\n]\n"),
    // A line that continues an expression is indented once more.
    ("let t = 1 +\n2 +\n    3", "let t = 1 +\n  2 +\n  3\n"),
    ("let r = xs\n|> filter(f)\n     |> map(g)", "let r = xs\n  |> filter(f)\n  |> map(g)\n"),
    ("let v = x\n.mau", "let v = x\n  .mau\n"),
    // Blank lines: at most one, none at the start, after an opening or before a closing bracket.
    ("\n\n\nlet a = 1\n\n\n\nlet b = 2\n\n\n", "let a = 1\n\nlet b = 2\n"),
    ("fn f() {\n\n  1\n\n}", "fn f() {\n  1\n}\n"),
    // Comments stay as written; trailing ones on consecutive lines line up.
    (
      "# top\nlet a = 1 # one\nlet bb = 22   # two\n\nlet c = 3 #three",
      "# top\nlet a = 1    # one\nlet bb = 22  # two\n\nlet c = 3  #three\n"
    ),
    ("fn f() {\n# inside\n1\n}", "fn f() {\n  # inside\n  1\n}\n"),
    // Strings, interpolations included, are kept byte for byte.
    ("let s = \"a  \\(len( a ))  b\"", "let s = \"a  \\(len( a ))  b\"\n"),
    ("#!/usr/bin/env pq\n\n\nprint(1)", "#!/usr/bin/env pq\n\nprint(1)\n"),
    // A `#!` comment after space only becomes the first line, where it reads as a shebang: it
    // is laid out as one at once (FuzzFormat found the second pass adding the blank line).
    (" #!/usr/b sAm#sif/env pq\n# Ranking ai", "#!/usr/b sAm#sif/env pq\n\n# Ranking ai\n"),
    ("\n\n  #!c\nprint(1)", "#!c\n\nprint(1)\n"),
    ("let a = 1 \\\n+ 2", "let a = 1 \\\n  + 2\n"),
    ("", ""),
    ("\n\n", ""),
  ]

  @Test(arguments: cases)
  func canonicalLayout(_ input: String, _ expected: String) throws {
    let formatted = try CodeFormatter.format(input)
    #expect(formatted == expected)
    #expect(try CodeFormatter.format(formatted) == formatted)
  }

  static let repositoryScripts: [String] =
    ["examples", "stdlib", "Tests", "bench", "docs"].flatMap { files(in: $0, ending: ".pq") }

  @Test func everyScriptInTheRepositoryIsFound() {
    #expect(Self.repositoryScripts.count >= 20)
  }

  /// Every script formats (unless it is meant to fail to parse), twice to the same text, and its
  /// statement-level tokens are untouched.
  @Test(arguments: repositoryScripts)
  func idempotentAndKeepsTheTokens(_ path: String) throws {
    let text = try #require(readText(path))
    let once: String
    do {
      once = try CodeFormatter.format(text, name: path)
    } catch {
      // Only a script with a syntax error may be refused, and then with the parser's error.
      #expect(error.kind == .syntax, "\(path): \(error)")
      #expect(throws: PQError.self) {
        try LargeStack.run { () throws(PQError) in try Parser.parse(Source(name: path, text: text)) }
      }
      return
    }
    #expect(try CodeFormatter.format(once, name: path) == once)
    let before = try Lexer.tokenize(Source(name: path, text: text)).filter { !$0.kind.isNewline }
    let after = try Lexer.tokenize(Source(name: path, text: once)).filter { !$0.kind.isNewline }
    #expect(before.count == after.count)
  }

  @Test func syntaxErrorsAreReportedNotFormatted() {
    #expect(throws: PQError.self) { try CodeFormatter.format("let a = (1 +\n") }
    do {
      _ = try CodeFormatter.format("print(1))", name: "bad.pq")
      Issue.record("formatted a syntax error")
    } catch {
      #expect(error.kind == .syntax)
      #expect(error.location?.line == 1)
      #expect(error.source?.name == "bad.pq")
    }
  }

  /// The check after formatting catches a layout that would change the tokens (here made
  /// by hand: the verifier is given a text whose tokens differ).
  @Test func verificationCatchesAChangedProgram() {
    let original = Source(name: "a.pq", text: "let a = 1 - -1\n")
    #expect(throws: PQError.self) {
      try CodeFormatter.verify(original: original, formatted: "let a = 1 - 1\n")
    }
    #expect(throws: PQError.self) {
      try CodeFormatter.verify(original: original, formatted: "let a = 1\n- -1\n")
    }
    #expect(throws: Never.self) { try CodeFormatter.verify(original: original, formatted: "let a = 1 - -1") }
  }
}

extension TokenKind {
  var isNewline: Bool {
    if case .newline = self { return true }
    return false
  }
}
