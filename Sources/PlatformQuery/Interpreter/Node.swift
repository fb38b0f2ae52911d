/// A node of the resolved tree, which the interpreter runs. Names are already slots; each
/// subclass evaluates one construct.
class Node {
  let span: Span

  init(span: Span) {
    self.span = span
  }

  /// Evaluates the node. Statements return `nil`; control flow goes through `Runtime.flow`.
  func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    fatalError("evaluate(_:) is abstract")
  }

  /// Runs the node as a statement whose value nobody reads (a loop body's, a statement block's).
  /// Statements override it — their `evaluate` runs it and returns nil — so that running them
  /// makes and destroys no value.
  func execute(_ runtime: Runtime) throws(PQError) {
    _ = try evaluate(runtime)
  }

  /// Evaluates the node as a condition (`if`, `while`, `and`, `or`, `not`): whether its value is
  /// truthy. Comparisons override it to answer without making a `.bool` value.
  func test(_ runtime: Runtime) throws(PQError) -> Bool {
    try evaluate(runtime).isTruthy
  }

  /// How the node was written, for diagnostics that name the operand (e.g. `truth.suspended_accounts`).
  var fieldPath: (base: Node, field: String)? { nil }
}

/// A statement: a node whose work is `execute` and whose value is nil (stores, loops,
/// `return`). Its `evaluate` runs `execute`.
class StatementNode: Node {
  override final func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    try execute(runtime)
    return .nil
  }
}

/// A literal or precomputed value.
final class ConstantNode: Node {
  let value: Value
  /// The number of a plain-number constant: returning `.number(n)` avoids a generic enum copy.
  let number: Double?
  /// 0 or 1 for `false` or `true`, 2 for `nil`, else -1: also returned without the generic copy.
  let truth: Int8

  init(_ value: Value, span: Span) {
    self.value = value
    if case .number(let n) = value { number = n } else { number = nil }
    switch value {
    case .bool(let b): truth = b ? 1 : 0
    case .nil: truth = 2
    default: truth = -1
    }
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    if let number { return .number(number) }
    if truth >= 0 { return truth == 2 ? .nil : .bool(truth == 1) }
    return value
  }

  override func test(_ runtime: Runtime) throws(PQError) -> Bool {
    if truth >= 0 { return truth == 1 }
    return value.isTruthy
  }
}

/// Reads a local slot of the current frame.
final class LocalGetNode: Node {
  let slot: Int

  init(slot: Int, span: Span) {
    self.slot = slot
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let pointer = runtime.localPointer(slot)
    // Plain numbers are rebuilt rather than copied: a copy of the enum goes through its
    // generic value witness, several times slower.
    if case .number(let n) = pointer.pointee { return .number(n) }
    return pointer.pointee
  }
}

/// Writes a local slot of the current frame.
final class LocalSetNode: StatementNode {
  let slot: Int
  let value: Node

  /// Whether `value` is a `NumericNode`, whose number is stored without making a `Value`.
  let isNumeric: Bool

  init(slot: Int, value: Node, span: Span) {
    self.slot = slot
    self.value = value
    isNumeric = value is NumericNode
    super.init(span: span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    if isNumeric {
      let number = NumericNode.number(of: value, runtime)
      if !number.isNaN {
        runtime.localPointer(slot).storeNumber(number)
        return
      }
    }
    let result = try value.evaluate(runtime)
    runtime.setLocal(slot, result)
  }
}

/// Reads a captured variable from the environment chain.
final class EnvironmentGetNode: Node {
  let hops: Int
  let index: Int

  init(hops: Int, index: Int, span: Span) {
    self.hops = hops
    self.index = index
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    // The current environment is held by the runtime for the whole read; reading it unmanaged
    // spares a retain and release of it.
    if hops == 0 {
      return Unmanaged.passUnretained(runtime.env.unsafelyUnwrapped)._withUnsafeGuaranteedRef { $0[index] }
    }
    return runtime.environment(hops)[index]
  }
}

/// Writes a captured variable in the environment chain.
final class EnvironmentSetNode: StatementNode {
  let hops: Int
  let index: Int
  let value: Node

  init(hops: Int, index: Int, value: Node, span: Span) {
    self.hops = hops
    self.index = index
    self.value = value
    super.init(span: span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    let result = try value.evaluate(runtime)
    runtime.environment(hops)[index] = result
  }
}

/// Reads a global.
final class GlobalGetNode: Node {
  let index: Int
  let name: String

  init(index: Int, name: String, span: Span) {
    self.index = index
    self.name = name
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    runtime.globals.read(index)
  }
}

/// Writes a global.
final class GlobalSetNode: StatementNode {
  let index: Int
  let value: Node

  /// Whether `value` is a `NumericNode` (see `LocalSetNode`).
  let isNumeric: Bool

