/// The expressions the unit checker knows the value of, and the calls it evaluates.
extension UnitChecker {
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
    case .string(let text):
      return .string(text)
    case .boolean(let flag):
      return .bool(flag)
    case .name(let name):
      return lookUp(name)
    case .field(let base, let field, _):
      if case .name(let name) = base.kind, !bound.contains(name) {
        if let cached = known[name]?[field] { return cached }
        var found: Value?
        if let value = interpreter.value(atPath: "\(name).\(field)"), case .quantity = value { found = value }
        known[name, default: [:]][field] = .some(found)
        return found
      }
      // A field of a record the document made of known values.
      guard case .record(let record)? = value(of: base) else { return nil }
      return record[field]
    case .list(let items):
      var values: [Value] = []
      var allKnown = true
      for item in items {
        if let value = value(of: item) { values.append(value) } else { allKnown = false }
      }
      return allKnown ? .list(values) : nil
    case .record(let fields):
      var pairs: [(String, Value)] = []
      var allKnown = true
      for field in fields {
        if let value = value(of: field.value) { pairs.append((field.key, value)) } else { allKnown = false }
      }
      guard allKnown, Set(pairs.map(\.0)).count == pairs.count else { return nil }
      return .record(Record(pairs))
    case .negate(let operand):
      guard let known = value(of: operand), known.numericValue != nil else { return nil }
      return try? Arithmetic.apply(.multiply, .number(-1), known)
    case .binary(let op, let left, let right, let operatorSpan):
      let a = value(of: left)
      let b = value(of: right)
      // `±` and `..` make a margin (running's `MarginNode`, not `Arithmetic`): unknown here.
      guard let a, let b, op != .margin, op != .interval else { return nil }
      do {
        return try Arithmetic.apply(op, a, b)
      } catch {
        var error = error
        error.span = operatorSpan
        report(error)
        return nil
      }
    case .block(let block):
      return inScope { $0.run(block.statements) }
    case .ifElse(let condition, let then, let otherwise):
      let test = value(of: condition)
      let taken = inScope { $0.run(then.statements) }
      // Without `else`, a condition that fails gives nil.
      let other: Value? = otherwise.map { value(of: $0) } ?? .nil
      switch test {
      case .bool(true)?: return taken
      case .bool(false)?: return other
      default:
        // Either branch may run: known only when both give the same value.
        guard let taken, let other, taken.hasSameNumber(as: other), taken.unit == other.unit else {
          return nil
        }
        return taken
      }
    case .call(let callee, let arguments):
      return call(callee, arguments, span: expression.span)
    case .index(let base, let index):
      // An element of a known list, a field of a known record by its key.
      let container = value(of: base)
      let key = value(of: index)
      switch (container, key) {
      case (.list(let items)?, .number(let number)?):
        guard let position = Int(exactly: number), position >= 0, position < items.count else { return nil }
        return items[position]
      case (.record(let record)?, .string(let field)?):
        return record[field]
      default:
        return nil
      }
    default:
      visit(expression)
      return nil
    }
  }

  /// A call whose value is known: a function of the document called with known arguments, or a
  /// pure built-in. Every argument is checked either way.
  mutating func call(_ callee: Expr, _ arguments: [Argument], span: Span) -> Value? {
    var values: [Value] = []
    var allKnown = true
    for argument in arguments {
      if let value = value(of: argument.value) { values.append(value) } else { allKnown = false }
    }
    guard case .name(let name) = callee.kind else {
      visit(callee)
      return nil
    }
    // Named arguments are left to running.
    guard allKnown, arguments.allSatisfy({ $0.label == nil }) else { return nil }
    switch meaning(of: name) {
    case .function(let function, let defined)?:
      return evaluate(function, named: name, defined: defined, with: values, at: span)
    case .some:
      return nil
    case nil:
      guard !bound.contains(name), case .function? = interpreter[name] else { return nil }
      if name == "load", values.count == 1, case .string(let path) = values[0] {
        return loaded(path)
      }
      guard UnitChecker.pureBuiltins.contains(name) else { return nil }
      return callBuiltin(name, values, arguments, at: span)
    }
  }

  /// The figures of `load("path")` with a literal path, read at check time as running reads them
  /// (the interpreter's file access holds; a data package beside the file applies) when the file
  /// is there and small enough to read while typing. Anything else — no file yet (a script may
  /// write it first), a refused path, a file that does not load — is unknown, never an error.
  mutating func loaded(_ path: String) -> Value? {
    if let cached = files[path] { return cached }
    var found: Value?
    if (try? FileSystem.read(path, limit: UnitChecker.largestFileRead)) != nil, let load = interpreter["load"]
    {
      found = try? interpreter.call(load, [.string(path)])
    }
    files[path] = .some(found)
    return found
  }

  /// The value of a call of the document's function `function` with known arguments: its body
  /// run in the scopes it was defined in, its parameters bound to the arguments. Problems found
  /// are noted as running notes them ("in f, called from …").
  mutating func evaluate(
    _ function: FunctionSyntax, named name: String, defined: [VisibleScope], with values: [Value],
    at span: Span
  ) -> Value? {
    guard values.count == function.parameters.count, callBudget > 0, stepBudget > 0,
      callers.count < UnitChecker.deepestCall
    else { return nil }
    callBudget -= 1
    let caller = scopes
    scopes = defined + [VisibleScope(scope: Scope(), limit: Int.max)]
    for (parameter, value) in zip(function.parameters, values) { bind(parameter.name, .value(value)) }
    // Named as running names it in a trace: a function literal bound by `let` is anonymous.
    callers.append((function.name ?? "<anonymous>", span))
    let result = run(function.body.statements)
    callers.removeLast()
    scopes = caller
    return result
  }

  /// A pure built-in called with known arguments, as running calls it; its error is reported
  /// where running reports it (at the argument it is about, else at the call).
  mutating func callBuiltin(_ name: String, _ values: [Value], _ arguments: [Argument], at span: Span)
    -> Value?
  {
    guard let function = interpreter[name] else { return nil }
    do {
      return try interpreter.call(function, values)
    } catch {
      // A limit (the deadline, a cancellation) says nothing about the formula.
      guard error.kind != .limit else { return nil }
      var error = error
      if let index = error.argumentIndex, index < arguments.count {
        error.span = arguments[index].value.span
      } else {
        error.span = span
      }
      error.source = source
      report(error)
      return nil
    }
  }
}
