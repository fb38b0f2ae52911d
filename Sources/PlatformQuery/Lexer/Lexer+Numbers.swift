/// The magnitude suffixes of number literals.
let magnitudeSuffixes: [(letter: UInt8, exponent: Int)] = [
  (UInt8(ascii: "K"), 3), (UInt8(ascii: "M"), 6), (UInt8(ascii: "B"), 9), (UInt8(ascii: "T"), 12),
]

extension Literal {
  /// The common notations of a data file's cells, read straight from the bytes: `70.4M`,
  /// `$2.6B`, `57%`, `1234`, `0.5` (an optional `$`, digits with at most one `.`, an optional
  /// magnitude letter, an optional `%`). Anything else (signs, separators, exponents, `pp`,
  /// spaces, a leading zero) is left to the full reader, which gives the same value for these.
  static func parseSimple(_ text: String) -> Value? {
    // Over the bytes in place: a `Substring`'s UTF-8 view indexed a byte at a time cost about
    // 290 instructions a cell.
    var text = text
    return text.withUTF8 { parseSimple(bytes: $0) }
  }

  /// `parseSimple` over UTF-8 bytes (a CSV cell read where it lies in the file).
  static func parseSimple(bytes: UnsafeBufferPointer<UInt8>) -> Value? {
    guard let first = bytes.first else { return nil }
    let money = first == UInt8(ascii: "$")
    var index = money ? 1 : 0
    let end = bytes.count
    var mantissa: UInt64 = 0
    var scale = 0
    var percent = false
    // The whole part, then the decimals after a `.`: two loops, so that a digit costs one test
    // of its range (one loop asked, of every digit, which part it was in).
    let wholeStart = index
    while index < end, bytes[index] &- 0x30 < 10 {
      mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 0x30)
      index += 1
    }
    let whole = index - wholeStart
    // A leading zero before more digits is a code (08123), not a number.
    guard whole > 0, whole == 1 || bytes[wholeStart] != 0x30 else { return nil }
    var decimals = 0
    if index < end, bytes[index] == UInt8(ascii: ".") {
      index += 1
      let fractionStart = index
      while index < end, bytes[index] &- 0x30 < 10 {
        mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 0x30)
        index += 1
      }
      decimals = index - fractionStart
      guard decimals > 0 else { return nil }
    }
    // At most 15 digits, exact in a double (and no overflow above: 10^15 < 2^64).
    guard whole + decimals <= 15 else { return nil }
    if index < end {
      // The magnitude letter by a switch: the table of suffixes is a global reached through a
      // `swift_once` check and searched with a closure, on every cell.
      switch bytes[index] {
      case UInt8(ascii: "K"): scale = 3
      case UInt8(ascii: "M"): scale = 6
      case UInt8(ascii: "B"): scale = 9
      case UInt8(ascii: "T"): scale = 12
      default: break
      }
      if scale > 0 { index += 1 }
    }
    if index < end, bytes[index] == UInt8(ascii: "%"), !money {
      percent = true
      index += 1
    }
    guard index == end else { return nil }
    // At most 15 digits (exact in a double) times one power of ten of at most 10^22 (exact
    // too): one multiplication or division rounds the decimal exactly as the lexer's reading
    // does (Clinger's fast path).
    let exponent = scale - decimals - (percent ? 2 : 0)
    let value =
      exponent < 0
      ? Double(mantissa) / Arithmetic.powersOfTen[-exponent]
      : Double(mantissa) * Arithmetic.powersOfTen[exponent]
    // The shared measures of dollars and percentages, as `Value.make` finds them (by
    // comparing unit names) for any unit.
    if money { return .quantity(value, SharedMeasures.usd) }
    if percent { return .quantity(value, SharedMeasures.percent) }
    return .number(value)
  }

}

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
    // The suffixes scale the written decimal before it is rounded to a double (`57.123%` is
    // 57.123 × 10^-2, rounded once), so that every number pq writes reads back exactly.
    let text = String(decoding: digits, as: UTF8.self)
    var shift = 0
    if position < bytes.count, let suffix = magnitudeSuffixes.first(where: { $0.letter == bytes[position] }) {
      shift = suffix.exponent
      position += 1
    }
    if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "p"),
      bytes[position + 1] == UInt8(ascii: "p"),
      position + 2 == bytes.count || !isIdentifierPart(bytes[position + 2])
    {
      if money { throw error("a number cannot be both money and percentage points", start - 1, position + 2) }
      position += 2
      guard let value = NumberFormat.decimal(text, shift: shift - 2) else {
        throw error("malformed number", start, position)
      }
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
      shift -= 2
      unit = .percent
    }
    guard let value = NumberFormat.decimal(text, shift: shift) else {
      throw error("malformed number", start, position)
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
    parseSimple(text) ?? parseFull(text)
  }

  /// Every notation pq reads, through the lexer.
  static func parseFull(_ text: String) -> Value? {
    // Text that cannot start a number (a name, a source, a period like `H1 2024`) is none,
    // decided from its first bytes before anything is copied: a JSON load sent every name
    // through the steps below (1,500 instructions a name, 5% of the load).
    guard startsLikeANumber(text) else { return nil }
    var trimmed = text.trimmingSpaces
    // pq shows points with a space (`2 pp`), and reads them back.
    if trimmed.hasSuffix(" pp") { trimmed = String(trimmed.dropLast(3)).trimmingSpaces + "pp" }
    // Exports often write a space before the sign: `59 %` is 59%.
    if trimmed.hasSuffix(" %") { trimmed = String(trimmed.dropLast(2)).trimmingSpaces + "%" }
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
    // A number literal starts with a digit, `.` or `$`: text that does not (a name, a source,
    // a period like `H1 2024`) is no number, without making a lexer for it (a tenth of a JSON
    // load went to lexing every name and source).
    guard let first = trimmed.utf8.first,
      isDigit(first) || first == UInt8(ascii: ".") || first == UInt8(ascii: "$")
    else { return nil }
    return lexed(trimmed, negative: negative)
  }

  /// True when `text`, after spaces and one `-`, starts with a digit, `.` or `$`: what every
  /// number `parseFull` reads starts with.
  static func startsLikeANumber(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      var index = 0
      while index < bytes.count,
        bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D || bytes[index] == 0x0A
      {
        index += 1
      }
      if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard index < bytes.count else { return false }
      let first = bytes[index]
      return isDigit(first) || first == UInt8(ascii: ".") || first == UInt8(ascii: "$")
    }
  }

  /// `text` (trimmed, unsigned, without separators) read by the lexer as one number literal.
  static func lexed(_ trimmed: String, negative: Bool) -> Value? {
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
