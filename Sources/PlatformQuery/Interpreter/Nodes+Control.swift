/// `{ statements }`. Its value is the last statement's. A block that declares captured variables
/// gets a fresh environment each time it runs (so each loop iteration's closures see their own).
final class BlockNode: Node {
  let statements: [Node]
  let unownedStatements: UnownedNodes
  let environmentSize: Int
  /// True when the block is a statement, a loop body or a function body, where `return`,
  /// `break` and `continue` travel as `Runtime.flow`; false inside an expression, where they
  /// travel as a thrown control signal up to the nearest statement block.
  let isStatementPosition: Bool

  /// How `execute` runs the statements of a block in statement position without captured
  /// variables (`if` and `else` branches): numeric stores directly, as a loop runs its body.
  let plan: LoopBody

  init(_ statements: [Node], environmentSize: Int, isStatementPosition: Bool, span: Span) {
    self.statements = statements
    self.unownedStatements = UnownedNodes(statements)
    self.environmentSize = environmentSize
    self.isStatementPosition = isStatementPosition
    plan = LoopBody(statements)
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    if environmentSize == 0 { return try evaluateStatements(runtime) }
    let saved = runtime.env
    runtime.env = Environment.make(parent: saved, size: environmentSize)
    defer { runtime.env = saved }
    return try evaluateStatements(runtime)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    if environmentSize == 0 {
      if isStatementPosition {
        try plan.run(runtime, numeric: plan.storesNumbers)
      } else {
        try executeStatements(runtime)
      }
      return
    }
    let saved = runtime.env
    runtime.env = Environment.make(parent: saved, size: environmentSize)
    defer { runtime.env = saved }
    try executeStatements(runtime)
  }

  /// Runs the statements in the current environment (a loop creates the body's itself); the
  /// value is the last statement's, and the others are run as statements (`Node.execute`).
  func evaluateStatements(_ runtime: Runtime) throws(PQError) -> Value {
    var result = Value.nil
    var index = 0
    let count = unownedStatements.count
    while index < count {
      do {
        if index == count - 1 {
          result = try unownedStatements.evaluate(index, runtime)
        } else {
          try unownedStatements.execute(index, runtime)
        }
      } catch {
        if error.isControlSignal, isStatementPosition { return .nil }
        throw error
      }
      if runtime.flow != .normal {
        if !isStatementPosition { throw PQError.controlSignal }
        return .nil
      }
      index += 1
    }
    return result
  }

  /// Runs the statements in the current environment as statements, their values unread.
  func executeStatements(_ runtime: Runtime) throws(PQError) {
    var index = 0
    let count = unownedStatements.count
    while index < count {
      do {
        try unownedStatements.execute(index, runtime)
      } catch {
        if error.isControlSignal, isStatementPosition { return }
        throw error
      }
      if runtime.flow != .normal {
        if !isStatementPosition { throw PQError.controlSignal }
        return
      }
      index += 1
    }
  }
}

/// `if c { … } else { … }`
final class IfNode: Node {
  let condition: Node
  let then: Node
  /// The `else` branch, or a `nil` constant when there is none (a non-optional field is read
  /// without a retain).
  let otherwise: Node
  /// Whether there is an `else`: run as a statement, an `if` without one does nothing when its
  /// condition fails (it ran the `nil` constant, two calls, 45 instructions, on every such
  /// test: a loop of trial divisions spent 8% there).
  let hasOtherwise: Bool
  /// The condition as a comparison of numeric operands (`n mod d == 0`, `s > best`), read
  /// where the `if` runs as a statement, as `WhileNode` reads its own; nil otherwise.
  let comparison: NumericTest?
  /// The statements of a `then` that is a block run in its frame (`{ k = k / 2 }`), run here
  /// as the block would run them, without the call into it; nil for any other branch. (The
  /// same for `else` as well made the `if` larger and slower: a Collatz loop 818M → 829M
  /// instructions.)
  let thenPlan: LoopBody?

