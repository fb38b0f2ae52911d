/// A lexical token with its source span.
struct Token: Sendable {
  var kind: TokenKind
  var span: Span
}

/// What a literal number's notation says about its unit.
enum LiteralUnit: Sendable, Equatable {
  case none
  /// `$2.6M`: US dollars.
  case money
  /// `57%`: the value 0.57, unit percent.
  case percent
  /// `2pp`: the value 0.02, unit percentage points.
  case points
}

/// A piece of a string literal: raw text or an interpolated expression's tokens.
enum StringPart: Sendable {
  case text(String)
  case code([Token], Span)
}

/// The reserved words of pq.
enum Keyword: String, Sendable, CaseIterable {
  case `let`, `var`, `fn`, `if`, `else`, `for`, `in`, `while`, `break`, `continue`, `return`
  case and, or, not, `true`, `false`, `nil`, `import`, `as`, mod
}

/// Operators and punctuation.
enum Symbol: String, Sendable, CaseIterable {
  case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
  case leftBrace = "{", rightBrace = "}", comma = ",", dot = ".", colon = ":", semicolon = ";"
  case plus = "+", minus = "-", star = "*", slash = "/", caret = "^"
  case assign = "=", equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
  case greaterEqual = ">=", pipe = "|>", plusAssign = "+=", minusAssign = "-=", starAssign = "*="
  case slashAssign = "/="
}

/// The kinds of token.
enum TokenKind: Sendable {
  case number(Double, LiteralUnit)
  case string([StringPart])
  case identifier(String)
  case keyword(Keyword)
  case symbol(Symbol)
  case newline
  case eof

  /// How the token is named in "expected …, found …" messages.
  var summary: String {
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

  func isSymbol(_ symbol: Symbol) -> Bool {
    if case .symbol(let s) = self { return s == symbol }
    return false
  }

  func isKeyword(_ keyword: Keyword) -> Bool {
    if case .keyword(let k) = self { return k == keyword }
    return false
  }

  /// True for tokens after which a line break does not end the statement.
  var continuesLine: Bool {
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
