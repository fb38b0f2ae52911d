import PlatformQuery

/// pq's one canonical layout, as `pq fmt` and the language server's formatting apply it.
///
/// The formatter works on tokens, not on the syntax tree: it keeps every token and every line
/// break the author wrote (so it cannot change what a program does: the tokens the parser sees
/// are the same, and a check after formatting proves it) and only decides the spaces between
/// tokens, the indentation of each line, the blank lines and where trailing comments stand:
///
/// - two spaces of indentation for each bracket opened on an earlier line, and one more for a
///   line that continues an expression (after an operator, before `|>` or `.`, after `\`);
/// - one space around binary operators and `=`, after `,` `:` `;`, and inside a block's braces
///   on one line (`{ v * 2 }`); none inside `()` `[]` or a record's braces (`{name: "X"}`),
///   before a call's or an index's bracket, around `.`, or after a unary `-`;
/// - at most one blank line in a row, none at the start of the file, of a block or before a
///   closing bracket; no trailing spaces; one newline at the end;
/// - comments kept as written; trailing comments on consecutive lines line up two spaces after
///   the longest line of code among them.
///
/// Formatting is idempotent: `format(format(s)) == format(s)`.
public enum CodeFormatter {
  /// Formats pq source text. A text with a syntax error is not formatted: the error is thrown,
  /// with its position, as the parser reports it.
  public static func format(_ text: String, name: String = "<input>") throws(PQError) -> String {
    let source = Source(name: name, text: text)
    _ = try LargeStack.run { () throws(PQError) in try Parser.parse(source) }
    let layout = try Layout(source: source)
    let formatted = layout.render()
    try verify(original: source, formatted: formatted)
    return formatted
  }

  /// Proves that formatting changed only spaces: the statement-level token streams of the two
  /// texts must be the same, token for token.
  static func verify(original: Source, formatted: String) throws(PQError) {
    let after = Source(name: original.name, text: formatted)
    let before = try Lexer.tokenize(original)
    let tokens: [Token]
    do {
      tokens = try Lexer.tokenize(after)
    } catch {
      throw PQError(
        .runtime, "pq fmt would have changed this program, so it left it alone (please report this)")
    }
    // A file's last line break (which the formatter adds when it is missing) is no token.
    func trimmed(_ tokens: [Token]) -> ArraySlice<Token> {
      var end = tokens.count - 1
      while end > 0, case .newline = tokens[end - 1].kind { end -= 1 }
      return tokens[..<end]
    }
    let (old, new) = (trimmed(before), trimmed(tokens))
    let same =
      old.count == new.count
      && zip(old, new).allSatisfy { a, b in
        a.kind.isSameLayoutKind(as: b.kind) && original.slice(a.span) == after.slice(b.span)
      }
    guard same else {
      throw PQError(
        .runtime, "pq fmt would have changed this program, so it left it alone (please report this)")
    }
  }
}

extension TokenKind {
  /// True when two tokens are of the same kind (their text is compared separately).
  func isSameLayoutKind(as other: TokenKind) -> Bool {
    switch (self, other) {
    case (.number, .number), (.string, .string), (.identifier, .identifier), (.newline, .newline),
      (.eof, .eof):
      return true
    case (.keyword(let a), .keyword(let b)): return a == b
    case (.symbol(let a), .symbol(let b)): return a == b
    default: return false
    }
  }
}

/// The source split into lines of tokens and comments, ready to be laid out again.
struct Layout {
  enum Item {
    case token(Int)
    case comment(String)
    /// A `\` that joins this line to the next.
    case continuation
  }

  let source: Source
  var shebang: String?
  var tokens: [Token] = []
  /// Each line's items; an empty line is a blank line.
  var lines: [[Item]] = [[]]
  /// The `{` tokens (by index) that open a record rather than a block.
  var recordBraces: Set<Int> = []
  /// The tokens (by index) that come first on their line.
  var firstOnLine: Set<Int> = []

