extension Builtins {
  static let strings: [NativeFunction] = [
    NativeFunction(
      "join(list, separator?)", named: ["on", "keep"],
      doc:
        "The elements' text joined by the separator (\"\" by default). Given two lists of records, joins them by a field (on: \"name\"; keep: \"left\" keeps rows without a match): each figure keeps its own sources.",
      example: "join([\"a\", \"b\"], \", \")"
    ) { arguments throws(PQError) in
      if case .list? = arguments.optional(1) { return try joinRecords(arguments) }
      if !arguments.named.isEmpty {
        throw arguments.failure(
          "on: and keep: go with two lists of records, as in join(users, news, on: \"name\")")
      }
      let separator = arguments.optional(1) == nil ? "" : try arguments.string(1)
      let items = try arguments.list(0)
      // The size is checked before the text is built, and the bytes are gathered in one buffer
      // (`joined(separator:)` or `+=` cost several times more per piece). A list of strings is
      // read as it is; any other element is first turned into its text.
      let allText = items.allSatisfy { if case .string = $0 { true } else { false } }
      let pieces = allText ? items : items.map { Value.string($0.text) }
      var total = separator.utf8.count * Swift.max(0, pieces.count - 1)
      for piece in pieces {
        if case .string(let text) = piece { total += text.utf8.count }
      }
      try arguments.runtime.checkSize(total, nil, what: .bytes)
      // The bytes are copied straight into the new string's storage; short pieces (most are a
      // few bytes: `str(i mod 97)`) byte by byte rather than through `memmove`.
      let separatorBytes = Array(separator.utf8)
      let text = String(unsafeUninitializedCapacity: total) { buffer in
        guard let to = buffer.baseAddress else { return 0 }
        var offset = 0
        func copy(_ source: UnsafeBufferPointer<UInt8>) {
          guard let from = source.baseAddress else { return }
          let count = source.count
          if count <= 16 {
            for index in 0..<count { to[offset + index] = from[index] }
          } else {
            (to + offset).update(from: from, count: count)
          }
          offset += count
        }
        separatorBytes.withUnsafeBufferPointer { separatorBuffer in
          for index in pieces.indices {
            if index > 0 { copy(separatorBuffer) }
            guard case .string(let piece) = pieces[index] else { continue }
            if piece.utf8.withContiguousStorageIfAvailable(copy) == nil {
              for byte in piece.utf8 {
                to[offset] = byte
                offset += 1
              }
            }
          }
        }
        return offset
      }
      return .string(text)
    },
    NativeFunction(
      "split(text, separator?)",
      doc: "The pieces of a string between separators (by default runs of spaces, tabs and line ends).",
      example: "split(\"a,b,c\", \",\")"
    ) { arguments throws(PQError) in
      let text = try arguments.string(0)
      if arguments.optional(1) == nil { return .list(splitWhitespace(text, as: Value.string)) }
      let separator = try arguments.string(1)
      guard !separator.isEmpty else { return .list(text.map { .string(String($0)) }) }
      return .list(splitBytes(text, separator, as: Value.string))
    },
    NativeFunction("upper(text)", doc: "The text in upper case.", example: "upper(\"pq\")") {
      arguments throws(PQError) in
      .string(try arguments.string(0).cased(upper: true))
    },
    NativeFunction("lower(text)", doc: "The text in lower case.", example: "lower(\"X\")") {
      arguments throws(PQError) in
      .string(try arguments.string(0).cased(upper: false))
    },
    NativeFunction(
      "trim(text)", doc: "The text without leading and trailing whitespace.", example: "trim(\"  a \")"
    ) {
      arguments throws(PQError) in .string(try arguments.string(0).trimmingSpaces)
    },
    NativeFunction(
      "replace(text, old, new)", doc: "The text with every occurrence of old replaced by new.",
      example: "replace(\"a-b\", \"-\", \"+\")"
    ) { arguments throws(PQError) in
      let old = try arguments.string(1)
      guard !old.isEmpty else { throw arguments.error(1, "the text to replace cannot be empty") }
      let new = try arguments.string(2)
      return .string(try replacing(try arguments.string(0), old, new, arguments.runtime, arguments.span))
    },
    NativeFunction(
      "starts_with(text, prefix)", doc: "Whether the text starts with the prefix.",
      example: "starts_with(\"Truth Social\", \"Tru\")"
    ) { arguments throws(PQError) in
      .bool(try arguments.string(0).hasPrefix(try arguments.string(1)))
    },
    NativeFunction(
      "ends_with(text, suffix)", doc: "Whether the text ends with the suffix.",
      example: "ends_with(\"data.csv\", \".csv\")"
    ) { arguments throws(PQError) in
      .bool(try arguments.string(0).hasSuffix(try arguments.string(1)))
    },
    NativeFunction("repeat(text, n)", doc: "The text repeated n times.", example: "repeat(\"=\", 10)") {
      arguments throws(PQError) in
      let text = try arguments.string(0)
      let count = try arguments.integer(1)
      guard count >= 0 else { throw arguments.error(1, "the count cannot be negative") }
      let (total, overflow) = text.utf8.count.multipliedReportingOverflow(by: count)
      try arguments.runtime.checkSize(overflow ? Int.max : total, nil, what: .bytes)
      return .string(String(repeating: text, count: count))
    },
    NativeFunction(
      "pad(text, width, align?)",
      doc: "The text padded with spaces to a width; align is \"left\" (default), \"right\" or \"center\".",
      example: "pad(\"X\", 5, \"right\")"
    ) { arguments throws(PQError) in
      let text = arguments[0].text
      let width = try arguments.integer(1)
      try arguments.runtime.checkSize(width, nil, what: .characters)
      let missing = max(0, width - text.characterCount)
      let align = arguments.optional(2) == nil ? "left" : try arguments.string(2)
      switch align {
      case "left": return .string(text + String(repeating: " ", count: missing))
      case "right": return .string(String(repeating: " ", count: missing) + text)
      case "center":
        return .string(
          String(repeating: " ", count: missing / 2) + text
            + String(repeating: " ", count: missing - missing / 2))
      default: throw arguments.error(2, "align must be \"left\", \"right\" or \"center\"")
      }
    },
    NativeFunction(
      "format(value, spec)",
      doc:
        "A number as text: spec \".2f\" (decimals), \".3\" (significant digits), \",\" (full, grouped), \"%\".",
      example: "format(x.mau, \",\")"
    ) { arguments throws(PQError) in
      guard let number = arguments[0].numericValue else { throw arguments.typeError(0, "a number") }
      let spec: String
      if case .number(let digits) = arguments[1] {
        spec = ".\(Int(digits))"
      } else {
        spec = try arguments.string(1)
      }
      guard let text = NumberFormat.custom(number, unit: arguments[0].unit, spec: spec) else {
        throw arguments.error(
          1, "'\(spec)' is not a format", notes: ["use \".2f\", \".3\", \",\", \",.1f\" or \"%\""])
      }
      // The margin of error in the same format: a figure is never written as if exact.
      if let margin = Margin.of(arguments[0]) {
        let unit = Margin.unit(for: arguments[0].unit)
        let width =
          NumberFormat.custom(margin.halfWidth, unit: unit, spec: spec) ?? margin.shown(in: arguments[0].unit)
        return .string(text + " ± " + width)
      }
      return .string(text)
    },
  ]
}

