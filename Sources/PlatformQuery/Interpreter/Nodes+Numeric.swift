/// Arithmetic and comparisons over plain numbers, computed as `Double`s without making a
/// `Value` per operation.
///
/// The resolver builds these for expressions made only of variable reads, number constants and
/// the operators `+ - * / mod` (and one comparison on top): `(s + i * 7) mod 1000003`, `n - 1`,
/// `i < 2`, `v + k`. Every such expression is pure — reading it twice gives the same result and
/// does nothing else — so the numeric path can give up at any point and let the expression's
/// ordinary nodes (`general`) evaluate it from the start, with exactly their results and errors.
/// It gives up by returning NaN, which pq never holds as a value (and were one to get in, the
/// ordinary nodes would answer for it): whenever an operand is not a plain number (a unit, a
/// source, text, nil) and whenever the ordinary path would report something (division by zero,
/// overflow).
///
/// Measured in bench/README.md (2026-12-01, night): with the numeric stores and range loops,
/// a million iterations of `loop` take 311M instructions instead of 421M; `loop` went from
/// 3.5× Lua's time to about 2×. `NumericPathTests` holds both paths to the same answers.
class NumericNode: Node {
  /// The same expression as ordinary nodes.
  let general: Node

  init(general: Node) {
    self.general = general
    super.init(span: general.span)
  }

  /// The expression's value, or NaN when the ordinary nodes must answer.
  func number(_ runtime: Runtime) -> Double {
    fatalError("number(_:) is abstract")
  }

  /// The number of `node`, which must be a `NumericNode`, called without retaining it (the
  /// caller holds it).
  @inline(__always)
  static func number(of node: Node, _ runtime: Runtime) -> Double {
    Unmanaged.passUnretained(unsafeDowncast(node, to: NumericNode.self))._withUnsafeGuaranteedRef {
      $0.number(runtime)
    }
  }

  override final func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let result = number(runtime)
    if !result.isNaN { return .number(result) }
    return try general.evaluate(runtime)
  }

  /// A numeric node for `node` when it is a variable read, a number constant, an element or field
  /// read on a variable (`xs[i]`, `r.k`, `rows[i].k`: `Nodes+NumericAccess.swift`), a call of a
  /// built-in with a numeric form (`sqrt(d2)`: `NumericCall`), or already numeric; nil otherwise.
  static func operand(_ node: Node) -> NumericNode? {
    switch node {
    case let numeric as NumericNode: return numeric
    case let local as LocalGetNode: return NumericLocal(local)
    case let global as GlobalGetNode: return NumericGlobal(global)
    case let captured as EnvironmentGetNode: return NumericCaptured(captured)
    case let constant as ConstantNode:
      guard let number = constant.number else { return nil }
      return NumericConstant(number, general: constant)
    case let binary as LocalConstantBinaryNode: return lift(binary.general) as? NumericNode
    case let binary as ConstantRightBinaryNode: return lift(binary.general) as? NumericNode
    case let call as CallNode: return NumericCall.make(call) ?? NumericLength.make(call)
    default: return access(node)
    }
  }

  /// The numeric form of a binary operation whose operands both have one; nil for anything else.
  static func lift(_ node: BinaryNode) -> Node? {
    guard let left = operand(node.left), let right = operand(node.right) else { return nil }
    switch node.op {
    case .add: return NumericAdd(left, right, general: node)
    case .subtract: return NumericSubtract(left, right, general: node)
    case .multiply: return NumericMultiply(left, right, general: node)
    case .divide: return NumericDivide(left, right, general: node)
    case .remainder: return NumericRemainder(left, right, general: node)
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
      return NumericComparison(node.op, left, right, general: node)
    default: return nil
    }
  }
}

/// A local slot that holds a plain number.
final class NumericLocal: NumericNode {
  let slot: Int

  init(_ node: LocalGetNode) {
    slot = node.slot
    super.init(general: node)
  }

  override func number(_ runtime: Runtime) -> Double {
    if case .number(let n) = runtime.localPointer(slot).pointee { return n }
    return .nan
  }
}

/// A global that holds a plain number.
final class NumericGlobal: NumericNode {
  let index: Int

  init(_ node: GlobalGetNode) {
    index = node.index
    super.init(general: node)
  }

  override func number(_ runtime: Runtime) -> Double {
    runtime.globals.number(index)
  }
}

