extension Parser {
  /// expression := pipe
  mutating func parseExpression() throws(PQError) -> Expr {
    try enterNesting()
    defer { depth -= 1 }
    return try parsePipe()
  }

  /// pipe := or ('|>' or)*  — `a |> f(b)` is `f(a, b)`; `a |> f` is `f(a)`.
  mutating func parsePipe() throws(PQError) -> Expr {
    var left = try parseOr()
    var links = 0
    while match(.pipe) {
      links += 1
      try checkChain(links)
      let right = try parseOr()
      let span = left.span.joined(right.span)
      if case .call(let callee, let arguments) = right.kind {
        left = Expr(kind: .call(callee, [Argument(label: nil, value: left)] + arguments), span: span)
      } else {
        left = Expr(kind: .call(right, [Argument(label: nil, value: left)]), span: span)
      }
    }
    return left
  }

  /// or := and ('or' and)*
  mutating func parseOr() throws(PQError) -> Expr {
    var left = try parseAnd()
    var links = 0
    while match(.or) {
      links += 1
      try checkChain(links)
      let right = try parseAnd()
      left = Expr(kind: .or(left, right), span: left.span.joined(right.span))
    }
    return left
  }

  /// and := not ('and' not)*
  mutating func parseAnd() throws(PQError) -> Expr {
    var left = try parseNot()
    var links = 0
    while match(.and) {
      links += 1
      try checkChain(links)
      let right = try parseNot()
      left = Expr(kind: .and(left, right), span: left.span.joined(right.span))
    }
    return left
  }

  /// not := 'not' not | comparison
  mutating func parseNot() throws(PQError) -> Expr {
    if check(.not) {
      let start = advance().span
      try enterNesting()
      defer { depth -= 1 }
      let operand = try parseNot()
      return Expr(kind: .not(operand), span: start.joined(operand.span))
    }
    return try parseComparison()
  }

  /// comparison := margin (('==' | '!=' | '<' | '<=' | '>' | '>=') margin)?
  mutating func parseComparison() throws(PQError) -> Expr {
    let left = try parseMargin()
    guard let op = comparisonOperator() else { return left }
    let operatorSpan = advance().span
    let right = try parseMargin()
    if comparisonOperator() != nil {
      throw error(
        "comparisons cannot be chained", current.span,
        notes: ["write 'a < b and b < c' instead of 'a < b < c'"])
    }
    return Expr(
      kind: .binary(op, left, right, operatorSpan: operatorSpan), span: left.span.joined(right.span))
  }

  func comparisonOperator() -> BinaryOperator? {
    guard case .symbol(let symbol) = kind else { return nil }
    switch symbol {
    case .equal: return .equal
    case .notEqual: return .notEqual
    case .less: return .less
    case .lessEqual: return .lessEqual
    case .greater: return .greater
    case .greaterEqual: return .greaterEqual
    default: return nil
    }
  }

  /// margin := additive (('±' | '+-' | '..') additive)?: `59% ± 3pp`, `x.mau - 1M ± 2M`,
  /// `600K..700K`.
  mutating func parseMargin() throws(PQError) -> Expr {
    let left = try parseAdditive()
    let op: BinaryOperator
    if check(.plusMinus) { op = .margin } else if check(.dotDot) { op = .interval } else { return left }
    let operatorSpan = advance().span
    let right = try parseAdditive()
    if check(.plusMinus) || check(.dotDot) {
      throw error(
        "a figure has one margin of error", current.span,
        notes: ["write 'a ± m' once; margins of sums and differences are combined for you"])
    }
    return Expr(
      kind: .binary(op, left, right, operatorSpan: operatorSpan), span: left.span.joined(right.span))
  }

  /// additive := multiplicative (('+' | '-') multiplicative)*
  mutating func parseAdditive() throws(PQError) -> Expr {
    var left = try parseMultiplicative()
    var links = 0
    while true {
      links += 1
      try checkChain(links)
      let op: BinaryOperator
      if check(.plus) { op = .add } else if check(.minus) { op = .subtract } else { return left }
      let operatorSpan = advance().span
      let right = try parseMultiplicative()
      left = Expr(
        kind: .binary(op, left, right, operatorSpan: operatorSpan), span: left.span.joined(right.span))
    }
  }

  /// multiplicative := unary (('*' | '/' | 'mod') unary)*
  mutating func parseMultiplicative() throws(PQError) -> Expr {
    var left = try parseUnary()
    var links = 0
    while true {
      links += 1
      try checkChain(links)
      let op: BinaryOperator
      if check(.star) {
        op = .multiply
      } else if check(.slash) {
        op = .divide
      } else if check(.mod) {
        op = .remainder
      } else {
        return left
      }
      let operatorSpan = advance().span
      let right = try parseUnary()
      left = Expr(
        kind: .binary(op, left, right, operatorSpan: operatorSpan), span: left.span.joined(right.span))
    }
  }

