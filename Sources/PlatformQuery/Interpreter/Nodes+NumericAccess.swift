/// Numeric forms of reading an element or a field (`xs[i]`, `r.k`, `rows[i].k`) where the list or
/// record lies — in a local's or a global's slot — so that arithmetic over them (`bodies[i].x -
/// bodies[j].x`, `perm[i] + 1`, `rows[i].score * 3`) takes the numeric path instead of making a
/// `Value` per operand and copying the record out of its list to read one field.
///
/// Like every ``NumericNode``, each is pure and gives up with NaN — a container that is not
/// there, an index that is not a whole number in range, a missing field, an element or field that
/// is not a plain number (a figure, text, nil) — and the ordinary nodes (`general`) then read
/// it again from the start, with their results, notes and errors. `NumericPathTests` holds both
/// paths to the same answers.
extension NumericNode {
  /// The numeric form of an element or field read on a local's or global's value, or nil.
  static func access(_ node: Node) -> NumericNode? {
    switch node {
    case let index as IndexNode where index.baseSlot != .min:
      return NumericElement(index)
    case let index as IndexNode where index.innerSlot != .min:
      return NumericNestedElement(index)
    case let field as FieldNode:
      if let index = field.base as? IndexNode, index.baseSlot != .min {
        return NumericElementField(field, element: index)
      }
      if let slot = NumericNode.slot(of: field.base) { return NumericField(field, slot: slot) }
      return nil
    default: return nil
    }
  }

  /// The slot of a local's (≥ 0) or a global's (< 0: -1 - index) name, or nil.
  static func slot(of node: Node) -> Int? {
    switch node {
    case let local as LocalGetNode: return local.slot
    case let global as GlobalGetNode: return -1 - global.index
    default: return nil
    }
  }
}

extension Runtime {
  /// The slot `NumericNode.slot(of:)` names.
  @inline(__always)
  func valueSlot(_ slot: Int) -> UnsafeMutablePointer<Value> {
    slot >= 0 ? localPointer(slot) : globals.slot(-1 - slot)
  }
}

/// `xs[i]` when it is a plain number.
final class NumericElement: NumericNode {
  let baseSlot: Int
  let index: NumericNode
  let indexOperand: NumericOperand

  init(_ node: IndexNode) {
    baseSlot = node.baseSlot
    index = node.numericIndex
    indexOperand = NumericOperand(index)
    super.init(general: node)
  }

  override func number(_ runtime: Runtime) -> Double {
    // The index first: the list is read after the last call that could change it, so it is
    // borrowed, not copied.
    let i = indexOperand.number(runtime)
    return runtime.valueSlot(baseSlot).pointee.number(at: i)
  }
}

/// `m[i][j]` when it is a plain number: the element of the list that lies in the variable's list,
/// read where it lies (the row is not copied out of the grid).
final class NumericNestedElement: NumericNode {
  let baseSlot: Int
  let row: NumericNode
  let rowOperand: NumericOperand
  let column: NumericNode
  let columnOperand: NumericOperand

  init(_ node: IndexNode) {
    baseSlot = node.innerSlot
    row = node.innerIndex
    rowOperand = NumericOperand(row)
    column = node.numericIndex
    columnOperand = NumericOperand(column)
    super.init(general: node)
  }

  override func number(_ runtime: Runtime) -> Double {
    // The indices first: the list is read after the last call that could change it.
    let i = rowOperand.number(runtime)
    let j = columnOperand.number(runtime)
    return runtime.valueSlot(baseSlot).pointee.number(at: i, then: j)
  }
}

/// `rows[i].k` when it is a plain number: the field read in the record where it lies in the list.
final class NumericElementField: NumericNode {
  let baseSlot: Int
  let index: NumericNode
  let indexOperand: NumericOperand
  /// Where the field was in the last shape seen.
  var lookup: FieldLookup

  init(_ node: FieldNode, element: IndexNode) {
    baseSlot = element.baseSlot
    index = element.numericIndex
    indexOperand = NumericOperand(index)
    lookup = FieldLookup(node.name)
    super.init(general: node)
  }

  override func number(_ runtime: Runtime) -> Double {
    let i = indexOperand.number(runtime)
    let slot = runtime.valueSlot(baseSlot)
    let n = slot.pointee.number(ofElement: i, field: lookup.known)
    if !n.isNaN { return n }
    return missed(slot.pointee, i)
  }

