/// `a op b` for arithmetic and comparison operators, with a fast path for plain numbers.
final class BinaryNode: Node {
  let op: BinaryOperator
  let left: Node
  let right: Node
  let operatorSpan: Span

  init(_ op: BinaryOperator, _ left: Node, _ right: Node, operatorSpan: Span, span: Span) {
    self.op = op
    self.left = left
    self.right = right
    self.operatorSpan = operatorSpan
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let a = try left.evaluate(runtime)
    let b = try right.evaluate(runtime)
    if case .number(let x) = a, case .number(let y) = b, let result = op.numbers(x, y) { return result }
    return try general(a, b, runtime)
  }

  override func test(_ runtime: Runtime) throws(PQError) -> Bool {
    let a = try left.evaluate(runtime)
    let b = try right.evaluate(runtime)
    if case .number(let x) = a, case .number(let y) = b, let result = op.compare(x, y) { return result }
    return try general(a, b, runtime).isTruthy
  }

  /// Every case the plain-number paths do not answer: units, provenance, strings, lists, errors.
  func general(_ a: Value, _ b: Value, _ runtime: Runtime) throws(PQError) -> Value {
    // A string or list made by `+` is charged before it is made; comparing two lists is work
    // in proportion to their lengths, counted so the deadline is checked.
    switch (a, b) {
    case (.string(let x), .string(let y)) where op == .add:
      try runtime.reserve(x.utf8.count &+ y.utf8.count, operatorSpan, what: .bytes)
    case (.list(let x), .list(let y)) where op == .add:
      try runtime.reserve(x.count &+ y.count, operatorSpan)
    case (.list(let x), .list(let y)):
      runtime.steps &+= Swift.min(x.count, y.count)
      if runtime.steps >= runtime.checkpoint { try runtime.checkLimits(operatorSpan) }
      if op == .equal || op == .notEqual { return .bool(try equalCounted(a, b, runtime) == (op == .equal)) }
    case (.record, .record) where op == .equal || op == .notEqual:
      return .bool(try equalCounted(a, b, runtime) == (op == .equal))
    default: break
    }
    let result: Value
    do {
      result = try Arithmetic.apply(op, a, b)
    } catch {
      throw annotate(error, a, b, runtime)
    }
    switch result {
    case .string(let text): try runtime.checkSize(text.utf8.count, operatorSpan, what: .bytes)
    case .list(let items): try runtime.checkSize(items.count, operatorSpan)
    default: break
    }
    return result
  }

  /// Equality of two lists or records, its work counted as steps as it goes (a value built of
  /// itself is exponentially large as a tree: the limits must be able to stop the walk).
  func equalCounted(_ a: Value, _ b: Value, _ runtime: Runtime) throws(PQError) -> Bool {
    let span = operatorSpan
    do {
      return try Arithmetic.equalNested(a, b) { (work: Int) throws(PQError) in
        runtime.steps &+= work
        if runtime.steps >= runtime.checkpoint { try runtime.checkLimits(span) }
      }
    } catch {
      throw error.kind == .limit ? error : annotate(error, a, b, runtime)
    }
  }

  /// Points the error at the operator and, when an operand is a platform metric the article
  /// gives no figure for, says so.
  func annotate(_ error: PQError, _ a: Value, _ b: Value, _ runtime: Runtime) -> PQError {
    var error = error
    error.span = operatorSpan
    for (value, node) in [(a, left), (b, right)] {
      guard case .nil = value, let note = MissingFigure.note(for: node, runtime) else { continue }
      error.message = note.message
      error.span = node.span
      error.notes = note.notes
      break
    }
    return error
  }
}

/// `n - 1`, `i < 2`: a local read against a number constant, the commonest binary operation in
/// loops and recursive functions, done without evaluating either operand as a node. Anything but
/// a plain number in the slot goes through the general node, which gives the same results and
/// errors.
final class LocalConstantBinaryNode: Node {
  let op: BinaryOperator
  let slot: Int
  let constant: Double
  let general: BinaryNode

