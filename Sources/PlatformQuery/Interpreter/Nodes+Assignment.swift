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
  func store(_ value: Value, into storage: Storage) {
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

  /// Appends `element` to the list a variable holds, in its slot: the list's new length, or
  /// nil (and nothing changed) when the variable holds no list. A list another binding still
  /// holds is copied first, and the copy is charged (`chargeCopy`); a list without room is
  /// charged for the room it gains (charged just after it is made: the size limit bounds it).
  @inline(__always)
  func appendInPlace(_ element: Value, to storage: Storage, _ span: Span) throws(PQError) -> Int? {
    let grown: (count: Int, copied: Bool, gained: Int)?
    switch storage {
    case .local(let slot): grown = Runtime.append(element, to: localPointer(slot))
    case .global(let index): grown = Runtime.append(element, to: globals.slot(index))
    case .environment(let hops, let index):
      grown = environment(hops).withUnsafeMutablePointerToElements { Runtime.append(element, to: $0 + index) }
    }
    guard let grown else { return nil }
    if grown.copied { try chargeCopy(grown.count - 1, span) }
    if grown.gained > 0 { try reserve(grown.gained, span) }
    return grown.count
  }

  /// The list in `slot` is moved out (no retain, so it is uniquely referenced and grows in
  /// place), appended to, and moved back: `xs += [x]` without copying or counting references.
  /// Grown by half again rather than doubled: a long list built by `+=` keeps less slack.
  /// `copied` is true when the list was shared and had to be copied to grow (its storage moved
  /// although it had room, or it had no room and another value held it); `gained` is the room
  /// an unshared list without room gained by moving to larger storage.
  @inline(__always)
  static func append(
    _ element: Value, to slot: UnsafeMutablePointer<Value>
  ) -> (count: Int, copied: Bool, gained: Int)? {
    guard case .list = slot.pointee else { return nil }
    var items = takeList(slot)
    let hadRoom = items.count < items.capacity
    let before = items.withUnsafeBufferPointer { $0.baseAddress }
    var copied = false
    var gained = 0
    if !hadRoom {
      let capacity = items.count + items.count / 2 + 1
      if items.isEmpty || Value.hasUniqueStorage(&items) != false {
        gained = capacity - items.count
      } else {
        copied = true
      }
      items.reserveCapacity(capacity)
    }
    items.append(element)
    if hadRoom { copied = items.withUnsafeBufferPointer { $0.baseAddress } != before }
    let count = items.count
    slot.initialize(to: .list(items))
    return (count, copied, gained)
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
final class CompoundAssignNode: Node {
  let target: Storage
  let op: BinaryOperator
  let value: Node
  let operatorSpan: Span

  /// For `xs += [x]`, the one element: appended to the list in its slot, without making the
  /// one-off list first (`appendsOne`; otherwise a placeholder). A non-optional field, read
  /// without a retain.
  let appendedElement: Node
  let appendsOne: Bool

  init(target: Storage, op: BinaryOperator, value: Node, operatorSpan: Span, span: Span) {
    self.target = target
    self.op = op
    self.value = value
    self.operatorSpan = operatorSpan
    if op == .add, let list = value as? ListNode, list.elements.count == 1 {
      appendedElement = list.elements[0]
      appendsOne = true
    } else {
      appendedElement = CallNode.absent
      appendsOne = false
    }
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    if appendsOne {
      let element = try appendedElement.evaluate(runtime)
      // Grown in place; past the size limit the longer list stays, and the error says so.
      if let count = try runtime.appendInPlace(element, to: target, span) {
        try runtime.reserve(1, span)
        try runtime.checkSize(count, span)
        return .nil
      }
      return try combine(.list([element]), runtime)
    }
    let right = try value.evaluate(runtime)
    // A local's or a global's plain number and a plain number (`s += f(x) * v[j]`): the result
    // as the numeric nodes compute it, stored in place; anything else (a unit, an error to
    // report) through `combine`.
    if case .number(let b) = right, let slot = runtime.pointer(target), case .number(let a) = slot.pointee,
      case .number(let result)? = op.numbers(a, b)
    {
      slot.storeNumber(result)
      return .nil
    }
    return try combine(right, runtime)
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
        // Grown by half again rather than doubled: a long list built by `+=` keeps less slack.
        // Charged before it is made: the room it gains (a list built by `+=` is charged about
        // one and a half times its length) or, when another value shares the list, the whole
        // copy.
        let capacity = Swift.max(needed, items.count + items.count / 2)
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

/// `x op= e` where `x op e` has a numeric form (`i += 1`, `s -= d * 2`, `n mod= 7`): over plain
/// numbers the result is computed as `NumericNode`s compute it (the same as `CompoundAssignNode`'s
/// `Arithmetic.plain`) and stored as a number; otherwise — NaN: a unit, text, a list, an error
/// to report — `general` runs the statement from the start (the right side is pure, so
/// evaluating it again changes nothing). Loops store its number directly (`LoopStatement`).
final class NumericCompoundNode: Node {
  let target: Storage
  let numeric: NumericNode
  let general: CompoundAssignNode

  init(target: Storage, numeric: NumericNode, general: CompoundAssignNode) {
    self.target = target
    self.numeric = numeric
    self.general = general
    super.init(span: general.span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let number = numeric.number(runtime)
    if number.isNaN { return try general.evaluate(runtime) }
    switch target {
    case .local(let slot): runtime.localPointer(slot).storeNumber(number)
    case .global(let index): runtime.globals.storeNumber(number, at: index)
    case .environment(let hops, let index): runtime.environment(hops)[index] = .number(number)
    }
    return .nil
  }
}
