/// A variable as an assignment target.
enum Storage {
  case local(Int)
  case environment(hops: Int, index: Int)
  case global(Int)
}

extension Runtime {
  @inline(__always)
  func load(_ storage: Storage) -> Value {
    switch storage {
    case .local(let slot): return stack[framePointer + slot]
    case .environment(let hops, let index): return environment(hops)[index]
    case .global(let index): return globals[index]
    }
  }

  @inline(__always)
  func store(_ value: consuming Value, into storage: Storage) {
    switch storage {
    case .local(let slot): stack[framePointer + slot] = value
    case .environment(let hops, let index): environment(hops)[index] = value
    case .global(let index): globals[index] = value
    }
  }

  /// Takes a variable's value out, leaving nil, so that changing it in place does not copy.
  @inline(__always)
  func take(_ storage: Storage) -> Value {
    let value = load(storage)
    store(.nil, into: storage)
    return value
  }

  /// After one element was appended in place to a list now `count` long: the append counted as
  /// a step and charged to the memory budget, and the length checked against the size limit
  /// (past it the longer list stays, and the error says so). Before, the append was charged
  /// as the making of a one-element list and the length checked as if the whole list were
  /// being made again (`checkSize`), which refused an append to a long list at half the budget.
  @inline(__always)
  func chargeAppended(_ count: Int, _ span: Span) throws(PQError) {
    steps &+= 1
    allocated &+= Runtime.elementBytes
    if allocated > memoryCheckpoint { try checkMemory(span, request: Runtime.elementBytes) }
    if steps >= checkpoint { try checkLimits(span) }
    if count > limits.maximumLength { try checkSize(count, span) }
  }

  /// What an append to a list in its slot did: the list's new length; whether the list was
  /// shared and had to be copied to grow (its storage moved although it had room, or it had no
  /// room and another value held it); and the room an unshared list without room gained by
  /// moving to larger storage.
  struct Appended {
    var count: Int
    var copied: Bool
    var gained: Int
  }

  /// Charges an append: a copy of a shared list (`chargeCopy`), the room a list gained (charged
  /// just after it is made: the size limit bounds it), and the element (`chargeAppended`).
  @inline(__always)
  func charge(_ appended: Appended, _ span: Span) throws(PQError) {
    if appended.copied { try chargeCopy(appended.count - 1, span) }
    if appended.gained > 0 { try reserve(appended.gained, span) }
    try chargeAppended(appended.count, span)
  }

  /// The list in `slot`, which must hold a list, is moved out (no retain, so it is uniquely
  /// referenced and grows in place), `element` moved onto its end, and the list moved back:
  /// `xs += [x]` without copying the list or the element, or counting references. Doubled when
  /// full: the room not yet filled is never touched, so it costs address space, not memory, and
  /// each growth copies the list into fresh pages, which the kernel must fault in one by one —
  /// doubling touches twice the list's size in all, growing by half again three times (a list
  /// of two million: 40,606 page faults against 24,504, peak 83 → 57 MB).
  @inline(__always)
  static func append(_ element: consuming Value, toListIn slot: UnsafeMutablePointer<Value>) -> Appended {
    var items = takeList(slot)
    let hadRoom = items.count < items.capacity
    let before = items.withUnsafeBufferPointer { $0.baseAddress }
    var appended = Appended(count: 0, copied: false, gained: 0)
    if !hadRoom {
      let capacity = items.count * 2 + 1
      if items.isEmpty || Value.hasUniqueStorage(&items) != false {
        appended.gained = capacity - items.count
      } else {
        appended.copied = true
      }
      items.reserveCapacity(capacity)
    }
    items.append(element)
    if hadRoom { appended.copied = items.withUnsafeBufferPointer { $0.baseAddress } != before }
    appended.count = items.count
    slot.initialize(to: .list(items))
    return appended
  }

  /// The list in `slot`, moved out and the slot left uninitialized. The moved value ends with
  /// this statement, so the list returned is the only reference (held in a `switch` subject
  /// instead, it would live on through the append and force a copy of the whole list).
  @inline(__always)
  static func takeList(_ slot: UnsafeMutablePointer<Value>) -> [Value] {
    if case .list(let items) = slot.move() { return items }
    return []
  }

