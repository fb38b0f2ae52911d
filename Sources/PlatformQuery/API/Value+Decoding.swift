extension Value {
  /// How `decode(as:numbers:)` reads a number that has a unit.
  public enum NumberReading: Sendable {
    /// As pq shows it and as `value()`, JSON and CSV give it: `57%` is 57, `2 pp` is 2.
    case shown
    /// As pq stores it: `57%` is 0.57 (a fraction), `2 pp` is 0.02.
    case stored
  }

  /// Decodes the value into a Swift type, all the way down: a record into a `Decodable` struct
  /// (by field name), a list into an array, a record into a `[String: T]` dictionary, numbers
  /// into `Double`, `Float` or any integer type (a whole number that fits, else an error), text
  /// into `String`, `nil` (or a missing field) into an optional. A property typed `Value`
  /// receives the pq value itself, with its unit and sources, so a host can take plain numbers
  /// where it wants them and figures where it needs their provenance.
  ///
  /// A value that does not fit is a `PQError` naming where it is (`[2].mau`), what it is and
  /// what was expected.
  public func decode<T: Decodable>(as type: T.Type = T.self, numbers: NumberReading = .shown) throws(PQError)
    -> T
  {
    do {
      return try ValueDecoder(value: self, path: [], numbers: numbers).unbox(self, as: T.self, path: [])
    } catch let failure as ValueDecoder.Failure {
      throw PQError(.runtime, failure.message)
    } catch let error as PQError {
      throw error
    } catch {
      throw PQError(.runtime, "cannot decode the value as \(T.self): \(error)")
    }
  }
}

/// A `Decoder` over a pq value (see `Value.decode(as:numbers:)`).
struct ValueDecoder: Decoder {
  let value: Value
  let path: [any CodingKey]
  let numbers: Value.NumberReading

  var codingPath: [any CodingKey] { path }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(value: Value, path: [any CodingKey], numbers: Value.NumberReading) {
    self.value = value
    self.path = path
    self.numbers = numbers
  }

  /// Why a value does not decode, with where it is.
  struct Failure: Error {
    let message: String
  }

  /// A position in a list, as a coding key.
  struct Index: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
  }

  /// `[2].mau`, or "the value" at the top.
  static func describe(_ path: [any CodingKey]) -> String {
    if path.isEmpty { return "the value" }
    var text = ""
    for key in path {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += (text.isEmpty ? "" : ".") + key.stringValue
      }
    }
    return text
  }

  func failure(_ path: [any CodingKey], _ value: Value, expected: String) -> Failure {
    Failure(message: "cannot decode \(Self.describe(path)) (\(Self.what(value))) as \(expected)")
  }

  /// A number as pq shows it; anything else by its kind.
  static func what(_ value: Value) -> String {
    value.numericValue != nil ? value.inline : Arithmetic.describe(value)
  }

  /// `value` as a `T`: the pq value itself for `Value`, primitives directly, anything else
  /// through its `init(from:)` with a decoder over `value`.
  func unbox<T: Decodable>(_ value: Value, as type: T.Type, path: [any CodingKey]) throws -> T {
    if let same = value as? T, T.self == Value.self { return same }
    if T.self == String.self {
      guard case .string(let text) = value else { throw failure(path, value, expected: "text") }
      return try Self.cast(text)
    }
    if T.self == Bool.self {
      guard case .bool(let flag) = value else { throw failure(path, value, expected: "true or false") }
      return try Self.cast(flag)
    }
    if T.self == Double.self || T.self == Float.self {
      guard let number = number(value) else { throw failure(path, value, expected: "a number") }
      return try Self.cast(T.self == Float.self ? Float(number) as Any : number as Any)
    }
    if let integer = T.self as? any FixedWidthInteger.Type {
      guard let number = number(value) else { throw failure(path, value, expected: "a whole number") }
      guard let exact = integer.init(exactly: number) else {
        throw Failure(
          message:
            "cannot decode \(Self.describe(path)) (\(Self.what(value))) as \(T.self): not a whole number in its range"
        )
      }
      return try Self.cast(exact)
    }
    return try T(from: ValueDecoder(value: value, path: path, numbers: numbers))
  }

  /// `value` as `T`, which the caller has checked it is.
  static func cast<T>(_ value: Any) throws -> T {
    guard let typed = value as? T else {
      throw Failure(message: "cannot decode \(type(of: value)) as \(T.self)")
    }
    return typed
  }

  /// A number as `numbers` says to read it; nil for anything else.
  func number(_ value: Value) -> Double? {
    guard let number = value.numericValue else { return nil }
    return numbers == .shown ? number * value.unit.shownFactor : number
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .record(let record) = value else { throw failure(path, value, expected: "a record") }
    return KeyedDecodingContainer(RecordContainer<Key>(decoder: self, record: record))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .list(let items) = value else { throw failure(path, value, expected: "a list") }
    return ListContainer(decoder: self, items: items)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleContainer(decoder: self) }

  /// A record's fields.
  struct RecordContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ValueDecoder
    let record: Record

    var codingPath: [any CodingKey] { decoder.path }
    var allKeys: [Key] { record.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { record[key.stringValue] != nil }

    func field(_ key: Key) throws -> Value {
      guard let value = record[key.stringValue] else {
        throw Failure(
          message:
            "cannot decode \(ValueDecoder.describe(decoder.path + [key])): the record has no field '\(key.stringValue)'"
        )
      }
      return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
      if case .nil = record[key.stringValue] ?? .nil { return true }
      return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
      try decoder.unbox(try field(key), as: T.self, path: decoder.path + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      try ValueDecoder(value: try field(key), path: decoder.path + [key], numbers: decoder.numbers)
        .container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
      try ValueDecoder(value: try field(key), path: decoder.path + [key], numbers: decoder.numbers)
        .unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder {
      ValueDecoder(value: try field(key), path: decoder.path + [key], numbers: decoder.numbers)
    }
  }

  /// A list's items, in order.
  struct ListContainer: UnkeyedDecodingContainer {
    let decoder: ValueDecoder
    let items: [Value]
    var currentIndex = 0

    var codingPath: [any CodingKey] { decoder.path }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> (Value, [any CodingKey]) {
      guard !isAtEnd else {
        throw Failure(
          message:
            "cannot decode \(ValueDecoder.describe(decoder.path)): the list has only \(items.count) items")
      }
      defer { currentIndex += 1 }
      return (items[currentIndex], decoder.path + [Index(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
      guard !isAtEnd, case .nil = items[currentIndex] else { return false }
      currentIndex += 1
      return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
      let (value, path) = try next()
      return try decoder.unbox(value, as: T.self, path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      let (value, path) = try next()
      return try ValueDecoder(value: value, path: path, numbers: decoder.numbers).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
      let (value, path) = try next()
      return try ValueDecoder(value: value, path: path, numbers: decoder.numbers).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
      let (value, path) = try next()
      return ValueDecoder(value: value, path: path, numbers: decoder.numbers)
    }
  }

  /// One value.
  struct SingleContainer: SingleValueDecodingContainer {
    let decoder: ValueDecoder

    var codingPath: [any CodingKey] { decoder.path }

    func decodeNil() -> Bool {
      if case .nil = decoder.value { return true }
      return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
      try decoder.unbox(decoder.value, as: T.self, path: decoder.path)
    }
  }
}
