extension Parser {
  /// program := separator* (statement (separator+ statement)*)? separator* EOF
  mutating func parseProgram() -> [Statement] {
    var statements: [Statement] = []
    skipSeparators()
    while !atEnd {
      let before = index
      do throws(PQError) {
        statements.append(try parseStatement())
        if !atEnd, !atStatementEnd {
          throw expected("end of statement (a new line or ';')")
        }
      } catch {
        errors.append(error)
        if error.isUnexpectedEnd {
          if recoversInBlocks {
            index = tokens.count - 1
            statements.append(brokenStatement(from: before))
          }
          return statements
        }
        synchronize(from: before)
        if recoversInBlocks { statements.append(brokenStatement(from: before)) }
        if check(.rightBrace) || check(.rightParen) || check(.rightBracket) {
          if errors.last?.span != current.span {
            errors.append(
              self.error("unmatched '\(current.kind.summary.dropFirst().dropLast())'", current.span))
          }
          advance()
        }
      }
      if index == before { advance() }  // progress guard
      skipSeparators()
    }
    return statements
  }

  /// block := '{' separator* (statement (separator+ statement)*)? separator* '}'
  mutating func parseBlock(_ context: String) throws(PQError) -> Block {
    try enterNesting()
    defer { depth -= 1 }
    let open = try expect(.leftBrace, context)
    var statements: [Statement] = []
    skipSeparators()
    while !check(.rightBrace) {
      if atEnd {
        throw PQError(
          .syntax, "expected '}' to close the block", source: source, span: open.span,
          notes: ["the block opened here is never closed"], isUnexpectedEnd: true)
      }
      let before = index
      do throws(PQError) {
        statements.append(try parseStatement())
        if !check(.rightBrace), !atStatementEnd {
          throw expected("end of statement (a new line, ';' or '}')")
        }
      } catch {
        // Outside `recovering`, or at the end of input (the block is never closed), the error
        // fails the statement the block is in.
        guard recoversInBlocks, !error.isUnexpectedEnd, interrupted == nil else { throw error }
        errors.append(error)
        synchronizeInBlock(from: before)
        statements.append(brokenStatement(from: before))
      }
      if index == before { advance() }
      skipSeparators()
    }
    let close = advance()
    return Block(statements: statements, span: open.span.joined(close.span))
  }

  /// statement := let | var | fn NAME | while | for | break | continue | return | import
  ///            | assignment | expression
  mutating func parseStatement() throws(PQError) -> Statement {
    let start = current.span
    switch kind {
    case .keyword(.let), .keyword(.var):
      let mutable = check(.var)
      advance()
      let (name, nameSpan) = try expectIdentifier("a name after '\(mutable ? "var" : "let")'")
      if !check(.assign) {
        throw expected("'=' and a value", notes: ["every binding needs a value, as in: let \(name) = 0"])
      }
      advance()
      let value = try parseExpression()
      return Statement(
        kind: .binding(name: name, nameSpan: nameSpan, mutable: mutable, value: value),
        span: start.joined(value.span))
    case .keyword(.fn):
      if case .identifier = tokens[index + 1].kind {
        let function = try parseFunction()
        return Statement(kind: .function(function), span: function.span)
      }
    case .keyword(.while):
      advance()
      let condition = try parseExpression()
      let body = try parseBlock("to start the loop body")
      return Statement(kind: .whileLoop(condition: condition, body: body), span: start.joined(body.span))
    case .keyword(.for):
      return try parseFor()
    case .keyword(.break):
      advance()
      return Statement(kind: .breakLoop, span: start)
    case .keyword(.continue):
      advance()
      return Statement(kind: .continueLoop, span: start)
    case .keyword(.return):
      advance()
      if atSeparator || atEnd || check(.rightBrace) {
        return Statement(kind: .returnValue(nil), span: start)
      }
      let value = try parseExpression()
      return Statement(kind: .returnValue(value), span: start.joined(value.span))
    case .keyword(.import):
      return try parseImport()
    default:
      break
    }
    let expression = try parseExpression()
    if let compound = assignmentOperator() {
      let operatorToken = advance()
      guard isAssignable(expression) else {
        throw error(
          "cannot assign to this expression", expression.span,
          notes: ["assign to a variable, a field (r.name = …) or an element (xs[0] = …)"])
      }
      let value = try parseExpression()
      return Statement(
        kind: .assign(
          target: expression, compound: compound.operator, value: value, operatorSpan: operatorToken.span),
        span: expression.span.joined(value.span))
    }
    return Statement(kind: .expression(expression), span: expression.span)
  }