/// A captured variable that holds a plain number.
final class NumericCaptured: NumericNode {
  let hops: Int
  let index: Int

  init(_ node: EnvironmentGetNode) {
    hops = node.hops
    index = node.index
    super.init(general: node)
  }

  override func number(_ runtime: Runtime) -> Double {
    // The environment is held by the chain the runtime holds for the whole read; reading it
    // unmanaged spares a retain and release.
    let environment = Unmanaged.passUnretained(runtime.environment(hops))
    return environment._withUnsafeGuaranteedRef { environment in
      if case .number(let n) = environment[index] { return n }
      return .nan
    }
  }
}

/// A number constant.
final class NumericConstant: NumericNode {
  let value: Double

  init(_ value: Double, general: Node) {
    self.value = value
    super.init(general: general)
  }

  override func number(_ runtime: Runtime) -> Double { value }
}

/// An operand of a numeric node as its parent reads it: a local, a global or a constant read
/// where it lies, anything else through its node. A call per operand cost more than the read:
/// besides the call itself, x86-64 keeps no floating-point register across a call, so every
/// number the parent had in hand was saved to memory and loaded again (bench/README.md, "ninth
/// session"). The parent keeps the node itself too, which keeps it alive.
struct NumericOperand {
  enum Kind: UInt8 {
    case local, global, constant, node
  }

  let kind: Kind
  /// The local's slot or the global's index.
  let slot: Int
  let constant: Double
  let node: Unmanaged<NumericNode>

  init(_ node: NumericNode) {
    self.node = Unmanaged.passUnretained(node)
    switch node {
    case let local as NumericLocal:
      (kind, slot, constant) = (.local, local.slot, 0)
    case let global as NumericGlobal:
      (kind, slot, constant) = (.global, global.index, 0)
    case let value as NumericConstant:
      (kind, slot, constant) = (.constant, 0, value.value)
    default:
      (kind, slot, constant) = (.node, 0, 0)
    }
  }

  /// The operand's number, or NaN (see `NumericNode.number`).
  @inline(__always)
  func number(_ runtime: Runtime) -> Double {
    switch kind {
    case .local: return runtime.localPointer(slot).pointee.plainNumber
    case .global: return runtime.globals.number(slot)
    case .constant: return constant
    case .node: return node._withUnsafeGuaranteedRef { $0.number(runtime) }
    }
  }
}

/// The operands of a numeric operator, read as `NumericOperand`s.
class NumericBinary: NumericNode {
  let left: NumericNode
  let right: NumericNode
  let leftOperand: NumericOperand
  let rightOperand: NumericOperand

  init(_ left: NumericNode, _ right: NumericNode, general: Node) {
    self.left = left
    self.right = right
    leftOperand = NumericOperand(left)
    rightOperand = NumericOperand(right)
    super.init(general: general)
  }
}

/// `a + b`, as `BinaryOperator.numbers` computes it; NaN propagates from either operand.
final class NumericAdd: NumericBinary {
  override func number(_ runtime: Runtime) -> Double {
    NumericArithmetic.add(leftOperand.number(runtime), rightOperand.number(runtime))
  }
}

/// `a - b`
final class NumericSubtract: NumericBinary {
  override func number(_ runtime: Runtime) -> Double {
    NumericArithmetic.subtract(leftOperand.number(runtime), rightOperand.number(runtime))
  }
}

/// `a * b`
final class NumericMultiply: NumericBinary {
  override func number(_ runtime: Runtime) -> Double {
    NumericArithmetic.multiply(leftOperand.number(runtime), rightOperand.number(runtime))
  }
}

/// `a / b`; division by zero is the ordinary path's error.
final class NumericDivide: NumericBinary {
  override func number(_ runtime: Runtime) -> Double {
    NumericArithmetic.divide(leftOperand.number(runtime), rightOperand.number(runtime))
  }
}

/// `a mod b`; `mod 0` is the ordinary path's error.
final class NumericRemainder: NumericBinary {
  /// A constant divisor that is a nonzero whole number within ±2^53 (`mod 1000003`), as an
  /// integer; else 0. A whole left operand is then divided as an integer with no check of the
  /// divisor (`loop`: 88 → 56 instructions for the `mod`, 275 → 243 a round).
  let integerDivisor: Int64

