import PlatformQuery

/// Byte offsets in a source against LSP positions: a 0-based line and a character offset in
/// UTF-16 code units.
enum PositionEncoding {
  static let zeroRange: JSONTree = range(line: 0, character: 0, line: 0, character: 0)

  static func range(line a: Int, character b: Int, line c: Int, character d: Int) -> JSONTree {
    .object([
      ("start", .object([("line", .int(a)), ("character", .int(b))])),
      ("end", .object([("line", .int(c)), ("character", .int(d))])),
    ])
  }

  static func position(_ source: Source, _ offset: Int) -> (line: Int, character: Int) {
    let location = source.location(of: offset)
    let start = source.lineStarts[location.line - 1]
    let prefix = String(decoding: source.bytes[start..<location.offset], as: UTF8.self)
    return (location.line - 1, prefix.utf16.count)
  }

  static func range(_ source: Source, _ span: Span) -> JSONTree {
    let start = position(source, span.start)
    let end = position(source, max(span.start, span.end))
    return range(line: start.line, character: start.character, line: end.line, character: end.character)
  }

  /// The byte offset of a position; a position past the end of its line is the line's end, and
  /// one past the last line is the end of the text.
  static func offset(in source: Source, line: Int, character: Int) -> Int {
    guard line < source.lineStarts.count else { return source.bytes.count }
    let start = source.lineStarts[line]
    var end = line + 1 < source.lineStarts.count ? source.lineStarts[line + 1] - 1 : source.bytes.count
    if end > start, source.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    var units = 0
    var offset = start
    for scalar in String(decoding: source.bytes[start..<end], as: UTF8.self).unicodeScalars {
      if units >= character { break }
      units += scalar.utf16.count
      offset += scalar.utf8.count
    }
    return min(offset, end)
  }

  static func offset(in source: Source, _ position: JSONTree?) -> Int? {
    guard let line = position?["line"]?.int, let character = position?["character"]?.int, line >= 0,
      character >= 0
    else { return nil }
    return offset(in: source, line: line, character: character)
  }
}
