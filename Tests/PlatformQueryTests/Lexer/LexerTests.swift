import PQTestSupport
import Testing

@testable import PlatformQuery

/// Tokens, number notation, strings, newline rules and lexical errors.
@Suite struct LexerTests {
  func kinds(_ text: String) throws -> [String] {
    try Lexer.tokenize(Source(name: "t", text: text)).map { token in
      switch token.kind {
      case .number(let value, let unit):
        return "num(\(NumberFormat.plain(value))\(unit == .none ? "" : ",\(unit)"))"
      case .string(let parts): return "str(\(parts.count))"
      case .identifier(let name): return "id(\(name))"
      case .keyword(let word): return word.rawValue
      case .symbol(let symbol): return symbol.rawValue
      case .newline: return "NL"
      case .eof: return "EOF"
      }
    }
  }

  func lexError(_ text: String) -> PQError? {
    do {
      _ = try Lexer.tokenize(Source(name: "t.pq", text: text))
      return nil
    } catch {
      return error
    }
  }

  @Test func numberNotation() throws {
    #expect(
      try kinds("70.4M 698K 1B 2T") == [
        "num(70400000)", "num(698000)", "num(1000000000)", "num(2000000000000)", "EOF",
      ])
    #expect(try kinds("1_000_000 3.5e6 .5") == ["num(1000000)", "num(3500000)", "num(0.5)", "EOF"])
    #expect(try kinds("$2.6M 57%") == ["num(2600000,money)", "num(0.57,percent)", "EOF"])
  }

  @Test func keywordsIdentifiersAndSymbols() throws {
    #expect(
      try kinds("let a_1 = x.mau |> f mod 2") == [
        "let", "id(a_1)", "=", "id(x)", ".", "id(mau)", "|>", "id(f)", "mod", "num(2)", "EOF",
      ])
    #expect(try kinds("a <= b != c += 1") == ["id(a)", "<=", "id(b)", "!=", "id(c)", "+=", "num(1)", "EOF"])
  }

  @Test func newlineRules() throws {
    #expect(try kinds("a\nb") == ["id(a)", "NL", "id(b)", "EOF"])
    #expect(try kinds("a +\nb") == ["id(a)", "+", "id(b)", "EOF"])
    #expect(try kinds("a\n  |> f") == ["id(a)", "|>", "id(f)", "EOF"])
    #expect(try kinds("f(a,\nb\n)") == ["id(f)", "(", "id(a)", ",", "id(b)", ")", "EOF"])
    #expect(try kinds("{\na\n}") == ["{", "id(a)", "NL", "}", "EOF"])
    #expect(try kinds("a \\\n+ b") == ["id(a)", "+", "id(b)", "EOF"])
    #expect(try kinds("#!/usr/bin/env pq\n1 # note\n\n\n2") == ["num(1)", "NL", "num(2)", "EOF"])
  }

  @Test func stringsAndInterpolation() throws {
    let tokens = try Lexer.tokenize(Source(name: "t", text: #""a\tb \(1 + "x\("y")") c""#))
    guard case .string(let parts) = tokens[0].kind else {
      Issue.record("not a string")
      return
    }
    #expect(parts.count == 3)
    guard case .text(let text) = parts[0] else {
      Issue.record("the string's first part is not text: \(parts[0])")
      return
    }
    #expect(text == "a\tb ")
  }

  @Test func columnsCountCharacters() throws {
    let error = try #require(lexError("let e = \"ü\" ~"))
    #expect(error.location?.column == 13)
  }

  @Test func diagnostics() throws {
    #expect(
      lexError("\"abc")?.rendered(color: false) == """
        t.pq:1:1: error: unterminated string
        1 | "abc
          | ^
        note: the string starts here and never ends
        """)
    #expect(lexError("\"abc")?.isUnexpectedEnd == true)
    #expect(lexError("5m")?.message == "unknown number suffix 'm'")
    #expect(lexError("5m")?.notes.first == "did you mean 'M'?")
    #expect(lexError("10 % 3")?.message == "'%' is only the percent suffix of a number, as in 57%")
    #expect(lexError("a && b")?.notes == ["pq writes 'and'"])
    #expect(lexError("\"\\q\"")?.message == "unknown escape '\\q' in string")
    #expect(lexError("$x")?.message == "'$' must be followed by a number, as in $2.6M")
    #expect(lexError("1e999")?.message == "number literal is too large")
    #expect(lexError("\"\\(\"")?.isUnexpectedEnd == true)
    #expect(lexError("\"\\()\"")?.message == "empty interpolation")
    #expect(lexError("'a'")?.notes == ["strings use double quotes: \"text\""])
    #expect(lexError("a @ b")?.message == "unexpected character '@'")
  }

  /// Every symbol is matched from its own bytes, and with any byte after a one-byte symbol;
  /// bytes that start no symbol match nothing.
  @Test func symbolsMatchTheirBytes() {
    for symbol in Symbol.allCases {
      let bytes = Array(symbol.rawValue.utf8)
      let found = Symbol.match(bytes[0], bytes.count > 1 ? bytes[1] : 0)
      #expect(found?.symbol == symbol && found?.length == bytes.count, "\(symbol.rawValue)")
      if bytes.count == 1 {
        #expect(Symbol.match(bytes[0], UInt8(ascii: "x"))?.symbol == symbol)
      }
    }
    let starts = Set(Symbol.allCases.map { Array($0.rawValue.utf8)[0] })
    for byte in UInt8(0)...UInt8(255) where !starts.contains(byte) {
      #expect(Symbol.match(byte, UInt8(ascii: "=")) == nil, "\(byte)")
    }
    #expect(Symbol.match(UInt8(ascii: "!"), 0) == nil)
    #expect(Symbol.match(UInt8(ascii: "|"), UInt8(ascii: "|")) == nil)
  }
}