  func assignmentOperator() -> (operator: BinaryOperator?, Void)? {
    switch kind {
    case .symbol(.assign): return (nil, ())
    case .symbol(.plusAssign): return (.add, ())
    case .symbol(.minusAssign): return (.subtract, ())
    case .symbol(.starAssign): return (.multiply, ())
    case .symbol(.slashAssign): return (.divide, ())
    default: return nil
    }
  }

  func isAssignable(_ expression: Expr) -> Bool {
    switch expression.kind {
    case .name: return true
    case .field(let base, _, _), .index(let base, _): return isAssignable(base)
    default: return false
    }
  }

  /// for := 'for' NAME (',' NAME)? 'in' expression block
  mutating func parseFor() throws(PQError) -> Statement {
    let start = advance().span
    let first = try expectIdentifier("a loop variable after 'for'")
    var second: (String, Span)?
    if match(.comma) {
      second = try expectIdentifier("a second loop variable after ','")
    }
    guard match(.in) else { throw expected("'in' after the loop variable") }
    let sequence = try parseExpression()
    let body = try parseBlock("to start the loop body")
    return Statement(
      kind: .forLoop(
        first: (first.0, first.1), second: second.map { (name: $0.0, span: $0.1) }, sequence: sequence,
        body: body),
      span: start.joined(body.span))
  }

  /// import := 'import' (NAME | STRING) ('as' NAME)?
  mutating func parseImport() throws(PQError) -> Statement {
    let start = advance().span
    var name: String
    var isPath = false
    let nameSpan = current.span
    switch kind {
    case .identifier(let word):
      name = word
      advance()
    case .string(let parts):
      guard parts.count == 1, case .text(let text) = parts[0] else {
        throw error("an import path cannot be interpolated", current.span)
      }
      name = text
      isPath = true
      advance()
    default:
      throw expected("a module name or a quoted file path after 'import'")
    }
    var alias: String?
    if match(.as) {
      alias = try expectIdentifier("a name after 'as'").0
    }
    return Statement(
      kind: .importModule(name: name, isPath: isPath, alias: alias, nameSpan: nameSpan),
      span: start.joined(Span(start: previousEnd, end: previousEnd)))
  }

  /// function := 'fn' NAME? '(' (NAME (',' NAME)*)? ')' block
  mutating func parseFunction() throws(PQError) -> FunctionSyntax {
    let start = advance().span
    var name: String?
    var nameSpan: Span?
    if case .identifier(let word) = kind {
      name = word
      nameSpan = advance().span
    }
    try expect(.leftParen, "to start the parameter list")
    var parameters: [(name: String, span: Span)] = []
    skipNewlines()
    while !check(.rightParen) {
      let (parameter, span) = try expectIdentifier("a parameter name")
      if parameters.contains(where: { $0.name == parameter }) {
        throw error("duplicate parameter '\(parameter)'", span)
      }
      parameters.append((parameter, span))
      skipNewlines()
      if !match(.comma) { break }
      skipNewlines()
    }
    try expect(.rightParen, "to close the parameter list")
    let body = try parseBlock("to start the function body")
    return FunctionSyntax(
      name: name, nameSpan: nameSpan, parameters: parameters, body: body, span: start.joined(body.span))
  }
}