  init(_ general: BinaryNode, slot: Int, constant: Double) {
    self.op = general.op
    self.slot = slot
    self.constant = constant
    self.general = general
    super.init(span: general.span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    if case .number(let x) = runtime.localPointer(slot).pointee, let result = op.numbers(x, constant) {
      return result
    }
    return try general.evaluate(runtime)
  }

  override func test(_ runtime: Runtime) throws(PQError) -> Bool {
    if case .number(let x) = runtime.localPointer(slot).pointee, let result = op.compare(x, constant) {
      return result
    }
    return try general.test(runtime)
  }
}

/// `expression op constant` (`(s + f(1)) mod 1000003`, `r.revenue / 1000`): the constant is
/// used directly instead of being evaluated as a node; anything but a plain number on the left
/// takes the general node's path, with the same results and errors.
final class ConstantRightBinaryNode: Node {
  let op: BinaryOperator
  let left: Node
  let constant: Double
  let general: BinaryNode

  init(_ general: BinaryNode, constant: Double) {
    self.op = general.op
    self.left = general.left
    self.constant = constant
    self.general = general
    super.init(span: general.span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let a = try left.evaluate(runtime)
    if case .number(let x) = a, let result = op.numbers(x, constant) { return result }
    return try general.general(a, .number(constant), runtime)
  }

  override func test(_ runtime: Runtime) throws(PQError) -> Bool {
    let a = try left.evaluate(runtime)
    if case .number(let x) = a, let result = op.compare(x, constant) { return result }
    return try general.general(a, .number(constant), runtime).isTruthy
  }
}

extension BinaryOperator {
  /// The result for two plain numbers, or nil when the general path must decide (division by
  /// zero, `and`-like operators, anything that is not arithmetic or comparison).
  @inline(__always)
  func numbers(_ x: Double, _ y: Double) -> Value? {
    switch self {
    // A result beyond a double's range goes to the general path, which reports it.
    // A whole, finite sum is final; a fractional one is made decimal (`Arithmetic.decimal`);
    // an infinite one goes to the general path, which reports the overflow.
    case .add:
      let r = x + y
      if Arithmetic.isWhole(r) { return .number(r) }
      return r.isFinite ? .number(Arithmetic.snapped(r, scale: Swift.max(abs(x), abs(y)))) : nil
    case .subtract:
      let r = x - y
      if Arithmetic.isWhole(r) { return .number(r) }
      return r.isFinite ? .number(Arithmetic.snapped(r, scale: Swift.max(abs(x), abs(y)))) : nil
    case .multiply:
      let r = x * y
      return r.isFinite ? .number(r) : nil
    case .less: return .bool(x < y && !Arithmetic.same(x, y))
    case .lessEqual: return .bool(x <= y || Arithmetic.same(x, y))
    case .greater: return .bool(x > y && !Arithmetic.same(x, y))
    case .greaterEqual: return .bool(x >= y || Arithmetic.same(x, y))
    case .equal: return .bool(Arithmetic.same(x, y))
    case .notEqual: return .bool(!Arithmetic.same(x, y))
    case .divide where y != 0:
      let r = x / y
      return r.isFinite ? .number(r) : nil
    case .remainder where y != 0 && Arithmetic.remainderIsExact(x): return .number(Arithmetic.remainder(x, y))
    default: return nil
    }
  }

  /// The truth of a comparison of two plain numbers; nil for an operator that is not one.
  @inline(__always)
  func compare(_ x: Double, _ y: Double) -> Bool? {
    switch self {
    // Numbers that agree to 15 significant digits are equal (see `Arithmetic.same`).
    case .less: return x < y && !Arithmetic.same(x, y)
    case .lessEqual: return x <= y || Arithmetic.same(x, y)
    case .greater: return x > y && !Arithmetic.same(x, y)
    case .greaterEqual: return x >= y || Arithmetic.same(x, y)
    case .equal: return Arithmetic.same(x, y)
    case .notEqual: return !Arithmetic.same(x, y)
    default: return nil
    }
  }
}

/// Explains a `nil` that came from a platform's metric field.
enum MissingFigure {
  /// The note for a nil that `node` gave, when it was a platform's metric: computed when the
  /// error is raised, from the runtime's record of the latest nil field read.
  static func note(for node: Node, _ runtime: Runtime) -> (message: String, notes: [String])? {
    guard let field = node as? FieldNode,
      let entry = runtime.nilFields.last(where: { $0.node == ObjectIdentifier(field) }),
      let owner = entry.platform
    else { return nil }
    let what = Metric.named(field.name).map { " (\($0.definition))" } ?? ""
    return (
      "\(entry.source) gives no figure for \(possessive(owner)) \(field.name)\(what)",
      ["the value is nil; test with 'p.\(field.name) != nil', or use get(p, \"\(field.name)\", default)"]
    )
  }
}

/// `Truth Social's`, `Threads'`.
func possessive(_ name: String) -> String {
  name.hasSuffix("s") ? name + "'" : name + "'s"
}

/// `-a`
final class NegateNode: Node {
  let operand: Node

