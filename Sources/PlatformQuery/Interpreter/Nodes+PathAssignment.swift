/// One step of an assignment path: `.name` or `[index]`.
enum PathStep {
  case field(String, Span)
  case index(Node)
}

/// The position of each field step of a path in the last shape seen (`FieldLookup`), kept
/// apart from the steps so that they stay plain values.
final class PathLookups {
  var fields: [FieldLookup]

  init(_ path: [PathStep]) {
    fields = path.map { if case .field(let name, _) = $0 { FieldLookup(name) } else { FieldLookup("") } }
  }
}

/// The index values of an assignment path, evaluated before the variable is taken out of its
/// slot (so that `xs[xs[0]] = v` reads `xs` whole). The first is held in place: a path of one
/// index, the common `xs[i] = v`, makes no array.
struct PathKeys {
  var first: Value = .nil
  var rest: [Value] = []

  subscript(index: Int) -> Value { index == 0 ? first : rest[index - 1] }
}

/// `r.field = v`, `xs[i] = v`, `r.xs[0] += v`: changes a part of a variable's value in place.
/// The variable's value is moved out of its slot, changed where it lies — each list and record
/// on the path is changed in place when nothing else holds it, and copied (and the copy
/// charged, `Runtime.chargeCopy`) when another value shares it — and moved back: amortised
/// O(1) for a value one variable holds, and value semantics for a shared one.
final class PathAssignNode: StatementNode {
  let target: Storage
  let path: [PathStep]
  let op: BinaryOperator?
  let value: Node
  let operatorSpan: Span
  /// The index nodes of the path, in order.
  let indexNodes: [Node]
  /// The first index node (a placeholder when there is none: a non-optional field is read
  /// without a retain).
  let firstIndex: Node
  /// The first index in its numeric form, when it has one (`numericIndexIsSet`).
  let numericIndex: NumericNode
  let numericIndexIsSet: Bool
  /// The paths changed in their slot without the general walk (`changeInSlot`).
  let form: Form

  enum Form {
    /// `xs[i] = v`
    case index
    /// `r.k = v`
    case field
    /// `rows[i].k = v`
    case indexField
    /// `m[i][j] = v`: changed in its slot only by `PlaceStoreNode` (here, the general walk).
    case indexIndex
    case other
  }
  /// Where each `.name` step's field was last found.
  let lookups: PathLookups

  init(target: Storage, path: [PathStep], op: BinaryOperator?, value: Node, operatorSpan: Span, span: Span) {
    self.target = target
    self.path = path
    self.op = op
    self.value = value
    self.operatorSpan = operatorSpan
    self.indexNodes = path.compactMap { if case .index(let node) = $0 { node } else { nil } }
    self.firstIndex = indexNodes.first ?? CallNode.absent
    let numeric = indexNodes.first.flatMap(NumericNode.operand)
    self.numericIndex = numeric ?? NumericConstant(.nan, general: CallNode.absent)
    self.numericIndexIsSet = numeric != nil
    switch (path.first, path.count) {
    case (.index, 1): form = .index
    case (.field, 1): form = .field
    case (.index, 2): if case .field = path[1] { form = .indexField } else { form = .indexIndex }
    default: form = .other
    }
    self.lookups = PathLookups(path)
    super.init(span: span)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    let newValue = try value.evaluate(runtime)
    // `xs[i] = v` with a numeric index (`i`, `j + 1`: pure, so computing it twice is safe): the
    // element set in the list in its slot without making a key value.
    if numericIndexIsSet, form == .index || form == .indexField, let slot = runtime.pointer(target) {
      let n = numericIndex.number(runtime)
      if form == .index
        ? try setElement(slot, n, newValue, runtime) : try setElementField(slot, n, newValue, runtime)
      {
        return
      }
    }
    var keys = PathKeys()
    if indexNodes.count == 1 {
      keys.first = try firstIndex.evaluate(runtime)
    } else if !indexNodes.isEmpty {
      for (position, node) in indexNodes.enumerated() {
        let key = try node.evaluate(runtime)
        if position == 0 { keys.first = key } else { keys.rest.append(key) }
      }
    }
    if form != .other, let slot = runtime.pointer(target),
      try changeInSlot(slot, keys.first, newValue, runtime)
    {
      return
    }
    var root = runtime.take(target)
    defer { runtime.store(root, into: target) }
    try assign(&root, step: 0, keyIndex: 0, keys: keys, newValue, runtime)
  }

  /// The common short paths on a local's or a global's value, changed where it lies: a list
  /// element by a whole index in range (`xs[i] op= v`), a record's existing field (`r.k op= v`)
  /// and a field of a list's record (`rows[i].k op= v`). False — nothing changed — for anything
  /// else (a negative or bad index, a missing field, another kind of value), which the general
  /// walk then does, with its errors.
  @inline(__always)
  func changeInSlot(_ slot: UnsafeMutablePointer<Value>, _ key: Value, _ newValue: Value, _ runtime: Runtime)
    throws(PQError) -> Bool
  {
    switch form {
    case .index where slot.pointee.isRecord:
      // `counts[word] = n`: a record's field by a name string, added when missing.
      guard case .string(let name) = key, var record = slot.pointee.takeRecord() else { return false }
      defer { slot.pointee = .record(record) }
      if let position = record.shape.position(of: name) {
        try runtime.makeUnique(&record.values, span)
        try set(&record.values[position], newValue, runtime)
      } else {
        guard op == nil else { return false }
        if record.appendField(name, newValue) { try runtime.chargeCopy(record.count, span) }
      }
      return true
    case .index:
      guard case .number(let n) = key else { return false }
      return try setElement(slot, n, newValue, runtime)
    case .indexField:
      guard case .number(let n) = key else { return false }
      return try setElementField(slot, n, newValue, runtime)
    case .field:
      guard var record = slot.pointee.takeRecord() else { return false }
      defer { slot.pointee = .record(record) }
      return try setField(&record, step: 0, newValue, runtime)
    case .indexIndex, .other:
      return false
    }
  }