  /// The slot of a local or a global, whose value can be changed where it lies; nil for a
  /// captured variable.
  @inline(__always)
  func pointer(_ storage: Storage) -> UnsafeMutablePointer<Value>? {
    switch storage {
    case .local(let slot): return localPointer(slot)
    case .global(let index): return globals.slot(index)
    case .environment: return nil
    }
  }

  /// Makes `items` the only holder of its storage before it is changed in place, copying it
  /// when another value still shares it (value semantics); the copy is counted and charged.
  @inline(__always)
  func makeUnique(_ items: inout [Value], _ span: Span) throws(PQError) {
    let before = items.withUnsafeBufferPointer { $0.baseAddress }
    let after = items.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) }
    if before != after { try chargeCopy(items.count, span) }
  }

  /// `body` on the elements of `items`, which must not be empty, made the only holder of its
  /// storage first as `makeUnique` makes it (and the copy charged), with one test of uniqueness
  /// rather than `makeUnique`'s and a second to reach the elements.
  @inline(__always)
  func withUniqueElements<R>(
    _ items: inout [Value], _ span: Span, _ body: (UnsafeMutablePointer<Value>) throws(PQError) -> R
  ) throws(PQError) -> R {
    let before = items.withUnsafeBufferPointer { $0.baseAddress }
    let count = items.count
    return try items.withUnsafeMutableBufferPointer { buffer throws(PQError) in
      let elements = buffer.baseAddress.unsafelyUnwrapped
      if UnsafePointer(elements) != before { try chargeCopy(count, span) }
      return try body(elements)
    }
  }

  /// A shared list or record copied so that one holder could change it: counted in `copies`
  /// and charged as the making of a list of `count` elements (steps and memory budget).
  func chargeCopy(_ count: Int, _ span: Span) throws(PQError) {
    copies &+= 1
    try reserve(count, span)
  }
}

extension Value {
  /// Whether this is a record (of any kind).
  var isRecord: Bool {
    if case .record = self { return true }
    return false
  }

  /// The list this value holds, moved out and the value left nil: the list returned holds the
  /// only reference this value had, so a change to it copies nothing unless another value
  /// shares it. Nil for any other value (which is left as it was).
  @inline(__always)
  mutating func takeList() -> [Value]? {
    guard case .list = self else { return nil }
    var taken = Value.nil
    swap(&self, &taken)
    if case .list(let items) = consume taken { return items }
    return nil
  }

  /// The record this value holds, moved out as `takeList` moves a list.
  @inline(__always)
  mutating func takeRecord() -> Record? {
    guard case .record = self else { return nil }
    var taken = Value.nil
    swap(&self, &taken)
    if case .record(let record) = consume taken { return record }
    return nil
  }

  /// The string this value holds, moved out as `takeList` moves a list.
  @inline(__always)
  mutating func takeString() -> String? {
    guard case .string = self else { return nil }
    var taken = Value.nil
    swap(&self, &taken)
    if case .string(let text) = consume taken { return text }
    return nil
  }
}

/// `name op= value`; lists and strings grow in place.
final class CompoundAssignNode: StatementNode {
  let target: Storage
  let op: BinaryOperator
  let value: Node
  let operatorSpan: Span