  /// The read again after a NaN, with the lookup brought up to date: a new shape, or a field
  /// that is not a plain number (NaN again).
  @inline(never)
  func missed(_ list: Value, _ i: Double) -> Double {
    guard case .list(let items) = list, let position = Indexing.wholeIndex(i, count: items.count),
      case .record(let record) = items[position], lookup.position(in: record.shape) != nil
    else { return .nan }
    return items[position].number(inField: lookup.known)
  }
}

/// `r.k` of a local's or a global's record when it is a plain number.
final class NumericField: NumericNode {
  let baseSlot: Int
  /// Where the field was in the last shape seen.
  var lookup: FieldLookup

  init(_ node: FieldNode, slot: Int) {
    baseSlot = slot
    lookup = FieldLookup(node.name)
    super.init(general: node)
  }

  override func number(_ runtime: Runtime) -> Double {
    let slot = runtime.valueSlot(baseSlot)
    let n = slot.pointee.number(inField: lookup.known)
    if !n.isNaN { return n }
    return missed(slot.pointee)
  }

  /// The read again after a NaN, with the lookup brought up to date.
  @inline(never)
  func missed(_ value: Value) -> Double {
    guard case .record(let record) = value, lookup.position(in: record.shape) != nil else { return .nan }
    return value.number(inField: lookup.known)
  }
}

/// Reads of plain numbers in a value where it lies. Each is a method on the value, so that the
/// value, and the list or record it holds, is borrowed rather than copied: a pattern binding of
/// `items[i]` in the caller retained the record and its values and released them again (90 of
/// the 130 instructions of a `rows[i].k` read).
extension Value {
  /// What `len` gives for this value — the elements of a list, the characters of a text, the
  /// fields of a record — or NaN for any other value (the call's error to report).
  @inline(__always)
  var length: Double {
    switch self {
    case .list(let items): return Double(items.count)
    case .string(let text): return Double(text.characterCount)
    case .record(let record): return Double(record.count)
    default: return .nan
    }
  }

  /// The plain number this value is, or NaN.
  @inline(__always)
  var plainNumber: Double {
    if case .number(let n) = self { return n }
    return .nan
  }

  /// The plain number at whole index `n` of this list, or NaN.
  @inline(__always)
  func number(at n: Double) -> Double {
    switch self {
    case .list(let items):
      guard let position = Indexing.wholeIndex(n, count: items.count) else { return .nan }
      return items[position].plainNumber
    default: return .nan
    }
  }

  /// The plain number at whole index `j` of the list at whole index `i` of this list, or NaN.
  @inline(__always)
  func number(at i: Double, then j: Double) -> Double {
    switch self {
    case .list(let items):
      guard let position = Indexing.wholeIndex(i, count: items.count) else { return .nan }
      return items[position].number(at: j)
    default: return .nan
    }
  }

  /// The element at whole index `j` of the list at whole index `i` of this list, or nil (not a
  /// list of lists, or an index that is not whole and in range). Only the element is copied.
  @inline(__always)
  func element(at i: Double, then j: Double) -> Value? {
    switch self {
    case .list(let items):
      guard let position = Indexing.wholeIndex(i, count: items.count) else { return nil }
      return items[position].element(at: j)
    default: return nil
    }
  }

  /// The element at whole index `n` of this list, or nil. Only the element is copied.
  @inline(__always)
  func element(at n: Double) -> Value? {
    switch self {
    case .list(let items):
      guard let position = Indexing.wholeIndex(n, count: items.count) else { return nil }
      return items[position]
    default: return nil
    }
  }

  /// The plain number in the field of this record that `field` knows (a shape's id and a
  /// position in it), or NaN — also when the record has another shape.
  @inline(__always)
  func number(inField field: FieldLookup.Known) -> Double {
    switch self {
    case .record(let record):
      return record.shape.id == field.shape ? record.values[field.position].plainNumber : .nan
    default: return .nan
    }
  }

  /// `number(inField:)` of the element at whole index `n` of this list, or NaN.
  @inline(__always)
  func number(ofElement n: Double, field: FieldLookup.Known) -> Double {
    switch self {
    case .list(let items):
      guard let position = Indexing.wholeIndex(n, count: items.count) else { return .nan }
      return items[position].number(inField: field)
    default: return .nan
    }
  }
}