  /// Sets or combines element `n` of the list in `slot` when `n` is a whole number in range;
  /// false (nothing changed) for anything else.
  @inline(__always)
  func setElement(_ slot: UnsafeMutablePointer<Value>, _ n: Double, _ newValue: Value, _ runtime: Runtime)
    throws(PQError) -> Bool
  {
    guard n >= 0, case .list = slot.pointee else { return false }
    var items = Runtime.takeList(slot)
    defer { slot.initialize(to: .list(items)) }
    guard let position = Indexing.wholeIndex(n, count: items.count) else { return false }
    try runtime.makeUnique(&items, span)
    try set(&items[position], newValue, runtime)
    return true
  }

  /// `rows[n].k op= newValue` on the list in `slot`, changed where it lies: false — nothing
  /// changed — unless `n` is a whole index in range of a list whose element is a record with
  /// the field.
  @inline(__always)
  func setElementField(
    _ slot: UnsafeMutablePointer<Value>, _ n: Double, _ newValue: Value, _ runtime: Runtime
  )
    throws(PQError) -> Bool
  {
    guard n >= 0, case .list = slot.pointee else { return false }
    var items = Runtime.takeList(slot)
    defer { slot.initialize(to: .list(items)) }
    guard let position = Indexing.wholeIndex(n, count: items.count) else { return false }
    // No binding of the element here: one would hold its fields through the change and
    // force a copy of them.
    guard case .record = items[position] else { return false }
    try runtime.makeUnique(&items, span)
    guard var record = items[position].takeRecord() else { return false }
    defer { items[position] = .record(record) }
    return try setField(&record, step: 1, newValue, runtime)
  }

  /// Sets or combines the field of `path[step]` if `record` has it.
  @inline(__always)
  func setField(_ record: inout Record, step: Int, _ newValue: Value, _ runtime: Runtime) throws(PQError)
    -> Bool
  {
    guard let position = lookups.fields[step].position(in: record.shape) else { return false }
    try runtime.makeUnique(&record.values, span)
    try set(&record.values[position], newValue, runtime)
    return true
  }

  /// `place = newValue`, or `place op= newValue`.
  @inline(__always)
  func set(_ place: inout Value, _ newValue: Value, _ runtime: Runtime) throws(PQError) {
    if let op {
      try CompoundAssignNode.update(&place, op, newValue, runtime, span: span, operatorSpan: operatorSpan)
    } else {
      place = newValue
    }
  }

  func assign(
    _ container: inout Value, step: Int, keyIndex: Int, keys: PathKeys, _ newValue: Value, _ runtime: Runtime
  ) throws(PQError) {
    let isLast = step == path.count - 1
    switch path[step] {
    case .field(let name, let span):
      try assignField(
        &container, name, span: span, isLast: isLast, step: step, keyIndex: keyIndex, keys: keys, newValue,
        runtime)
    case .index(let node):
      let key = keys[keyIndex]
      if var items = container.takeList() {
        defer { container = .list(items) }
        let position = try Indexing.position(key, count: items.count, what: "list", span: node.span)
        try runtime.makeUnique(&items, span)
        if isLast {
          try set(&items[position], newValue, runtime)
        } else {
          try assign(&items[position], step: step + 1, keyIndex: keyIndex + 1, keys: keys, newValue, runtime)
        }
      } else if case .record = container {
        guard case .string(let name) = key else {
          throw PQError(
            .runtime, "a record is indexed by a field name string, not \(Arithmetic.describe(key))",
            span: node.span)
        }
        try assignField(
          &container, name, span: node.span, isLast: isLast, step: step, keyIndex: keyIndex + 1, keys: keys,
          newValue, runtime)
      } else {
        throw PQError(.runtime, "cannot set an element of \(Arithmetic.describe(container))", span: node.span)
      }
    }
  }

  func assignField(
    _ container: inout Value, _ name: String, span: Span, isLast: Bool, step: Int, keyIndex: Int,
    keys: PathKeys, _ newValue: Value, _ runtime: Runtime
  ) throws(PQError) {
    guard var record = container.takeRecord() else {
      throw PQError(.runtime, "cannot set field '\(name)' of \(Arithmetic.describe(container))", span: span)
    }
    defer { container = .record(record) }
    // A `.name` step's position is cached; a `["name"]` step's name may differ each time.
    let found: Int?
    if case .field = path[step] {
      found = lookups.fields[step].position(in: record.shape)
    } else {
      found = record.shape.position(of: name)
    }
    guard let position = found else {
      guard isLast, op == nil else { throw FieldNode.missing(name, in: record, span: span) }
      if record.appendField(name, newValue) { try runtime.chargeCopy(record.count, self.span) }
      return
    }
    try runtime.makeUnique(&record.values, self.span)
    if isLast {
      try set(&record.values[position], newValue, runtime)
    } else {
      try assign(&record.values[position], step: step + 1, keyIndex: keyIndex, keys: keys, newValue, runtime)
    }
  }
}
