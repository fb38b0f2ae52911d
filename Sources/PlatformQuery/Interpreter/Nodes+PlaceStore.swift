/// `xs[i] = v`, `r.k = v` and `rows[i].k = v` (and each with `op=`) on a local's or a global's
/// value, when what is stored is a plain number a ``NumericNode`` computes — the value, or for
/// `op=` the place's own number combined with it where it lies (`bodies[i].vx -= dx * mj` finds
/// `bodies[i].vx` once, reads its number and writes the result there) — or a constant without
/// references (`flags[j] = false`).
///
/// The number is stored where the place lies, without making a `Value` of the result or of the
/// index, and without the general walk's key list. Anything else — a NaN from the numeric node (a
/// figure, text, an error to report), a place that is not there (an index out of range, a missing
/// field) or, for `op=`, that holds no plain number, another kind of container — is left
/// untouched and done by the ordinary ``PathAssignNode`` (`general`) from the start, with its
/// results and errors; the numeric node is pure, so computing it first changes nothing. Copies of
/// shared lists and records are made, counted and charged as the general walk makes them
/// (`Runtime.withUniqueElements`, as `Runtime.makeUnique`); an `op=` whose place turns out to
/// hold no plain number has then made its list or record unique before the general walk, which
/// would have copied it the same way.
///
/// Measured (callgrind): see bench/README.md, "seventh session" and "ninth session".
final class PlaceStoreNode: StatementNode {
  /// The variable's slot as `NumericNode.slot(of:)` gives it (a local ≥ 0, a global < 0).
  let slot: Int
  /// The place: an element, a field, or a field of an element.
  let form: PathAssignNode.Form
  /// The element's index (a placeholder for `.field`); for `.indexIndex`, the row's.
  let index: NumericNode
  let indexOperand: NumericOperand
  /// For `.indexIndex` (`m[i][j]`), the index in the row (else a placeholder).
  let column: NumericNode
  let columnOperand: NumericOperand
  /// What is stored: the number of `numeric`, unless `truth` says a constant (the two kept
  /// apart rather than in an enum, whose payload is retained to be read). For `op=`, the value
  /// the place's number is combined with.
  let numeric: NumericNode
  let numericOperand: NumericOperand
  /// The operator of `op=` (`+ - * / mod`), or nil for `=`.
  let combining: BinaryOperator?
  /// 0 or 1 for a `false` or `true` constant, 2 for `nil`, -1 for the number of `numeric`.
  let truth: Int8
  /// Where the field was in the last record shape seen (`.field`, `.indexField`).
  var lookup: FieldLookup
  let general: PathAssignNode

  init(
    slot: Int, form: PathAssignNode.Form, indices: [NumericNode], field: String, numeric: NumericNode?,
    combining: BinaryOperator?, truth: Int8, general: PathAssignNode
  ) {
    self.slot = slot
    self.form = form
    self.index = indices.first ?? NumericConstant(.nan, general: CallNode.absent)
    indexOperand = NumericOperand(self.index)
    column = indices.count > 1 ? indices[1] : NumericConstant(.nan, general: CallNode.absent)
    columnOperand = NumericOperand(column)
    self.numeric = numeric ?? NumericConstant(.nan, general: CallNode.absent)
    numericOperand = NumericOperand(self.numeric)
    self.combining = combining
    self.truth = truth
    self.lookup = FieldLookup(field)
    self.general = general
    super.init(span: general.span)
  }

  /// The store node for `general` when its place and value have the forms above, or nil.
  /// `root` reads the variable.
  static func make(_ general: PathAssignNode, root: Node) -> Node? {
    guard general.form != .other, let slot = NumericNode.slot(of: root) else { return nil }
    var indices: [NumericNode] = []
    var field = ""
    for step in general.path {
      switch step {
      case .index(let node):
        guard let numeric = NumericNode.operand(node) else { return nil }
        indices.append(numeric)
      case .field(let name, _):
        field = name
      }
    }
    var numeric: NumericNode?
    var truth: Int8 = -1
    if let op = general.op {
      guard [.add, .subtract, .multiply, .divide, .remainder].contains(op) else { return nil }
      numeric = NumericNode.operand(general.value)
    } else if let constant = general.value as? ConstantNode, constant.truth >= 0 {
      truth = constant.truth
    } else {
      numeric = NumericNode.operand(general.value)
    }
    guard numeric != nil || truth >= 0 else { return nil }
    return PlaceStoreNode(
      slot: slot, form: general.form, indices: indices, field: field, numeric: numeric, combining: general.op,
      truth: truth, general: general)
  }

  override func execute(_ runtime: Runtime) throws(PQError) {
    switch truth {
    case -1:
      let number = numericOperand.number(runtime)
      if number.isNaN { break }
      if let op = combining {
        // The place's own number, combined where it lies; a place without a plain number (a
        // figure, text) or a result the ordinary path must answer for is left to it.
        let stored = try store(runtime) { place in
          guard case .number(let old) = place.pointee else { return false }
          let result = NumericArithmetic.apply(op, old, number)
          if result.isNaN { return false }
          place.initialize(to: .number(result))
          return true
        }
        if stored { return }
      } else if try store(
        runtime,
        {
          $0.storeScalar(.number(number)); return true
        })
      {
        return
      }
    case 2:
      if try store(
        runtime,
        {
          $0.storeScalar(.nil); return true
        })
      {
        return
      }
    default:
      let truth = truth == 1
      if try store(
        runtime,
        {
          $0.storeScalar(.bool(truth)); return true
        })
      {
        return
      }
    }
    try general.execute(runtime)
    return
  }

  /// Finds the place, makes the list and record on the way the only holders of their storage,
  /// and lets `write` set it; false — nothing found, nothing changed — when the place is not
  /// there or `write` says false (having changed nothing).
  @inline(__always)
  func store(_ runtime: Runtime, _ write: (UnsafeMutablePointer<Value>) -> Bool) throws(PQError) -> Bool {
    let place = runtime.valueSlot(slot)
    switch form {
    case .index:
      return try Self.inList(place, indexOperand.number(runtime), runtime, span) { element in
        write(element)
      }
    case .field:
      return try inRecord(place, runtime, write)
    case .indexField:
      return try Self.inList(place, indexOperand.number(runtime), runtime, span) { element throws(PQError) in
        try inRecord(element, runtime, write)
      }
    case .indexIndex:
      return try Self.inList(place, indexOperand.number(runtime), runtime, span) { row throws(PQError) in
        try Self.inList(row, columnOperand.number(runtime), runtime, span) { element in write(element) }
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
  /// `place` holds no record, the record lacks the field or `write` says false.
  @inline(__always)
  func inRecord(
    _ place: UnsafeMutablePointer<Value>, _ runtime: Runtime, _ write: (UnsafeMutablePointer<Value>) -> Bool
  ) throws(PQError) -> Bool {
    guard case .record = place.pointee, var record = place.pointee.takeRecord() else { return false }
    defer { place.initialize(to: .record(record)) }
    guard let position = lookup.position(in: record.shape) else { return false }
    return try runtime.withUniqueElements(&record.values, span) { elements in write(elements + position) }
  }
}