  /// The plan of a branch that is a block in statement position without captured variables.
  static func plan(_ branch: Node) -> LoopBody? {
    guard let block = branch as? BlockNode, block.environmentSize == 0, block.isStatementPosition else {
      return nil
    }
    return block.plan
  }

  init(condition: Node, then: Node, otherwise: Node?, span: Span) {
    self.condition = condition
    self.then = then
    self.otherwise = otherwise ?? CallNode.absent
    hasOtherwise = otherwise != nil
    comparison = NumericTest.of(condition)
    thenPlan = Self.plan(then)
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    if try condition.test(runtime) {
      return try then.evaluate(runtime)
    }
    return try otherwise.evaluate(runtime)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    let holds: Bool
    if let answer = comparison?.holds(runtime) {
      holds = answer
    } else {
      holds = try condition.test(runtime)
    }
    if holds {
      if let plan = thenPlan {
        try plan.run(runtime, numeric: plan.storesNumbers)
      } else {
        try then.execute(runtime)
      }
    } else if hasOtherwise {
      try otherwise.execute(runtime)
    }
  }
}

/// `while c { … }`. A body without captured variables runs its statements here, numeric stores
/// directly (`LoopBody`), as `for … in range` runs its body; a condition that compares two
/// numeric operands (`j <= n`, `i < r`, `d * d <= n`) is read here too, without a call.
final class WhileNode: StatementNode {
  let condition: Node
  let body: BlockNode
  let loopBody: LoopBody
  /// The condition as a comparison of numeric operands, or nil. NaN from either operand (not
  /// a plain number, or an error to report) leaves the test to `condition`, with exactly its
  /// answer and errors.
  let comparison: NumericTest?

  init(condition: Node, body: BlockNode, span: Span) {
    self.condition = condition
    self.body = body
    self.loopBody = LoopBody(body)
    // (A local against a constant, `k != 1`, keeps its own node, which reads it faster.)
    comparison = NumericTest.of(condition)
    super.init(span: span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    if body.environmentSize == 0, body.isStatementPosition {
      switch (loopBody.storesNumbers, comparison != nil) {
      case (true, true): try runNumericComparingInFrame(runtime)
      case (true, false): try runNumericInFrame(runtime)
      case (false, true): try runGeneralComparingInFrame(runtime)
      case (false, false): try runGeneralInFrame(runtime)
      }
      return
    }
    while true {
      try runtime.tick(span)
      guard try condition.test(runtime) else { return }
      try body.execute(runtime)
      if runtime.finishIteration() { return }
    }
  }

  /// The copies of `runInFrame`, each a function of its own: inlined into `execute`, the loop
  /// lost registers to the code around it (the bare `while` 158M → 161M instructions).
  @inline(never)
  func runNumericComparingInFrame(_ runtime: Runtime) throws(PQError) {
    try runInFrame(runtime, numeric: true, comparing: true)
  }

  @inline(never)
  func runNumericInFrame(_ runtime: Runtime) throws(PQError) {
    try runInFrame(runtime, numeric: true, comparing: false)
  }

  @inline(never)
  func runGeneralComparingInFrame(_ runtime: Runtime) throws(PQError) {
    try runInFrame(runtime, numeric: false, comparing: true)
  }

  @inline(never)
  func runGeneralInFrame(_ runtime: Runtime) throws(PQError) {
    try runInFrame(runtime, numeric: false, comparing: false)
  }

  @inline(__always)
  func runInFrame(_ runtime: Runtime, numeric: Bool, comparing: Bool) throws(PQError) {
    while true {
      try runtime.tick(span)
      if comparing, let holds = comparison.unsafelyUnwrapped.holds(runtime) {
        if !holds { return }
      } else {
        guard try condition.test(runtime) else { return }
      }
      try loopBody.run(runtime, numeric: numeric)
      if runtime.finishIteration() { return }
    }
  }
}

/// `for a in xs { … }`, `for i, a in xs { … }`, over lists, records (keys, or key and value) and
/// strings (characters).
final class ForNode: StatementNode {
  let first: Storage?
  let second: Storage?
  let sequence: Node
  let body: BlockNode