  override init(_ left: NumericNode, _ right: NumericNode, general: Node) {
    if let constant = right as? NumericConstant, constant.value != 0, abs(constant.value) < 9.0e15,
      constant.value == constant.value.rounded(.towardZero)
    {
      integerDivisor = Int64(constant.value)
    } else {
      integerDivisor = 0
    }
    super.init(left, right, general: general)
  }

  override func number(_ runtime: Runtime) -> Double {
    let x = leftOperand.number(runtime)
    // Within ±9e15 (NaN is not) the conversion cannot trap, and converting back tells whether
    // it was exact; the remainder cannot overflow (no operand is Int64.min).
    let divisor = integerDivisor
    if divisor != 0, abs(x) < 9.0e15 {
      let whole = Int64(x)
      if Double(whole) == x {
        return NumericArithmetic.wholeRemainder(whole, divisor)
      }
    }
    return NumericArithmetic.remainder(x, rightOperand.number(runtime))
  }
}

/// The arithmetic of the numeric nodes over two plain numbers, as `BinaryOperator.numbers`
/// computes it, or NaN where the ordinary path must answer (an operand NaN, a result that is
/// not finite, a division by zero). Shared by the operator nodes and the stores that combine a
/// place's number with another where it lies (`PlaceStoreNode`).
enum NumericArithmetic {
  @inline(__always)
  static func add(_ x: Double, _ y: Double) -> Double {
    let r = x + y
    if Arithmetic.isWhole(r) { return r }
    return r.isFinite ? Arithmetic.snapped(r, scale: Swift.max(abs(x), abs(y))) : .nan
  }

  @inline(__always)
  static func subtract(_ x: Double, _ y: Double) -> Double {
    let r = x - y
    if Arithmetic.isWhole(r) { return r }
    return r.isFinite ? Arithmetic.snapped(r, scale: Swift.max(abs(x), abs(y))) : .nan
  }

  @inline(__always)
  static func multiply(_ x: Double, _ y: Double) -> Double {
    let r = x * y
    return r.isFinite ? r : .nan
  }

  @inline(__always)
  static func divide(_ x: Double, _ y: Double) -> Double {
    guard y != 0 else { return .nan }
    let r = x / y
    return r.isFinite ? r : .nan
  }

  /// `x mod y`: whole operands within ±9e15 (`x mod y` in Euclid's loop) divide as integers.
  @inline(__always)
  static func remainder(_ x: Double, _ y: Double) -> Double {
    if abs(x) < 9.0e15, abs(y) < 9.0e15, y != 0 {
      let a = Int64(x)
      let b = Int64(y)
      if Double(a) == x, Double(b) == y {
        return wholeRemainder(a, b)
      }
    }
    // Past 2^53 (and for NaN) the ordinary path refuses it.
    guard y != 0, Arithmetic.remainderIsExact(x), !y.isNaN else { return .nan }
    return Arithmetic.remainder(x, y)
  }

  /// `a mod b` of two whole numbers, neither `Int64.min`, `b` not 0: the remainder takes the
  /// divisor's sign, as pq's `mod` does.
  @inline(__always)
  static func wholeRemainder(_ a: Int64, _ b: Int64) -> Double {
    let r = a.remainderReportingOverflow(dividingBy: b).partialValue
    return Double(r != 0 && (r < 0) != (b < 0) ? r + b : r)
  }

  /// `x op y` for the operators above; NaN for any other.
  @inline(__always)
  static func apply(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Double {
    switch op {
    case .add: return add(x, y)
    case .subtract: return subtract(x, y)
    case .multiply: return multiply(x, y)
    case .divide: return divide(x, y)
    case .remainder: return remainder(x, y)
    default: return .nan
    }
  }
}

/// `f(x)` where `f` is a global bearing the name of a built-in with a numeric form (`sqrt`,
/// `abs`, `floor`, `ceil`, `round`: `NativeFunction.numeric`) and `x` has a numeric form: the form
/// is applied to the number. The global is read on every call and must hold that very built-in;
/// anything else in it (a script's own `fn floor`), an argument that is no plain number, or a NaN
/// from the form (an error to report) leave the call to `general`. Like a built-in call, it
/// counts no step of its own: the loop around it does.
final class NumericCall: NumericNode {
  let globalIndex: Int
  let native: NativeFunction
  let form: (Double) -> Double
  let argument: NumericNode
  let argumentOperand: NumericOperand

