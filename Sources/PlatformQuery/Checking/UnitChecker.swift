extension Expr {
  /// The expressions directly inside this one (function bodies and blocks excepted, as their
  /// statements are walked separately).
  package var children: [Expr] {
    switch kind {
    case .number, .string, .boolean, .nilLiteral, .name, .function, .block: return []
    case .interpolation(let parts):
      return parts.compactMap { part in
        if case .code(let code) = part { return code }
        return nil
      }
    case .list(let items): return items
    case .record(let fields): return fields.map(\.value)
    case .negate(let operand), .not(let operand): return [operand]
    case .binary(_, let left, let right, _), .and(let left, let right), .or(let left, let right):
      return [left, right]
    case .call(let callee, let arguments): return [callee] + arguments.map(\.value)
    case .index(let base, let index): return [base, index]
    case .field(let base, _, _): return [base]
    case .ifElse(let condition, _, let otherwise): return [condition] + (otherwise.map { [$0] } ?? [])
    }
  }
}

/// Finds the unit errors of a program before it runs: it evaluates every operation whose operands
/// are known — literals, the built-in figures, and `let` bindings of known values (through any
/// number of bindings, in the scopes they are visible in) — with the same rules running would,
/// and reports the ones that would fail, with the message running would give. A name that could
/// hold anything (a `var`, a parameter, a loop variable, a name bound in an inner scope) is
/// unknown, and unknown is never an error.
package struct UnitChecker {
  let interpreter: Interpreter
  let bound: Set<String>
  let source: Source
  package var problems: [PQError] = []
  var known: [String: Value?] = [:]
  /// The names bound in each scope, innermost last: a known value, or nil for one that could
  /// hold anything.
  var scopes: [[String: Value?]] = [[:]]

  package init(interpreter: Interpreter, bound: Set<String>, source: Source) {
    self.interpreter = interpreter
    self.bound = bound
    self.source = source
  }

  /// Every name a program binds anywhere (a binding, a function, a parameter, a loop variable,
  /// an import): a built-in's field read through one of them is not the built-in's.
  static func declaredNames(_ statements: [Statement]) -> Set<String> {
    var names = Set<String>()
    func function(_ syntax: FunctionSyntax) {
      if let name = syntax.name { names.insert(name) }
      for parameter in syntax.parameters { names.insert(parameter.name) }
      walk(syntax.body.statements)
    }
    func expression(_ expr: Expr) {
      switch expr.kind {
      case .function(let syntax): function(syntax)
      case .block(let block): walk(block.statements)
      case .ifElse(let condition, let then, let otherwise):
        expression(condition)
        walk(then.statements)
        if let otherwise { expression(otherwise) }
      default: for child in expr.children { expression(child) }
      }
    }
    func walk(_ statements: [Statement]) {
      for statement in statements {
        switch statement.kind {
        case .expression(let expr): expression(expr)
        case .binding(let name, _, _, let value):
          names.insert(name)
          expression(value)
        case .function(let syntax): function(syntax)
        case .assign(let target, _, let value, _):
          expression(target)
          expression(value)
        case .whileLoop(let condition, let body):
          expression(condition)
          walk(body.statements)
        case .forLoop(let first, let second, let sequence, let body):
          names.insert(first.name)
          if let second { names.insert(second.name) }
          expression(sequence)
          walk(body.statements)
        case .returnValue(let value): if let value { expression(value) }
        case .importModule(let name, _, let alias, _): names.insert(alias ?? name)
        case .breakLoop, .continueLoop: break
        }
      }
    }
    walk(statements)
    return names
  }

  mutating func declare(_ name: String, _ value: Value?) {
    scopes[scopes.count - 1][name] = .some(value)
  }

  mutating func inScope(_ names: [String] = [], _ body: (inout UnitChecker) -> Void) {
    scopes.append(Dictionary(names.map { ($0, Value?.none) }, uniquingKeysWith: { first, _ in first }))
    body(&self)
    scopes.removeLast()
  }

  /// What a name holds where it is used: the innermost binding's known value, or nil.
  func lookUp(_ name: String) -> Value? {
    for scope in scopes.reversed() {
      if let found = scope[name] { return found }
    }
    return nil
  }

  package mutating func check(_ statements: [Statement]) {
    for statement in statements {
      switch statement.kind {
      case .expression(let expression): visit(expression)
      case .binding(let name, _, let mutable, let value):
        let known = self.value(of: value)
        declare(name, mutable ? nil : known)
      case .function(let function):
        if let name = function.name { declare(name, nil) }
        inScope(function.parameters.map(\.name)) { $0.check(function.body.statements) }
      case .assign(let target, _, let value, _):
        visit(target)
        visit(value)
      case .whileLoop(let condition, let body):
        visit(condition)
        inScope { $0.check(body.statements) }
      case .forLoop(let first, let second, let sequence, let body):
        visit(sequence)
        inScope([first.name] + (second.map { [$0.name] } ?? [])) { $0.check(body.statements) }
      case .returnValue(let value):
        if let value { visit(value) }
      case .importModule(let name, _, let alias, _):
        declare(alias ?? name, nil)
      case .breakLoop, .continueLoop:
        break
      }
    }
  }

  /// The value of a program's last expression statement when it is known before running (its
  /// unit is the result's): what `Interpreter.resultUnit(of:)` reports.
  mutating func result(of statements: [Statement]) -> Value? {
    guard let last = statements.last, case .expression(let expression) = last.kind else {
      check(statements)
      return nil
    }
    check(Array(statements.dropLast()))
    return value(of: expression)
  }

  /// Visits every expression, evaluating the largest operations that are known.
  mutating func visit(_ expression: Expr) {
    switch expression.kind {
    case .binary:
      _ = value(of: expression)
    case .function(let function):
      inScope(function.parameters.map(\.name)) { $0.check(function.body.statements) }
    case .block(let block):
      inScope { $0.check(block.statements) }
    case .ifElse(let condition, let then, let otherwise):
      visit(condition)
      inScope { $0.check(then.statements) }
      if let otherwise { visit(otherwise) }
    default:
      for child in expression.children { visit(child) }
    }
  }

  /// The value of an expression when it is known before running; reports an operation that
  /// would fail.
  mutating func value(of expression: Expr) -> Value? {
    switch expression.kind {
    case .number(let number, let unit):
      switch unit {
      case .none: return .number(number)
      case .money: return Value.make(number, .usd, nil)
      case .percent: return Value.make(number, .percent, nil)
      case .points: return Value.make(number, .points, nil)
      }
    case .name(let name):
      return lookUp(name)
    case .field(let base, let field, _):
      guard case .name(let name) = base.kind, !bound.contains(name) else {
        visit(base)
        return nil
      }
      let path = "\(name).\(field)"
      if let cached = known[path] { return cached }
      var found: Value?
      if let value = interpreter.value(atPath: path), case .quantity = value { found = value }
      known[path] = found
      return found
    case .binary(let op, let left, let right, let operatorSpan):
      let a = value(of: left)
      let b = value(of: right)
      // `±` and `..` make a margin (running's `MarginNode`, not `Arithmetic`): unknown here.
      guard let a, let b, op != .margin, op != .interval else { return nil }
      do {
        return try Arithmetic.apply(op, a, b)
      } catch {
        var error = error
        error.source = source
        error.span = operatorSpan
        problems.append(error)
        return nil
      }
    default:
      visit(expression)
      return nil
    }
  }
}
