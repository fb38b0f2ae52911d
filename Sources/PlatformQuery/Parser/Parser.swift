/// A recursive-descent parser over the lexer's tokens. It collects syntax errors, recovering at
/// statement boundaries so that one mistake reports once, not as a cascade.
package struct Parser {
  let source: Source
  var tokens: [Token]
  var index = 0
  var errors: [PQError] = []
  var depth = 0
  /// What stops a long parse: the evaluation's deadline and cancellation, checked every 4,096
  /// tokens. Nil when nothing evaluates (`pq --check`, the editor).
  var interruption: Runtime?
  /// The limit error that stopped the parse; the parser then skips to the end.
  var interrupted: PQError?
  /// Whether a statement that fails inside a block is left as an `.error` statement and the
  /// block read on (`recovering`), rather than failing the statement the block is in.
  var recoversInBlocks = false
  var advances = 0

  /// How deeply expressions and blocks may nest before the parser refuses.
  static let maximumNesting = 256

  init(source: Source, tokens: [Token]) {
    self.source = source
    self.tokens = tokens
  }

  /// Parses a whole source into a program, or throws its first syntax error (with the rest as
  /// follow-ups).
  package static func parse(_ source: Source, interruption: Runtime? = nil) throws(PQError) -> SyntaxTree {
    let tokens = try Lexer.tokenize(source)
    var parser = Parser(source: source, tokens: tokens)
    parser.interruption = interruption
    let statements = parser.parseProgram()
    if let interrupted = parser.interrupted { throw interrupted }
    if var first = parser.errors.first {
      first.followUps = Array(parser.errors.dropFirst().prefix(9))
      throw first
    }
    return SyntaxTree(statements: statements, source: source)
  }

  /// The most syntax errors `recovering` reports.
  static let largestErrorCount = 100

  /// Parses a whole source, recovering from every syntax error at statement and bracket
  /// boundaries, in blocks too: a statement that does not parse is left in the tree as an
  /// `.error` statement (with the names it was about to bind), and parsing goes on after it. The
  /// errors come in order, at most `largestErrorCount`. Valid input gives exactly the tree
  /// `parse` gives. Only a source the lexer refuses (an unclosed string) or an interruption
  /// throws.
  package static func recovering(_ source: Source, interruption: Runtime? = nil) throws(PQError) -> (
    tree: SyntaxTree, errors: [PQError]
  ) {
    let tokens = try Lexer.tokenize(source)
    var parser = Parser(source: source, tokens: tokens)
    parser.interruption = interruption
    parser.recoversInBlocks = true
    let statements = parser.parseProgram()
    if let interrupted = parser.interrupted { throw interrupted }
    return (
      SyntaxTree(statements: statements, source: source), Array(parser.errors.prefix(largestErrorCount))
    )
  }

  /// The statement left where one starting at token `start` did not parse, up to the last token
  /// read: the names it was about to bind (`let NAME`, `var NAME`, `fn NAME`, `import NAME`).
  func brokenStatement(from start: Int) -> Statement {
    var names: [(name: String, span: Span)] = []
    if start + 1 < tokens.count, case .identifier(let name) = tokens[start + 1].kind {
      switch tokens[start].kind {
      case .keyword(.let), .keyword(.var), .keyword(.fn), .keyword(.import):
        names.append((name, tokens[start + 1].span))
      default: break
      }
    }
    let begin = tokens[start].span.start
    let end = max(begin, index > start ? tokens[index - 1].span.end : tokens[start].span.end)
    return Statement(kind: .error(declares: names), span: Span(start: begin, end: end))
  }

  // MARK: Cursor

  var current: Token { tokens[index] }
  var kind: TokenKind { tokens[index].kind }
  var previousEnd: Int { index > 0 ? tokens[index - 1].span.end : 0 }

  var atEnd: Bool {
    if case .eof = kind { return true }
    return false
  }

  @discardableResult
  mutating func advance() -> Token {
    let token = tokens[index]
    if index < tokens.count - 1 { index += 1 }
    advances &+= 1
    if advances & 4095 == 0, let interruption, interrupted == nil,
      let error = interruption.interruption(nil)
    {
      interrupted = error
      index = tokens.count - 1
    }
    return token
  }

  func check(_ symbol: Symbol) -> Bool { kind.isSymbol(symbol) }
  func check(_ keyword: Keyword) -> Bool { kind.isKeyword(keyword) }

  mutating func match(_ symbol: Symbol) -> Bool {
    guard check(symbol) else { return false }
    advance()
    return true
  }

  mutating func match(_ keyword: Keyword) -> Bool {
    guard check(keyword) else { return false }
    advance()
    return true
  }

  var atSeparator: Bool {
    if case .newline = kind { return true }
    return check(.semicolon)
  }

  /// After a whole statement: a separator, or a line break the lexer hid because an earlier
  /// bracket was never closed (which was already reported).
  var atStatementEnd: Bool {
    atSeparator || (!errors.isEmpty && followsLineBreak)
  }

  mutating func skipSeparators() {
    while atSeparator { advance() }
  }

  mutating func skipNewlines() {
    while case .newline = kind { advance() }
  }

  /// A syntax error at the current token: "expected X, found Y".
  func expected(_ what: String, notes: [String] = []) -> PQError {
    // At the end of input, point just after the last token rather than at an empty last line.
    let span = atEnd && index > 0 ? Span(start: previousEnd, end: previousEnd) : current.span
    return PQError(
      .syntax, "expected \(what), found \(kind.summary)", source: source, span: span, notes: notes,
      isUnexpectedEnd: atEnd)
  }

  @discardableResult
  mutating func expect(_ symbol: Symbol, _ context: String) throws(PQError) -> Token {
    guard check(symbol) else { throw expected("'\(symbol.rawValue)' \(context)") }
    return advance()
  }

  mutating func expectIdentifier(_ context: String) throws(PQError) -> (String, Span) {
    if case .identifier(let name) = kind {
      let token = advance()
      return (name, token.span)
    }
    if case .keyword(let word) = kind {
      throw PQError(
        .syntax, "'\(word.rawValue)' is a keyword and cannot be used as a name", source: source,
        span: current.span)
    }
    throw expected(context)
  }

  func error(_ message: String, _ span: Span, notes: [String] = []) -> PQError {
    PQError(.syntax, message, source: source, span: span, notes: notes)
  }

  var startsStatement: Bool {
    guard case .keyword(let word) = kind else { return false }
    return [.let, .var, .fn, .while, .for, .import, .return].contains(word)
  }

  /// The error for a bracket that is never closed: points at what was found, notes the opener.
  func unclosed(_ open: Token, _ closer: String, _ what: String) -> PQError {
    var error = expected("'\(closer)' to close the \(what)")
    let at = source.location(of: open.span.start)
    error.notes.append("the \(what) opened at line \(at.line), column \(at.column) is not closed")
    return error
  }

  /// The most operands one chain of binary operators (or postfix calls, fields and indexes) may
  /// have: each adds a level to the tree that later stages walk recursively.
  static let maximumChain = 10_000

  /// Counts one more link of a chain and refuses when it grows too long.
  func checkChain(_ count: Int) throws(PQError) {
    if count > Parser.maximumChain {
      throw error(
        "expression too long", current.span,
        notes: [
          "one chain of operators may have at most \(Parser.maximumChain) operands; split it with variables"
        ])
    }
  }

  mutating func enterNesting() throws(PQError) {
    depth += 1
    if depth > Parser.maximumNesting {
      throw error(
        "nesting too deep", current.span,
        notes: ["pq allows \(Parser.maximumNesting) levels of nested brackets, blocks and operators"])
    }
  }

  /// True when a line break separates the current token from the one before it.
  var followsLineBreak: Bool {
    guard index > 0 else { return true }
    let start = tokens[index - 1].span.end
    let end = current.span.start
    return start < end && source.bytes[start..<end].contains(UInt8(ascii: "\n"))
  }

  /// The brackets the tokens from `start` up to the current one left open, innermost last.
  func bracketsOpened(since start: Int) -> [Symbol] {
    var open: [Symbol] = []
    for token in tokens[start..<index] {
      guard case .symbol(let symbol) = token.kind else { continue }
      switch symbol {
      case .leftBrace, .leftParen, .leftBracket: open.append(symbol)
      case .rightBrace: _ = close(.leftBrace, in: &open)
      case .rightParen: _ = close(.leftParen, in: &open)
      case .rightBracket: _ = close(.leftBracket, in: &open)
      default: break
      }
    }
    return open
  }

  /// Skips to the start of the next statement after an error in the statement that began at
  /// token `statementStart`, keeping brackets balanced: the brackets that statement had opened
  /// before the error are closed by the skipping, not reported as unmatched. A statement keyword
  /// at the start of a line ends the skipping even inside an unclosed '(' or '[', so one missing
  /// ')' does not hide the rest of the file; inside a '{' block the skipping goes on to its '}'.
  mutating func synchronize(from statementStart: Int) {
    var open = bracketsOpened(since: statementStart)
    while !atEnd {
      if index > 0, followsLineBreak, startsStatement, open.last != .leftBrace { return }
      switch kind {
      case .newline, .symbol(.semicolon):
        if open.isEmpty {
          advance()
          return
        }
      case .symbol(.leftBrace): open.append(.leftBrace)
      case .symbol(.leftParen): open.append(.leftParen)
      case .symbol(.leftBracket): open.append(.leftBracket)
      case .symbol(.rightBrace): if !close(.leftBrace, in: &open) { return }
      case .symbol(.rightParen): if !close(.leftParen, in: &open) { return }
      case .symbol(.rightBracket): if !close(.leftBracket, in: &open) { return }
      default:
        break
      }
      advance()
    }
  }

  /// Skips to the start of the next statement of the block the failed statement (begun at token
  /// `statementStart`) is in: to the next separator outside the brackets it opened, or to the
  /// `}` that closes the block, which is left for the block to read. Brackets of another kind left
  /// open inside are closed by the skipping; a statement keyword at the start of a line ends it.
  mutating func synchronizeInBlock(from statementStart: Int) {
    var open = bracketsOpened(since: statementStart)
    while !atEnd {
      if index > statementStart, followsLineBreak, startsStatement, !open.contains(.leftBrace) { return }
      switch kind {
      case .newline, .symbol(.semicolon):
        if !open.contains(.leftBrace) {
          advance()
          return
        }
      case .symbol(.leftBrace): open.append(.leftBrace)
      case .symbol(.leftParen): open.append(.leftParen)
      case .symbol(.leftBracket): open.append(.leftBracket)
      case .symbol(.rightBrace):
        // The block's own `}` ends the skipping, unclosed parentheses and brackets or not.
        guard open.contains(.leftBrace) else { return }
        _ = close(.leftBrace, in: &open)
      case .symbol(.rightParen): _ = close(.leftParen, in: &open)
      case .symbol(.rightBracket): _ = close(.leftBracket, in: &open)
      default:
        break
      }
      advance()
    }
  }

  /// Closes the innermost `opener` and whatever was left open inside it; false when there is
  /// nothing open at all (the closer is unmatched and ends the skipping). A closer of the wrong
  /// kind inside other brackets is skipped.
  private func close(_ opener: Symbol, in open: inout [Symbol]) -> Bool {
    if open.isEmpty { return false }
    if let position = open.lastIndex(of: opener) { open.removeSubrange(position...) }
    return true
  }
}

