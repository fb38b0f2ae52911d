/// Turns source bytes into tokens, applying pq's line-continuation rules.
package struct Lexer {
  let source: Source
  let bytes: [UInt8]
  package var position: Int

  package init(source: Source) {
    self.source = source
    self.bytes = source.bytes
    self.position = 0
  }

  /// Lexes the whole source into tokens ending with `.eof`.
  package static func tokenize(_ source: Source) throws(PQError) -> [Token] {
    var lexer = Lexer(source: source)
    lexer.skipShebang()
    var tokens = try lexer.lexTokens(insideInterpolation: false)
    tokens.append(Token(kind: .eof, span: Span(start: lexer.bytes.count, end: lexer.bytes.count)))
    return filterNewlines(tokens)
  }

  package mutating func skipShebang() {
    if bytes.count >= 2, bytes[0] == UInt8(ascii: "#"), bytes[1] == UInt8(ascii: "!") {
      while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
    }
  }

  func error(_ message: String, _ start: Int, _ end: Int, notes: [String] = [], atEnd: Bool = false)
    -> PQError
  {
    PQError(
      .syntax, message, source: source, span: Span(start: start, end: end), notes: notes,
      isUnexpectedEnd: atEnd)
  }

  /// Lexes until end of input, or, inside `\( … )`, until the parenthesis that closes it.
  mutating func lexTokens(insideInterpolation: Bool) throws(PQError) -> [Token] {
    var tokens: [Token] = []
    var brackets: [Symbol] = []
    while true {
      skipSpaceAndComments()
      guard position < bytes.count else {
        if insideInterpolation {
          throw error("unterminated interpolation: expected ')'", position, position, atEnd: true)
        }
        return tokens
      }
      let start = position
      let byte = bytes[position]
      if byte == UInt8(ascii: "\n") {
        position += 1
        let top = brackets.last
        if top != .leftParen, top != .leftBracket {
          tokens.append(Token(kind: .newline, span: Span(start: start, end: start + 1)))
        }
        continue
      }
      if insideInterpolation, byte == UInt8(ascii: ")"), brackets.isEmpty {
        return tokens
      }
      let token = try lexToken()
      if case .symbol(let symbol) = token.kind {
        switch symbol {
        case .leftParen, .leftBracket, .leftBrace:
          brackets.append(symbol)
        case .rightParen, .rightBracket, .rightBrace:
          if !brackets.isEmpty { brackets.removeLast() }
        default:
          break
        }
      }
      tokens.append(token)
    }
  }

  mutating func skipSpaceAndComments() {
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
        position += 1
      } else if byte == UInt8(ascii: "#") {
        while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
      } else if byte == UInt8(ascii: "\\"), position + 1 < bytes.count,
        bytes[position + 1] == UInt8(ascii: "\n")
      {
        // An explicit line continuation.
        position += 2
      } else {
        return
      }
    }
  }

  package mutating func lexToken() throws(PQError) -> Token {
    let start = position
    let byte = bytes[position]
    if isDigit(byte)
      || (byte == UInt8(ascii: ".") && position + 1 < bytes.count && isDigit(bytes[position + 1]))
    {
      return try lexNumber(money: false)
    }
    if byte == UInt8(ascii: "$") {
      position += 1
      guard position < bytes.count, isDigit(bytes[position]) || bytes[position] == UInt8(ascii: ".") else {
        throw error("'$' must be followed by a number, as in $2.6M", start, start + 1)
      }
      var token = try lexNumber(money: true)
      token.span.start = start
      return token
    }
    if isIdentifierStart(byte) {
      while position < bytes.count, isIdentifierPart(bytes[position]) { position += 1 }
      let spelled = bytes[start..<position]
      let kind: TokenKind =
        Keyword.spelled(spelled).map { .keyword($0) } ?? .identifier(String(decoding: spelled, as: UTF8.self))
      return Token(kind: kind, span: Span(start: start, end: position))
    }
    if byte == UInt8(ascii: "\"") {
      return try lexString()
    }
    return try lexSymbol()
  }

  mutating func lexSymbol() throws(PQError) -> Token {
    let start = position
    let byte = bytes[position]
    let next: UInt8 = position + 1 < bytes.count ? bytes[position + 1] : 0
    if let (symbol, length) = Symbol.match(byte, next) {
      position += length
      return Token(kind: .symbol(symbol), span: Span(start: start, end: position))
    }
    switch byte {
    case UInt8(ascii: "%"):
      throw error(
        "'%' is only the percent suffix of a number, as in 57%", start, start + 1,
        notes: ["for the remainder, write 'a mod b'"])
    case UInt8(ascii: "&"), UInt8(ascii: "|"):
      let word = byte == UInt8(ascii: "&") ? "and" : "or"
      throw error(
        "unexpected '\(String(UnicodeScalar(byte)))'", start, start + 1, notes: ["pq writes '\(word)'"])
    case UInt8(ascii: "!"):
      throw error("unexpected '!'", start, start + 1, notes: ["pq writes 'not x' and 'a != b'"])
    case UInt8(ascii: "'"):
      throw error("unexpected \"'\"", start, start + 1, notes: ["strings use double quotes: \"text\""])
    default:
      let scalarEnd = utf8SequenceEnd(at: start)
      let text = String(decoding: bytes[start..<scalarEnd], as: UTF8.self)
      throw error(
        "unexpected character '\(text)'", start, scalarEnd,
        notes: byte >= 0x80 ? ["names use ASCII letters, digits and '_'; other text belongs in strings"] : [])
    }
  }

  func utf8SequenceEnd(at index: Int) -> Int {
    var end = index + 1
    while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
    return end
  }

  mutating func lexString() throws(PQError) -> Token {
    let start = position
    position += 1
    var parts: [StringPart] = []
    var text: [UInt8] = []
    while true {
      guard position < bytes.count else {
        throw error(
          "unterminated string", start, start + 1, notes: ["the string starts here and never ends"],
          atEnd: true)
      }
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        position += 1
        break
      }
      if byte != UInt8(ascii: "\\") {
        text.append(byte)
        position += 1
        continue
      }
      let escapeStart = position
      position += 1
      guard position < bytes.count else {
        throw error("unterminated string", start, start + 1, atEnd: true)
      }
      let escaped = bytes[position]
      position += 1
      switch escaped {
      case UInt8(ascii: "n"): text.append(10)
      case UInt8(ascii: "t"): text.append(9)
      case UInt8(ascii: "r"): text.append(13)
      case UInt8(ascii: "0"): text.append(0)
      case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "$"): text.append(escaped)
      case UInt8(ascii: "\n"): break
      case UInt8(ascii: "u"):
        text.append(contentsOf: try lexUnicodeEscape(escapeStart))
      case UInt8(ascii: "("):
        if !text.isEmpty {
          parts.append(.text(String(decoding: text, as: UTF8.self)))
          text = []
        }
        let codeStart = position
        let tokens = try lexTokens(insideInterpolation: true)
        let codeEnd = position
        position += 1  // the closing ')'
        var inner = tokens
        inner.append(Token(kind: .eof, span: Span(start: codeEnd, end: codeEnd)))
        let filtered = Lexer.filterNewlines(inner)
        if filtered.count == 1 {
          throw error("empty interpolation", escapeStart, position)
        }
        parts.append(.code(filtered, Span(start: codeStart, end: codeEnd)))
      default:
        let end = utf8SequenceEnd(at: position - 1)
        let shown = String(decoding: bytes[(position - 1)..<end], as: UTF8.self)
        throw error(
          "unknown escape '\\\(shown)' in string", escapeStart, end,
          notes: ["known escapes: \\n \\t \\r \\0 \\\\ \\\" \\u{…} \\(expression)"])
      }
    }
    if !text.isEmpty || parts.isEmpty {
      parts.append(.text(String(decoding: text, as: UTF8.self)))
    }
    return Token(kind: .string(parts), span: Span(start: start, end: position))
  }

  mutating func lexUnicodeEscape(_ escapeStart: Int) throws(PQError) -> [UInt8] {
    guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else {
      throw error("expected '{' after \\u, as in \\u{2192}", escapeStart, position)
    }
    position += 1
    var digits = ""
    while position < bytes.count, bytes[position] != UInt8(ascii: "}"), digits.count < 9 {
      digits.append(Character(UnicodeScalar(bytes[position])))
      position += 1
    }
    guard position < bytes.count, bytes[position] == UInt8(ascii: "}") else {
      throw error("unterminated \\u{…} escape", escapeStart, position)
    }
    position += 1
    guard let code = UInt32(digits, radix: 16), let scalar = UnicodeScalar(code) else {
      throw error("'\(digits)' is not a valid Unicode scalar", escapeStart, position)
    }
    return Array(String(Character(scalar)).utf8)
  }

  /// Drops line breaks that do not end a statement: repeated ones, those after an operator or
  /// comma, and those before a line that starts with `|>`, `.` or `else`.
  static func filterNewlines(_ tokens: [Token]) -> [Token] {
    var result: [Token] = []
    result.reserveCapacity(tokens.count)
    var index = 0
    while index < tokens.count {
      let token = tokens[index]
      guard case .newline = token.kind else {
        result.append(token)
        index += 1
        continue
      }
      var next = index + 1
      while next < tokens.count, case .newline = tokens[next].kind { next += 1 }
      let following = tokens[next].kind
      let continues =
        (result.last.map { $0.kind.continuesLine } ?? true) || following.isSymbol(.pipe)
        || following.isSymbol(.dot) || following.isKeyword(.else)
      if !continues { result.append(token) }
      index = next
    }
    return result
  }
}

func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
package func isIdentifierStart(_ byte: UInt8) -> Bool {
  (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
}
package func isIdentifierPart(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }

/// Whether `text` is a name pq code can write (a binding, a field after a dot, a function):
/// ASCII letters, digits and `_`, not starting with a digit, and not a keyword.
package func isName<Text: StringProtocol>(_ text: Text) -> Bool {
  guard let first = text.utf8.first, isIdentifierStart(first) else { return false }
  return text.utf8.allSatisfy(isIdentifierPart) && Keyword(rawValue: String(text)) == nil
}
