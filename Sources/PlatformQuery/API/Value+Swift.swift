/// Conversions between pq values and Swift types.
extension Value {
  /// A plain number.
  public init(_ number: Double) { self = .number(number) }
  /// A plain number from an integer.
  public init(_ number: Int) { self = .number(Double(number)) }
  /// A string.
  public init(_ text: String) { self = .string(text) }
  /// A boolean.
  public init(_ flag: Bool) { self = .bool(flag) }
  /// A list.
  public init(_ items: [Value]) { self = .list(items) }
  /// A record from a dictionary; fields are ordered by key, as dictionaries have no order.
  public init(_ fields: [String: Value]) {
    self = .record(Record(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
  }
  /// A record from ordered pairs.
  public init(fields: [(String, Value)]) { self = .record(Record(fields)) }
  /// A number with a unit such as `"users"`, `"USD"`, `"%"` or `"USD per user"`; nil for an unknown unit.
  public init?(_ number: Double, unit: String) {
    guard let parsed = Unit.parse(unit) else { return nil }
    self = Value.make(number, parsed, nil)
  }

  /// The number of a plain number or quantity.
  public var doubleValue: Double? { numericValue }
  /// The text of a string.
  public var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }
  /// The flag of a boolean.
  public var boolValue: Bool? {
    if case .bool(let flag) = self { return flag }
    return nil
  }
  /// The elements of a list.
  public var arrayValue: [Value]? {
    if case .list(let items) = self { return items }
    return nil
  }
  /// The fields of a record (platforms included) as a dictionary.
  public var dictionaryValue: [String: Value]? {
    guard case .record(let record) = self else { return nil }
    var result: [String: Value] = [:]
    for (key, value) in record.pairs { result[key] = value }
    return result
  }
  /// The unit's name of a quantity (`users`, `USD per user`), or nil for other values.
  public var unitName: String? {
    guard case .quantity(_, let measure) = self, !measure.unit.isNone else { return nil }
    return measure.unit.description
  }
  /// True for `nil`.
  public var isNil: Bool {
    if case .nil = self { return true }
    return false
  }
}

extension Value: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
  /// `let v: Value = 3`
  public init(integerLiteral value: Int) { self = .number(Double(value)) }
  /// `let v: Value = 2.5`
  public init(floatLiteral value: Double) { self = .number(value) }
  /// `let v: Value = "text"`
  public init(stringLiteral value: String) { self = .string(value) }
  /// `let v: Value = true`
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  /// `let v: Value = [1, "a"]`
  public init(arrayLiteral elements: Value...) { self = .list(elements) }
  /// `let v: Value = nil`
  public init(nilLiteral: ()) { self = .nil }
}

extension Value: Equatable {
  /// Deep equality, sources included: numbers are equal when they agree to pq's 15 significant
  /// digits, have the same unit and were computed from the same figures (every field of each:
  /// source, period, definition, …); lists and records when their items are, in order; functions only
  /// when identical. A host that deduplicates or caches by value so never merges a sourced
  /// figure with an unsourced one. `hasSameNumber(as:)` compares numbers and units alone, as
  /// pq's own `==` does.
  public static func == (lhs: Value, rhs: Value) -> Bool {
    // Item by item on pq's worklist (never by recursion: values of any depth compare on any
    // thread), each leaf with its sources.
    let same = try? Arithmetic.equalNested(
      lhs, rhs,
      leaf: { (a: Value, b: Value) throws(PQError) -> Bool in a.hasSameNumber(as: b) && a.figures == b.figures
      })
    return same ?? false
  }

  /// Equality as pq's `==` has it: numbers to 15 significant digits and with the same unit,
  /// whatever their sources; lists and records item by item.
  public func hasSameNumber(as other: Value) -> Bool {
    if numericValue != nil, other.numericValue != nil, unit != other.unit { return false }
    return (try? Arithmetic.equal(self, other)) ?? false
  }
}

extension Value: Codable {
  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Encodes numbers, strings, booleans, nil, lists and records; a quantity encodes as
  /// `{"value": n, "unit": "users"}`. Functions cannot be encoded.
  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .nil:
      var container = encoder.singleValueContainer()
      try container.encodeNil()
    case .bool(let flag):
      var container = encoder.singleValueContainer()
      try container.encode(flag)
    case .number(let number):
      var container = encoder.singleValueContainer()
      try container.encode(number)
    case .quantity(let number, let measure):
      if measure.unit.isNone {
        var container = encoder.singleValueContainer()
        try container.encode(number)
      } else {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(number, forKey: Key(stringValue: "value"))
        try container.encode(measure.unit.description, forKey: Key(stringValue: "unit"))
      }
    case .string(let text):
      var container = encoder.singleValueContainer()
      try container.encode(text)
    case .list(let items):
      var container = encoder.unkeyedContainer()
      for item in items { try container.encode(item) }
    case .record(let record):
      var container = encoder.container(keyedBy: Key.self)
      for (key, value) in record.pairs { try container.encode(value, forKey: Key(stringValue: key)) }
    case .function(let function):
      throw EncodingError.invalidValue(
        self,
        EncodingError.Context(
          codingPath: encoder.codingPath, debugDescription: "cannot encode the function \(function.name)"))
    }
  }

  /// Decodes what `encode(to:)` writes. Object keys come in the decoder's order.
  public init(from decoder: any Decoder) throws {
    if let container = try? decoder.container(keyedBy: Key.self) {
      let keys = container.allKeys.map(\.stringValue)
      if Set(keys) == ["value", "unit"],
        let number = try? container.decode(Double.self, forKey: Key(stringValue: "value")),
        let unit = try? container.decode(String.self, forKey: Key(stringValue: "unit")),
        let value = Value(number, unit: unit)
      {
        self = value
        return
      }
      var pairs: [(String, Value)] = []
      for key in container.allKeys {
        pairs.append((key.stringValue, try container.decode(Value.self, forKey: key)))
      }
      self = .record(Record(pairs))
      return
    }
    if var container = try? decoder.unkeyedContainer() {
      var items: [Value] = []
      while !container.isAtEnd { items.append(try container.decode(Value.self)) }
      self = .list(items)
      return
    }
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .nil
    } else if let flag = try? container.decode(Bool.self) {
      self = .bool(flag)
    } else if let number = try? container.decode(Double.self) {
      self = .number(number)
    } else {
      self = .string(try container.decode(String.self))
    }
  }
}
