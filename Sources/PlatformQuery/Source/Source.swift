/// A named piece of pq source text with a line table for turning byte offsets into positions.
public final class Source: Sendable {
  /// The name shown in diagnostics: a file path, `-e`, `<stdin>` or `<repl>`.
  public let name: String
  /// The full text (a data file's is made from its bytes when asked: a file of 160 MB is then
  /// held once, not twice).
  public var text: String { storedText ?? String(decoding: bytes, as: UTF8.self) }
  private let storedText: String?
  /// The text as UTF-8 bytes, which the lexer scans.
  package let bytes: [UInt8]
  /// Byte offset at which each line starts; `lineStarts[0] == 0`. Kept for program text;
  /// for a data file (tens of megabytes, read once) made only when an error needs a position.
  package var lineStarts: [Int] { indexedLines ?? Source.lineStarts(of: bytes) }
  private let indexedLines: [Int]?

  /// Creates a source from its name and text.
  public convenience init(name: String, text: String) {
    self.init(name: name, text: text, bytes: Array(text.utf8), indexesLines: true)
  }

  /// Creates a source whose text is already in UTF-8 bytes (shared, not copied); a data file
  /// leaves its lines unindexed (`indexesLines: false`) and may leave its text to be made from
  /// the bytes (`text: nil`; the bytes must then be valid UTF-8).
  init(name: String, text: String?, bytes: [UInt8], indexesLines: Bool) {
    self.name = name
    self.storedText = text
    self.bytes = bytes
    self.indexedLines = indexesLines ? Source.lineStarts(of: bytes) : nil
  }

  private static func lineStarts(of bytes: [UInt8]) -> [Int] {
    var starts = [0]
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      starts.append(index + 1)
    }
    return starts
  }

  /// The 1-based line and character column of a byte offset.
  public func location(of offset: Int) -> SourceLocation {
    let clamped = max(0, min(offset, bytes.count))
    let lineStarts = lineStarts
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
    }
    let start = lineStarts[low]
    let prefix = String(decoding: bytes[start..<clamped], as: UTF8.self)
    return SourceLocation(line: low + 1, column: prefix.count + 1, offset: clamped)
  }

  /// The text of a 1-based line, without its newline.
  public func lineText(_ line: Int) -> String {
    let lineStarts = lineStarts
    guard line >= 1, line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }

  /// The source text covered by a span.
  package func slice(_ span: Span) -> String {
    let lower = max(0, min(span.start, bytes.count))
    let upper = max(lower, min(span.end, bytes.count))
    return String(decoding: bytes[lower..<upper], as: UTF8.self)
  }
}

/// A 1-based line and column (in characters) within a source, with the byte offset it came from.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
  /// The 1-based line number.
  public var line: Int
  /// The 1-based column, counted in characters.
  public var column: Int
  /// The byte offset into the UTF-8 text.
  public var offset: Int

  /// `line:column`.
  public var description: String { "\(line):\(column)" }
}

/// A half-open range of byte offsets within one source.
public struct Span: Hashable, Sendable {
  /// The first byte covered.
  public var start: Int
  /// One past the last byte covered.
  public var end: Int

  /// Creates a span from byte offsets.
  public init(start: Int, end: Int) {
    self.start = start
    self.end = max(start, end)
  }

  /// The span covering both `self` and `other`.
  func joined(_ other: Span) -> Span {
    Span(start: min(start, other.start), end: max(end, other.end))
  }
}
