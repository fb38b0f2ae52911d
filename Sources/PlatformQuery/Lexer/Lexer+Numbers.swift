/// The magnitude suffixes of number literals.
let magnitudeSuffixes: [(letter: UInt8, scale: Double)] = [
  (UInt8(ascii: "K"), 1e3), (UInt8(ascii: "M"), 1e6), (UInt8(ascii: "B"), 1e9), (UInt8(ascii: "T"), 1e12),
]

extension Lexer {
  /// Lexes `70.4M`, `1_000`, `3.5e6`, `57%`, and the number part of `$2.6M`.
  mutating func lexNumber(money: Bool) throws(PQError) -> Token {
    let start = position
    var digits: [UInt8] = []
    var sawDot = false
    while position < bytes.count {
      let byte = bytes[position]
      if isDigit(byte) {
        digits.append(byte)
      } else if byte == UInt8(ascii: "_"), position + 1 < bytes.count, isDigit(bytes[position + 1]),
        !digits.isEmpty
      {
        // separator
      } else if byte == UInt8(ascii: "."), !sawDot, position + 1 < bytes.count, isDigit(bytes[position + 1]) {
        sawDot = true
        digits.append(byte)
      } else {
        break
      }
      position += 1
    }
    if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
      var look = position + 1
      if look < bytes.count, bytes[look] == UInt8(ascii: "+") || bytes[look] == UInt8(ascii: "-") {
        look += 1
      }
      if look < bytes.count, isDigit(bytes[look]) {
        digits.append(UInt8(ascii: "e"))
        digits.append(contentsOf: bytes[(position + 1)..<look])
        position = look
        while position < bytes.count, isDigit(bytes[position]) {
          digits.append(bytes[position])
          position += 1
        }
      }
    }
    guard var value = Double(String(decoding: digits, as: UTF8.self)) else {
      throw error("malformed number", start, position)
    }
    if position < bytes.count, let suffix = magnitudeSuffixes.first(where: { $0.letter == bytes[position] }) {
      value *= suffix.scale
      position += 1
    }
    if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "p"),
      bytes[position + 1] == UInt8(ascii: "p"),
      position + 2 == bytes.count || !isIdentifierPart(bytes[position + 2])
    {
      if money { throw error("a number cannot be both money and percentage points", start - 1, position + 2) }
      position += 2
      value /= 100
      guard value.isFinite else { throw error("number literal is too large", start, position) }
      return Token(kind: .number(value, .points), span: Span(start: start, end: position))
    }
    if position < bytes.count, isIdentifierPart(bytes[position]) {
      let wordStart = position
      while position < bytes.count, isIdentifierPart(bytes[position]) { position += 1 }
      let word = String(decoding: bytes[wordStart..<position], as: UTF8.self)
      var notes = [
        "number suffixes are K (thousand), M (million), B (billion) and T (trillion); 57% is a percentage and 2pp percentage points"
      ]
      if word.count == 1, "kmbt".contains(word) {
        notes.insert("did you mean '\(word.uppercased())'?", at: 0)
      }
      throw error("unknown number suffix '\(word)'", wordStart, position, notes: notes)
    }
    var unit: LiteralUnit = money ? .money : .none
    if position < bytes.count, bytes[position] == UInt8(ascii: "%") {
      if money { throw error("a number cannot be both money and a percentage", start - 1, position + 1) }
      position += 1
      value /= 100
      unit = .percent
    }
    guard value.isFinite else {
      throw error(
        "number literal is too large", start, position,
        notes: ["the largest number pq holds is about 1.8e308"])
    }
    return Token(kind: .number(value, unit), span: Span(start: start, end: position))
  }
}

/// Reads numbers written in pq notation outside source code: `num("70.4M")` and `load` cells.
enum Literal {
  /// Whether text read from a file is a code rather than a number: a leading zero followed by a
  /// digit (`08123`, a ZIP code), which `load` keeps as text.
  static func looksLikeCode(_ text: String) -> Bool {
    var bytes = text.utf8.makeIterator()
    guard bytes.next() == UInt8(ascii: "0"), let second = bytes.next() else { return false }
    return isDigit(second)
  }

  /// The value of `-`? followed by one pq number literal (`70.4M`, `$2.6M`, `57%`, `1,000`), or nil.
  static func parse(_ text: String) -> Value? {
    var trimmed = text.trimmingSpaces
    // pq shows points with a space (`2 pp`), and reads them back.
    if trimmed.hasSuffix(" pp") { trimmed = String(trimmed.dropLast(3)).trimmingSpaces + "pp" }
    var negative = false
    if trimmed.hasPrefix("-") {
      negative = true
      trimmed.removeFirst()
    }
    // Thousands separators as in "698,000".
    if trimmed.contains(",") {
      let groups = trimmed.split(separator: ",", omittingEmptySubsequences: false)
      guard groups.dropFirst().allSatisfy({ $0.prefix(3).allSatisfy(\.isNumber) && $0.count >= 3 }) else {
        return nil
      }
      trimmed = groups.joined()
    }
    guard !trimmed.isEmpty, !trimmed.hasPrefix("-"), !trimmed.hasPrefix("+") else { return nil }
    var lexer = Lexer(source: Source(name: "<number>", text: trimmed))
    guard let token = try? lexer.lexToken(), lexer.position == lexer.bytes.count,
      case .number(let value, let unit) = token.kind
    else { return nil }
    let signed = negative ? -value : value
    switch unit {
    case .none: return .number(signed)
    case .money: return Value.make(signed, .usd, nil)
    case .percent: return Value.make(signed, .percent, nil)
    case .points: return Value.make(signed, .points, nil)
    }
  }
}
