/// The JSON grammar of RFC 8259 over bytes, into pq values (with pq notation and figure objects
/// when asked) or into a plain `JSONTree`.
struct JSONParser {
  let bytes: [UInt8]
  var readNotation: Bool
  /// Whether `{"value": n, "unit": u, …}` objects become quantities.
  var readsFigures = true
  var position = 0
  /// The shape of the last object read: the records of a list mostly share their keys, and
  /// share one shape (as a CSV file's rows do) instead of one each.
  var lastShape: Shape?
  /// Periods, units and origins of the figure objects read so far.
  var figureCache = JSON.FigureCache()
  /// Where the parser is in a top-level list of records: the record's index, and the key of the
  /// member being read (a figure object there is labelled by them).
  var row = -1
  var memberKey: String?
  /// The key last read at each position of an object, with its bytes: the objects of a list
  /// mostly repeat their keys in order, and a key whose bytes are the same is the same string,
  /// not decoded and checked again (a fifth of a JSON load went to making strings).
  var recentKeys: [(bytes: [UInt8], key: String, isFigureKey: Bool)] = []
  /// Whether the key `parseKey` read last is one of a figure object's (`JSON.isFigureKey`),
  /// known with the key when it was read before.
  var keyIsFigureKey = false

  init(bytes: [UInt8], readNotation: Bool) {
    self.bytes = bytes
    self.readNotation = readNotation
  }

  mutating func skipSpace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  func fail(_ message: String) -> JSON.ParseError { JSON.ParseError(message: message, offset: position) }

