import Synchronization

/// The ordered field names of records, shared between records built the same way so that field
/// lookups can be cached by identity.
/// The shape also holds what the records stand for, so that a record is two words (shape and
/// values) and a `Value` stays small enough to copy and return in registers.
///
/// `@unchecked Sendable`: a shape is changed only by `append`, which its record calls only when
/// it holds the one reference to the shape (`isKnownUniquelyReferenced`), so a shape another
/// thread can see is never changed.
final class Shape: @unchecked Sendable {
  private(set) var keys: [String]
  let kind: RecordKind

  /// Where `name` and the five platform metrics (`Metric.all`) sit in this shape, a byte each
  /// (position + 1, or 0 when absent) above a "computed" bit, worked out on first use: `compare`
  /// on two platforms reads them instead of hashing six field names per platform per call.
  /// Atomic so that interpreters on several threads may share the shape; any of them may fill
  /// it in, all with the same value.
  private let platformPositions = Atomic<UInt64>(0)

  /// The fields `platformPosition` knows: `name`, then each metric of `Metric.all`.
  static let platformFields = ["name"] + Metric.all.map(\.field)

  /// The position of `platformFields[field]` in this shape, or nil when the shape lacks it.
  func platformPosition(_ field: Int) -> Int? {
    var packed = platformPositions.load(ordering: .relaxed)
    if packed == 0 {
      packed = 1 << 63
      for (slot, name) in Shape.platformFields.enumerated() {
        guard let position = position(of: name) else { continue }
        // Records of more than 254 fields are looked up by name each time.
        guard position < 255 else { return self.position(of: Shape.platformFields[field]) }
        packed |= UInt64(position + 1) << (8 * slot)
      }
      platformPositions.store(packed, ordering: .relaxed)
    }
    let byte = Int((packed >> (8 * field)) & 0xFF)
    return byte == 0 ? nil : byte - 1
  }

  /// The file a platform record was loaded from (its last path component); nil for the built-in
  /// data's platforms and records made in pq. Notes about a figure a platform lacks name it: a
  /// loaded file's platform is not the article's.
  let file: String?

  /// A number no other shape has had in this process: caches of field positions
  /// (`FieldLookup`) remember a shape by it rather than hold the shape (a held shape is shared,
  /// so a record growing a key at a time would copy its keys each time), and never mistake a
  /// new shape at a freed one's address for it.
  let id: UInt64

  private static let lastID = Atomic<UInt64>(0)

  init(keys: [String], kind: RecordKind = .plain, file: String? = nil) {
    self.id = Shape.lastID.wrappingAdd(1, ordering: .relaxed).newValue
    self.keys = keys
    self.kind = kind
    self.file = file
    table = keys.count > Shape.scannedKeys ? KeyTable(keys) : nil
  }

  /// Shapes of up to this many keys find a key by comparing it with each: cheaper than hashing
  /// it, and no table to build (the article's records are made at every start).
  static let scannedKeys = 12

  /// The positions of the keys of a larger shape.
  private var table: KeyTable?

  /// The position of `key`, or nil; the last, should a key appear twice.
  func position(of key: String) -> Int? {
    if let table { return table.position(of: key, in: keys) }
    var position = keys.count - 1
    while position >= 0 {
      if keys[position] == key { return position }
      position -= 1
    }
    return nil
  }

  static let empty = Shape(keys: [])

  func adding(_ key: String) -> Shape { Shape(keys: keys + [key], kind: kind, file: file) }

  /// Adds `key` at the end of this shape, which only its caller's record holds: positions
  /// already found stay right, so caches of them (`FieldLookup`) stay true.
  fileprivate func append(_ key: String) {
    keys.append(key)
    if table != nil {
      table?.insert(keys.count - 1, of: keys)
    } else if keys.count > Shape.scannedKeys {
      table = KeyTable(keys)
    }
    platformPositions.store(0, ordering: .relaxed)
  }

  /// The same keys standing for another kind of record.
  func with(kind: RecordKind) -> Shape {
    kind == self.kind ? self : Shape(keys: keys, kind: kind, file: file)
  }
}

/// What a record stands for, which decides how it displays and what `type` says.
public enum RecordKind: Sendable, Equatable {
  /// An ordinary record.
  case plain
  /// A platform from the dataset.
  case platform
  /// The result of `compare` on two figures.
  case comparison
  /// The result of `compare` on two platforms.
  case platformComparison
  /// An imported module's bindings.
  case module(String)
  /// A chart made by `chart()`: shown as bars in a terminal, as SVG by `svg()` and `save`.
  case chart
  /// A caveat (``Caveat/value``): shown as its sentence.
  case caveat

  var typeName: String {
    switch self {
    case .plain: return "record"
    case .platform: return "platform"
    case .comparison, .platformComparison: return "comparison"
    case .module: return "module"
    case .chart: return "chart"
    case .caveat: return "caveat"
    }
  }
}

/// Named fields in insertion order.
public struct Record: Sendable {
  var shape: Shape
  var values: [Value]
  /// What the record stands for.
  public var kind: RecordKind {
    get { shape.kind }
    set { shape = shape.with(kind: newValue) }
  }

  /// Creates a record from key–value pairs; a later duplicate key replaces the earlier value.
  public init(_ pairs: [(String, Value)], kind: RecordKind = .plain) {
    var keys: [String] = []
    var values: [Value] = []
    keys.reserveCapacity(pairs.count)
    values.reserveCapacity(pairs.count)
    // Duplicates found by scanning for a few keys, by hashing for many (a JSON object of
    // 500,000 keys was quadratic).
    var positions: [String: Int]? = pairs.count > Shape.scannedKeys ? [:] : nil
    for (key, value) in pairs {
      if let existing = positions != nil ? positions?[key] : keys.firstIndex(of: key) {
        values[existing] = value
      } else {
        positions?[key] = keys.count
        keys.append(key)
        values.append(value)
      }
    }
    self.shape = Shape(keys: keys, kind: kind)
    self.values = values
  }