  init(first: Storage?, second: Storage?, sequence: Node, body: BlockNode, span: Span) {
    self.first = first
    self.second = second
    self.sequence = sequence
    self.body = body
    super.init(span: span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    let items = try sequence.evaluate(runtime)
    switch items {
    case .list(let list):
      if second == nil, body.environmentSize == 0 {
        // `for x in xs` with no variable captured: each element stored and the body run here,
        // as `run` does, without making the index a value or the three calls between (a loop
        // of `s += x` took 279 instructions an element, four times `for i in range(n)`).
        for item in list {
          try runtime.tick(span)
          if let first { runtime.store(consume item, into: first) }
          try body.execute(runtime)
          if runtime.finishIteration() { break }
        }
        return
      }
      for (index, item) in list.enumerated() {
        if try iterate(runtime, index, item) { break }
      }
    case .record(let record):
      for (key, value) in record.pairs {
        if try iterate(runtime, key, value) { break }
      }
    case .string(let text):
      for (index, character) in text.enumerated() {
        if try iterate(runtime, index, .string(String(character))) { break }
      }
    default:
      throw PQError(
        .runtime, "cannot loop over \(Arithmetic.describe(items))", span: sequence.span,
        notes: ["'for' takes a list, a record, a string or range(…)"])
    }
  }

  func iterate(_ runtime: Runtime, _ key: Int, _ item: Value) throws(PQError) -> Bool {
    try run(runtime, .number(Double(key)), item)
  }

  func iterate(_ runtime: Runtime, _ key: String, _ item: Value) throws(PQError) -> Bool {
    try run(runtime, .string(key), item)
  }

  /// Runs one iteration; true when the loop must stop.
  func run(_ runtime: Runtime, _ key: Value, _ item: Value) throws(PQError) -> Bool {
    try runtime.tick(span)
    if second == nil {
      try runLoopBody(runtime, body, first, key.isRecordKey ? key : item, nil, .nil)
    } else {
      try runLoopBody(runtime, body, first, key, second, item)
    }
    return runtime.finishIteration()
  }
}

extension Value {
  fileprivate var isRecordKey: Bool {
    if case .string = self { return true }
    return false
  }
}

/// `for i in range(a, b, step) { … }` without building the list.
final class ForRangeNode: StatementNode {
  let variable: Storage?
  let start: Node?
  let end: Node
  let step: Node?
  let body: BlockNode

  /// How each statement of the body runs: numeric stores directly (see `LoopStatement`).
  let loopBody: LoopBody
  var bodyPlan: [LoopStatement] { loopBody.plan }