  init(index: Int, value: Node, span: Span) {
    self.index = index
    self.value = value
    isNumeric = value is NumericNode
    super.init(span: span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    if isNumeric {
      let number = NumericNode.number(of: value, runtime)
      if !number.isNaN {
        runtime.globals.storeNumber(number, at: index)
        return
      }
    }
    let result = try value.evaluate(runtime)
    runtime.globals[index] = result
  }
}

extension UnsafeMutablePointer where Pointee == Value {
  /// Stores `value`, which must hold no reference (nil, a bool or a plain number), over a value
  /// that may: the old value is released only when it holds one.
  @inline(__always)
  func storeScalar(_ value: Value) {
    // The new value is written before the old one is looked at: a store that waited for the
    // old value's tag (a cache miss in a long list) stalled the sieve's marking loop.
    let old = move()
    initialize(to: value)
    switch consume old {
    case .nil, .bool, .number: break
    default: break  // released here
    }
  }

  /// Stores a plain number. Over a plain number the old value needs no destroying, and writing
  /// it as new memory skips the generic destroy of the enum.
  @inline(__always)
  func storeNumber(_ number: Double) {
    if case .number = pointee {
      initialize(to: .number(number))
    } else {
      pointee = .number(number)
    }
  }
}

extension Runtime {
  /// The environment `hops` levels up the chain. The resolver guarantees it exists.
  @inline(__always)
  func environment(_ hops: Int) -> Environment {
    var current = env.unsafelyUnwrapped
    var remaining = hops
    while remaining > 0 {
      current = current.parent.unsafelyUnwrapped
      remaining -= 1
    }
    return current
  }
}

/// `[a, b, c]`
final class ListNode: Node {
  let elements: [Node]
  let unownedElements: UnownedNodes

  init(_ elements: [Node], span: Span) {
    self.elements = elements
    self.unownedElements = UnownedNodes(elements)
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let items = try unownedElements.evaluateAll(runtime)
    try runtime.charge(Runtime.containerBytes(items.count), span)
    return .list(items)
  }
}

/// `{name: a, mau: b}`; the shape is built once and shared by every record this node makes.
final class RecordNode: Node {
  let shape: Shape
  let fields: [Node]
  let unownedFields: UnownedNodes

  init(shape: Shape, fields: [Node], span: Span) {
    self.shape = shape
    self.fields = fields
    self.unownedFields = UnownedNodes(fields)
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let values = try unownedFields.evaluateAll(runtime)
    // The record object and its values (the shape is shared by every record this node makes).
    try runtime.charge(Runtime.containerBytes(values.count) &+ 48, span)
    return .record(Record(shape: shape, values: values))
  }
}

/// `"text \(expression) text"`. The parts are written as UTF-8 bytes into a buffer the runtime
/// keeps between evaluations (`TextBuffer`), whole numbers as digits straight into it, and the
/// text made once at the end: appending each part to a `String` went through the small-string and growth paths of
/// `String` for every part (`string_build`, bench/README.md "seventh session").
final class InterpolationNode: Node {
  enum Part {
    case text(String)
    case code(Node)
  }

  /// The literal text of every part, in order, as one run of bytes.
  let literal: [UInt8]
  /// For each code part, where in `literal` the text before it ends.
  let breaks: [Int]
  /// The code parts, owned here and read unretained.
  let code: [Node]
  let unownedCode: UnownedNodes

  init(_ parts: [Part], span: Span) {
    var literal: [UInt8] = []
    var breaks: [Int] = []
    var code: [Node] = []
    for part in parts {
      switch part {
      case .text(let text): literal.append(contentsOf: text.utf8)
      case .code(let node):
        breaks.append(literal.count)
        code.append(node)
      }
    }
    self.literal = literal
    self.breaks = breaks
    self.code = code
    self.unownedCode = UnownedNodes(code)
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let buffer = runtime.textBuffer
    let start = buffer.count
    do {
      var written = 0
      for index in 0..<breaks.count {
        let end = breaks[index]
        if end > written {
          literal.withUnsafeBufferPointer { buffer.append(UnsafeBufferPointer(rebasing: $0[written..<end])) }
          written = end
          try runtime.checkSize(buffer.count - start, span, what: .bytes)
        }
        let value = try unownedCode.evaluate(index, runtime)
        switch value {
        case .number(let number): buffer.append(plain: number)
        case .string(let text):
          try runtime.reserveText(of: value, span)
          buffer.append(text)
        default:
          try runtime.reserveText(of: value, span)
          buffer.append(value.text)
        }
        try runtime.checkSize(buffer.count - start, span, what: .bytes)
      }
      if literal.count > written {
        literal.withUnsafeBufferPointer { buffer.append(UnsafeBufferPointer(rebasing: $0[written...])) }
        try runtime.checkSize(buffer.count - start, span, what: .bytes)
      }
    } catch {
      buffer.cut(to: start)
      throw error
    }
    return .string(buffer.text(from: start))
  }
}

/// `fn(params) { body }`: captures the current environment.
final class ClosureNode: Node {
  let prototype: FunctionPrototype