  mutating func parseValue(depth: Int) throws(JSON.ParseError) -> Value {
    guard depth < 200 else { throw fail("JSON nested too deeply") }
    guard position < bytes.count else { throw fail("unexpected end of JSON") }
    switch bytes[position] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth)
    case UInt8(ascii: "["):
      var index = 0
      return .list(
        try parseArray { (parser: inout JSONParser) throws(JSON.ParseError) in
          if depth == 0 {
            parser.row = index
            index += 1
          }
          return try parser.parseValue(depth: depth + 1)
        })
    case UInt8(ascii: "\""):
      let text = try parseString()
      if readNotation, !Literal.looksLikeCode(text), let number = Literal.parse(text) { return number }
      return .string(text)
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .nil)
    default: return try parseNumber()
    }
  }

  mutating func literal(_ word: String, _ value: Value) throws(JSON.ParseError) -> Value {
    let end = position + word.utf8.count
    guard end <= bytes.count, Array(bytes[position..<end]) == Array(word.utf8) else {
      throw fail("invalid JSON literal")
    }
    position = end
    return value
  }

  /// A number as RFC 8259 writes it: `-`? then `0` or a digit 1–9 and more digits, then an
  /// optional fraction (`.` and at least one digit) and exponent (`e`, a sign, digits). No `+1`,
  /// `01`, `2.`, `.5`, `0x1`, `Infinity` or `NaN`.
  mutating func parseNumber() throws(JSON.ParseError) -> Value {
    let start = position
    func digit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
    if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
    guard digit(position) else {
      position = start
      throw fail(
        start < bytes.count && bytes[start] == UInt8(ascii: "-")
          ? "expected a digit after '-'" : "invalid JSON value")
    }
    if bytes[position] == UInt8(ascii: "0") {
      position += 1
      if digit(position) { throw fail("a JSON number cannot have a leading zero") }
    } else {
      while digit(position) { position += 1 }
    }
    if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
      position += 1
      guard digit(position) else { throw fail("expected a digit after the decimal point") }
      while digit(position) { position += 1 }
    }
    if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
      position += 1
      if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
      {
        position += 1
      }
      guard digit(position) else { throw fail("expected a digit in the exponent") }
      while digit(position) { position += 1 }
    }
    guard let n = Double(String(decoding: bytes[start..<position], as: UTF8.self)) else {
      position = start
      throw fail("invalid JSON number")
    }
    guard n.isFinite else {
      position = start
      throw fail("JSON number too large (pq numbers reach about ±1.8e308)")
    }
    return .number(n)
  }

  mutating func parseObject(depth: Int) throws(JSON.ParseError) -> Value {
    let start = position
    // The text of a number under "value", which a figure object gives as shown (57 for 57%)
    // and which is scaled before it is rounded.
    var valueText: String?
    let pairs = try parseMembers { (parser: inout JSONParser, key: String) throws(JSON.ParseError) -> Value in
      let valueStart = parser.position
      // Provenance is text: a period "2024" stays "2024", not the number. (A failed parse
      // ends the whole document, so the flag needs no restoring on the error path.)
      let notation = parser.readNotation
      if parser.keyIsFigureKey { parser.readNotation = false }
      // A member of a record of the top-level list: its key labels a figure object under it.
      if depth == 1 { parser.memberKey = key }
      var value = try parser.parseValue(depth: depth + 1)
      if depth == 1 { parser.memberKey = nil }
      parser.readNotation = notation
      // As in CSV: a bare number under a metric's name takes the metric's unit, and a bare
      // number under a percentage metric is refused (57 or 0.57?).
      if parser.readNotation, case .number(let n) = value, let metric = Metric.named(key) {
        if metric.unit.shownFactor != 1 {
          parser.position = valueStart
          throw parser.fail(
            "a bare number under \"\(key)\" could be a percentage or a fraction: write \"\(NumberFormat.plain(n))%\" or {\"value\": \(NumberFormat.plain(n)), \"unit\": \"%\"}"
          )
        }
        value = Value.make(n, metric.unit, nil)
      }
      if key == "value", case .number = value {
        valueText = String(decoding: parser.bytes[valueStart..<parser.position], as: UTF8.self)
      }
      return value
    }
    if pairs.isEmpty { return .record(Record([])) }
    let objectStart = start
    do throws(JSON.ParseError) {
      let place = depth == 2 && row >= 0 ? memberKey.map { (row: row, key: $0) } : nil
      if readsFigures,
        let figure = try JSON.figure(from: pairs, valueText: valueText, place: place, cache: &figureCache)
      {
        return figure
      }
    } catch {
      throw JSON.ParseError(message: error.message, offset: objectStart)
    }
    if let shape = lastShape, shape.keys.count == pairs.count,
      zip(shape.keys, pairs).allSatisfy({ $0 == $1.0 })
    {
      return .record(Record(shape: shape, values: pairs.map(\.1)))
    }
    let record = Record(pairs)
    if record.count == pairs.count { lastShape = record.shape }
    return .record(record)
  }

  /// `[a, b, …]` (the cursor on `[`), each element read by `element`.
  mutating func parseArray<T>(_ element: (inout JSONParser) throws(JSON.ParseError) -> T) throws(JSON
    .ParseError)
    -> [T]
  {
    position += 1
    var items: [T] = []
    skipSpace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
      position += 1
      return items
    }
    while true {
      skipSpace()
      items.append(try element(&self))
      skipSpace()
      guard position < bytes.count else { throw fail("unterminated JSON array") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
        continue
      }
      guard bytes[position] == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in JSON array") }
      position += 1
      return items
    }
  }

  /// `{"key": value, …}` (the cursor on `{`), each value read by `member` given its key.
  mutating func parseMembers<T>(_ member: (inout JSONParser, String) throws(JSON.ParseError) -> T)
    throws(JSON.ParseError) -> [(String, T)]
  {
    position += 1
    var members: [(String, T)] = []
    // As many as the last object had: growing from empty cost four copies an object.
    members.reserveCapacity(lastShape?.keys.count ?? 4)
    skipSpace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
      position += 1
      return members
    }
    while true {
      skipSpace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
        throw fail("expected a key string in JSON object")
      }
      let key = try parseKey(at: members.count)
      skipSpace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
        throw fail("expected ':' in JSON object")
      }
      position += 1
      skipSpace()
      members.append((key, try member(&self, key)))
      skipSpace()
      guard position < bytes.count else { throw fail("unterminated JSON object") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
        continue
      }
      guard bytes[position] == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in JSON object") }
      position += 1
      return members
    }
  }

  /// Where the run of bytes from `start` that a string copies as they are ends: at a quote, a
  /// backslash, a control byte or the end of the text.
  @inline(__always)
  func plainRunEnd(from start: Int) -> Int {
    bytes.withUnsafeBufferPointer { buffer in
      var end = start
      while end < buffer.count, buffer[end] != UInt8(ascii: "\""), buffer[end] != UInt8(ascii: "\\"),
        buffer[end] >= 0x20
      {
        end += 1
      }
      return end
    }
  }

  /// The key of an object's member at `index` (the cursor on its opening quote): the key read
  /// last at that index when the bytes are the same, else read as any string.
  mutating func parseKey(at index: Int) throws(JSON.ParseError) -> String {
    let start = position + 1
    let end = plainRunEnd(from: start)
    guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else {
      let key = try parseString()
      keyIsFigureKey = JSON.isFigureKey(key)
      return key
    }
    if index < recentKeys.count {
      let same = recentKeys[index].bytes.withUnsafeBufferPointer { recent in
        bytes.withUnsafeBufferPointer { buffer in
          guard recent.count == end - start else { return false }
          for offset in 0..<recent.count where recent[offset] != buffer[start + offset] { return false }
          return true
        }
      }
      if same {
        position = end + 1
        keyIsFigureKey = recentKeys[index].isFigureKey
        return recentKeys[index].key
      }
    }
    let key = try parseString()
    keyIsFigureKey = JSON.isFigureKey(key)
    // Kept for the first 64 members, and only short keys: a long one is copied once more at most.
    guard index <= recentKeys.count, index < 64, end - start <= 256 else { return key }
    let entry = (bytes: Array(bytes[start..<end]), key: key, isFigureKey: keyIsFigureKey)
    if index < recentKeys.count { recentKeys[index] = entry } else { recentKeys.append(entry) }
    return key
  }

  /// A string as RFC 8259 writes it: no raw control characters (below U+0020), and only the
  /// escapes `\" \\ \/ \b \f \n \r \t \uXXXX`; a `\u` surrogate pair makes one character.
  mutating func parseString() throws(JSON.ParseError) -> String {
    position += 1
    // Most strings have no escapes: find the closing quote and decode the bytes in one go.
    let end = plainRunEnd(from: position)
    if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
      let text = String(decoding: bytes[position..<end], as: UTF8.self)
      position = end + 1
      return text
    }
    var out: [UInt8] = []
    out.reserveCapacity(end - position + 16)
    while true {
      // The plain run up to the next quote, escape or control byte is copied at once (a byte at a
      // time cost ~100 instructions a byte of a long string with escapes, as an editor's whole
      // document sent to the language server is).
      let run = plainRunEnd(from: position)
      if run > position {
        out.append(contentsOf: bytes[position..<run])
        position = run
      }
      guard position < bytes.count else { throw fail("unterminated JSON string") }
      let byte = bytes[position]
      if byte < 0x20 {
        throw fail("a control character (U+\(hex4(UInt32(byte)))) must be escaped inside a JSON string")
      }
      position += 1
      if byte == UInt8(ascii: "\"") { break }
      if byte != UInt8(ascii: "\\") {
        out.append(byte)
        continue
      }
      guard position < bytes.count else { throw fail("unterminated JSON string") }
      let escaped = bytes[position]
      position += 1
      switch escaped {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
      case UInt8(ascii: "n"): out.append(10)
      case UInt8(ascii: "t"): out.append(9)
      case UInt8(ascii: "r"): out.append(13)
      case UInt8(ascii: "b"): out.append(8)
      case UInt8(ascii: "f"): out.append(12)
      case UInt8(ascii: "u"):
        var code = try hexEscape()
        if (0xD800...0xDBFF).contains(code) {
          // A high surrogate must be followed by an escaped low one.
          guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
            bytes[position + 1] == UInt8(ascii: "u")
          else { throw fail("a \\u escape of a high surrogate must be followed by a low one") }
          position += 2
          let low = try hexEscape()
          guard (0xDC00...0xDFFF).contains(low) else {
            throw fail("a \\u escape of a high surrogate must be followed by a low one")
          }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(code) {
          throw fail("a lone low surrogate (\\u\(hex4(code))) is not a character")
        }
        guard let scalar = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
      default:
        position -= 1
        throw fail("invalid escape '\\\(String(decoding: [escaped], as: UTF8.self))' in a JSON string")
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The four hex digits after `\u`.
  mutating func hexEscape() throws(JSON.ParseError) -> UInt32 {
    guard position + 4 <= bytes.count else { throw fail("invalid \\u escape: four hex digits expected") }
    var code: UInt32 = 0
    for offset in 0..<4 {
      let byte = bytes[position + offset]
      let value: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): value = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): value = UInt32(byte - UInt8(ascii: "A") + 10)
      default:
        position += offset
        throw fail("invalid \\u escape: four hex digits expected")
      }
      code = code * 16 + value
    }
    position += 4
    return code
  }

  func hex4(_ code: UInt32) -> String {
    let digits = Array("0123456789ABCDEF")
    return String((0..<4).map { digits[Int((code >> (12 - 4 * $0)) & 0xF)] })
  }
}