  init(_ operand: Node, span: Span) {
    self.operand = operand
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let value = try operand.evaluate(runtime)
    switch value {
    case .number(let n): return .number(-n)
    case .quantity(let n, let measure):
      let provenance = measure.provenance.map {
        Provenance.combine(
          "-" + ($0.precedence < 4 ? "(\($0.expression))" : $0.expression), precedence: 4, [$0])
      }
      return Value.make(-n, measure.unit, provenance ?? nil, margin: measure.margin)
    default:
      if case .nil = value, let note = MissingFigure.note(for: operand, runtime) {
        throw PQError(.runtime, note.message, span: operand.span, notes: note.notes)
      }
      throw PQError(.runtime, "cannot negate \(Arithmetic.describe(value))", span: span)
    }
  }
}

/// `not a`
final class NotNode: Node {
  let operand: Node

  init(_ operand: Node, span: Span) {
    self.operand = operand
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    .bool(!(try operand.test(runtime)))
  }

  override func test(_ runtime: Runtime) throws(PQError) -> Bool {
    !(try operand.test(runtime))
  }
}

/// `a and b`: `b` only when `a` is truthy; the value is the operand that decided.
final class AndNode: Node {
  let left: Node
  let right: Node

  init(_ left: Node, _ right: Node, span: Span) {
    self.left = left
    self.right = right
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let a = try left.evaluate(runtime)
    return a.isTruthy ? try right.evaluate(runtime) : a
  }

  override func test(_ runtime: Runtime) throws(PQError) -> Bool {
    guard try left.test(runtime) else { return false }
    return try right.test(runtime)
  }
}

/// `a or b`: `b` only when `a` is falsy; the value is the operand that decided.
final class OrNode: Node {
  let left: Node
  let right: Node

  init(_ left: Node, _ right: Node, span: Span) {
    self.left = left
    self.right = right
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let a = try left.evaluate(runtime)
    return a.isTruthy ? a : try right.evaluate(runtime)
  }

  override func test(_ runtime: Runtime) throws(PQError) -> Bool {
    if try left.test(runtime) { return true }
    return try right.test(runtime)
  }
}

/// `v == nil`, `v != nil` (either side): whether the value is nil, which is all equality with
/// nil asks (nothing else equals nil), without the general equality (`tree.left == nil` in a
/// recursive walk). `NilTestTests` holds it to `BinaryNode`'s answers.
final class NilTestNode: Node {
  let operand: Node
  let negated: Bool

  init(_ operand: Node, negated: Bool, span: Span) {
    self.operand = operand
    self.negated = negated
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    .bool(try test(runtime))
  }

  override func test(_ runtime: Runtime) throws(PQError) -> Bool {
    let value = try operand.evaluate(runtime)
    if case .nil = value { return !negated }
    return negated
  }
}

/// `value ± margin` (also `+-`): the value with a margin of error (`Margin.attach`); with
/// `interval`, `low..high`: the midpoint with half the width (`Margin.interval`).
final class MarginNode: Node {
  let value: Node
  let margin: Node
  let interval: Bool
  let operatorSpan: Span

  init(_ value: Node, _ margin: Node, interval: Bool = false, operatorSpan: Span, span: Span) {
    self.value = value
    self.margin = margin
    self.interval = interval
    self.operatorSpan = operatorSpan
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let number = try value.evaluate(runtime)
    let width = try margin.evaluate(runtime)
    do {
      if interval { return try Margin.interval(number, width) }
      return try Margin.attach(width, to: number)
    } catch {
      var error = error
      error.span = operatorSpan
      throw error
    }
  }
}