  /// unary := '-' unary | power
  mutating func parseUnary() throws(PQError) -> Expr {
    if check(.minus) {
      let start = advance().span
      try enterNesting()
      defer { depth -= 1 }
      let operand = try parseUnary()
      return Expr(kind: .negate(operand), span: start.joined(operand.span))
    }
    return try parsePower()
  }

  /// power := postfix ('^' unary)?   — right-associative, tighter than unary minus.
  mutating func parsePower() throws(PQError) -> Expr {
    let base = try parsePostfix()
    guard check(.caret) else { return base }
    let operatorSpan = advance().span
    try enterNesting()
    defer { depth -= 1 }
    let exponent = try parseUnary()
    return Expr(
      kind: .binary(.power, base, exponent, operatorSpan: operatorSpan), span: base.span.joined(exponent.span)
    )
  }

  /// postfix := primary ('(' arguments ')' | '[' expression ']' | '.' NAME)*
  mutating func parsePostfix() throws(PQError) -> Expr {
    var expression = try parsePrimary()
    var links = 0
    while true {
      links += 1
      try checkChain(links)
      if check(.leftParen) {
        let open = advance()
        let arguments = try parseArguments()
        guard check(.rightParen) else { throw unclosed(open, ")", "argument list") }
        let close = advance()
        expression = Expr(kind: .call(expression, arguments), span: expression.span.joined(close.span))
      } else if check(.leftBracket) {
        advance()
        skipNewlines()
        let subscriptExpression = try parseExpression()
        skipNewlines()
        let close = try expect(.rightBracket, "to close the index")
        expression = Expr(
          kind: .index(expression, subscriptExpression), span: expression.span.joined(close.span))
      } else if check(.dot) {
        advance()
        let (name, nameSpan) = try expectFieldName()
        expression = Expr(
          kind: .field(expression, name, nameSpan: nameSpan), span: expression.span.joined(nameSpan))
      } else {
        return expression
      }
    }
  }

  mutating func expectFieldName() throws(PQError) -> (String, Span) {
    switch kind {
    case .identifier(let name):
      return (name, advance().span)
    case .keyword(let word):
      return (word.rawValue, advance().span)
    default:
      throw expected("a field name after '.'")
    }
  }

  /// arguments := (argument (',' argument)*)? ','?   argument := (NAME ':')? expression
  mutating func parseArguments() throws(PQError) -> [Argument] {
    var arguments: [Argument] = []
    skipNewlines()
    while !check(.rightParen) {
      var label: String?
      if case .identifier(let name) = kind, tokens[index + 1].kind.isSymbol(.colon) {
        label = name
        advance()
        advance()
      } else if case .identifier(let name) = kind, tokens[index + 1].kind.isSymbol(.assign) {
        // `desc=true`, as Python writes it.
        throw error(
          "named arguments use ':', not '='", tokens[index + 1].span,
          notes: ["write \(name): and the value, as in chart(d, \"mau\", log: true)"])
      } else if arguments.contains(where: { $0.label != nil }) {
        throw error("a positional argument cannot follow a named one", current.span)
      }
      arguments.append(Argument(label: label, value: try parseExpression()))
      skipNewlines()
      if !match(.comma) { break }
      skipNewlines()
    }
    return arguments
  }

  /// primary := NUMBER | STRING | 'true' | 'false' | 'nil' | NAME | '(' expression ')' | list
  ///          | record | if | function
  mutating func parsePrimary() throws(PQError) -> Expr {
    let token = current
    switch token.kind {
    case .number(let value, let unit):
      advance()
      return Expr(kind: .number(value, unit), span: token.span)
    case .string(let parts):
      advance()
      return try stringExpression(parts, span: token.span)
    case .identifier(let name):
      advance()
      return Expr(kind: .name(name), span: token.span)
    case .keyword(.true), .keyword(.false):
      advance()
      return Expr(kind: .boolean(token.kind.isKeyword(.true)), span: token.span)
    case .keyword(.nil):
      advance()
      return Expr(kind: .nilLiteral, span: token.span)
    case .keyword(.if):
      return try parseIf()
    case .keyword(.fn):
      // A named `fn` at the start of a line where a value is expected is a statement after an
      // unfinished one (`let half = (x.mau +` typed above it): the error is there, so that the
      // function is read as the statement it is.
      if case .identifier = tokens[index + 1].kind, followsLineBreak {
        throw expected(
          "an expression",
          notes: [
            "the statement before this line is not finished: is a bracket left open, or an operator at its end?"
          ])
      }
      let function = try parseFunction()
      if let name = function.name, let span = function.nameSpan {
        throw error(
          "a function value cannot have a name", span,
          notes: ["write 'fn \(name)(…) { … }' as a statement, or 'let \(name) = fn(…) { … }'"])
      }
      return Expr(kind: .function(function), span: function.span)
    case .symbol(.leftParen):
      advance()
      skipNewlines()
      let inner = try parseExpression()
      skipNewlines()
      guard check(.rightParen) else { throw unclosed(token, ")", "parenthesis") }
      let close = advance()
      return Expr(kind: inner.kind, span: token.span.joined(close.span))
    case .symbol(.leftBracket):
      return try parseList()
    case .symbol(.leftBrace):
      if looksLikeRecord() { return try parseRecord() }
      let block = try parseBlock("")
      return Expr(kind: .block(block), span: block.span)
    default:
      throw expected("an expression")
    }
  }