  init(variable: Storage?, start: Node?, end: Node, step: Node?, body: BlockNode, span: Span) {
    self.variable = variable
    self.start = start
    self.end = end
    self.step = step
    self.body = body
    loopBody = LoopBody(body)
    super.init(span: span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    let from =
      try start.map { node throws(PQError) in try RangeBounds.number(node.evaluate(runtime), node.span) } ?? 0
    let to = try RangeBounds.number(end.evaluate(runtime), end.span)
    let by =
      try step.map { node throws(PQError) in try RangeBounds.number(node.evaluate(runtime), node.span) } ?? 1
    if by == 0 { throw PQError(.runtime, "range step cannot be 0", span: step?.span ?? span) }
    // A loop variable in a local slot of a body without captured variables: `runInFrame`;
    // anything else goes through `runLoopBody`.
    if case .local(let slot) = variable, body.environmentSize == 0, body.isStatementPosition {
      // A body of one numeric store (`s = (s + i * 7) mod 1000003`): a loop of its own.
      if bodyPlan.count == 1, case .storeLocal(let target, let expression) = bodyPlan[0] {
        try runOneStore(runtime, slot, from, to, by, expression) { runtime, number in
          runtime.localPointer(target).storeNumber(number)
        }
        return
      }
      if bodyPlan.count == 1, case .storeGlobal(let target, let expression) = bodyPlan[0] {
        try runOneStore(runtime, slot, from, to, by, expression) { runtime, number in
          runtime.globals.storeNumber(number, at: target)
        }
        return
      }
      // Two copies of the loop, one that looks for numeric stores and one that need not.
      if loopBody.storesNumbers {
        try runInFrame(runtime, slot, from, to, by, numeric: true)
      } else {
        try runInFrame(runtime, slot, from, to, by, numeric: false)
      }
      return
    }
    var current = from
    while by > 0 ? current < to : current > to {
      try runtime.tick(span)
      try runLoopBody(runtime, body, variable, .number(current), nil, .nil)
      if runtime.finishIteration() { break }
      current += by
    }
  }
}

extension ForRangeNode {
  /// The loop over a variable in a local slot of a body without captured variables (the common
  /// case): the variable is stored as a number directly, and the body's statements run here, as
  /// `BlockNode.evaluateStatements` runs them in statement position, without a call per
  /// iteration to the block. With `numeric`, numeric stores run as `bodyPlan` says.
  @inline(__always)
  func runInFrame(_ runtime: Runtime, _ slot: Int, _ from: Double, _ to: Double, _ by: Double, numeric: Bool)
    throws(PQError)
  {
    var current = from
    while by > 0 ? current < to : current > to {
      try runtime.tick(span)
      runtime.localPointer(slot).storeNumber(current)
      try loopBody.run(runtime, numeric: numeric)
      if runtime.finishIteration() { break }
      current += by
    }
  }
}

/// A loop body's statements as a loop runs them in its frame (a body without captured
/// variables, in statement position), as `BlockNode.executeStatements` runs them, without a
/// call per iteration to the block: numeric stores (`s = (s + i * 7) mod 1000003`, `i += 1`)
/// store their number directly, with no value returned and destroyed and no control flow to
/// check (see `LoopStatement`). A block in statement position without captured variables (an
/// `if` branch) runs its statements the same way (`BlockNode.plan`).
struct LoopBody {
  let statements: UnownedNodes
  let plan: [LoopStatement]
  /// Whether any statement is a numeric store: loops keep two copies of their loop, one that
  /// looks at `plan` and one that need not.
  let storesNumbers: Bool

  init(_ body: BlockNode) {
    self.init(body.statements)
  }

  init(_ statements: [Node]) {
    self.statements = UnownedNodes(statements)
    plan = statements.map(LoopStatement.init)
    storesNumbers = plan.contains { if case .general = $0 { false } else { true } }
  }

  /// Runs the statements once, stopping at the first that sets `runtime.flow`.
  @inline(__always)
  func run(_ runtime: Runtime, numeric: Bool) throws(PQError) {
    let count = statements.count
    var index = 0
    while index < count {
      if numeric {
        switch plan[index] {
        case .storeLocal(let target, let expression):
          let number = expression._withUnsafeGuaranteedRef { $0.number(runtime) }
          if !number.isNaN {
            runtime.localPointer(target).storeNumber(number)
            index += 1
            continue
          }
        case .storeGlobal(let target, let expression):
          let number = expression._withUnsafeGuaranteedRef { $0.number(runtime) }
          if !number.isNaN {
            runtime.globals.storeNumber(number, at: target)
            index += 1
            continue
          }
        case .general: break
        }
      }
      do {
        try statements.execute(index, runtime)
      } catch {
        if !error.isControlSignal { throw error }
      }
      if runtime.flow != .normal { return }
      index += 1
    }
  }
}

extension ForRangeNode {
  /// `runInFrame` for a body that is one numeric store: no statement index, plan or control
  /// flow to look at while the store gives a number. NaN (not a plain number, or an error to
  /// report) runs the statement as usual, with its flow checked as `runInFrame` does.
  @inline(__always)
  func runOneStore(
    _ runtime: Runtime, _ slot: Int, _ from: Double, _ to: Double, _ by: Double,
    _ expression: Unmanaged<NumericNode>, store: (Runtime, Double) -> Void
  ) throws(PQError) {
    let statement = body.unownedStatements
    var current = from
    while by > 0 ? current < to : current > to {
      try runtime.tick(span)
      runtime.localPointer(slot).storeNumber(current)
      let value = expression._withUnsafeGuaranteedRef { $0.number(runtime) }
      if !value.isNaN {
        store(runtime, value)
      } else {
        do {
          try statement.execute(0, runtime)
        } catch {
          if !error.isControlSignal { throw error }
        }
        if runtime.finishIteration() { break }
      }
      current += by
    }
  }
}

/// A statement of a loop body as the loop runs it: a store of a numeric expression into a local
/// or a global computes its number and stores it without making a `Value` (NaN: the statement
/// runs as usual, as `NumericNode` does); anything else is evaluated. The expression is held
/// unretained: the body's statements own it.
///
/// Measured on `loop` (callgrind, 200,000 iterations): 307 → 275 instructions an iteration.
enum LoopStatement {
  case storeLocal(Int, Unmanaged<NumericNode>)
  case storeGlobal(Int, Unmanaged<NumericNode>)
  case general