extension NumberFormat {
  /// Formats with a small spec language: `,` full digits grouped in thousands, `.Nf` N decimals,
  /// `.N` N significant digits (compact), `%` as a percentage. The unit is kept.
  static func custom(_ value: Double, unit: Unit, spec: String) -> String? {
    var rest = Substring(spec)
    var grouped = false
    var percent = false
    if rest.hasPrefix(",") {
      grouped = true
      rest = rest.dropFirst()
    }
    if rest.hasSuffix("%") {
      percent = true
      rest = rest.dropLast()
    }
    var decimals: Int?
    var significantDigits: Int?
    if rest.hasPrefix(".") {
      let body = rest.dropFirst()
      if body.hasSuffix("f") {
        guard let n = Int(body.dropLast()), (0...15).contains(n) else { return nil }
        decimals = n
      } else {
        guard let n = Int(body), (1...15).contains(n) else { return nil }
        significantDigits = n
      }
    } else if !rest.isEmpty {
      return nil
    }
    if percent || (unit.factors.isEmpty && unit.scale != .none) {
      let scaled = value * 100
      let number =
        decimals.map { c("%.\($0)f", scaled) } ?? significant(scaled, digits: significantDigits ?? 3)
      return number + (unit.scale == .points && !percent ? " pp" : "%")
    }
    if let significantDigits, !grouped {
      return quantity(value, unit, digits: significantDigits)
    }
    var number = decimals.map { c("%.\($0)f", abs(value)) } ?? plain(abs(value))
    // Every whole digit, grouped: an exponent form (`1e21`) is written out first, with the
    // number's shortest digits and zeros (no binary noise: 1e21 is 1,000,000,000,000,000,000,000).
    if grouped { number = group(positional(number.contains("e") ? written(abs(value)) : number)) }
    if value < 0 { number = "-" + number }
    if unit.isNone { return number }
    if unit.isMoney { return value < 0 ? "-$" + number.dropFirst() : "$" + number }
    return number + " " + unit.name(plural: abs(value) != 1)
  }

