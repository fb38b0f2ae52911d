/// Splitting a story into its text, `{{ expr }}` values and fenced `pq` blocks, leaving code
/// spans and other languages' fences alone.
extension Story {
  /// The story's prose, inline expressions and `pq` blocks, in order. An unclosed `{{` or an
  /// unclosed `pq` block is an error at its start.
  static func split(_ story: Source) throws(PQError) -> [Piece] {
    let bytes = story.bytes
    var pieces: [Piece] = []
    var prose: [UInt8] = []
    var index = 0
    func flush() {
      if !prose.isEmpty { pieces.append(.prose(String(decoding: prose, as: UTF8.self))) }
      prose.removeAll()
    }
    while index < bytes.count {
      // At the start of a line: a fence?
      let lineEnd = bytes[index...].firstIndex(of: 0x0A) ?? bytes.count
      if let fence = openingFence(bytes, index, lineEnd) {
        let closing = closingFence(bytes, after: lineEnd, fence: fence)
        if fence.isPQ {
          guard let (codeEnd, afterClose) = closing else {
            throw PQError(
              .syntax, "this pq block is not closed", source: story, span: Span(start: index, end: lineEnd),
              notes: [
                "end it with a line of \(String(repeating: String(UnicodeScalar(fence.character)), count: fence.length))"
              ])
          }
          flush()
          pieces.append(.block(min(lineEnd + 1, codeEnd)..<codeEnd, start: index))
          index = afterClose
          continue
        }
        // Another language's block is prose, copied whole.
        let end = closing?.1 ?? bytes.count
        prose += bytes[index..<end]
        index = end
        continue
      }
      // A line of prose: code spans copied, `{{ … }}` taken out.
      var position = index
      while position < lineEnd {
        let byte = bytes[position]
        if byte == UInt8(ascii: "\\"), position + 2 < bytes.count, bytes[position + 1] == UInt8(ascii: "{"),
          bytes[position + 2] == UInt8(ascii: "{")
        {
          prose += [UInt8(ascii: "{"), UInt8(ascii: "{")]
          position += 3
          continue
        }
        if byte == UInt8(ascii: "`") {
          let run = bytes[position...].prefix { $0 == UInt8(ascii: "`") }.count
          if let close = codeSpanEnd(bytes, from: position + run, run: run) {
            prose += bytes[position..<close]
            position = close
            continue
          }
          prose += bytes[position..<(position + run)]
          position += run
          continue
        }
        if byte == UInt8(ascii: "{"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "{") {
          guard let close = inlineEnd(bytes, from: position + 2) else {
            throw PQError(
              .syntax, "'{{' is not closed", source: story, span: Span(start: position, end: position + 2),
              notes: ["an inline value is written {{ expression }}; write \\{{ for the characters themselves"]
            )
          }
          let range = (position + 2)..<close
          if String(decoding: bytes[range], as: UTF8.self).trimmingSpaces.isEmpty {
            throw PQError(
              .syntax, "'{{ }}' holds no expression", source: story,
              span: Span(start: position, end: close + 2),
              notes: ["write the value to show, as in {{ x.mau }}"])
          }
          flush()
          pieces.append(.inline(range, start: position))
          position = close + 2
          // The line goes on after the value (the rest of a multi-line value's last line).
          if position > lineEnd {
            let newEnd = bytes[position...].firstIndex(of: 0x0A) ?? bytes.count
            prose += bytes[position..<newEnd]
            position = newEnd
            break
          }
          continue
        }
        prose.append(byte)
        position += 1
      }
      index = position
      if index < bytes.count, bytes[index] == 0x0A {
        prose.append(0x0A)
        index += 1
      }
    }
    flush()
    return pieces
  }

  struct Fence {
    var character: UInt8
    var length: Int
    var isPQ: Bool
  }

  /// A line opening a fenced block (up to three spaces, then three or more backticks or tildes,
  /// then the info string), or nil.
  static func openingFence(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Fence? {
    var position = start
    while position < end, position - start < 3, bytes[position] == 0x20 { position += 1 }
    guard position < end, bytes[position] == UInt8(ascii: "`") || bytes[position] == UInt8(ascii: "~") else {
      return nil
    }
    let character = bytes[position]
    let length = bytes[position..<end].prefix { $0 == character }.count
    guard length >= 3 else { return nil }
    let info = String(decoding: bytes[(position + length)..<end], as: UTF8.self).trimmingSpaces
    if character == UInt8(ascii: "`"), info.contains("`") { return nil }
    let language = info.split(separator: " ").first.map(String.init) ?? ""
    return Fence(character: character, length: length, isPQ: language == "pq" || language == "{pq}")
  }

  /// The end of a fenced block's code (the start of its closing line) and where the line after
  /// the closing fence begins; nil when it is not closed.
  static func closingFence(_ bytes: [UInt8], after openingEnd: Int, fence: Fence) -> (Int, Int)? {
    var lineStart = openingEnd + 1
    while lineStart <= bytes.count {
      let lineEnd =
        lineStart < bytes.count ? (bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count) : bytes.count
      var position = lineStart
      while position < lineEnd, position - lineStart < 3, bytes[position] == 0x20 { position += 1 }
      let run = bytes[position..<lineEnd].prefix { $0 == fence.character }.count
      if run >= fence.length,
        bytes[(position + run)..<lineEnd].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
      {
        return (lineStart, min(lineEnd + 1, bytes.count))
      }
      if lineEnd >= bytes.count { return nil }
      lineStart = lineEnd + 1
    }
    return nil
  }

  /// Where a code span opened by `run` backticks ends (after its closing run), on its line.
  static func codeSpanEnd(_ bytes: [UInt8], from start: Int, run: Int) -> Int? {
    var position = start
    while position < bytes.count, bytes[position] != 0x0A {
      if bytes[position] == UInt8(ascii: "`") {
        let length = bytes[position...].prefix { $0 == UInt8(ascii: "`") }.count
        if length == run { return position + length }
        position += length
      } else {
        position += 1
      }
    }
    return nil
  }

  /// The offset of the `}}` that closes an inline expression starting at `start`: braces of
  /// records and strings inside it are skipped. Nil when it does not close before a blank line.
  static func inlineEnd(_ bytes: [UInt8], from start: Int) -> Int? {
    var depth = 0
    var position = start
    var inString = false
    while position < bytes.count {
      let byte = bytes[position]
      if inString {
        if byte == UInt8(ascii: "\\") {
          position += 2
          continue
        }
        if byte == UInt8(ascii: "\"") { inString = false }
      } else if byte == UInt8(ascii: "\"") {
        inString = true
      } else if byte == UInt8(ascii: "{") {
        depth += 1
      } else if byte == UInt8(ascii: "}") {
        if depth == 0 {
          return position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "}") ? position : nil
        }
        depth -= 1
      } else if byte == 0x0A, position + 1 < bytes.count, bytes[position + 1] == 0x0A {
        return nil
      }
      position += 1
    }
    return nil
  }
}