/// What the fuzz targets (a package of their own) ask of the parser.
@_spi(Fuzzing) public enum ParserFuzzing {
  /// Whether the recovering parse of `source` agrees with the parse that runs: on text that
  /// parses, no errors and the very same tree; on text that does not, the same first error (the
  /// two read alike up to it); and every error it reports points into the source.
  public static func recoveringAgrees(with source: Source) -> Bool {
    (try? LargeStack.run { () throws(PQError) -> Bool in
      let strict: Result<SyntaxTree, PQError>
      do throws(PQError) { strict = .success(try Parser.parse(source)) } catch { strict = .failure(error) }
      let recovered: (tree: SyntaxTree, errors: [PQError])
      do throws(PQError) { recovered = try Parser.recovering(source) } catch {
        // Only the lexer refuses outright, and then the strict parse failed alike.
        guard case .failure(let first) = strict else { return false }
        return first.message == error.message && first.span == error.span
      }
      let length = source.bytes.count
      guard recovered.errors.allSatisfy({ ($0.span?.end ?? 0) <= length }) else { return false }
      switch strict {
      case .success(let tree):
        return recovered.errors.isEmpty
          && String(describing: tree.statements) == String(describing: recovered.tree.statements)
      case .failure(let first):
        guard let found = recovered.errors.first else { return false }
        return found.message == first.message && found.span == first.span
      }
    }) ?? true
  }
}