  init(target: Storage, op: BinaryOperator, value: Node, operatorSpan: Span, span: Span) {
    self.target = target
    self.op = op
    self.value = value
    self.operatorSpan = operatorSpan
    super.init(span: span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    let right = try value.evaluate(runtime)
    // A local's or a global's plain number and a plain number (`s += f(x) * v[j]`): the result
    // as the numeric nodes compute it, stored in place; anything else (a unit, an error to
    // report) through `combine`.
    if case .number(let b) = right, let slot = runtime.pointer(target), case .number(let a) = slot.pointee,
      case .number(let result)? = op.numbers(a, b)
    {
      slot.storeNumber(result)
      return
    }
    _ = try combine(right, runtime)
  }

  /// `target op= right` for an already evaluated right side.
  func combine(_ right: Value, _ runtime: Runtime) throws(PQError) -> Value {
    var left = runtime.take(target)
    defer { runtime.store(left, into: target) }
    try CompoundAssignNode.update(&left, op, right, runtime, span: span, operatorSpan: operatorSpan)
    return .nil
  }

  /// `left op= right` in place: a list or string that `left` alone holds grows without being
  /// copied. On an error `left` holds what it held before, except that a list or string grown
  /// past the size limit stays grown (the error says so).
  static func update(
    _ left: inout Value, _ op: BinaryOperator, _ right: Value, _ runtime: Runtime, span: Span,
    operatorSpan: Span
  ) throws(PQError) {
    if case .number(let a) = left, case .number(let b) = right, op != .divide || b != 0 {
      // As `BinaryNode` computes plain numbers; nil (a result to report) through `plain`.
      if case .number(let result)? = op.numbers(a, b) {
        left = .number(result)
      } else {
        left = .number(try Arithmetic.plain(op, a, b))
      }
    } else if op == .add, case .list(let more) = right, var items = left.takeList() {
      defer { left = .list(items) }
      let needed = items.count + more.count
      if needed > items.capacity {
        // Doubled, as `Runtime.append` says why. Charged before it is made: the room it gains
        // (a list built by `+=` is charged up to twice its length) or, when another value shares
        // the list, the whole copy.
        let capacity = Swift.max(needed, items.count * 2)
        try runtime.checkSize(needed, span)
        let shared = Value.hasUniqueStorage(&items).map { !$0 } ?? true
        try runtime.reserve(shared ? capacity : capacity - items.count, span)
        items.reserveCapacity(capacity)
      } else {
        try runtime.reserve(more.count, span)
        try runtime.makeUnique(&items, span)
      }
      items.append(contentsOf: more)
      try runtime.checkSize(items.count, span)
    } else if op == .add, case .string(let more) = right, var text = left.takeString() {
      defer { left = .string(text) }
      let length = text.utf8.count
      try runtime.checkSize(length &+ more.utf8.count, span, what: .bytes)
      if length <= 4096 {
        try runtime.reserve(more.utf8.count, span, what: .bytes)
        text += more
      } else {
        // A long string that another value shares is copied whole to grow, and one without
        // room is moved to larger storage: either way its storage moves, and the new storage
        // is charged whole (after it is made, but the size limit above bounds it).
        let before = text.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
        text += more
        let after = text.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
        try runtime.reserve(before == after ? more.utf8.count : text.utf8.count, span, what: .bytes)
      }
    } else {
      do {
        left = try Arithmetic.apply(op, left, right)
      } catch {
        var error = error
        error.span = operatorSpan
        throw error
      }
    }
  }
}

/// `xs += [x]`: the one element appended to the list in the variable's slot, without making
/// the one-off list `[x]` first, and moved into the list rather than copied. A constant element
/// that holds no reference (`flags += [true]`, `counts += [0]`) is made here without a call to
/// its node. When the variable holds no list (text, nil, a number: an error to report), the
/// element is combined as `general` combines the list `[x]`.
final class AppendNode: StatementNode {
  let target: Storage
  /// The element's node (its value is made by `kind` when that is not `evaluated`).
  let element: Node
  /// How the element is made: by `element`, or as a constant.
  let kind: Kind
  /// The number of a plain-number constant element.
  let number: Double
  let general: CompoundAssignNode

  enum Kind: UInt8 {
    case evaluated, isFalse, isTrue, isNil, isNumber
  }

