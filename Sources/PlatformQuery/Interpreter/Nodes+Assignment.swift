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
  /// nil (and nothing changed) when the variable holds no list.
  @inline(__always)
  func appendInPlace(_ element: Value, to storage: Storage) -> Int? {
    switch storage {
    case .local(let slot): return Runtime.append(element, to: localPointer(slot))
    case .global(let index): return Runtime.append(element, to: globals.slot(index))
    case .environment(let hops, let index):
      return environment(hops).withUnsafeMutablePointerToElements { Runtime.append(element, to: $0 + index) }
    }
  }

  /// The list in `slot` is moved out (no retain, so it is uniquely referenced and grows in
  /// place), appended to, and moved back: `xs += [x]` without copying or counting references.
  /// Grown by half again rather than doubled: a long list built by `+=` keeps less slack.
  @inline(__always)
  static func append(_ element: Value, to slot: UnsafeMutablePointer<Value>) -> Int? {
    guard case .list = slot.pointee else { return nil }
    var items = takeList(slot)
    if items.count == items.capacity { items.reserveCapacity(items.count + items.count / 2 + 1) }
    items.append(element)
    let count = items.count
    slot.initialize(to: .list(items))
    return count
  }

  /// The list in `slot`, moved out and the slot left uninitialized. The moved value ends with
  /// this statement, so the list returned is the only reference (held in a `switch` subject
  /// instead, it would live on through the append and force a copy of the whole list).
  @inline(__always)
  private static func takeList(_ slot: UnsafeMutablePointer<Value>) -> [Value] {
    if case .list(let items) = slot.move() { return items }
    return []
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
      if let count = runtime.appendInPlace(element, to: target) {
        try runtime.reserve(1, span)
        try runtime.checkSize(count, span)
        return .nil
      }
      return try combine(.list([element]), runtime)
    }
    return try combine(try value.evaluate(runtime), runtime)
  }

  /// `target op= right` for an already evaluated right side.
  func combine(_ right: Value, _ runtime: Runtime) throws(PQError) -> Value {
    var left = runtime.take(target)
    // Each case lets go of `left` before growing its payload, so the list or string is
    // uniquely referenced and grows in place (no tuple switch: it would hold a second copy).
    if case .number(let a) = left, case .number(let b) = right, op != .divide || b != 0 {
      left = .number(try Arithmetic.plain(op, a, b))
    } else if op == .add, case .list(let more) = right, case .list(var items) = left {
      do {
        try runtime.reserve(more.count, span)
      } catch {
        runtime.store(left, into: target)
        throw error
      }
      left = .nil
      // Grown by half again rather than doubled: a long list built by `+=` keeps less slack.
      let needed = items.count + more.count
      if needed > items.capacity { items.reserveCapacity(Swift.max(needed, items.count + items.count / 2)) }
      items.append(contentsOf: more)
      left = .list(items)
      try checkGrowth(runtime, items.count, left)
    } else if op == .add, case .string(let more) = right, case .string(var text) = left {
      do {
        try runtime.reserve(more.utf8.count, span, what: "bytes")
      } catch {
        runtime.store(left, into: target)
        throw error
      }
      left = .nil
      text += more
      left = .string(text)
      try checkGrowth(runtime, text.utf8.count, left)
    } else {
      do {
        left = try Arithmetic.apply(op, left, right)
      } catch {
        runtime.store(left, into: target)
        var error = error
        error.span = operatorSpan
        throw error
      }
    }
    runtime.store(left, into: target)
    return .nil
  }
}

extension CompoundAssignNode {
  /// Fails when a grown list or string passes the size limit, keeping the value stored.
  func checkGrowth(_ runtime: Runtime, _ count: Int, _ value: Value) throws(PQError) {
    do {
      try runtime.checkSize(count, span)
    } catch {
      runtime.store(value, into: target)
      throw error
    }
  }
}

/// One step of an assignment path: `.name` or `[index]`.
enum PathStep {
  case field(String, Span)
  case index(Node)
}

