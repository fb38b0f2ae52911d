import PlatformQuery

/// The LSP base protocol's framing: each message is a header block (`Content-Length: N`, other
/// headers ignored, lines ending in CR LF, a blank line after) and then N bytes of JSON. Bytes go
/// in as they arrive; whole messages come out. A header block without a valid `Content-Length`,
/// or a body larger than ``largestBody``, is reported and skipped, and reading goes on with
/// the next header.
public struct LSPFraming {
  /// What the framing found in the bytes so far.
  public enum Frame: Equatable {
    /// A message body, to hand to ``LanguageServer/receive(_:)``.
    case message([UInt8])
    /// A header block or body that was skipped, and why.
    case malformed(String)
  }

  /// The largest body accepted (64 MiB); a larger one is skipped unread.
  public static let largestBody = 64 << 20
  /// The longest header block accepted before its blank line.
  static let longestHeader = 8192

  var buffer: [UInt8] = []
  var start = 0
  var skipping = 0
  /// Where the last message's body began in `buffer`, for ``resynchronize()``.
  var lastBody: Range<Int>?

  /// An empty framing.
  public init() {}

  /// Adds bytes read from the client.
  public mutating func append(_ bytes: some Sequence<UInt8>) {
    if start > 0, start >= buffer.count / 2 {
      buffer.removeFirst(start)
      start = 0
    }
    buffer.append(contentsOf: bytes)
  }

  /// The next whole frame, or nil when more bytes are needed.
  public mutating func next() -> Frame? {
    if skipping > 0 {
      let available = min(skipping, buffer.count - start)
      start += available
      skipping -= available
      if skipping > 0 { return nil }
    }
    guard let headerEnd = findHeaderEnd() else {
      if buffer.count - start > LSPFraming.longestHeader {
        start = buffer.count
        return .malformed(
          "a header longer than \(LSPFraming.longestHeader) bytes without a blank line after it")
      }
      return nil
    }
    // Bytes that do not begin a header (the rest of a body whose Content-Length was too
    // short, or garbage): skipped up to the next Content-Length header, where reading resumes.
    if !startsWithHeaderLine() {
      guard let next = find(Self.contentLength, from: start + 1) else {
        let skipped = buffer.count - start
        start = buffer.count
        return .malformed("\(skipped) bytes that were not a message header")
      }
      let skipped = next - start
      start = next
      return .malformed("\(skipped) bytes that were not a message header")
    }
    let header = String(decoding: buffer[start..<headerEnd], as: UTF8.self)
    var length: Int?
    for line in header.split(separator: "\r\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      let value = String(line[line.index(after: colon)...]).trimmingSpaces
      if name == "content-length" {
        length =
          value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) && value.utf8.count < 16 ? Int(value) : nil
      }
    }
    let bodyStart = headerEnd + 4
    guard let length else {
      start = bodyStart
      return .malformed("a message header without a valid Content-Length")
    }
    guard length <= LSPFraming.largestBody else {
      start = bodyStart
      skipping = length
      return .malformed("a message of \(length) bytes, more than the \(LSPFraming.largestBody) pq accepts")
    }
    guard buffer.count - bodyStart >= length else { return nil }
    let body = Array(buffer[bodyStart..<(bodyStart + length)])
    start = bodyStart + length
    lastBody = bodyStart..<start
    return .message(body)
  }

  /// After a body that was not JSON (its Content-Length was too long, taking in the next
  /// message's header): reading goes back to the first Content-Length header inside that body,
  /// so the messages after it are read as they were sent. Call it before any more bytes are
  /// appended. Returns whether a header was found.
  @discardableResult
  public mutating func resynchronize() -> Bool {
    guard let body = lastBody, body.upperBound == start, body.upperBound <= buffer.count else { return false }
    lastBody = nil
    guard let header = find(Self.contentLength, from: body.lowerBound + 1), header < body.upperBound else {
      return false
    }
    start = header
    skipping = 0
    return true
  }

  static let contentLength = Array("content-length:".utf8)

  /// Whether the bytes at `start` begin a header line: a field name (letters, digits, `-`)
  /// and a colon.
  func startsWithHeaderLine() -> Bool {
    var index = start
    while index < buffer.count {
      let byte = buffer[index]
      if byte == UInt8(ascii: ":") { return index > start }
      let letter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
      guard letter || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-") else { return false }
      index += 1
    }
    return true
  }

  /// The first place at or after `from` where `pattern` (lower case) occurs, letters compared
  /// without case.
  func find(_ pattern: [UInt8], from: Int) -> Int? {
    guard pattern.count > 0, from >= 0 else { return nil }
    var index = from
    while index + pattern.count <= buffer.count {
      var matched = true
      for offset in 0..<pattern.count {
        var byte = buffer[index + offset]
        if byte >= 0x41, byte <= 0x5A { byte |= 0x20 }
        if byte != pattern[offset] {
          matched = false
          break
        }
      }
      if matched { return index }
      index += 1
    }
    return nil
  }

  /// The offset of the CR LF CR LF that ends the header block, if it has arrived.
  func findHeaderEnd() -> Int? {
    var index = start
    while index + 3 < buffer.count {
      if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 {
        return index
      }
      index += 1
    }
    return nil
  }

  /// A message body with its header, ready to write.
  public static func frame(_ body: String) -> [UInt8] {
    Array("Content-Length: \(body.utf8.count)\r\n\r\n".utf8) + Array(body.utf8)
  }
}