  init(target: Storage, element: Node, general: CompoundAssignNode) {
    self.target = target
    self.element = element
    self.general = general
    var kind = Kind.evaluated
    var number = 0.0
    if let constant = element as? ConstantNode {
      switch constant.value {
      case .bool(let b): kind = b ? .isTrue : .isFalse
      case .nil: kind = .isNil
      case .number(let n):
        kind = .isNumber
        number = n
      default: break
      }
    }
    self.kind = kind
    self.number = number
    super.init(span: general.span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    let item: Value
    switch kind {
    case .evaluated: item = try element.evaluate(runtime)
    case .isFalse: item = .bool(false)
    case .isTrue: item = .bool(true)
    case .isNil: item = .nil
    case .isNumber: item = .number(number)
    }
    // The element is made first: it may change the variable (`xs += [f()]`).
    let slot: UnsafeMutablePointer<Value>
    switch target {
    case .local(let index): slot = runtime.localPointer(index)
    case .global(let index): slot = runtime.globals.slot(index)
    case .environment(let hops, let index):
      let appended = runtime.environment(hops).withUnsafeMutablePointerToElements {
        elements -> Runtime.Appended? in
        guard case .list = elements[index] else { return nil }
        return Runtime.append(copy item, toListIn: elements + index)
      }
      guard let appended else {
        _ = try general.combine(.list([item]), runtime)
        return
      }
      try runtime.charge(appended, span)
      return
    }
    guard case .list = slot.pointee else {
      _ = try general.combine(.list([item]), runtime)
      return
    }
    try runtime.charge(Runtime.append(consume item, toListIn: slot), span)
  }
}

/// `x op= e` where `x op e` has a numeric form (`i += 1`, `s -= d * 2`): over plain
/// numbers the result is computed as `NumericNode`s compute it (the same as `CompoundAssignNode`'s
/// `Arithmetic.plain`) and stored as a number; otherwise — NaN: a unit, text, a list, an error
/// to report — `general` runs the statement from the start (the right side is pure, so
/// evaluating it again changes nothing). Loops store its number directly (`LoopStatement`).
final class NumericCompoundNode: StatementNode {
  let target: Storage
  let numeric: NumericNode
  let general: CompoundAssignNode

  init(target: Storage, numeric: NumericNode, general: CompoundAssignNode) {
    self.target = target
    self.numeric = numeric
    self.general = general
    super.init(span: general.span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    let number = numeric.number(runtime)
    if number.isNaN {
      try general.execute(runtime)
      return
    }
    switch target {
    case .local(let slot): runtime.localPointer(slot).storeNumber(number)
    case .global(let index): runtime.globals.storeNumber(number, at: index)
    case .environment(let hops, let index): runtime.environment(hops)[index] = .number(number)
    }
  }
}

/// `v = v + e`, where `e` cannot change `v` (`Resolver.isPure`): a list or text that `v` alone
/// holds is grown where it lies, as `v += e` grows it, instead of being copied whole into a new
/// one — building a list by `xs = xs + [x]` or a text by `s = s + "…"` was quadratic (30,000
/// appends: 3.5 s). The answer is the ordinary one: `e` is evaluated first, which cannot differ
/// since it changes nothing; the length is checked before anything grows, so on an error `v`
/// holds what it held; and every other pair of values (numbers, figures, nil, a list and a
/// text) is added by the ordinary `+` (`binary`), with its errors and notes. Only the memory
/// charged differs: the room gained, not a whole new copy.
final class AddInPlaceNode: StatementNode {
  let target: Storage
  /// The whole `v + e`, which answers for every pair but two lists or two texts.
  let binary: BinaryNode

  init(target: Storage, binary: BinaryNode, span: Span) {
    self.target = target
    self.binary = binary
    super.init(span: span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    let right = try binary.right.evaluate(runtime)
    let operatorSpan = binary.operatorSpan
    var left = runtime.take(target)
    defer { runtime.store(left, into: target) }
    if case .list(let more) = right, case .list(let items) = left {
      try runtime.checkSize(items.count &+ more.count, operatorSpan)
    } else if case .string(let more) = right, case .string(let text) = left {
      try runtime.checkSize(text.utf8.count &+ more.utf8.count, operatorSpan, what: .bytes)
    } else {
      if case .number(let x) = left, case .number(let y) = right, let result = binary.op.numbers(x, y) {
        left = result
      } else {
        left = try binary.general(left, right, runtime)
      }
      return
    }
    try CompoundAssignNode.update(&left, .add, right, runtime, span: operatorSpan, operatorSpan: operatorSpan)
  }
}