  init(source: Source) throws(PQError) {
    self.source = source
    var lexer = Lexer(source: source)
    lexer.skipShebang()
    if lexer.position > 0 { shebang = source.slice(Span(start: 0, end: lexer.position)) }
    let bytes = source.bytes
    // A comment `#!…` after nothing but space is laid out first in the file, where it will be
    // read as a shebang: it is laid out as one now, so that formatting again changes nothing.
    if shebang == nil {
      var start = 0
      while start < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[start]) { start += 1 }
      if start + 1 < bytes.count, bytes[start] == UInt8(ascii: "#"), bytes[start + 1] == UInt8(ascii: "!") {
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        shebang = source.slice(Span(start: start, end: end))
        lexer.position = end
      }
    }
    while true {
      while lexer.position < bytes.count,
        bytes[lexer.position] == UInt8(ascii: " ") || bytes[lexer.position] == UInt8(ascii: "\t")
          || bytes[lexer.position] == UInt8(ascii: "\r")
      {
        lexer.position += 1
      }
      guard lexer.position < bytes.count else { break }
      let start = lexer.position
      switch bytes[start] {
      case UInt8(ascii: "\n"):
        lexer.position += 1
        lines.append([])
      case UInt8(ascii: "#"):
        while lexer.position < bytes.count, bytes[lexer.position] != UInt8(ascii: "\n") {
          lexer.position += 1
        }
        var text = source.slice(Span(start: start, end: lexer.position))
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        lines[lines.count - 1].append(.comment(text))
      case UInt8(ascii: "\\") where start + 1 < bytes.count && bytes[start + 1] == UInt8(ascii: "\n"):
        lexer.position += 1
        lines[lines.count - 1].append(.continuation)
      default:
        let token = try lexer.lexToken()
        if !lines[lines.count - 1].contains(where: { if case .token = $0 { true } else { false } }) {
          firstOnLine.insert(tokens.count)
        }
        lines[lines.count - 1].append(.token(tokens.count))
        tokens.append(token)
      }
    }
    for (index, token) in tokens.enumerated() where token.kind.isSymbol(.leftBrace) {
      if index + 1 < tokens.count, tokens[index + 1].kind.isSymbol(.rightBrace) {
        recordBraces.insert(index)
      } else if index + 2 < tokens.count, tokens[index + 2].kind.isSymbol(.colon) {
        switch tokens[index + 1].kind {
        case .identifier, .string: recordBraces.insert(index)
        default: break
        }
      }
    }
  }

  /// The brace each closing `}` matches, by token index.
  func matchingOpeners() -> [Int: Int] {
    var stack: [Int] = []
    var matches: [Int: Int] = [:]
    for (index, token) in tokens.enumerated() {
      guard case .symbol(let symbol) = token.kind else { continue }
      switch symbol {
      case .leftParen, .leftBracket, .leftBrace: stack.append(index)
      case .rightParen, .rightBracket, .rightBrace:
        if let opener = stack.popLast() { matches[index] = opener }
      default: break
      }
    }
    return matches
  }

  /// The laid-out text.
  func render() -> String {
    let openers = matchingOpeners()
    // Each output line: its code (indentation included) and its trailing comment, or nil for a
    // blank line.
    var output: [(code: String, comment: String?)?] = []
    var open: [Int] = []  // the indentation of the line where each open bracket was opened
    var pendingBlank = false
    var previousEndsWithOpener = shebang == nil
    var previousContinues = false
    for line in lines {
      guard let first = line.first else {
        pendingBlank = true
        continue
      }
      var indent = open.last.map { $0 + 1 } ?? 0
      var startsWithCloser = false
      if case .token(let index) = first {
        let kind = tokens[index].kind
        if kind.isSymbol(.rightParen) || kind.isSymbol(.rightBracket) || kind.isSymbol(.rightBrace) {
          startsWithCloser = true
          indent = open.last ?? 0
        } else if kind.isSymbol(.pipe) || kind.isSymbol(.dot) || previousContinues {
          indent += 1
        }
      } else if previousContinues {
        indent += 1
      }
      if pendingBlank, !previousEndsWithOpener, !startsWithCloser, !output.isEmpty || shebang != nil {
        output.append(nil)
      }
      pendingBlank = false
      var code = ""
      var comment: String?
      var previous: Int?
      var lastToken: Int?
      var continuation = false
      // A bracket opened on this line indents what follows from this line's indentation, or,
      // after a closer of a bracket from an earlier line (`b) {` ending a parameter list that
      // spans lines), from the indentation of the line that bracket was opened on.
      var base = indent
      for item in line {
        switch item {
        case .comment(let text):
          comment = text
        case .continuation:
          continuation = true
        case .token(let index):
          let kind = tokens[index].kind
          if case .symbol(let symbol) = kind {
            switch symbol {
            case .leftParen, .leftBracket, .leftBrace: open.append(base)
            case .rightParen, .rightBracket, .rightBrace:
              if let opened = open.popLast() { base = min(base, opened) }
            default: break
            }
          }
          if let previous, spaced(previous, index, openers: openers) { code += " " }
          code += source.slice(tokens[index].span)
          previous = index
          lastToken = index
        }
      }
      if continuation { code += code.isEmpty ? "\\" : " \\" }
      let prefix = String(repeating: "  ", count: indent)
      if code.isEmpty {
        output.append((code: "", comment: comment.map { prefix + $0 }))
      } else {
        output.append((code: prefix + code, comment: comment))
      }
      if let lastToken {
        let kind = tokens[lastToken].kind
        previousEndsWithOpener =
          kind.isSymbol(.leftParen) || kind.isSymbol(.leftBracket) || kind.isSymbol(.leftBrace)
        previousContinues = continuation || continuesExpression(kind)
      } else {
        previousContinues = continuation || previousContinues
        previousEndsWithOpener = false
      }
    }
    return Layout.join(output, shebang: shebang)
  }

  /// True when a line ending with this token continues its expression on the next line, so the
  /// next line is indented one step more (an opening bracket indents through the bracket stack,
  /// and a comma separates items at the same depth).
  func continuesExpression(_ kind: TokenKind) -> Bool {
    guard kind.continuesLine else { return false }
    if case .symbol(let symbol) = kind {
      switch symbol {
      case .leftParen, .leftBracket, .leftBrace, .comma: return false
      default: return true
      }
    }
    return true
  }

  /// Whether a space separates two tokens that stand next to each other on a line.
  func spaced(_ a: Int, _ b: Int, openers: [Int: Int]) -> Bool {
    let left = tokens[a].kind
    let right = tokens[b].kind
    if case .symbol(let symbol) = right {
      switch symbol {
      // An interval is written close: `600K..700K`.
      case .comma, .semicolon, .rightParen, .rightBracket, .colon, .dotDot: return false
      case .dot:
        if case .number = left { return true }
        return false
      case .rightBrace:
        if left.isSymbol(.leftBrace) { return false }
        return !(openers[b].map { recordBraces.contains($0) } ?? false)
      case .leftParen:
        switch left {
        case .identifier, .symbol(.rightParen), .symbol(.rightBracket), .keyword(.fn): return false
        case .symbol(.leftParen), .symbol(.leftBracket): return false
        default:
          if isUnaryMinus(a) { return false }
          return !left.isSymbol(.leftBrace) || !recordBraces.contains(a)
        }
      case .leftBracket:
        switch left {
        case .identifier, .string, .symbol(.rightParen), .symbol(.rightBracket), .symbol(.rightBrace):
          return false
        case .symbol(.leftParen), .symbol(.leftBracket): return false
        default:
          if isUnaryMinus(a) { return false }
          return !left.isSymbol(.leftBrace) || !recordBraces.contains(a)
        }
      default: break
      }
    }
    if case .symbol(let symbol) = left {
      switch symbol {
      case .leftParen, .leftBracket, .dotDot: return false
      case .dot:
        if case .identifier = right { return false }
        return true
      case .leftBrace: return !recordBraces.contains(a)
      case .minus: return !isUnaryMinus(a)
      default: break
      }
    }
    return true
  }

  /// True for a `-` that negates (at the start of a line, or after an operator, an opening
  /// bracket, a separator or a keyword that is not a value).
  func isUnaryMinus(_ index: Int) -> Bool {
    guard tokens[index].kind.isSymbol(.minus) else { return false }
    guard index > 0, !firstOnLine.contains(index) else { return true }
    switch tokens[index - 1].kind {
    case .number, .string, .identifier: return false
    case .keyword(let word): return !(word == .true || word == .false || word == .nil)
    case .symbol(let symbol):
      return !(symbol == .rightParen || symbol == .rightBracket || symbol == .rightBrace)
    default: return true
    }
  }

  /// Joins the lines, aligning the trailing comments of consecutive lines of code.
  static func join(_ output: [(code: String, comment: String?)?], shebang: String?) -> String {
    var lines = output
    while let last = lines.last, last == nil { lines.removeLast() }
    if lines.isEmpty { return shebang.map { $0 + "\n" } ?? "" }
    var text = shebang.map { $0 + "\n" } ?? ""
    var index = 0
    while index < lines.count {
      guard let line = lines[index] else {
        text += "\n"
        index += 1
        continue
      }
      guard line.comment != nil, !line.code.isEmpty else {
        text += (line.code.isEmpty ? (line.comment ?? "") : line.code) + "\n"
        index += 1
        continue
      }
      // A run of lines of code with trailing comments.
      var run: [(code: String, comment: String)] = []
      while index < lines.count, let next = lines[index], let comment = next.comment, !next.code.isEmpty {
        run.append((next.code, comment))
        index += 1
      }
      let column = run.reduce(0) { max($0, $1.code.displayWidth) } + 2
      for row in run {
        text += row.code + String(repeating: " ", count: column - row.code.displayWidth) + row.comment + "\n"
      }
    }
    return text
  }
}
