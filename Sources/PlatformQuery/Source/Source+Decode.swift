extension Source {
  /// Makes a source from raw bytes, refusing invalid UTF-8 and NUL bytes with an error at the
  /// offending byte's line and column. A UTF-8 byte order mark at the start (Windows editors and
  /// Excel's "CSV UTF-8" write one) is not part of the text and is dropped.
  public static func decode(_ bytes: [UInt8], name: String) throws(PQError) -> Source {
    try decode(bytes, name: name, indexesLines: true)
  }

  /// Makes a source from raw bytes as `decode(_:name:)` does, sharing the bytes; a data file
  /// leaves its lines unindexed until an error needs them (`indexesLines: false`).
  static func decode(_ bytes: [UInt8], name: String, indexesLines: Bool) throws(PQError) -> Source {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      return try decode(Array(bytes.dropFirst(3)), name: name, indexesLines: indexesLines)
    }
    if let index = firstInvalidByte(bytes) {
      let byte = bytes[index]
      var line = 1
      var lineStart = 0
      for position in 0..<index where bytes[position] == 10 {
        line += 1
        lineStart = position + 1
      }
      let prefix = String(decoding: bytes[lineStart..<index], as: UTF8.self)
      let column = prefix.count + 1
      let lineEnd = bytes[index...].firstIndex(of: 10) ?? bytes.count
      let safeLine = String(decoding: bytes[lineStart..<lineEnd].map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
      let shown = String(repeating: "\n", count: line - 1) + safeLine
      let source = Source(name: name, text: shown)
      let offset = source.lineStarts[line - 1] + Array(prefix.utf8).count
      let what =
        byte == 0 ? "a NUL byte" : "invalid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true)))"
      // A program is refused as a syntax error; a data file (read unindexed by `load`) as
      // what it is, a file that cannot be read as text.
      var error =
        indexesLines
        ? PQError(
          .syntax, "\(what) at line \(line), column \(column)", source: source,
          span: Span(start: offset, end: offset + 1), notes: ["pq source must be UTF-8 text"])
        : PQError(
          .runtime, "\(what) at line \(line), column \(column): this data file is not UTF-8 text",
          source: source,
          span: Span(start: offset, end: offset + 1),
          notes: [
            "pq reads data files as UTF-8; save it as UTF-8 (spreadsheets call it \"CSV UTF-8\") and load it again"
          ])
      error.isUnexpectedEnd = false
      throw error
    }
    // Program text keeps its String (the REPL, the formatter and the language server read it);
    // a data file's is made from the bytes only if something asks.
    return Source(
      name: name, text: indexesLines ? String(decoding: bytes, as: UTF8.self) : nil, bytes: bytes,
      indexesLines: indexesLines)
  }

  /// The offset of the first NUL byte or byte of invalid UTF-8, or nil. Eight ASCII bytes with
  /// no NUL among them are passed over at a time (a byte per step through `validSequence` cost
  /// about 50 instructions a byte of a loaded file).
  static func firstInvalidByte(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { buffer -> Int? in
      guard let base = buffer.baseAddress else { return nil }
      let count = buffer.count
      var index = 0
      while index < count {
        if index + 8 <= count {
          let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
          // No byte of 0x80 or above, and (for such words, exactly) no zero byte.
          if word & 0x8080_8080_8080_8080 == 0,
            (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 == 0
          {
            index += 8
            continue
          }
        }
        let byte = buffer[index]
        if byte == 0 { return index }
        if byte < 0x80 {
          index += 1
          continue
        }
        if !validSequence(bytes, at: index) { return index }
        index += sequenceLength(byte)
      }
      return nil
    }
  }

  static func sequenceLength(_ byte: UInt8) -> Int {
    if byte & 0xE0 == 0xC0 { return 2 }
    if byte & 0xF0 == 0xE0 { return 3 }
    return 4
  }

  static func validSequence(_ bytes: [UInt8], at index: Int) -> Bool {
    let byte = bytes[index]
    if byte < 0x80 { return true }
    guard byte >= 0xC2, byte <= 0xF4 else { return false }
    let length = sequenceLength(byte)
    guard index + length <= bytes.count else { return false }
    let slice = Array(bytes[index..<(index + length)])
    var iterator = slice.makeIterator()
    var decoder = UTF8()
    if case .scalarValue = decoder.decode(&iterator) { return iterator.next() == nil }
    return false
  }
}