  init(_ statement: Node) {
    if let store = statement as? LocalSetNode, let numeric = store.value as? NumericNode {
      self = .storeLocal(store.slot, Unmanaged.passUnretained(numeric))
    } else if let store = statement as? GlobalSetNode, let numeric = store.value as? NumericNode {
      self = .storeGlobal(store.index, Unmanaged.passUnretained(numeric))
    } else if let store = statement as? NumericCompoundNode, case .local(let slot) = store.target {
      self = .storeLocal(slot, Unmanaged.passUnretained(store.numeric))
    } else if let store = statement as? NumericCompoundNode, case .global(let index) = store.target {
      self = .storeGlobal(index, Unmanaged.passUnretained(store.numeric))
    } else {
      self = .general
    }
  }
}

/// Checks range bounds.
enum RangeBounds {
  static func number(_ value: Value, _ span: Span) throws(PQError) -> Double {
    guard case .number(let n) = value, n.isFinite else {
      throw PQError(.runtime, "range needs plain numbers, not \(Arithmetic.describe(value))", span: span)
    }
    return n
  }
}

/// Binds loop variables and runs the body. Variables captured by closures live in the
/// environment the body block creates, so the block is entered by hand here.
@inline(__always)
func runLoopBody(
  _ runtime: Runtime, _ body: BlockNode, _ first: Storage?, _ firstValue: Value, _ second: Storage?,
  _ secondValue: Value
) throws(PQError) {
  if body.environmentSize == 0 {
    if let first { runtime.store(firstValue, into: first) }
    if let second { runtime.store(secondValue, into: second) }
    try body.execute(runtime)
    return
  }
  let saved = runtime.env
  let environment = Environment.make(parent: saved, size: body.environmentSize)
  runtime.env = environment
  defer { runtime.env = saved }
  if let first { runtime.store(firstValue, into: first) }
  if let second { runtime.store(secondValue, into: second) }
  try body.executeStatements(runtime)
}

extension Runtime {
  /// After a loop body: clears `break`/`continue`; true when the loop must stop.
  @inline(__always)
  func finishIteration() -> Bool {
    switch flow {
    case .normal: return false
    case .continueLoop:
      flow = .normal
      return false
    case .breakLoop:
      flow = .normal
      return true
    case .returnValue: return true
    }
  }
}

/// `break`, `continue`
final class JumpNode: Node {
  let flow: Flow

  init(_ flow: Flow, span: Span) {
    self.flow = flow
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    runtime.flow = flow
    return .nil
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    runtime.flow = flow
  }
}

/// `return value`
final class ReturnNode: StatementNode {
  let value: Node?

  init(_ value: Node?, span: Span) {
    self.value = value
    super.init(span: span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    runtime.returnValue = try value?.evaluate(runtime) ?? .nil
    runtime.flow = .returnValue
  }
}

extension PQError {
  /// The signal a `return`, `break` or `continue` inside an expression throws to reach the
  /// nearest statement block; `Runtime.flow` says which it is.
  static var controlSignal: PQError {
    var error = PQError(.runtime, "control flow")
    error.isControlSignal = true
    return error
  }
}