  func looksLikeRecord() -> Bool {
    var look = index + 1
    while case .newline = tokens[look].kind { look += 1 }
    switch tokens[look].kind {
    case .symbol(.rightBrace): return true
    case .identifier, .string, .keyword: return tokens[look + 1].kind.isSymbol(.colon)
    default: return false
    }
  }

  /// list := '[' (expression (',' expression)*)? ','? ']'
  mutating func parseList() throws(PQError) -> Expr {
    try enterNesting()
    defer { depth -= 1 }
    let open = advance()
    var elements: [Expr] = []
    skipNewlines()
    while !check(.rightBracket) {
      elements.append(try parseExpression())
      skipNewlines()
      if !match(.comma) { break }
      skipNewlines()
    }
    guard check(.rightBracket) else { throw unclosed(open, "]", "list") }
    let close = advance()
    return Expr(kind: .list(elements), span: open.span.joined(close.span))
  }

  /// record := '{' (key ':' expression (',' key ':' expression)*)? ','? '}'
  mutating func parseRecord() throws(PQError) -> Expr {
    try enterNesting()
    defer { depth -= 1 }
    let open = advance()
    var entries: [(key: String, keySpan: Span, value: Expr)] = []
    // Keys seen, by hash: a literal of 100,000 fields was quadratic.
    var seen = Set<String>()
    skipNewlines()
    while !check(.rightBrace) {
      let key: String
      let keySpan = current.span
      switch kind {
      case .identifier(let name): key = name
      case .keyword(let word): key = word.rawValue
      case .string(let parts):
        guard parts.count == 1, case .text(let text) = parts[0] else {
          throw error("a record key cannot be interpolated", current.span)
        }
        key = text
      default:
        throw expected("a field name in the record")
      }
      advance()
      if !seen.insert(key).inserted {
        throw error("duplicate field '\(key)' in record", keySpan)
      }
      try expect(.colon, "after the field name")
      skipNewlines()
      entries.append((key, keySpan, try parseExpression()))
      skipNewlines()
      if !match(.comma) { break }
      skipNewlines()
    }
    guard check(.rightBrace) else { throw expected("',' or '}' in the record") }
    let close = advance()
    return Expr(kind: .record(entries), span: open.span.joined(close.span))
  }

  /// if := 'if' expression block ('else' (if | block))?
  mutating func parseIf() throws(PQError) -> Expr {
    let start = advance().span
    let condition = try parseExpression()
    let then = try parseBlock("after the condition of 'if'")
    var otherwise: Expr?
    var end = then.span
    if match(.else) {
      if check(.if) {
        let nested = try parseIf()
        otherwise = nested
        end = nested.span
      } else {
        let block = try parseBlock("after 'else'")
        otherwise = Expr(kind: .block(block), span: block.span)
        end = block.span
      }
    }
    return Expr(
      kind: .ifElse(condition: condition, then: then, otherwise: otherwise), span: start.joined(end))
  }

  mutating func stringExpression(_ parts: [StringPart], span: Span) throws(PQError) -> Expr {
    if parts.count == 1, case .text(let text) = parts[0] {
      return Expr(kind: .string(text), span: span)
    }
    var pieces: [InterpolationPart] = []
    for part in parts {
      switch part {
      case .text(let text):
        pieces.append(.text(text))
      case .code(let tokens, _):
        var inner = Parser(source: source, tokens: tokens)
        inner.depth = depth
        let expression = try inner.parseExpression()
        inner.skipSeparators()
        if !inner.atEnd { throw inner.expected("')' to end the interpolation") }
        pieces.append(.code(expression))
      }
    }
    return Expr(kind: .interpolation(pieces), span: span)
  }
}
