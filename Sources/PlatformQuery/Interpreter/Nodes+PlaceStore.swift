/// `xs[i] = v`, `r.k = v` and `rows[i].k = v` (and each with `op=`) on a local's or a global's
/// value, when what is stored is a plain number a ``NumericNode`` computes — the value, or for
/// `op=` the place's own number combined with it (`bodies[i].vx -= dx * mj` reads
/// `bodies[i].vx` where it lies) — or a constant without references (`flags[j] = false`).
///
/// The number is stored where the place lies, without making a `Value` of the result or of the
/// index, and without the general walk's key list. Anything else — a NaN from the numeric node (a
/// figure, text, an error to report), a place that is not there (an index out of range, a missing
/// field), another kind of container — is left untouched and done by the ordinary
/// ``PathAssignNode`` (`general`) from the start, with its results and errors; the numeric node
/// is pure, so computing it first changes nothing. Copies of shared lists and records are made,
/// counted and charged as the general walk makes them (`Runtime.withUniqueElements`, as
/// `Runtime.makeUnique`).
///
/// Measured (callgrind): see bench/README.md, "seventh session".
final class PlaceStoreNode: Node {
  /// The variable's slot as `NumericNode.slot(of:)` gives it (a local ≥ 0, a global < 0).
  let slot: Int
  /// The place: an element, a field, or a field of an element.
  let form: PathAssignNode.Form
  /// The element's index (a placeholder for `.field`).
  let index: NumericNode
  /// What is stored: the number of `numeric`, unless `truth` says a constant (the two kept
  /// apart rather than in an enum, whose payload is retained to be read).
  let numeric: NumericNode
  /// 0 or 1 for a `false` or `true` constant, 2 for `nil`, -1 for the number of `numeric`.
  let truth: Int8
  /// Where the field was in the last record shape seen (`.field`, `.indexField`).
  var lookup: FieldLookup
  let general: PathAssignNode

  init(
    slot: Int, form: PathAssignNode.Form, index: NumericNode?, field: String, numeric: NumericNode?,
    truth: Int8,
    general: PathAssignNode
  ) {
    self.slot = slot
    self.form = form
    self.index = index ?? NumericConstant(.nan, general: CallNode.absent)
    self.numeric = numeric ?? NumericConstant(.nan, general: CallNode.absent)
    self.truth = truth
    self.lookup = FieldLookup(field)
    self.general = general
    super.init(span: general.span)
  }

  /// The store node for `general` when its place and value have the forms above, or nil.
  /// `root` reads the variable; the place read as an expression (`xs[i]`, `r.k`, `rows[i].k`) is
  /// built on it, and for `op=` the numeric form of `place op value` is what is stored.
  static func make(_ general: PathAssignNode, root: Node, operatorSpan: Span) -> Node? {
    guard general.form != .other, let slot = NumericNode.slot(of: root) else { return nil }
    var index: NumericNode?
    var field = ""
    var read = root
    for step in general.path {
      switch step {
      case .index(let node):
        guard let numeric = NumericNode.operand(node) else { return nil }
        index = numeric
        read = IndexNode(base: read, index: node, span: node.span)
      case .field(let name, let span):
        field = name
        read = FieldNode(base: read, name: name, nameSpan: span, span: span)
      }
    }
    var numeric: NumericNode?
    var truth: Int8 = -1
    if let op = general.op {
      let combined = BinaryNode(op, read, general.value, operatorSpan: operatorSpan, span: general.span)
      numeric = NumericNode.lift(combined) as? NumericNode
    } else if let constant = general.value as? ConstantNode, constant.truth >= 0 {
      truth = constant.truth
    } else {
      numeric = NumericNode.operand(general.value)
    }
    guard numeric != nil || truth >= 0 else { return nil }
    return PlaceStoreNode(
      slot: slot, form: general.form, index: index, field: field, numeric: numeric, truth: truth,
      general: general)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    switch truth {
    case -1:
      let number = numeric.number(runtime)
      if !number.isNaN, try store(runtime, { $0.storeScalar(.number(number)) }) { return .nil }
    case 2:
      if try store(runtime, { $0.storeScalar(.nil) }) { return .nil }
    default:
      let truth = truth == 1
      if try store(runtime, { $0.storeScalar(.bool(truth)) }) { return .nil }
    }
    return try general.evaluate(runtime)
  }

  /// Finds the place, makes the list and record on the way the only holders of their storage,
  /// and lets `write` set it; false — nothing found, nothing changed — when the place is not
  /// there.
  @inline(__always)
  func store(_ runtime: Runtime, _ write: (UnsafeMutablePointer<Value>) -> Void) throws(PQError) -> Bool {
    let place = runtime.valueSlot(slot)
    switch form {
    case .index:
      return try Self.inList(place, index.number(runtime), runtime, span) { element in
        write(element)
        return true
      }
    case .field:
      return try inRecord(place, runtime, write)
    case .indexField:
      return try Self.inList(place, index.number(runtime), runtime, span) { element throws(PQError) in
        try inRecord(element, runtime, write)
      }
    case .other:
      return false
    }
  }

  /// `body` on element `n` of the list in `place`, made unique first; false when `place` holds
  /// no list or `n` is not a whole index in range (or `body` says false).
  @inline(__always)
  static func inList(
    _ place: UnsafeMutablePointer<Value>, _ n: Double, _ runtime: Runtime, _ span: Span,
    _ body: (UnsafeMutablePointer<Value>) throws(PQError) -> Bool
  ) throws(PQError) -> Bool {
    guard case .list = place.pointee else { return false }
    var items = Runtime.takeList(place)
    defer { place.initialize(to: .list(items)) }
    guard let position = Indexing.wholeIndex(n, count: items.count) else { return false }
    return try runtime.withUniqueElements(&items, span) { elements throws(PQError) in
      try body(elements + position)
    }
  }

  /// `write` on the field of the record in `place`, its values made unique first; false when
  /// `place` holds no record or the record lacks the field.
  @inline(__always)
  func inRecord(
    _ place: UnsafeMutablePointer<Value>, _ runtime: Runtime, _ write: (UnsafeMutablePointer<Value>) -> Void
  ) throws(PQError) -> Bool {
    guard case .record = place.pointee, var record = place.pointee.takeRecord() else { return false }
    defer { place.initialize(to: .record(record)) }
    guard let position = lookup.position(in: record.shape) else { return false }
    try runtime.withUniqueElements(&record.values, span) { elements in write(elements + position) }
    return true
  }
}
