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

  init(_ node: IndexNode) {
    baseSlot = node.baseSlot
    index = node.numericIndex
    super.init(general: node)
  }

  override func number(_ runtime: Runtime) -> Double {
    let i = index.number(runtime)
    guard case .list(let items) = runtime.valueSlot(baseSlot).pointee,
      let position = Indexing.wholeIndex(i, count: items.count), case .number(let n) = items[position]
    else { return .nan }
    return n
  }
}

/// `rows[i].k` when it is a plain number: the field read in the record where it lies in the list.
final class NumericElementField: NumericNode {
  let baseSlot: Int
  let index: NumericNode
  /// Where the field was in the last shape seen.
  var lookup: FieldLookup

  init(_ node: FieldNode, element: IndexNode) {
    baseSlot = element.baseSlot
    index = element.numericIndex
    lookup = FieldLookup(node.name)
    super.init(general: node)
  }

  override func number(_ runtime: Runtime) -> Double {
    let i = index.number(runtime)
    guard case .list(let items) = runtime.valueSlot(baseSlot).pointee,
      let position = Indexing.wholeIndex(i, count: items.count), case .record(let record) = items[position],
      let at = lookup.position(in: record.shape), case .number(let n) = record.values[at]
    else { return .nan }
    return n
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
    guard case .record(let record) = runtime.valueSlot(baseSlot).pointee,
      let at = lookup.position(in: record.shape), case .number(let n) = record.values[at]
    else { return .nan }
    return n
  }
}