  init(_ prototype: FunctionPrototype, span: Span) {
    self.prototype = prototype
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    // The function, and the environment it keeps alive (charged again by each closure that
    // captures it: a little more than is made, never less).
    let captured = runtime.env
    try runtime.charge(
      Runtime.closureBytes &+ (captured.map { Runtime.environmentBytes($0.header.count) } ?? 0), span)
    return .function(Function(prototype: prototype, environment: captured))
  }
}

/// Everything a call needs to run a pq function.
final class FunctionPrototype {
  let name: String
  let parameterCount: Int
  /// Parameters captured by inner closures: (parameter index, environment index).
  let capturedParameters: [(parameter: Int, slot: Int)]
  let frameSize: Int
  let environmentSize: Int
  let body: Node
  let source: Source
  let span: Span

  init(
    name: String, parameterCount: Int, capturedParameters: [(Int, Int)], frameSize: Int, environmentSize: Int,
    body: Node, source: Source, span: Span
  ) {
    self.name = name
    self.parameterCount = parameterCount
    self.capturedParameters = capturedParameters.map { (parameter: $0.0, slot: $0.1) }
    self.frameSize = frameSize
    self.environmentSize = environmentSize
    self.body = body
    self.source = source
    self.span = span
  }

  /// What a native `Function` holds in place of a prototype; never run. `nonisolated(unsafe)`:
  /// a prototype is a class with mutable caches, but this one is never run, so nothing ever
  /// changes it, and every interpreter may share it.
  nonisolated(unsafe) static let native = FunctionPrototype(
    name: "<native>", parameterCount: 0, capturedParameters: [], frameSize: 0, environmentSize: 0,
    body: ConstantNode(.nil, span: Span(start: 0, end: 0)), source: Source(name: "<native>", text: ""),
    span: Span(start: 0, end: 0))
}

extension Unmanaged where Instance == Node {
  /// Runs a node held elsewhere as a statement, without retaining it for the call.
  @inline(__always)
  func execute(_ runtime: Runtime) throws(PQError) {
    var failure: PQError?
    _withUnsafeGuaranteedRef { node in
      do throws(PQError) {
        try node.execute(runtime)
      } catch {
        failure = error
      }
    }
    if let failure { throw failure }
  }

  /// Evaluates a node held elsewhere, without retaining it for the call.
  @inline(__always)
  func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    var failure: PQError?
    let result = _withUnsafeGuaranteedRef { node -> Value in
      do throws(PQError) {
        return try node.evaluate(runtime)
      } catch {
        failure = error
        return .nil
      }
    }
    if let failure { throw failure }
    return result
  }
}

/// Child nodes read without ownership: the node that holds an `UnownedNodes` also keeps the
/// same children in an ordinary array, which keeps them alive; reading them through here costs
/// no retain and release per visit (an element read from an array of class references is
/// retained). Used where a node runs its children on the hot path: blocks, calls, list and
/// record literals.
struct UnownedNodes {
  private let nodes: [Unmanaged<Node>]

  init(_ nodes: [Node]) { self.nodes = nodes.map { Unmanaged.passUnretained($0) } }

  var count: Int { nodes.count }

  /// Evaluates child `index`.
  @inline(__always)
  func evaluate(_ index: Int, _ runtime: Runtime) throws(PQError) -> Value {
    try nodes[index].evaluate(runtime)
  }

  /// Runs child `index` as a statement (`Node.execute`).
  @inline(__always)
  func execute(_ index: Int, _ runtime: Runtime) throws(PQError) {
    try nodes[index].execute(runtime)
  }

  /// Evaluates every child in order into a new array. Short lists are made as array literals,
  /// which allocate at their size directly; `reserveCapacity` on an empty array costs more.
  @inline(__always)
  func evaluateAll(_ runtime: Runtime) throws(PQError) -> [Value] {
    switch count {
    case 0: return []
    case 1: return [try evaluate(0, runtime)]
    case 2:
      let first = try evaluate(0, runtime)
      return [first, try evaluate(1, runtime)]
    case 3:
      let first = try evaluate(0, runtime)
      let second = try evaluate(1, runtime)
      return [first, second, try evaluate(2, runtime)]
    default: break
    }
    var values: [Value] = []
    values.reserveCapacity(count)
    for index in 0..<count { values.append(try evaluate(index, runtime)) }
    return values
  }
}
