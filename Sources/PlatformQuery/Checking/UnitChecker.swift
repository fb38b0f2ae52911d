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
/// are known — literals, the built-in figures, `let` bindings of known values (through any number
/// of bindings, in the scopes they are visible in), lists and records of known values and their
/// fields, the branch an `if` takes when its condition is known (or both, when they agree), calls
/// of the document's own functions with known arguments (the body evaluated for that call, in
/// the scope the function was defined in), and calls of the pure built-ins (`ratio`, `sum`,
/// `as_unit`, …) — with the same rules running would, and reports the ones that would fail, with
/// the message running would give. A name that could hold anything (a `var`, a parameter, a loop
/// variable, a name bound in an inner scope) is unknown, and unknown is never an error.
package struct UnitChecker {
  /// What a name means where it is used, when that is known before running.
  enum Known {
    /// A value, exactly.
    case value(Value)
    /// A function the document defines, with the scopes it was defined in as they were then
    /// (names defined after it, itself included, are not seen from it: a recursive call is
    /// unknown).
    case function(FunctionSyntax, scopes: [VisibleScope])
  }

  /// The names one scope binds, each with the order in which it was bound: a scope is shared by
  /// the functions defined in it, which see only what was bound before them. (Copying the scopes
  /// for each function instead made a file of many functions quadratic.)
  final class Scope {
    /// The bindings in the order they were made. A scope of a few names (a function's
    /// parameters, a loop's variable) is searched from the end; a larger one through `index`.
    var bindings: [(name: String, order: Int, known: Known?)] = []
    /// The positions in `bindings` of each name, made once a scope holds more than a few.
    var index: [String: [Int]]?

    static let searchedDirectly = 8

    func bind(_ name: String, _ order: Int, _ known: Known?) {
      bindings.append((name, order, known))
      if index != nil {
        index?[name, default: []].append(bindings.count - 1)
      } else if bindings.count > Scope.searchedDirectly {
        var made: [String: [Int]] = [:]
        for (position, binding) in bindings.enumerated() { made[binding.name, default: []].append(position) }
        index = made
      }
    }

    /// The latest binding of `name` made before `limit`, if any.
    func find(_ name: String, before limit: Int) -> Known?? {
      if let index {
        guard let positions = index[name] else { return nil }
        for position in positions.reversed() where bindings[position].order < limit {
          return .some(bindings[position].known)
        }
        return nil
      }
      for binding in bindings.reversed() where binding.name == name && binding.order < limit {
        return .some(binding.known)
      }
      return nil
    }
  }

  /// A scope as seen from one place: the bindings made in it before `limit`.
  struct VisibleScope {
    let scope: Scope
    let limit: Int
  }

  let interpreter: Interpreter
  let bound: Set<String>
  let source: Source
  package var problems: [PQError] = []
  /// The problems already reported, by place and message, so that one reached again (through
  /// another call of the same function) is reported once.
  var reported: Set<String> = []
  /// The files `load` read at check time, by path (nil: not known).
  var files: [String: Value?] = [:]
  /// The largest file the checker reads for a `load` with a literal path: small enough to read
  /// while a file is typed.
  static let largestFileRead = 1 << 20
  /// The built-in figures read so far, by global and field (nil: not a figure).
  var known: [String: [String: Value?]] = [:]
  /// The scopes seen from here, innermost last: what each name is known to be, or nil for one
  /// that could hold anything.
  var scopes: [VisibleScope] = [VisibleScope(scope: Scope(), limit: Int.max)]
  /// How many bindings have been made: the order of the next.
  var order = 0
  /// The known value of each `let` binding, by the offset of its name (for hover).
  package var boundValues: [Int: Value] = [:]
  /// The calls being evaluated, innermost last: the function's name and where it was called.
  var callers: [(name: String, span: Span)] = []
  /// How many more calls of the document's functions may be evaluated: a bound on the work of
  /// functions that call each other many times.
  var callBudget = UnitChecker.largestCallCount
  /// The calls of the document's functions one check evaluates at most.
  static let largestCallCount = 2_000
  /// How many more statements evaluated calls may run, all calls together: a bound on the work
  /// of long functions called many times (a 3,000-line function called 2,000 times took 7 s).
  var stepBudget = UnitChecker.largestStepCount
  /// The statements all evaluated calls of one check run at most.
  static let largestStepCount = 100_000
  /// How deeply evaluated calls may nest.
  static let deepestCall = 32

  /// The built-ins the checker calls with known arguments: pure, and bounded by their arguments
  /// (which come from the source). Others (files, output, the clock, functions given functions)
  /// are unknown.
  static let pureBuiltins: Set<String> = [
    "ratio", "diff", "share", "pct_change", "per", "as_unit", "round", "floor", "ceil", "abs", "sqrt",
    "min", "max", "sum", "mean", "unit", "value",
  ]

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
        case .error(let declared): for name in declared { names.insert(name.name) }
        case .breakLoop, .continueLoop: break
        }
      }
    }
    walk(statements)
    return names
  }

  mutating func declare(_ name: String, _ value: Value?) {
    bind(name, value.map(Known.value))
  }

  mutating func declareFunction(_ name: String, _ function: FunctionSyntax) {
    // Seen from the function: what is bound so far, not itself.
    let defined = scopes.map { VisibleScope(scope: $0.scope, limit: min($0.limit, order)) }
    bind(name, .function(function, scopes: defined))
  }

  mutating func bind(_ name: String, _ known: Known?) {
    scopes[scopes.count - 1].scope.bind(name, order, known)
    order += 1
  }

  mutating func inScope<T>(_ names: [String] = [], _ body: (inout UnitChecker) -> T) -> T {
    scopes.append(VisibleScope(scope: Scope(), limit: Int.max))
    for name in names { bind(name, nil) }
    defer { scopes.removeLast() }
    return body(&self)
  }

  /// What a name holds where it is used: the innermost binding's meaning, or nil.
  func meaning(of name: String) -> Known? {
    for visible in scopes.reversed() {
      if let found = visible.scope.find(name, before: visible.limit) { return found }
    }
    return nil
  }

  /// The known value of a name where it is used, or nil.
  func lookUp(_ name: String) -> Value? {
    if case .value(let value)? = meaning(of: name) { return value }
    return nil
  }

  /// Adds a problem, once, with the calls it was reached through as running would note them.
  mutating func report(_ error: PQError) {
    var error = error
    if error.source == nil { error.source = source }
    // The calls it was reached through, innermost first, as running's trace has them.
    for caller in callers.reversed() {
      error.trace.append(TraceEntry(function: caller.name, source: source, span: caller.span))
    }
    // Once a place: the same failing operation reached through other calls is the same error
    // (running stops at the first), reported with the calls of the first.
    let key = "\(error.span?.start ?? -1):\(error.message)"
    guard reported.insert(key).inserted else { return }
    problems.append(error)
  }

  package mutating func check(_ statements: [Statement]) {
    _ = run(statements)
  }

  /// Checks statements in order and gives the value of the last when it is an expression (or a
  /// `return` of one) and known: the value of a block, a function's body, or a program.
  mutating func run(_ statements: [Statement]) -> Value? {
    var last: Value?
    for (index, statement) in statements.enumerated() {
      last = nil
      if !callers.isEmpty {
        // Inside an evaluated call, within the budget; past it the call's value is unknown.
        stepBudget -= 1
        if stepBudget < 0 { return nil }
      }
      let isLast = index == statements.count - 1
      switch statement.kind {
      case .expression(let expression):
        if isLast { last = value(of: expression) } else { visit(expression) }
      case .binding(let name, let nameSpan, let mutable, let value):
        if !mutable, case .function(let function) = value.kind {
          declareFunction(name, function)
          checkBody(function)
        } else {
          let known = self.value(of: value)
          if !mutable, let known, callers.isEmpty { boundValues[nameSpan.start] = known }
          declare(name, mutable ? nil : known)
        }
      case .function(let function):
        if let name = function.name { declareFunction(name, function) }
        checkBody(function)
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
        if let value {
          if isLast { last = self.value(of: value) } else { visit(value) }
        }
      case .importModule(let name, _, let alias, _):
        declare(alias ?? name, nil)
      case .breakLoop, .continueLoop:
        break
      case .error(let names):
        for name in names { declare(name.name, nil) }
      }
    }
    return last
  }

  /// Checks a function's body once with its parameters unknown (as it may be called with
  /// anything); not while evaluating a call, where its own call does that.
  mutating func checkBody(_ function: FunctionSyntax) {
    guard callers.isEmpty else { return }
    inScope(function.parameters.map(\.name)) { $0.check(function.body.statements) }
  }

  /// The value of a program's last expression statement when it is known before running (its
  /// unit is the result's): what `Interpreter.resultUnit(of:)` reports.
  mutating func result(of statements: [Statement]) -> Value? {
    guard let last = statements.last, case .expression = last.kind else {
      check(statements)
      return nil
    }
    return run(statements)
  }

  /// Visits every expression, evaluating the largest operations that are known.
  mutating func visit(_ expression: Expr) {
    switch expression.kind {
    case .function(let function):
      checkBody(function)
    case .block, .ifElse, .binary, .call, .field, .list, .record, .negate:
      _ = value(of: expression)
    default:
      for child in expression.children { visit(child) }
    }
  }

}