  /// A record of a prepared shape; the record's kind is the shape's.
  init(shape: Shape, values: [Value]) {
    self.shape = shape
    self.values = values
  }

  /// The field names, in order.
  public var keys: [String] { shape.keys }
  /// The number of fields.
  public var count: Int { values.count }

  /// The value of a field, or nil when the record has no such field.
  public subscript(key: String) -> Value? {
    get { shape.position(of: key).map { values[$0] } }
    set {
      if let position = shape.position(of: key) {
        if let newValue { values[position] = newValue } else { remove(key) }
      } else if let newValue {
        appendField(key, newValue)
      }
    }
  }

  /// Adds a field the record lacks, at the end. The shape grows in place when this record
  /// alone holds it, so a record built a key at a time is linear, not quadratic. True when the
  /// record's storage was shared with another value and had to be copied.
  @discardableResult
  mutating func appendField(_ key: String, _ value: Value) -> Bool {
    var copied = false
    if isKnownUniquelyReferenced(&shape) {
      shape.append(key)
    } else {
      copied = !shape.keys.isEmpty
      shape = shape.adding(key)
    }
    let hadRoom = values.count < values.capacity
    let before = values.withUnsafeBufferPointer { $0.baseAddress }
    values.append(value)
    if hadRoom, values.withUnsafeBufferPointer({ $0.baseAddress }) != before { copied = true }
    return copied
  }

  /// Who gives this platform's figures, for a note about one it lacks: the file it was loaded
  /// from, or `dataName` ("the article") for the built-in data's platforms. "The article gives
  /// no figure" is said only of the article's.
  func figureSource(dataName: String) -> String { shape.file ?? dataName }

  /// The value of `Shape.platformFields[field]` (`name` or a metric), found without hashing.
  func platformField(_ field: Int) -> Value? {
    shape.platformPosition(field).map { values[$0] }
  }

  /// The fields as pairs, in order.
  public var pairs: [(String, Value)] { Array(zip(shape.keys, values)) }

  mutating func remove(_ key: String) {
    guard let position = shape.position(of: key) else { return }
    var keys = shape.keys
    keys.remove(at: position)
    values.remove(at: position)
    shape = Shape(keys: keys, kind: shape.kind, file: shape.file)
  }
}

/// A field name and where it was in the last record shape seen, remembered by the shape's `id`:
/// `r.users` read or set in a loop finds its position without comparing names.
struct FieldLookup {
  let name: String
  private var shapeID: UInt64 = 0
  private var index = 0

  init(_ name: String) {
    self.name = name
  }

  /// The field's position in `shape`, or nil when the shape lacks it.
  @inline(__always)
  mutating func position(in shape: Shape) -> Int? {
    if shape.id == shapeID { return index }
    guard let found = shape.position(of: name) else { return nil }
    shapeID = shape.id
    index = found
    return found
  }

  /// A shape's id and a field's position in it.
  struct Known {
    let shape: UInt64
    let position: Int
  }

  /// The shape last seen (0, which no shape has, before any) and the field's position in it.
  @inline(__always)
  var known: Known { Known(shape: shapeID, position: index) }
}

/// The positions of a large shape's keys: an open-addressing table of positions, hashed by
/// FNV-1a over the key's UTF-8 bytes. A `[String: Int]` hashes with SipHash, which cost about
/// 400 instructions a lookup of a short key (keyed counting over 2,000 keys, bench/README.md).
/// A later duplicate key takes the earlier one's place, as the shape's `position(of:)` finds the
/// last.
struct KeyTable {
  /// Position + 1 of the key in each slot, 0 for an empty slot; a power of two long, at most
  /// half full.
  private var slots: [Int32]

  init(_ keys: [String]) {
    var capacity = 16
    while capacity < keys.count * 2 { capacity *= 2 }
    slots = Array(repeating: 0, count: capacity)
    for position in keys.indices { insert(position, of: keys) }
  }

  /// Over the bytes in place (`withUTF8`: iterating `utf8` of a small string took 200
  /// instructions for a five-byte key).
  static func hash(_ key: String) -> UInt64 {
    var text = key
    return text.withUTF8 { hash($0) }
  }

  /// FNV-1a over bytes, its high bits folded into the low ones that pick a slot.
  static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    return hash ^ (hash >> 29)
  }

  func position(of key: String, in keys: [String]) -> Int? {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: KeyTable.hash(key)) & mask
    while true {
      let entry = Int(slots[slot])
      if entry == 0 { return nil }
      if keys[entry - 1] == key { return entry - 1 }
      slot = (slot + 1) & mask
    }
  }

  /// Records that `keys[position]` is at `position`, growing the table past half full.
  mutating func insert(_ position: Int, of keys: [String]) {
    if (position + 1) * 2 > slots.count {
      self = KeyTable(Array(keys[0...position]))
      return
    }
    let mask = slots.count - 1
    let key = keys[position]
    var slot = Int(truncatingIfNeeded: KeyTable.hash(key)) & mask
    while slots[slot] != 0 {
      if keys[Int(slots[slot]) - 1] == key {
        slots[slot] = Int32(position + 1)
        return
      }
      slot = (slot + 1) & mask
    }
    slots[slot] = Int32(position + 1)
  }
}
