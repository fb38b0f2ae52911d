/// A JSON document as a plain tree, for protocols (the language server, the machine mode) rather
/// than data: no pq notation, no figures. Numbers keep the text they were written with, so a
/// request id comes back exactly as it was sent.
package enum JSONTree: Equatable, Sendable {
  case null
  case bool(Bool)
  /// A number as written (`1`, `-0.5e3`); valid RFC 8259 when it came from the parser.
  case number(String)
  case string(String)
  case array([JSONTree])
  /// Members in their order; a repeated key keeps its first value for lookups.
  case object([(String, JSONTree)])

  package static func == (a: JSONTree, b: JSONTree) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// A whole number as a JSON number.
  package static func int(_ n: Int) -> JSONTree { .number(String(n)) }

  /// Parses one JSON document (RFC 8259, as strict as pq's data reader).
  package static func parse(_ bytes: [UInt8]) throws(JSON.ParseError) -> JSONTree {
    var parser = JSONParser(bytes: bytes, readNotation: false)
    parser.skipSpace()
    let tree = try parser.parseTree(depth: 0)
    parser.skipSpace()
    guard parser.position == bytes.count else {
      throw JSON.ParseError(message: "unexpected text after the JSON value", offset: parser.position)
    }
    return tree
  }

  /// The member of an object, or nil.
  package subscript(key: String) -> JSONTree? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }

  package var string: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  /// A number that is a whole number in `Int`'s range.
  package var int: Int? {
    if case .number(let text) = self { return Int(text) ?? Double(text).flatMap { Int(exactly: $0) } }
    return nil
  }

  package var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  package var array: [JSONTree]? {
    if case .array(let items) = self { return items }
    return nil
  }

  /// Compact JSON text.
  package var text: String {
    var out = ""
    write(into: &out)
    return out
  }

  package func write(into out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let value): out += value ? "true" : "false"
    case .number(let text): out += text
    case .string(let text): out += JSON.string(text)
    case .array(let items):
      out += "["
      for (index, item) in items.enumerated() {
        if index > 0 { out += "," }
        item.write(into: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      for (index, (key, value)) in members.enumerated() {
        if index > 0 { out += "," }
        out += JSON.string(key)
        out += ":"
        value.write(into: &out)
      }
      out += "}"
    }
  }
}

extension JSONParser {
  /// Parses a value into a plain tree, with the same checks of strings and numbers as data.
  mutating func parseTree(depth: Int) throws(JSON.ParseError) -> JSONTree {
    guard depth < 200 else { throw fail("JSON nested too deeply") }
    guard position < bytes.count else { throw fail("unexpected end of JSON") }
    switch bytes[position] {
    case UInt8(ascii: "{"):
      return .object(
        try parseMembers { (parser: inout JSONParser, _: String) throws(JSON.ParseError) in
          try parser.parseTree(depth: depth + 1)
        })
    case UInt8(ascii: "["):
      return .array(
        try parseArray { (parser: inout JSONParser) throws(JSON.ParseError) in
          try parser.parseTree(depth: depth + 1)
        })
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"):
      _ = try literal("true", .bool(true))
      return .bool(true)
    case UInt8(ascii: "f"):
      _ = try literal("false", .bool(false))
      return .bool(false)
    case UInt8(ascii: "n"):
      _ = try literal("null", .nil)
      return .null
    default:
      let start = position
      _ = try parseNumber()
      return .number(String(decoding: bytes[start..<position], as: UTF8.self))
    }
  }
}
