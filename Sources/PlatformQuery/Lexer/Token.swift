/// A lexical token with its source span.
package struct Token: Sendable {
  package var kind: TokenKind
  package var span: Span
}

/// What a literal number's notation says about its unit.
package enum LiteralUnit: Sendable, Equatable {
  case none
  /// `$2.6M`: US dollars.
  case money
  /// `57%`: the value 0.57, unit percent.
  case percent
  /// `2pp`: the value 0.02, unit percentage points.
  case points
}

/// A piece of a string literal: raw text or an interpolated expression's tokens.
package enum StringPart: Sendable {
  case text(String)
  case code([Token], Span)
}

/// The reserved words of pq.
package enum Keyword: String, Sendable, CaseIterable {
  case `let`, `var`, `fn`, `if`, `else`, `for`, `in`, `while`, `break`, `continue`, `return`
  case and, or, not, `true`, `false`, `nil`, `import`, `as`, mod

  /// The keywords by their first letter, with their spelling as bytes.
  private static let byFirstLetter: [[(spelling: [UInt8], keyword: Keyword)]] = {
    var table = Array(repeating: [(spelling: [UInt8], keyword: Keyword)](), count: 128)
    for keyword in allCases {
      let spelling = Array(keyword.rawValue.utf8)
      table[Int(spelling[0])].append((spelling, keyword))
    }
    return table
  }()

  /// The keyword these bytes spell, or nil. Read by first letter and length, then by bytes:
  /// lexing a name compares no strings (`Keyword(rawValue:)` compared the word with each
  /// keyword in turn, 4% of the instructions of checking a 20,000-line file).
  static func spelled(_ bytes: ArraySlice<UInt8>) -> Keyword? {
    guard bytes.count >= 2, bytes.count <= 8, let first = bytes.first, first < 128 else { return nil }
    for candidate in byFirstLetter[Int(first)] where candidate.spelling.count == bytes.count {
      if candidate.spelling.elementsEqual(bytes) { return candidate.keyword }
    }
    return nil
  }
}

/// Operators and punctuation.
package enum Symbol: String, Sendable, CaseIterable {
  case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
  case leftBrace = "{", rightBrace = "}", comma = ",", dot = ".", colon = ":", semicolon = ";"
  case plus = "+", minus = "-", star = "*", slash = "/", caret = "^"
  case assign = "=", equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
  case greaterEqual = ">=", pipe = "|>", plusAssign = "+=", minusAssign = "-=", starAssign = "*="
  case slashAssign = "/="
  /// `±` (also written `+-`): a figure's margin of error, `59% ± 3pp`.
  case plusMinus = "±"
  /// `..`: an interval, `600K..700K` (its midpoint with half its width as the margin).
  case dotDot = ".."

  /// The symbol that starts with `byte` (followed by `next`, 0 at the end), and how many
  /// bytes it takes; nil when none does. Integers are compared, no string is made.
  package static func match(_ byte: UInt8, _ next: UInt8) -> (symbol: Symbol, length: Int)? {
    func either(_ two: Symbol, after second: Character, _ one: Symbol?) -> (Symbol, Int)? {
      if next == second.asciiValue { return (two, 2) }
      return one.map { ($0, 1) }
    }
    switch byte {
    case UInt8(ascii: "("): return (.leftParen, 1)
    case UInt8(ascii: ")"): return (.rightParen, 1)
    case UInt8(ascii: "["): return (.leftBracket, 1)
    case UInt8(ascii: "]"): return (.rightBracket, 1)
    case UInt8(ascii: "{"): return (.leftBrace, 1)
    case UInt8(ascii: "}"): return (.rightBrace, 1)
    case UInt8(ascii: ","): return (.comma, 1)
    case UInt8(ascii: "."): return either(.dotDot, after: ".", .dot)
    case UInt8(ascii: ":"): return (.colon, 1)
    case UInt8(ascii: ";"): return (.semicolon, 1)
    case UInt8(ascii: "^"): return (.caret, 1)
    case UInt8(ascii: "+"):
      if next == UInt8(ascii: "-") { return (.plusMinus, 2) }
      return either(.plusAssign, after: "=", .plus)
    case 0xC2 where next == 0xB1: return (.plusMinus, 2)
    case UInt8(ascii: "-"): return either(.minusAssign, after: "=", .minus)
    case UInt8(ascii: "*"): return either(.starAssign, after: "=", .star)
    case UInt8(ascii: "/"): return either(.slashAssign, after: "=", .slash)
    case UInt8(ascii: "="): return either(.equal, after: "=", .assign)
    case UInt8(ascii: "!"): return either(.notEqual, after: "=", nil)
    case UInt8(ascii: "<"): return either(.lessEqual, after: "=", .less)
    case UInt8(ascii: ">"): return either(.greaterEqual, after: "=", .greater)
    case UInt8(ascii: "|"): return either(.pipe, after: ">", nil)
    default: return nil
    }
  }
}

/// The kinds of token.
package enum TokenKind: Sendable {
  case number(Double, LiteralUnit)
  case string([StringPart])
  case identifier(String)
  case keyword(Keyword)
  case symbol(Symbol)
  case newline
  case eof

  /// How the token is named in "expected …, found …" messages.
  package var summary: String {
    switch self {
    case .number: return "a number"
    case .string: return "a string"
    case .identifier(let name): return "'\(name)'"
    case .keyword(let word): return "'\(word.rawValue)'"
    case .symbol(let symbol): return "'\(symbol.rawValue)'"
    case .newline: return "end of line"
    case .eof: return "end of input"
    }
  }

  package func isSymbol(_ symbol: Symbol) -> Bool {
    if case .symbol(let s) = self { return s == symbol }
    return false
  }

  package func isKeyword(_ keyword: Keyword) -> Bool {
    if case .keyword(let k) = self { return k == keyword }
    return false
  }

  /// True for tokens after which a line break does not end the statement.
  package var continuesLine: Bool {
    switch self {
    case .symbol(let s):
      switch s {
      case .rightParen, .rightBracket, .rightBrace, .semicolon: return false
      default: return true
      }
    case .keyword(let k):
      return k == .and || k == .or || k == .not || k == .mod
    default:
      return false
    }
  }
}
