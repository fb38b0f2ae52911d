/// `a.name`, with the field's position cached for the last record shape seen.
final class FieldNode: Node {
  let base: Node
  let name: String
  let nameSpan: Span
  /// Where the field was in the last shape seen.
  var lookup: FieldLookup
  /// The slot of a base that is a local's or a global's name (`r.users`) as
  /// `NumericNode.slot(of:)` gives it, else `Int.min`: the field is then read from the record
  /// where it lies.
  let baseSlot: Int

  init(base: Node, name: String, nameSpan: Span, span: Span) {
    self.base = base
    self.name = name
    self.nameSpan = nameSpan
    self.lookup = FieldLookup(name)
    self.baseSlot = NumericNode.slot(of: base) ?? .min
    super.init(span: span)
  }

  override var fieldPath: (base: Node, field: String)? { (base, name) }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    if baseSlot != .min {
      // The field where the lookup last found it, the record borrowed (not copied); a record of
      // another shape, a nil field (which is noted) or anything else as below.
      let result = runtime.valueSlot(baseSlot).pointee.value(inField: lookup.known)
      if case .nil = result {} else { return result }
    }
    let value = try base.evaluate(runtime)
    guard case .record(let record) = value else { throw notARecord(value, runtime) }
    guard let index = lookup.position(in: record.shape) else {
      throw FieldNode.missing(name, in: record, span: nameSpan)
    }
    let result = record.values[index]
    if case .nil = result {
      let platform: String? =
        if record.kind == .platform, case .string(let owner)? = record["name"] { owner } else { nil }
      runtime.noteNilField(
        ObjectIdentifier(self), platform: platform,
        source: record.figureSource(dataName: runtime.dataName))
    }
    return result
  }

  func notARecord(_ value: Value, _ runtime: Runtime) -> PQError {
    if case .nil = value, let note = MissingFigure.note(for: base, runtime) {
      return PQError(.runtime, note.message, span: base.span, notes: note.notes)
    }
    return PQError(
      .runtime, "cannot read field '\(name)' of \(Arithmetic.describe(value))", span: nameSpan,
      notes: ["fields belong to records and platforms"])
  }

  static func missing(_ name: String, in record: Record, span: Span) -> PQError {
    let owner: String
    switch record.kind {
    case .platform:
      if case .string(let platform)? = record["name"] {
        owner = "platform \(platform)"
      } else {
        owner = "the platform"
      }
    case .module(let module): owner = "module \(module)"
    default: owner = "the record"
    }
    var notes = Suggestion.note(for: name, in: record.keys)
    if notes.isEmpty { notes = ["its fields are: " + record.keys.joined(separator: ", ")] }
    return PQError(.runtime, "\(owner) has no field '\(name)'", span: span, notes: notes)
  }
}

/// `a[i]`: list and string elements (negative counts from the end), record fields by name.
final class IndexNode: Node {
  let base: Node
  let index: Node

  /// The slot of a base that is a local's (≥ 0) or a global's (< 0: -1 - index) name, read in
  /// place when the index has a numeric form, computed without side effects (`numericIndex`):
  /// `xs[i]`, `v[j + 1]`. `Int.min` when there is none.
  let baseSlot: Int
  /// The index as a `NumericNode` (a placeholder when `baseSlot` is `Int.min`).
  let numericIndex: NumericNode
  let indexOperand: NumericOperand
  /// For `m[i][j]` whose base `m[i]` has a `baseSlot` (and this index a numeric form): that
  /// slot, read in place through both indices; else `Int.min`.
  let innerSlot: Int
  /// The base's index (`i` of `m[i][j]`; a placeholder when `innerSlot` is `Int.min`).
  let innerIndex: NumericNode
  let innerOperand: NumericOperand

  init(base: Node, index: Node, span: Span) {
    self.base = base
    self.index = index
    let numeric = NumericNode.operand(index)
    numericIndex = numeric ?? NumericConstant(.nan, general: index)
    indexOperand = NumericOperand(numericIndex)
    baseSlot = numeric != nil ? NumericNode.slot(of: base) ?? .min : .min
    if numeric != nil, let inner = base as? IndexNode, inner.baseSlot != .min {
      innerSlot = inner.baseSlot
      innerIndex = inner.numericIndex
    } else {
      innerSlot = .min
      innerIndex = numericIndex
    }
    innerOperand = NumericOperand(innerIndex)
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    if baseSlot != .min {
      // The element of a list read where it lies, without copying the list out of its slot;
      // anything else (a negative index, a string, an error to report) as below.
      let n = indexOperand.number(runtime)
      if let element = runtime.valueSlot(baseSlot).pointee.element(at: n) {
        if case .number(let number) = element { return .number(number) }
        return element
      }
    } else if innerSlot != .min {
      // `m[i][j]`: the element read through the row where it lies, without copying the row.
      let i = innerOperand.number(runtime)
      let j = indexOperand.number(runtime)
      if let element = runtime.valueSlot(innerSlot).pointee.element(at: i, then: j) {
        if case .number(let number) = element { return .number(number) }
        return element
      }
    }
    let container = try base.evaluate(runtime)
    let key = try index.evaluate(runtime)
    if case .string(let text) = container, text.utf8.count > 32, runtime.isPlainASCII(text) {
      // One byte a character (`Runtime.isPlainASCII`): the character found by its offset, not by
      // splitting the whole string into characters (`for i in range(len(s)) { s[i] }` was
      // quadratic).
      let count = text.utf8.count
      let position = try Indexing.position(key, count: count, what: "string", span: index.span)
      let byte = text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: position)]
      return .string(String(decoding: CollectionOfOne(byte), as: UTF8.self))
    }
    return try Indexing.get(container, key, indexSpan: index.span)
  }

  /// `if flags[i]`: the element's truth read where it lies, without copying it out.
  override func test(_ runtime: Runtime) throws(PQError) -> Bool {
    if baseSlot != .min {
      // The index first: the value is read after the last call that could change it, so it
      // is borrowed, not copied.
      let n = indexOperand.number(runtime)
      let truth = runtime.valueSlot(baseSlot).pointee.truth(at: n)
      if truth >= 0 { return truth == 1 }
    }
    return try evaluate(runtime).isTruthy
  }
}