  init(_ call: CallNode, native: NativeFunction, form: @escaping (Double) -> Double, argument: NumericNode) {
    globalIndex = call.globalIndex
    self.native = native
    self.form = form
    self.argument = argument
    argumentOperand = NumericOperand(argument)
    super.init(general: call)
  }

  /// The numeric call for `call`, or nil: a call of a global by name with one positional
  /// argument that has a numeric form, the global named as a built-in with a numeric form.
  static func make(_ call: CallNode) -> NumericCall? {
    guard call.globalIndex >= 0, !call.hasLabels, call.arguments.count == 1,
      let name = (call.callee as? GlobalGetNode)?.name,
      let native = Builtins.numbers.first(where: { $0.name == name }), let form = native.numeric,
      let argument = NumericNode.operand(call.arguments[0])
    else { return nil }
    return NumericCall(call, native: native, form: form, argument: argument)
  }

  override func number(_ runtime: Runtime) -> Double {
    let x = argumentOperand.number(runtime)
    guard !x.isNaN, runtime.globals.holds(native, at: globalIndex) else { return .nan }
    return form(x)
  }
}

/// `len(v)` of a local's or a global's list, text or record, counted where the value lies —
/// no copy of it, no argument list, no call: `while i < len(xs)`, `if len(word) > 4` (a loop
/// over 400,000 words spent a third of its time calling `len`). As `NumericCall`, the global
/// must still hold the built-in `len`; any other value (nil, a number: the call's error) leaves
/// the call to `general`.
final class NumericLength: NumericNode {
  let globalIndex: Int
  let native: NativeFunction
  /// The variable's slot as `NumericNode.slot(of:)` gives it.
  let baseSlot: Int

  init(_ call: CallNode, native: NativeFunction, baseSlot: Int) {
    globalIndex = call.globalIndex
    self.native = native
    self.baseSlot = baseSlot
    super.init(general: call)
  }

  /// The node for `call` when it is `len` of a variable, called by the name of the built-in.
  static func make(_ call: CallNode) -> NumericLength? {
    guard call.globalIndex >= 0, !call.hasLabels, call.arguments.count == 1,
      (call.callee as? GlobalGetNode)?.name == "len",
      let native = Builtins.collections.first(where: { $0.name == "len" }),
      let slot = NumericNode.slot(of: call.arguments[0])
    else { return nil }
    return NumericLength(call, native: native, baseSlot: slot)
  }

  override func number(_ runtime: Runtime) -> Double {
    guard runtime.globals.holds(native, at: globalIndex) else { return .nan }
    return runtime.valueSlot(baseSlot).pointee.length
  }
}

/// A comparison of two numeric operands: `i < n`, `n mod 2 == 0`.
final class NumericComparison: Node {
  let op: BinaryOperator
  let left: NumericNode
  let right: NumericNode
  /// The operands as read where this node, a `while` or an `if` runs.
  let reading: NumericTest
  let general: BinaryNode

  init(_ op: BinaryOperator, _ left: NumericNode, _ right: NumericNode, general: BinaryNode) {
    self.op = op
    self.left = left
    self.right = right
    reading = NumericTest(op: op, left: NumericOperand(left), right: NumericOperand(right))
    self.general = general
    super.init(span: general.span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    if let result = reading.holds(runtime) { return .bool(result) }
    return try general.evaluate(runtime)
  }

  override func test(_ runtime: Runtime) throws(PQError) -> Bool {
    if let result = reading.holds(runtime) { return result }
    return try general.test(runtime)
  }
}

/// A comparison of two numeric operands read where it is used: by its own node, and by the
/// `while` and `if` whose condition that node is (`WhileNode.comparison`, `IfNode.comparison`),
/// which compare without a call into it. The operands' nodes are kept alive by the comparison's
/// node.
struct NumericTest {
  let op: BinaryOperator
  let left: NumericOperand
  let right: NumericOperand

  /// The reading of `condition` when it is a comparison of numeric operands, else nil.
  static func of(_ condition: Node) -> NumericTest? {
    (condition as? NumericComparison)?.reading
  }

  /// The truth of the comparison, or nil when either operand is NaN (not a plain number, or an
  /// error to report): the ordinary nodes answer then.
  @inline(__always)
  func holds(_ runtime: Runtime) -> Bool? {
    let x = left.number(runtime)
    let y = right.number(runtime)
    guard !x.isNaN, !y.isNaN else { return nil }
    return op.compare(x, y)
  }
}