/// `r.field = v`, `xs[i] = v`, `r.xs[0] += v`: changes a part of a variable's value in place.
final class PathAssignNode: Node {
  let target: Storage
  let path: [PathStep]
  let op: BinaryOperator?
  let value: Node
  let operatorSpan: Span

  init(target: Storage, path: [PathStep], op: BinaryOperator?, value: Node, operatorSpan: Span, span: Span) {
    self.target = target
    self.path = path
    self.op = op
    self.value = value
    self.operatorSpan = operatorSpan
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let newValue = try value.evaluate(runtime)
    var keys: [Value] = []
    for step in path {
      if case .index(let node) = step { keys.append(try node.evaluate(runtime)) }
    }
    var root = runtime.take(target)
    do {
      try assign(&root, step: 0, keyIndex: 0, keys: keys, newValue)
    } catch {
      runtime.store(root, into: target)
      throw error
    }
    runtime.store(root, into: target)
    return .nil
  }

  func assign(_ container: inout Value, step: Int, keyIndex: Int, keys: [Value], _ newValue: Value)
    throws(PQError)
  {
    let isLast = step == path.count - 1
    switch path[step] {
    case .field(let name, let span):
      try assignField(
        &container, name, span: span, isLast: isLast, step: step, keyIndex: keyIndex, keys: keys, newValue)
    case .index(let node):
      let key = keys[keyIndex]
      switch container {
      case .list(var items):
        let position = try Indexing.position(key, count: items.count, what: "list", span: node.span)
        container = .nil
        defer { container = .list(items) }
        if isLast {
          items[position] = op == nil ? newValue : try combine(op ?? .add, items[position], newValue)
        } else {
          var inner = items[position]
          items[position] = .nil
          defer { items[position] = inner }
          try assign(&inner, step: step + 1, keyIndex: keyIndex + 1, keys: keys, newValue)
        }
      case .record:
        guard case .string(let name) = key else {
          throw PQError(
            .runtime, "a record is indexed by a field name string, not \(Arithmetic.describe(key))",
            span: node.span)
        }
        try assignField(
          &container, name, span: node.span, isLast: isLast, step: step, keyIndex: keyIndex + 1, keys: keys,
          newValue)
      default:
        throw PQError(.runtime, "cannot set an element of \(Arithmetic.describe(container))", span: node.span)
      }
    }
  }

  func assignField(
    _ container: inout Value, _ name: String, span: Span, isLast: Bool, step: Int, keyIndex: Int,
    keys: [Value],
    _ newValue: Value
  ) throws(PQError) {
    guard case .record(var record) = container else {
      throw PQError(.runtime, "cannot set field '\(name)' of \(Arithmetic.describe(container))", span: span)
    }
    container = .nil
    defer { container = .record(record) }
    if isLast {
      if let op {
        guard let old = record[name] else { throw FieldNode.missing(name, in: record, span: span) }
        record[name] = try combine(op, old, newValue)
      } else {
        record[name] = newValue
      }
      return
    }
    guard var inner = record[name] else { throw FieldNode.missing(name, in: record, span: span) }
    record[name] = .nil
    defer { record[name] = inner }
    try assign(&inner, step: step + 1, keyIndex: keyIndex, keys: keys, newValue)
  }

  func combine(_ op: BinaryOperator, _ old: Value, _ new: Value) throws(PQError) -> Value {
    do {
      return try Arithmetic.apply(op, old, new)
    } catch {
      var error = error
      error.span = operatorSpan
      throw error
    }
  }
}

/// `import stats`, `import "lib/rates.pq" as r`: runs the module once and binds its namespace.
final class ImportNode: Node {
  let name: String
  let isPath: Bool
  let target: Storage
  let source: Source

  init(name: String, isPath: Bool, target: Storage, source: Source, span: Span) {
    self.name = name
    self.isPath = isPath
    self.target = target
    self.source = source
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    guard let host = runtime.host else {
      throw PQError(.runtime, "imports are not available here", span: span)
    }
    let module = try host.importModule(name, isPath: isPath, from: source, span: span)
    runtime.store(module, into: target)
    return .nil
  }
}