extension Value {
  /// The value of the field of this record that `field` knows (a shape's id and a position in
  /// it); nil when this is not a record or has another shape. A method on the value, so that the
  /// record is borrowed and only the field's value copied.
  @inline(__always)
  func value(inField field: FieldLookup.Known) -> Value {
    switch self {
    case .record(let record): return record.shape.id == field.shape ? record.values[field.position] : .nil
    default: return .nil
    }
  }

  /// 1 or 0 for the truth of the element at whole index `n` of this list, -1 when this is not a
  /// list or `n` is not an index of it. A method on the value, so that the list is borrowed.
  @inline(__always)
  func truth(at n: Double) -> Int8 {
    switch self {
    case .list(let items):
      guard let position = Indexing.wholeIndex(n, count: items.count) else { return -1 }
      return items[position].isTruthy ? 1 : 0
    default: return -1
    }
  }
}

/// Element and field access shared by `a[i]`, assignment and built-ins.
enum Indexing {
  /// `n` as an index of a list of `count` elements when it is a whole number from 0 to
  /// `count - 1`, else nil (NaN included). On every `xs[i]` read and write: `rounded()` is a call
  /// to libm on the baseline x86-64 target, and a conversion to `Int` and back checks its range
  /// again. Below 2^52, adding 2^52 rounds `n` to a whole number held in the low bits of the
  /// sum (the doubles from 2^52 to 2^53 are the whole numbers), and taking 2^52 away gives `n`
  /// back only when it was whole.
  @inline(__always)
  static func wholeIndex(_ n: Double, count: Int) -> Int? {
    guard n >= 0, n < Double(count) else { return nil }
    // From 2^52 on every double is whole (and below `count`, so within `Int`).
    guard n < 0x1p52 else { return Int(n) }
    let shifted = n + 0x1p52
    guard shifted - 0x1p52 == n else { return nil }
    return Int(truncatingIfNeeded: shifted.bitPattern & 0x000F_FFFF_FFFF_FFFF)
  }

  static func position(_ key: Value, count: Int, what: String, span: Span) throws(PQError) -> Int {
    guard case .number(let n) = key else {
      throw PQError(
        .runtime, "\(what) index must be a whole number, not \(Arithmetic.describe(key))", span: span)
    }
    // A whole index from 0 up, in range: without `rounded()`, a call to libm.
    if let position = wholeIndex(n, count: count) { return position }
    guard n == n.rounded(), abs(n) < 1e15 else {
      throw PQError(
        .runtime, "\(what) index must be a whole number, not \(NumberFormat.plain(n))", span: span)
    }
    let raw = Int(n)
    let resolved = raw < 0 ? count + raw : raw
    guard resolved >= 0, resolved < count else {
      throw PQError(
        .runtime, "index \(raw) is out of range for a \(what) of \(plural(count, "element"))", span: span,
        notes: count == 0 ? [] : ["valid indices are 0…\(count - 1), or -\(count)…-1 from the end"])
    }
    return resolved
  }

  static func get(_ container: Value, _ key: Value, indexSpan: Span) throws(PQError) -> Value {
    switch container {
    case .list(let items):
      return items[try position(key, count: items.count, what: "list", span: indexSpan)]
    case .string(let text):
      let characters = Array(text)
      return .string(
        String(characters[try position(key, count: characters.count, what: "string", span: indexSpan)]))
    case .record(let record):
      guard case .string(let name) = key else {
        throw PQError(
          .runtime, "a record is indexed by a field name string, not \(Arithmetic.describe(key))",
          span: indexSpan)
      }
      guard let value = record[name] else { throw FieldNode.missing(name, in: record, span: indexSpan) }
      return value
    default:
      throw PQError(.runtime, "cannot index \(Arithmetic.describe(container))", span: indexSpan)
    }
  }
}