  /// A number written `1.5e21` or `2e-7` in positional notation (`1500000000000000000000`,
  /// `0.0000002`); other text unchanged.
  static func positional(_ text: String) -> String {
    guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }),
      let exponent = Int(text[text.index(after: e)...])
    else { return text }
    let mantissa = text[..<e]
    let point = mantissa.firstIndex(of: ".")
    let whole = point.map { mantissa[..<$0] } ?? mantissa
    let fraction = point.map { mantissa[mantissa.index(after: $0)...] } ?? ""
    let digits = Array(whole + fraction)
    let position = whole.count + exponent  // digits before the point
    if position <= 0 { return "0." + String(repeating: "0", count: -position) + String(digits) }
    if position >= digits.count {
      return String(digits) + String(repeating: "0", count: position - digits.count)
    }
    return String(digits[..<position]) + "." + String(digits[position...])
  }

  static func group(_ number: String) -> String {
    let parts = number.split(separator: ".", maxSplits: 1)
    let integer = Array(parts[0])
    var result = ""
    for (index, digit) in integer.enumerated() {
      if index > 0, (integer.count - index) % 3 == 0 { result.append(",") }
      result.append(digit)
    }
    return parts.count > 1 ? result + "." + parts[1] : result
  }
}

extension Builtins {
  /// The pieces of text between runs of whitespace — spaces, tabs and line ends, `\r\n` and a
  /// lone `\r` as well as `\n` (a Windows line end glued the words on either side of it) — with
  /// no empty pieces. Compared character by character (a space with a combining mark on it is
  /// not a space), and byte by byte when the text is ASCII, where the two cannot differ: the
  /// character walk took 430 instructions a character.
  ///
  /// The pieces are made by `piece` (`Value.string` for `split`: the list is made once, not an
  /// array of strings and then one of values).
  static func splitWhitespace<Piece>(_ text: String, as piece: (String) -> Piece) -> [Piece] {
    let fast = text.utf8.withContiguousStorageIfAvailable { bytes -> [Piece]? in
      // ASCII, and how many pieces: a piece starts at each byte that is not a separator after
      // one that is (the array is made at its size, not grown four or five times).
      func isSeparator(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
      var count = 0
      var wasSeparator = true
      for byte in bytes {
        if byte >= 0x80 { return nil }
        let isSeparator = isSeparator(byte)
        if wasSeparator, !isSeparator { count += 1 }
        wasSeparator = isSeparator
      }
      var pieces: [Piece] = []
      pieces.reserveCapacity(count)
      var start = -1
      var index = 0
      while index < bytes.count {
        if isSeparator(bytes[index]) {
          if start >= 0 {
            pieces.append(
              piece(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)))
            start = -1
          }
        } else if start < 0 {
          start = index
        }
        index += 1
      }
      if start >= 0 {
        pieces.append(piece(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)))
      }
      return pieces
    }
    if let pieces = fast ?? nil { return pieces }
    return text.split(whereSeparator: isWhitespaceSeparator).map { piece(String($0)) }
  }

  /// Whether a character is one `split` separates at by default.
  static func isWhitespaceSeparator(_ character: Character) -> Bool {
    character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\r\n"
  }

  /// Splits text at every occurrence of a non-empty separator, comparing UTF-8 bytes (both are
  /// valid UTF-8, so a match never starts inside a character). Read where the bytes lie: a
  /// copy of them into an array and a bounds check on every byte took 100 instructions a byte.
  /// The pieces are made by `piece`, each as its separator is found.
  static func splitBytes<Piece>(_ text: String, _ separator: String, as piece: (String) -> Piece) -> [Piece] {
    withBytes(text, separator) { bytes, pattern in
      func cut(_ range: Range<Int>) -> Piece {
        piece(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
      }
      var pieces: [Piece] = []
      var from = 0
      while let found = bytes.firstMatch(of: pattern, from: from) {
        pieces.append(cut(from..<found))
        from = found + pattern.count
      }
      pieces.append(cut(from..<bytes.count))
      return pieces
    }
  }

  /// The byte offsets where `separator` (not empty) occurs in `text`, left to right and without
  /// overlaps. Both are valid UTF-8, so each match starts and ends at a code point's edge.
  static func matchStarts(_ text: String, _ separator: String) -> [Int] {
    withBytes(text, separator) { bytes, pattern in
      var starts: [Int] = []
      var index = 0
      while let found = bytes.firstMatch(of: pattern, from: index) {
        starts.append(found)
        index = found + pattern.count
      }
      return starts
    }
  }

  /// `body` over the UTF-8 bytes of two strings where they lie (native strings are contiguous;
  /// any other is read into an array first).
  static func withBytes<R>(
    _ a: String, _ b: String, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R
  ) -> R {
    let direct = a.utf8.withContiguousStorageIfAvailable { first in
      b.utf8.withContiguousStorageIfAvailable { second in body(first, second) }
    }
    if let result = direct ?? nil { return result }
    return Array(a.utf8).withUnsafeBufferPointer { first in
      Array(b.utf8).withUnsafeBufferPointer { second in body(first, second) }
    }
  }

  /// `text` with every match of `old` (not empty) replaced by `new`, after charging the result's
  /// size to the runtime: a million replacements of a million bytes each is a limit error, not a
  /// terabyte asked of the allocator. The bytes are copied once into the new string (the pieces
  /// made as strings and joined cost twice, and appending substrings 2,900 instructions a line).
  static func replacing(_ text: String, _ old: String, _ new: String, _ runtime: Runtime, _ span: Span)
    throws(PQError) -> String
  {
    let starts = matchStarts(text, old)
    let (grown, overflow) = starts.count.multipliedReportingOverflow(by: new.utf8.count - old.utf8.count)
    let (total, tooMany) = text.utf8.count.addingReportingOverflow(grown)
    try runtime.reserve(overflow || tooMany ? Int.max : total, span, what: .bytes)
    if starts.isEmpty { return text }
    let skip = old.utf8.count
    return withBytes(text, new) { bytes, replacement in
      String(unsafeUninitializedCapacity: total) { buffer in
        var written = 0
        func copy(_ part: UnsafeBufferPointer<UInt8>) {
          guard let base = part.baseAddress, let target = buffer.baseAddress, !part.isEmpty else { return }
          (target + written).update(from: base, count: part.count)
          written += part.count
        }
        var from = 0
        for start in starts {
          copy(UnsafeBufferPointer(rebasing: bytes[from..<start]))
          copy(replacement)
          from = start + skip
        }
        copy(UnsafeBufferPointer(rebasing: bytes[from...]))
        return written
      }
    }
  }
}
